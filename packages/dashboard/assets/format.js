/** How times, durations and states are shown. */

/** `1234` → `1.2 s`; `90061000` → `1 d 1 h`. */
export function formatDuration(ms) {
  if (ms === undefined || ms === null || !Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const s = Math.round(ms / 1000);
  const d = Math.floor(s / 86400), hr = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  if (d) return `${d} d ${hr} h`;
  if (hr) return `${hr} h ${m} min`;
  return `${m} min ${sec} s`;
}

/** Epoch ms → `2026-11-26 10:42:07` in the browser's zone. */
export function formatTime(ms) {
  if (ms === undefined || ms === null) return '–';
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** `5 min ago`, `in 2 d 3 h`. */
export function formatRelative(ms, now = Date.now()) {
  if (ms === undefined || ms === null) return '–';
  const delta = ms - now;
  return delta >= 0 ? `in ${formatDuration(delta)}` : `${formatDuration(-delta)} ago`;
}

/** Instance states in lifecycle order. */
export const INSTANCE_STATES = ['PENDING', 'RUNNING', 'WAITING', 'PAUSED', 'COMPENSATING', 'COMPLETED', 'FAILED', 'CANCELLED'];

/** `WAITING` → `waiting` (class names and labels). */
export const lower = (state) => String(state ?? '').toLowerCase();

/** Abbreviate a long id for tables: `e6ec20c4…c06e`. */
export function shortId(id) {
  const text = String(id);
  return text.length > 14 ? `${text.slice(0, 8)}…${text.slice(-4)}` : text;
}

/** Pretty JSON for display. */
export const prettyJson = (value) => JSON.stringify(value, null, 2);
