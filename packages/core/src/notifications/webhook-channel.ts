/** A channel that POSTs the notification as JSON, with a per-try timeout and retries. */
import { ErrorCode, SymbolBasedInstanceOfError, WorkflowError } from '../errors.js';
import type { NotificationChannel, WorkflowNotification } from './notifier.types.js';

/** Options of {@link WebhookChannel}. */
export interface WebhookChannelOptions {
  /** Channel name; default `webhook`. */
  name?: string;
  /** Absolute http(s) URL to POST to; `user:password@` in it is sent as Basic auth. */
  url: string | URL;
  /** Extra request headers (auth...); `content-type` is `application/json` unless set here. */
  headers?: Record<string, string>;
  /** Timeout of each try in ms; default 5000. */
  timeoutMs?: number;
  /** Retries after the first try (network errors, timeouts, 5xx, 429); default 3. */
  retries?: number;
  /** Delay before the first retry in ms, doubled for each next one; default 200. */
  retryDelayMs?: number;
}

/**
 * The webhook could not deliver (`WF_NOTIFICATION_FAILED`): the last HTTP `status` (if any answer
 * came) and how many `tries` were made.
 */
@SymbolBasedInstanceOfError('WebhookDeliveryError')
export class WebhookDeliveryError extends WorkflowError {
  override readonly name = 'WebhookDeliveryError';
  constructor(
    message: string,
    readonly url: string,
    readonly tries: number,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(ErrorCode.NotificationFailed, message, { url, tries, ...(status !== undefined ? { status } : {}) }, options);
  }
}

type TryOutcome = { ok: true } | { ok: false; retry: boolean; status?: number; reason: string; cause?: unknown };

/** POSTs each notification to `url` with global `fetch`; rejects with {@link WebhookDeliveryError} when it gives up. */
export class WebhookChannel implements NotificationChannel {
  readonly name: string;
  private readonly url: URL;
  private readonly shownUrl: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryDelayMs: number;

  constructor(options: WebhookChannelOptions) {
    this.url = parseUrl(options?.url);
    this.shownUrl = redact(this.url);
    this.name = options.name ?? 'webhook';
    if (typeof this.name !== 'string' || !this.name) throw new TypeError('WebhookChannel: name must be a non-empty string');
    this.headers = { 'content-type': 'application/json', ...basicAuth(this.url), ...lowerKeys(options.headers ?? {}) };
    this.url.username = this.url.password = ''; // fetch refuses URLs with credentials
    this.timeoutMs = check('timeoutMs', options.timeoutMs ?? 5000, 1);
    this.retries = check('retries', options.retries ?? 3, 0);
    this.retryDelayMs = check('retryDelayMs', options.retryDelayMs ?? 200, 0);
  }

  async send(notification: WorkflowNotification, signal: AbortSignal): Promise<void> {
    const body = JSON.stringify(notification);
    for (let tries = 1; ; tries++) {
      signal.throwIfAborted();
      const outcome = await this.attempt(body, signal);
      if (outcome.ok) return;
      signal.throwIfAborted();
      if (!outcome.retry || tries > this.retries) {
        const count = `${tries} ${tries === 1 ? 'try' : 'tries'}`;
        const why = outcome.retry ? `; last try: ${outcome.reason}` : `: ${outcome.reason}, not retried (a 4xx other than 429)`;
        throw new WebhookDeliveryError(
          `webhook "${this.name}" POST ${this.shownUrl} failed after ${count}${why}`,
          this.shownUrl,
          tries,
          outcome.status,
          { cause: outcome.cause },
        );
      }
      await sleep(this.retryDelayMs * 2 ** (tries - 1), signal);
    }
  }

  private async attempt(body: string, signal: AbortSignal): Promise<TryOutcome> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    try {
      const res = await fetch(this.url, { method: 'POST', headers: this.headers, body, signal: AbortSignal.any([signal, timeout]) });
      const text = await res.text(); // drain so the connection is reused
      if (res.ok) return { ok: true };
      const snippet = text.trim().slice(0, 200);
      return {
        ok: false,
        retry: res.status >= 500 || res.status === 429,
        status: res.status,
        reason: `status ${res.status}${snippet ? ` (${snippet})` : ''}`,
      };
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (timeout.aborted) return { ok: false, retry: true, reason: `no response (timed out after ${this.timeoutMs}ms)`, cause: error };
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      return { ok: false, retry: true, reason: `no response (${cause instanceof Error ? cause.message : String(cause)})`, cause: error };
    }
  }
}

function parseUrl(value: unknown): URL {
  let url: URL | undefined;
  try {
    url = value instanceof URL || typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new TypeError(`WebhookChannel: url must be an absolute http(s) URL such as "https://hooks.example.com/workflows", got ${JSON.stringify(String(value))}`);
  }
  return url;
}

/** `user:password@` in the URL as a Basic `authorization` header. */
function basicAuth(url: URL): Record<string, string> {
  if (!url.username && !url.password) return {};
  const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return { authorization: `Basic ${Buffer.from(pair).toString('base64')}` };
}

/** The URL without credentials or query string, which may hold secrets. */
function redact(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}${url.search ? '?…' : ''}`;
}

function check(option: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`WebhookChannel: ${option} must be an integer >= ${min}, got ${value}`);
  return value;
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
