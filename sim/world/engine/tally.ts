/**
 * What one run (or one shard of a run, a contiguous range of accounts) counted,
 * as plain data that crosses a worker boundary, and how shards merge. Accounts
 * are independent, so a run's tally is the merge of its shards' tallies:
 * counters and gauges sum, code-path sets unite, invoice rows concatenate in
 * account order. Ratios and means are computed after merging (sim/world/engine/run.ts).
 */
import type { DailyRow, InvoiceRow } from '../result.js';
import type { SimInvoice } from '../model/state.js';
import type { ScoredRun } from './run.js';
import { atRisk } from './churn.js';
import { warmUpMsOf } from './warm-up.js';

/** A scored run; a Simulation also knows its day events and when each dunning code path appeared (replays do not shard). */
export interface TalliedRun extends ScoredRun {
  readonly dayEvents?: number;
  readonly dunningWriterFirstRow?: ReadonlyMap<string, number>;
}

export type TallyCounters = {
  rollbacks: number;
  badDebtUpgrades: number;
  badDebtCents: number;
  invoiceEventsDelivered: number;
  invoiceEventsCovered: number;
  doubleCharges: number;
  retriesAfterSettled: number;
  involuntaryChurn: number;
  involuntaryChurnMrrCents: number;
  involuntaryChurnBySuspension: number;
  involuntaryChurnCensored: number;
  /** Subscribers not lost before the measured window opened, and their MRR then (churn's denominators). */
  subscribersAtRisk: number;
  mrrAtRiskCents: number;
  contactsSent: number;
  contactsOwingNothing: number;
  /** Integer ms (virtual time is integer), so the sum is exact in any order. */
  harmMs: number;
  networkFeesCents: number;
  disagreeing: number;
};

export interface ShardTally {
  /** Events about accounts (day events excluded: every shard processes all of them). */
  readonly accountEvents: number;
  readonly dayEvents: number;
  readonly counters: TallyCounters;
  readonly networkViolations: Readonly<Record<string, number>>;
  readonly drift: Readonly<Record<string, number>>;
  readonly transitions: Readonly<Record<string, number>>;
  readonly writesByCodePath: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Each dunning code path and the first daily row counting it (daily.length if none did). */
  readonly dunningWriterFirstRow: Readonly<Record<string, number>>;
  readonly daily: readonly DailyRow[];
  /** Renewal invoices that failed at least once, in account order. */
  readonly invoices: readonly InvoiceRow[];
}

export function tallyOf(sim: TalliedRun): ShardTally {
  const { ctx } = sim;
  const m = ctx.metrics;
  const counters: TallyCounters = {
    rollbacks: m.rollbacks,
    badDebtUpgrades: m.badDebtUpgrades,
    badDebtCents: m.badDebtCents,
    invoiceEventsDelivered: m.invoiceEventsDelivered,
    invoiceEventsCovered: m.invoiceEventsCovered,
    doubleCharges: m.doubleCharges,
    retriesAfterSettled: m.retriesAfterSettled,
    involuntaryChurn: m.involuntaryChurn,
    involuntaryChurnMrrCents: m.involuntaryChurnMrrCents,
    involuntaryChurnBySuspension: m.involuntaryChurnBySuspension,
    involuntaryChurnCensored: m.involuntaryChurnCensored,
    subscribersAtRisk: 0,
    mrrAtRiskCents: 0,
    contactsSent: m.contactsSent,
    contactsOwingNothing: m.contactsOwingNothing,
    harmMs: m.harmMs,
    networkFeesCents: m.networkFeesCents,
    disagreeing: m.disagreeing,
  };
  const invoices: InvoiceRow[] = [];
  const windowStartMs = warmUpMsOf(sim.scenario);
  for (const a of ctx.accounts) {
    if (atRisk(a, windowStartMs)) {
      counters.subscribersAtRisk++;
      counters.mrrAtRiskCents += a.sim.windowMrrCents;
    }
    for (const i of a.stripe.invoices)
      if (i.kind === 'renewal' && i.firstFailedAtMs >= 0) invoices.push(invoiceRow(i, a.sim.lostAtMs));
  }
  const dayEvents = sim.dayEvents ?? 0;
  const firstRow = sim.dunningWriterFirstRow ?? new Map([...ctx.writer.dunningWriters].map((path) => [path, 0]));
  return {
    accountEvents: m.events - dayEvents,
    dayEvents,
    counters,
    networkViolations: { ...m.networkViolations },
    drift: m.driftRecord(),
    transitions: Object.fromEntries(m.transitions),
    writesByCodePath: ctx.writer.codePathsTable(),
    dunningWriterFirstRow: Object.fromEntries(firstRow),
    daily: m.daily,
    invoices,
  };
}

