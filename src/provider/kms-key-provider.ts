/**
 * KmsKeyProvider: the Swarmauri key-provider use cases over a KmsPort (the simulator, AWS KMS, …). The public
 * `AwsKmsKeyProvider` (src/aws-kms-key-provider.ts) is this class with an AWS SDK adapter wired in when no `kms`
 * is given.
 *
 * Keys live in KMS, one KMS key per (kid, version), found through the aliases `alias/<prefix>/<kid>` (latest)
 * and `alias/<prefix>/<kid>/v<N>`, tagged `saur:kid`, `saur:version`, `saur:alg`, `saur:label` — the wire
 * contract of the Python original. Every argument is checked before the first KMS call.
 */
import type { KeyMetadata, KmsPort, KmsTag } from '../ports/kms.port.js';
import {
  InvalidArgumentError,
  InvalidKeyStateError,
  KeyNotFoundError,
  KmsError,
  UnsupportedOperationError,
} from '../domain/errors.js';
import {
  KeyClass,
  type Jwk,
  type Jwks,
  type KeyRef,
  type KeySpec,
  type ProviderCapabilities,
} from '../domain/key-types.js';
import {
  DEFAULT_ALIAS_PREFIX,
  aliasNamespace,
  kidFromRandom,
  latestAliasName,
  normalizeAliasPrefix,
  parseAliasName,
  validateKid,
  versionAliasName,
} from '../domain/alias-names.js';
import {
  SUPPORTED_ALGS,
  isRsaAlg,
  kmsKeySpecFor,
  kmsKeyUsageFor,
  resolveKeySpec,
  rsaSizeOfKmsKeySpec,
  supportedAlg,
  validateRsaSize,
  type SupportedAlg,
} from '../domain/spec-mapping.js';
import { SAUR_MAX_VERSION, SAUR_VERSION, buildKmsTags, readKmsTags, type ReadSaurTags } from '../domain/saur-tags.js';
import { buildKeyRef, buildPublicJwk } from '../domain/key-ref.js';
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
import { isKmsErrorNamed, toProviderError } from './kms-error-mapping.js';
import { mapLimit } from './map-limit.js';

export interface KmsKeyProviderOptions {
  /** The KMS behind the provider: a `SimulatedKms`, an `AwsSdkKms`, or any other KmsPort. */
  kms: KmsPort;
  /** Alias namespace, default `swarmauri`; leading and trailing `/` are trimmed. */
  aliasPrefix?: string;
  /** Default deletion window of `destroyKey`, 7–30 days, default 30. */
  pendingWindowInDays?: number;
  /** Key policy for CreateKey: a JSON string or an object (serialised). */
  keyPolicy?: string | Record<string, unknown>;
  /** CSPRNG fill function (like `crypto.getRandomValues`), default the platform's WebCrypto. */
  getRandomValues?: (bytes: Uint8Array<ArrayBuffer>) => unknown;
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

/** Largest `randomBytes` request. */
export const MAX_RANDOM_BYTES = 1_048_576;
/** How many version numbers a rotation tries when concurrent rotations took the next ones. */
const MAX_VERSION_BUMPS = 16;
/** KMS calls in flight at once for listings (jwks, destroyKey). */
const CONCURRENCY = 8;
/** ListAliases page size (the service maximum). */
const ALIAS_PAGE = 100;
/** Deletion window for keys created by a call that then failed (the shortest KMS allows). */
const COMPENSATION_WINDOW_DAYS = 7;

/** What ListAliases says about one kid under this provider's prefix. */
interface KidAliases {
  /** Key id the latest alias targets. */
  latest?: string;
  /** version → key id. */
  versions: Map<number, string>;
}

interface NewVersion {
  kid: string;
  version: number;
  alg: SupportedAlg;
  kmsKeySpec: string;
  label?: string;
  callerTags: Record<string, string>;
  /** createKey makes the latest alias; rotateKey moves it. */
  latest: 'create' | 'update';
}

export class KmsKeyProvider {
  readonly aliasPrefix: string;
  readonly pendingWindowInDays: number;
  readonly #kms: KmsPort;
  readonly #policy: string | undefined;
  readonly #getRandomValues: (bytes: Uint8Array<ArrayBuffer>) => unknown;

