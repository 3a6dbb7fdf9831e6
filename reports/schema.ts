/**
 * The store's tables as column lists: one source for the DDL, the row
 * extraction the appender uses, and (by hand) docs/store.md.
 * Each column knows how to read its value from one source row.
 */
import type { DuckDBType } from '@duckdb/node-api';
import { duckdb } from './duckdb.js';
import { CONSEQUENCE_LEVELS, type ConsequenceLevel } from '../policies/types.js';
import type { DailyRow, InvoiceRow, RecoveryCurvePoint, RunResult } from '../sim/world/result.js';

export type CellValue = number | bigint | string | null;

export interface Column<Row> {
  readonly name: string;
  readonly sqlType: 'USMALLINT' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'VARCHAR';
  readonly get: (row: Row) => CellValue;
}

export function duckTypeOf(column: Column<never>): DuckDBType {
  const { USMALLINT, INTEGER, BIGINT, DOUBLE, VARCHAR } = duckdb();
  const types: Readonly<Record<Column<unknown>['sqlType'], DuckDBType>> = {
    USMALLINT,
    INTEGER,
    BIGINT,
    DOUBLE,
    VARCHAR,
  };
  return types[column.sqlType];
}

/** -1 means "never" in the simulator; the store says NULL. */
function msOrNull(ms: number): bigint | null {
  return ms < 0 ? null : BigInt(ms);
}

