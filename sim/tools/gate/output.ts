/** The gate's verdict four ways: a terminal table, JSON, a Markdown summary, JUnit XML (one test case per metric). */
import { table as textTable } from '../../../reports/text.js';
import { formatInterval, formatStat } from '../../../reports/comparison-text.js';
import type { GateCase, GateReport } from './evaluate.js';

function headline(report: GateReport): string {
  const failed = report.cases.filter((c) => !c.pass).length;
  return report.pass
    ? `PASS: all ${report.cases.length} metrics hold`
    : `FAIL: ${failed} of ${report.cases.length} metrics failed`;
}

function title(report: GateReport): string {
  return `gate ${report.scenario} · ${report.policies} · seeds ${report.seeds.join(', ')} · against ${report.against}`;
}

function checkText(c: GateCase): string {
  return c.checks.map((k) => `${k.text}${k.pass ? '' : ' ✗'}`).join('; ');
}

export function formatGate(report: GateReport): string {
  const rows = report.cases.map((c) => [
    c.metric,
    formatStat(c.interval.mean),
    formatInterval(c.interval),
    checkText(c),
    c.pass ? 'pass' : 'FAIL',
  ]);
  return [
    title(report),
    '',
    textTable([['metric', 'mean', '95 % CI', 'checks', 'result'], ...rows]),
    '',
    headline(report),
    '',
  ].join('\n');
}

/** \`gate --json\`: the whole report as one object; a metric a run could not measure is null, never 0. */
export function gateJson(report: GateReport): string {
  const exitCode = report.pass ? 0 : 1;
  return JSON.stringify({ kind: 'billsim-gate', ...report, exitCode }, (_key, value: unknown) =>
    typeof value === 'number' && !Number.isFinite(value) ? null : value,
  );
}

const mdCell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function gateMarkdown(report: GateReport): string {
  const rows = report.cases.map(
    (c) =>
      `| ${c.pass ? '✅' : '❌'} | \`${c.metric}\` | ${mdCell(formatStat(c.interval.mean))} | ${mdCell(formatInterval(c.interval))} | ${mdCell(checkText(c))} |`,
  );
  return [
    `### billsim gate: ${report.pass ? 'PASS' : 'FAIL'}`,
    '',
    mdCell(title(report)),
    '',
    '| | metric | mean | 95 % CI | checks |',
    '|---|---|---:|---:|---|',
    ...rows,
    '',
    `**${headline(report)}**`,
    '',
  ].join('\n');
}

function xml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function gateJUnit(report: GateReport): string {
  const failures = report.cases.filter((c) => !c.pass).length;
  const suite = `billsim gate ${report.scenario} ${report.policies}`;
  const cases = report.cases.map((c) => {
    const open = `    <testcase classname="${xml(`billsim.gate.${report.scenario}.${report.policies}`)}" name="${xml(c.metric)}" time="0"`;
    const detail = `mean ${formatStat(c.interval.mean)}, 95 % CI ${formatInterval(c.interval)}, per seed ${c.values.map(formatStat).join(', ')}`;
    if (c.pass) return `${open}><system-out>${xml(`${checkText(c)}: ${detail}`)}</system-out></testcase>`;
    const failed = c.checks
      .filter((k) => !k.pass)
      .map((k) => `${k.text} (observed ${formatStat(k.observed)})`)
      .join('; ');
    return `${open}><failure message="${xml(failed)}" type="threshold">${xml(detail)}</failure></testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="billsim gate" tests="${report.cases.length}" failures="${failures}">`,
    `  <testsuite name="${xml(suite)}" tests="${report.cases.length}" failures="${failures}" errors="0" skipped="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
