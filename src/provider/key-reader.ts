/**
 * KeyReader: the read use cases — the KeyRef of a version, the version list of a kid, the public JWK of a
 * version, the JWKS of the prefix — assembled from what the KeyDirectory reads out of KMS.
 */
import type { KeyMetadata } from '../ports/kms.port.js';
import { UnsupportedOperationError } from '../domain/errors.js';
import type { Jwk, Jwks, KeyRef } from '../domain/key-types.js';
import { buildKeyRef, buildPublicJwk } from '../domain/key-ref.js';
import { algOfKmsKey, hasPublicKey } from '../domain/spec-mapping.js';
import { KeyDirectory, algOf, algTagOf, requireUsable, versionTargets, type KidAliases } from './key-directory.js';
import { certificateMembers, type CertificateSigner } from './version-certificate.js';
import { mapLimit } from './map-limit.js';

/** Which versions a JWKS publishes: the latest of each kid (default) or every Enabled one. */
export type JwksInclude = 'latest' | 'enabled';
export const JWKS_INCLUDES: readonly JwksInclude[] = ['latest', 'enabled'];

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
  readonly #certify: CertificateSigner;

  /** `certify` signs x5c certificates (KMS Sign with exactly the version's key). */
  constructor(directory: KeyDirectory, certify: CertificateSigner) {
    this.#directory = directory;
    this.#certify = certify;
  }

  /**
   * KeyRef of a version (default: the latest). Every refusal comes from what is already read, before any
   * GetPublicKey: a version pending deletion or disabled — symmetric or asymmetric alike — is
   * InvalidKeyStateError (requireUsable, from DescribeKey); a key without `saur:alg` is InvalidKeyStateError
   * (algTagOf). The alg is reported as tagged.
   * Cold: DescribeKey + ListResourceTags + GetPublicKey; warm (within the TTL): no request.
   */
  async keyRef(kid: string, version: number | undefined): Promise<KeyRef> {
    const { metadata, version: resolvedVersion, tags } = await this.#directory.resolve(kid, version);
    requireUsable(metadata, kid, resolvedVersion);
    const alg = algTagOf(tags, kid);
    const publicKey = await this.#directory.publicKeyOf(metadata);
    return versionKeyRef(this.#directory.region, kid, resolvedVersion, metadata, { ...tags, alg }, publicKey);
  }

  /** Every version number of a kid, ascending, including versions pending deletion (2 + N requests). */
  async versions(kid: string): Promise<number[]> {
    return [...(await this.#directory.versionsOf(kid)).versions.keys()].sort((a, b) => a - b);
  }

  /** Public JWK of a version (default: the latest); a symmetric or HMAC key has none (UnsupportedOperationError). */
  async publicJwk(kid: string, version: number | undefined): Promise<Jwk> {
    const { metadata, version: resolvedVersion, tags } = await this.#directory.resolve(kid, version);
    if (!hasPublicKey(metadata.KeySpec)) {
      const kind = metadata.KeySpec === 'SYMMETRIC_DEFAULT' ? 'a symmetric' : `an ${metadata.KeySpec}`;
      throw new UnsupportedOperationError(`kid ${kid} is ${kind} key: it has no public JWK`);
    }
    requireUsable(metadata, kid, resolvedVersion);
    const alg = algOf(tags, kid);
    return buildPublicJwk(await this.#directory.publicKey(metadata.KeyId), kid, resolvedVersion, alg)!;
  }

  /**
   * JWKS of every asymmetric kid whose kid starts with `prefixKids`, by kid. `latest`: per kid the key its latest
   * alias targets when that key is Enabled, else its highest Enabled version. Cold: the ListAliases pages and one
   * GetPublicKey per kid (`concurrency` at a time); warm (within the TTL): the pages only. `enabled`: every
   * Enabled version of every kid, by kid then version, so that tokens signed before a rotation keep verifying
   * and a pre-published version is known before it signs; retired (Disabled) and pending versions never. Cold: the
   * pages and one GetPublicKey per version; warm: the pages only. The JOSE alg comes from the key's spec and
   * usage; only where those allow several algs is `saur:alg` read (ListResourceTags, cached forever).
   */
  async jwks(prefixKids: string | undefined, include: JwksInclude = 'latest', x5c = false): Promise<Jwks> {
    const index = await this.#directory.aliasIndex();
    const kids = [...index.keys()].filter((kid) => prefixKids === undefined || kid.startsWith(prefixKids)).sort();
    if (include === 'enabled') return { keys: await this.#enabledJwks(kids, index, x5c) };
    const jwks = await mapLimit(kids, this.#directory.concurrency, (kid) => this.#publishedJwk(kid, index.get(kid)!, x5c));
    return { keys: jwks.filter((jwk): jwk is Jwk => jwk !== undefined) };
  }

  /** Every Enabled version of each kid, ascending (`concurrency` GetPublicKey at a time); symmetric kids never. */
  async #enabledJwks(kids: readonly string[], index: Map<string, KidAliases>, x5c: boolean): Promise<Jwk[]> {
    const versions = kids.flatMap((kid) =>
      [...versionTargets(index.get(kid)!).entries()].sort(([a], [b]) => a - b).map(([version, keyId]) => ({ kid, version, keyId })),
    );
    const jwks = await mapLimit(versions, this.#directory.concurrency, ({ kid, version, keyId }) =>
      this.#versionJwk(kid, version, keyId, x5c),
    );
    return jwks.filter((jwk): jwk is Jwk => typeof jwk === 'object');
  }

  /**
   * The JWK of one version when a JWKS may publish it; 'symmetric' for a key without a public key. With `x5c`,
   * a signing key's JWK also carries its certificate (issued once per key through one KMS Sign, then cached).
   */
  async #versionJwk(kid: string, version: number, keyId: string, x5c: boolean): Promise<Jwk | 'symmetric' | undefined> {
    const publication = await this.#directory.publication(keyId);
    if (!publication.publishable) return undefined;
    const { publicKey, keyArn, keySpec, keyUsage } = publication.facts;
    if (publicKey === undefined) return 'symmetric';
    const alg = algOfKmsKey(keySpec!, keyUsage!) ?? algOf(await this.#directory.tagsOf(keyId), kid);
    const jwk = buildPublicJwk(publicKey, kid, version, alg)!;
    if (!x5c || jwk.use !== 'sig') return jwk;
    const cache = this.#directory.cache;
    const members = await certificateMembers({ kid, version, alg, keyId, keyArn: keyArn!, publicKey }, this.#certify, cache);
    return { ...jwk, ...members };
  }

  /** The JWK a JWKS publishes for a kid; undefined for symmetric kids or when no version is Enabled. */
  async #publishedJwk(kid: string, entry: KidAliases, x5c: boolean): Promise<Jwk | undefined> {
    const targets = versionTargets(entry);
    const descending = [...targets.entries()].sort(([a], [b]) => b - a);
    const latest = descending.find(([, keyId]) => keyId === entry.latest);
    const candidates = latest ? [latest, ...descending.filter((candidate) => candidate !== latest)] : descending;
    for (const [version, keyId] of candidates) {
      const jwk = await this.#versionJwk(kid, version, keyId, x5c);
      if (jwk === 'symmetric') return undefined; // symmetric or HMAC: never in a JWKS
      if (jwk !== undefined) return jwk;
    }
    return undefined;
  }
}
