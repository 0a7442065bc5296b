// The page of `hailsham serve`: one script, no build step, no framework.
//
// Everything shown comes from the JSON API described in docs/serve.md. The page keeps its
// state in the address after `#` (the "Permalinks" of docs/serve.md), so each view is a
// function of the hash: a hash change throws the old view away and draws the new one.
//
// Sections, in order: helpers (DOM, API, numbers), charts, the router, then one function
// per view (home, question, editor, run, runs, compare, people, life).

'use strict';

// ---------------------------------------------------------------------------------------
// Defaults. A question is answered from runs the store already holds; the page asks for
// the same defaults as `hailsham questions` (seed 1, five replicates) so that they match.

const DEFAULT_SEED = 1;
const DEFAULT_REPLICATES = 5;
const CHECK_DELAY_MS = 400; // how long typing must pause before the scenario is checked

// One colour per scenario on every chart: the baseline (novel) first.
const COLOURS = ['#2f5d8a', '#b0502c', '#4d7c3a', '#7a4f9a', '#8a6d1f', '#3b7f7f'];

// ---------------------------------------------------------------------------------------
// DOM helpers

// el('p', {class: 'x', onclick: f}, 'text', child, ...): a small element builder, so that
// views read as the structure they make. Children may be strings, nodes, arrays or null.
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      node.className = value;
    } else if (name === 'dataset') {
      Object.assign(node.dataset, value);
    } else if (name in node && typeof value !== 'string') {
      node[name] = value; // properties such as checked, disabled, value
    } else {
      node.setAttribute(name, value === true ? '' : value);
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// A heading that takes focus after navigation, so keyboard and screen-reader users land
// on the new page's title rather than somewhere in the old one.
function pageTitle(text, kicker) {
  return [
    kicker ? el('p', {class: 'kicker'}, kicker) : null,
    el('h1', {tabindex: '-1', class: 'page-title'}, text),
  ];
}

// Gives every cell of a table the name of its column (data-label), so that on a narrow
// screen each row can stand as a small block of labelled values instead of scrolling.
function stackable(table) {
  table.classList.add('stack');
  const heads = [...table.querySelectorAll('thead th')].map((th) => th.textContent);
  for (const row of table.querySelectorAll('tbody tr')) {
    [...row.children].forEach((cell, i) => {
      if (heads[i]) cell.dataset.label = heads[i];
    });
  }
  return table;
}

function status(text) {
  return el('p', {class: 'status', role: 'status'}, text);
}

// Ids must be unique in the page; a counter is simpler than deriving them from content.
let idCounter = 0;
function uid(prefix) {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

function hashFor(path, query) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query || {})) {
    if (value !== null && value !== undefined && value !== '') search.set(key, value);
  }
  const tail = search.toString();
  return `#/${path}${tail ? `?${tail}` : ''}`;
}

function lifeHash(id, scenario, seed, replicate, against) {
  return hashFor(`life/${encodeURIComponent(id)}`, {scenario, seed, replicate, against});
}

// ---------------------------------------------------------------------------------------
// The API. Every answer is JSON; so is every error: `{ error, help }`, or a scenario's
// diagnostics, or a pattern's line and column. An ApiError keeps the whole body.

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error) || `the server answered ${status}`);
    this.status = status;
    this.body = body || {};
  }
}

async function api(path, options = {}) {
  const init = {method: options.method || 'GET', headers: {Accept: 'application/json'}};
  if (options.body !== undefined) {
    init.body = JSON.stringify(options.body);
    init.headers['Content-Type'] = 'application/json';
  }
  if (options.signal) init.signal = options.signal;
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(0, {
      error: 'the hailsham server cannot be reached',
      help: 'is `hailsham serve` still running? Start it again and reload the page.',
    });
  }
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = {error: `the server answered ${response.status} with something that is not JSON`};
  }
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

// Small lists the page needs often and that do not change while the server runs.
const cache = new Map();
function cached(path) {
  if (!cache.has(path)) {
    const promise = api(path);
    promise.catch(() => cache.delete(path)); // a failure should be retried next time
    cache.set(path, promise);
  }
  return cache.get(path);
}

// A readable message for any failure: the API's `error` and `help`, never a blank page.
function errorBox(error, what) {
  const body = (error && error.body) || {};
  const message = body.error || (error && error.message) || String(error);
  return el('div', {class: 'error-box', role: 'alert'},
    el('p', {}, el('strong', {}, what ? `${what}: ` : 'Something went wrong: '), message),
    body.help ? el('p', {class: 'help'}, body.help) : null,
    Array.isArray(body.diagnostics) && body.diagnostics.length
      ? diagnosticList(body.diagnostics) : null);
}

function diagnosticList(diagnostics, onGo) {
  return el('ul', {class: 'diagnostics'}, diagnostics.map((d) => el('li', {},
    el('span', {class: 'where'},
      d.line ? `line ${d.line}${d.column ? `, column ${d.column}` : ''}` : 'the scenario',
      d.key ? [' · ', el('code', {}, d.key)] : null),
    ' ', d.message,
    d.help ? el('span', {class: 'help'}, `help: ${d.help}`) : null,
    onGo && d.line ? [' ', el('button', {type: 'button', class: 'link-button',
      onclick: () => onGo(d)}, `go to line ${d.line}`)] : null)));
}

// ---------------------------------------------------------------------------------------
// Numbers. Figures are `{ key, label, unit, mean, low, high }`; a share is a fraction from
// 0 to 1, shown as a percentage, and a difference of shares in percentage points.

// A true minus sign: a hyphen is easy to miss in a column of numbers.
function minus(text) {
  return text.replace(/^-/, '\u2212');
}

function fmtNumber(x) {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  const size = Math.abs(x);
  if (size > 0 && size < 0.01) return minus(x.toPrecision(2));
  let digits;
  if (size >= 100 || Number.isInteger(x)) digits = 0;
  else if (size >= 10) digits = 1;
  else if (size >= 1) digits = 2;
  else digits = 3;
  return minus(x.toLocaleString('en-GB', {maximumFractionDigits: digits}));
}

function fmtValue(x, unit, difference) {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  if (unit === 'share') {
    const points = x * 100;
    // A small share keeps two significant digits, so 0.003% does not read as 0%.
    const text = minus(Math.abs(points) < 1 && points !== 0
      ? points.toLocaleString('en-GB', {maximumSignificantDigits: 2})
      : points.toLocaleString('en-GB', {maximumFractionDigits: Math.abs(points) < 10 ? 2 : 1}));
    return difference ? `${points > 0 ? '+' : ''}${text} pp` : `${text}%`;
  }
  const text = fmtNumber(x);
  return difference && x > 0 ? `+${text}` : text;
}

// The digits the server printed (the terminal's own), where it sent them: the page and the
// command line never round one figure two ways.
function printedOr(figure, end, text) {
  const printed = figure && figure.printed && figure.printed[end];
  return printed && printed !== 'n/a' ? minus(printed) : text;
}

function fmtInterval(figure, difference) {
  if (!figure || !Number.isFinite(figure.low) || !Number.isFinite(figure.high)) return '';
  const low = printedOr(figure, 'low', fmtValue(figure.low, figure.unit, difference));
  const high = printedOr(figure, 'high', fmtValue(figure.high, figure.unit, difference));
  return `${low} to ${high}`;
}

// A difference is clear when its interval excludes zero (the `*` of `hailsham compare`).
function isClear(difference) {
  return difference && Number.isFinite(difference.low) && Number.isFinite(difference.high)
    && (difference.low > 0 || difference.high < 0);
}

function unitWords(unit) {
  return unit && unit !== 'share' ? unit : '';
}

// A figure's row heading: its label (which names any window but the whole run), with the
// years it covers on hover.
function figureHeading(f) {
  return el('th', f.covers ? {scope: 'row', title: `Covers ${f.covers}.`} : {scope: 'row'}, f.label);
}

// A figure as a table cell: the mean, and under it the interval.
function figureCell(figure, unit, difference) {
  if (!figure) return el('td', {class: 'num'}, '–');
  const withUnit = {...figure, unit: figure.unit || unit};
  const cell = el('td', {class: `num${difference && isClear(figure) ? ' clear' : ''}`},
    el('span', {class: 'mean'}, printedOr(figure, 'mean', fmtValue(figure.mean, withUnit.unit, difference))),
    difference && isClear(figure) ? el('span', {class: 'mark', title: 'the interval excludes zero'}, ' *') : null);
  const interval = fmtInterval(withUnit, difference);
  if (interval) append(cell, [el('span', {class: 'interval'}, interval)]);
  return cell;
}

function fmtWhen(value) {
  if (value === null || value === undefined || value === '') return '–';
  // The contract does not say whether times are seconds, milliseconds or text: take all.
  const date = typeof value === 'number'
    ? new Date(value < 1e12 ? value * 1000 : value) : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return date.toLocaleString('en-GB', {dateStyle: 'medium', timeStyle: 'short'});
}

// Whether a parameter is the book's own world (canon or novel), locked by default.
function isFixed(param) {
  return param.tag === 'canon' || param.tag === 'novel';
}

function words(name) {
  return String(name).replace(/_/g, ' ');
}

// ---------------------------------------------------------------------------------------
// Charts. Each chart is one series column over the years, one line per scenario (its mean)
// with its 95% interval shaded as a band. uPlot's own legend is replaced by one line of
// text under the chart that reads out the year under the cursor, so the values can be read
// without a crowded legend; the chart also carries an aria-label and a text summary, and a
// table of the numbers for anyone who cannot see it.

const liveCharts = new Set();
window.addEventListener('resize', () => {
  for (const chart of liveCharts) chart.fit();
});

function alpha(hex, a) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
}

// "students in novel: 120 in 1952, highest 12,345 in 1975, 9,876 in 1999".
function describeLine(line, years, unit) {
  let first = -1;
  let last = -1;
  let peak = -1;
  line.mean.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) return;
    if (first < 0) first = i;
    last = i;
    if (peak < 0 || v > line.mean[peak]) peak = i;
  });
  if (first < 0) return `${line.label}: no values.`;
  const at = (i) => `${fmtValue(line.mean[i], unit)} in ${years[i]}`;
  const parts = [at(first)];
  if (peak !== first && peak !== last) parts.push(`highest ${at(peak)}`);
  if (last !== first) parts.push(at(last));
  return `${line.label}: ${parts.join(', ')}.`;
}

