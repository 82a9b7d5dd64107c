/**
 * Every error code of Workflow Mastery, in one list: the engine's, the storages', the encryption
 * layer's and the HTTP layer's. Codes are part of the public contract (API clients and stored
 * records carry them), so this is the only place a `WF_*` literal is written; everything else
 * names a member. The HTTP status of each code is decided in one place too, `http/http-errors.ts`.
 */

/** Stable error codes. New codes may be added; existing ones never change meaning. */
export const ErrorCode = {
  DefinitionInvalid: 'WF_DEFINITION_INVALID',
  DefinitionNotFound: 'WF_DEFINITION_NOT_FOUND',
  /** The same definition name and version is already stored with different content: give it a new version. */
  DefinitionConflict: 'WF_DEFINITION_CONFLICT',
  /** `start(..., { businessKey, uniqueBusinessKey: true })`: an unfinished instance of the definition already has that key. */
  BusinessKeyTaken: 'WF_BUSINESS_KEY_TAKEN',
  ExpressionInvalid: 'WF_EXPRESSION_INVALID',
  /** Bad input: start data, a request's params/query/body, or an option given to a constructor or factory. */
  InputInvalid: 'WF_INPUT_INVALID',
  NotFound: 'WF_NOT_FOUND',
  IllegalTransition: 'WF_ILLEGAL_TRANSITION',
  Concurrency: 'WF_CONCURRENCY',
  ActionNotFound: 'WF_ACTION_NOT_FOUND',
  ActionInvalid: 'WF_ACTION_INVALID',
  StorageCorrupt: 'WF_STORAGE_CORRUPT',
  /**
   * A storage refused a malformed commit (events out of seq, a new instance not at version 1): a
   * bug in the engine or the storage, never in a request, so it has no HTTP status of its own (500).
   */
  CommitInvalid: 'WF_COMMIT_INVALID',
  StorageLocked: 'WF_STORAGE_LOCKED',
  EngineClosed: 'WF_ENGINE_CLOSED',
  Timeout: 'WF_TIMEOUT',
  StorageUnavailable: 'WF_STORAGE_UNAVAILABLE',
  /** The work queue (Redis behind BullMQ) cannot be reached. */
  QueueUnavailable: 'WF_QUEUE_UNAVAILABLE',
  /** A stored value or a request body is larger than the storage's or the adapter's limit. */
  PayloadTooLarge: 'WF_PAYLOAD_TOO_LARGE',
  /** EncryptedStorage: a value was encrypted with a key id that is not configured. */
  EncryptionKeyMissing: 'WF_ENCRYPTION_KEY_MISSING',
  /** EncryptedStorage: a value does not decrypt (wrong key, or tampered/corrupted ciphertext). */
  DecryptionFailed: 'WF_DECRYPTION_FAILED',
  /** HTTP: no principal (the `principal(req)` hook returned nothing). */
  Unauthenticated: 'WF_UNAUTHENTICATED',
  /** HTTP: `authorize` refused. */
  Forbidden: 'WF_FORBIDDEN',
  /** HTTP: the body is not JSON. */
  BadJson: 'WF_BAD_JSON',
  /** HTTP: any other malformed request a framework refused (bad content length, aborted body...). */
  BadRequest: 'WF_BAD_REQUEST',
  /** HTTP: a body that is not `application/json`. */
  UnsupportedMediaType: 'WF_UNSUPPORTED_MEDIA_TYPE',
  /** HTTP: no such route. */
  RouteNotFound: 'WF_ROUTE_NOT_FOUND',
  /** HTTP: the route exists but not for this method (e.g. the metrics server answers GET only). */
  MethodNotAllowed: 'WF_METHOD_NOT_ALLOWED',
  /** HTTP `GET /health`: storage (or another readiness check) did not answer. */
  Unavailable: 'WF_UNAVAILABLE',
  /** HTTP: anything unexpected; details are logged, never sent. */
  Internal: 'WF_INTERNAL',
  /** A notification channel gave up delivering (e.g. a webhook kept failing). */
  NotificationFailed: 'WF_NOTIFICATION_FAILED',
  /** Recorded on an instance: no transition from a step matched and none is the default. */
  NoRoute: 'WF_NO_ROUTE',
  /** Recorded on a step: its child workflow could not start, or ended FAILED or CANCELLED. */
  ChildFailed: 'WF_CHILD_FAILED',
  /** Recorded on a cancelled instance (the value predates the `WF_` prefix; kept for stored records). */
  Cancelled: 'CANCELLED',
  /** An attempt stopped by a cancel, a join or shutdown (never recorded as a step result). */
  Aborted: 'WF_ABORTED',
} as const;

/** One of {@link ErrorCode}'s values. */
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];