  constructor(options: KmsKeyProviderOptions) {
    if (!isRecord(options)) throw new InvalidArgumentError(`options must be an object; got ${describe(options)}`);
    const kms = options.kms as unknown;
    if (typeof kms !== 'object' || kms === null) {
      throw new InvalidArgumentError('options.kms must be a KmsPort (e.g. new SimulatedKms())');
    }
    for (const op of ['createKey', 'describeKey', 'createAlias', 'listAliases', 'getPublicKey'] as const) {
      if (typeof (kms as Record<string, unknown>)[op] !== 'function') {
        throw new InvalidArgumentError(`options.kms must be a KmsPort: it has no ${op}()`);
      }
    }
    this.#kms = kms as KmsPort;
    this.aliasPrefix = normalizeAliasPrefix(options.aliasPrefix ?? DEFAULT_ALIAS_PREFIX);
    this.pendingWindowInDays = validatePendingWindow(options.pendingWindowInDays ?? 30);
    this.#policy = policyText(options.keyPolicy);
    const fill = options.getRandomValues ?? ((bytes: Uint8Array<ArrayBuffer>) => globalThis.crypto.getRandomValues(bytes));
    if (typeof fill !== 'function') throw new InvalidArgumentError('options.getRandomValues must be a function');
    this.#getRandomValues = fill;
  }

  /** What this provider can do. */
  supports(): ProviderCapabilities {
    return {
      class: [KeyClass.symmetric, KeyClass.asymmetric],
      algs: [...SUPPORTED_ALGS],
      features: ['create', 'rotate', 'destroy', 'jwks', 'non_exportable'],
    };
  }

  /** Creates version 1 of a new kid: a KMS key, its `/v1` alias and the latest alias. */
  async createKey(spec: KeySpec): Promise<KeyRef> {
    const resolved = resolveKeySpec(spec);
    const kid = kidFromRandom(this.#random(8));
    const version: NewVersion = {
      kid,
      version: 1,
      alg: resolved.alg,
      kmsKeySpec: resolved.kmsKeySpec,
      callerTags: resolved.tags,
      latest: 'create',
    };
    if (resolved.label !== undefined) version.label = resolved.label;
    return this.#run(`Could not create a ${resolved.alg} key`, () => this.#createVersion(version));
  }

  /**
   * Creates the next version of a kid with the same alg, RSA size, label and caller tags (unless overridden),
   * and moves the latest alias to it. Older versions stay Enabled.
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

    return this.#run(`Could not rotate kid ${kid}`, async () => {
      const current = await this.#describe(latestAliasName(this.aliasPrefix, kid), `Unknown kid: ${kid}`);
      const tags = await this.#tagsOf(current.KeyId);
      const alg = this.#algOf(tags, kid);
      if (sizeBits !== undefined && !isRsaAlg(alg)) {
        throw new InvalidArgumentError(`sizeBits applies to RSA keys only; kid ${kid} is ${alg}`);
      }
      const index = await this.#aliasIndex();
      const known = [...(index.get(kid)?.versions.keys() ?? []), tags.version ?? 0, tags.maxVersion ?? 0];
      const next: NewVersion = {
        kid,
        version: Math.max(...known) + 1,
        alg,
        kmsKeySpec: kmsKeySpecFor(alg, (sizeBits as number | undefined) ?? rsaSizeOfKmsKeySpec(current.KeySpec)),
        callerTags: tags.callerTags,
        latest: 'update',
      };
      const keptLabel = label === undefined ? tags.label : newLabel;
      if (keptLabel) next.label = keptLabel;
      return this.#createVersion(next);
    });
  }

  /** KeyRef of a version (default: the latest). Never carries private material, whatever `includeSecret` says. */
  async getKey(kid: string, version?: number, options?: GetKeyOptions): Promise<KeyRef> {
    validateKid(kid);
    if (version !== undefined) validateVersion(version);
    const { includeSecret } = optionsObject(options, 'options');
    if (includeSecret !== undefined && typeof includeSecret !== 'boolean') {
      throw new InvalidArgumentError(`options.includeSecret must be a boolean; got ${describe(includeSecret)}`);
    }
    return this.#run(`Could not get kid ${kid}`, async () => {
      const { metadata, version: resolvedVersion } = await this.#resolve(kid, version);
      const tags = await this.#tagsOf(metadata.KeyId);
      const publicKey =
        metadata.KeySpec === 'SYMMETRIC_DEFAULT'
          ? undefined
          : (await this.#kms.getPublicKey({ KeyId: metadata.KeyId })).PublicKey;
      return this.#keyRef(kid, resolvedVersion, metadata, tags, publicKey);
    });
  }