// spec: { title, unit, years, lines: [ { label, mean, low, high } ] }. Returns a <figure>;
// call its mount() once it is in the document (uPlot needs the width it is given).
function chartFigure(spec) {
  const titleId = uid('chart-title');
  const summary = spec.lines.map((line) => describeLine(line, spec.years, spec.unit)).join(' ');
  const plot = el('div', {class: 'plot', role: 'img',
    'aria-label': `Chart of ${spec.title} by year${spec.unit ? `, in ${spec.unit}` : ''}. ${summary}`});
  const readout = el('p', {class: 'readout'}, 'Point at the chart to read one year’s values.');
  const figure = el('figure', {class: 'chart', 'aria-labelledby': titleId},
    el('figcaption', {id: titleId}, spec.title, spec.unit ? el('span', {class: 'unit'}, ` (${spec.unit})`) : null),
    el('p', {class: 'legend'}, spec.lines.map((line, i) => el('span', {class: 'key'},
      el('span', {class: 'swatch', style: `background:${COLOURS[i % COLOURS.length]}`}), line.label))),
    plot, readout,
    el('p', {class: 'summary'}, summary),
    numbersTable(spec));

  figure.mount = () => {
    if (typeof uPlot === 'undefined') {
      plot.replaceWith(el('p', {class: 'error-box'}, 'The chart library did not load; the numbers are below.'));
      return;
    }
    const data = [spec.years];
    const series = [{label: 'year'}];
    const bands = [];
    spec.lines.forEach((line, i) => {
      const colour = COLOURS[i % COLOURS.length];
      const base = data.length;
      data.push(line.mean, line.low || line.mean, line.high || line.mean);
      series.push(
        {label: line.label, stroke: colour, width: 2, points: {show: false}},
        {label: `${line.label} low`, stroke: alpha(colour, 0.35), width: 1, points: {show: false}},
        {label: `${line.label} high`, stroke: alpha(colour, 0.35), width: 1, points: {show: false}});
      bands.push({series: [base + 2, base + 1], fill: alpha(colour, 0.14)});
    });
    const axisValue = (u, values) => values.map((v) => fmtValue(v, spec.unit));
    const options = {
      width: Math.max(plot.clientWidth, 240),
      height: plot.clientWidth < 500 ? 200 : 240,
      legend: {show: false},
      cursor: {drag: {x: false, y: false}, points: {size: 6}},
      scales: {x: {time: false}},
      axes: [
        {stroke: '#4a4a4a', grid: {stroke: '#e8e2d6'}, ticks: {stroke: '#d8d0c0'},
          incrs: [1, 2, 5, 10, 20, 25, 50, 100], values: (u, values) => values.map(String)},
        {stroke: '#4a4a4a', grid: {stroke: '#e8e2d6'}, ticks: {stroke: '#d8d0c0'},
          values: axisValue,
          size: (u, values) => 14 + 7 * Math.max(3, ...(values || []).map((v) => String(v).length))},
      ],
      series,
      bands,
      hooks: {setCursor: [(u) => showReadout(u.cursor.idx)]},
    };
    const chart = new uPlot(options, data, plot);
    const handle = {
      fit: () => chart.setSize({width: Math.max(plot.clientWidth, 240), height: options.height}),
      destroy: () => chart.destroy(),
    };
    liveCharts.add(handle);
    onCleanup(() => {
      liveCharts.delete(handle);
      handle.destroy();
    });
  };

  function showReadout(i) {
    if (i === null || i === undefined) return;
    readout.textContent = `${spec.years[i]}: ` + spec.lines.map((line) => {
      const range = line.low && line.high
        ? ` (${fmtValue(line.low[i], spec.unit)} to ${fmtValue(line.high[i], spec.unit)})` : '';
      return `${line.label} ${fmtValue(line.mean[i], spec.unit)}${range}`;
    }).join(' · ');
  }
  return figure;
}

function numbersTable(spec) {
  return el('details', {class: 'numbers'},
    el('summary', {}, 'The numbers'),
    el('div', {class: 'scroll'}, el('table', {},
      el('caption', {}, `${spec.title} by year: mean and 95% interval`),
      el('thead', {}, el('tr', {}, el('th', {scope: 'col'}, 'year'),
        spec.lines.map((line) => el('th', {scope: 'col'}, line.label)))),
      el('tbody', {}, spec.years.map((year, i) => el('tr', {},
        el('th', {scope: 'row'}, String(year)),
        spec.lines.map((line) => figureCell(
          {mean: line.mean[i], low: line.low && line.low[i], high: line.high && line.high[i]},
          spec.unit))))))));
}

// Series columns charted first, when a run has them: the stages of a life and what the
// programme is for. Any other column can be added from a select.
const FIRST_COLUMNS = ['students', 'veterans', 'carers', 'donors', 'donations', 'waiting_deaths'];

// A set of charts over one or more runs' series, with a select to add any other column.
// runs: [ { label, series: { years, columns: [ { name, unit, mean, low, high } ] } } ].
function chartsSection(runs, preferred) {
  const section = el('section', {class: 'charts'}, el('h2', {}, 'Year by year'));
  const columns = runs[0].series && runs[0].series.columns ? runs[0].series.columns : [];
  if (!columns.length) {
    append(section, [el('p', {}, 'This run has no yearly series.')]);
    return section;
  }
  const names = columns.map((c) => c.name);
  const wanted = [...new Set([...(preferred || []), ...FIRST_COLUMNS])].filter((n) => names.includes(n)).slice(0, 6);
  if (!wanted.length) wanted.push(...names.slice(0, 4));
  const grid = el('div', {class: 'chart-grid'});
  const shown = new Set();

  function add(name) {
    if (shown.has(name)) return;
    shown.add(name);
    const lines = runs.map((run) => {
      const column = (run.series.columns || []).find((c) => c.name === name);
      return column ? {label: run.label, mean: column.mean, low: column.low, high: column.high} : null;
    }).filter(Boolean);
    const column = columns.find((c) => c.name === name);
    const figure = chartFigure({title: words(name), unit: column.unit, years: runs[0].series.years, lines});
    grid.append(figure);
    figure.mount();
  }

  const selectId = uid('add-chart');
  const select = el('select', {id: selectId},
    el('option', {value: ''}, 'choose a column…'),
    names.map((n) => el('option', {value: n}, words(n))));
  select.addEventListener('change', () => {
    if (select.value) add(select.value);
    select.value = '';
  });
  append(section, [
    el('p', {class: 'muted'}, 'Lines are means over the replicates; the shaded band is the 95% interval across them.'),
    grid,
    el('p', {class: 'add-chart'}, el('label', {for: selectId}, 'Add a chart of '), select),
  ]);
  // Charts are mounted once the section is in the page, when they have a width.
  section.mountCharts = () => wanted.forEach(add);
  return section;
}

// ---------------------------------------------------------------------------------------
// Following a run: server-sent events from /api/runs/ID/events.

const TERMINAL = ['complete', 'failed', 'cancelled', 'interrupted'];

// Calls onProgress(done, total) as replicate-years finish and onEnd(status, data) once.
// Returns a function that stops listening (also called when the view goes away).
function followRun(id, onProgress, onEnd) {
  let over = false;
  let polling = null;
  const source = new EventSource(`/api/runs/${encodeURIComponent(id)}/events`);
  const stop = () => {
    over = true;
    source.close();
    clearInterval(polling);
  };
  const end = (state, data) => {
    if (over) return;
    stop();
    onEnd(state, data || {});
  };
  const parse = (event) => {
    try {
      return JSON.parse(event.data || '{}');
    } catch {
      return {};
    }
  };
  source.addEventListener('progress', (event) => {
    const data = parse(event);
    onProgress(data.done, data.total);
  });
  for (const state of ['complete', 'failed', 'cancelled']) {
    source.addEventListener(state, (event) => end(state, parse(event)));
  }
  // The stream dropped (the server ended it, or went away). Ask the run itself, so that a
  // run that ended while we were not listening is not shown as running for ever; and if
  // the browser gives up on the stream for good (it was not an event stream), poll.
  const ask = async () => {
    if (over) return;
    try {
      const head = await api(`/api/runs/${encodeURIComponent(id)}`);
      if (TERMINAL.includes(head.status)) end(head.status, head);
    } catch (error) {
      end('failed', {error: error.message, help: error.body && error.body.help});
    }
  };
  source.addEventListener('error', () => {
    ask();
    if (source.readyState === EventSource.CLOSED && !polling) polling = setInterval(ask, 1500);
  });
  onCleanup(stop);
  return stop;
}

// A <progress> with its words, for one or more runs followed together.
function progressBox(label) {
  const id = uid('progress');
  const bar = el('progress', {id, max: 1});
  bar.removeAttribute('value'); // indeterminate until the first event says how much
  const text = el('span', {class: 'progress-words', 'aria-live': 'polite'}, 'waiting to start…');
  const box = el('div', {class: 'progress-box'}, el('label', {for: id}, label), bar, text);
  box.set = (done, total) => {
    if (Number.isFinite(total) && total > 0) {
      bar.max = total;
      bar.value = Math.min(done || 0, total);
      text.textContent = `${Math.round(100 * bar.value / total)}% (${fmtNumber(done)} of ${fmtNumber(total)} replicate-years)`;
    }
  };
  box.finish = (words) => {
    bar.max = 1;
    bar.value = 1;
    text.textContent = words;
  };
  box.say = (words) => {
    text.textContent = words;
  };
  return box;
}

// ---------------------------------------------------------------------------------------
// The router. A view is `async (ctx) => void` drawing into ctx.main; ctx.alive() turns
// false once the address has moved on, so a slow answer never draws over a newer page.

const view = () => document.getElementById('view');
let current = {token: 0, cleanups: []};

function onCleanup(fn) {
  current.cleanups.push(fn);
}

const ROUTES = [
  [/^$/, viewHome, ''],
  [/^question\/([^/]+)$/, viewQuestion, ''],
  [/^editor(?:\/([^/]+))?$/, viewEditor, 'editor'],
  [/^run\/([^/]+)$/, viewRun, 'runs'],
  [/^request$/, viewRequest, 'runs'],
  [/^runs$/, viewRuns, 'runs'],
  [/^compare\/([^/]+)$/, viewCompare, 'runs'],
  [/^sweeps$/, viewSweeps, 'sweeps'],
  [/^sweep\/([^/]+)$/, viewSweep, 'sweeps'],
  [/^people(?:\/(.+))?$/, viewPeople, 'people'],
  [/^life\/([^/]+)$/, viewLife, 'people'],
];

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const at = raw.indexOf('?');
  const path = at < 0 ? raw : raw.slice(0, at);
  const query = new URLSearchParams(at < 0 ? '' : raw.slice(at + 1));
  return {path: path.replace(/\/+$/, ''), query};
}

