/** What the framework samples' tests share: the dashboard page and its script served at `path`. */
import { expect } from '@jest/globals';

/** The page at `${url}${path}` is the dashboard (HTML naming `title`, API at `/api`) and its `app.js` loads. */
export async function expectDashboardServed(url: string, path: string, title: string): Promise<void> {
  const page = await fetch(`${url}${path}`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  const html = await page.text();
  expect(html).toContain('"apiBase":"/api"');
  expect(html).toContain(title);
  expect((await fetch(`${url}${path}/app.js`)).status).toBe(200);
}
