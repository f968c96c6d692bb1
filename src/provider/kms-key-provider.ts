/**
 * KmsKeyProvider: the Swarmauri key-provider use cases over a KmsPort (the simulator, AWS KMS, …). The public
 * `AwsKmsKeyProvider` (src/aws-kms-key-provider.ts) is this class with an AWS SDK adapter wired in when no `kms`
 * is given.
 *
 * Keys live in KMS, one KMS key per (kid, version), found through the aliases `alias/<prefix>/<kid>` (latest)
 * and `alias/<prefix>/<kid>/v<N>`, tagged `saur:kid`, `saur:version`, `saur:alg`, `saur:label` — the wire
 * contract of the Python original.
 *
 * A facade: each method checks every argument before the first KMS call, then runs one use case — reads in the
 * KeyReader (over the KeyDirectory, which does every KMS read), new versions in the VersionWriter, which version
 * signs and which are published in the VersionActivation, deletion in the VersionRetirement — and turns whatever
 * KMS threw into a typed error (kms-error-mapping).
 */
import { InvalidArgumentError, UnsupportedOperationError } from '../domain/errors.js';
import {
  KeyClass,
  type Jwk,
  type Jwks,
  type KeyRef,
  type KeySpec,
  type ProviderCapabilities,
} from '../domain/key-types.js';
import { DEFAULT_ALIAS_PREFIX, kidFromRandom, normalizeAliasPrefix, validateKid } from '../domain/alias-names.js';
import { SUPPORTED_ALGS, resolveKeySpec, validateRsaSize } from '../domain/spec-mapping.js';
import { hkdfSha256 } from '../codec/hkdf.js';
import { validateLabel } from '../domain/tags.js';
import {
  describe,
  integerInRange,
  isRecord,
  optionsObject,
  validatePendingWindow,
  validateVersion,
} from '../domain/validation.js';
import type { KmsMessageType } from '../ports/kms.port.js';
import { toProviderError } from './kms-error-mapping.js';
import { KeyDirectory } from './key-directory.js';
import { JWKS_INCLUDES, KeyReader, type JwksInclude } from './key-reader.js';
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from './map-limit.js';
import { ProviderCache } from './provider-cache.js';
import { retryPolicy } from './retry-policy.js';
import { retryingKms } from './retrying-kms.js';
import { requireProviderKms } from './provider-kms.js';
import {
  policyText,
  refuseUnknownOptions,
  type DestroyKeyOptions,
  type GetKeyOptions,
  type HkdfOptions,
  type JwksOptions,
  type KmsKeyProviderOptions,
  type RotateOverrides,
} from './provider-options.js';
import { VersionActivation } from './version-activation.js';
import { VersionRetirement } from './version-retirement.js';
import { VersionWriter, type Rotation } from './version-writer.js';
import { KeySigning, type SigningKey } from './key-signing.js';

const MESSAGE_TYPES: readonly KmsMessageType[] = ['RAW', 'DIGEST', 'EXTERNAL_MU'];

/** Largest `randomBytes` request. */
export const MAX_RANDOM_BYTES = 1_048_576;

export type { JwksInclude } from './key-reader.js';
export { PROVIDER_OPTION_NAMES } from './provider-options.js';
export type {
  DestroyKeyOptions,
  GetKeyOptions,
  HkdfOptions,
  JwksOptions,
  KmsKeyProviderOptions,
  RotateOverrides,
} from './provider-options.js';

export class KmsKeyProvider {
  readonly aliasPrefix: string;
  readonly pendingWindowInDays: number;
  readonly #reader: KeyReader;
  readonly #writer: VersionWriter;
  readonly #retirement: VersionRetirement;
  readonly #activation: VersionActivation;
  readonly #signing: KeySigning;
  readonly #getRandomValues: (bytes: Uint8Array<ArrayBuffer>) => unknown;

