/**
 * KeyDirectory: where a kid's versions are in KMS, read from its aliases and tags. Every KMS read of the
 * provider goes through here, and through its ProviderCache: DescribeKey of an alias or key, resolving
 * (kid, version) to its key and version number, probing a kid's `/vN` aliases, the alias index of the prefix
 * (ListAliases), tags (ListResourceTags) and public keys (GetPublicKey).
 *
 * No lookup of one kid reads the account's alias listing: KMS has no ListAliases filter by name, so a scan costs
 * ⌈A/100⌉ requests for A aliases in the account. A kid's aliases are reached by name (DescribeKey of
 * `alias/<prefix>/<kid>` or `…/v<N>`); only the JWKS, which wants every kid, pages the listing.
 */
import type { AliasListEntry, KeyMetadata, KmsTag } from '../ports/kms.port.js';
import { InvalidKeyStateError, KeyNotFoundError, UnsupportedOperationError } from '../domain/errors.js';
import { aliasNamespace, latestAliasName, parseAliasName, versionAliasName } from '../domain/alias-names.js';
import { readKmsTags, type ReadSaurTags } from '../domain/saur-tags.js';
import { hasPublicKey, supportedAlg, type SupportedAlg } from '../domain/spec-mapping.js';
import { isKmsErrorNamed } from './kms-error-mapping.js';
import { mapLimit } from './map-limit.js';
import { paginate } from './paginate.js';
import type { ProviderCache, PublicKeyFacts } from './provider-cache.js';
import type { ProviderKms } from './provider-kms.js';

export type KeyDirectoryKms = Pick<ProviderKms, 'region' | 'describeKey' | 'listAliases' | 'listResourceTags' | 'getPublicKey'>;

/** ListAliases page size (the service maximum). */
const ALIAS_PAGE = 100;

/** What ListAliases says about one kid under the provider's prefix. */
export interface KidAliases {
  /** Key id the latest alias targets. */
  latest?: string;
  /** version → key id, from the `/vN` aliases. */
  versions: Map<number, string>;
}

/** A key, the version number of the alias that resolved it, and the key's tags. */
export interface ResolvedVersion {
  metadata: KeyMetadata;
  version: number;
  tags: ReadSaurTags;
}

/** Every version of one kid, read by name (KeyDirectory.versionsOf). */
export interface KidVersions {
  /** The key the latest alias targets, and its tags read afresh. */
  latest: KeyMetadata;
  latestTags: ReadSaurTags;
  /** version → its key (DescribeKey of the `/vN` alias); a kid with only a latest alias is version 1. */
  versions: Map<number, KeyMetadata>;
}

/** Whether a JWKS may publish a key, and its public key facts when it may. */
export type Publication = { publishable: true; facts: PublicKeyFacts } | { publishable: false };

/** version → key id of a kid; a kid with only a latest alias (no `/vN`) is version 1, as in the original. */
export function versionTargets(entry: KidAliases): Map<number, string> {
  const versions = new Map(entry.versions);
  if (versions.size === 0 && entry.latest !== undefined) versions.set(1, entry.latest);
  return versions;
}

/**
 * The `saur:alg` tag of a kid's key, as written. A key without one was not made by a key provider: that is the
 * same InvalidKeyStateError for every method that reads it (getKey, rotateKey, getPublicJwk):
 * `The KMS key of kid <kid> has no saur:alg tag: it was not made by a key provider`.
 */
export function algTagOf(tags: ReadSaurTags, kid: string): string {
  if (tags.alg === undefined) {
    throw new InvalidKeyStateError(`The KMS key of kid ${kid} has no saur:alg tag: it was not made by a key provider`);
  }
  return tags.alg;
}

/**
 * Refuses a version whose key KMS would not use, from its DescribeKey state (cached or not, the same answer):
 * InvalidKeyStateError `Version <N> of kid <kid> is pending deletion (deletion date <ISO>)` or
 * `Version <N> of kid <kid> is disabled`.
 */
export function requireUsable(metadata: KeyMetadata, kid: string, version: number): void {
  if (metadata.KeyState === 'PendingDeletion') {
    const date = metadata.DeletionDate?.toISOString() ?? 'unknown';
    throw new InvalidKeyStateError(`Version ${version} of kid ${kid} is pending deletion (deletion date ${date})`);
  }
  if (metadata.KeyState === 'Disabled') throw new InvalidKeyStateError(`Version ${version} of kid ${kid} is disabled`);
}

/** The alg of a kid's key, for the methods that act on it: no tag → see algTagOf; an unknown alg → UnsupportedAlgorithmError. */
export function algOf(tags: ReadSaurTags, kid: string): SupportedAlg {
  return supportedAlg(algTagOf(tags, kid));
}

/** The highest version number a kid's latest key knows of: its own `saur:version` and `saur:max_version`. */
export function highestKnownVersion(tags: ReadSaurTags): number {
  return Math.max(tags.version ?? 1, tags.maxVersion ?? 0);
}

