import type { ServedKmsRequest } from '../adapters/http/served-request.js';
import { InvalidArgumentError } from '../domain/errors.js';

/**
 * The console's request log: the last `capacity` KMS requests the endpoint answered, in a ring buffer (memory is
 * bounded whatever the traffic), newest first, with listeners for the live view. An entry holds what the endpoint's
 * observer reports (served-request.ts) — time, partition, operation, key identifier, status, error name, duration —
 * and nothing of a request's or an answer's payload.
 */
export interface LoggedRequest {
  /** 1, 2, 3, …: increasing, never reused (the live view resumes after the last one it has). */
  readonly id: number;
  /** ISO 8601. */
  readonly time: string;
  readonly accountId: string;
  readonly region: string;
  readonly operation: string;
  readonly key: string;
  readonly status: number;
  readonly errorName: string;
  readonly durationMs: number;
}

export const DEFAULT_LOG_SIZE = 1000;
export const MAX_LOG_SIZE = 100_000;

export type LogListener = (entry: LoggedRequest) => void;

export class RequestLog {
  readonly capacity: number;
  readonly #ring: Array<LoggedRequest | undefined>;
  #next = 0;
  #count = 0;
  #lastId = 0;
  readonly #listeners = new Set<LogListener>();

  constructor(capacity: number = DEFAULT_LOG_SIZE) {
    if (!Number.isSafeInteger(capacity) || capacity < 1 || capacity > MAX_LOG_SIZE) {
      throw new InvalidArgumentError(`the request log size (uiLogSize) must be an integer from 1 to ${MAX_LOG_SIZE}; got ${String(capacity)}`);
    }
    this.capacity = capacity;
    this.#ring = new Array<LoggedRequest | undefined>(capacity).fill(undefined);
  }

  /** Adds one served request (of the partition it reached) and tells the listeners. */
  record(request: ServedKmsRequest, partition: { readonly accountId: string; readonly region: string }): LoggedRequest {
    const entry: LoggedRequest = Object.freeze({
      id: ++this.#lastId,
      time: request.time.toISOString(),
      accountId: partition.accountId,
      region: partition.region,
      operation: request.operation ?? '(unknown operation)',
      key: request.key ?? '',
      status: request.status,
      errorName: request.errorName ?? '',
      durationMs: Math.round(request.durationMs * 10) / 10,
    });
    this.#ring[this.#next] = entry;
    this.#next = (this.#next + 1) % this.capacity;
    this.#count = Math.min(this.#count + 1, this.capacity);
    for (const listener of this.#listeners) {
      try {
        listener(entry);
      } catch {
        // a failing listener (a closed stream) must not lose the entry for the others
      }
    }
    return entry;
  }

  /** The entries kept, newest first; with `afterId`, only those newer than it. */
  entries(afterId = 0): LoggedRequest[] {
    const out: LoggedRequest[] = [];
    for (let i = 1; i <= this.#count; i++) {
      const entry = this.#ring[(this.#next - i + this.capacity) % this.capacity]!;
      if (entry.id <= afterId) break;
      out.push(entry);
    }
    return out;
  }

  get size(): number {
    return this.#count;
  }

  /** Calls `listener` with every entry recorded from now on; returns the unsubscribe function. */
  subscribe(listener: LogListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** The status classes the log can be filtered by. */
export const STATUS_FILTERS = ['all', 'success', 'client-error', 'server-error'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

/** Whether an entry passes the filters: an operation name (exact, any letter case; '' = all) and a status class. */
export function matchesLogFilter(entry: LoggedRequest, operation: string, status: StatusFilter): boolean {
  if (operation !== '' && entry.operation.toLowerCase() !== operation.toLowerCase()) return false;
  if (status === 'success') return entry.status < 400;
  if (status === 'client-error') return entry.status >= 400 && entry.status < 500;
  if (status === 'server-error') return entry.status >= 500;
  return true;
}
