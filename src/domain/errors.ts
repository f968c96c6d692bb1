/**
 * Typed errors of the key provider, in the style of jose's JOSEError: every class has a stable `code`, both as a
 * static and an instance field, `name` equals the class name, and the underlying cause (a KMS error) is kept.
 */

export type KeyProviderErrorCode =
  | 'ERR_KEY_PROVIDER'
  | 'ERR_KEY_NOT_FOUND'
  | 'ERR_UNSUPPORTED_ALGORITHM'
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_INVALID_KEY_STATE'
  | 'ERR_CONFLICT'
  | 'ERR_UNSUPPORTED_OPERATION'
  | 'ERR_KMS';

export class KeyProviderError extends Error {
  static code: KeyProviderErrorCode = 'ERR_KEY_PROVIDER';
  code: KeyProviderErrorCode = 'ERR_KEY_PROVIDER';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class KeyNotFoundError extends KeyProviderError {
  static override code = 'ERR_KEY_NOT_FOUND' as const;
  override code = 'ERR_KEY_NOT_FOUND' as const;
}

export class UnsupportedAlgorithmError extends KeyProviderError {
  static override code = 'ERR_UNSUPPORTED_ALGORITHM' as const;
  override code = 'ERR_UNSUPPORTED_ALGORITHM' as const;
}

export class InvalidArgumentError extends KeyProviderError {
  static override code = 'ERR_INVALID_ARGUMENT' as const;
  override code = 'ERR_INVALID_ARGUMENT' as const;
}

export class InvalidKeyStateError extends KeyProviderError {
  static override code = 'ERR_INVALID_KEY_STATE' as const;
  override code = 'ERR_INVALID_KEY_STATE' as const;
}

export class ConflictError extends KeyProviderError {
  static override code = 'ERR_CONFLICT' as const;
  override code = 'ERR_CONFLICT' as const;
}

export class UnsupportedOperationError extends KeyProviderError {
  static override code = 'ERR_UNSUPPORTED_OPERATION' as const;
  override code = 'ERR_UNSUPPORTED_OPERATION' as const;
}

/** Any other KMS failure (throttling, access denied, …); the KMS error is the `cause`. */
export class KmsError extends KeyProviderError {
  static override code = 'ERR_KMS' as const;
  override code = 'ERR_KMS' as const;
}
