/** The types of core's HTTP contract suite: what it hands the adapter, and the client it expects back. */
import type { IncomingHttpHeaders } from 'node:http';
import type { WorkflowEngine } from '../engine/workflow-engine.js';
import type { AuthorizeHook, ReadinessCheck, WorkflowMetricsSource, WorkflowPrincipal } from '../http/http.types.js';

/** Options the suite hands to the adapter: pass them to the adapter as they are. */
export interface HttpContractApiOptions {
  engine: WorkflowEngine;
  authorize?: AuthorizeHook;
  auth?: 'none';
  /** Set by the tests of `GET /metrics` with a custom source. */
  metrics?: WorkflowMetricsSource;
  /** Set by the tests of `GET /ready`. */
  readiness?: readonly ReadinessCheck[];
  /** Set by the tests of `POST /definitions` with `{ allowUnknownActions: true }`. */
  deploy?: { allowUnknownActions?: boolean };
  /** Reads `x-user` (and `x-role`) headers: works on any request object with Node's `headers`. */
  principal: (request: { headers: IncomingHttpHeaders }) => WorkflowPrincipal | undefined;
}

/** A response as the client reports it: `body` parsed when JSON, else the text. */
export interface HttpContractResponse {
  status: number;
  // Tests read arbitrary fields of the answers.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  headers: Record<string, string | string[] | undefined>;
}

/** Options of one request: `body` is sent as JSON, `rawBody` (text or bytes) as is (with `content-type: application/json` unless given). */
export interface HttpContractRequestOptions {
  body?: unknown;
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
}

/** A client of the routes mounted by the adapter; paths are relative to the mount point. */
export interface HttpContractClient {
  request(method: string, path: string, options?: HttpContractRequestOptions): Promise<HttpContractResponse>;
  /** Stop the server/app (the suite closes the engine itself). */
  close(): Promise<void>;
}

/** Builds the adapter over `options` and a client for it. */
export type HttpContractClientFactory = (options: HttpContractApiOptions) => Promise<HttpContractClient> | HttpContractClient;

/**
 * What an adapter declares it cannot do, each with the reason (the cases depending on it are
 * registered as skipped, never passed). Omit for an adapter that supports everything.
 */
export interface HttpContractCapabilities {
  /**
   * The adapter reads the request body itself, so a malformed JSON body is the API's 400
   * `WF_BAD_JSON`, a body declared as another type its 415, and `application/<subtype>+json`
   * accepted. A string says why not (the platform's own body parser answers those requests).
   */
  ownsBodyParsing?: true | string;
  /**
   * Run the hostile-input section (deep nesting, bad percent-encoding, compressed bodies, bodies
   * without a principal, prototype keys, long ids, body sizes, `null` bodies, the error format).
   * Off, it is registered as skipped. Temporary: on for every adapter once all of them pass it.
   */
  hostile?: true;
}
