/**
 * What routes share: resolving the instance or task a request is about (for `authorize`, before a
 * 404 is revealed) and reading the query values the schemas cannot convert.
 */
import { MAX_SEARCH_ATTRIBUTES } from '../definition/parse-retention.js';
import type { WorkflowEngine } from '../engine/workflow-engine.js';
import { ErrorCode, NotFoundError } from '../errors.js';
import { HttpError } from './http-errors.js';
import type { WorkflowHttpResponse } from './http.types.js';
import type { ResolvedResource } from './route-spec.js';

/** A 200 answer with `body`. */
export const ok = (body: unknown): WorkflowHttpResponse => ({ status: 200, body });

/** The instance of `params.id` (its definition, for `authorize`), or its not-found error. */
export async function instanceResource(engine: WorkflowEngine, params: Record<string, string>): Promise<ResolvedResource> {
  const instanceId = params.id!;
  try {
    const inst = await engine.getInstance(instanceId);
    return { resource: { definition: inst.definitionName, instanceId } };
  } catch (error) {
    if (error instanceof NotFoundError) return { resource: { instanceId }, missing: error };
    throw error;
  }
}

/** {@link instanceResource} plus the signal's name (`params.signal`), for `instances.signal`. */
export async function signalResource(engine: WorkflowEngine, params: Record<string, string>): Promise<ResolvedResource> {
  const { resource, missing } = await instanceResource(engine, params);
  return { resource: { ...resource, signal: params.signal! }, ...(missing ? { missing } : {}) };
}

/** The task of `params.id` (its definition and instance, for `authorize`), or its not-found error. */
export async function taskResource(engine: WorkflowEngine, params: Record<string, string>): Promise<ResolvedResource> {
  const taskId = params.id!;
  try {
    const task = await engine.getTask(taskId);
    return { resource: { definition: task.definitionName, instanceId: task.instanceId, taskId } };
  } catch (error) {
    if (error instanceof NotFoundError) return { resource: { taskId }, missing: error };
    throw error;
  }
}

/** `RUNNING,WAITING` → `['RUNNING', 'WAITING']` (the schema checked each value). */
export function splitList<T extends string>(value: unknown): T[] | undefined {
  return typeof value === 'string' ? (value.split(',') as T[]) : undefined;
}

/** Epoch ms or an ISO 8601 date. */
export function parseTime(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms)) {
    throw new HttpError(ErrorCode.InputInvalid, `Invalid request querystring: querystring.${name}: "${text}" is neither epoch milliseconds nor an ISO 8601 date`, {
      issues: [{ path: `querystring.${name}`, message: 'must be epoch milliseconds or an ISO 8601 date' }],
    });
  }
  return ms;
}

/**
 * The `attr.<name>=<value>` filters of a query (the schema checked names and values), as
 * `listInstances`' `attributes`; `undefined` when there are none.
 * @throws HttpError `WF_INPUT_INVALID` for more filters than a definition may declare attributes
 */
export function attributeFilters(query: Record<string, unknown>): Record<string, string> | undefined {
  const entries = Object.entries(query).filter(([key]) => key.startsWith('attr.'));
  if (entries.length === 0) return undefined;
  if (entries.length > MAX_SEARCH_ATTRIBUTES) {
    throw new HttpError(ErrorCode.InputInvalid, `Invalid request querystring: querystring.attr: ${entries.length} attribute filters; at most ${MAX_SEARCH_ATTRIBUTES} (a definition declares no more search attributes)`, {
      issues: [{ path: 'querystring.attr', message: `at most ${MAX_SEARCH_ATTRIBUTES} attribute filters` }],
    });
  }
  const attributes: Record<string, string> = {};
  for (const [key, value] of entries) attributes[key.slice('attr.'.length)] = String(value);
  return attributes;
}
