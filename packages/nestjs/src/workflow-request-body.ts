/** The JSON body of a request to the HTTP API, from the app's parser or read here when it has none. */
import type { IncomingMessage } from 'node:http';
import { contentEncodingMessage, HttpError, HttpErrorCode, isEncodedBody } from '@workflow-mastery/core/http';

/** The request as the body helpers see it: Express's `req`, Fastify's `request` (with `raw`). */
export interface BodyRequest {
  headers: IncomingMessage['headers'];
  body?: unknown;
  raw?: IncomingMessage;
  readable?: boolean;
  readableEnded?: boolean;
  on?: IncomingMessage['on'];
}

/** True when the request carries a body (a non-zero length, or chunked). */
export function hasBody(req: BodyRequest): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}

/** True for `application/json` and `application/*+json`. */
export function isJsonContentType(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/**
 * The body of a route that takes one: 415 for a compressed body or one not declared JSON; the app's parsed
 * body when its parser ran; else the raw stream, read and parsed here (400 `WF_BAD_JSON`, 413).
 */
export async function readJsonBody(req: BodyRequest, limit: number): Promise<unknown> {
  if (!hasBody(req)) return undefined;
  // Compressed bodies are read nowhere: one answer on every adapter, no decompression bomb.
  const encoding = req.headers['content-encoding'];
  if (isEncodedBody(encoding)) throw new HttpError(HttpErrorCode.UnsupportedMediaType, contentEncodingMessage(encoding.trim().toLowerCase()));
  const contentType = req.headers['content-type'];
  if (!isJsonContentType(contentType)) {
    throw new HttpError(HttpErrorCode.UnsupportedMediaType, `The body must be JSON (content-type: application/json), got ${contentType ? `"${contentType}"` : 'no content-type'}.`);
  }
  const stream = unreadStream(req);
  if (!stream) return req.body;
  const text = await readText(stream, limit);
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(HttpErrorCode.BadJson, `The body is not valid JSON: ${(error as Error).message}`, undefined, { cause: error });
  }
}

/** The request's stream when nobody has read it yet (the app runs with `bodyParser: false`). */
function unreadStream(req: BodyRequest): IncomingMessage | undefined {
  if (req.body !== undefined) return undefined;
  const stream = (req.raw ?? req) as IncomingMessage;
  if (typeof stream.on !== 'function' || stream.readableEnded || stream.readable === false) return undefined;
  return stream;
}

function readText(stream: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    stream.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new HttpError(HttpErrorCode.PayloadTooLarge, `The body is larger than ${limit} bytes.`));
        stream.resume();
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    stream.on('error', (error) => {
      if (!failed) reject(error);
    });
  });
}
