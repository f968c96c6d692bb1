/**
 * One provider operation measured: the KMS calls it made (by operation name) and its wall time, through the
 * counting and latency decorators. Ours is always measured with the real injected latency. The original is
 * strictly sequential, so where its calls × latency would exceed REAL_LATENCY_LIMIT_MS it is counted with no
 * latency and its wall time computed as calls × latency + the measured time of that latency-free run.
 */
import type { KmsPort } from '../src/index.js';
import { countingKms, latencyKms, totalCalls, type CallCounts, type CountingKms } from './kms-decorators.js';

/** Injected latency per KMS call. */
export const LATENCY_MS = 20;
/** Above this estimated wall time (calls × LATENCY_MS), the original's wall time is computed, not slept. */
export const REAL_LATENCY_LIMIT_MS = 20_000;

export interface Measured {
  counts: CallCounts;
  calls: number;
  /** Wall time, ms. */
  ms: number;
  /** true: `ms` = calls × LATENCY_MS + the measured time of a run without latency. */
  computed: boolean;
  /** What the operation resolved with (or the expected error it threw). */
  result: unknown;
}

/** Runs `fn` once over `counter`, timing it and taking the calls it made. */
export async function measureOnce(counter: CountingKms, fn: () => Promise<unknown>): Promise<Measured> {
  counter.take();
  const start = performance.now();
  const result = await fn();
  const ms = performance.now() - start;
  const counts = counter.take();
  return { counts, calls: totalCalls(counts), ms, computed: false, result };
}

/** A counting port over `kms` with the injected latency (the stack every measured call goes through). */
export function liveStack(kms: KmsPort): CountingKms {
  return countingKms(latencyKms(kms, LATENCY_MS));
}

/**
 * A read of the original (repeatable, no state change): first counted without latency; then, if calls ×
 * LATENCY_MS ≤ REAL_LATENCY_LIMIT_MS, run again with the latency (its call counts must match the first run
 * exactly: the original is deterministic), else its wall time is computed.
 */
export async function measureOriginalRead(kms: KmsPort, fn: (port: KmsPort) => Promise<unknown>): Promise<Measured> {
  const dry = countingKms(kms);
  const counted = await measureOnce(dry, () => fn(dry.kms));
  if (counted.calls * LATENCY_MS > REAL_LATENCY_LIMIT_MS) {
    return { ...counted, ms: counted.calls * LATENCY_MS + counted.ms, computed: true };
  }
  const live = liveStack(kms);
  const measured = await measureOnce(live, () => fn(live.kms));
  if (!sameCounts(measured.counts, counted.counts)) {
    throw new Error(
      `bench: the original made different calls with and without latency (${JSON.stringify(measured.counts)} vs ` +
        `${JSON.stringify(counted.counts)}): the baseline is not deterministic`,
    );
  }
  return measured;
}

function sameCounts(a: CallCounts, b: CallCounts): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => (a[key] ?? 0) === (b[key] ?? 0));
}
