/**
 * VersionWriter: makes versions. Version 1 of a new kid (createKey) or the next version of a kid (rotateKey):
 * CreateKey → GetPublicKey → CreateAlias `/vN` (a taken N bumps to the next) → create or move the latest alias →
 * (rotation) move it on while a higher live version exists, so concurrent rotations leave it on the highest.
 * A pre-published rotation (`activate: false`) stops after the `/vN` alias: the latest alias stays, the number is
 * recorded as `saur:max_version` on the latest key, and the key's Description marks it pre-published so the
 * repair never moves the latest alias onto it (activateVersion does, explicitly).
 * A failure after CreateKey undoes the half-made version (its aliases deleted, its key scheduled for deletion).
 */
import type { KeyMetadata } from '../ports/kms.port.js';
import { InvalidArgumentError, InvalidKeyStateError, KeyNotFoundError, KmsError } from '../domain/errors.js';
import type { KeyRef } from '../domain/key-types.js';
import { latestAliasName, versionAliasName } from '../domain/alias-names.js';
import {
  isRsaAlg,
  kmsKeySpecFor,
  kmsKeyUsageFor,
  rsaSizeOfKmsKeySpec,
  type ResolvedKeySpec,
  type SupportedAlg,
} from '../domain/spec-mapping.js';
import { SAUR_MAX_VERSION, SAUR_VERSION, buildKmsTags, readKmsTags } from '../domain/saur-tags.js';
import { isKmsErrorNamed, toProviderError } from './kms-error-mapping.js';
import { KeyDirectory, algOf, highestKnownVersion } from './key-directory.js';
import { versionKeyRef } from './key-reader.js';
import type { ProviderKms } from './provider-kms.js';

export type VersionWriterKms = Pick<
  ProviderKms,
  'region' | 'createKey' | 'createAlias' | 'updateAlias' | 'deleteAlias' | 'tagResource' | 'scheduleKeyDeletion'
>;

/** How many version numbers a rotation tries when concurrent rotations took the next ones. */
const MAX_VERSION_BUMPS = 16;
/** Deletion window for keys created by a call that then failed (the shortest KMS allows). */
const COMPENSATION_WINDOW_DAYS = 7;
/** The mark, in its KMS Description, of a key made by `rotateKey(kid, { activate: false })`. */
const PRE_PUBLISHED_MARK = '; pre-published';

/** Whether a key was made by a pre-published rotation (its Description says so: DescribeKey, no extra call). */
export function isPrePublished(metadata: KeyMetadata): boolean {
  return metadata.Description?.includes(PRE_PUBLISHED_MARK) === true;
}

/** What a rotation changes; everything else comes from the current version. */
export interface Rotation {
  /** RSA size of the new version (already validated); default: the current version's. */
  sizeBits?: number;
  /** Keep the current label (true), or set `label` (absent: none). */
  keepLabel: boolean;
  label?: string;
  /** Move the latest alias to the new version (true), or only publish it (false: pre-published). */
  activate: boolean;
}

interface NewVersion {
  kid: string;
  version: number;
  alg: SupportedAlg;
  kmsKeySpec: string;
  label?: string;
  callerTags: Record<string, string>;
  /** createKey makes the latest alias; rotateKey moves it; a pre-published rotation leaves it (on `current`). */
  latest: 'create' | 'update' | 'leave';
  /** The key the latest alias targets (rotations). */
  current?: KeyMetadata;
}

export class VersionWriter {
  readonly #kms: VersionWriterKms;
  readonly #directory: KeyDirectory;
  readonly #policy: string | undefined;

  constructor(kms: VersionWriterKms, directory: KeyDirectory, policy: string | undefined) {
    this.#kms = kms;
    this.#directory = directory;
    this.#policy = policy;
  }

  /** Version 1 of a new kid from a checked KeySpec: its KMS key, `/v1` alias and latest alias. */
  async createFirst(kid: string, spec: ResolvedKeySpec): Promise<KeyRef> {
    const version: NewVersion = {
      kid,
      version: 1,
      alg: spec.alg,
      kmsKeySpec: spec.kmsKeySpec,
      callerTags: spec.tags,
      latest: 'create',
    };
    if (spec.label !== undefined) version.label = spec.label;
    return this.#createVersion(version);
  }

  /**
   * The next version of a kid: the alg, caller tags, RSA size and label of the current (latest) version unless
   * overridden; its number one past the highest the kid ever had as its latest key records it (`saur:version`
   * and `saur:max_version`, read afresh; a concurrent rotation that took the number bumps this one). Moves the
   * latest alias to it; older versions stay as they are. DescribeKey + ListResourceTags + the 4 requests of
   * #createVersion + the repair's DescribeKey: 7, whatever the size of the account. Pre-published
   * (`activate: false`): the latest alias stays; instead the current key is tagged `saur:max_version` = N, so
   * that no later rotation reuses N: DescribeKey + ListResourceTags + CreateKey + GetPublicKey + CreateAlias +
   * TagResource = 6.
   */
  async rotate(kid: string, rotation: Rotation): Promise<KeyRef> {
    const current = await this.#directory.describeLatest(kid, true);
    if (current.KeyState === 'PendingDeletion') {
      // The latest alias leaves a version only for a live one, so it stays on a pending key only when none is live.
      throw new InvalidKeyStateError(
        `kid ${kid} has no live version: every version is pending deletion (cancelKeyDeletion restores them)`,
      );
    }
    const tags = await this.#directory.tagsOf(current.KeyId, true);
    const alg = algOf(tags, kid);
    if (rotation.sizeBits !== undefined && !isRsaAlg(alg)) {
      throw new InvalidArgumentError(`sizeBits applies to RSA keys only; kid ${kid} is ${alg}`);
    }
    const next: NewVersion = {
      kid,
      version: highestKnownVersion(tags) + 1,
      alg,
      kmsKeySpec: kmsKeySpecFor(alg, rotation.sizeBits ?? rsaSizeOfKmsKeySpec(current.KeySpec)),
      callerTags: tags.callerTags,
      latest: rotation.activate ? 'update' : 'leave',
      current,
    };
    const label = rotation.keepLabel ? tags.label : rotation.label;
    if (label) next.label = label;
    return this.#createVersion(next);
  }

