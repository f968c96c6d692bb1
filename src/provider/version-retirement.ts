/**
 * VersionRetirement: takes versions out of service. Destroying schedules KMS deletion of one version or of every
 * version of a kid (a key already pending counts as done); after one version goes, the latest alias is
 * re-pointed at the highest live version, tagged `saur:max_version` so version numbers are never reused.
 */
import { InvalidKeyStateError, KeyNotFoundError } from '../domain/errors.js';
import { latestAliasName } from '../domain/alias-names.js';
import { SAUR_MAX_VERSION } from '../domain/saur-tags.js';
import { isKmsErrorNamed } from './kms-error-mapping.js';
import { KeyDirectory, versionTargets } from './key-directory.js';
import { KMS_CONCURRENCY, mapLimit } from './map-limit.js';
import type { ProviderKms } from './provider-kms.js';

export type VersionRetirementKms = Pick<
  ProviderKms,
  'scheduleKeyDeletion' | 'cancelKeyDeletion' | 'enableKey' | 'tagResource' | 'updateAlias'
>;

export class VersionRetirement {
  readonly #kms: VersionRetirementKms;
  readonly #directory: KeyDirectory;

  constructor(kms: VersionRetirementKms, directory: KeyDirectory) {
    this.#kms = kms;
    this.#directory = directory;
  }

  /**
   * Schedules deletion of one version (then re-points the latest alias), or of every version of the kid, with
   * a deletion window of `window` days. Resolves true: every targeted version is pending deletion afterwards
   * (a failure throws). Unknown kid or version → KeyNotFoundError.
   */
  async destroy(kid: string, version: number | undefined, window: number): Promise<true> {
    const entry = await this.#directory.aliasesOf(kid);
    const versions = versionTargets(entry);
    let targets: string[];
    if (version === undefined) {
      targets = [...versions.values()];
    } else {
      const keyId = versions.get(version);
      if (!keyId) throw new KeyNotFoundError(`Unknown version ${version} of kid ${kid}`);
      targets = [keyId];
    }
    await mapLimit(targets, KMS_CONCURRENCY, (keyId) => this.#schedule(keyId, window));
    if (version !== undefined) await this.#repointLatest(kid, entry.latest, versions);
    return true;
  }

  /**
   * Cancels the scheduled deletion of one version, or of every version of the kid that is pending deletion, and
   * enables them again (KMS leaves a cancelled key Disabled); then re-points the latest alias at the highest live
   * version. Resolves with the versions restored, ascending. Unknown kid or version → KeyNotFoundError; a given
   * version that is not pending deletion → InvalidKeyStateError.
   */
  async restore(kid: string, version: number | undefined): Promise<number[]> {
    const entry = await this.#directory.aliasesOf(kid);
    const versions = versionTargets(entry);
    if (version !== undefined && !versions.has(version)) {
      throw new KeyNotFoundError(`Unknown version ${version} of kid ${kid}`);
    }
    const candidates = [...versions.entries()].filter(([v]) => version === undefined || v === version);
    const states = await mapLimit(candidates, KMS_CONCURRENCY, async ([v, keyId]) => ({
      version: v,
      keyId,
      pending: (await this.#directory.describeKey(keyId)).KeyState === 'PendingDeletion',
    }));
    const pending = states.filter((s) => s.pending);
    if (version !== undefined && pending.length === 0) {
      throw new InvalidKeyStateError(`Version ${version} of kid ${kid} is not pending deletion`);
    }
    await mapLimit(pending, KMS_CONCURRENCY, async ({ keyId }) => {
      await this.#kms.cancelKeyDeletion({ KeyId: keyId });
      await this.#kms.enableKey({ KeyId: keyId });
    });
    if (pending.length > 0) await this.#repointLatest(kid, entry.latest, versions);
    return pending.map((s) => s.version).sort((a, b) => a - b);
  }

  /** ScheduleKeyDeletion; a key already pending counts as done. */
  async #schedule(keyId: string, window: number): Promise<void> {
    try {
      await this.#kms.scheduleKeyDeletion({ KeyId: keyId, PendingWindowInDays: window });
    } catch (error) {
      if (!isKmsErrorNamed(error, 'KMSInvalidStateException')) throw error;
      const metadata = await this.#directory.describeKey(keyId);
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
      const metadata = await this.#directory.describeKey(keyId);
      if (metadata.KeyState === 'PendingDeletion') continue;
      if (metadata.KeyId !== latestTarget) {
        const highest = String(descending[0]![0]);
        await this.#kms.tagResource({ KeyId: metadata.KeyId, Tags: [{ TagKey: SAUR_MAX_VERSION, TagValue: highest }] });
        await this.#kms.updateAlias({
          AliasName: latestAliasName(this.#directory.aliasPrefix, kid),
          TargetKeyId: metadata.KeyId,
        });
      }
      return;
    }
  }
}
