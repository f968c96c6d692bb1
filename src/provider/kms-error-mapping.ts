/**
 * KMS exceptions (by `name`, the same for the simulator and AWS SDK v3) → the provider's typed errors.
 * The KMS error is kept as `cause`.
 */
import {
  ConflictError,
  InvalidKeyStateError,
  KeyNotFoundError,
  KeyProviderError,
  KmsError,
  UnsupportedOperationError,
} from '../domain/errors.js';

export function kmsErrorName(error: unknown): string | undefined {
  return error instanceof Error || (typeof error === 'object' && error !== null && 'name' in error)
    ? String((error as { name: unknown }).name)
    : undefined;
}

export function isKmsErrorNamed(error: unknown, name: string): boolean {
  return kmsErrorName(error) === name;
}

/** Turns anything a KMS call threw into a KeyProviderError; `context` says what was being done. */
export function toProviderError(error: unknown, context: string): KeyProviderError {
  if (error instanceof KeyProviderError) return error;
  const name = kmsErrorName(error) ?? 'Error';
  const detail = error instanceof Error && error.message ? `${name}: ${error.message}` : name;
  const attempts = (error as { attempts?: unknown } | null)?.attempts;
  const message = `${context} (${detail}${typeof attempts === 'number' ? `; gave up after ${attempts} attempts` : ''})`;
  switch (name) {
    case 'NotFoundException':
      return new KeyNotFoundError(message, { cause: error });
    case 'DisabledException':
    case 'KMSInvalidStateException':
      return new InvalidKeyStateError(message, { cause: error });
    case 'AlreadyExistsException':
      return new ConflictError(message, { cause: error });
    case 'UnsupportedOperationException':
      return new UnsupportedOperationError(message, { cause: error });
    default:
      return new KmsError(message, { cause: error });
  }
}