  /**
   * CreateKey → GetPublicKey → CreateAlias `/vN` (create-only: a taken N bumps to the next, re-tagging the key)
   * → create or move the latest alias. A failure after CreateKey deletes the aliases this call made and
   * schedules the new key's deletion, then reports the original error.
   */
  async #createVersion(v: NewVersion): Promise<KeyRef> {
    const prefix = this.#directory.aliasPrefix;
    const { KeyMetadata: metadata } = await this.#kms.createKey({
      KeySpec: v.kmsKeySpec as KeyMetadata['KeySpec'],
      KeyUsage: kmsKeyUsageFor(v.alg),
      Description: `aws-kms-keyprovider ${latestAliasName(prefix, v.kid)} (${v.alg}${v.latest === 'leave' ? PRE_PUBLISHED_MARK : ''})`,
      Tags: buildKmsTags(v),
      ...(this.#policy === undefined ? {} : { Policy: this.#policy }),
    });
    const created: string[] = [];
    try {
      const publicKey = await this.#directory.publicKeyOf(metadata);
      let version = v.version;
      for (let bumps = 0; ; bumps++) {
        const aliasName = versionAliasName(prefix, v.kid, version);
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
      const latest = latestAliasName(prefix, v.kid);
      if (v.latest === 'create') {
        await this.#kms.createAlias({ AliasName: latest, TargetKeyId: metadata.KeyId });
        created.push(latest);
      } else if (v.latest === 'update') {
        await this.#kms.updateAlias({ AliasName: latest, TargetKeyId: metadata.KeyId });
      } else {
        await this.#kms.tagResource({ KeyId: v.current!.KeyId, Tags: [{ TagKey: SAUR_MAX_VERSION, TagValue: String(version) }] });
      }
      this.#remember(v.latest === 'leave' ? undefined : latest, metadata, { ...v, version }, publicKey);
      if (v.latest === 'update') await this.#repairLatest(v.kid, version, metadata);
      return versionKeyRef(this.#kms.region, v.kid, version, metadata, v, publicKey);
    } catch (error) {
      if (error instanceof RepairFailed) throw error.cause; // the version is made and published: nothing to undo
      throw await this.#compensate(metadata, created, error);
    }
  }

  /**
   * Lock-free repair after moving the latest alias to `version`: a concurrent rotation may have made `version + 1`
   * and moved the alias before this one overwrote it. So look at `/v<version + 1>`: while the next version exists
   * and is live, move the alias on to it. The last rotation to move the alias always looks after its move, and a
   * rotation moves the alias only after its `/vN` exists, so once every rotation has returned the alias is on the
   * highest version. A pre-published version is passed over, never made the latest (only activateVersion does
   * that); when one is passed, the key the alias ends on is tagged `saur:max_version` with its number, so it is
   * never reused. One DescribeKey when nothing raced (the 7th request of rotateKey).
   */
  async #repairLatest(kid: string, version: number, target: KeyMetadata): Promise<void> {
    const latest = latestAliasName(this.#directory.aliasPrefix, kid);
    try {
      let current = { metadata: target, version };
      let highest = version;
      for (let next = version + 1; ; next++) {
        let metadata: KeyMetadata;
        try {
          metadata = await this.#directory.describeVersion(kid, next, true);
        } catch (error) {
          if (error instanceof KeyNotFoundError) break;
          throw error;
        }
        if (isPrePublished(metadata)) {
          highest = next; // published for verifiers, not to be signed with yet
          continue;
        }
        if (metadata.KeyState !== 'Enabled') break; // being destroyed or disabled: its owner moves the alias
        await this.#kms.updateAlias({ AliasName: latest, TargetKeyId: metadata.KeyId });
        this.#directory.cache.aliases.set(latest, metadata);
        current = { metadata, version: next };
        highest = next;
      }
      if (highest > current.version) {
        await this.#kms.tagResource({
          KeyId: current.metadata.KeyId,
          Tags: [{ TagKey: SAUR_MAX_VERSION, TagValue: String(highest) }],
        });
      }
    } catch (error) {
      throw new RepairFailed(error);
    }
  }

  /**
   * What this provider now knows without asking: the latest alias targets the new key (Enabled), whose tags and
   * public key it wrote or read itself. Another provider instance learns it when its own entries expire.
   */
  #remember(latestAlias: string | undefined, metadata: KeyMetadata, v: NewVersion, publicKey: Uint8Array | undefined): void {
    const cache = this.#directory.cache;
    if (latestAlias !== undefined) cache.aliases.set(latestAlias, metadata);
    cache.aliases.set(versionAliasName(this.#directory.aliasPrefix, v.kid, v.version), metadata);
    cache.noteMetadata(metadata);
    cache.tags.set(metadata.KeyId, readKmsTags(buildKmsTags(v)));
    if (publicKey) {
      cache.publicKeys.set(metadata.KeyId, { publicKey, keyArn: metadata.Arn, keySpec: metadata.KeySpec, keyUsage: metadata.KeyUsage });
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
}

/** A failure of the repair after the new version was published: reported as is, never compensated. */
class RepairFailed extends Error {
  constructor(cause: unknown) {
    super('repairing the latest alias failed', { cause });
  }
}
