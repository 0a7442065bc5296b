// The page's speed goals, measured in headless Chromium against a running server: how long
// the page takes to load (navigation start to the load event, and to the questions drawn),
// best of five, and how long from the click on Run (England, novel with a new seed, one
// replicate) to the first chart on screen. A measurement, not a test: it prints figures for
// BENCHMARKS.md and fails only if the page does not work.
//
//   HAILSHAM_URL=http://127.0.0.1:8370 node tests/browser/timing.mjs

import {launch} from './browser.mjs';

const BASE = (process.env.HAILSHAM_URL || '').replace(/\/+$/, '');
if (!BASE) {
  console.error('error: set HAILSHAM_URL to the server');
  process.exit(2);
}

const {browser, page} = await launch();

const loads = [];
for (let i = 0; i < 5; i++) {
  const started = Date.now();
  await page.goto(`${BASE}/`, {waitUntil: 'load'});
  const loaded = Date.now() - started;
  await page.locator('h1').first().waitFor({timeout: 15_000});
  await page.locator('.card, article').first().waitFor({timeout: 15_000});
  const drawn = Date.now() - started;
  const timing = await page.evaluate(() => {
    const [n] = performance.getEntriesByType('navigation');
    return n ? {load: n.loadEventEnd - n.startTime, bytes: n.transferSize} : null;
  });
  loads.push({loaded, drawn, navigation: timing && timing.load});
}
const best = (key) => Math.min(...loads.map((l) => l[key]));
console.log(`page load, best of 5: ${best('navigation').toFixed(0)} ms to the load event (navigation timing), ${best('drawn')} ms to the questions drawn`);

// A run nobody has asked for before (a seed from the clock), so the store cannot serve it.
const seed = 100000 + (Date.now() % 100000);
await page.goto(`${BASE}/#/editor`);
await page.locator('.check-status.ok').waitFor({timeout: 15_000});
await page.getByLabel('Replicates', {exact: true}).fill('1');
await page.getByLabel('Seed', {exact: true}).fill(String(seed));
const clicked = Date.now();
await page.getByRole('button', {name: 'Run', exact: true}).click();
await page.waitForURL(/#\/run\//, {timeout: 15_000});
const routed = Date.now() - clicked;
await page.locator('.progress-words', {hasText: /complete/i}).waitFor({timeout: 120_000});
const complete = Date.now() - clicked;
await page.locator('.chart canvas').first().waitFor({timeout: 120_000});
console.log(`England, one replicate (seed ${seed}): first chart ${Date.now() - clicked} ms after the click on Run (the run's page after ${routed} ms, the run complete after ${complete} ms)`);
await browser.close();
