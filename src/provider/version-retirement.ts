/**
 * VersionRetirement: takes versions out of service. Destroying schedules KMS deletion of one version or of every
 * version of a kid (a key already pending counts as done). When the version destroyed is the one the latest
 * alias targets, the alias is first moved to the highest live version below it, tagged `saur:max_version` so
 * version numbers are never reused — moved before the deletion is scheduled, so that a failure in between never
 * leaves the latest alias on a key pending deletion.
 */
import type { KeyMetadata } from '../ports/kms.port.js';
import { InvalidKeyStateError, KeyNotFoundError, KmsError } from '../domain/errors.js';
import { latestAliasName } from '../domain/alias-names.js';
import { SAUR_MAX_VERSION } from '../domain/saur-tags.js';
import { isKmsErrorNamed, toProviderError } from './kms-error-mapping.js';
import { KeyDirectory, highestKnownVersion } from './key-directory.js';
import { mapLimit } from './map-limit.js';
import { isPrePublished } from './version-writer.js';
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
   * Schedules deletion of one version, or of every version of the kid, with a deletion window of `window` days.
   * Resolves true: every targeted version is pending deletion afterwards (a failure throws). Unknown kid or
   * version → KeyNotFoundError. One version: DescribeKey of the latest and the `/vN` alias, ScheduleKeyDeletion
   * (3 requests); when it is the latest, + ListResourceTags, DescribeKey of lower `/vN` aliases down to the first
   * live one, TagResource and UpdateAlias (7 when the version below is live). Every version: 2 + N DescribeKey
   * and ListResourceTags (KeyDirectory.versionsOf) + one ScheduleKeyDeletion per version not yet pending.
   */
  async destroy(kid: string, version: number | undefined, window: number): Promise<true> {
    if (version === undefined) {
      const { latest, versions } = await this.#directory.versionsOf(kid);
      const live = [...versions.values()].filter((metadata) => metadata.KeyState !== 'PendingDeletion');
      // The latest key last: a failure before it leaves the latest alias on a live key (the highest).
      const others = live.filter((metadata) => metadata.KeyId !== latest.KeyId);
      await mapLimit(others, this.#directory.concurrency, (metadata) => this.#schedule(metadata.KeyId, window));
      if (others.length < live.length) await this.#schedule(latest.KeyId, window);
    } else {
      const latestRead = this.#directory.describeLatest(kid, true);
      const targetRead = this.#directory.describeVersion(kid, version, true);
      targetRead.catch(() => undefined); // awaited after the latest: an unknown kid is reported as such
      const latest = await latestRead;
      const metadata = await targetRead.catch(async (error: unknown) => {
        if (error instanceof KeyNotFoundError && version === 1 && (await this.#isLegacyVersionOne(latest))) return latest;
        throw error;
      });
      if (metadata.KeyState === 'PendingDeletion') return true;
      const moved = metadata.KeyId === latest.KeyId && (await this.#moveLatestBelow(kid, version, latest));
      try {
        await this.#schedule(metadata.KeyId, window);
      } catch (error) {
        // Not scheduled: the version stays live and the highest, so the latest alias goes back to it.
        if (moved) await this.#moveBack(kid, metadata.KeyId, error);
        throw error;
      }
    }
    this.#directory.forgetAliases(kid);
    return true;
  }

  /**
   * Cancels the scheduled deletion of one version, or of every version of the kid that is pending deletion, and
   * enables them again (KMS leaves a cancelled key Disabled); then re-points the latest alias at the highest
   * restored version when that is above the latest (never at a pre-published one: activateVersion does that; when
   * the latest itself is not Enabled, at the highest restored one). Resolves with the versions restored,
   * ascending. Unknown kid or version → KeyNotFoundError; a given version that is not pending deletion →
   * InvalidKeyStateError.
   */
  async restore(kid: string, version: number | undefined): Promise<number[]> {
    const { latest, latestTags, versions } = await this.#directory.versionsOf(kid);
    if (version !== undefined && !versions.has(version)) {
      throw new KeyNotFoundError(`Unknown version ${version} of kid ${kid}`);
    }
    const pending = [...versions.entries()].filter(
      ([v, metadata]) => (version === undefined || v === version) && metadata.KeyState === 'PendingDeletion',
    );
    if (version !== undefined && pending.length === 0) {
      throw new InvalidKeyStateError(`Version ${version} of kid ${kid} is not pending deletion`);
    }
    await mapLimit(pending, this.#directory.concurrency, async ([, metadata]) => {
      await this.#kms.cancelKeyDeletion({ KeyId: metadata.KeyId });
      await this.#kms.enableKey({ KeyId: metadata.KeyId });
      this.#directory.cache.publishable.set(metadata.KeyId, true); // published again at once
    });
    const restored = new Set(pending.map(([v]) => v));
    // The latest alias goes back up to a restored version, never onto a pre-published one nor onto another that
    // was never restored (a pre-published or retired version becomes the latest only through activateVersion).
    const candidates = [...versions.entries()].filter(
      ([v, metadata]) => (restored.has(v) && !isPrePublished(metadata)) || (metadata.KeyId === latest.KeyId && latest.KeyState === 'Enabled'),
    );
    const fallback = latest.KeyState === 'Enabled' ? [] : [...versions.entries()].filter(([v]) => restored.has(v));
    const highestLive = (candidates.length > 0 ? candidates : fallback).sort(([a], [b]) => b - a)[0];
    if (highestLive && highestLive[1].KeyId !== latest.KeyId) {
      const highest = Math.max(highestKnownVersion(latestTags), ...versions.keys());
      await this.#pointLatestAt(kid, highestLive[1].KeyId, highest);
    }
    this.#directory.forgetAliases(kid);
    return [...restored].sort((a, b) => a - b);
  }

  /** A kid with a latest alias and no `/v1` whose key says it is version 1 (or nothing): version 1 is its latest. */
  async #isLegacyVersionOne(latest: KeyMetadata): Promise<boolean> {
    return ((await this.#directory.tagsOf(latest.KeyId, true)).version ?? 1) === 1;
  }

  /**
   * Moves the latest alias off `version` (the key it targets now) to the highest lower version that is Enabled
   * (not pending deletion, not retired), if there is one; with none left, the alias stays.
   */
  async #moveLatestBelow(kid: string, version: number, latest: KeyMetadata): Promise<boolean> {
    const highest = Math.max(version, highestKnownVersion(await this.#directory.tagsOf(latest.KeyId, true)));
    for (let below = version - 1; below >= 1; below--) {
      let candidate: KeyMetadata;
      try {
        candidate = await this.#directory.describeVersion(kid, below, true);
      } catch (error) {
        if (error instanceof KeyNotFoundError) continue; // deleted with its key
        throw error;
      }
      if (candidate.KeyState !== 'Enabled') continue; // pending deletion, or retired: it must not sign
      await this.#pointLatestAt(kid, candidate.KeyId, highest);
      return true;
    }
    return false;
  }

  /** Undoes #moveLatestBelow after the deletion failed; a failure of that too is reported with both errors. */
  async #moveBack(kid: string, keyId: string, cause: unknown): Promise<void> {
    this.#directory.forgetAliases(kid);
    try {
      await this.#kms.updateAlias({ AliasName: latestAliasName(this.#directory.aliasPrefix, kid), TargetKeyId: keyId });
    } catch (error) {
      const mapped = toProviderError(cause, `Could not schedule the deletion of kid ${kid}`);
      throw new KmsError(`${mapped.message}; moving its latest alias back to ${keyId} failed too (${String(error)})`, { cause });
    }
  }

  /**
   * Points the latest alias at a key, first tagging it `saur:max_version` = the highest version the kid ever had,
   * so that a later rotation never reuses a number, even after KMS has deleted the higher versions and their aliases.
   */
  async #pointLatestAt(kid: string, keyId: string, highest: number): Promise<void> {
    await this.#kms.tagResource({ KeyId: keyId, Tags: [{ TagKey: SAUR_MAX_VERSION, TagValue: String(highest) }] });
    await this.#kms.updateAlias({ AliasName: latestAliasName(this.#directory.aliasPrefix, kid), TargetKeyId: keyId });
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
    this.#directory.cache.publishable.set(keyId, false);
  }
}
