import { describe, expect, it } from 'vitest';
import { cellText, formatCsv, formatJson, formatRows, formatTable, jsonSafe } from '../../reports/sql.js';

const columns = ['run_id', 'n', 'big', 'rate', 'note'];
const rows = [
  { run_id: 'abc-1', n: 3n, big: 9_007_199_254_740_993n, rate: 0.25, note: 'plain' },
  { run_id: 'abc-2', n: 12n, big: -5n, rate: null, note: 'has, "quotes"\nand a newline' },
];

describe('sql output formatting', () => {
  it('turns bigints into numbers when exact and strings when not', () => {
    expect(jsonSafe(3n)).toBe(3);
    expect(jsonSafe(9_007_199_254_740_993n)).toBe('9007199254740993');
    expect(jsonSafe({ a: [1n, new Date(0)] })).toEqual({ a: [1, '1970-01-01T00:00:00.000Z'] });
    expect(jsonSafe(Number.NaN)).toBe('NaN');
    expect(cellText(null)).toBe('NULL');
    expect(cellText(9_007_199_254_740_993n)).toBe('9007199254740993');
  });

  it('prints JSON that parses back', () => {
    expect(JSON.parse(formatJson(rows))).toEqual([
      { run_id: 'abc-1', n: 3, big: '9007199254740993', rate: 0.25, note: 'plain' },
      { run_id: 'abc-2', n: 12, big: -5, rate: null, note: 'has, "quotes"\nand a newline' },
    ]);
  });

  it('prints RFC 4180 CSV: header, quoted fields, empty NULL', () => {
    expect(formatCsv(columns, rows)).toBe(
      'run_id,n,big,rate,note\nabc-1,3,9007199254740993,0.25,plain\nabc-2,12,-5,,"has, ""quotes""\nand a newline"\n',
    );
  });

  it('prints an aligned table with numbers right-aligned and a row count', () => {
    const text = formatTable(columns, rows);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('run_id |  n |              big | rate | note');
    expect(lines[2]).toBe('abc-1  |  3 | 9007199254740993 | 0.25 | plain');
    expect(lines[3]).toBe('abc-2  | 12 |               -5 | NULL | has, "quotes" and a newline');
    expect(lines.at(-1)).toBe('(2 rows)');
    expect(formatRows(['x'], [], 'table')).toBe('x\n-\n(0 rows)\n');
  });
});
