// A bounded load test of `hailsham serve` on loopback: a plain Node script.
//
// CLIENTS clients (50) read for SECONDS seconds (20) what a class reads at once: the stored
// runs, one run with its summary and series, the questions, a handful of lives (the first
// request of each runs the model; later ones come from the server's cache). Meanwhile it
// queues runs past the queue's bound and checks that the server answers "busy" rather than
// holding them, and samples the server's resident memory from /proc. It prints the counts,
// the latency percentiles and the memory, and exits non-zero on any error answer.
//
//   HAILSHAM_URL=http://127.0.0.1:8370 HAILSHAM_PID=1234 node tests/browser/load.mjs

import fs from 'node:fs';

const BASE = (process.env.HAILSHAM_URL || '').replace(/\/+$/, '');
const PID = process.env.HAILSHAM_PID;
const CLIENTS = Number(process.env.CLIENTS || 50);
const SECONDS = Number(process.env.SECONDS || 20);

if (!BASE) {
  console.error('error: set HAILSHAM_URL to the server, e.g. HAILSHAM_URL=http://127.0.0.1:8370');
  process.exit(2);
}

async function json(path, options) {
  const response = await fetch(BASE + path, options);
  const body = await response.json();
  return {status: response.status, body};
}

function resident() {
  if (!PID) return null;
  try {
    const status = fs.readFileSync(`/proc/${PID}/status`, 'utf8');
    const match = status.match(/VmRSS:\s+(\d+) kB/);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

async function waitFor(id) {
  for (let i = 0; i < 600; i++) {
    const {body} = await json(`/api/runs/${id}`);
    if (body.status === 'complete') return body;
    if (body.status === 'failed' || body.status === 'cancelled') throw new Error(`run ${id} ${body.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`run ${id} did not finish`);
}

// A stored run to read, and the lives of its first matches to tell.
const post = (path, body) => json(path, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body)});
const {body: started} = await post('/api/runs', {scenario: 'novel', seed: 7, replicates: 1});
const run = await waitFor(started.run);
const {body: sifted} = await post('/api/sift', {pattern: 'narrator', seed: 1, replicates: 1});
const lives = (sifted.matches || []).slice(0, 5).map((m) => `/api/life/${m.id}?scenario=novel&seed=1&replicate=${m.replicate}`);
if (lives.length === 0) throw new Error('no narrator to read');
const paths = ['/api/runs', `/api/runs/${run.id}`, '/api/questions', ...lives];

const latencies = [];
let errors = 0;
const counts = {};
let peak = resident() || 0;
const memory = setInterval(() => { peak = Math.max(peak, resident() || 0); }, 100);

// Runs past the queue, while the readers read: the server must say busy, not hold them all.
const queued = [];
let busy = 0;
for (let seed = 1000; seed < 1012; seed++) {
  const {status, body} = await post('/api/runs', {scenario: 'novel', seed, replicates: 2});
  if (status === 503) busy++;
  else if (status === 202) queued.push(body.run);
  else { errors++; console.error(`queueing a run: ${status} ${JSON.stringify(body)}`); }
}

const end = Date.now() + SECONDS * 1000;
async function client(k) {
  let i = k;
  while (Date.now() < end) {
    const path = paths[i++ % paths.length];
    const t = performance.now();
    try {
      const response = await fetch(BASE + path);
      await response.arrayBuffer();
      if (response.status !== 200) { errors++; console.error(`${path}: ${response.status}`); }
    } catch (error) {
      errors++;
      console.error(`${path}: ${error}`);
    }
    latencies.push(performance.now() - t);
    const kind = path.split('?')[0].replace(/\/\d+$/, '/N');
    counts[kind] = (counts[kind] || 0) + 1;
  }
}
await Promise.all(Array.from({length: CLIENTS}, (_, k) => client(k)));
for (const id of queued) await post(`/api/runs/${id}/cancel`, {});
clearInterval(memory);

latencies.sort((a, b) => a - b);
const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
console.log(`${CLIENTS} clients for ${SECONDS} s on ${BASE}: ${latencies.length} requests, ${(latencies.length / SECONDS).toFixed(0)} a second, ${errors} errors`);
console.log(`latency: p50 ${at(0.5).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms`);
for (const [kind, n] of Object.entries(counts)) console.log(`  ${kind}: ${n}`);
console.log(`runs asked for past the queue: ${queued.length} queued, ${busy} answered busy`);
if (PID) console.log(`server resident memory at the most: ${(peak / 1e6).toFixed(1)} MB`);
if (busy === 0) { console.error('error: the queue took every run: it is not bounded'); process.exit(1); }
process.exit(errors === 0 ? 0 : 1);
