/**
 * ProviderCache: what a provider remembers of KMS between calls, so that a warm lookup costs no request.
 *
 * - Forever (KMS never changes them for a key id): a key's public key, spec and usage (GetPublicKey), and its
 *   tags as the provider reads them for KeyRefs and JWKs (`saur:kid`, `saur:version`, `saur:alg`, `saur:label`,
 *   caller tags — written once at CreateKey). Rotation and deletion never read these from the cache: they read
 *   `saur:version`/`saur:max_version` afresh.
 * - An x5c certificate (jwks({ x5c: true })) per key: for 335 days of its 365 days' validity, then re-issued.
 * - For `ttlMs` (default 30 s): which key an alias targets and that key's state (DescribeKey of the alias), and
 *   whether a key may be published in a JWKS (Enabled). Another process's rotation or deletion is seen once the
 *   entry expires; this provider's own rotateKey/destroyKey/cancelKeyDeletion update or drop the entries they
 *   change at once.
 * Each cache holds at most `maxEntries` (least recently used evicted first); concurrent identical lookups share
 * one request. `cache: false` turns all of it off: every lookup asks KMS.
 */
import type { KeyMetadata, KmsKeySpec, KmsKeyUsage } from '../ports/kms.port.js';
import type { ReadSaurTags } from '../domain/saur-tags.js';
import { InvalidArgumentError } from '../domain/errors.js';
import { describe, integerInRange, isRecord } from '../domain/validation.js';
import { LruCache } from './lru-cache.js';

export interface ProviderCacheOptions {
  /**
   * How long an alias → key resolution and a key's state are trusted, in ms (0 … 86 400 000); default 30 000.
   * 0 trusts nothing: every lookup asks KMS for the alias (public keys and tags are still kept).
   */
  ttlMs?: number;
  /** Most entries in each cache (aliases, key states, public keys, tags), least recently used evicted first; default 10 000. */
  maxEntries?: number;
  /** Clock for the TTL, in ms (like `Date.now`, the default). */
  now?: () => number;
}

export const DEFAULT_CACHE_TTL_MS = 30_000;
/** An x5c certificate is valid for CERTIFICATE_VALIDITY_DAYS and re-issued after 335 days, a month before it expires. */
export const CERTIFICATE_VALIDITY_DAYS = 365;
export const CERTIFICATE_RENEWAL_MS = 335 * 86_400_000;
export const DEFAULT_CACHE_MAX_ENTRIES = 10_000;
const MAX_TTL_MS = 86_400_000;
const MAX_ENTRIES = 10_000_000;

/** What GetPublicKey says of a key; all absent for a key without a public key (symmetric, HMAC). */
export interface PublicKeyFacts {
  publicKey?: Uint8Array;
  /** The key ARN (GetPublicKey's KeyId). */
  keyArn?: string;
  keySpec?: KmsKeySpec;
  keyUsage?: KmsKeyUsage;
}

export class ProviderCache {
  /** Alias name → the DescribeKey answer for it (target key and its state): for ttlMs. */
  readonly aliases: LruCache<KeyMetadata>;
  /** Key id → may a JWKS publish it (Enabled): for ttlMs. */
  readonly publishable: LruCache<boolean>;
  /** Key id → public key, spec and usage: forever. */
  readonly publicKeys: LruCache<PublicKeyFacts>;
  /** Key id → its tags as read at first use: forever (never used to number versions). */
  readonly tags: LruCache<ReadSaurTags>;
  /** In-flight listings (the alias index): shared, never stored. */
  readonly listings: LruCache<unknown>;
  /** Key id → its x5c certificate (DER), until CERTIFICATE_RENEWAL_MS after it was issued. */
  readonly certificates: LruCache<Uint8Array>;

  /** The clock of the TTLs (also the issuance time of x5c certificates). */
  readonly now: () => number;

  constructor(options: false | ProviderCacheOptions | undefined) {
    const { ttlMs, maxEntries, now } = cacheSettings(options);
    this.now = now;
    this.aliases = new LruCache({ maxEntries, ttlMs, now });
    this.publishable = new LruCache({ maxEntries, ttlMs, now });
    this.publicKeys = new LruCache({ maxEntries, ttlMs: Number.POSITIVE_INFINITY, now });
    this.tags = new LruCache({ maxEntries, ttlMs: Number.POSITIVE_INFINITY, now });
    this.listings = new LruCache({ maxEntries: maxEntries === 0 ? 0 : 16, ttlMs: 0, now });
    this.certificates = new LruCache({ maxEntries, ttlMs: CERTIFICATE_RENEWAL_MS, now });
  }

  /** Records what a DescribeKey said of a key (its state decides whether a JWKS may publish it). */
  noteMetadata(metadata: KeyMetadata): void {
    this.publishable.set(metadata.KeyId, metadata.KeyState === 'Enabled');
  }
}

/** The `cache` option checked: false → everything off; absent → the defaults. */
function cacheSettings(options: false | ProviderCacheOptions | undefined): Required<ProviderCacheOptions> {
  if (options === false) return { ttlMs: 0, maxEntries: 0, now: Date.now };
  if (options === undefined) return { ttlMs: DEFAULT_CACHE_TTL_MS, maxEntries: DEFAULT_CACHE_MAX_ENTRIES, now: Date.now };
  if (!isRecord(options)) {
    throw new InvalidArgumentError(`options.cache must be false or an object { ttlMs?, maxEntries?, now? }; got ${describe(options)}`);
  }
  const { ttlMs, maxEntries, now, ...rest } = options;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) {
    throw new InvalidArgumentError(`Unknown options.cache member(s): ${unknown.join(', ')} (allowed: ttlMs, maxEntries, now)`);
  }
  if (now !== undefined && typeof now !== 'function') {
    throw new InvalidArgumentError(`options.cache.now must be a function returning ms; got ${describe(now)}`);
  }
  return {
    ttlMs: ttlMs === undefined ? DEFAULT_CACHE_TTL_MS : integerInRange(ttlMs, 'options.cache.ttlMs', 0, MAX_TTL_MS),
    maxEntries:
      maxEntries === undefined ? DEFAULT_CACHE_MAX_ENTRIES : integerInRange(maxEntries, 'options.cache.maxEntries', 1, MAX_ENTRIES),
    now: (now as (() => number) | undefined) ?? Date.now,
  };
}
