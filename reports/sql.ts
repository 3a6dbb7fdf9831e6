/** Formats query rows for the terminal (aligned table), for programs (JSON) and for spreadsheets (CSV). */
export type OutputFormat = 'table' | 'json' | 'csv';

/** Largest integer a JS number holds exactly; BIGINTs beyond it stay strings. */
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A cell as a JSON-safe value: bigint → number when exact, else decimal string; Date → ISO string. */
export function jsonSafe(value: unknown): unknown {
  if (typeof value === 'bigint') return value <= SAFE && value >= -SAFE ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]));
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}

/** A cell as text: NULL for null, exact digits for bigint, JSON for nested values. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(jsonSafe(value));
  return String(value);
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = cellText(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function formatCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const lines = [columns.map(csvField).join(','), ...rows.map((r) => columns.map((c) => csvField(r[c])).join(','))];
  return `${lines.join('\n')}\n`;
}

export function formatJson(rows: readonly Record<string, unknown>[]): string {
  return `${JSON.stringify(rows.map(jsonSafe), null, 2)}\n`;
}

/** Right-aligns numbers, left-aligns text; one header row, one rule, one line per row, and a row count. */
export function formatTable(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const cells = rows.map((r) => columns.map((c) => cellText(r[c]).replace(/\s+/g, ' ')));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => (row[i] ?? '').length)));
  const numeric = columns.map(
    (c) => rows.length > 0 && rows.every((r) => ['number', 'bigint'].includes(typeof r[c]) || r[c] === null),
  );
  const pad = (text: string, i: number): string =>
    numeric[i] ? text.padStart(widths[i] ?? 0) : text.padEnd(widths[i] ?? 0);
  const lines = [
    columns.map(pad).join(' | '),
    widths.map((w) => '-'.repeat(w)).join('-+-'),
    ...cells.map((row) => row.map(pad).join(' | ')),
  ];
  const count = `(${rows.length} row${rows.length === 1 ? '' : 's'})`;
  return `${lines.map((l) => l.trimEnd()).join('\n')}\n${count}\n`;
}

export function formatRows(
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
  format: OutputFormat,
): string {
  if (format === 'json') return formatJson(rows);
  if (format === 'csv') return formatCsv(columns, rows);
  return formatTable(columns, rows);
}