export class KeyDirectory {
  readonly aliasPrefix: string;
  /** Independent KMS requests in flight at once. */
  readonly concurrency: number;
  readonly #kms: KeyDirectoryKms;
  readonly #cache: ProviderCache;

  constructor(kms: KeyDirectoryKms, aliasPrefix: string, cache: ProviderCache, concurrency: number) {
    this.#kms = kms;
    this.aliasPrefix = aliasPrefix;
    this.#cache = cache;
    this.concurrency = concurrency;
  }

  /** The Region of the KMS behind the port (`kms:region` in KeyRefs). */
  get region(): string {
    return this.#kms.region;
  }

  /** The cache this directory reads through (writers update it after their own changes). */
  get cache(): ProviderCache {
    return this.#cache;
  }

  /**
   * DescribeKey of an alias; NotFoundException → KeyNotFoundError with `notFound` as message. `fresh` asks KMS
   * whatever the cache holds (for decisions that change KMS); either way the answer is cached for the TTL.
   */
  async describeAlias(aliasName: string, notFound: string, fresh = false): Promise<KeyMetadata> {
    if (fresh) this.#cache.aliases.delete(aliasName);
    try {
      return await this.#cache.aliases.load(aliasName, () => this.describeKey(aliasName));
    } catch (error) {
      if (isKmsErrorNamed(error, 'NotFoundException')) throw new KeyNotFoundError(notFound, { cause: error });
      throw error;
    }
  }

  /** The key the latest alias of a kid targets; an unknown kid is KeyNotFoundError `Unknown kid: <kid>`. */
  describeLatest(kid: string, fresh = false): Promise<KeyMetadata> {
    return this.describeAlias(latestAliasName(this.aliasPrefix, kid), `Unknown kid: ${kid}`, fresh);
  }

  /** The key of a version's `/vN` alias; none is KeyNotFoundError `Unknown version <N> of kid <kid>`. */
  describeVersion(kid: string, version: number, fresh = false): Promise<KeyMetadata> {
    return this.describeAlias(versionAliasName(this.aliasPrefix, kid, version), `Unknown version ${version} of kid ${kid}`, fresh);
  }

  /** Drops the cached resolutions of a kid's aliases (after this provider changed them or their keys). */
  forgetAliases(kid: string): void {
    const latest = latestAliasName(this.aliasPrefix, kid);
    this.#cache.aliases.deleteWhere((aliasName) => aliasName === latest || aliasName.startsWith(`${latest}/v`));
  }

  /** DescribeKey of a key id (or alias), always asked of KMS; KMS errors as KMS threw them. */
  async describeKey(keyId: string): Promise<KeyMetadata> {
    const { KeyMetadata: metadata } = await this.#kms.describeKey({ KeyId: keyId });
    this.#cache.noteMetadata(metadata);
    return metadata;
  }

