/** Options of the HTTP API mounted by the module (core's route table behind a Nest controller). */
import type { CanActivate, Type } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import type { PrincipalHook, WorkflowApiOptions } from '@workflow-mastery/core/http';

/** The request as the `principal` hook sees it: Express's `req` or Fastify's `request`. */
export interface WorkflowHttpNestRequest {
  headers: IncomingHttpHeaders;
  /** Set by Passport-style guards; the default principal. */
  user?: unknown;
  [key: string]: unknown;
}

/**
 * Where and how the HTTP API is mounted, plus core's `createWorkflowApi` options
 * (`authorize` or `auth: 'none'`, `publicOperations`, `openapi`, `healthTimeoutMs`, `logger`,
 * `metrics` for `GET /metrics`, `readiness` checks for `GET /ready`).
 */
export interface WorkflowHttpOptions extends Omit<WorkflowApiOptions, 'engine'> {
  /**
   * Path the routes are mounted under, below any global prefix: with `'workflow'`,
   * `POST /workflow/workflows/:name/instances`, `GET /workflow/instances`... @defaultValue `''`
   */
  prefix?: string;
  /**
   * Who makes a request. `undefined` means unauthenticated (401 unless `auth: 'none'`).
   * @defaultValue `req.user` when it is a string or an object with an `id` (as Passport guards set it)
   */
  principal?: PrincipalHook<WorkflowHttpNestRequest>;
  /** Guards applied to every route of the API's controller (`@UseGuards`), e.g. `AuthGuard('jwt')`. Fixed when the module is defined. */
  guards?: Array<CanActivate | Type<CanActivate>>;
  /**
   * Largest JSON body read when the app's own body parser is off (`bodyParser: false`); with it
   * on, the app's parser and its limit apply. @defaultValue 1 MiB
   */
  bodyLimit?: number;
}
