/** User-facing messages of the Express adapter. */

/** `express.json()` could not parse the body. */
export const BAD_JSON_MESSAGE = 'The request body is not valid JSON.';

/** The body is over `bodyLimit`. */
export function payloadTooLargeMessage(limit: string | number): string {
  return `The request body is larger than the limit (${limit}).`;
}

/** A body that is not JSON. */
export function unsupportedMediaTypeMessage(type: string | undefined): string {
  return `Send the body as application/json (got ${type ?? 'no content type'}).`;
}