  /** Every version number of a kid, ascending, including versions pending deletion. */
  async listVersions(kid: string): Promise<number[]> {
    validateKid(kid);
    return this.#run(`Could not list versions of kid ${kid}`, async () => {
      const entry = (await this.#aliasIndex()).get(kid);
      if (!entry) throw new KeyNotFoundError(`Unknown kid: ${kid}`);
      return [...versionTargets(entry).keys()].sort((a, b) => a - b);
    });
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

    return this.#run(`Could not destroy kid ${kid}${version === undefined ? '' : ` version ${version}`}`, async () => {
      const entry = (await this.#aliasIndex()).get(kid);
      if (!entry) throw new KeyNotFoundError(`Unknown kid: ${kid}`);
      const versions = versionTargets(entry);
      let targets: string[];
      if (version === undefined) {
        targets = [...versions.values()];
      } else {
        const keyId = versions.get(version);
        if (!keyId) throw new KeyNotFoundError(`Unknown version ${version} of kid ${kid}`);
        targets = [keyId];
      }
      // A failed call throws (a typed error), so reaching the end means every target is pending deletion.
      await mapLimit(targets, CONCURRENCY, (keyId) => this.#schedule(keyId, window));
      if (version !== undefined) await this.#repointLatest(kid, entry.latest, versions);
      return true;
    });
  }

