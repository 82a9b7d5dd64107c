// `npm run bench:peers`: ours against peers doing the same 3-step no-op workflow, on the same
// services, interleaved (ours, peer, ours, peer, …: every round opens each subject afresh, measures
// it, closes it). One JSON line per case on stdout (median over the rounds, with the spread and each
// round), then `{"case":"ratios",…}`; progress and the table of ratios on stderr.
//   node --expose-gc bench/peers/run.js [filter]   only the pairs whose name contains filter
// Env: PEERS_ROUNDS (throughput rounds, 3), PEERS_SEQ_ROUNDS (sequential rounds, 2),
// PEERS_CONCURRENCY (in flight for throughput, 50), PEERS_SCALE (multiplies every count, 1),
// PEERS_TOTAL (workflows per throughput round, every pair), PEERS_SEQ (workflows per sequential round).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { round, sequential, summarize, throughput } from './measure.js';
import { ratios } from './report.js';

const dir = import.meta.dirname;
const emit = (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`);
const progress = (msg) => process.stderr.write(`… ${msg}\n`);
// stdout carries the JSON lines only: whatever a library prints goes to stderr.
console.log = console.info = (...args) => console.error(...args);

// The peers live in bench/peers/node_modules, outside the workspaces: installed here when missing.
if (!existsSync(path.join(dir, 'node_modules', '@dbos-inc', 'dbos-sdk')) || !existsSync(path.join(dir, 'node_modules', 'bpmn-engine'))) {
  const verb = existsSync(path.join(dir, 'package-lock.json')) ? 'ci' : 'install';
  progress(`installing the peers: npm ${verb} --prefix bench/peers`);
  const npm = spawnSync('npm', [verb, '--prefix', dir, '--no-audit', '--no-fund'], { stdio: ['ignore', 2, 2] });
  if (npm.status !== 0) throw new Error(`npm ${verb} --prefix bench/peers failed (exit ${npm.status}): install the peers by hand and run again.`);
}

const { ours } = await import('./ours.js');
const { peers } = await import('./peers.js');
const { floor } = await import('./floor.js');

const int = (name, fallback) => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number (got "${raw}").`);
  return n;
};
const scale = int('PEERS_SCALE', 1);
const thrRounds = int('PEERS_ROUNDS', 3);
const seqRounds = int('PEERS_SEQ_ROUNDS', 2);
const concurrency = int('PEERS_CONCURRENCY', 50);
const size = (n, override) => Math.max(1, Math.round(int(override, n * scale)));
const sizes = (seq, thr) => ({
  seq: { count: size(seq, 'PEERS_SEQ'), warmup: Math.max(1, Math.round(size(seq, 'PEERS_SEQ') / 10)) },
  thr: { total: size(thr, 'PEERS_TOTAL'), warmup: Math.max(concurrency, Math.round(size(thr, 'PEERS_TOTAL') / 10)) },
});

// Each group: ours first, then the peer(s); the floor is a group of its own, right before PostgreSQL.
const groups = [
  // Rounds of a few seconds for ours: shorter ones measure the JIT's warm-up more than the engine.
  { pair: 'memory', subjects: [ours.memory, peers.bpmn], ...sizes(3000, 50_000) },
  { pair: 'floor', subjects: [floor], ...sizes(1000, 5000) },
  { pair: 'postgres', subjects: [ours.postgres, peers.dbos], ...sizes(300, 10_000) },
  { pair: 'bullmq.in_process', subjects: [ours.bullmqInProcess, peers.bareInProcess], ...sizes(200, 2000) },
  { pair: 'bullmq.worker_process', subjects: [ours.bullmqWorker, peers.bareWorker], ...sizes(200, 2000) },
];
const filter = process.argv[2] ?? '';
// A much slower subject (sizeFactor < 1, or { seq, thr }) runs fewer workflows a round: rates and
// quantiles compare the same.
const sized = (group, subject) => {
  const factor = subject.sizeFactor ?? 1;
  const fs = typeof factor === 'number' ? factor : (factor.seq ?? 1);
  const ft = typeof factor === 'number' ? factor : (factor.thr ?? 1);
  const n = (x, f, min = 1) => Math.max(min, Math.round(x * f));
  return { seq: { count: n(group.seq.count, fs), warmup: n(group.seq.warmup, fs) }, thr: { total: n(group.thr.total, ft), warmup: n(group.thr.warmup, ft, concurrency) } };
};