  constructor(options: KmsKeyProviderOptions) {
    if (!isRecord(options)) throw new InvalidArgumentError(`options must be an object; got ${describe(options)}`);
    refuseUnknownOptions(options);
    const kms = retryingKms(requireProviderKms(options.kms), retryPolicy(options.retry));
    this.aliasPrefix = normalizeAliasPrefix(options.aliasPrefix ?? DEFAULT_ALIAS_PREFIX);
    this.pendingWindowInDays = validatePendingWindow(options.pendingWindowInDays ?? 30);
    const policy = policyText(options.keyPolicy);
    const fill = options.getRandomValues ?? ((bytes: Uint8Array<ArrayBuffer>) => globalThis.crypto.getRandomValues(bytes));
    if (typeof fill !== 'function') throw new InvalidArgumentError('options.getRandomValues must be a function');
    this.#getRandomValues = fill;
    const concurrency =
      options.concurrency === undefined ? DEFAULT_CONCURRENCY : integerInRange(options.concurrency, 'options.concurrency', 1, MAX_CONCURRENCY);
    const directory = new KeyDirectory(kms, this.aliasPrefix, new ProviderCache(options.cache), concurrency);
    this.#reader = new KeyReader(directory, (key, message) => this.#signing.sign(key, message, 'RAW'));
    this.#writer = new VersionWriter(kms, directory, policy);
    this.#retirement = new VersionRetirement(kms, directory);
    this.#activation = new VersionActivation(kms, directory);
    this.#signing = new KeySigning(kms, directory);
  }

  /** What this provider can do. */
  supports(): ProviderCapabilities {
    return {
      class: [KeyClass.symmetric, KeyClass.asymmetric],
      algs: [...SUPPORTED_ALGS],
      features: ['create', 'rotate', 'destroy', 'jwks', 'sign', 'non_exportable'],
    };
  }

