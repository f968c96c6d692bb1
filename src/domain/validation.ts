/** Argument checks shared by the provider's methods: each throws InvalidArgumentError with a clear message. */
import { InvalidArgumentError } from './errors.js';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short, safe rendering of an unexpected value for error messages (long strings are cut). */
export function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 64 ? `${value.slice(0, 64)}…` : value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value === undefined) return 'undefined';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** An integer in [min, max]. */
export function integerInRange(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}; got ${describe(value)}`);
  }
  return value;
}

/** A key version: an integer >= 1 (0 is not "latest"). */
export function validateVersion(version: unknown): number {
  return integerInRange(version, 'version', 1, Number.MAX_SAFE_INTEGER);
}

/** KMS deletion waiting period: 7–30 days. */
export function validatePendingWindow(days: unknown): number {
  return integerInRange(days, 'pendingWindowInDays', 7, 30);
}

export function validateBytes(value: unknown, name: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new InvalidArgumentError(`${name} must be a Uint8Array; got ${describe(value)}`);
  return value;
}

/** An options argument: undefined or a plain object. */
export function optionsObject(value: unknown, name: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw new InvalidArgumentError(`${name} must be an object; got ${describe(value)}`);
  return value;
}
