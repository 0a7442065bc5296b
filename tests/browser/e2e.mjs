// Browser tests of `hailsham serve`'s page: a plain Node script, no test runner.
//
// It drives Debian's Chromium (headless, through playwright-core) against a running
// server at $HAILSHAM_URL, walks the page as a reader would, asserts what it sees at each
// step and saves a screenshot of each to tests/browser/artifacts/NN-name.png. It exits
// non-zero, saying which step failed and why, at the first failure.
//
//   HAILSHAM_URL=http://127.0.0.1:8370 node tests/browser/e2e.mjs

import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {AxeBuilder} from '@axe-core/playwright';
import {launch, needChromium} from './browser.mjs';

const BASE = (process.env.HAILSHAM_URL || '').replace(/\/+$/, '');
const here = path.dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = path.join(here, 'artifacts');

// Waits, in milliseconds. A page or an API answer comes at once; a run or a sift runs
// replicates of the model, which takes seconds on a small machine: give those room.
const QUICK = 15_000;
const RUN = 240_000;

if (!BASE) {
  console.error('error: set HAILSHAM_URL to the server, e.g. HAILSHAM_URL=http://127.0.0.1:8370');
  process.exit(2);
}
needChromium();
fs.mkdirSync(ARTIFACTS, {recursive: true});
// Screenshots of an earlier run would be mistaken for this one's.
for (const file of fs.readdirSync(ARTIFACTS)) {
  if (file.endsWith('.png')) fs.rmSync(path.join(ARTIFACTS, file));
}

class Failure extends Error {}

function assert(condition, message) {
  if (!condition) throw new Failure(message);
}

// WCAG 2.2 AA, as axe-core checks it: every step's page must pass these rules.
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

// Fails with each violation of AXE_TAGS on `page` as it stands, its rule, its impact and the
// first elements it names; says how many rules passed.
async function accessible(page) {
  const result = await new AxeBuilder({page}).withTags(AXE_TAGS).analyze();
  const found = result.violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help}; ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  assert(found.length === 0, `accessibility (WCAG 2.2 AA, axe-core):\n    ${found.join('\n    ')}`);
  console.log(`  accessible: ${result.passes.length} axe-core rules pass, none fails`);
}

// The page's own uncaught errors fail the step they happen in.
const pageErrors = [];

function watch(page) {
  page.on('pageerror', (error) => pageErrors.push(String(error && error.stack ? error.stack : error)));
  page.on('console', (message) => {
    if (message.type() === 'error') console.log(`  (browser console) ${message.text()}`);
  });
}

async function shot(page, name) {
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({path: file, fullPage: true});
  console.log(`  screenshot ${path.relative(process.cwd(), file)}`);
}

let passed = 0;

