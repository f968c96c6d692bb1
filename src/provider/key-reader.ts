/**
 * KeyReader: the read use cases — the KeyRef of a version, the version list of a kid, the public JWK of a
 * version, the JWKS of the prefix — assembled from what the KeyDirectory reads out of KMS.
 */
import type { KeyMetadata } from '../ports/kms.port.js';
import { InvalidKeyStateError, UnsupportedOperationError } from '../domain/errors.js';
import type { Jwk, Jwks, KeyRef } from '../domain/key-types.js';
import { buildKeyRef, buildPublicJwk } from '../domain/key-ref.js';
import { isKmsErrorNamed } from './kms-error-mapping.js';
import { KeyDirectory, algOf, algTagOf, versionTargets, type KidAliases } from './key-directory.js';
import { KMS_CONCURRENCY, mapLimit } from './map-limit.js';

/** The tags a KeyRef reports beside the KMS ones. */
export interface KeyRefTagValues {
  alg: string;
  label?: string;
  callerTags: Record<string, string>;
}

/** The KeyRef of one version of a kid, from its KMS key, tags and (asymmetric keys) DER public key. */
export function versionKeyRef(
  region: string,
  kid: string,
  version: number,
  metadata: KeyMetadata,
  tags: KeyRefTagValues,
  publicKey: Uint8Array | undefined,
): KeyRef {
  return buildKeyRef({
    kid,
    version,
    alg: tags.alg,
    keyId: metadata.KeyId,
    keyArn: metadata.Arn,
    region,
    kmsKeyUsage: metadata.KeyUsage,
    callerTags: tags.callerTags,
    ...(tags.label ? { label: tags.label } : {}),
    ...(publicKey ? { publicKey } : {}),
  });
}

export class KeyReader {
  readonly #directory: KeyDirectory;

  constructor(directory: KeyDirectory) {
    this.#directory = directory;
  }

  /**
   * KeyRef of a version (default: the latest). Both refusals come from what is already read, before any
   * GetPublicKey: a version pending deletion — symmetric or asymmetric alike — is InvalidKeyStateError
   * `Version <N> of kid <kid> is pending deletion (deletion date <ISO>)` (from DescribeKey); a key without
   * `saur:alg` is InvalidKeyStateError (algTagOf). The alg is reported as tagged.
   */
  async keyRef(kid: string, version: number | undefined): Promise<KeyRef> {
    const { metadata, version: resolvedVersion } = await this.#directory.resolve(kid, version);
    if (metadata.KeyState === 'PendingDeletion') {
      const date = metadata.DeletionDate?.toISOString() ?? 'unknown';
      throw new InvalidKeyStateError(`Version ${resolvedVersion} of kid ${kid} is pending deletion (deletion date ${date})`);
    }
    const tags = await this.#directory.tagsOf(metadata.KeyId);
    const alg = algTagOf(tags, kid);
    const publicKey = await this.#directory.publicKeyOf(metadata);
    return versionKeyRef(this.#directory.region, kid, resolvedVersion, metadata, { ...tags, alg }, publicKey);
  }

  /** Every version number of a kid, ascending, including versions pending deletion. */
  async versions(kid: string): Promise<number[]> {
    return [...versionTargets(await this.#directory.aliasesOf(kid)).keys()].sort((a, b) => a - b);
  }

  /** Public JWK of a version (default: the latest); a symmetric key has none (UnsupportedOperationError). */
  async publicJwk(kid: string, version: number | undefined): Promise<Jwk> {
    const { metadata, version: resolvedVersion } = await this.#directory.resolve(kid, version);
    if (metadata.KeySpec === 'SYMMETRIC_DEFAULT') {
      throw new UnsupportedOperationError(`kid ${kid} is a symmetric key: it has no public JWK`);
    }
    const [tags, publicKey] = await Promise.all([
      this.#directory.tagsOf(metadata.KeyId),
      this.#directory.publicKey(metadata.KeyId),
    ]);
    return buildPublicJwk(publicKey, kid, resolvedVersion, algOf(tags, kid))!;
  }

  /**
   * JWKS of the latest Enabled version of every asymmetric kid whose kid starts with `prefixKids`, by kid.
   * A published version whose key has no `saur:alg` tag fails the whole JWKS (InvalidKeyStateError, as in
   * algTagOf) rather than being left out silently: a verifier would otherwise miss a key with no error anywhere.
   */
  async jwks(prefixKids: string | undefined): Promise<Jwks> {
    const index = await this.#directory.aliasIndex();
    const kids = [...index.keys()].filter((kid) => prefixKids === undefined || kid.startsWith(prefixKids)).sort();
    const jwks = await mapLimit(kids, KMS_CONCURRENCY, (kid) => this.#latestEnabledJwk(kid, index.get(kid)!));
    return { keys: jwks.filter((jwk): jwk is Jwk => jwk !== undefined) };
  }

  /** JWK of the highest Enabled version of a kid; undefined for symmetric kids or when none is Enabled. */
  async #latestEnabledJwk(kid: string, entry: KidAliases): Promise<Jwk | undefined> {
    for (const [version, keyId] of [...versionTargets(entry).entries()].sort(([a], [b]) => b - a)) {
      let metadata: KeyMetadata;
      try {
        metadata = await this.#directory.describeKey(keyId);
      } catch (error) {
        if (isKmsErrorNamed(error, 'NotFoundException')) continue; // deleted since the listing
        throw error;
      }
      if (metadata.KeySpec === 'SYMMETRIC_DEFAULT') return undefined;
      if (metadata.KeyState !== 'Enabled') continue;
      const [tags, publicKey] = await Promise.all([this.#directory.tagsOf(keyId), this.#directory.publicKey(keyId)]);
      return buildPublicJwk(publicKey, kid, version, algOf(tags, kid));
    }
    return undefined;
  }
}