function ratioOrNull(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** A daily row tagged with the run it belongs to. */
export interface Tagged<Row> {
  readonly runId: string;
  readonly row: Row;
}

export const DAILY_KPI_COLUMNS: readonly Column<Tagged<DailyRow>>[] = [
  { name: 'run_id', sqlType: 'VARCHAR', get: (t) => t.runId },
  { name: 'day', sqlType: 'INTEGER', get: (t) => t.row.day },
  { name: 'rollbacks', sqlType: 'BIGINT', get: (t) => BigInt(t.row.rollbacks) },
  { name: 'bad_debt_upgrades', sqlType: 'BIGINT', get: (t) => BigInt(t.row.badDebtUpgrades) },
  { name: 'disagreeing_accounts', sqlType: 'INTEGER', get: (t) => t.row.disagreeingAccounts },
  { name: 'invoice_events_covered', sqlType: 'BIGINT', get: (t) => BigInt(t.row.invoiceEventsCovered) },
  { name: 'invoice_events', sqlType: 'BIGINT', get: (t) => BigInt(t.row.invoiceEvents) },
  {
    name: 'invoice_coverage_ratio',
    sqlType: 'DOUBLE',
    get: (t) => ratioOrNull(t.row.invoiceEventsCovered, t.row.invoiceEvents),
  },
  { name: 'dunning_code_paths', sqlType: 'INTEGER', get: (t) => t.row.dunningCodePaths },
  { name: 'recovered_invoices', sqlType: 'INTEGER', get: (t) => t.row.recoveredInvoices },
  { name: 'failed_invoices', sqlType: 'INTEGER', get: (t) => t.row.failedInvoices },
];

/** One (day, key, accounts) cell of a long table such as daily_drift. */
export interface LongCell {
  readonly runId: string;
  readonly day: number;
  readonly key: string;
  readonly accounts: number;
}

function longColumns(keyName: string): readonly Column<LongCell>[] {
  return [
    { name: 'run_id', sqlType: 'VARCHAR', get: (c) => c.runId },
    { name: 'day', sqlType: 'INTEGER', get: (c) => c.day },
    { name: keyName, sqlType: 'VARCHAR', get: (c) => c.key },
    { name: 'accounts', sqlType: 'INTEGER', get: (c) => c.accounts },
  ];
}

export const DAILY_DRIFT_COLUMNS = longColumns('invariant');
export const DAILY_CONSEQUENCE_COLUMNS = longColumns('level');

export function driftCells(runId: string, daily: readonly DailyRow[]): LongCell[] {
  return daily.flatMap((d) => Object.entries(d.drift).map(([key, accounts]) => ({ runId, day: d.day, key, accounts })));
}

export function consequenceCells(runId: string, daily: readonly DailyRow[]): LongCell[] {
  return daily.flatMap((d) =>
    CONSEQUENCE_LEVELS.map((level: ConsequenceLevel) => ({
      runId,
      day: d.day,
      key: level,
      accounts: d.consequenceOccupancy[level] ?? 0,
    })),
  );
}

export const INVOICE_COLUMNS: readonly Column<Tagged<InvoiceRow>>[] = [
  { name: 'run_id', sqlType: 'VARCHAR', get: (t) => t.runId },
  { name: 'invoice_id', sqlType: 'BIGINT', get: (t) => BigInt(t.row.invoiceId) },
  { name: 'account_id', sqlType: 'INTEGER', get: (t) => t.row.accountId },
  { name: 'kind', sqlType: 'VARCHAR', get: (t) => t.row.kind },
  { name: 'amount_cents', sqlType: 'BIGINT', get: (t) => BigInt(t.row.amountCents) },
  { name: 'status', sqlType: 'VARCHAR', get: (t) => t.row.status },
  { name: 'created_at_ms', sqlType: 'BIGINT', get: (t) => BigInt(t.row.createdAtMs) },
  { name: 'first_failed_at_ms', sqlType: 'BIGINT', get: (t) => msOrNull(t.row.firstFailedAtMs) },
  { name: 'paid_at_ms', sqlType: 'BIGINT', get: (t) => msOrNull(t.row.paidAtMs) },
  { name: 'attempts', sqlType: 'INTEGER', get: (t) => t.row.attempts },
  { name: 'first_decline_code', sqlType: 'VARCHAR', get: (t) => t.row.firstDeclineCode },
];

/** One day of one recovery curve (RunResult.recoveryCurves), tagged with its run and reason. */
export interface CurveCell {
  readonly runId: string;
  readonly reason: string;
  readonly point: RecoveryCurvePoint;
}

export const RECOVERY_CURVE_COLUMNS: readonly Column<CurveCell>[] = [
  { name: 'run_id', sqlType: 'VARCHAR', get: (c) => c.runId },
  { name: 'reason', sqlType: 'VARCHAR', get: (c) => c.reason },
  { name: 'day', sqlType: 'INTEGER', get: (c) => c.point.day },
  { name: 'at_risk', sqlType: 'INTEGER', get: (c) => c.point.atRisk },
  { name: 'recovered_share', sqlType: 'DOUBLE', get: (c) => c.point.recoveredShare },
  { name: 'ci_low', sqlType: 'DOUBLE', get: (c) => c.point.low },
  { name: 'ci_high', sqlType: 'DOUBLE', get: (c) => c.point.high },
  { name: 'recovered_cents', sqlType: 'BIGINT', get: (c) => BigInt(c.point.recoveredCents) },
];

export function curveCells(runId: string, result: RunResult): CurveCell[] {
  return (result.recoveryCurves?.curves ?? []).flatMap((c) =>
    c.points.map((point) => ({ runId, reason: c.reason, point })),
  );
}

export const RUN_DRIFT_COLUMNS: readonly Column<LongCell>[] = [
  { name: 'run_id', sqlType: 'VARCHAR', get: (c) => c.runId },
  { name: 'invariant', sqlType: 'VARCHAR', get: (c) => c.key },
  { name: 'accounts', sqlType: 'INTEGER', get: (c) => c.accounts },
];

function createTable(table: string, columns: readonly Column<never>[], primaryKey: string): string {
  const body = columns.map((c) => `${c.name} ${c.sqlType} ${c.name === 'run_id' ? 'NOT NULL' : ''}`.trim());
  return `CREATE TABLE IF NOT EXISTS ${table} (${body.join(', ')}, PRIMARY KEY (${primaryKey}))`;
}

/** Columns of `runs` besides the JSON ones, in insert order. */
export const RUN_SCALAR_COLUMNS = [
  'run_id VARCHAR PRIMARY KEY',
  'created_seq INTEGER NOT NULL UNIQUE',
  'content_hash VARCHAR NOT NULL',
  'scenario VARCHAR',
  'policies VARCHAR',
  'seed BIGINT',
  'code_version VARCHAR',
  'days INTEGER',
  'settle_days INTEGER',
  'accounts INTEGER',
  'events BIGINT',
  'rollbacks_per_day DOUBLE',
  'bad_debt_from_upgrades_per_day DOUBLE',
  'bad_debt_from_upgrades_cents BIGINT',
  'disagreeing_accounts INTEGER',
  'invoice_coverage_ratio DOUBLE',
  'dunning_code_paths INTEGER',
  'recovery_rate DOUBLE',
  'revenue_recovered_cents BIGINT',
  'failed_invoices INTEGER',
  'recovered_invoices INTEGER',
  'mean_days_to_recovery DOUBLE',
  'involuntary_churn_per_thousand DOUBLE',
  'involuntary_churn INTEGER',
  'customer_harm_restriction_days DOUBLE',
  'retries_per_recovery DOUBLE',
  'network_rule_violations INTEGER',
  'double_charges INTEGER',
  'retries_after_settled INTEGER',
] as const;

export const RUN_JSON_COLUMNS = [
  'parameters',
  'network_rule_violations_by_rule',
  'drift',
  'transitions',
  'writes_by_code_path',
  'result',
] as const;

/**
 * Kernel events are stored compactly and read through a view. `event_rows`
 * holds numbers only (the run's `created_seq` as `run_key`, a kind code, -1
 * for "no account"), so the appender fills it by block copies; `event_kinds`
 * names each run's kind codes; the `events` view joins them back to
 * (run_id, seq, time_ms, kind, account_id). Times and seqs are whole numbers
 * below 2^53, exact as DOUBLE.
 */
export const EVENT_ROWS_DDL = `CREATE TABLE IF NOT EXISTS event_rows (
  run_key INTEGER NOT NULL, seq DOUBLE NOT NULL, time_ms DOUBLE NOT NULL, kind_code USMALLINT NOT NULL, account_id INTEGER NOT NULL)`;
export const EVENT_KINDS_DDL = `CREATE TABLE IF NOT EXISTS event_kinds (
  run_key INTEGER NOT NULL, kind_code USMALLINT NOT NULL, kind VARCHAR NOT NULL, PRIMARY KEY (run_key, kind_code))`;
export const EVENTS_VIEW_DDL = `CREATE VIEW IF NOT EXISTS events AS
  SELECT r.run_id, CAST(e.seq AS BIGINT) AS seq, CAST(e.time_ms AS BIGINT) AS time_ms, k.kind,
         NULLIF(e.account_id, -1) AS account_id
  FROM event_rows e JOIN runs r ON r.created_seq = e.run_key
  JOIN event_kinds k ON k.run_key = e.run_key AND k.kind_code = e.kind_code`;

/**
 * Stores written before the compact layout have `events` as a table: its rows
 * move into `event_rows` and `event_kinds`, and the view takes its name.
 */
export const EVENTS_MIGRATION_SQL = [
  `INSERT INTO event_kinds SELECT r.created_seq, CAST(row_number() OVER (PARTITION BY d.run_id ORDER BY d.kind) - 1 AS USMALLINT), d.kind
     FROM (SELECT DISTINCT run_id, kind FROM events) d JOIN runs r USING (run_id)`,
  `INSERT INTO event_rows SELECT r.created_seq, e.seq, e.time_ms, k.kind_code, coalesce(e.account_id, -1)
     FROM events e JOIN runs r USING (run_id) JOIN event_kinds k ON k.run_key = r.created_seq AND k.kind = e.kind`,
  'DROP TABLE events',
];

export function schemaDdl(): string[] {
  const runCols = [...RUN_SCALAR_COLUMNS, ...RUN_JSON_COLUMNS.map((c) => `${c} JSON`)];
  return [
    `CREATE TABLE IF NOT EXISTS runs (${runCols.join(', ')})`,
    createTable('run_drift', RUN_DRIFT_COLUMNS, 'run_id, invariant'),
    createTable('daily_kpis', DAILY_KPI_COLUMNS, 'run_id, day'),
    createTable('daily_drift', DAILY_DRIFT_COLUMNS, 'run_id, day, invariant'),
    createTable('daily_consequences', DAILY_CONSEQUENCE_COLUMNS, 'run_id, day, level'),
    createTable('invoices', INVOICE_COLUMNS, 'run_id, invoice_id'),
    createTable('recovery_curves', RECOVERY_CURVE_COLUMNS, 'run_id, reason, day'),
    EVENT_ROWS_DDL,
    EVENT_KINDS_DDL,
  ];
}

/** Every table, in the order a run's rows are written (and deleted). */
export const TABLES = [
  'runs',
  'run_drift',
  'daily_kpis',
  'daily_drift',
  'daily_consequences',
  'invoices',
  'recovery_curves',
  'events',
] as const;
export type TableName = (typeof TABLES)[number];
