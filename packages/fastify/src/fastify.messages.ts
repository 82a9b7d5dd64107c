/** User-facing messages of the Fastify adapter. */

/** Registered twice on the same instance (or a child of one that has it). */
export const ALREADY_REGISTERED_MESSAGE =
  '@workflow-mastery/fastify is already registered on this Fastify instance (fastify.workflow exists); register it once and share fastify.workflow.';

/** Neither `engine` nor `engineOptions`, or both. */
export const ENGINE_OPTION_MESSAGE =
  'fastifyWorkflow: pass either `engine` (a WorkflowEngine you own and close) or `engineOptions` (the plugin creates the engine and closes it with Fastify), not both.';

/** The body is not JSON. */
export const BAD_JSON_MESSAGE = 'The request body is not valid JSON.';

/** A body that is not JSON. */
export function unsupportedMediaTypeMessage(type: string | undefined): string {
  return `Send the body as application/json (got ${type ?? 'no content type'}).`;
}

/** The body is over `bodyLimit`. */
export function payloadTooLargeMessage(limit: number): string {
  return `The request body is larger than the limit (${limit} bytes).`;
}

/** A prototype key (`__proto__`, `constructor.prototype`) in a JSON body. */
export function prototypeKeyMessage(key: string, path: string): string {
  return `The JSON key "${key}" at ${path} is not allowed: prototype keys are refused; rename the key.`;
}

/** JSON nested deeper than the limit. */
export function nestingMessage(path: string, limit: number): string {
  return `${path} is nested deeper than ${limit} levels of objects and arrays (the limit); send flatter JSON.`;
}

/** A path parameter longer than ids and names may be. */
export function longParamMessage(name: string, length: number, limit: number): string {
  return `The path parameter "${name}" is ${length} characters long; ids and names are at most ${limit} characters.`;
}

/** A path that is not valid percent-encoding. */
export function badUrlMessage(path: string): string {
  return `The path ${JSON.stringify(path.length > 200 ? `${path.slice(0, 200)}…` : path)} is not valid percent-encoding; encode each segment with encodeURIComponent.`;
}

/** A body sent compressed (`content-encoding: gzip`...). */
export function contentEncodingMessage(encoding: string): string {
  return `content-encoding ${encoding} is not supported; send the JSON body uncompressed`;
}

/** A path segment over the server's `maxParamLength`, length unknown. */
export function longSegmentMessage(limit: number): string {
  return `A path segment is longer than this server accepts; ids and names are at most ${limit} characters.`;
}
