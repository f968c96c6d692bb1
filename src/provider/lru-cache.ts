/**
 * LruCache: a bounded map for what the provider learns from KMS. At most `maxEntries` values (the least recently
 * used goes first), each trusted for `ttlMs` (Infinity: until evicted), and single flight: concurrent `load`s of
 * one key share one loader call. A failed load caches nothing; `delete` also detaches a load in flight, so a
 * value read before an invalidation is never stored after it. `maxEntries: 0` turns it all off (every `load`
 * calls its loader): that is `cache: false`.
 */
export interface LruCacheOptions {
  maxEntries: number;
  /** How long a value is trusted, in ms; Infinity for values that never change. */
  ttlMs: number;
  /** Milliseconds clock. */
  now: () => number;
}

interface Entry<V> {
  value: V;
  expires: number;
}

export class LruCache<V> {
  readonly #options: LruCacheOptions;
  /** Map iteration order is insertion order: re-inserting on use makes the first key the least recently used. */
  readonly #entries = new Map<string, Entry<V>>();
  readonly #inFlight = new Map<string, Promise<V>>();

  constructor(options: LruCacheOptions) {
    this.#options = options;
  }

  /** Values held now (expired ones included until touched). */
  get size(): number {
    return this.#entries.size;
  }

  /** The value of `key` while it is trusted; undefined otherwise. */
  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (entry.expires <= this.#options.now()) return undefined;
    this.#entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V): void {
    if (this.#options.maxEntries <= 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, { value, expires: this.#options.now() + this.#options.ttlMs });
    while (this.#entries.size > this.#options.maxEntries) {
      this.#entries.delete(this.#entries.keys().next().value as string);
    }
  }

  /** Forgets `key`, and detaches a load of it in flight (its result is not stored; later loads start anew). */
  delete(key: string): void {
    this.#entries.delete(key);
    this.#inFlight.delete(key);
  }

  /** Forgets every key `matches` accepts (a scan: for invalidations, not lookups). */
  deleteWhere(matches: (key: string) => boolean): void {
    for (const key of [...this.#entries.keys(), ...this.#inFlight.keys()]) if (matches(key)) this.delete(key);
  }

  /** The trusted value of `key`, else the result of `loader`, cached; concurrent loads of one key share one call. */
  load(key: string, loader: () => Promise<V>): Promise<V> {
    if (this.#options.maxEntries <= 0) return loader();
    const value = this.get(key);
    if (value !== undefined) return Promise.resolve(value);
    const pending = this.#inFlight.get(key);
    if (pending) return pending;
    const settle = (): boolean => {
      const current = this.#inFlight.get(key) === started;
      if (current) this.#inFlight.delete(key);
      return current;
    };
    const started: Promise<V> = loader().then(
      (loaded) => {
        if (settle()) this.set(key, loaded);
        return loaded;
      },
      (error: unknown) => {
        settle();
        throw error;
      },
    );
    this.#inFlight.set(key, started);
    return started;
  }
}