function invoiceRow(i: SimInvoice, subscriberLostAtMs: number): InvoiceRow {
  return {
    invoiceId: i.id,
    accountId: i.accountId,
    kind: i.kind,
    amountCents: i.amountCents,
    status: i.status,
    createdAtMs: i.createdAtMs,
    firstFailedAtMs: i.firstFailedAtMs,
    paidAtMs: i.paidAtMs,
    attempts: i.attempts.length,
    firstDeclineCode: i.attempts.find((x) => x.declineCode !== null)?.declineCode ?? null,
    subscriberLostAtMs,
  };
}

/** Merges shard tallies, given in account order. */
export function mergeTallies(tallies: readonly ShardTally[]): ShardTally {
  const first = tallies[0];
  if (first === undefined) throw new Error('mergeTallies: no tallies');
  if (tallies.length === 1) return first;
  const firstRow = mergeWith(
    tallies.map((t) => t.dunningWriterFirstRow),
    Math.min,
  );
  return {
    accountEvents: sumOf(tallies.map((t) => t.accountEvents)),
    dayEvents: first.dayEvents,
    counters: mergeWith(
      tallies.map((t) => t.counters),
      add,
    ) as TallyCounters,
    networkViolations: mergeWith(
      tallies.map((t) => t.networkViolations),
      add,
    ),
    drift: mergeWith(
      tallies.map((t) => t.drift),
      add,
    ),
    transitions: mergeWith(
      tallies.map((t) => t.transitions),
      add,
    ),
    writesByCodePath: mergeWrites(tallies.map((t) => t.writesByCodePath)),
    dunningWriterFirstRow: firstRow,
    daily: first.daily.map((row, k) =>
      mergeDay(
        tallies.map((t) => t.daily[k]!),
        countFrom(firstRow, k),
      ),
    ),
    invoices: tallies.flatMap((t) => t.invoices),
  };
}

function add(x: number, y: number): number {
  return x + y;
}

function sumOf(values: readonly number[]): number {
  return values.reduce(add, 0);
}

/** Key-wise merge, keys in first-seen order. */
function mergeWith(
  records: readonly Readonly<Record<string, number>>[],
  combine: (x: number, y: number) => number,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const record of records) {
    for (const [key, value] of Object.entries(record)) out[key] = key in out ? combine(out[key]!, value) : value;
  }
  return out;
}

function mergeWrites(
  tables: readonly Readonly<Record<string, Readonly<Record<string, number>>>>[],
): Record<string, Record<string, number>> {
  const byPath = new Map<string, Readonly<Record<string, number>>[]>();
  for (const table of tables)
    for (const [path, byStore] of Object.entries(table)) byPath.set(path, [...(byPath.get(path) ?? []), byStore]);
  const out: Record<string, Record<string, number>> = {};
  for (const path of [...byPath.keys()].sort((a, b) => a.localeCompare(b))) {
    const merged = mergeWith(byPath.get(path)!, add);
    out[path] = Object.fromEntries(Object.entries(merged).sort(([a], [b]) => a.localeCompare(b)));
  }
  return out;
}

function countFrom(firstRow: Readonly<Record<string, number>>, row: number): number {
  return Object.values(firstRow).filter((k) => k <= row).length;
}

function mergeDay(rows: readonly DailyRow[], dunningCodePaths: number): DailyRow {
  const total = (pick: (r: DailyRow) => number): number => sumOf(rows.map(pick));
  return {
    day: rows[0]!.day,
    rollbacks: total((r) => r.rollbacks),
    badDebtUpgrades: total((r) => r.badDebtUpgrades),
    disagreeingAccounts: total((r) => r.disagreeingAccounts),
    invoiceEventsCovered: total((r) => r.invoiceEventsCovered),
    invoiceEvents: total((r) => r.invoiceEvents),
    dunningCodePaths,
    recoveredInvoices: total((r) => r.recoveredInvoices),
    failedInvoices: total((r) => r.failedInvoices),
    consequenceOccupancy: mergeWith(
      rows.map((r) => r.consequenceOccupancy),
      add,
    ) as unknown as DailyRow['consequenceOccupancy'],
    drift: mergeWith(
      rows.map((r) => r.drift),
      add,
    ),
  };
}
