/** Timestamps as the tables show them. */

const pad = (n: number) => String(n).padStart(2, '0');

/** `2025-01-31 14:05:09` in local time; `-` when absent. */
export function formatTime(epochMs: number | undefined): string {
  if (epochMs === undefined) return '-';
  const d = new Date(epochMs);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
