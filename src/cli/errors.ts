/**
 * How kms-keys fails: exit codes, the one stderr line of a failure, and which failures are the caller's input.
 *
 * - 0: success.
 * - 1: the KMS or the provider refused or failed (unknown kid, key state, throttling, access denied, a refused
 *   connection, a state directory that cannot be opened, …).
 * - 2: bad input, found before any KMS call where the CLI can tell (flags, arguments, files), or refused by the
 *   provider as an invalid argument or an unsupported algorithm.
 *
 * A failure prints ONE line on stderr, `error: <ErrorClass>: <message>` (the provider's messages name the KMS
 * exception, e.g. `(NotFoundException: …)`); the stack and the chain of causes only with `--debug`.
 */
import { InvalidArgumentError, UnsupportedAlgorithmError } from '../domain/errors.js';

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Bad input the CLI itself found (a flag value, a file it cannot read, a flag that does not fit the backend). */
export class UsageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** Errors whose name says the input was bad, whatever module threw them (seed files: a parse error). */
const INPUT_ERROR_NAMES = new Set(['UsageError', 'SeedError', 'SeedParseError', 'SeedValidationError']);

/** The exit code of anything a command threw. */
export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof UsageError || error instanceof InvalidArgumentError || error instanceof UnsupportedAlgorithmError) {
    return ExitCode.usage;
  }
  const name = errorName(error);
  if (name === 'InvalidArgumentError' || name === 'UnsupportedAlgorithmError' || INPUT_ERROR_NAMES.has(name)) {
    return ExitCode.usage;
  }
  return ExitCode.failure;
}

/** The one stderr line of a failure: `error: <name>: <message>` on a single line (UsageError: no name). */
export function errorLine(error: unknown): string {
  const message = oneLine(errorMessage(error));
  const name = errorName(error);
  if (name === 'UsageError') return `error: ${message}`;
  return message === '' ? `error: ${name}` : `error: ${name}: ${message}`;
}

/** `--debug`: the stack of the error and of every cause, for stderr. */
export function debugReport(error: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current !== undefined && current !== null && !seen.has(current)) {
    seen.add(current);
    const prefix = parts.length === 0 ? '' : 'caused by: ';
    parts.push(prefix + (current instanceof Error ? (current.stack ?? `${current.name}: ${current.message}`) : String(current)));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join('\n') + '\n';
}

/** The class name of an error (or the KMS exception name of a KMS error), `Error` when it has none. */
export function errorName(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string' && error.name) {
    return error.name;
  }
  return 'Error';
}

function errorMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') {
    return error.message;
  }
  return typeof error === 'string' ? error : String(error);
}

/** Collapses line breaks (and the indentation after them) into single spaces. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
