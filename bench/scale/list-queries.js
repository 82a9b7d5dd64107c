// Case 2: listInstances page latency (pages of 50) on the big tables, per filter.
import { quantile, round } from './common.js';
import { DEFINITION_NAMES } from './load.js';

const QUERIES = Number(process.env.SCALE_QUERIES ?? 200);
const MAX_SECONDS = Number(process.env.SCALE_QUERY_SECONDS ?? 30);
const PAGE = 50;

/**
 * The filters measured: WAITING among few (the loaded 0.1 %; the live instances are all
 * finished by then), COMPLETED among many (the first page and, by cursor,
 * the pages after it), one definition name, a business key (`ORD-<n>`, a different one per query)
 * and a customer attribute.
 */
function filters(rows) {
  const pick = (i) => Math.floor(((i * 7919) % 1000) * (rows / 1000)) + (i % 7);
  return {
    state_waiting_few: () => ({ state: 'WAITING' }),
    state_completed: () => ({ state: 'COMPLETED' }),
    state_completed_paged: 'paged',
    definition_name: (i) => ({ definitionName: DEFINITION_NAMES[i % 3] }),
    business_key: (i) => ({ businessKey: `ORD-${pick(i) % rows}` }),
    attribute_customer: (i) => ({ attributes: { customer: `C-${i % 1000}` } }),
  };
}

/**
 * Every filter's p50/p99 over SCALE_QUERIES (200) queries, or as many as run in
 * SCALE_QUERY_SECONDS (30) when they are slow (`queries` says how many). `filter_ignored` when a page holds
 * items that do not match (the storage does not implement the filter yet), `matched` the average
 * items per page.
 */
export async function measureListQueries(storage, rows) {
  const out = {};
  for (const [name, make] of Object.entries(filters(rows))) {
    const times = [];
    let items = 0;
    let mismatched = 0;
    let cursor;
    const t0 = performance.now();
    for (let i = 0; i < QUERIES && (i < 5 || performance.now() - t0 < MAX_SECONDS * 1000); i++) {
      const query = make === 'paged' ? { state: 'COMPLETED', ...(cursor ? { cursor } : {}) } : make(i);
      const t = performance.now();
      const page = await storage.listInstances({ ...query, limit: PAGE });
      times.push(performance.now() - t);
      cursor = page.nextCursor;
      items += page.items.length;
      mismatched += page.items.filter((r) => !matches(r, query)).length;
    }
    times.sort((a, b) => a - b);
    out[name] = { queries: times.length, p50_ms: round(quantile(times, 0.5), 2), p99_ms: round(quantile(times, 0.99), 2), items_per_page: round(items / times.length, 1), ...(mismatched > 0 ? { filter_ignored: true } : {}) };
  }
  return out;
}

function matches(record, query) {
  if (query.state && record.state !== query.state) return false;
  if (query.definitionName && record.definitionName !== query.definitionName) return false;
  if (query.businessKey && record.businessKey !== query.businessKey) return false;
  for (const [k, v] of Object.entries(query.attributes ?? {})) if (record.attributes?.[k] !== v) return false;
  return true;
}