  /** Creates version 1 of a new kid: a KMS key, its `/v1` alias and the latest alias. */
  async createKey(spec: KeySpec): Promise<KeyRef> {
    const resolved = resolveKeySpec(spec);
    const kid = kidFromRandom(this.#random(8));
    return this.#run(`Could not create a ${resolved.alg} key`, () => this.#writer.createFirst(kid, resolved));
  }

  /**
   * Creates the next version of a kid with the same alg, RSA size, label and caller tags (unless overridden),
   * and moves the latest alias to it. Older versions stay Enabled. With `activate: false` the new version is
   * pre-published instead: made and published (its `/vN` alias, Enabled) while the latest alias stays, its number
   * recorded as `saur:max_version` on the latest key so it is never reused; the rotation repair never moves the
   * latest alias onto it — `activateVersion` does, once verifiers have fetched it (docs/rotation-runbook.md).
   *
   * @throws KeyNotFoundError `Unknown kid: <kid>`.
   * @throws InvalidKeyStateError `kid <kid> has no live version: every version is pending deletion (…)`.
   * @throws InvalidKeyStateError `The KMS key of kid <kid> has no saur:alg tag: it was not made by a key provider`
   *   when the current version's key lacks the tag (the same error as getKey, getPublicJwk and jwks).
   */
  async rotateKey(kid: string, overrides?: RotateOverrides): Promise<KeyRef> {
    validateKid(kid);
    const { sizeBits, label, activate, ...rest } = optionsObject(overrides, 'overrides');
    const unknown = Object.keys(rest);
    if (unknown.length > 0) {
      throw new InvalidArgumentError(`Unknown rotate override(s): ${unknown.join(', ')} (allowed: sizeBits, label, activate)`);
    }
    if (sizeBits !== undefined) validateRsaSize(sizeBits);
    if (activate !== undefined && typeof activate !== 'boolean') {
      throw new InvalidArgumentError(`overrides.activate must be a boolean (true, or false to pre-publish); got ${describe(activate)}`);
    }
    const newLabel = label === null ? undefined : validateLabel(label);
    const rotation: Rotation = { keepLabel: label === undefined, activate: activate !== false };
    if (sizeBits !== undefined) rotation.sizeBits = sizeBits as number;
    if (newLabel !== undefined) rotation.label = newLabel;
    return this.#run(`Could not rotate kid ${kid}`, () => this.#writer.rotate(kid, rotation));
  }

  /**
   * Makes `version` the latest: moves the latest alias to it, so it signs from now on (`signingKey`; this
   * provider's cache at once, others within their TTL). For a pre-published version (rotateKey with `activate:
   * false`), and for an older one too — a rollback; the versions it leaves stay Enabled and published, and no
   * later rotation reuses a number (`saur:max_version`). Resolves with its KeyRef; the latest already: unchanged.
   *
   * @throws KeyNotFoundError `Unknown kid: <kid>` / `Unknown version <N> of kid <kid>`.
   * @throws InvalidKeyStateError `Version <N> of kid <kid> is pending deletion (…): cancelKeyDeletion(kid, N) restores
   *   it first`, or `… is retired (disabled): reinstateVersion(kid, N) enables it again, then activate it`.
   */
  async activateVersion(kid: string, version: number): Promise<KeyRef> {
    validateKid(kid);
    validateVersion(version);
    return this.#run(`Could not activate version ${version} of kid ${kid}`, () => this.#activation.activate(kid, version));
  }

  /**
   * Retires a version once no valid token needs it: KMS DisableKey (the key is kept: `reinstateVersion` enables
   * it again, `destroyKey` deletes it). No JWKS publishes it any more (this provider's at once, other providers'
   * within their cache TTL) and KMS refuses to sign with it. Retiring a retired version changes nothing.
   *
   * @throws KeyNotFoundError for an unknown kid or version.
   * @throws InvalidKeyStateError `Version <N> of kid <kid> is the latest (it signs): activateVersion(kid, <another
   *   version>) or rotateKey(kid) first, then retire it`; for a version pending deletion.
   */
  async retireVersion(kid: string, version: number): Promise<void> {
    validateKid(kid);
    validateVersion(version);
    return this.#run(`Could not retire version ${version} of kid ${kid}`, () => this.#activation.retire(kid, version));
  }

  /**
   * Undoes `retireVersion`: KMS EnableKey of a retired version, published again (`jwks({ include: 'enabled' })`);
   * the latest alias stays where it is. A version already Enabled changes nothing.
   *
   * @throws KeyNotFoundError for an unknown kid or version.
   * @throws InvalidKeyStateError for a version pending deletion (cancelKeyDeletion restores it).
   */
  async reinstateVersion(kid: string, version: number): Promise<void> {
    validateKid(kid);
    validateVersion(version);
    return this.#run(`Could not reinstate version ${version} of kid ${kid}`, () => this.#activation.reinstate(kid, version));
  }

  /**
   * KeyRef of a version (default: the latest). Never carries private material, whatever `includeSecret` says.
   *
   * @throws KeyNotFoundError `Unknown kid: <kid>` / `Unknown version <N> of kid <kid>`.
   * @throws InvalidKeyStateError `Version <N> of kid <kid> is pending deletion (deletion date <ISO>)` for a
   *   version whose key is pending deletion, `Version <N> of kid <kid> is disabled` for a disabled one,
   *   symmetric and asymmetric alike (from DescribeKey's state: no extra call).
   * @throws InvalidKeyStateError `The KMS key of kid <kid> has no saur:alg tag: it was not made by a key provider`
   *   when the version's key lacks the tag (the same error as rotateKey, getPublicJwk and jwks).
   */
  async getKey(kid: string, version?: number, options?: GetKeyOptions): Promise<KeyRef> {
    validateKid(kid);
    if (version !== undefined) validateVersion(version);
    const { includeSecret } = optionsObject(options, 'options');
    if (includeSecret !== undefined && typeof includeSecret !== 'boolean') {
      throw new InvalidArgumentError(`options.includeSecret must be a boolean; got ${describe(includeSecret)}`);
    }
    return this.#run(`Could not get kid ${kid}`, () => this.#reader.keyRef(kid, version));
  }

  /** Every version number of a kid, ascending, including versions pending deletion. */
  async listVersions(kid: string): Promise<number[]> {
    validateKid(kid);
    return this.#run(`Could not list versions of kid ${kid}`, () => this.#reader.versions(kid));
  }

  /**
   * Schedules deletion of one version, or of every version not already pending. Returns true when every
   * targeted version is pending deletion afterwards; moves the latest alias to the highest live version.
   */
  async destroyKey(kid: string, version?: number, options?: DestroyKeyOptions): Promise<boolean> {
    validateKid(kid);
    if (version !== undefined) validateVersion(version);
    const { pendingWindowInDays } = optionsObject(options, 'options');
    const window = pendingWindowInDays === undefined ? this.pendingWindowInDays : validatePendingWindow(pendingWindowInDays);
    return this.#run(`Could not destroy kid ${kid}${version === undefined ? '' : ` version ${version}`}`, () =>
      this.#retirement.destroy(kid, version, window),
    );
  }

