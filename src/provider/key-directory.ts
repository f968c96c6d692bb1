/**
 * KeyDirectory: where a kid's versions are in KMS, read from its aliases and tags. Every KMS read of the
 * provider goes through here: DescribeKey of an alias or key, resolving (kid, version) to its key and version
 * number, the alias index of the prefix (ListAliases), tags (ListResourceTags) and public keys (GetPublicKey).
 * `paginate` is the one loop over a paginated KMS listing.
 */
import type { AliasListEntry, KeyMetadata, KmsTag } from '../ports/kms.port.js';
import { InvalidKeyStateError, KeyNotFoundError } from '../domain/errors.js';
import { aliasNamespace, latestAliasName, parseAliasName, versionAliasName } from '../domain/alias-names.js';
import { readKmsTags, type ReadSaurTags } from '../domain/saur-tags.js';
import { supportedAlg, type SupportedAlg } from '../domain/spec-mapping.js';
import { isKmsErrorNamed } from './kms-error-mapping.js';
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

/** A key and the version number of the alias that resolved it. */
export interface ResolvedVersion {
  metadata: KeyMetadata;
  version: number;
}

/** What every page of a KMS listing carries: NextMarker, meaningful while Truncated. */
export interface ListingPage {
  NextMarker?: string;
  Truncated: boolean;
}

/**
 * Every item of a paginated KMS listing, page by page: `fetchPage` gets `{}` for the first page, then
 * `{ Marker }` with the previous page's NextMarker for as long as the previous page was Truncated.
 */
export async function* paginate<P extends ListingPage, T>(
  fetchPage: (next: { Marker?: string }) => Promise<P>,
  items: (page: P) => readonly T[],
): AsyncGenerator<T> {
  let marker: string | undefined;
  do {
    const page = await fetchPage(marker === undefined ? {} : { Marker: marker });
    yield* items(page);
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker !== undefined);
}

/** version → key id of a kid; a kid with only a latest alias (no `/vN`) is version 1, as in the original. */
export function versionTargets(entry: KidAliases): Map<number, string> {
  const versions = new Map(entry.versions);
  if (versions.size === 0 && entry.latest !== undefined) versions.set(1, entry.latest);
  return versions;
}

/**
 * The `saur:alg` tag of a kid's key, as written. A key without one was not made by a key provider: that is the
 * same InvalidKeyStateError for every method (getKey, rotateKey, getPublicJwk, jwks):
 * `The KMS key of kid <kid> has no saur:alg tag: it was not made by a key provider`.
 */
export function algTagOf(tags: ReadSaurTags, kid: string): string {
  if (tags.alg === undefined) {
    throw new InvalidKeyStateError(`The KMS key of kid ${kid} has no saur:alg tag: it was not made by a key provider`);
  }
  return tags.alg;
}

/** The alg of a kid's key, for the methods that act on it: no tag → see algTagOf; an unknown alg → UnsupportedAlgorithmError. */
export function algOf(tags: ReadSaurTags, kid: string): SupportedAlg {
  return supportedAlg(algTagOf(tags, kid));
}

export class KeyDirectory {
  readonly aliasPrefix: string;
  readonly #kms: KeyDirectoryKms;

  constructor(kms: KeyDirectoryKms, aliasPrefix: string) {
    this.#kms = kms;
    this.aliasPrefix = aliasPrefix;
  }

  /** The Region of the KMS behind the port (`kms:region` in KeyRefs). */
  get region(): string {
    return this.#kms.region;
  }

  /** DescribeKey of an alias; NotFoundException → KeyNotFoundError with `notFound` as message. */
  async describeAlias(aliasName: string, notFound: string): Promise<KeyMetadata> {
    try {
      return (await this.#kms.describeKey({ KeyId: aliasName })).KeyMetadata;
    } catch (error) {
      if (isKmsErrorNamed(error, 'NotFoundException')) throw new KeyNotFoundError(notFound, { cause: error });
      throw error;
    }
  }

  /** The key the latest alias of a kid targets; an unknown kid is KeyNotFoundError `Unknown kid: <kid>`. */
  async describeLatest(kid: string): Promise<KeyMetadata> {
    return this.describeAlias(latestAliasName(this.aliasPrefix, kid), `Unknown kid: ${kid}`);
  }

  /** DescribeKey of a key id; KMS errors as KMS threw them. */
  async describeKey(keyId: string): Promise<KeyMetadata> {
    return (await this.#kms.describeKey({ KeyId: keyId })).KeyMetadata;
  }

  /**
   * The key of a version (its `/vN` alias) or of the latest alias, with the version number of the alias that
   * resolved it: for the latest, the N of the `/vN` alias that targets the same key (else `saur:version`, else 1).
   */
  async resolve(kid: string, version: number | undefined): Promise<ResolvedVersion> {
    if (version !== undefined) {
      const metadata = await this.describeAlias(
        versionAliasName(this.aliasPrefix, kid, version),
        `Unknown version ${version} of kid ${kid}`,
      );
      return { metadata, version };
    }
    const metadata = await this.describeLatest(kid);
    let resolved: number | undefined;
    for await (const alias of this.#aliases(metadata.KeyId)) {
      const parsed = parseAliasName(this.aliasPrefix, alias.AliasName);
      if (parsed?.kid === kid && parsed.version !== undefined) resolved = Math.max(resolved ?? 0, parsed.version);
    }
    if (resolved === undefined) resolved = (await this.tagsOf(metadata.KeyId)).version ?? 1;
    return { metadata, version: resolved };
  }

  /** One pass over the account's aliases: kid → latest target and version targets, under this prefix only. */
  async aliasIndex(): Promise<Map<string, KidAliases>> {
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

  /** The aliases of one kid from the alias index; a kid without any is KeyNotFoundError `Unknown kid: <kid>`. */
  async aliasesOf(kid: string): Promise<KidAliases> {
    const entry = (await this.aliasIndex()).get(kid);
    if (!entry) throw new KeyNotFoundError(`Unknown kid: ${kid}`);
    return entry;
  }

  /** The `saur:*` and caller tags of a key (every page of ListResourceTags). */
  async tagsOf(keyId: string): Promise<ReadSaurTags> {
    const tags: KmsTag[] = [];
    for await (const tag of paginate(
      (next) => this.#kms.listResourceTags({ KeyId: keyId, ...next }),
      (page) => page.Tags,
    )) {
      tags.push(tag);
    }
    return readKmsTags(tags);
  }

  /** DER SPKI of an asymmetric key (GetPublicKey). */
  async publicKey(keyId: string): Promise<Uint8Array> {
    return (await this.#kms.getPublicKey({ KeyId: keyId })).PublicKey;
  }

  /** DER SPKI of a key, or undefined for a symmetric key (no KMS call then). */
  async publicKeyOf(metadata: KeyMetadata): Promise<Uint8Array | undefined> {
    return metadata.KeySpec === 'SYMMETRIC_DEFAULT' ? undefined : this.publicKey(metadata.KeyId);
  }

  /** Every alias (of one key, or of the account). */
  #aliases(keyId?: string): AsyncGenerator<AliasListEntry> {
    return paginate(
      (next) => this.#kms.listAliases({ Limit: ALIAS_PAGE, ...(keyId === undefined ? {} : { KeyId: keyId }), ...next }),
      (page) => page.Aliases,
    );
  }
}
