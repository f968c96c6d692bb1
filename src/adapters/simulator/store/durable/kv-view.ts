import type { LmdbDatabase, LmdbReadTransaction } from './lmdb-loader.js';
import { bytesSpace, spaceBytes, type SpaceKey, type SpaceRange } from './key-space.js';

/** Reads of the key space: one key, or an ascending range. Values are fresh copies. */
export interface KvReader {
  get(key: SpaceKey): Uint8Array | undefined;
  /** The entries of `range` in ascending key order, at most `limit` (all when absent). */
  range(range: SpaceRange, limit?: number): Array<[SpaceKey, Uint8Array]>;
}

/**
 * Committed state: the lmdb database, read through `transaction` (one snapshot) when given, else through
 * lmdb's current read transaction (the caller resets it first to see the latest commit).
 */
export class CommittedView implements KvReader {
  readonly #db: LmdbDatabase;
  readonly #transaction: LmdbReadTransaction | undefined;

  constructor(db: LmdbDatabase, transaction?: LmdbReadTransaction) {
    this.#db = db;
    this.#transaction = transaction;
  }

  get(key: SpaceKey): Uint8Array | undefined {
    const value = this.#db.get(spaceBytes(key), this.#options());
    return value === undefined ? undefined : Uint8Array.from(value);
  }

  range(range: SpaceRange, limit?: number): Array<[SpaceKey, Uint8Array]> {
    const entries: Array<[SpaceKey, Uint8Array]> = [];
    const iterable = this.#db.getRange({
      start: spaceBytes(range.start),
      end: spaceBytes(range.end),
      exclusiveStart: range.exclusiveStart,
      ...(limit === undefined ? {} : { limit }),
      ...this.#options(),
    });
    for (const { key, value } of iterable) entries.push([bytesSpace(key), Uint8Array.from(value)]);
    return entries;
  }

  #options(): { transaction?: LmdbReadTransaction } {
    return this.#transaction === undefined ? {} : { transaction: this.#transaction };
  }
}

/**
 * A transaction's view: the committed snapshot overlaid with the transaction's own buffered writes (`null`: a
 * removal). The writes are applied to the database only at commit, in one lmdb write transaction.
 */
export class StagedView implements KvReader {
  readonly #base: KvReader;
  readonly #writes = new Map<SpaceKey, Uint8Array | null>();

  constructor(base: KvReader) {
    this.#base = base;
  }

  get size(): number {
    return this.#writes.size;
  }

  /** The buffered writes, in the order the keys were first written. */
  writes(): IterableIterator<[SpaceKey, Uint8Array | null]> {
    return this.#writes.entries();
  }

  put(key: SpaceKey, value: Uint8Array): void {
    this.#writes.set(key, Uint8Array.from(value));
  }

  remove(key: SpaceKey): void {
    this.#writes.set(key, null);
  }

  get(key: SpaceKey): Uint8Array | undefined {
    const staged = this.#writes.get(key);
    if (staged === null) return undefined;
    if (staged !== undefined) return Uint8Array.from(staged);
    return this.#base.get(key);
  }

  range(range: SpaceRange, limit?: number): Array<[SpaceKey, Uint8Array]> {
    const inRange = (key: SpaceKey): boolean =>
      (range.exclusiveStart ? key > range.start : key >= range.start) && key < range.end;
    const staged = [...this.#writes.keys()].filter(inRange).sort();
    // Each staged key shadows at most one committed entry: that many extra committed entries are enough.
    const committed = this.#base.range(range, limit === undefined ? undefined : limit + staged.length);
    const merged: Array<[SpaceKey, Uint8Array]> = [];
    let i = 0;
    let j = 0;
    const max = limit ?? Number.POSITIVE_INFINITY;
    while (merged.length < max && (i < committed.length || j < staged.length)) {
      const c = committed[i];
      const s = staged[j];
      if (s === undefined || (c !== undefined && c[0] < s)) {
        merged.push(c as [SpaceKey, Uint8Array]);
        i++;
        continue;
      }
      if (c !== undefined && c[0] === s) i++; // shadowed
      const value = this.#writes.get(s);
      if (value !== null && value !== undefined) merged.push([s, Uint8Array.from(value)]);
      j++;
    }
    return merged;
  }
}
