/**
 * Dunning contacts: the policy set's contact schedule (policies/contact/)
 * decides when the platform emails or notifies a customer about a failed
 * renewal; the customer answers each contact with their own chance
 * (scenario `recovery.contactResponse`, fading with each further contact)
 * by adding a new card, and too many contacts make some cancel at the end of
 * the term. A contact is sent while the platform's own books (billing_prod)
 * show the invoice open; one sent for an invoice already paid or voided at
 * the provider reaches a customer who owes nothing, and is counted as such.
 * Draws are keyed by (account, invoice, contact number): the k-th contact
 * about an invoice meets the same customer under every policy set.
 */
import type { ContactRecord, ContactSchedule } from '../../../policies/contact/cadence.js';
import { MS_PER_DAY } from '../../../policies/types.js';
import { CONTACT, CONTACT_SLOT_BASE, CONTACT_STRIDE } from '../kernel/slots.js';
import { findInvoice, type AccountState, type SimInvoice } from '../model/state.js';
import type { SimContext } from './context.js';
import * as K from './kinds.js';

export class DunningContacts {
  /** Contacts sent, by invoice id (this shard's accounts). */
  private readonly sent = new Map<number, ContactRecord[]>();

  constructor(
    private readonly ctx: SimContext,
    private readonly schedule: ContactSchedule,
  ) {}

  /** A renewal failed for the first time: schedule the first contact. */
  start(a: AccountState, invoice: SimInvoice): void {
    this.scheduleNext(a, invoice, []);
  }

  /** Contact number `k` about `invoiceId` is due. */
  due(a: AccountState, invoiceId: number, k: number): void {
    const invoice = findInvoice(a, invoiceId);
    const contacts = this.sent.get(invoiceId) ?? [];
    if (invoice === undefined || contacts.length !== k) return;
    const row = a.billingProd.find((r) => r.invoiceId === invoiceId);
    if (row !== undefined && row.status !== 'open') return; // the platform knows it is settled: the cadence stops
    const decision = this.schedule.next({ firstFailedAtMs: invoice.firstFailedAtMs, contacts });
    const channel = decision.kind === 'contact_at' ? decision.channel : 'email';
    const record: ContactRecord = { atMs: this.ctx.nowMs, channel };
    const updated = [...contacts, record];
    this.sent.set(invoiceId, updated);
    this.ctx.metrics.contactsSent++;
    if (invoice.status === 'paid' || invoice.status === 'void') this.ctx.metrics.contactsOwingNothing++;
    else this.customerAnswers(a, invoice, k, record);
    this.scheduleNext(a, invoice, updated);
  }

  private scheduleNext(a: AccountState, invoice: SimInvoice, contacts: readonly ContactRecord[]): void {
    const decision = this.schedule.next({ firstFailedAtMs: invoice.firstFailedAtMs, contacts });
    if (decision.kind === 'stop') return;
    const atMs = Math.max(this.ctx.nowMs, decision.atMs);
    if (atMs < this.ctx.workloadEndMs)
      this.ctx.queue.push(atMs, K.EV_DUNNING_CONTACT, a.accountId, invoice.id, contacts.length);
  }

  private customerAnswers(a: AccountState, invoice: SimInvoice, k: number, contact: ContactRecord): void {
    const r = this.ctx.scenario.recovery;
    const { workload } = this.ctx.streams;
    const u = (slot: number): number =>
      workload.u01(a.accountId, invoice.id, CONTACT_SLOT_BASE + k * CONTACT_STRIDE + slot);
    const response = r.contactResponse[contact.channel];
    if (u(CONTACT.responds) < response.share * r.contactFatigue ** k) {
      const delayMs = Math.max(1, Math.round(-Math.log(1 - u(CONTACT.responseDelay)) * response.meanDays * MS_PER_DAY));
      if (this.ctx.nowMs + delayMs < this.ctx.workloadEndMs)
        this.ctx.queue.push(this.ctx.nowMs + delayMs, K.EV_PM_UPDATE, a.accountId, 0, 0);
    }
    if (k >= r.annoyanceFreeContacts && u(CONTACT.cancels) < r.cancelPerExtraContact)
      this.ctx.provider.setCancelAtPeriodEnd(a, true);
  }
}
