/**
 * The platform mid-migration: the recompute engine is the primary dunning
 * computation, and the legacy processors it has not yet replaced still handle
 * their event types and write their stores beside it. Each delivery goes to
 * the legacy handlers first, then the engine recomputes the account from all
 * six stores (so a legacy write survives only until the engine's next apply,
 * but it is a write by another code path all the same). Until the engine
 * subscribes to every event ("27 processors → direct PubSub subscription"),
 * it hears only the event types routed to it (`engineEvents`).
 */
import type { LegacyProcessor } from '../../../policies/dunning/legacy.js';
import type { WebhookPayload, WebhookType } from '../../../policies/dunning/webhook.js';
import type { AccountState } from '../model/state.js';
import type { SimContext } from './context.js';
import { LegacyPlatform } from './legacy-platform.js';
import type { Platform } from './platform.js';
import { TargetPlatform } from './target-platform.js';

export class HybridPlatform implements Platform {
  private readonly legacy: LegacyPlatform;
  private readonly engine: TargetPlatform;

  private readonly engineEvents: ReadonlySet<WebhookType> | null;

  constructor(ctx: SimContext, processors: readonly LegacyProcessor[], engineEvents: readonly WebhookType[] | null) {
    this.legacy = new LegacyPlatform(ctx, processors);
    this.engine = new TargetPlatform(ctx);
    this.engineEvents = engineEvents === null ? null : new Set(engineEvents);
  }

  /**
   * The still-writing processors handle the event; the engine recomputes when the event reaches it
   * (every event, or only the types routed to it). An event that reaches neither is not handled.
   */
  onDelivery(a: AccountState, event: WebhookPayload): boolean {
    const legacyHandled = this.legacy.onDelivery(a, event);
    if (this.engineEvents !== null && !this.engineEvents.has(event.type)) return legacyHandled;
    return this.engine.onDelivery(a);
  }

  onWake(a: AccountState, token: number): void {
    this.engine.onWake(a, token);
  }

  /** A retry a legacy processor scheduled (e.g. after a payment-method change) still runs, racing the engine's own. */
  onRetryDue(a: AccountState, invoiceId: number): void {
    this.legacy.onRetryDue(a, invoiceId);
    this.engine.reconcile(a);
  }

  /** The provider holds the paid change; the engine brings the stores to it in reconcile(). */
  commitPaid(): void {
    this.engine.commitPaid();
  }

  reconcile(a: AccountState): void {
    this.engine.reconcile(a);
  }
}