  /**
   * Undoes `destroyKey`: cancels the scheduled deletion of one version, or of every version of the kid that is
   * pending deletion, enables them again, and re-points the latest alias at the highest live version. Resolves
   * with the versions restored, ascending (`[]` when none was pending). Only possible before KMS deletes the key.
   *
   * @throws KeyNotFoundError for an unknown kid or version.
   * @throws InvalidKeyStateError `Version <N> of kid <kid> is not pending deletion` for a given version that is not.
   */
  async cancelKeyDeletion(kid: string, version?: number): Promise<number[]> {
    validateKid(kid);
    if (version !== undefined) validateVersion(version);
    return this.#run(`Could not cancel the deletion of kid ${kid}${version === undefined ? '' : ` version ${version}`}`, () =>
      this.#retirement.restore(kid, version),
    );
  }

  /**
   * Public JWK of a version (default: the latest), with kid `<kid>.<version>`, `alg` and `use`.
   *
   * @throws UnsupportedOperationError for a symmetric key (no public JWK).
   * @throws InvalidKeyStateError for a version disabled or pending deletion (as getKey).
   * @throws InvalidKeyStateError `The KMS key of kid <kid> has no saur:alg tag: it was not made by a key provider`
   *   when the version's key lacks the tag (the same error as getKey, rotateKey and jwks).
   */
  async getPublicJwk(kid: string, version?: number): Promise<Jwk> {
    validateKid(kid);
    if (version !== undefined) validateVersion(version);
    return this.#run(`Could not get the public JWK of kid ${kid}`, () => this.#reader.publicJwk(kid, version));
  }

  /**
   * JWKS of every asymmetric kid (optionally only kids starting with prefixKids). `include: 'latest'` (default):
   * per kid the key its latest alias targets when Enabled, else its highest Enabled version. `include: 'enabled'`:
   * every Enabled version of every kid, sorted by kid then version — what verifiers need so that rotation never
   * breaks a token (docs/rotation-runbook.md). The JOSE alg follows from the key's spec and usage; where those
   * allow several algs, from its `saur:alg` tag.
   *
   * @throws InvalidArgumentError for an `include` other than 'latest' or 'enabled'.
   * @throws InvalidKeyStateError `The KMS key of kid <kid> has no saur:alg tag: it was not made by a key provider`
   *   when a key it would publish needs the tag and lacks it: the whole JWKS fails (loudly, the same error as
   *   getKey, rotateKey and getPublicJwk) rather than silently leaving that kid out.
   */
  async jwks(options?: JwksOptions): Promise<Jwks> {
    const { prefixKids, include = 'latest', x5c = false } = optionsObject(options, 'options');
    if (prefixKids !== undefined && typeof prefixKids !== 'string') {
      throw new InvalidArgumentError(`options.prefixKids must be a string; got ${describe(prefixKids)}`);
    }
    if (!JWKS_INCLUDES.includes(include as JwksInclude)) {
      throw new InvalidArgumentError(`options.include must be one of ${JWKS_INCLUDES.join(', ')}; got ${describe(include)}`);
    }
    if (typeof x5c !== 'boolean') throw new InvalidArgumentError(`options.x5c must be a boolean; got ${describe(x5c)}`);
    return this.#run('Could not build the JWKS', () => this.#reader.jwks(prefixKids, include as JwksInclude, x5c));
  }

  /**
   * The concrete KMS key a kid signs with now: the key its latest alias targets (DescribeKey, cached for the
   * cache TTL unless `fresh`), its version, JWK kid, JOSE alg and KMS signing algorithm. KmsJwtSigner calls
   * this once per token, so the header's kid and the signature always name the same key.
   *
   * @throws KeyNotFoundError for an unknown kid.
   * @throws InvalidKeyStateError when the latest version is disabled or pending deletion.
   * @throws UnsupportedOperationError for a kid whose alg does not sign (AES, HMAC, RSA-OAEP).
   */
  async signingKey(kid: string, options?: { fresh?: boolean }): Promise<SigningKey> {
    validateKid(kid);
    const { fresh } = optionsObject(options, 'options');
    if (fresh !== undefined && typeof fresh !== 'boolean') {
      throw new InvalidArgumentError(`options.fresh must be a boolean; got ${describe(fresh)}`);
    }
    return this.#run(`Could not resolve the signing key of kid ${kid}`, () => this.#signing.signingKey(kid, fresh === true));
  }

  /**
   * KMS Sign with exactly `key` (from signingKey): `message` is the message itself (RAW, ≤ 4 096 bytes), its
   * digest under the alg's hash (DIGEST; not Ed25519) or ML-DSA's μ (EXTERNAL_MU). Checks that KMS signed with
   * that key. Returns the signature as KMS encodes it (DER for ECDSA; KmsJwtSigner converts it for JOSE).
   */
  async sign(key: SigningKey, message: Uint8Array, options?: { messageType?: KmsMessageType }): Promise<Uint8Array> {
    if (!isRecord(key) || typeof key.keyId !== 'string' || !isRecord(key.signing)) {
      throw new InvalidArgumentError('key must be a SigningKey (from provider.signingKey(kid))');
    }
    const { messageType = 'RAW' } = optionsObject(options, 'options');
    if (!MESSAGE_TYPES.includes(messageType as KmsMessageType)) {
      throw new InvalidArgumentError(`options.messageType must be one of ${MESSAGE_TYPES.join(', ')}; got ${describe(messageType)}`);
    }
    return this.#run(`Could not sign with version ${key.version} of kid ${key.kid}`, () =>
      this.#signing.sign(key, message, messageType as KmsMessageType),
    );
  }

  /** n bytes (0 … 1 048 576) from the local CSPRNG (not KMS GenerateRandom). */
  async randomBytes(n: number): Promise<Uint8Array> {
    return this.#random(integerInRange(n, 'n', 0, MAX_RANDOM_BYTES));
  }

  /** HKDF-SHA256 (RFC 5869), computed locally; `length` 0 … 8160. */
  async hkdf(ikm: Uint8Array, options: HkdfOptions): Promise<Uint8Array> {
    return hkdfSha256(ikm, options);
  }

  /** KMS keys are created in KMS: importing private keys is not supported. */
  async importKey(..._args: unknown[]): Promise<never> {
    throw new UnsupportedOperationError(
      'AWS KMS does not support importing private keys via this provider; use createKey().',
    );
  }

  /** Runs a use case and turns whatever KMS threw into a typed error. */
  async #run<T>(context: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw toProviderError(error, context);
    }
  }

  #random(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let offset = 0; offset < n; offset += 65_536) {
      this.#getRandomValues(out.subarray(offset, Math.min(n, offset + 65_536)));
    }
    return out;
  }
}
