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
 * KeyReader (over the KeyDirectory, which does every KMS read), new versions in the VersionWriter, deletion in
 * the VersionRetirement — and turns whatever KMS threw into a typed error (kms-error-mapping).
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
import { KeyReader } from './key-reader.js';
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from './map-limit.js';
import { ProviderCache, type ProviderCacheOptions } from './provider-cache.js';
import { retryPolicy, type RetryOptions } from './retry-policy.js';
import { retryingKms } from './retrying-kms.js';
import { requireProviderKms, type ProviderKms } from './provider-kms.js';
import { VersionRetirement } from './version-retirement.js';
import { VersionWriter, type Rotation } from './version-writer.js';
import { KeySigning, type SigningKey } from './key-signing.js';

export interface KmsKeyProviderOptions {
  /**
   * The KMS behind the provider: a `SimulatedKms`, an `AwsSdkKms`, or any other KmsPort — or any object with the
   * operations the provider calls (PROVIDER_KMS_OPERATIONS, checked by the constructor).
   */
  kms: ProviderKms;
  /** Alias namespace, default `swarmauri`; leading and trailing `/` are trimmed. */
  aliasPrefix?: string;
  /** Default deletion window of `destroyKey`, 7–30 days, default 30. */
  pendingWindowInDays?: number;
  /** Key policy for CreateKey: a JSON string or an object (serialised). */
  keyPolicy?: string | Record<string, unknown>;
  /** CSPRNG fill function (like `crypto.getRandomValues`), default the platform's WebCrypto. */
  getRandomValues?: (bytes: Uint8Array<ArrayBuffer>) => unknown;
  /**
   * What the provider remembers of KMS between calls (see ProviderCacheOptions): public keys and tags forever,
   * alias resolutions and key states for `ttlMs` (default 30 s). `false`: every lookup asks KMS.
   */
  cache?: false | ProviderCacheOptions;
  /** Most independent KMS requests in flight at once (jwks, listVersions, destroyKey …), 1–64, default 8. */
  concurrency?: number;
  /**
   * Retries of transient KMS failures (throttling, internal, dependency timeout, network): capped exponential
   * backoff with full jitter, default 3 attempts. Not applied over a port that retries itself (AwsSdkKms: the
   * SDK's `maxAttempts`/`retryMode` do it). `false`: one attempt.
   */
  retry?: false | RetryOptions;
}

export interface RotateOverrides {
  /** RSA only; default: the size of the current version. */
  sizeBits?: number;
  /** Default: the current label; `null` or `''` drops it. */
  label?: string | null;
}

export interface GetKeyOptions {
  /** Accepted for interface compatibility; KMS keys never yield material. */
  includeSecret?: boolean;
}

export interface DestroyKeyOptions {
  /** KMS waiting period, 7–30 days; default the provider's `pendingWindowInDays`. */
  pendingWindowInDays?: number;
}

export interface JwksOptions {
  /** Only kids starting with this string. */
  prefixKids?: string;
}

export interface HkdfOptions {
  salt: Uint8Array;
  info: Uint8Array;
  length: number;
}

const MESSAGE_TYPES: readonly KmsMessageType[] = ['RAW', 'DIGEST', 'EXTERNAL_MU'];

/** Largest `randomBytes` request. */
export const MAX_RANDOM_BYTES = 1_048_576;

