/**
 * Opens the HTML report in a real Chromium: no console errors, no failed or
 * non-local requests, every plot drawn (title and axis titles included).
 * Saves out/report.png. Needs /usr/bin/chromium: never skipped.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { plotCount, renderReport } from '../../reports/html.js';
import { fixtureRuns } from './fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const OUT_DIR = resolve('out');

let browser: Browser | undefined;
afterAll(async () => browser?.close());

async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error('install Chromium: bash scripts/install-chromium.sh');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  return browser;
}

describe('HTML report in Chromium', () => {
  it('renders every plot with no errors and no network, and saves a screenshot', async () => {
    const runs = fixtureRuns();
    mkdirSync(OUT_DIR, { recursive: true });
    const htmlPath = join(OUT_DIR, 'report.html');
    writeFileSync(htmlPath, renderReport(runs));
    const page = await (await launch()).newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`failed request: ${r.url()}`));
    page.on('request', (r) => {
      if (!/^(file|data):/.test(r.url())) problems.push(`network request: ${r.url()}`);
    });
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
    const drawn = await page.evaluate('window.billsimReady');
    const expected = plotCount(runs);
    expect(drawn).toBe(expected);
    expect(await page.locator('.js-plotly-plot').count()).toBe(expected);
    expect(await page.locator('.js-plotly-plot svg.main-svg').count()).toBeGreaterThanOrEqual(expected);
    expect(await page.locator('.js-plotly-plot .gtitle').count()).toBe(expected);
    expect(await page.locator('.js-plotly-plot .xtitle').count()).toBe(expected);
    expect(await page.locator('.js-plotly-plot .ytitle').count()).toBe(expected);
    expect(await page.locator('figcaption').count()).toBe(expected);
    await page.screenshot({ path: join(OUT_DIR, 'report.png'), fullPage: true });
    expect(problems).toEqual([]);
  });
});
