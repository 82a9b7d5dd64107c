/** `index.html` with the page's configuration injected, and its Content-Security-Policy. */
import type { DashboardConfig } from './dashboard.types.js';

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe inside HTML content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** JSON safe inside a `<script type="application/json">` element (no `</script>` can close it). */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * The template with `%BASE_HREF%`, `%TITLE%` and `%CONFIG%` filled in. The base href makes the
 * page's relative asset URLs work whether it was asked for as `/dashboard` or `/dashboard/`.
 */
export function renderIndexHtml(template: string, config: DashboardConfig): string {
  return template
    .replace(/%BASE_HREF%/g, escapeHtml(`${config.basePath}/`))
    .replace(/%TITLE%/g, escapeHtml(config.title))
    .replace('%CONFIG%', jsonForScript(config));
}

/**
 * The page's Content-Security-Policy: scripts, styles and images from its own origin only (no
 * CDN, nothing inline), `fetch` to its origin and to the API's when that is elsewhere.
 */
export function contentSecurityPolicy(apiBase: string): string {
  const apiOrigin = /^https?:\/\//i.test(apiBase) ? new URL(apiBase).origin : undefined;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self'${apiOrigin ? ` ${apiOrigin}` : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'none'",
    "frame-ancestors 'self'",
  ].join('; ');
}
