/**
 * Headless Debian Chromium through playwright-core. When `/usr/bin/chromium` is missing, CI fails
 * (with how to install it) and a local run skips with a warning.
 */
import { describe } from '@jest/globals';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's `chromium` package. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a quiet, offline-friendly headless run in a container. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

export const MISSING_CHROMIUM_MESSAGE = `Chromium is not installed at ${CHROMIUM_PATH}: the dashboard's browser tests need it. Install it with \`apt-get install -y chromium\` (Debian/Ubuntu).`;

/** Whether the browser tests can run; on CI a missing browser is an error, not a skip. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI === 'true') return true; // launchChromium() then fails with the message
  console.warn(`Skipping the dashboard browser tests. ${MISSING_CHROMIUM_MESSAGE}`);
  return false;
}

/** `describe` for a browser suite: skipped (with a warning) only off CI when Chromium is missing. */
export const describeBrowser: typeof describe = chromiumAvailable() ? describe : (describe.skip as typeof describe);

/**
 * Launch Chromium. Each launch gets a fresh temporary profile (`--user-data-dir`), which
 * playwright creates and removes itself (it refuses the flag in `args`).
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(MISSING_CHROMIUM_MESSAGE);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 60_000 });
}

/** Where screenshots go: `packages/dashboard/test-output/`. */
export function screenshotDir(): string {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-output');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A page of its own context, with page errors collected (a test asserts there were none). */
export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  pageErrors: string[];
}

/** A new context and page at `viewport` (10 s default timeout), collecting uncaught page errors. */
export async function openPage(browser: Browser, viewport: { width: number; height: number }): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.setDefaultTimeout(10_000);
  return { context, page, pageErrors };
}

/** Sign in from the header as a person does (signing out first if someone is signed in). */
export async function signInWithToken(page: Page, token: string): Promise<void> {
  const out = page.locator('[data-action="sign-out"]');
  if (await out.isVisible()) await out.click();
  await page.click('[data-action="sign-in"]');
  await page.fill('input[name="token"]', token);
  await page.click('.auth-form button[type="submit"]');
}

/** Closes what a browser suite opened (page context, browser, server), in order; absent ones are skipped. */
export async function closeAll(...opened: Array<{ close(): Promise<unknown> } | undefined>): Promise<void> {
  for (const item of opened) await item?.close();
}
