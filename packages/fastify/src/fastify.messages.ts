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

/** A path segment over the server's `maxParamLength`, length unknown. */
export function longSegmentMessage(limit: number): string {
  return `A path segment is longer than this server accepts; ids and names may have at most ${limit} characters.`;
}
