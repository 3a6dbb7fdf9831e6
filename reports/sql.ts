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

/** Column widths and alignment, from the rows at hand. */
interface TableLayout {
  readonly widths: readonly number[];
  readonly numeric: readonly boolean[];
}

function tableCells(columns: readonly string[], rows: readonly Record<string, unknown>[]): string[][] {
  return rows.map((r) => columns.map((c) => cellText(r[c]).replace(/\s+/g, ' ')));
}

function tableLayout(columns: readonly string[], rows: readonly Record<string, unknown>[]): TableLayout {
  const cells = tableCells(columns, rows);
  return {
    widths: columns.map((c, i) => Math.max(c.length, ...cells.map((row) => (row[i] ?? '').length))),
    numeric: columns.map(
      (c) => rows.length > 0 && rows.every((r) => ['number', 'bigint'].includes(typeof r[c]) || r[c] === null),
    ),
  };
}

function tableLines(layout: TableLayout, cells: readonly (readonly string[])[]): string[] {
  const pad = (text: string, i: number): string =>
    layout.numeric[i] ? text.padStart(layout.widths[i] ?? 0) : text.padEnd(layout.widths[i] ?? 0);
  return cells.map((row) => row.map(pad).join(' | ').trimEnd());
}

function tableHead(columns: readonly string[], layout: TableLayout): string {
  const rule = layout.widths.map((w) => '-'.repeat(w)).join('-+-');
  return `${[...tableLines(layout, [columns]), rule].join('\n')}\n`;
}

const rowCount = (count: number): string => `(${count} row${count === 1 ? '' : 's'})\n`;

/** Right-aligns numbers, left-aligns text; one header row, one rule, one line per row, and a row count. */
export function formatTable(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const layout = tableLayout(columns, rows);
  const body = tableLines(layout, tableCells(columns, rows));
  return `${tableHead(columns, layout)}${body.map((l) => `${l}\n`).join('')}${rowCount(rows.length)}`;
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

/** Writes rows chunk by chunk in one of the output formats, holding one chunk at a time. */
export interface RowWriter {
  rows(chunk: readonly Record<string, unknown>[]): void;
  end(): void;
}

/** CSV and JSON as formatCsv/formatJson would print them whole, written a chunk at a time. */
export function rowWriter(columns: readonly string[], format: OutputFormat, out: (text: string) => void): RowWriter {
  if (format === 'csv') return csvWriter(columns, out);
  if (format === 'json') return jsonWriter(out);
  return tableWriter(columns, out);
}

function csvWriter(columns: readonly string[], out: (text: string) => void): RowWriter {
  out(`${columns.map(csvField).join(',')}\n`);
  return {
    rows: (chunk) => {
      if (chunk.length > 0) out(`${chunk.map((r) => columns.map((c) => csvField(r[c])).join(',')).join('\n')}\n`);
    },
    end: () => undefined,
  };
}

function jsonWriter(out: (text: string) => void): RowWriter {
  let count = 0;
  const indent = (row: Record<string, unknown>): string =>
    `  ${JSON.stringify(jsonSafe(row), null, 2).replaceAll('\n', '\n  ')}`;
  return {
    rows: (chunk) => {
      if (chunk.length === 0) return;
      out(`${count === 0 ? '[\n' : ',\n'}${chunk.map(indent).join(',\n')}`);
      count += chunk.length;
    },
    end: () => out(count === 0 ? '[]\n' : '\n]\n'),
  };
}

/**
 * The aligned table, streamed: column widths and alignment come from the
 * first chunk (up to DuckDB's 2048 rows), so a result of one chunk prints
 * exactly as formatTable does; a wider cell further down widens only its own row.
 */
function tableWriter(columns: readonly string[], out: (text: string) => void): RowWriter {
  let count = 0;
  let layout: TableLayout | undefined;
  return {
    rows: (chunk) => {
      if (chunk.length === 0) return;
      if (layout === undefined) {
        layout = tableLayout(columns, chunk);
        out(tableHead(columns, layout));
      }
      out(
        tableLines(layout, tableCells(columns, chunk))
          .map((l) => `${l}\n`)
          .join(''),
      );
      count += chunk.length;
    },
    end: () => out(`${layout === undefined ? tableHead(columns, tableLayout(columns, [])) : ''}${rowCount(count)}`),
  };
}