const results = []; // { pair, subject, mode, summary }
let failed = 0;
for (const group of groups) {
  if (!group.pair.includes(filter)) continue;
  try {
    await runGroup(group);
  } catch (error) {
    // One pair failing (a service down, a peer's error) does not lose the others' figures.
    failed++;
    process.stderr.write(`✗ ${group.pair}: ${error?.stack ?? error}\n`);
  }
}

async function runGroup(group) {
  const perSubject = group.subjects.map(() => ({ sequential: [], throughput: [] }));
  for (let r = 0; r < Math.max(seqRounds, thrRounds); r++) {
    for (const [i, subject] of group.subjects.entries()) {
      progress(`${group.pair}: round ${r + 1}, ${subject.name}`);
      const { seq, thr } = sized(group, subject);
      const opened = await subject.open();
      try {
        if (r < seqRounds) perSubject[i].sequential.push(await sequential(opened.runOne, seq.count, seq.warmup));
        if (r < thrRounds) perSubject[i].throughput.push(await throughput(opened.runOne, thr.total, concurrency, thr.warmup));
      } finally {
        await opened.close();
      }
    }
  }
  for (const [i, subject] of group.subjects.entries()) {
    const unit = subject === floor ? 'commits' : 'workflows';
    const base = { pair: group.pair, subject: subject.label, ...(subject.version ? { version: subject.version() } : {}) };
    const { seq: seqSize, thr: thrSize } = sized(group, subject);
    const seq = perSubject[i].sequential;
    if (seq.length) {
      const summary = { p50_ms: summarize(seq, 'p50_ms'), p99_ms: summarize(seq, 'p99_ms') };
      results.push({ pair: group.pair, subject, mode: 'sequential', summary });
      emit({ case: `${subject.name}.sequential`, ...base, rounds: seq.length, [unit]: seqSize.count, p50_ms: summary.p50_ms.median, p99_ms: summary.p99_ms.median, p50_spread_pct: summary.p50_ms.spread_pct, p99_spread_pct: summary.p99_ms.spread_pct, per_round: seq.map(({ p50_ms, p99_ms, mean_ms }) => ({ p50_ms, p99_ms, mean_ms })) });
    }
    const thr = perSubject[i].throughput;
    if (thr.length) {
      const summary = { per_sec: summarize(thr, 'per_sec'), p50_ms: summarize(thr, 'p50_ms'), p99_ms: summarize(thr, 'p99_ms') };
      results.push({ pair: group.pair, subject, mode: 'throughput', summary });
      emit({ case: `${subject.name}.throughput`, ...base, rounds: thr.length, concurrency, [unit]: thrSize.total, [`${unit}_per_sec`]: Math.round(summary.per_sec.median), spread_pct: summary.per_sec.spread_pct, min_per_sec: summary.per_sec.min, max_per_sec: summary.per_sec.max, p50_ms: round(summary.p50_ms.median, 1), p99_ms: round(summary.p99_ms.median, 1), per_round: thr.map(({ per_sec, seconds, p50_ms, p99_ms }) => ({ per_sec, seconds, p50_ms, p99_ms })) });
    }
  }
}

const { line, table } = ratios(results, floor, { cores: (await import('node:os')).availableParallelism(), concurrency, seqRounds, thrRounds });
emit(line);
process.stderr.write(`${table}\n`);
// Pools and sockets some libraries keep open (DBOS, ioredis) must not hold the process.
process.exit(failed ? 1 : 0);