  /**
   * The key of a version (its `/vN` alias) or of the latest alias, with the version number of the alias that
   * resolved it. For the latest, that is the key's `saur:version` tag (kept equal to its `/vN` alias by every
   * writer, bumps included); only a key without the tag costs a ListAliases of that key to find its `/vN`.
   */
  async resolve(kid: string, version: number | undefined): Promise<ResolvedVersion> {
    const metadata = version === undefined ? await this.describeLatest(kid) : await this.describeVersion(kid, version);
    const tags = await this.tagsOf(metadata.KeyId);
    return { metadata, tags, version: version ?? tags.version ?? (await this.#versionAliasOf(kid, metadata.KeyId)) };
  }

  /**
   * Every version of a kid, by name: the latest key and its tags (read afresh), then DescribeKey of each
   * `/v1` … `/v<highest known>` alias, `concurrency` at a time — 2 + N requests for N versions whatever the size
   * of the account. Versions whose alias is gone (deleted with their key) are absent.
   */
  async versionsOf(kid: string): Promise<KidVersions> {
    const latest = await this.describeLatest(kid, true);
    const latestTags = await this.tagsOf(latest.KeyId, true);
    const numbers = Array.from({ length: highestKnownVersion(latestTags) }, (_, i) => i + 1);
    const found = await mapLimit(numbers, this.concurrency, async (n) => {
      try {
        return await this.describeVersion(kid, n, true);
      } catch (error) {
        if (error instanceof KeyNotFoundError) return undefined;
        throw error;
      }
    });
    const versions = new Map<number, KeyMetadata>();
    for (const [i, metadata] of found.entries()) if (metadata) versions.set(i + 1, metadata);
    if (versions.size === 0) versions.set(1, latest);
    return { latest, latestTags, versions };
  }

  /** One pass over the account's aliases: kid → latest target and version targets, under this prefix only. */
  aliasIndex(): Promise<Map<string, KidAliases>> {
    return this.#cache.listings.load('alias-index', () => this.#readAliasIndex()) as Promise<Map<string, KidAliases>>;
  }

  /** The `saur:*` and caller tags of a key (every page of ListResourceTags); cached unless `fresh`. */
  tagsOf(keyId: string, fresh = false): Promise<ReadSaurTags> {
    if (fresh) return this.#readTags(keyId);
    return this.#cache.tags.load(keyId, () => this.#readTags(keyId));
  }

  /** DER SPKI of an asymmetric key (GetPublicKey), cached forever; a key without one is UnsupportedOperationError. */
  async publicKey(keyId: string): Promise<Uint8Array> {
    const { publicKey } = await this.#publicKeyFacts(keyId);
    if (publicKey === undefined) throw new UnsupportedOperationError(`KMS key ${keyId} has no public key`);
    return publicKey;
  }

  /** DER SPKI of a key, or undefined for a symmetric or HMAC key (no KMS call then). */
  async publicKeyOf(metadata: KeyMetadata): Promise<Uint8Array | undefined> {
    return hasPublicKey(metadata.KeySpec) ? this.publicKey(metadata.KeyId) : undefined;
  }

  /**
   * Whether a JWKS may publish a key: Enabled (known within the TTL, or GetPublicKey answers), with its public key
   * facts. A key without a public key (symmetric, HMAC) is publishable with no `publicKey`; a key KMS refuses
   * (Disabled, pending deletion, deleted) is not. At most one GetPublicKey, none when the cache knows.
   */
  async publication(keyId: string): Promise<Publication> {
    const known = this.#cache.publishable.get(keyId);
    if (known === false) return { publishable: false };
    const cached = this.#cache.publicKeys.get(keyId);
    if (cached && (known === true || cached.publicKey === undefined)) return { publishable: true, facts: cached };
    try {
      if (cached) this.#cache.publicKeys.delete(keyId); // ask again: the answer also says the key is usable
      return { publishable: true, facts: await this.#publicKeyFacts(keyId) };
    } catch (error) {
      if (['DisabledException', 'KMSInvalidStateException', 'NotFoundException'].some((n) => isKmsErrorNamed(error, n))) {
        this.#cache.publishable.set(keyId, false);
        return { publishable: false };
      }
      throw error;
    }
  }

  /** GetPublicKey, cached forever; a key KMS says has none (UnsupportedOperationException) is cached as such. */
  #publicKeyFacts(keyId: string): Promise<PublicKeyFacts> {
    return this.#cache.publicKeys.load(keyId, async (): Promise<PublicKeyFacts> => {
      try {
        const answer = await this.#kms.getPublicKey({ KeyId: keyId });
        this.#cache.publishable.set(keyId, true);
        return { publicKey: answer.PublicKey, keyArn: answer.KeyId, keySpec: answer.KeySpec, keyUsage: answer.KeyUsage };
      } catch (error) {
        if (!isKmsErrorNamed(error, 'UnsupportedOperationException')) throw error;
        this.#cache.publishable.set(keyId, true);
        return {};
      }
    });
  }

  async #readAliasIndex(): Promise<Map<string, KidAliases>> {
    const index = new Map<string, KidAliases>();
    const namespace = aliasNamespace(this.aliasPrefix);
    for await (const alias of this.#aliases()) {
      if (!alias.AliasName.startsWith(namespace) || alias.TargetKeyId === undefined) continue;
      const parsed = parseAliasName(this.aliasPrefix, alias.AliasName);
      if (!parsed) continue;
      let entry = index.get(parsed.kid);
      if (!entry) index.set(parsed.kid, (entry = { versions: new Map() }));
      if (parsed.version === undefined) entry.latest = alias.TargetKeyId;
      else entry.versions.set(parsed.version, alias.TargetKeyId);
    }
    return index;
  }

  async #readTags(keyId: string): Promise<ReadSaurTags> {
    const tags: KmsTag[] = [];
    for await (const tag of paginate(
      (next) => this.#kms.listResourceTags({ KeyId: keyId, ...next }),
      (page) => page.Tags,
    )) {
      tags.push(tag);
    }
    return readKmsTags(tags);
  }

  /** The highest N of the kid's `/vN` aliases on one key (ListAliases of that key), else 1. */
  async #versionAliasOf(kid: string, keyId: string): Promise<number> {
    let resolved: number | undefined;
    for await (const alias of this.#aliases(keyId)) {
      const parsed = parseAliasName(this.aliasPrefix, alias.AliasName);
      if (parsed?.kid === kid && parsed.version !== undefined) resolved = Math.max(resolved ?? 0, parsed.version);
    }
    return resolved ?? 1;
  }

  /** Every alias (of one key, or of the account). */
  #aliases(keyId?: string): AsyncGenerator<AliasListEntry> {
    return paginate(
      (next) => this.#kms.listAliases({ Limit: ALIAS_PAGE, ...(keyId === undefined ? {} : { KeyId: keyId }), ...next }),
      (page) => page.Aliases,
    );
  }
}
