/**
 * KmsPort decorators for the benchmarks: one that counts every port operation by name, and one that waits a
 * fixed latency before forwarding each call (a stand-in for the network round trip to AWS KMS). Both are Proxies,
 * so every operation of the port (and any added later) is covered; non-function members (`region`) pass through.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { KmsPort } from '../src/index.js';

/** Calls per KMS operation name (camelCase port names, e.g. `listAliases`). */
export type CallCounts = Record<string, number>;

export interface CountingKms {
  /** The decorated port: every method call is counted, then forwarded. */
  readonly kms: KmsPort;
  /** The counts since the last `take()` (or since creation), and a reset. */
  take(): CallCounts;
}

/** Wraps each method of `inner` with `before(name)` run (and awaited, if it returns a promise) before the call. */
function decorate(inner: KmsPort, before: (operation: string) => void | Promise<void>): KmsPort {
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      const method = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]): unknown => {
        const waited = before(property);
        if (waited === undefined) return method.apply(target, args);
        return waited.then(() => method.apply(target, args));
      };
    },
  });
}

/** A KmsPort that counts every call by operation name before forwarding it to `inner`. */
export function countingKms(inner: KmsPort): CountingKms {
  let counts: CallCounts = {};
  const kms = decorate(inner, (operation) => {
    counts[operation] = (counts[operation] ?? 0) + 1;
  });
  return {
    kms,
    take() {
      const taken = counts;
      counts = {};
      return taken;
    },
  };
}

/** A KmsPort that waits `latencyMs` (`await setTimeout(latencyMs)`) before forwarding every call to `inner`. */
export function latencyKms(inner: KmsPort, latencyMs: number): KmsPort {
  if (!(latencyMs >= 0)) throw new RangeError(`latencyMs must be ≥ 0; got ${latencyMs}`);
  return decorate(inner, () => sleep(latencyMs).then(() => undefined));
}

/** The total number of calls in `counts`. */
export function totalCalls(counts: CallCounts): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/** `listAliases×5 describeKey×1`, operations in name order (a stable text for reports). */
export function formatCounts(counts: CallCounts): string {
  const entries = Object.entries(counts).filter(([, n]) => n > 0);
  if (entries.length === 0) return '–';
  return entries
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, n]) => `${name}×${n}`)
    .join(' ');
}