async function step(number, name, page, body) {
  const label = `${String(number).padStart(2, '0')}-${name}`;
  const started = Date.now();
  console.log(`step ${label}`);
  try {
    // The page the body leaves, or another it names (a second tab, a phone's).
    const checked = (await body()) || page;
    assert(pageErrors.length === 0, `the page threw: ${pageErrors.join('\n')}`);
    await accessible(checked);
    passed += 1;
    console.log(`  ok (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    await shot(page, `${label}-failed`).catch(() => {});
    const why = error instanceof Failure ? error.message : (error && error.stack) || String(error);
    console.error(`FAILED step ${label}: ${why}`);
    console.log(`${passed} passed, 1 failed`);
    await browser.close().catch(() => {});
    process.exit(1);
  }
}

// Opens a page of the app by its hash and waits for the view to draw its title.
async function open(page, hash) {
  await page.goto(`${BASE}/${hash}`);
  await page.locator('h1').first().waitFor({timeout: QUICK});
}

const {browser, page} = await launch();
watch(page);

// (a) The home page lists the questions; one of them opens with its answer.
let questionPath = '';
await step(1, 'home', page, async () => {
  await open(page, '#/');
  await page.locator('.card').first().waitFor({timeout: QUICK});
  const cards = await page.locator('.card').count();
  assert(cards >= 1, 'the home page shows no question cards');
  console.log(`  ${cards} question cards`);
  await shot(page, '01-home');
});

await step(2, 'question', page, async () => {
  const preferred = page.locator('.card[data-scenario="single-harvest"] h2 a');
  const link = (await preferred.count()) ? preferred : page.locator('.card h2 a').first();
  const question = (await link.innerText()).trim();
  await link.click();
  await page.locator('h1', {hasText: question}).waitFor({timeout: QUICK});
  questionPath = new URL(page.url()).hash;
  // A fresh store has not run it: the page offers to, and the answer follows the runs.
  const runIt = page.locator('.answer-section button', {hasText: 'Run it'});
  if (await runIt.count()) {
    console.log('  not run yet: pressing Run it');
    await runIt.click();
  }
  const answer = page.locator('.answer.big');
  await answer.waitFor({timeout: RUN});
  const text = (await answer.innerText()).trim();
  assert(text.length > 10, `the answer is empty or too short: "${text}"`);
  console.log(`  answer: ${text.slice(0, 100)}`);
  await page.locator('table.figures tbody tr').first().waitFor({timeout: QUICK});
  await page.locator('.chart canvas').first().waitFor({timeout: QUICK});
  await shot(page, '02-question');
});

// (b) The editor: a value out of range is named in the diagnostics, and at its control.
await step(3, 'editor-invalid', page, async () => {
  await open(page, '#/editor');
  await page.locator('.param input[type="number"]').first().waitFor({state: 'attached', timeout: QUICK});
  const target = await page.evaluate(() => {
    const inputs = [...document.querySelectorAll('.param input[type="number"]')]
      .filter((i) => !i.disabled && i.max !== '');
    const chosen = inputs.find((i) => i.dataset.key === 'care.carer_share') || inputs[0];
    return chosen ? {key: chosen.dataset.key, max: Number(chosen.max), step: chosen.step} : null;
  });
  assert(target, 'the editor shows no unlocked number parameter with a range');
  const bad = target.step === '1' ? String(target.max + 1) : String(target.max * 2 + 1);
  console.log(`  typing ${bad} into ${target.key}`);
  await page.getByLabel('Find').fill(target.key);
  const input = page.locator(`.param input[data-key="${target.key}"]`);
  await input.waitFor({state: 'visible', timeout: QUICK});
  await input.fill(bad);
  const toml = await page.locator('textarea.toml').inputValue();
  assert(toml.includes(bad), `the scenario text does not hold the typed value ${bad}:\n${toml}`);
  // The diagnostic names the key (as `section.key`, or at least the key's own name).
  const diagnostic = page.locator('.check ul.diagnostics li', {hasText: target.key.split('.').pop()});
  await diagnostic.waitFor({timeout: QUICK});
  console.log(`  diagnostic: ${(await diagnostic.innerText()).trim()}`);
  await page.locator(`.param.invalid[data-key="${target.key}"]`).waitFor({timeout: QUICK});
  const live = await page.locator('.check').getAttribute('aria-live');
  assert(live === 'polite', 'the diagnostics are not in an aria-live region');
  await shot(page, '03-editor-invalid');
});

// (c) A run of one replicate: its progress, then its figures and a chart.
await step(4, 'run-progress', page, async () => {
  await open(page, '#/editor/single-harvest');
  await page.locator('.check-status.ok').waitFor({timeout: QUICK});
  await page.getByLabel('Replicates', {exact: true}).fill('1');
  await page.getByRole('button', {name: 'Run', exact: true}).click();
  await page.waitForURL(/#\/run\//, {timeout: QUICK});
  await page.locator('progress').waitFor({state: 'attached', timeout: QUICK});
  await shot(page, '04-run-progress');
});

await step(5, 'run-chart', page, async () => {
  await page.locator('.chart canvas').first().waitFor({timeout: RUN});
  const done = await page.locator('progress').evaluate((bar) => bar.value === bar.max);
  assert(done, 'the chart is shown but the progress bar is not full');
  const words = (await page.locator('.progress-words').innerText()).trim();
  assert(/complete/i.test(words), `the progress does not say the run is complete: "${words}"`);
  const rows = await page.locator('table.figures tbody tr').count();
  assert(rows > 0, 'the run shows no figures');
  const bars = await page.locator('.bars .bar-track[aria-label]').count();
  assert(bars === 4, `how donors completed should have a bar for each of four donations, not ${bars}`);
  const label = await page.locator('.chart .plot').first().getAttribute('aria-label');
  assert(label && label.length > 20, 'the chart has no accessible description');
  await shot(page, '05-run-chart');
  // The run's portable address (its request, not this store's number) finds the same run.
  const runUrl = page.url();
  const permalink = await page.locator('a.permalink').getAttribute('href');
  assert(permalink && permalink.startsWith('#/request?'), `no portable address for the run: ${permalink}`);
  await page.goto(`${BASE}/${permalink}`);
  await page.waitForURL(/#\/run\/\d+$/, {timeout: QUICK});
  assert(page.url() === runUrl, `the address ${permalink} led to ${page.url()}, not ${runUrl}`);
});

// (d) People: the narrator pattern finds matches; one of them opens as a life.
let lifeWithCarer = null;
await step(6, 'people', page, async () => {
  await open(page, '#/people');
  await page.getByRole('button', {name: 'narrator', exact: true}).click();
  await page.waitForURL(/#\/people\/narrator/, {timeout: QUICK});
  await page.locator('ol.matches li a.match-link').first().waitFor({timeout: RUN});
  const matches = await page.locator('ol.matches li').count();
  assert(matches >= 1, 'narrator found no matches');
  console.log(`  ${matches} matches listed`);
  await shot(page, '06-people');
});

await step(7, 'life', page, async () => {
  const hrefs = await page.locator('ol.matches li a.match-link').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  // A narrator still at work when the run ends has no carer of her own; try a few.
  for (const href of hrefs.slice(0, 5)) {
    await open(page, href);
    await page.locator('.story p').first().waitFor({timeout: RUN});
    if (await page.locator('a.person[data-role^="carer"]').count()) {
      lifeWithCarer = href;
      break;
    }
    console.log(`  ${href}: no carer named; trying the next match`);
  }
  const paragraphs = await page.locator('.story p').count();
  assert(paragraphs >= 1, 'the life has no story');
  await shot(page, '07-life');
});

// (e) Her carer's life, by the link in her story.
await step(8, 'carer', page, async () => {
  let link = page.locator('a.person[data-role^="carer"]').first();
  if (!lifeWithCarer) {
    console.log('  none of the first matches names a carer: following the first person named instead');
    link = page.locator('a.person').first();
    assert(await link.count(), 'the life names nobody to follow');
  }
  const name = (await link.innerText()).trim();
  const href = await link.getAttribute('href');
  await link.click();
  await page.waitForURL((url) => url.hash === href, {timeout: QUICK});
  await page.locator('.story p').first().waitFor({timeout: RUN});
  const title = (await page.locator('h1').innerText()).trim();
  assert(title.includes(name), `the life opened is titled "${title}", not the carer "${name}"`);
  await shot(page, '08-carer');
});

// A phone-sized screen: one column, nothing wider than the screen.
await step(9, 'phone', page, async () => {
  const phone = await browser.newContext({viewport: {width: 390, height: 844}, deviceScaleFactor: 1, isMobile: true});
  const small = await phone.newPage();
  watch(small);
  await small.goto(`${BASE}/${questionPath || '#/'}`);
  await small.locator('h1').first().waitFor({timeout: QUICK});
  await small.locator('.chart canvas, .card').first().waitFor({timeout: QUICK});
  const overflow = await small.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert(overflow <= 1, `the page is ${overflow}px wider than a phone's screen`);
  await shot(small, '09-phone');
  await phone.close();
});

// The routes the walk above does not reach, each checked against WCAG 2.2 AA on its own: the
// list of runs, the form to request one, the comparison of the question's two runs, the list
// of sweeps and one sweep's runs.
await step(10, 'every-route', page, async () => {
  // Two complete runs of one request but the scenario (the question's): comparable.
  const listed = await (await fetch(`${BASE}/api/runs`)).json();
  const complete = (listed.runs || []).filter((r) => r.status === 'complete');
  const same = (a, b) => a.seed === b.seed && a.replicates === b.replicates
    && a.start_year === b.start_year && a.end_year === b.end_year && a.id !== b.id;
  const first = complete.find((a) => complete.some((b) => same(a, b)));
  assert(first, `two comparable complete runs, among ${complete.length}`);
  const second = complete.find((b) => same(first, b));
  // run.sh put one sweep in the store.
  const sweeps = (await (await fetch(`${BASE}/api/sweeps`)).json()).sweeps || [];
  assert(sweeps.length === 1 && sweeps[0].runs_done === 8, `one sweep of 8 runs: ${JSON.stringify(sweeps)}`);
  for (const hash of ['#/runs', '#/request', `#/compare/${first.id},${second.id}`, '#/sweeps',
    `#/sweep/${sweeps[0].id}`]) {
    await open(page, hash);
    await page.waitForLoadState('networkidle');
    await accessible(page);
    console.log(`  ${hash}`);
  }
  assert(await page.locator('table tbody tr').count() === 8, 'the sweep shows its eight runs');
});

await browser.close();
console.log(`${passed} passed, 0 failed`);
