/**
 * The provider's retries of transient KMS failures, for ports that do not retry themselves (the simulator, any
 * KmsPort of your own): throttling, internal errors, dependency timeouts and network failures are retried with
 * capped exponential backoff and full jitter (delay = random × min(maxDelayMs, baseDelayMs × 2^attempt), as the
 * AWS SDK's standard mode); every other error is thrown at once. Over the AWS SDK adapter, which retries through
 * the SDK (`retriesTransientErrors`), the provider adds none: retries are never stacked.
 */
import { InvalidArgumentError } from '../domain/errors.js';
import { describe, integerInRange, isRecord } from '../domain/validation.js';
import { kmsErrorName } from './kms-error-mapping.js';

export interface RetryOptions {
  /** Attempts per KMS request, the first included (1 = no retry), 1–10; default 3 (the SDK's standard mode). */
  maxAttempts?: number;
  /** Backoff base in ms, 0–10 000; default 100. */
  baseDelayMs?: number;
  /** Backoff cap in ms, 0–120 000; default 20 000. */
  maxDelayMs?: number;
  /** Random numbers in [0, 1) for the jitter; default Math.random. */
  random?: () => number;
  /** Waits ms milliseconds; default a timer. */
  sleep?: (ms: number) => Promise<void>;
}

export type RetryPolicy = Required<RetryOptions>;

/** KMS exception names that mean "try again later", and the SDK's and Node's names for network failures. */
export const RETRYABLE_ERROR_NAMES: ReadonlySet<string> = new Set([
  'ThrottlingException',
  'KMSInternalException',
  'DependencyTimeoutException',
  'InternalFailure',
  'ServiceUnavailable',
  'RequestTimeout',
  'RequestTimeoutException',
  'NetworkingError',
  'TimeoutError',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
]);

/** Whether a KMS failure is transient: its name (or Node's error code) is one of RETRYABLE_ERROR_NAMES. */
export function isRetryable(error: unknown): boolean {
  const name = kmsErrorName(error);
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
  return (name !== undefined && RETRYABLE_ERROR_NAMES.has(name)) || (code !== undefined && RETRYABLE_ERROR_NAMES.has(code));
}

/** The `retry` option checked: false → one attempt; absent → the defaults. */
export function retryPolicy(options: false | RetryOptions | undefined): RetryPolicy {
  const defaults: RetryPolicy = {
    maxAttempts: 3,
    baseDelayMs: 100,
    maxDelayMs: 20_000,
    random: Math.random,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
  if (options === undefined) return defaults;
  if (options === false) return { ...defaults, maxAttempts: 1 };
  if (!isRecord(options)) {
    throw new InvalidArgumentError(
      `options.retry must be false or an object { maxAttempts?, baseDelayMs?, maxDelayMs?, random?, sleep? }; got ${describe(options)}`,
    );
  }
  const { maxAttempts, baseDelayMs, maxDelayMs, random, sleep, ...rest } = options;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) {
    throw new InvalidArgumentError(
      `Unknown options.retry member(s): ${unknown.join(', ')} (allowed: maxAttempts, baseDelayMs, maxDelayMs, random, sleep)`,
    );
  }
  for (const [name, value] of [['random', random], ['sleep', sleep]] as const) {
    if (value !== undefined && typeof value !== 'function') {
      throw new InvalidArgumentError(`options.retry.${name} must be a function; got ${describe(value)}`);
    }
  }
  return {
    maxAttempts: maxAttempts === undefined ? defaults.maxAttempts : integerInRange(maxAttempts, 'options.retry.maxAttempts', 1, 10),
    baseDelayMs: baseDelayMs === undefined ? defaults.baseDelayMs : integerInRange(baseDelayMs, 'options.retry.baseDelayMs', 0, 10_000),
    maxDelayMs: maxDelayMs === undefined ? defaults.maxDelayMs : integerInRange(maxDelayMs, 'options.retry.maxDelayMs', 0, 120_000),
    random: (random as (() => number) | undefined) ?? defaults.random,
    sleep: (sleep as ((ms: number) => Promise<void>) | undefined) ?? defaults.sleep,
  };
}

/** The full-jitter delay before retry number `retry` (0 for the first retry). */
export function backoffDelay(policy: RetryPolicy, retry: number): number {
  return Math.floor(policy.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry));
}

/**
 * Runs `call` up to maxAttempts times while it fails with a retryable error. An error that outlasts every attempt
 * is thrown with `attempts` set on it, so the provider's message can say how many were made.
 */
export async function withRetries<T>(policy: RetryPolicy, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= policy.maxAttempts || !isRetryable(error)) {
        if (attempt > 1 && typeof error === 'object' && error !== null) {
          Object.defineProperty(error, 'attempts', { value: attempt, configurable: true, enumerable: false });
        }
        throw error;
      }
      await policy.sleep(backoffDelay(policy, attempt - 1));
    }
  }
}
