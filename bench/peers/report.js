// The ratios of bench/peers, from the medians over the rounds: ours ÷ peer for each pair, and our
// PostgreSQL sequential latency next to 4 × the floor (a sequential workflow is about four commits:
// the create and three step results). A JSON line and a human table.
import { round } from './measure.js';

const find = (results, pair, mode, pick) => results.find((r) => r.pair === pair && r.mode === mode && pick(r.subject));
const isOurs = (subject) => subject.name.startsWith('ours.');
const ratio = (a, b) => (a !== undefined && b ? Number((a / b).toPrecision(3)) : undefined);
const spread = (s) => (s ? `±${Math.round(s.spread_pct / 2)}%` : '');

export function ratios(results, floorSubject, meta) {
  const pairs = [];
  for (const pair of [...new Set(results.map((r) => r.pair))]) {
    const subjects = [...new Set(results.filter((r) => r.pair === pair).map((r) => r.subject))];
    const ours = subjects.find(isOurs);
    if (!ours) continue;
    for (const peer of subjects.filter((s) => !isOurs(s))) {
      const seqOurs = find(results, pair, 'sequential', (s) => s === ours)?.summary;
      const seqPeer = find(results, pair, 'sequential', (s) => s === peer)?.summary;
      const thrOurs = find(results, pair, 'throughput', (s) => s === ours)?.summary;
      const thrPeer = find(results, pair, 'throughput', (s) => s === peer)?.summary;
      pairs.push({
        pair,
        ours: ours.label,
        peer: peer.label,
        ...(peer.version ? { peer_version: peer.version() } : {}),
        ours_p50_ms: seqOurs?.p50_ms.median,
        peer_p50_ms: seqPeer?.p50_ms.median,
        sequential_p50_ratio: ratio(seqOurs?.p50_ms.median, seqPeer?.p50_ms.median),
        sequential_p99_ratio: ratio(seqOurs?.p99_ms.median, seqPeer?.p99_ms.median),
        ours_per_sec: thrOurs?.per_sec.median,
        peer_per_sec: thrPeer?.per_sec.median,
        throughput_ratio: ratio(thrOurs?.per_sec.median, thrPeer?.per_sec.median),
        spreads: { ours_p50: seqOurs?.p50_ms, peer_p50: seqPeer?.p50_ms, ours_per_sec: thrOurs?.per_sec, peer_per_sec: thrPeer?.per_sec },
      });
    }
  }
  const floorSeq = find(results, 'floor', 'sequential', (s) => s === floorSubject)?.summary;
  const floorThr = find(results, 'floor', 'throughput', (s) => s === floorSubject)?.summary;
  const pgSeq = find(results, 'postgres', 'sequential', isOurs)?.summary;
  const pgThr = find(results, 'postgres', 'throughput', isOurs)?.summary;
  const floor =
    floorSeq || floorThr
      ? {
          p50_ms: floorSeq?.p50_ms.median,
          p99_ms: floorSeq?.p99_ms.median,
          commits_per_sec: floorThr?.per_sec.median,
          four_x_p50_ms: floorSeq ? round(4 * floorSeq.p50_ms.median) : undefined,
          ours_postgres_p50_ms: pgSeq?.p50_ms.median,
          ours_postgres_p50_over_4x_floor: ratio(pgSeq?.p50_ms.median, floorSeq && 4 * floorSeq.p50_ms.median),
          ours_postgres_per_sec: pgThr?.per_sec.median,
          ours_postgres_per_sec_over_floor_div_4: ratio(pgThr?.per_sec.median, floorThr && floorThr.per_sec.median / 4),
        }
      : undefined;
  const line = { case: 'ratios', date: new Date().toISOString().slice(0, 10), cores: meta.cores, concurrency: meta.concurrency, rounds: { sequential: meta.seqRounds, throughput: meta.thrRounds }, reading: 'ours ÷ peer, from the medians: a latency ratio below 1 and a throughput ratio above 1 favour ours', pairs: pairs.map(({ spreads, ...p }) => p), ...(floor ? { floor } : {}) };
  return { line, table: table(pairs, floor, meta) };
}

const fmt = (x, digits = 2) => (x === undefined ? '—' : x >= 100 ? String(Math.round(x)) : x < 1 ? String(Number(x.toPrecision(digits))) : String(round(x, digits)));

function table(pairs, floor, meta) {
  const rows = [['pair', 'peer', 'seq p50 ms ours', 'peer', 'ours÷peer', 'seq p99 ours÷peer', 'wf/s ours', 'peer', 'ours÷peer']];
  for (const p of pairs) {
    rows.push([p.pair, p.peer, `${fmt(p.ours_p50_ms, 3)} ${spread(p.spreads.ours_p50)}`, `${fmt(p.peer_p50_ms, 3)} ${spread(p.spreads.peer_p50)}`, fmt(p.sequential_p50_ratio), fmt(p.sequential_p99_ratio), `${fmt(p.ours_per_sec)} ${spread(p.spreads.ours_per_sec)}`, `${fmt(p.peer_per_sec)} ${spread(p.spreads.peer_per_sec)}`, fmt(p.throughput_ratio)]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const out = [`Ratios (ours ÷ peer, medians of ${meta.seqRounds} sequential / ${meta.thrRounds} throughput rounds, ${meta.concurrency} in flight, ${meta.cores} cores; ±: half the min–max range over the rounds)`];
  for (const r of rows) out.push(r.map((cell, c) => cell.padEnd(widths[c])).join('  '));
  if (floor) {
    out.push('');
    out.push(`Floor (single-row INSERT commit, pg): p50 ${fmt(floor.p50_ms, 3)} ms, p99 ${fmt(floor.p99_ms, 3)} ms, ${fmt(floor.commits_per_sec)} commits/s with 50 clients`);
    out.push(`  ours PostgreSQL sequential p50 ${fmt(floor.ours_postgres_p50_ms, 3)} ms vs 4 × floor p50 ${fmt(floor.four_x_p50_ms, 3)} ms: ${fmt(floor.ours_postgres_p50_over_4x_floor)}×`);
    out.push(`  ours PostgreSQL ${fmt(floor.ours_postgres_per_sec)} wf/s vs floor ÷ 4 ${fmt(floor.commits_per_sec && floor.commits_per_sec / 4)}: ${fmt(floor.ours_postgres_per_sec_over_floor_div_4)}×`);
  }
  return out.join('\n');
}
