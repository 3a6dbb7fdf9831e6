/**
 * A replay's state by date (`replay --at <date>`, `--timeline`): each known
 * customer's invoices, dunning, consequence state by the ladder's own name (an
 * imported Kill Bill ladder's OD1, OD2…), restriction and entitlements, as the
 * platform had them at that moment (after the deliveries and platform timers
 * up to it). docs/replay.md, "State by date".
 */
import { consequenceStateAt } from '../../../policies/dunning/recompute.js';
import { recomputeConfigOf, type PolicySet } from '../../../policies/sets.js';
import { MS_PER_DAY } from '../../../policies/types.js';
import { InputError } from '../../lib/errors.js';
import type { AccountState } from '../../world/model/state.js';
import { finalState } from './replay.js';

export interface CustomerAt {
  readonly customer: string;
  readonly invoices: readonly { readonly id: string; readonly status: string }[];
  readonly inDunning: boolean;
  /** The ladder state by its own name; for the legacy processors (no ladder of names), the restriction level. */
  readonly consequenceState: string;
  readonly restriction: string;
  readonly entitlements: number;
  readonly subscriptionStatus: string;
}

export interface TimelinePoint {
  readonly atMs: number;
  readonly at: string;
  readonly customers: readonly CustomerAt[];
}

/** Parses one `--at` value: an ISO date (its end, 23:59:59.999 UTC) or an ISO date-time. */
export function parseAt(text: string): number {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const ms = Date.parse(dateOnly ? `${text}T00:00:00Z` : text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || !Number.isFinite(ms))
    throw new InputError(`--at: "${text}" is not an ISO date (2025-06-30) or date-time (2025-06-30T12:00:00Z)`);
  return dateOnly ? ms + MS_PER_DAY - 1 : ms;
}

/** The end of every UTC day from the one holding startMs to the one holding endMs. */
export function dailySamples(startMs: number, endMs: number): number[] {
  const out: number[] = [];
  for (let day = Math.floor(startMs / MS_PER_DAY); day * MS_PER_DAY <= endMs; day++)
    out.push(Math.min(endMs, (day + 1) * MS_PER_DAY - 1));
  return out;
}

/** One customer as the platform had it at t; `a.stripe` must be the provider at t. */
export function customerAt(
  a: AccountState,
  customer: string,
  invoiceKeys: ReadonlyMap<number, string>,
  tMs: number,
  policies: PolicySet,
): CustomerAt {
  const shown = finalState(a, customer, null, null, invoiceKeys);
  const named = policies.dunning.kind !== 'legacy-processors';
  return {
    customer,
    invoices: shown.invoices,
    inDunning: shown.inDunning,
    consequenceState: named
      ? consequenceStateAt(a, tMs, recomputeConfigOf(policies, []))
      : a.cfProd.delinquent
        ? 'delinquent'
        : a.cfProd.restriction,
    restriction: a.cfProd.restriction,
    entitlements: a.subsAccount.entitlements,
    subscriptionStatus: a.subsAccount.status,
  };
}

/** The timeline as text: one block per date, one line per customer. */
export function timelineLines(points: readonly TimelinePoint[]): string[] {
  const lines: string[] = [];
  for (const p of points) {
    lines.push(`state at ${p.at}:`);
    for (const c of p.customers) {
      const invoices = c.invoices.map((i) => `${i.id} ${i.status}`).join(', ');
      lines.push(
        `  ${c.customer}  ${c.consequenceState}  dunning ${c.inDunning ? 'yes' : 'no'}  entitlements ${c.entitlements}  subscription ${c.subscriptionStatus}  invoices: ${invoices === '' ? 'none' : invoices}`,
      );
    }
  }
  return lines;
}