  /** Public JWK of a version (default: the latest), with kid `<kid>.<version>`, `alg` and `use`. */
  async getPublicJwk(kid: string, version?: number): Promise<Jwk> {
    validateKid(kid);
    if (version !== undefined) validateVersion(version);
    return this.#run(`Could not get the public JWK of kid ${kid}`, async () => {
      const { metadata, version: resolvedVersion } = await this.#resolve(kid, version);
      if (metadata.KeySpec === 'SYMMETRIC_DEFAULT') {
        throw new UnsupportedOperationError(`kid ${kid} is a symmetric key: it has no public JWK`);
      }
      const [tags, publicKey] = await Promise.all([
        this.#tagsOf(metadata.KeyId),
        this.#kms.getPublicKey({ KeyId: metadata.KeyId }),
      ]);
      return buildPublicJwk(publicKey.PublicKey, kid, resolvedVersion, this.#algOf(tags, kid))!;
    });
  }

  /** JWKS of the latest Enabled version of every asymmetric kid (optionally only kids starting with prefixKids). */
  async jwks(options?: JwksOptions): Promise<Jwks> {
    const { prefixKids } = optionsObject(options, 'options');
    if (prefixKids !== undefined && typeof prefixKids !== 'string') {
      throw new InvalidArgumentError(`options.prefixKids must be a string; got ${describe(prefixKids)}`);
    }
    return this.#run('Could not build the JWKS', async () => {
      const index = await this.#aliasIndex();
      const kids = [...index.keys()].filter((kid) => prefixKids === undefined || kid.startsWith(prefixKids)).sort();
      const jwks = await mapLimit(kids, CONCURRENCY, (kid) => this.#latestEnabledJwk(kid, index.get(kid)!));
      return { keys: jwks.filter((jwk): jwk is Jwk => jwk !== undefined) };
    });
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

  // ---- building blocks ------------------------------------------------------------------------------------

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

  /** DescribeKey of an alias; NotFoundException → KeyNotFoundError with `notFound` as message. */
  async #describe(aliasName: string, notFound: string): Promise<KeyMetadata> {
    try {
      return (await this.#kms.describeKey({ KeyId: aliasName })).KeyMetadata;
    } catch (error) {
      if (isKmsErrorNamed(error, 'NotFoundException')) throw new KeyNotFoundError(notFound, { cause: error });
      throw error;
    }
  }

  /**
   * The key of a version (its `/vN` alias) or of the latest alias, with the version number of the alias that
   * resolved it: for the latest, the N of the `/vN` alias that targets the same key.
   */
  async #resolve(kid: string, version: number | undefined): Promise<{ metadata: KeyMetadata; version: number }> {
    if (version !== undefined) {
      const metadata = await this.#describe(
        versionAliasName(this.aliasPrefix, kid, version),
        `Unknown version ${version} of kid ${kid}`,
      );
      return { metadata, version };
    }
    const metadata = await this.#describe(latestAliasName(this.aliasPrefix, kid), `Unknown kid: ${kid}`);
    let resolved: number | undefined;
    for await (const alias of this.#aliases(metadata.KeyId)) {
      const parsed = parseAliasName(this.aliasPrefix, alias.AliasName);
      if (parsed?.kid === kid && parsed.version !== undefined) resolved = Math.max(resolved ?? 0, parsed.version);
    }
    if (resolved === undefined) resolved = (await this.#tagsOf(metadata.KeyId)).version ?? 1;
    return { metadata, version: resolved };
  }

  /** Every alias (of one key, or of the account), following NextMarker. */
  async *#aliases(keyId?: string): AsyncGenerator<{ AliasName: string; TargetKeyId?: string }> {
    let marker: string | undefined;
    do {
      const page = await this.#kms.listAliases({
        Limit: ALIAS_PAGE,
        ...(keyId === undefined ? {} : { KeyId: keyId }),
        ...(marker === undefined ? {} : { Marker: marker }),
      });
      yield* page.Aliases;
      marker = page.Truncated ? page.NextMarker : undefined;
    } while (marker !== undefined);
  }

  /** One pass over the account's aliases: kid → latest target and version targets, under this prefix only. */
  async #aliasIndex(): Promise<Map<string, KidAliases>> {
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

  async #tagsOf(keyId: string): Promise<ReadSaurTags> {
    const tags: KmsTag[] = [];
    let marker: string | undefined;
    do {
      const page = await this.#kms.listResourceTags({ KeyId: keyId, ...(marker === undefined ? {} : { Marker: marker }) });
      tags.push(...page.Tags);
      marker = page.Truncated ? page.NextMarker : undefined;
    } while (marker !== undefined);
    return readKmsTags(tags);
  }

  #algOf(tags: ReadSaurTags, kid: string): SupportedAlg {
    if (tags.alg === undefined) {
      throw new InvalidKeyStateError(`The KMS key of kid ${kid} has no saur:alg tag: it was not made by a key provider`);
    }
    return supportedAlg(tags.alg);
  }

  #keyRef(
    kid: string,
    version: number,
    metadata: KeyMetadata,
    tags: { alg?: string; label?: string; callerTags: Record<string, string> },
    publicKey: Uint8Array | undefined,
  ): KeyRef {
    return buildKeyRef({
      kid,
      version,
      alg: tags.alg ?? '',
      keyId: metadata.KeyId,
      keyArn: metadata.Arn,
      region: this.#kms.region,
      kmsKeyUsage: metadata.KeyUsage,
      callerTags: tags.callerTags,
      ...(tags.label ? { label: tags.label } : {}),
      ...(publicKey ? { publicKey } : {}),
    });
  }

  /**
   * CreateKey → GetPublicKey → CreateAlias `/vN` (create-only: a taken N bumps to the next, re-tagging the key)
   * → create or move the latest alias. A failure after CreateKey deletes the aliases this call made and
   * schedules the new key's deletion, then reports the original error.
   */
  async #createVersion(v: NewVersion): Promise<KeyRef> {
    const { KeyMetadata: metadata } = await this.#kms.createKey({
      KeySpec: v.kmsKeySpec as KeyMetadata['KeySpec'],
      KeyUsage: kmsKeyUsageFor(v.alg),
      Description: `aws-kms-keyprovider ${latestAliasName(this.aliasPrefix, v.kid)} (${v.alg})`,
      Tags: buildKmsTags(v),
      ...(this.#policy === undefined ? {} : { Policy: this.#policy }),
    });
    const created: string[] = [];
    try {
      const publicKey =
        metadata.KeySpec === 'SYMMETRIC_DEFAULT'
          ? undefined
          : (await this.#kms.getPublicKey({ KeyId: metadata.KeyId })).PublicKey;
      let version = v.version;
      for (let bumps = 0; ; bumps++) {
        const aliasName = versionAliasName(this.aliasPrefix, v.kid, version);
        try {
          await this.#kms.createAlias({ AliasName: aliasName, TargetKeyId: metadata.KeyId });
          created.push(aliasName);
          break;
        } catch (error) {
          if (v.latest === 'create' || bumps >= MAX_VERSION_BUMPS || !isKmsErrorNamed(error, 'AlreadyExistsException')) {
            throw error;
          }
          version += 1;
          await this.#kms.tagResource({ KeyId: metadata.KeyId, Tags: [{ TagKey: SAUR_VERSION, TagValue: String(version) }] });
        }
      }
      const latest = latestAliasName(this.aliasPrefix, v.kid);
      if (v.latest === 'create') {
        await this.#kms.createAlias({ AliasName: latest, TargetKeyId: metadata.KeyId });
        created.push(latest);
      } else {
        await this.#kms.updateAlias({ AliasName: latest, TargetKeyId: metadata.KeyId });
      }
      return this.#keyRef(v.kid, version, metadata, v, publicKey);
    } catch (error) {
      throw await this.#compensate(metadata, created, error);
    }
  }

  /** Undo a half-made version; returns the error to throw: the original, or a KmsError when cleanup failed too. */
  async #compensate(metadata: KeyMetadata, aliases: readonly string[], error: unknown): Promise<unknown> {
    const failures: string[] = [];
    for (const aliasName of [...aliases].reverse()) {
      await this.#kms.deleteAlias({ AliasName: aliasName }).catch((e: unknown) => failures.push(`${aliasName}: ${String(e)}`));
    }
    await this.#kms
      .scheduleKeyDeletion({ KeyId: metadata.KeyId, PendingWindowInDays: COMPENSATION_WINDOW_DAYS })
      .catch((e: unknown) => failures.push(`${metadata.Arn}: ${String(e)}`));
    if (failures.length === 0) return error;
    const mapped = toProviderError(error, 'Creating a key version failed');
    return new KmsError(`${mapped.message}; rolling it back failed too, remove by hand: ${failures.join('; ')}`, {
      cause: error,
    });
  }

  /** ScheduleKeyDeletion; a key already pending counts as done. */
  async #schedule(keyId: string, window: number): Promise<void> {
    try {
      await this.#kms.scheduleKeyDeletion({ KeyId: keyId, PendingWindowInDays: window });
    } catch (error) {
      if (!isKmsErrorNamed(error, 'KMSInvalidStateException')) throw error;
      const { KeyMetadata: metadata } = await this.#kms.describeKey({ KeyId: keyId });
      if (metadata.KeyState !== 'PendingDeletion') throw error;
    }
  }

  /**
   * Points the latest alias at the highest version that is not pending deletion (if any is left). The key it
   * moves to is first tagged `saur:max_version`, so that a later rotation never reuses a number, even after KMS
   * has deleted the higher versions and their aliases.
   */
  async #repointLatest(kid: string, latestTarget: string | undefined, versions: ReadonlyMap<number, string>): Promise<void> {
    const descending = [...versions.entries()].sort(([a], [b]) => b - a);
    for (const [, keyId] of descending) {
      const { KeyMetadata: metadata } = await this.#kms.describeKey({ KeyId: keyId });
      if (metadata.KeyState === 'PendingDeletion') continue;
      if (metadata.KeyId !== latestTarget) {
        const highest = String(descending[0]![0]);
        await this.#kms.tagResource({ KeyId: metadata.KeyId, Tags: [{ TagKey: SAUR_MAX_VERSION, TagValue: highest }] });
        await this.#kms.updateAlias({ AliasName: latestAliasName(this.aliasPrefix, kid), TargetKeyId: metadata.KeyId });
      }
      return;
    }
  }

  /** JWK of the highest Enabled version of a kid; undefined for symmetric kids or when none is Enabled. */
  async #latestEnabledJwk(kid: string, entry: KidAliases): Promise<Jwk | undefined> {
    for (const [version, keyId] of [...versionTargets(entry).entries()].sort(([a], [b]) => b - a)) {
      let metadata: KeyMetadata;
      try {
        metadata = (await this.#kms.describeKey({ KeyId: keyId })).KeyMetadata;
      } catch (error) {
        if (isKmsErrorNamed(error, 'NotFoundException')) continue; // deleted since the listing
        throw error;
      }
      if (metadata.KeySpec === 'SYMMETRIC_DEFAULT') return undefined;
      if (metadata.KeyState !== 'Enabled') continue;
      const [tags, publicKey] = await Promise.all([this.#tagsOf(keyId), this.#kms.getPublicKey({ KeyId: keyId })]);
      return buildPublicJwk(publicKey.PublicKey, kid, version, this.#algOf(tags, kid));
    }
    return undefined;
  }
}

/** version → key id of a kid; a kid with only a latest alias (no `/vN`) is version 1, as in the original. */
function versionTargets(entry: KidAliases): Map<number, string> {
  const versions = new Map(entry.versions);
  if (versions.size === 0 && entry.latest !== undefined) versions.set(1, entry.latest);
  return versions;
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
