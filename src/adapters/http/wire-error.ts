import { isKmsError } from '../kms-exception.js';
import { WireSerializationError } from './kms-wire-codec.js';
import { withoutStack } from './without-stack.js';

/**
 * Error answers of the KMS wire endpoint: `WireError` is one (status, `__type`, message, extra headers), and
 * `toWireError` maps whatever a request threw to one (docs/kms-behaviour.md §13, errors).
 */

/** What an error answer is made of: status, `__type` (also sent as `X-Amzn-ErrorType`), message, extra headers. */
export interface WireFault {
  readonly status: number;
  readonly type: string;
  readonly message: string;
  readonly headers: Readonly<Record<string, string>>;
}

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * An error answer, thrown by the endpoint itself (bad path, method, content type, target, body); made by the
 * factories below without a stack trace (without-stack.ts).
 */
export class WireError extends Error implements WireFault {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = NO_HEADERS,
  ) {
    super(message);
  }
}

/** Receives what is not a KMS error (a bug) with what failed; never throws. */
export type InternalErrorReporter = (error: unknown, context: string) => void;

export const INTERNAL_MESSAGE =
  'The request was rejected because an internal exception occurred. The request can be retried.';
/** A KMS exception name: it goes into a header, so nothing else may pass. */
const EXCEPTION_NAME = /^[A-Za-z][A-Za-z0-9]{0,127}$/;
/** Server faults whose status is not 500 (the KMS model's httpError). */
const SERVER_FAULT_STATUS: Readonly<Record<string, number>> = { DependencyTimeoutException: 503 };

/**
 * The answer to `error`: a WireError as it is; a codec refusal → 400 SerializationException; a KMS error (a valid
 * name, `$fault`) → its name with 400 for client faults, 500 (503 for DependencyTimeoutException) for server
 * faults; anything else → 500 KMSInternalException with a generic message, the error itself going to `report`
 * with `operation()` (the request's X-Amz-Target) as its context. The answer is a plain object (no second Error,
 * no stack trace captured, for the most common error answers: the KMS errors of the port).
 */
export function toWireError(error: unknown, operation: () => string, report: InternalErrorReporter): WireFault {
  if (error instanceof WireError) return error;
  if (error instanceof WireSerializationError) return serialization(error.message);
  if (isKmsError(error) && EXCEPTION_NAME.test(error.name)) {
    const status = error.$fault === 'server' ? (SERVER_FAULT_STATUS[error.name] ?? 500) : 400;
    return { status, type: error.name, message: error.message, headers: NO_HEADERS };
  }
  report(error, operation());
  return { status: 500, type: 'KMSInternalException', message: INTERNAL_MESSAGE, headers: NO_HEADERS };
}

export function unknownOperation(message: string, status = 400, headers?: Readonly<Record<string, string>>): WireError {
  return withoutStack(() => new WireError(status, 'UnknownOperationException', message, headers));
}

export function serialization(message: string): WireError {
  return withoutStack(() => new WireError(400, 'SerializationException', message));
}

/** 413 for a body over `limit` bytes; the connection closes, since the rest of the body is never read. */
export function tooLarge(limit: number): WireError {
  return withoutStack(
    () =>
      new WireError(413, 'RequestEntityTooLargeException', `The request body exceeds the limit of ${limit} bytes.`, {
        Connection: 'close',
      }),
  );
}

/** 403 for a request the endpoint refuses to serve (a Host it does not serve); the connection closes. */
export function accessDenied(message: string): WireError {
  return withoutStack(() => new WireError(403, 'AccessDeniedException', message, { Connection: 'close' }));
}
