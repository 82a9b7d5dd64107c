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

// The messages below are core's (http.messages.ts, engine/json-value.ts), word for word, so that
// every adapter answers hostile input alike.

/** A prototype key (`__proto__`, `constructor.prototype`) in a JSON body. */
export function prototypeKeyMessage(key: string, path: string): string {
  return `The key "${key}" at ${path} is not allowed (it could change object prototypes); rename it.`;
}

/** JSON nested deeper than the limit. */
export function nestingMessage(path: string, limit: number): string {
  return `${path} is nested deeper than ${limit} levels of objects and arrays (the limit); flatten it or store the deep part elsewhere.`;
}

/** A path parameter longer than ids and names may be. */
export function longParamMessage(name: string, length: number, limit: number): string {
  return `The ${name} in the path is ${length} characters long; ids and names may have at most ${limit} characters.`;
}

/** A path that is not valid percent-encoding. */
export const BAD_URL_MESSAGE = 'The request path is not valid percent-encoding (each % must start a UTF-8 byte such as %20); encode the path with encodeURIComponent.';

/** A body sent compressed (`content-encoding: gzip`...). */
export function contentEncodingMessage(encoding: string): string {
  return `content-encoding ${encoding} is not supported; send the JSON body uncompressed.`;
}

/** `null` sent as the body. */
export const NULL_BODY_MESSAGE = 'The body must be a JSON object (got null); send {} or no body at all.';

/** A path segment over the server's `maxParamLength`, length unknown. */
export function longSegmentMessage(limit: number): string {
  return `A path segment is longer than this server accepts; ids and names may have at most ${limit} characters.`;
}