export class KmsKeyProvider {
  readonly aliasPrefix: string;
  readonly pendingWindowInDays: number;
  readonly #reader: KeyReader;
  readonly #writer: VersionWriter;
  readonly #retirement: VersionRetirement;
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
    this.#reader = new KeyReader(directory);
    this.#writer = new VersionWriter(kms, directory, policy);
    this.#retirement = new VersionRetirement(kms, directory);
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
   * and moves the latest alias to it. Older versions stay Enabled.
   *
   * @throws KeyNotFoundError `Unknown kid: <kid>`.
   * @throws InvalidKeyStateError `kid <kid> has no live version: every version is pending deletion (…)`.
   * @throws InvalidKeyStateError `The KMS key of kid <kid> has no saur:alg tag: it was not made by a key provider`
   *   when the current version's key lacks the tag (the same error as getKey, getPublicJwk and jwks).
   */
  async rotateKey(kid: string, overrides?: RotateOverrides): Promise<KeyRef> {
    validateKid(kid);
    const { sizeBits, label, ...rest } = optionsObject(overrides, 'overrides');
    const unknown = Object.keys(rest);
    if (unknown.length > 0) {
      throw new InvalidArgumentError(`Unknown rotate override(s): ${unknown.join(', ')} (allowed: sizeBits, label)`);
    }
    if (sizeBits !== undefined) validateRsaSize(sizeBits);
    const newLabel = label === null ? undefined : validateLabel(label);
    const rotation: Rotation = { keepLabel: label === undefined };
    if (sizeBits !== undefined) rotation.sizeBits = sizeBits as number;
    if (newLabel !== undefined) rotation.label = newLabel;
    return this.#run(`Could not rotate kid ${kid}`, () => this.#writer.rotate(kid, rotation));
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
   * JWKS of every asymmetric kid (optionally only kids starting with prefixKids): the key its latest alias
   * targets when Enabled, else its highest Enabled version. The JOSE alg follows from the key's spec and usage;
   * where those allow several algs, from its `saur:alg` tag.
   *
   * @throws InvalidKeyStateError `The KMS key of kid <kid> has no saur:alg tag: it was not made by a key provider`
   *   when a key it would publish needs the tag and lacks it: the whole JWKS fails (loudly, the same error as
   *   getKey, rotateKey and getPublicJwk) rather than silently leaving that kid out.
   */
  async jwks(options?: JwksOptions): Promise<Jwks> {
    const { prefixKids } = optionsObject(options, 'options');
    if (prefixKids !== undefined && typeof prefixKids !== 'string') {
      throw new InvalidArgumentError(`options.prefixKids must be a string; got ${describe(prefixKids)}`);
    }
    return this.#run('Could not build the JWKS', () => this.#reader.jwks(prefixKids));
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

function policyText(policy: unknown): string | undefined {
  if (policy === undefined) return undefined;
  if (typeof policy === 'string') {
    try {
      JSON.parse(policy);
    } catch {
      throw new InvalidArgumentError('keyPolicy must be a JSON document (string or object)');
    }
    return policy;
  }
  if (isRecord(policy)) return JSON.stringify(policy);
  throw new InvalidArgumentError(`keyPolicy must be a JSON string or an object; got ${describe(policy)}`);
}

/** Every option of the provider core (the compiler keeps the list complete). */
export const PROVIDER_OPTION_NAMES: Readonly<Record<keyof KmsKeyProviderOptions, true>> = {
  kms: true,
  aliasPrefix: true,
  pendingWindowInDays: true,
  keyPolicy: true,
  getRandomValues: true,
  cache: true,
  concurrency: true,
  retry: true,
};

/** An option the provider does not know (say `alias_prefix`) is an error, not silently ignored. */
function refuseUnknownOptions(options: Record<string, unknown>): void {
  const unknown = Object.keys(options).filter((name) => !Object.hasOwn(PROVIDER_OPTION_NAMES, name));
  if (unknown.length === 0) return;
  const hints = unknown
    .map((name) => [name, name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] as const)
    .filter(([name, camel]) => camel !== name && Object.hasOwn(PROVIDER_OPTION_NAMES, camel))
    .map(([name, camel]) => `${name} → ${camel}`);
  throw new InvalidArgumentError(
    `Unknown option(s): ${unknown.join(', ')} (allowed: ${Object.keys(PROVIDER_OPTION_NAMES).join(', ')})` +
      (hints.length > 0 ? `; did you mean ${hints.join(', ')}?` : ''),
  );
}
