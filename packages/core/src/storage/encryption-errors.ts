/** Errors of {@link EncryptedStorage}; their codes are members of {@link ErrorCode}. */
import { ErrorCode, WorkflowError } from '../errors.js';

/** The encryption errors' codes, a view of {@link ErrorCode} kept for code written against it. */
export const EncryptionErrorCode = {
  /** A value was encrypted with a key id that is not configured. */
  KeyMissing: ErrorCode.EncryptionKeyMissing,
  /** A value does not decrypt: wrong key, or tampered/corrupted ciphertext. */
  DecryptionFailed: ErrorCode.DecryptionFailed,
} as const;

/** A stored value names a key id that the storage was not given. */
export function keyMissingError(keyId: string, instanceId: string, where: string, configured: string[]): WorkflowError {
  return new WorkflowError(
    ErrorCode.EncryptionKeyMissing,
    `Cannot decrypt ${where} of instance ${instanceId}: it was encrypted with key id "${keyId}", which is not configured ` +
      `(configured: ${configured.map((k) => `"${k}"`).join(', ')}). Add that key to \`keys\` (old keys stay there after a rotation).`,
    { keyId, instanceId },
  );
}

/** GCM authentication failed: the key is wrong or the value was changed. */
export function decryptionFailedError(keyId: string, instanceId: string, where: string, cause?: unknown): WorkflowError {
  return new WorkflowError(
    ErrorCode.DecryptionFailed,
    `Cannot decrypt ${where} of instance ${instanceId} with key id "${keyId}": the key is not the one it was encrypted with, ` +
      'or the stored value was altered or corrupted (authentication failed). Nothing was returned.',
    { keyId, instanceId },
    cause === undefined ? undefined : { cause },
  );
}

/** Bad EncryptedStorage options. */
export function encryptionOptionsError(message: string): WorkflowError {
  return new WorkflowError(ErrorCode.InputInvalid, `new EncryptedStorage(inner, options): ${message}`);
}
