import type { KmsExceptionName, KmsPortError } from '../ports/kms.port.js';

/**
 * The error every adapter throws through the KmsPort. It looks like an AWS SDK v3 service exception:
 * `name` is the KMS exception name (`NotFoundException`, `KMSInvalidStateException`, …), `message` the
 * service's text, `$fault` whether the caller (`client`) or the service (`server`) is at fault, and `cause` (when
 * given) the error it was made from, such as the AWS SDK's own.
 *
 * `name` is typed as a `KmsExceptionName`; any other string is accepted too, because the AWS SDK adapter passes
 * on the names AWS (or the SDK itself, such as `TimeoutError`) gives, including ones newer than this list.
 */
export class KmsException extends Error implements KmsPortError {
  readonly $fault: 'client' | 'server';

  constructor(
    name: KmsExceptionName | (string & {}),
    message: string,
    fault: 'client' | 'server' = 'client',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = name;
    this.$fault = fault;
  }
}

/**
 * True when `e` looks like a KMS error thrown through the port (ours or the AWS SDK's), optionally with the
 * given exception name.
 */
export function isKmsError(e: unknown, name?: KmsExceptionName | (string & {})): e is KmsPortError {
  if (!(e instanceof Error)) return false;
  const fault = (e as { $fault?: unknown }).$fault;
  if (fault !== 'client' && fault !== 'server') return false;
  return name === undefined || e.name === name;
}