async function route() {
  for (const cleanup of current.cleanups.splice(0)) {
    try {
      cleanup();
    } catch {
      // a view that is going away may fail to tidy up; the next one must still draw
    }
  }
  const token = current.token + 1;
  current = {token, cleanups: []};
  const {path, query} = parseHash();
  const main = view();
  main.replaceChildren();
  const match = ROUTES.map(([pattern, fn, nav]) => [path.match(pattern), fn, nav]).find(([m]) => m);
  for (const link of document.querySelectorAll('nav a[data-nav]')) {
    if (match && link.dataset.nav === match[2]) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const ctx = {main, query, alive: () => current.token === token};
  try {
    if (!match) {
      append(main, [pageTitle('Nothing here'), el('p', {}, 'This address names no page. ',
        el('a', {href: '#/'}, 'Back to the questions'), '.')]);
    } else {
      const args = match[0].slice(1).map((part) => (part === undefined ? undefined : decodeURIComponent(part)));
      await match[1](ctx, ...args);
    }
  } catch (error) {
    if (ctx.alive()) {
      // A view that failed outright: take away its "Loading…" and say what went wrong.
      for (const note of main.querySelectorAll('.status')) note.remove();
      if (!main.querySelector('h1')) append(main, [pageTitle('This page could not be shown')]);
      append(main, [errorBox(error), el('p', {}, el('a', {href: '#/'}, 'Back to the questions'))]);
    }
  }
  if (ctx.alive()) {
    const heading = main.querySelector('h1');
    if (heading && document.activeElement === document.body) heading.focus({preventScroll: true});
  }
}

window.addEventListener('hashchange', () => {
  window.scrollTo(0, 0);
  route();
});

document.addEventListener('DOMContentLoaded', () => {
  api('/api/version').then((v) => {
    document.getElementById('version').textContent = v.version;
  }).catch(() => {});
  route();
});

// ---------------------------------------------------------------------------------------
// Home: the ten questions as cards.

async function viewHome(ctx) {
  append(ctx.main, [
    pageTitle('The reviewers’ questions'),
    el('p', {class: 'lede'}, 'Readers of the novel asked whether its system could work. Each question is a ',
      'scenario: the novel with one rule changed, run against the novel with the same random draws. ',
      'Figures are means over replicates, with 95% intervals.'),
  ]);
  const loading = status('Loading the questions…');
  ctx.main.append(loading);
  const data = await api('/api/questions');
  if (!ctx.alive()) return;
  loading.remove();
  const grid = el('div', {class: 'cards'});
  // The list may say once which seed and replicates its answers come from.
  for (const question of data.questions || []) {
    grid.append(questionCard({...question, seed: question.seed ?? data.seed, replicates: question.replicates ?? data.replicates}));
  }
  ctx.main.append(grid);
}

// The answer's paragraph without its first sentence (`q.answer`), which stands above it.
function restOfAnswer(q) {
  if (!q.paragraph) return '';
  return q.answer && q.paragraph.startsWith(q.answer)
    ? q.paragraph.slice(q.answer.length).trim()
    : q.paragraph;
}

function verdictBadge(q) {
  // The finding in the question's own words: a why-question has no yes.
  if (!q.verdict) return null;
  return el('span', {class: `verdict verdict-${q.verdict}`}, q.finding || q.verdict);
}

function questionCard(q) {
  const card = el('article', {class: 'card', dataset: {scenario: q.scenario}},
    el('p', {class: 'kicker'}, q.scenario),
    el('h2', {}, el('a', {href: `#/question/${encodeURIComponent(q.scenario)}`}, q.question)),
    q.change ? el('p', {class: 'change'}, q.change) : null);
  if (q.answer) {
    append(card, [
      el('p', {class: 'answer'}, verdictBadge(q), ' ', q.answer),
      keyFigures(q.figures || [], q.scenario),
    ]);
  } else {
    append(card, [runItBlock(q, (answered) => {
      const fresh = questionCard(answered);
      card.replaceWith(fresh);
      // The button pressed has gone with the old card: keep the keyboard in this card.
      fresh.querySelector('h2 a').focus();
    })]);
  }
  return card;
}

// The figures that answer a question, briefly: novel, then the scenario, then the change.
function keyFigures(figures, scenario) {
  if (!figures.length) return null;
  return el('dl', {class: 'key-figures'}, figures.slice(0, 3).map((f) => {
    const interval = fmtInterval({...f.difference, unit: f.unit}, true);
    return [
      el('dt', {}, f.label, unitWords(f.unit) ? el('span', {class: 'unit'}, ` (${f.unit})`) : null),
      el('dd', {},
        el('span', {class: 'pair'}, `novel ${printedOr(f.novel, 'mean', fmtValue(f.novel && f.novel.mean, f.unit))} → ${scenario} ${printedOr(f.scenario, 'mean', fmtValue(f.scenario && f.scenario.mean, f.unit))}`),
        el('span', {class: 'change-line'}, 'difference ',
          el('span', {class: isClear(f.difference) ? 'diff clear' : 'diff'}, printedOr(f.difference, 'mean', fmtValue(f.difference && f.difference.mean, f.unit, true))),
          interval ? el('span', {class: 'interval'}, ` (95% interval ${interval})`) : null)),
    ];
  }));
}

// "Not run yet" and a Run it button: runs the scenario and `novel` with the same request,
// follows both, then fetches the answered question and hands it to onAnswered.
function runItBlock(q, onAnswered) {
  const request = {
    seed: q.seed ?? DEFAULT_SEED,
    replicates: q.replicates ?? DEFAULT_REPLICATES,
  };
  if (q.end_year) request.end_year = q.end_year;
  const block = el('div', {class: 'run-it'});
  const button = el('button', {type: 'button', class: 'primary'}, 'Run it');
  const note = el('p', {class: 'not-run'}, 'Not run yet. ',
    el('span', {class: 'muted'}, `Running it takes ${q.scenario} and the novel, ${request.replicates} replicates each, seed ${request.seed}.`));
  append(block, [note, button]);

  button.addEventListener('click', async () => {
    button.disabled = true;
    const box = progressBox(`Running ${q.scenario} and novel`);
    block.append(box);
    try {
      const runs = [];
      for (const scenario of [q.scenario, 'novel']) {
        runs.push(await api('/api/runs', {method: 'POST', body: {scenario, ...request}}));
      }
      const progress = runs.map(() => ({done: 0, total: 0}));
      const ends = runs.map((run, i) => new Promise((resolve) => {
        if (run.status === 'complete') {
          resolve({state: 'complete'});
          return;
        }
        followRun(run.run, (done, total) => {
          progress[i] = {done, total};
          if (progress.every((p) => p.total > 0)) {
            box.set(progress.reduce((s, p) => s + p.done, 0), progress.reduce((s, p) => s + p.total, 0));
          }
        }, (state, data) => resolve({state, data}));
      }));
      const results = await Promise.all(ends);
      const bad = results.find((r) => r.state !== 'complete');
      if (bad) {
        box.say(`The run ${bad.state === 'failed' ? 'failed' : `was ${bad.state}`}.`);
        if (bad.data && bad.data.error) block.append(errorBox({body: bad.data}, 'The run failed'));
        button.disabled = false;
        return;
      }
      box.finish('Complete. Reading the answer…');
      const answered = await api(`/api/questions/${encodeURIComponent(q.scenario)}`);
      if (!answered.answer) {
        box.say('The runs are complete, but the server gives no answer for them yet.');
        button.disabled = false;
        return;
      }
      onAnswered(answered);
    } catch (error) {
      // Refused (busy, too large): the box must not go on waiting to start.
      box.say(error.status === 503
        ? 'Not started: the server is busy with other runs. Try again when one has finished.'
        : 'Not started.');
      block.append(errorBox(error, 'Could not run it'));
      button.disabled = false;
    }
  });
  return block;
}

// ---------------------------------------------------------------------------------------
// Question: the change, the answer, the figures and the series.

async function viewQuestion(ctx, name) {
  const loading = status('Loading the question…');
  ctx.main.append(loading);
  const q = await api(`/api/questions/${encodeURIComponent(name)}`);
  if (!ctx.alive()) return;
  loading.remove();
  append(ctx.main, [
    pageTitle(q.question, `Question: ${q.scenario}`),
    el('p', {class: 'links'},
      el('a', {href: `#/editor/${encodeURIComponent(q.scenario)}`}, 'Change it in the editor'), ' · ',
      el('a', {href: hashFor('people/narrator', {scenario: q.scenario})}, 'Meet the people of this world'),
      q.runs ? [' · ', el('a', {href: `#/run/${encodeURIComponent(q.runs.scenario)}`}, `the ${q.scenario} run`),
        ' · ', el('a', {href: `#/compare/${encodeURIComponent(q.runs.novel)},${encodeURIComponent(q.runs.scenario)}`}, 'the comparison')] : null),
  ]);

  const change = el('section', {class: 'change-section'}, el('h2', {}, 'The change'),
    q.change ? el('p', {}, q.change) : null);
  ctx.main.append(change);
  paramsDiff(q.scenario).then((table) => {
    if (ctx.alive()) change.append(table);
  });

  const answer = el('section', {class: 'answer-section'}, el('h2', {}, 'The answer'));
  ctx.main.append(answer);
  if (!q.answer) {
    append(answer, [runItBlock(q, () => route())]);
    return;
  }
  append(answer, [
    el('p', {class: 'answer big'}, verdictBadge(q), ' ', q.answer),
    // The paragraph goes on from the first sentence, already shown above it.
    restOfAnswer(q) ? el('p', {class: 'paragraph'}, restOfAnswer(q)) : null,
    q.robustness ? robustnessSection(q.robustness) : null,
  ]);

  const figures = q.table || q.figures || [];
  if (figures.length) ctx.main.append(questionTable(q, figures));
  const bars = completionBars([
    {label: 'novel', figures: byKey(figures, (f) => f.novel)},
    {label: q.scenario, figures: byKey(figures, (f) => f.scenario)},
  ]);
  if (bars) ctx.main.append(bars);

  const pair = await seriesPair(q);
  if (!ctx.alive() || !pair) return;
  const charts = chartsSection(pair, (q.figures || []).map((f) => f.key));
  ctx.main.append(charts);
  charts.mountCharts();
}

// How donors completed: the share completing at each donation, one bar per run, its 95%
// interval as a whisker. Drawn with plain elements (a bar's width is its share), so that it
// reads without a chart library and a screen reader gets each bar's words.
const COMPLETED_AT = ['completed_at_1_share', 'completed_at_2_share', 'completed_at_3_share', 'completed_at_4_share'];

function completionBars(runs) {
  const present = runs.filter((r) => COMPLETED_AT.some((k) => r.figures[k]));
  if (!present.length) return null;
  const rows = COMPLETED_AT.map((key, i) => {
    const bars = present.map((r, j) => {
      const f = r.figures[key] || {};
      const share = Number.isFinite(f.mean) ? f.mean : 0;
      const low = Number.isFinite(f.low) ? f.low : share;
      const high = Number.isFinite(f.high) ? f.high : share;
      const words = `${r.label}: ${fmtValue(f.mean, 'share')}${fmtInterval({...f, unit: 'share'}) ? ` (95% interval ${fmtInterval({...f, unit: 'share'})})` : ''}`;
      return el('div', {class: `bar-row series-${j}`},
        el('span', {class: 'bar-label'}, r.label),
        el('span', {class: 'bar-track', role: 'img', 'aria-label': words},
          el('span', {class: 'bar', style: `width: ${(100 * share).toFixed(2)}%`}),
          el('span', {class: 'whisker', style: `left: ${(100 * low).toFixed(2)}%; width: ${(100 * Math.max(0, high - low)).toFixed(2)}%`})),
        el('span', {class: 'bar-value'}, fmtValue(f.mean, 'share')));
    });
    return el('div', {class: 'bar-group'}, el('h3', {}, `completed at the ${['1st', '2nd', '3rd', '4th'][i]} donation`), bars);
  });
  return el('section', {class: 'bars'}, el('h2', {}, 'How donors completed'),
    el('p', {class: 'muted small'}, 'The share of completed donors who completed at each donation: the mean over replicates, ',
      'and the 95% interval as the thin line.'), rows);
}

// How far the answer holds over the plausible worlds (`hailsham questions --robust` left it
// in the store): the sentence, then each assumption's total Sobol index as a bar with its
// 95% interval as the thin line, and the numbers in a table, the bars' text alternative.
function robustnessSection(r) {
  const clamp = (x) => Math.min(1, Math.max(0, Number.isFinite(x) ? x : 0));
  const fixed = (x) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
  const triple = (t) => `${fixed(t[0])} (${fixed(t[1])} to ${fixed(t[2])})`;
  const rows = (r.indices || []).map((index) => {
    const [value, low, high] = index.total;
    const words = `${index.parameter}: total Sobol index ${triple(index.total)}`;
    return el('div', {class: 'bar-row series-0'},
      el('span', {class: 'bar-label'}, el('code', {}, index.parameter)),
      el('span', {class: 'bar-track', role: 'img', 'aria-label': words},
        el('span', {class: 'bar', style: `width: ${(100 * clamp(value)).toFixed(2)}%`}),
        el('span', {class: 'whisker', style: `left: ${(100 * clamp(low)).toFixed(2)}%; width: ${(100 * Math.max(0, clamp(high) - clamp(low))).toFixed(2)}%`})),
      el('span', {class: 'bar-value'}, fixed(value)));
  });
  const table = rows.length ? el('table', {class: 'indices'},
    el('caption', {}, 'Sobol indices of the assumptions that move the answer\'s figure most, with 95% bootstrap intervals'),
    el('thead', {}, el('tr', {}, el('th', {scope: 'col'}, 'assumption'), el('th', {scope: 'col'}, 'what it is'),
      el('th', {scope: 'col'}, 'first-order index'), el('th', {scope: 'col'}, 'total index'))),
    el('tbody', {}, r.indices.map((index) => el('tr', {},
      el('td', {}, el('code', {}, index.parameter)), el('td', {}, index.words),
      el('td', {class: 'number'}, triple(index.first)), el('td', {class: 'number'}, triple(index.total)))))) : null;
  return el('section', {class: 'robust bars'}, el('h3', {}, 'How far it holds'),
    el('p', {class: 'robust'}, r.sentence),
    rows.length ? el('p', {class: 'muted small'}, 'Each bar is an assumption\'s total Sobol index: the share of the ',
      'difference\'s variance across the plausible worlds that it has a hand in, alone or with others; ',
      'the thin line is its 95% interval.') : null,
    rows, table);
}

function byKey(list, pick) {
  const out = {};
  for (const f of list || []) out[f.key] = pick(f);
  return out;
}

function questionTable(q, figures) {
  return el('section', {}, el('h2', {}, 'The figures'),
    el('div', {class: 'scroll'}, stackable(el('table', {class: 'figures'},
      el('caption', {}, `novel against ${q.scenario}: means over replicates, 95% intervals under them; `,
        'a difference marked * has an interval that excludes zero (paired replicate by replicate)'),
      el('thead', {}, el('tr', {}, el('th', {scope: 'col'}, 'figure'), el('th', {scope: 'col'}, 'novel'),
        el('th', {scope: 'col'}, q.scenario), el('th', {scope: 'col'}, 'difference'), el('th', {scope: 'col'}, 'unit'))),
      el('tbody', {}, figures.map((f) => el('tr', {},
        figureHeading(f),
        figureCell(f.novel, f.unit), figureCell(f.scenario, f.unit), figureCell(f.difference, f.unit, true),
        el('td', {class: 'unit'}, f.unit === 'share' ? 'share (%, pp)' : f.unit))))))));
}

// The two series of a question, novel first. docs/serve.md does not give the shape of a
// question's `series`; this takes `{ novel, scenario }` of Run series, or an array of two,
// and otherwise reads both runs' own series.
async function seriesPair(q) {
  const s = q.series;
  if (s && s.novel && s.scenario) {
    return [{label: 'novel', series: s.novel}, {label: q.scenario, series: s.scenario}];
  }
  if (Array.isArray(s) && s.length === 2) {
    return [{label: 'novel', series: s[0]}, {label: q.scenario, series: s[1]}];
  }
  if (q.runs) {
    const [novel, scenario] = await Promise.all([
      api(`/api/runs/${encodeURIComponent(q.runs.novel)}`),
      api(`/api/runs/${encodeURIComponent(q.runs.scenario)}`)]);
    return [{label: 'novel', series: novel.series}, {label: q.scenario, series: scenario.series}];
  }
  return null;
}

// The keys a bundled scenario changes from the novel, from its text and /api/check.
async function paramsDiff(name) {
  try {
    const scenario = await api(`/api/scenarios/${encodeURIComponent(name)}`);
    const check = await api('/api/check', {method: 'POST', body: {text: scenario.text}});
    return diffTable(check.diff || [], name);
  } catch (error) {
    return errorBox(error, 'Could not read what the scenario changes');
  }
}

function diffTable(diff, name) {
  if (!diff.length) return el('p', {class: 'muted'}, 'Nothing: every parameter is as the novel has it.');
  return el('div', {class: 'scroll'}, stackable(el('table', {class: 'diff-table'},
    el('caption', {}, `The parameters ${name || 'this scenario'} changes from the novel`),
    el('thead', {}, el('tr', {}, el('th', {scope: 'col'}, 'parameter'), el('th', {scope: 'col'}, 'novel'),
      el('th', {scope: 'col'}, name || 'this scenario'), el('th', {scope: 'col'}, 'unit'))),
    el('tbody', {}, diff.map((d) => el('tr', {},
      el('th', {scope: 'row'}, el('code', {}, d.key)),
      el('td', {class: 'num'}, String(d.novel)), el('td', {class: 'num'}, String(d.value)),
      el('td', {class: 'unit'}, d.unit || '')))))));
}

// ---------------------------------------------------------------------------------------
// Editor: every parameter as a control, and the scenario's TOML, which is the source of
// truth: a control writes its key into the text, and the text sets the controls.

// Drafts live for the page's session, so leaving the editor and coming back keeps the work.
const drafts = new Map();

const BLANK_SCENARIO = `# A scenario of your own: it builds on the novel and changes a few keys.
name = "my-world"
description = "What changes, in one sentence."
question = "What would happen if ...?"
base = "novel.toml"
`;

async function viewEditor(ctx, name) {
  const [params, scenarios] = await Promise.all([
    cached('/api/params'),
    cached('/api/scenarios'),
    name && !drafts.has(name) ? api(`/api/scenarios/${encodeURIComponent(name)}`).then((s) => drafts.set(name, s.text)) : null,
  ]);
  if (!ctx.alive()) return;
  const draftKey = name || '';
  const text = drafts.has(draftKey) ? drafts.get(draftKey) : BLANK_SCENARIO;

  const startId = uid('start');
  const start = el('select', {id: startId},
    el('option', {value: ''}, 'a blank scenario (the novel)'),
    (scenarios.scenarios || []).map((s) => el('option', {value: s.name, selected: s.name === name}, s.name)));
  start.addEventListener('change', () => {
    location.hash = start.value ? `#/editor/${encodeURIComponent(start.value)}` : '#/editor';
  });

  append(ctx.main, [
    pageTitle(name ? `Change ${name}` : 'Write a scenario'),
    el('p', {class: 'lede'}, 'A scenario is the novel with some of its rules changed. Set a parameter ',
      'below or edit the scenario file: the two stay in step, and the file is checked as you type.'),
    el('p', {}, el('label', {for: startId}, 'Start from '), start),
  ]);
  const editor = new ScenarioEditor(params.groups || [], text, (t) => drafts.set(draftKey, t));
  ctx.main.append(editor.element);
  editor.check();
}

class ScenarioEditor {
  constructor(groups, text, onText) {
    this.onText = onText;
    // Each group's params, with the TOML table and key each is written under.
    this.grouped = groups.map((g) => ({institution: g.institution,
      params: (g.params || []).map((p) => ({...p, ...splitKey(p, g.institution)}))}));
    this.rows = new Map(); // path -> { row, input, param, message }
    this.unlocked = false;
    this.checkSeq = 0;
    this.lastDiff = [];

    this.textarea = el('textarea', {id: uid('toml'), class: 'toml', rows: 18, spellcheck: 'false',
      autocapitalize: 'off', autocomplete: 'off', 'aria-describedby': 'toml-help'});
    this.textarea.value = text;
    this.textarea.addEventListener('input', () => this.textChanged());

    this.checkStatus = el('p', {class: 'check-status'}, 'Checking…');
    this.diagnostics = el('div', {class: 'diagnostics-box'});
    this.diffBox = el('div', {class: 'diff-box'});
    this.element = el('div', {class: 'editor'}, this.paramsPanel(), this.filePanel());
    onCleanup(() => clearTimeout(this.timer)); // no check may land on a page that has gone
    this.syncControls();
  }

  // -- the left side: the parameters, grouped by institution

  paramsPanel() {
    const unlockId = uid('unlock');
    const unlock = el('input', {type: 'checkbox', id: unlockId});
    unlock.addEventListener('change', () => {
      this.unlocked = unlock.checked;
      for (const {input, param, row} of this.rows.values()) {
        input.disabled = this.isLocked(param);
        const note = row.querySelector('.lock-note');
        if (note) note.hidden = this.unlocked;
      }
    });
    const findId = uid('find');
    const find = el('input', {type: 'search', id: findId, placeholder: 'a key or a word of its meaning',
      class: 'find'});
    find.addEventListener('input', () => this.filter(find.value));
    this.groupElements = this.grouped.map((g) => this.groupElement(g));
    return el('section', {class: 'params-panel', 'aria-label': 'Parameters'},
      el('h2', {}, 'The parameters'),
      el('p', {class: 'tools'},
        el('span', {class: 'tool'}, el('label', {for: findId}, 'Find '), find),
        el('span', {class: 'tool'}, unlock, el('label', {for: unlockId}, ' Unlock canon and novel parameters'))),
      el('p', {class: 'muted small'}, 'Canon parameters are what the reviews say the novel’s world is, novel ones what the book ',
        'itself says; they are locked so that a change to them is a choice. Each value shows its unit, range and source.'),
      this.groupElements);
  }

  groupElement(group) {
    const {params} = group;
    const count = el('span', {class: 'count'});
    const details = el('details', {class: 'group', dataset: {institution: group.institution}},
      el('summary', {}, el('span', {class: 'group-name'}, words(group.institution)), ' ', count),
      params.map((p) => this.paramRow(p)));
    details.count = count;
    details.total = params.length;
    return details;
  }

  // Canon (what the reviews say) and novel (what the book says) are the world as its readers
  // know it: both are locked until the reader insists.
  isLocked(param) {
    return isFixed(param) && !this.unlocked;
  }

  paramRow(p) {
    const id = uid('param');
    const messageId = `${id}-message`;
    let input;
    if (p.kind === 'bool') {
      input = el('input', {type: 'checkbox', id});
      input.addEventListener('change', () => this.controlChanged(p, input.checked ? 'true' : 'false'));
    } else if (p.kind === 'number' || p.kind === 'integer') {
      input = el('input', {type: 'number', id, step: p.kind === 'integer' ? '1' : 'any',
        min: Number.isFinite(p.min) ? String(p.min) : null, max: Number.isFinite(p.max) ? String(p.max) : null,
        inputmode: p.kind === 'integer' ? 'numeric' : 'decimal'});
      input.addEventListener('input', () => {
        if (input.value !== '') this.controlChanged(p, input.value);
      });
    } else {
      // text and list: the value as written in TOML (a list as `["a", "b"]`)
      input = el('input', {type: 'text', id, class: 'text-value'});
      input.addEventListener('input', () => this.controlChanged(p,
        p.kind === 'text' ? JSON.stringify(input.value) : input.value));
    }
    input.disabled = this.isLocked(p);
    input.setAttribute('aria-describedby', `${id}-meaning ${messageId}`);
    input.dataset.key = p.path;
    const range = Number.isFinite(p.min) && Number.isFinite(p.max) && p.kind !== 'bool'
      ? `range ${fmtNumber(p.min)} to ${fmtNumber(p.max)}` : '';
    const message = el('p', {class: 'param-message', id: messageId});
    const row = el('div', {class: 'param', dataset: {key: p.path}},
      el('div', {class: 'param-head'},
        el('label', {for: id}, el('span', {class: 'param-name'}, words(p.name)), ' ',
          el('code', {class: 'param-path'}, p.path)),
        el('span', {class: `tag tag-${p.tag}`, title: `tag: ${p.tag}`}, p.tag)),
      el('div', {class: 'param-control'}, input,
        isFixed(p) ? el('span', {class: 'lock-note', hidden: this.unlocked}, 'locked') : null,
        el('span', {class: 'unit'}, p.unit), range ? el('span', {class: 'range'}, range) : null,
        el('span', {class: 'default'}, `novel: ${String(p.default)}`)),
      el('p', {class: 'meaning', id: `${id}-meaning`}, p.meaning),
      p.source ? el('p', {class: 'source'}, 'Source: ', p.source) : null,
      message);
    this.rows.set(p.path, {row, input, param: p, message});
    return row;
  }

  filter(query) {
    const q = query.trim().toLowerCase();
    for (const details of this.groupElements) {
      let any = false;
      for (const row of details.querySelectorAll('.param')) {
        const {param} = this.rows.get(row.dataset.key);
        const hit = !q || param.path.toLowerCase().includes(q) || (param.meaning || '').toLowerCase().includes(q);
        row.hidden = !hit;
        any = any || hit;
      }
      details.hidden = !any;
      if (q) details.open = any;
    }
  }

  // -- the right side: the file, its diagnostics, the diff and the run form

  filePanel() {
    const seedId = uid('seed');
    const replicatesId = uid('replicates');
    const endId = uid('end');
    this.seed = el('input', {type: 'number', id: seedId, min: '0', step: '1', value: String(DEFAULT_SEED)});
    this.replicates = el('input', {type: 'number', id: replicatesId, min: '1', max: '1000', step: '1',
      value: String(DEFAULT_REPLICATES)});
    this.endYear = el('input', {type: 'number', id: endId, min: '1901', max: '2300', step: '1',
      placeholder: 'its own'});
    this.runError = el('div', {class: 'run-error'});
    return el('section', {class: 'file-panel', 'aria-label': 'The scenario file'},
      el('h2', {}, el('label', {for: this.textarea.id}, 'The scenario file')),
      el('p', {id: 'toml-help', class: 'muted small'}, 'TOML: set only the keys that differ from the novel, ',
        'each under its institution’s [table].'),
      this.textarea,
      el('div', {class: 'check', 'aria-live': 'polite'}, this.checkStatus, this.diagnostics),
      el('h3', {}, 'What changes from the novel'),
      this.diffBox,
      el('div', {class: 'run-form'},
        el('h3', {}, 'Run it'),
        el('p', {class: 'fields'},
          el('span', {class: 'field'}, el('label', {for: seedId}, 'Seed'), this.seed),
          el('span', {class: 'field'}, el('label', {for: replicatesId}, 'Replicates'), this.replicates),
          el('span', {class: 'field'}, el('label', {for: endId}, 'End year'), this.endYear)),
        el('p', {class: 'buttons'},
          el('button', {type: 'button', class: 'primary', onclick: () => this.run()}, 'Run'),
          ' ',
          el('button', {type: 'button', onclick: () => this.download()}, 'Download TOML')),
        this.runError));
  }

  // -- keeping the text and the controls in step

  controlChanged(param, tomlValue) {
    const current = this.textarea.value;
    const isDefault = String(param.default) === tomlValue
      || (Number.isFinite(Number(tomlValue)) && Number(tomlValue) === Number(param.default) && tomlValue.trim() !== '');
    // Back at the novel's value: drop the key, so the file says only what differs.
    const next = isDefault ? removeTomlKey(current, param.section, param.name)
      : setTomlValue(current, param.section, param.name, tomlValue);
    if (next !== current) {
      this.textarea.value = next;
      this.textChanged();
    }
  }

  textChanged() {
    this.onText(this.textarea.value);
    this.syncControls();
    clearTimeout(this.timer);
    this.checkStatus.textContent = 'Checking…';
    this.timer = setTimeout(() => this.check(), CHECK_DELAY_MS);
  }

  // Controls show the file's values; a key the file does not set shows the novel's. The
  // control being typed in is left alone, so the cursor does not jump.
  syncControls() {
    const values = scanToml(this.textarea.value).values;
    for (const [path, {input, param, row}] of this.rows) {
      const written = values.get(path);
      const value = written === undefined ? param.default : tomlScalar(written);
      row.classList.toggle('changed', written !== undefined && String(value) !== String(param.default));
      if (input === document.activeElement) continue;
      if (param.kind === 'bool') input.checked = value === true || value === 'true';
      else if (param.kind === 'list' && Array.isArray(value)) input.value = JSON.stringify(value);
      else input.value = value === undefined || value === null ? '' : String(value);
    }
    this.updateCounts();
  }

  updateCounts() {
    for (const details of this.groupElements) {
      const changed = details.querySelectorAll('.param.changed').length;
      const invalid = details.querySelectorAll('.param.invalid').length;
      details.count.textContent = `${details.total} parameters${changed ? `, ${changed} changed` : ''}${invalid ? `, ${invalid} with a problem` : ''}`;
      // Open a group when something in it first needs a look; after that the reader decides.
      const flagged = Boolean(changed || invalid);
      if (flagged && !details.flagged) details.open = true;
      details.flagged = flagged;
    }
  }

  async check() {
    const seq = ++this.checkSeq;
    let result;
    try {
      result = await api('/api/check', {method: 'POST', body: {text: this.textarea.value}});
    } catch (error) {
      // A 400 carrying diagnostics is an answer, not a failure.
      if (error.body && Array.isArray(error.body.diagnostics)) result = {ok: false, ...error.body};
      else result = {ok: false, failure: error};
    }
    if (seq !== this.checkSeq) return; // a newer check is on its way
    this.showCheck(result);
  }

  showCheck(result) {
    const diagnostics = result.diagnostics || [];
    for (const {row, input, message} of this.rows.values()) {
      row.classList.remove('invalid');
      input.removeAttribute('aria-invalid');
      message.textContent = '';
    }
    for (const d of diagnostics) {
      const found = d.key && this.rowFor(d.key);
      if (!found) continue;
      found.row.classList.add('invalid');
      found.input.setAttribute('aria-invalid', 'true');
      found.message.textContent = `${d.message}${d.help ? ` (help: ${d.help})` : ''}`;
    }
    this.diagnostics.replaceChildren();
    if (result.failure) {
      this.checkStatus.textContent = 'The scenario could not be checked.';
      this.diagnostics.append(errorBox(result.failure, 'Check failed'));
    } else if (result.ok) {
      this.checkStatus.textContent = `The scenario is valid${result.hash ? ` (hash ${String(result.hash).slice(0, 12)})` : ''}.`;
      this.checkStatus.className = 'check-status ok';
    } else {
      const n = diagnostics.length;
      this.checkStatus.textContent = n ? `${n} problem${n === 1 ? '' : 's'} in the scenario:` : (result.error || 'The scenario does not validate.');
      this.checkStatus.className = 'check-status bad';
      if (n) this.diagnostics.append(diagnosticList(diagnostics, (d) => this.goToLine(d.line)));
    }
    if (result.diff) this.lastDiff = result.diff;
    this.diffBox.replaceChildren(diffTable(result.diff || this.lastDiff, null));
    this.updateCounts();
  }

  // A diagnostic names its key as `section.key`; take a bare key too, if it is unique.
  rowFor(key) {
    if (this.rows.has(key)) return this.rows.get(key);
    const matches = [...this.rows.values()].filter((r) => r.param.name === key);
    return matches.length === 1 ? matches[0] : null;
  }

  goToLine(line) {
    const lines = this.textarea.value.split('\n');
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    this.textarea.focus();
    this.textarea.setSelectionRange(start, start + (lines[line - 1] || '').length);
  }

  scenarioName() {
    const name = scanToml(this.textarea.value).values.get('name');
    const value = name === undefined ? '' : String(tomlScalar(name));
    return value.replace(/[^A-Za-z0-9_-]+/g, '-') || 'scenario';
  }

  download() {
    const blob = new Blob([this.textarea.value], {type: 'application/toml'});
    const url = URL.createObjectURL(blob);
    const link = el('a', {href: url, download: `${this.scenarioName()}.toml`});
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  async run() {
    this.runError.replaceChildren();
    const body = {
      text: this.textarea.value,
      seed: Number(this.seed.value || DEFAULT_SEED),
      replicates: Number(this.replicates.value || DEFAULT_REPLICATES),
    };
    if (this.endYear.value) body.end_year = Number(this.endYear.value);
    try {
      const answer = await api('/api/runs', {method: 'POST', body});
      location.hash = `#/run/${encodeURIComponent(answer.run)}`;
    } catch (error) {
      if (error.body && Array.isArray(error.body.diagnostics)) this.showCheck({ok: false, ...error.body});
      this.runError.append(errorBox(error, 'Could not start the run'));
    }
  }
}

// A parameter's TOML table and key. docs/serve.md gives each Param a `key` and an
// `institution`; the key may be `section.key` (as in a check's diff) or the bare key.
function splitKey(param, institution) {
  const key = String(param.key);
  const dot = key.lastIndexOf('.');
  const section = dot >= 0 ? key.slice(0, dot) : (param.institution || institution);
  const name = dot >= 0 ? key.slice(dot + 1) : key;
  return {section, name, path: `${section}.${name}`, institution: param.institution || institution};
}

// ---------------------------------------------------------------------------------------
// A little TOML, line by line: enough to find, set and remove `key = value` under a
// `[table]`, keeping every comment and every other line as the writer left them. The
// server's check is the real parser; this never has to judge what is valid.

function scanToml(text) {
  const lines = text.split('\n');
  const values = new Map(); // 'section.key' (or 'key' at the top) -> the value's text
  const entries = new Map(); // the same -> { line, single }
  const tables = new Map(); // section -> { header, last } (line numbers)
  let section = '';
  let open = 0; // brackets still open in a value that spans lines
  lines.forEach((line, i) => {
    if (open > 0) {
      open += bracketDepth(line);
      return;
    }
    const header = line.match(/^\s*\[([A-Za-z0-9_.-]+)\]\s*(#.*)?$/);
    if (header) {
      section = header[1];
      tables.set(section, {header: i, last: i});
      return;
    }
    const pair = line.match(/^\s*([A-Za-z0-9_-]+)\s*=\s*(.*)$/);
    if (!pair) return;
    const path = section ? `${section}.${pair[1]}` : pair[1];
    const value = splitComment(pair[2])[0];
    open = bracketDepth(value);
    values.set(path, value);
    entries.set(path, {line: i, single: open <= 0});
    if (tables.has(section)) tables.get(section).last = i;
  });
  return {lines, values, entries, tables};
}

// What a line opens minus what it closes, outside strings.
function bracketDepth(text) {
  let depth = 0;
  let quote = null;
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === '\'') quote = c;
    else if (c === '[' || c === '{') depth += 1;
    else if (c === ']' || c === '}') depth -= 1;
    else if (c === '#') break;
  }
  return depth;
}

// A value and its trailing comment, apart (a # inside a string is not a comment).
function splitComment(text) {
  let quote = null;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i += 1;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === '\'') quote = c;
    else if (c === '#') return [text.slice(0, i).trim(), text.slice(i).trim()];
  }
  return [text.trim(), ''];
}

