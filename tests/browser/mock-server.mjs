// MOCK of `hailsham serve`, for developing the page without the Rust server.
//
// It serves crates/serve/assets and answers the API of docs/serve.md with canned but
// plausible JSON: the parameters come from scenarios/novel.toml's comments, the scenarios
// from scenarios/*.toml, the patterns from crates/sift/patterns; every figure, series, match
// and life is made up. It is a development tool only: nothing it says is a result.
//
//   node tests/browser/mock-server.mjs [port]      (default 8371)
//   HAILSHAM_URL=http://127.0.0.1:8371 node tests/browser/e2e.mjs

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import {fileURLToPath} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const assets = path.join(root, 'crates/serve/assets');
const port = Number(process.argv[2] || process.env.PORT || 8371);

// ---- what the repository says: parameters, scenarios, patterns

function readParams() {
  const lines = fs.readFileSync(path.join(root, 'scenarios/novel.toml'), 'utf8').split('\n');
  const groups = new Map();
  let section = '';
  let comment = [];
  for (const line of lines) {
    const header = line.match(/^\[(\w+)\]/);
    if (header) {
      section = header[1];
      groups.set(section, []);
      comment = [];
      continue;
    }
    if (line.startsWith('#')) {
      comment.push(line.replace(/^#\s?/, ''));
      continue;
    }
    const pair = line.match(/^(\w+) = (.+)$/);
    if (pair && section) {
      const text = comment.join('\n');
      const meta = text.match(/unit: (.*?) \| tag: (\w+) \| range: (.*)/);
      const meaning = text.split('\nunit:')[0].replace(/\n\s+/g, ' ');
      const source = (text.split('source: ')[1] || '').replace(/\n\s+/g, ' ');
      const value = pair[2];
      const kind = value === 'true' || value === 'false' ? 'bool' : value.includes('.') ? 'number' : 'integer';
      const range = meta ? meta[3].match(/^(-?[\d.e+]+) to (-?[\d.e+]+)$/) : null;
      groups.get(section).push({
        key: `${section}.${pair[1]}`, institution: section, meaning, unit: meta ? meta[1] : '',
        default: kind === 'bool' ? value === 'true' : Number(value),
        min: range ? Number(range[1]) : null, max: range ? Number(range[2]) : null,
        kind, tag: meta ? meta[2] : 'assumption', source,
      });
    }
    if (!line.startsWith('#')) comment = [];
  }
  return [...groups].map(([institution, params]) => ({institution, params}));
}

const PARAMS = readParams();
const BY_KEY = new Map(PARAMS.flatMap((g) => g.params).map((p) => [p.key, p]));

function readScenarios() {
  const dir = path.join(root, 'scenarios');
  const list = fs.readdirSync(dir).filter((f) => f.endsWith('.toml')).map((file) => {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const field = (k) => (text.match(new RegExp(`^${k} = "(.*)"`, 'm')) || [])[1] || null;
    return {name: field('name'), question: field('question'), summary: field('description'),
      text, answered: /^\[answer\]/m.test(text)};
  });
  list.sort((a, b) => (a.name === 'novel' ? -1 : b.name === 'novel' ? 1 : a.name.localeCompare(b.name)));
  return list;
}

const SCENARIOS = readScenarios();

const PATTERNS = fs.readdirSync(path.join(root, 'crates/sift/patterns')).sort().map((file) => {
  const text = fs.readFileSync(path.join(root, 'crates/sift/patterns', file), 'utf8');
  return {name: file.replace('.sift', ''), text, doc: (text.match(/^pattern \S+ "(.*)"/m) || [])[1] || ''};
});

// ---- a tiny deterministic random source, so the same request gives the same figures

function rng(seedText) {
  let h = crypto.createHash('sha256').update(String(seedText)).digest().readUInt32LE(0);
  return () => {
    h = (h + 0x6d2b79f5) >>> 0;
    let t = Math.imul(h ^ (h >>> 15), 1 | h);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIGURES = [
  ['clones_created', 'clones created', 'people', 480000],
  ['organs_supplied', 'organs supplied', 'organs', 1100000],
  ['demand_met_share', 'demand met (transplants/patients)', 'share', 0.62],
  ['waiting_deaths', 'deaths waiting', 'people', 1333310],
  ['life_years_gained', 'recipients’ life-years gained', 'years', 9800000],
  ['clone_life_years_lost', 'clones’ life-years lost', 'years', 21000000],
  ['completion_age_median_years', 'age at completion, median', 'years', 31.4],
  ['donations_per_donor_mean', 'donations per donor', 'donations', 2.6],
  ['completed_at_1_share', 'completing at the 1st donation', 'share', 0.12],
  ['carer_years_median', 'years as a carer, median', 'years', 9.2],
  ['deferral_applications', 'deferral applications', 'couples', 5400],
  ['outsiders_knowing', 'outsiders who know', 'people', 0],
];

function factor(scenario, key) {
  const r = rng(`${scenario}/${key}`)();
  return scenario === 'novel' ? 1 : 0.7 + 0.6 * r;
}

function figure(key, label, unit, mean, spread) {
  return {key, label, unit, mean, low: mean - spread, high: mean + spread};
}

function summaryOf(scenario) {
  return FIGURES.map(([key, label, unit, base]) => {
    const mean = base * factor(scenario, key);
    return figure(key, label, unit, mean, Math.abs(mean) * 0.02);
  });
}

const COLUMNS = [
  ['students', 'people', (t) => 40000 * ramp(t)], ['veterans', 'people', (t) => 12000 * ramp(t - 12)],
  ['carers', 'people', (t) => 9000 * ramp(t - 16)], ['donors', 'people', (t) => 15000 * ramp(t - 20)],
  ['donations', 'donations', (t) => 11000 * ramp(t - 20)], ['waiting_deaths', 'people', (t) => 30000 - 12000 * ramp(t - 22)],
  ['completions', 'people', (t) => 4000 * ramp(t - 22)], ['transplants', 'organs', (t) => 20000 * ramp(t - 21)],
  ['outsiders_knowing_share', 'share', (t) => 0.01 * ramp(t - 30)],
];

function ramp(t) {
  return t <= 0 ? 0 : 1 / (1 + Math.exp(-(t - 8) / 3));
}

function seriesOf(scenario, endYear) {
  const years = [];
  for (let y = 1952; y < (endYear || 2000); y += 1) years.push(y);
  const columns = COLUMNS.map(([name, unit, curve]) => {
    const f = factor(scenario, name);
    const mean = years.map((y) => curve(y - 1952) * f);
    return {name, unit, mean, low: mean.map((v) => v * 0.96), high: mean.map((v) => v * 1.04)};
  });
  return {years, columns};
}

// ---- the store of runs

const runs = new Map();

function runId(request) {
  const what = request.scenario || crypto.createHash('sha256').update(request.text).digest('hex');
  return crypto.createHash('sha256').update(JSON.stringify([what, request.seed, request.replicates, request.end_year || null]))
    .digest('hex').slice(0, 12);
}

function tick(run) {
  if (run.status !== 'queued' && run.status !== 'running') return;
  const elapsed = Date.now() - run.startedAt;
  const duration = 1200 + 300 * run.replicates;
  run.done = Math.min(run.total, Math.floor(run.total * elapsed / duration));
  run.status = run.done >= run.total ? 'complete' : elapsed > 200 ? 'running' : 'queued';
  if (run.status === 'complete') run.finished = new Date().toISOString();
}

function headOf(run) {
  tick(run);
  const {id, scenario, hash, seed, replicates, end_year, status, started, finished} = run;
  return {id, scenario, hash, seed, replicates, end_year, version: '0.1.0-mock', status, started, finished};
}

// ---- scenario checking: a few real rules (unknown keys, kinds, ranges), line by line

function check(text) {
  const diagnostics = [];
  const values = new Map();
  let section = '';
  text.split('\n').forEach((line, i) => {
    const header = line.match(/^\s*\[(\w+)\]/);
    if (header) {
      section = header[1];
      return;
    }
    const pair = line.match(/^\s*(\w+)\s*=\s*([^#]*)/);
    if (!pair || !section || section === 'answer') return;
    const key = `${section}.${pair[1]}`;
    const raw = pair[2].trim();
    const spec = BY_KEY.get(key);
    const at = {line: i + 1, column: line.indexOf(pair[1]) + 1, key};
    if (!spec) {
      diagnostics.push({...at, message: `unknown key \`${pair[1]}\` in [${section}]`, help: null});
      return;
    }
    const value = raw === 'true' ? true : raw === 'false' ? false : Number(raw);
    if (spec.kind === 'bool' ? typeof value !== 'boolean' : !Number.isFinite(value)) {
      diagnostics.push({...at, message: `expected ${spec.kind === 'bool' ? 'true or false' : 'a number'}, found \`${raw}\``, help: null});
    } else if (spec.kind === 'integer' && !Number.isInteger(value)) {
      diagnostics.push({...at, message: `expected a whole number, found \`${raw}\``, help: null});
    } else if (spec.kind !== 'bool' && (value < spec.min || value > spec.max)) {
      diagnostics.push({...at, message: `${raw} is out of range for \`${pair[1]}\``,
        help: `the allowed range is ${spec.min} to ${spec.max} (${spec.unit})`});
    } else {
      values.set(key, value);
    }
  });
  const diff = [...values].filter(([key, v]) => BY_KEY.get(key).default !== v)
    .map(([key, value]) => ({key, novel: BY_KEY.get(key).default, value, unit: BY_KEY.get(key).unit}));
  const hash = crypto.createHash('sha256').update(text).digest('hex').slice(0, 16);
  return {ok: diagnostics.length === 0, hash, diagnostics, diff};
}

// ---- questions

function questionOf(s, full) {
  const key = (scenario) => runId({scenario, seed: 1, replicates: 5});
  const a = runs.get(key('novel'));
  const b = runs.get(key(s.name));
  const done = [a, b].every((r) => r && headOf(r).status === 'complete');
  const q = {scenario: s.name, question: s.question, change: s.summary, answer: null, verdict: null, figures: [], runs: null};
  if (!done) return q;
  const novel = summaryOf('novel');
  const other = summaryOf(s.name);
  const table = novel.map((n, i) => {
    const d = other[i].mean - n.mean;
    return {key: n.key, label: n.label, unit: n.unit, novel: n, scenario: other[i],
      difference: figure(n.key, n.label, n.unit, d, Math.abs(d) * 0.3 + Math.abs(n.mean) * 0.001)};
  });
  const decisive = table.find((f) => f.key === 'waiting_deaths');
  q.verdict = decisive.difference.mean < 0 ? 'yes' : 'no';
  q.finding = q.verdict === 'yes' ? 'fewer die waiting (mock)' : 'no fewer die waiting (mock)';
  q.answer = `${q.verdict === 'yes' ? 'Yes' : 'No'} (mock answer): deaths waiting change by ${Math.round(decisive.difference.mean).toLocaleString('en-GB')} people.`;
  q.figures = table.filter((f) => ['waiting_deaths', 'life_years_gained', 'organs_supplied'].includes(f.key));
  q.runs = {novel: a.id, scenario: b.id};
  if (full) {
    q.paragraph = `This is a mock paragraph. In ${s.name} against the novel, several figures moved beyond replicate noise; the page shows whatever the server says here.`;
    q.table = table;
    q.series = {novel: seriesOf('novel'), scenario: seriesOf(s.name)};
  }
  return q;
}

// ---- people and lives

const FIRST = ['Kathy', 'Ruth', 'Tommy', 'Laura', 'Hannah', 'Chrissie', 'Rodney', 'Moira', 'Arthur', 'Cynthia', 'Harry', 'Patricia', 'Roger', 'Lucy', 'Peter', 'Gordon'];
const HOMES = ['hailsham', 'glenmorgan', 'government home', 'the Cottages'];

function nameOf(id) {
  return `${FIRST[id % FIRST.length]} ${String.fromCharCode(65 + (Math.floor(id / 7) % 26))}.`;
}

function lifeOf(id, scenario, replicate) {
  const r = rng(`${scenario}/${replicate}/${id}`);
  const born = 1950 + Math.floor(r() * 30);
  const carer = 1000 + ((id * 37) % 9000);
  const partner = 1000 + ((id * 53) % 9000);
  const friend = 1000 + ((id * 71) % 9000);
  const name = nameOf(id);
  const home = scenario === 'hailsham-everywhere' ? 'hailsham' : HOMES[id % 2];
  const donations = scenario === 'single-harvest' ? 1 : 1 + Math.floor(r() * 4);
  return {
    id, lineage: {birth_year: born, place: id % 100}, name, pronoun: id % 2 ? 'she' : 'he',
    home, birth: `${born}-0${1 + (id % 9)}-1${id % 10}`, completed: `${born + 28 + donations}-06-01`,
    title: `${name} (${id})`,
    paragraphs: [
      [{text: `${name} grew up at ${home === 'hailsham' ? 'Hailsham' : 'Glenmorgan House'}, in a year of forty.`, sources: [0]},
        {text: 'The guardians told the students a little, and the students told each other more.', sources: []}],
      [{text: `At sixteen ${name.split(' ')[0]} left for the Cottages, where ${nameOf(partner)} and she were a couple for two summers.`, sources: [1, 2]}],
      [{text: `Then came eleven years as a carer, among them for ${nameOf(friend)}, a friend from the home.`, sources: [3]},
        {text: `${nameOf(carer)} was her carer when the donations began.`, sources: [4]}],
      [{text: `She made ${donations} donation${donations === 1 ? '' : 's'} and completed at the ${['first', 'second', 'third', 'fourth'][donations - 1]}.`, sources: [5]}],
    ],
    events: [],
    people: [
      {id: carer, name: nameOf(carer), role: 'carer'},
      {id: partner, name: nameOf(partner), role: 'partner'},
      {id: friend, name: nameOf(friend), role: 'friend'},
    ],
  };
}

function sift(body) {
  const named = PATTERNS.find((p) => p.name === body.pattern);
  const text = named ? named.text : String(body.pattern || '');
  if (!named && !text.includes(':')) {
    return [400, {error: `no pattern \`${text.slice(0, 60)}\``, line: 1, column: 1,
      help: `the named patterns are ${PATTERNS.map((p) => p.name).join(', ')}`}];
  }
  const bad = text.split('\n').findIndex((l) => l.trim() && !/^\s*(#|pattern\s|order\s|unless\s|where\s|and\s|or\s|after\s|before\s|between\s|[\w-]+:\s|completed\s|donation\s|carer-)/.test(l));
  if (bad >= 0) {
    return [400, {error: 'expected a clause such as `c: completed ?x`', line: bad + 1, column: 1}];
  }
  const r = rng(`${body.pattern}/${body.scenario}/${body.seed}`);
  const replicates = Number(body.replicates) || 5;
  const per = Array.from({length: replicates}, () => 3 + Math.floor(r() * 20));
  const mean = per.reduce((a, b) => a + b, 0) / replicates;
  const population = 480000;
  const matches = Array.from({length: 8}, (_, i) => {
    const id = 1000 + Math.floor(r() * 9000);
    return {replicate: Math.floor(r() * replicates), id, name: nameOf(id), rarity: 9 - i * 0.6 - r() * 0.5,
      properties: ['hailsham', 'the White Mansion', 'born 1950s', `${1 + (id % 4)} donations`, 'carer 10-14 years'],
      life: `#/life/${id}`};
  });
  return [200, {pattern: named ? named.name : 'pattern', count: {key: 'count', label: 'matches', unit: 'people', mean, low: mean * 0.8, high: mean * 1.2},
    share: {key: 'share', label: 'share', unit: 'share', mean: mean / population, low: mean * 0.8 / population, high: mean * 1.2 / population},
    per_replicate: per, population, matches}];
}

// ---- HTTP

function send(res, status, body) {
  res.writeHead(status, {'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store'});
  res.end(JSON.stringify(body));
}

const TYPES = {'.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '': 'text/plain; charset=utf-8'};

function serveAsset(res, file) {
  const full = path.join(assets, file);
  if (!full.startsWith(assets) || !fs.existsSync(full) || fs.statSync(full).isDirectory()) {
    send(res, 404, {error: `no asset \`${file}\``});
    return;
  }
  res.writeHead(200, {'Content-Type': TYPES[path.extname(full)] || TYPES['']});
  fs.createReadStream(full).pipe(res);
}

async function readBody(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return null;
  }
}

function events(req, res, run) {
  res.writeHead(200, {'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive'});
  const timer = setInterval(() => {
    tick(run);
    res.write(`event: progress\ndata: ${JSON.stringify({done: run.done, total: run.total})}\n\n`);
    if (['complete', 'cancelled', 'failed'].includes(run.status)) {
      res.write(`event: ${run.status}\ndata: ${JSON.stringify(run.status === 'complete' ? {run: run.id} : {})}\n\n`);
      clearInterval(timer);
      res.end();
    }
  }, 150);
  req.on('close', () => clearInterval(timer));
}

async function handle(req, res) {
  const url = new URL(req.url, 'http://localhost');
  const p = url.pathname;
  let m;
  if (p === '/') return serveAsset(res, 'index.html');
  if (p.startsWith('/assets/')) return serveAsset(res, decodeURIComponent(p.slice('/assets/'.length)));
  if (p === '/api/version') return send(res, 200, {version: '0.1.0-mock'});
  if (p === '/api/scenarios') return send(res, 200, {scenarios: SCENARIOS.map(({name, question, summary}) => ({name, question, summary}))});
  if ((m = p.match(/^\/api\/scenarios\/([\w-]+)$/))) {
    const s = SCENARIOS.find((x) => x.name === m[1]);
    return s ? send(res, 200, {name: s.name, question: s.question, text: s.text})
      : send(res, 404, {error: `unknown scenario \`${m[1]}\``, help: 'the bundled scenarios are listed at /api/scenarios'});
  }
  if (p === '/api/params') return send(res, 200, {groups: PARAMS});
  if (p === '/api/patterns') return send(res, 200, {patterns: PATTERNS});
  if (p === '/api/questions') return send(res, 200, {questions: SCENARIOS.filter((s) => s.answered).map((s) => questionOf(s, false))});
  if ((m = p.match(/^\/api\/questions\/([\w-]+)$/))) {
    const s = SCENARIOS.find((x) => x.name === m[1] && x.answered);
    return s ? send(res, 200, questionOf(s, true)) : send(res, 404, {error: `no question \`${m[1]}\``, help: null});
  }
  if (req.method === 'POST' && p === '/api/check') {
    const body = await readBody(req);
    return body ? send(res, 200, check(String(body.text || ''))) : send(res, 400, {error: 'the body is not JSON'});
  }
  if (req.method === 'POST' && p === '/api/runs') {
    const body = await readBody(req);
    if (!body || (!body.scenario && !body.text)) return send(res, 400, {error: 'give `scenario` or `text`', help: null});
    let name = body.scenario;
    if (body.text) {
      const checked = check(body.text);
      if (!checked.ok) return send(res, 400, {error: 'the scenario does not validate', diagnostics: checked.diagnostics});
      name = (body.text.match(/^name = "(.*)"/m) || [])[1] || 'scenario';
    } else if (!SCENARIOS.some((s) => s.name === name)) {
      return send(res, 400, {error: `unknown scenario \`${name}\``, help: 'did you mean `single-harvest`?'});
    }
    const request = {scenario: body.scenario, text: body.text, seed: body.seed ?? 1, replicates: body.replicates ?? 5, end_year: body.end_year};
    const id = runId(request);
    const old = runs.get(id);
    if (old && headOf(old).status === 'complete') return send(res, 200, {run: id, status: 'complete'});
    const endYear = request.end_year || 2000;
    runs.set(id, {id, scenario: name, hash: id, seed: request.seed, replicates: request.replicates, end_year: endYear,
      status: 'queued', started: new Date().toISOString(), finished: null, startedAt: Date.now(),
      done: 0, total: request.replicates * (endYear - 1952)});
    return send(res, 202, {run: id, status: 'queued'});
  }
  if (p === '/api/runs') return send(res, 200, {runs: [...runs.values()].reverse().map(headOf)});
  if ((m = p.match(/^\/api\/runs\/(\w+)(\/events|\/cancel)?$/))) {
    const run = runs.get(m[1]);
    if (!run) return send(res, 404, {error: `no run \`${m[1]}\` in the store`, help: 'the stored runs are listed at #/runs'});
    if (m[2] === '/events') return events(req, res, run);
    if (m[2] === '/cancel' && req.method === 'POST') {
      tick(run);
      if (run.status === 'queued' || run.status === 'running') run.status = 'cancelled';
      return send(res, 200, {run: run.id, status: run.status});
    }
    const head = headOf(run);
    if (head.status !== 'complete') return send(res, 200, head);
    return send(res, 200, {...head, summary: summaryOf(run.scenario), series: seriesOf(run.scenario, run.end_year)});
  }
  if (p === '/api/compare') {
    const ids = (url.searchParams.get('runs') || '').split(',').filter(Boolean);
    const chosen = ids.map((id) => runs.get(id));
    if (chosen.length < 2 || chosen.some((r) => !r)) return send(res, 400, {error: 'name two or more stored runs', help: null});
    const sums = chosen.map((r) => summaryOf(r.scenario));
    const figures = sums[0].map((f, i) => ({key: f.key, label: f.label, unit: f.unit, values: sums.map((s) => s[i]),
      differences: sums.slice(1).map((s) => {
        const d = s[i].mean - f.mean;
        return figure(f.key, f.label, f.unit, d, Math.abs(d) * 0.3);
      })}));
    return send(res, 200, {base: ids[0], runs: chosen.map(headOf), figures});
  }
  if (req.method === 'POST' && p === '/api/sift') {
    const body = await readBody(req);
    await new Promise((resolve) => setTimeout(resolve, 400)); // the real one runs replicates
    const [status, answer] = sift(body || {});
    return send(res, status, answer);
  }
  if ((m = p.match(/^\/api\/life\/(\d+)$/))) {
    const id = Number(m[1]);
    const scenario = url.searchParams.get('scenario') || 'novel';
    const replicate = url.searchParams.get('replicate') || '0';
    const against = url.searchParams.get('against');
    const life = lifeOf(id, scenario, replicate);
    if (!against) return send(res, 200, life);
    // docs/serve.md leaves this shape open; this is the Rust server's: the other life under `against`.
    return send(res, 200, {...life, against: {life: lifeOf(id, against, replicate), shared_announcements: 7,
      parting: '1979-03-14', rules: ['donation.donations_max', 'care.carer_share'], causes: 1,
      words: `The two lives share their first 7 announcements and part on 1979-03-14: in ${scenario} the next is a second donation; in ${against}, her completion.`}});
  }
  return send(res, 404, {error: `no such endpoint: ${req.method} ${p}`, help: 'see docs/serve.md'});
}

http.createServer((req, res) => {
  handle(req, res).catch((error) => send(res, 500, {error: String(error)}));
}).listen(port, '127.0.0.1', () => {
  console.log(`MOCK hailsham serve (canned data, not results) on http://127.0.0.1:${port}`);
});