function tomlScalar(text) {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (/^[+-]?(\d[\d_]*)(\.\d[\d_]*)?([eE][+-]?\d+)?$/.test(text)) return Number(text.replace(/_/g, ''));
  if (/^".*"$/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return text.slice(1, -1);
    }
  }
  if (/^'.*'$/.test(text)) return text.slice(1, -1);
  return text;
}

function setTomlValue(text, section, key, value) {
  const {lines, entries, tables} = scanToml(text);
  const path = section ? `${section}.${key}` : key;
  const entry = entries.get(path);
  if (entry && entry.single) {
    const old = lines[entry.line];
    const indent = old.match(/^\s*/)[0];
    const comment = splitComment(old.slice(old.indexOf('=') + 1))[1];
    lines[entry.line] = `${indent}${key} = ${value}${comment ? ` ${comment}` : ''}`;
    return lines.join('\n');
  }
  if (entry) return text; // a value over several lines: leave it to the writer
  if (tables.has(section)) {
    lines.splice(tables.get(section).last + 1, 0, `${key} = ${value}`);
    return lines.join('\n');
  }
  // A new table goes before [answer] (which closes the bundled files) and the comment
  // above it, else at the end.
  const block = ['', `[${section}]`, `${key} = ${value}`];
  const answer = tables.get('answer');
  if (answer) {
    let at = answer.header;
    while (at > 0 && /^\s*#/.test(lines[at - 1])) at -= 1;
    lines.splice(at, 0, ...block.slice(1), '');
  } else {
    while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
    lines.push(...block, '');
  }
  return lines.join('\n');
}

function removeTomlKey(text, section, key) {
  const {lines, entries} = scanToml(text);
  const entry = entries.get(section ? `${section}.${key}` : key);
  if (!entry || !entry.single) return text;
  lines.splice(entry.line, 1);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------
// Run: follow its progress, then show its figures and series.

async function viewRun(ctx, id) {
  const head = await api(`/api/runs/${encodeURIComponent(id)}`);
  if (!ctx.alive()) return;
  let facts = runFacts(head);
  append(ctx.main, [pageTitle(`A run of ${head.scenario}`, `Run ${id}`), facts]);
  const box = progressBox('Progress');
  const cancel = el('button', {type: 'button'}, 'Cancel');
  const progressSection = el('section', {class: 'run-progress'}, box);
  ctx.main.append(progressSection);
  const results = el('div', {class: 'results'});
  ctx.main.append(results);

  const finished = async (state, data) => {
    cancel.remove();
    setFact(facts, 'status', state);
    if (state === 'complete') {
      box.finish('Complete.');
      const run = head.summary ? head : await api(`/api/runs/${encodeURIComponent(id)}`);
      if (!ctx.alive()) return;
      const fresh = runFacts(run);
      facts.replaceWith(fresh);
      facts = fresh;
      showRun(results, run);
    } else if (state === 'cancelled') {
      box.say('Cancelled: nothing was kept.');
    } else {
      box.say(state === 'interrupted' ? 'Interrupted: the server stopped during the run.' : 'Failed.');
      results.append(errorBox({body: {error: data.error || `the run is ${state}`, help: data.help}}, 'The run did not finish'));
    }
  };

  if (TERMINAL.includes(head.status)) {
    await finished(head.status, head);
    return;
  }
  box.say(head.status === 'queued' ? 'Queued: waiting for the run before it.' : 'Running…');
  if (head.progress) box.set(head.progress.done, head.progress.total);
  cancel.addEventListener('click', async () => {
    cancel.disabled = true;
    try {
      await api(`/api/runs/${encodeURIComponent(id)}/cancel`, {method: 'POST', body: {}});
      box.say('Cancelling…');
    } catch (error) {
      results.append(errorBox(error, 'Could not cancel'));
      cancel.disabled = false;
    }
  });
  progressSection.append(cancel);
  // The head was read without its summary while running; read the whole run at the end.
  delete head.summary;
  followRun(id, (done, total) => {
    if (done > 0) setFact(facts, 'status', 'running');
    box.set(done, total);
  }, (state, data) => finished(state, data));
}

// A run named by its request rather than by this store's number: the address any machine
// with the same version can open to see the same figures (served from its store if it holds
// them, else run). `#/request?scenario=single-harvest&seed=1&replicates=5&end_year=2000`.
async function viewRequest(ctx) {
  const q = ctx.query;
  const body = {scenario: q.get('scenario') || 'novel'};
  for (const key of ['seed', 'replicates', 'end_year']) {
    if (q.get(key)) body[key] = Number(q.get(key));
  }
  append(ctx.main, [pageTitle(`A run of ${body.scenario}`), el('p', {class: 'status'}, 'Finding or starting the run…')]);
  const answer = await api('/api/runs', {method: 'POST', body});
  if (ctx.alive()) location.replace(`#/run/${encodeURIComponent(answer.run)}`);
}

// The portable address of a run of a bundled scenario, or null for a scenario of one's own
// (whose text an address does not carry).
async function requestHash(head) {
  const scenarios = await cached('/api/scenarios').catch(() => ({scenarios: []}));
  if (!(scenarios.scenarios || []).some((s) => s.name === head.scenario)) return null;
  return hashFor('request', {scenario: head.scenario, seed: head.seed, replicates: head.replicates, end_year: head.end_year});
}

function runFacts(head) {
  const facts = [
    ['scenario', head.scenario], ['seed', head.seed], ['replicates', head.replicates],
    ['end year', head.end_year], ['status', head.status], ['started', fmtWhen(head.started)],
    ['finished', fmtWhen(head.finished)], ['version', head.version],
    ['scenario hash', head.hash ? String(head.hash).slice(0, 16) : null],
  ].filter(([, v]) => v !== null && v !== undefined && v !== '–');
  return el('dl', {class: 'facts'}, facts.map(([k, v]) => [el('dt', {}, k), el('dd', {dataset: {fact: k}}, String(v))]));
}

function setFact(facts, key, value) {
  const cell = facts.querySelector(`dd[data-fact="${key}"]`);
  if (cell) cell.textContent = value;
}

async function showRun(container, run) {
  const summary = run.summary || [];
  append(container, [
    el('section', {}, el('h2', {}, 'The figures'),
      el('div', {class: 'scroll'}, stackable(el('table', {class: 'figures'},
        el('caption', {}, `${run.scenario}: each figure’s mean over ${run.replicates} replicate${run.replicates === 1 ? '' : 's'}, with its 95% interval`),
        el('thead', {}, el('tr', {}, el('th', {scope: 'col'}, 'figure'), el('th', {scope: 'col'}, 'mean'),
          el('th', {scope: 'col'}, 'unit'))),
        el('tbody', {}, summary.map((f) => el('tr', {}, figureHeading(f),
          figureCell(f, f.unit), el('td', {class: 'unit'}, f.unit))))))))]);
  const bars = completionBars([{label: run.scenario, figures: byKey(summary, (f) => f)}]);
  if (bars) container.append(bars);
  if (run.series) {
    const charts = chartsSection([{label: run.scenario, series: run.series}]);
    container.append(charts);
    charts.mountCharts();
  }
  const portable = await requestHash(run);
  if (portable) {
    container.append(el('p', {class: 'links'}, 'The address of this run on any machine: ',
      el('a', {href: portable, class: 'permalink'}, `${location.origin}/${portable}`)));
  }
  const scenarios = await cached('/api/scenarios').catch(() => ({scenarios: []}));
  if ((scenarios.scenarios || []).some((s) => s.name === run.scenario)) {
    container.append(el('p', {class: 'links'},
      el('a', {href: hashFor('people/narrator', {scenario: run.scenario, seed: run.seed, replicates: run.replicates})},
        'Meet the people of this run')));
  }
}

// ---------------------------------------------------------------------------------------
// Runs: the store, with boxes to tick for a comparison.

async function viewRuns(ctx) {
  append(ctx.main, [pageTitle('Runs'),
    el('p', {class: 'lede'}, 'Every run the store holds, newest first. Tick two or more to compare them: ',
      'the first you tick is the baseline, and runs compared must share seed and replicates.')]);
  const data = await api('/api/runs');
  if (!ctx.alive()) return;
  const runs = data.runs || [];
  if (!runs.length) {
    append(ctx.main, [el('p', {}, 'No runs yet. Run a ', el('a', {href: '#/'}, 'question'),
      ' or ', el('a', {href: '#/editor'}, 'a scenario of your own'), '.')]);
    return;
  }
  const chosen = [];
  const compare = el('button', {type: 'button', class: 'primary', disabled: true}, 'Compare the ticked runs');
  const chosenWords = el('span', {class: 'muted', 'aria-live': 'polite'});
  const update = () => {
    compare.disabled = chosen.length < 2;
    chosenWords.textContent = chosen.length ? ` ${chosen.length} ticked; baseline ${chosen[0]}.` : '';
  };
  compare.addEventListener('click', () => {
    location.hash = `#/compare/${chosen.map(encodeURIComponent).join(',')}`;
  });
  const rows = runs.map((run) => {
    const box = el('input', {type: 'checkbox', 'aria-label': `compare run ${run.id} (${run.scenario})`,
      disabled: run.status !== 'complete'});
    box.addEventListener('change', () => {
      const at = chosen.indexOf(run.id);
      if (box.checked && at < 0) chosen.push(run.id);
      if (!box.checked && at >= 0) chosen.splice(at, 1);
      update();
    });
    return el('tr', {},
      el('td', {}, box),
      el('th', {scope: 'row'}, el('a', {href: `#/run/${encodeURIComponent(run.id)}`}, run.scenario)),
      el('td', {class: 'num'}, String(run.seed)), el('td', {class: 'num'}, String(run.replicates)),
      el('td', {class: 'num'}, run.end_year ?? '–'),
      el('td', {}, el('span', {class: `run-status status-${run.status}`}, run.status)),
      el('td', {}, fmtWhen(run.started)),
      el('td', {}, el('code', {}, String(run.id))));
  });
  append(ctx.main, [
    el('div', {class: 'scroll'}, stackable(el('table', {class: 'runs'},
      el('caption', {}, 'Stored runs'),
      el('thead', {}, el('tr', {}, ['compare', 'scenario', 'seed', 'replicates', 'end year', 'status', 'started', 'id']
        .map((h) => el('th', {scope: 'col', class: ['seed', 'replicates', 'end year'].includes(h) ? 'num' : null}, h)))),
      el('tbody', {}, rows)))),
    el('p', {class: 'buttons'}, compare, chosenWords),
  ]);
}

// ---------------------------------------------------------------------------------------
// Sweeps: `hailsham sweep FILE` and `questions --robust` leave their runs in the store.

async function viewSweeps(ctx) {
  append(ctx.main, [pageTitle('Sweeps'),
    el('p', {class: 'lede'}, 'A sweep runs one scenario at many settings of the numbers the novel never gives ',
      '(', el('code', {}, 'hailsham sweep FILE'), '; ', el('code', {}, 'hailsham questions --robust'),
      ' runs a few for each question). Every sweep the store holds, newest first.')]);
  const data = await api('/api/sweeps');
  if (!ctx.alive()) return;
  const sweeps = data.sweeps || [];
  if (!sweeps.length) {
    append(ctx.main, [el('p', {}, 'No sweeps yet: run ', el('code', {}, 'hailsham sweep sweeps/plausible.toml'),
      ' on this machine, with the same run store.')]);
    return;
  }
  const rows = sweeps.map((sweep) => el('tr', {},
    el('th', {scope: 'row'}, el('a', {href: `#/sweep/${encodeURIComponent(sweep.id)}`}, sweep.name)),
    el('td', {}, sweep.design),
    el('td', {class: 'num'}, String(sweep.points)), el('td', {class: 'num'}, String(sweep.replicates)),
    el('td', {class: 'num'}, `${sweep.runs_done} of ${sweep.runs}`),
    el('td', {}, fmtWhen(sweep.started)),
    el('td', {}, el('code', {}, String(sweep.id)))));
  append(ctx.main, [el('div', {class: 'scroll', tabindex: '0', role: 'region', 'aria-label': 'stored sweeps'}, stackable(el('table', {class: 'runs'},
    el('caption', {}, 'Stored sweeps'),
    el('thead', {}, el('tr', {}, ['sweep', 'design', 'points', 'replicates', 'runs held', 'begun', 'id']
      .map((h) => el('th', {scope: 'col', class: ['points', 'replicates', 'runs held'].includes(h) ? 'num' : null}, h)))),
    el('tbody', {}, rows))))]);
}

async function viewSweep(ctx, id) {
  const sweep = await api(`/api/sweeps/${encodeURIComponent(id)}`);
  if (!ctx.alive()) return;
  const figures = sweep.figures || [];
  const rows = (sweep.list || []).map((run) => el('tr', {},
    el('td', {class: 'num'}, String(run.point)), el('td', {class: 'num'}, String(run.replicate)),
    el('td', {}, run.parameters || '–'),
    run.figures.map((value, i) => el('td', {class: 'num'}, value === null ? 'n/a' : fmtValue(value, figures[i].unit)))));
  append(ctx.main, [
    pageTitle(sweep.name, 'Sweep'),
    el('p', {class: 'lede'}, `A ${sweep.design} design: ${sweep.points} points, ${sweep.replicates} replicate`,
      sweep.replicates === 1 ? '' : 's', ` at each; the store holds ${sweep.runs_done} of its ${sweep.runs} runs. `,
      'Every point runs each replicate with the same random numbers, so points differ by their parameters alone.'),
    sweep.shown < sweep.runs_done
      ? el('p', {class: 'muted small'}, `The first ${sweep.shown} runs are shown; `,
        el('code', {}, 'hailsham sweep FILE --out sweep.parquet'), ' writes them all.')
      : null,
    // Wider than a screen: a region the keyboard can reach and scroll.
    el('div', {class: 'scroll', tabindex: '0', role: 'region', 'aria-label': 'the runs of the sweep'}, stackable(el('table', {class: 'runs'},
      el('caption', {}, 'Each run of the sweep: its point, its replicate, the values swept and its figures'),
      el('thead', {}, el('tr', {}, ['point', 'replicate', 'parameters'].map((h) => el('th', {scope: 'col'}, h)),
        figures.map((f) => el('th', {scope: 'col', class: 'num'}, f.label)))),
      el('tbody', {}, rows)))),
    el('details', {}, el('summary', {}, 'The sweep file as it was begun'), el('pre', {}, sweep.text)),
  ]);
}

// ---------------------------------------------------------------------------------------
// Compare: paired differences against the first run.

async function viewCompare(ctx, list) {
  const ids = list.split(',').filter(Boolean);
  const data = await api(`/api/compare?runs=${ids.map(encodeURIComponent).join(',')}`);
  if (!ctx.alive()) return;
  const runs = data.runs || [];
  const base = runs.find((r) => r.id === data.base) || runs[0];
  const others = runs.filter((r) => r !== base);
  const label = (run) => `${run.scenario} (${String(run.id).slice(0, 8)})`;
  append(ctx.main, [
    pageTitle(`${base ? base.scenario : 'Runs'} against ${others.map((r) => r.scenario).join(', ')}`, 'Comparison'),
    el('p', {class: 'lede'}, 'Each difference is the mean of the paired differences, replicate by replicate, ',
      'with its 95% interval; a difference marked * has an interval that excludes zero.'),
    el('p', {class: 'links'}, runs.map((r, i) => [i ? ' · ' : '', el('a', {href: `#/run/${encodeURIComponent(r.id)}`}, label(r))])),
  ]);
  const head = [el('th', {scope: 'col'}, 'figure'), el('th', {scope: 'col'}, base ? label(base) : 'base')];
  for (const other of others) {
    head.push(el('th', {scope: 'col'}, label(other)), el('th', {scope: 'col'}, 'difference'));
  }
  head.push(el('th', {scope: 'col'}, 'unit'));
  const rows = (data.figures || []).map((f) => {
    const values = f.values || [];
    // `differences` may hold one per run (the base's own being zero) or one per other run.
    const differences = (f.differences || []).length === runs.length ? f.differences.slice(1) : (f.differences || []);
    const cells = [figureHeading(f), figureCell(values[0], f.unit)];
    others.forEach((_, i) => cells.push(figureCell(values[i + 1], f.unit), figureCell(differences[i], f.unit, true)));
    cells.push(el('td', {class: 'unit'}, f.unit));
    return el('tr', {}, cells);
  });
  ctx.main.append(el('div', {class: 'scroll'}, stackable(el('table', {class: 'figures'},
    el('caption', {}, `Figures over ${base ? base.replicates : ''} paired replicates, seed ${base ? base.seed : ''}`),
    el('thead', {}, el('tr', {}, head)), el('tbody', {}, rows)))));

  // The series of every run, overlaid.
  const full = await Promise.all(runs.map((r) => api(`/api/runs/${encodeURIComponent(r.id)}`)));
  if (!ctx.alive()) return;
  if (full.every((r) => r.series)) {
    const charts = chartsSection(full.map((r) => ({label: label(r), series: r.series})));
    ctx.main.append(charts);
    charts.mountCharts();
  }
}

// ---------------------------------------------------------------------------------------
// People: sift the lives for a pattern, then open one.

async function viewPeople(ctx, pattern) {
  const [patterns, scenarios] = await Promise.all([cached('/api/patterns'), cached('/api/scenarios')]);
  if (!ctx.alive()) return;
  const named = patterns.patterns || [];
  const scenario = ctx.query.get('scenario') || 'novel';
  const seed = ctx.query.get('seed') || String(DEFAULT_SEED);
  const replicates = ctx.query.get('replicates') || String(DEFAULT_REPLICATES);
  const chosen = named.find((p) => p.name === pattern);

  const scenarioId = uid('scenario');
  const seedId = uid('seed');
  const replicatesId = uid('replicates');
  const patternId = uid('pattern');
  const scenarioSelect = el('select', {id: scenarioId},
    (scenarios.scenarios || []).map((s) => el('option', {value: s.name, selected: s.name === scenario}, s.name)));
  const seedInput = el('input', {type: 'number', id: seedId, min: '0', step: '1', value: seed});
  const replicatesInput = el('input', {type: 'number', id: replicatesId, min: '1', max: '1000', step: '1', value: replicates});
  const text = el('textarea', {id: patternId, class: 'pattern', rows: 6, spellcheck: 'false', autocapitalize: 'off',
    placeholder: 'c: completed ?x where age < 25 and number = 1'});
  text.value = chosen ? chosen.text : (pattern || '');
  const where = () => ({scenario: scenarioSelect.value, seed: seedInput.value, replicates: replicatesInput.value});
  // Every search is an address, so that it can be copied; the view then runs it.
  const go = (name) => {
    location.hash = hashFor(`people/${encodeURIComponent(name)}`, where());
  };

  append(ctx.main, [
    pageTitle('Meeting the people'),
    el('p', {class: 'lede'}, 'The figures count lives; a pattern finds them. Choose one of the novel’s people, ',
      'or write a pattern of your own (docs/patterns.md), and sift the lives of a scenario for those who fit it.'),
    el('div', {class: 'pattern-buttons', role: 'group', 'aria-label': 'Named patterns'},
      named.map((p) => el('button', {type: 'button', class: p.name === pattern ? 'chip chosen' : 'chip',
        'aria-pressed': String(p.name === pattern), title: p.doc, onclick: () => go(p.name)}, p.name))),
    chosen ? el('p', {class: 'pattern-doc'}, chosen.doc) : null,
    el('form', {class: 'sift-form', onsubmit: (event) => {
      event.preventDefault();
      const typed = text.value.trim();
      const same = named.find((p) => p.text.trim() === typed);
      if (typed) go(same ? same.name : typed);
    }},
    el('label', {for: patternId}, 'The pattern'), text,
    el('p', {class: 'fields'},
      el('span', {class: 'field'}, el('label', {for: scenarioId}, 'Scenario'), scenarioSelect),
      el('span', {class: 'field'}, el('label', {for: seedId}, 'Seed'), seedInput),
      el('span', {class: 'field'}, el('label', {for: replicatesId}, 'Replicates'), replicatesInput),
      el('button', {type: 'submit', class: 'primary'}, 'Sift'))),
  ]);
  if (!pattern) return;

  const results = el('section', {class: 'sift-results', 'aria-live': 'polite'},
    status(`Sifting ${replicates} replicate${replicates === '1' ? '' : 's'} of ${scenario}… (the replicates are run again, which takes a few seconds)`));
  ctx.main.append(results);
  try {
    const sifted = await api('/api/sift', {method: 'POST', body: {
      pattern, scenario, seed: Number(seed), replicates: Number(replicates)}});
    if (!ctx.alive()) return;
    results.replaceChildren(...siftResults(sifted, {scenario, seed}));
  } catch (error) {
    if (!ctx.alive()) return;
    results.replaceChildren(error.body && error.body.line ? parseError(error.body, text.value) : errorBox(error, 'Could not sift'));
  }
}

// A pattern that does not parse: the message, the line, and a caret under the column.
function parseError(body, text) {
  const line = (text.split('\n')[body.line - 1] || '');
  return el('div', {class: 'error-box', role: 'alert'},
    el('p', {}, el('strong', {}, `The pattern does not parse, line ${body.line}, column ${body.column}: `), body.error),
    el('pre', {class: 'caret'}, `${line}\n${' '.repeat(Math.max(0, (body.column || 1) - 1))}^`),
    body.help ? el('p', {class: 'help'}, body.help) : null);
}

function siftResults(sifted, where) {
  const matches = sifted.matches || [];
  const name = typeof sifted.pattern === 'object' && sifted.pattern ? (sifted.pattern.name || 'the pattern') : (sifted.pattern || 'the pattern');
  const count = sifted.count || {};
  const share = sifted.share || {};
  const out = [
    el('h2', {}, `Who fits ${name}`),
    el('dl', {class: 'facts sift-figures'},
      el('dt', {}, 'per replicate'),
      el('dd', {}, `${fmtValue(count.mean, 'people')} `, el('span', {class: 'interval'}, `(95% interval ${fmtInterval({...count, unit: 'people'}) || '–'})`)),
      el('dt', {}, 'share'),
      el('dd', {}, `${fmtValue(share.mean, 'share')} `, el('span', {class: 'interval'}, `(${fmtInterval({...share, unit: 'share'}) || '–'})`),
        sifted.population ? ` of ${fmtValue(sifted.population.mean ?? sifted.population, 'people')} people` : null),
      Array.isArray(sifted.per_replicate) ? [el('dt', {}, 'in each replicate'), el('dd', {}, sifted.per_replicate.join(', '))] : null),
  ];
  if (!matches.length) {
    out.push(el('p', {}, 'Nobody fits the pattern in these replicates.'));
    return out;
  }
  out.push(el('h3', {}, 'The most unusual of them'),
    el('ol', {class: 'matches'}, matches.map((m) => el('li', {},
      el('a', {href: lifeHash(m.id, where.scenario, where.seed, m.replicate), class: 'match-link'}, m.name || `clone ${m.id}`),
      el('span', {class: 'muted'}, ` replicate ${m.replicate}, no. ${m.id}${Number.isFinite(m.rarity) ? `, rarity ${m.rarity.toFixed(2)}` : ''}`),
      properties(m.properties)))));
  return out;
}

function properties(props) {
  if (!props) return null;
  const list = Array.isArray(props) ? props : Object.entries(props).map(([k, v]) => `${words(k)} ${v}`);
  return list.length ? el('p', {class: 'properties'}, list.join(' · ')) : null;
}

// ---------------------------------------------------------------------------------------
// Life: one clone's story, the people in it, and the same life under another rule.

async function viewLife(ctx, id) {
  const scenario = ctx.query.get('scenario') || 'novel';
  const seed = ctx.query.get('seed') || String(DEFAULT_SEED);
  const replicate = ctx.query.get('replicate') || '0';
  const against = ctx.query.get('against') || '';
  const loading = status('Telling the life… (its replicate is run again, which takes a moment)');
  ctx.main.append(loading);
  const query = new URLSearchParams({scenario, seed, replicate});
  if (against) query.set('against', against);
  const [data, scenarios] = await Promise.all([
    api(`/api/life/${encodeURIComponent(id)}?${query}`),
    cached('/api/scenarios').catch(() => ({scenarios: []})),
  ]);
  if (!ctx.alive()) return;
  loading.remove();

  // docs/serve.md does not say how `against` comes back: as both lives (as `hailsham life
  // --against --format json` gives them: `lives`, `parting`, ...), or as the life with the
  // other under `against` (`against.life`, `against.parting`, ...). Take either.
  let lives = [data];
  let parting = null;
  if (Array.isArray(data.lives)) {
    lives = data.lives;
    parting = data;
  } else if (data.against && data.against.life) {
    lives = [data, data.against.life];
    parting = data.against;
  }
  const life = lives[0];
  const names = [scenario, against];
  append(ctx.main, [
    pageTitle(life.title || life.name || `Clone ${id}`, `A life in ${scenario}, seed ${seed}, replicate ${replicate}`),
    lifeFacts(life),
  ]);

  const againstId = uid('against');
  const select = el('select', {id: againstId},
    el('option', {value: ''}, 'none: this life alone'),
    (scenarios.scenarios || []).filter((s) => s.name !== scenario)
      .map((s) => el('option', {value: s.name, selected: s.name === against}, s.name)));
  select.addEventListener('change', () => {
    location.hash = lifeHash(id, scenario, seed, replicate, select.value);
  });
  ctx.main.append(el('p', {class: 'against'}, el('label', {for: againstId}, 'The same life under another scenario: '), select));

  if (lives.length > 1) {
    // Where the two lives part comes first: it is what the comparison is for.
    ctx.main.append(partingNote(parting, names));
    ctx.main.append(el('div', {class: 'side-by-side'}, lives.slice(0, 2).map((l, i) => {
      const world = l.scenario || (data.scenarios && data.scenarios[i]) || names[i];
      return el('div', {class: 'column'},
        el('h2', {}, `In ${world}`),
        // The same clone may have another number in the other world: say so.
        el('div', {class: 'muted small'}, l.title || ''),
        el('article', {class: 'story'}, storyParagraphs(l)),
        peopleList(l.people || (i === 0 ? data.people : null), world, seed, replicate, 'h3'));
    })));
  } else {
    append(ctx.main, [el('article', {class: 'story'}, storyParagraphs(life)),
      peopleList(life.people || data.people, scenario, seed, replicate)]);
  }
}

function lifeFacts(life) {
  const facts = [['home', life.home], ['born', life.birth], ['completed', life.completed || 'not in the years run'],
    ['id', life.id]].filter(([, v]) => v !== undefined && v !== null);
  return el('dl', {class: 'facts'}, facts.map(([k, v]) => [el('dt', {}, k), el('dd', {}, String(v))]));
}

function storyParagraphs(life) {
  return (life.paragraphs || []).map((p) => el('p', {},
    (Array.isArray(p) ? p : [p]).map((s) => (typeof s === 'string' ? s : s.text)).join(' ')));
}

function peopleList(people, scenario, seed, replicate, heading = 'h2') {
  if (!people || !people.length) return null;
  return el('section', {class: 'people'}, el(heading, {}, 'The people in this story'),
    el('ul', {}, people.map((p) => el('li', {},
      el('a', {href: lifeHash(p.id, scenario, seed, replicate), class: `person role-${words(p.role).replace(/\s+/g, '-')}`,
        dataset: {role: p.role}}, p.name || `clone ${p.id}`),
      el('span', {class: 'muted'}, `, ${p.role}`)))));
}

function partingNote(data, names) {
  if (!data || data.parting === undefined) return null;
  if (data.words) {
    // The server's own sentence says more (what each life does next); keep the rules after it.
    return el('p', {class: 'parting'}, data.words, partingRules(data));
  }
  if (data.parting === null) {
    return el('p', {class: 'parting'}, `The two lives are the same: whatever ${names[1]} changes, it made no difference to this clone.`);
  }
  return el('p', {class: 'parting'},
    `The two lives share their first ${data.shared_announcements} announcements and part on ${data.parting}.`,
    partingRules(data));
}

function partingRules(data) {
  const rules = data.rules || [];
  if (data.parting === null || !rules.length) return null;
  // The first `causes` rules belong to the institution that made the first difference.
  const causes = Number.isInteger(data.causes) ? data.causes : 0;
  const codes = (list) => list.map((r, i) => [i ? ', ' : '', el('code', {}, r)]);
  return [
    causes ? [' The likely cause: ', codes(rules.slice(0, causes)), '.'] : null,
    rules.length > causes ? [causes ? ' Other rules that differ: ' : ' The rules that differ: ',
      codes(rules.slice(causes)), '.'] : null,
  ];
}
