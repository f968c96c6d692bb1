/**
 * VersionActivation: which versions of a kid serve, for rotation that never breaks a token — the version the
 * latest alias targets (the one that signs: activateVersion moves it, to a pre-published version or back to an
 * older one) and the versions that are Enabled (the ones `jwks({ include: 'enabled' })` publishes, so tokens they
 * signed keep verifying: retireVersion disables one, reinstateVersion enables it again). Destroying and restoring
 * versions is VersionRetirement's.
 */
import type { KeyMetadata } from '../ports/kms.port.js';
import { InvalidKeyStateError } from '../domain/errors.js';
import type { KeyRef } from '../domain/key-types.js';
import { latestAliasName, versionAliasName } from '../domain/alias-names.js';
import { SAUR_MAX_VERSION } from '../domain/saur-tags.js';
import { KeyDirectory, algTagOf, highestKnownVersion } from './key-directory.js';
import { versionKeyRef } from './key-reader.js';
import type { ProviderKms } from './provider-kms.js';

export type VersionActivationKms = Pick<ProviderKms, 'disableKey' | 'enableKey' | 'tagResource' | 'updateAlias'>;

/** `Version <N> of kid <kid> is pending deletion (deletion date <ISO>)`, and what undoes it. */
function pendingDeletion(metadata: KeyMetadata, kid: string, version: number): InvalidKeyStateError {
  const date = metadata.DeletionDate?.toISOString() ?? 'unknown';
  return new InvalidKeyStateError(
    `Version ${version} of kid ${kid} is pending deletion (deletion date ${date}): cancelKeyDeletion(kid, ${version}) restores it first`,
  );
}

export class VersionActivation {
  readonly #kms: VersionActivationKms;
  readonly #directory: KeyDirectory;

  constructor(kms: VersionActivationKms, directory: KeyDirectory) {
    this.#kms = kms;
    this.#directory = directory;
  }

  /**
   * Moves the latest alias to `version`, which must be Enabled: a pre-published version (rotateKey with
   * `activate: false`) or an older one (a rollback). When `version` is below the highest the kid ever had, its key
   * is first tagged `saur:max_version` with that highest, so no later rotation reuses a number. The versions it
   * leaves stay Enabled (and published). Resolves with the KeyRef of `version`.
   * DescribeKey of the latest and of `/vN`, ListResourceTags of the latest (read afresh), TagResource (rollbacks
   * only), UpdateAlias, and the KeyRef's ListResourceTags + GetPublicKey unless cached: 5–7; the latest already: 3–5.
   */
  async activate(kid: string, version: number): Promise<KeyRef> {
    const { latest, target } = await this.#read(kid, version);
    if (target.KeyState === 'PendingDeletion') throw pendingDeletion(target, kid, version);
    if (target.KeyState === 'Disabled') {
      throw new InvalidKeyStateError(
        `Version ${version} of kid ${kid} is retired (disabled): reinstateVersion(kid, ${version}) enables it again, then activate it`,
      );
    }
    if (target.KeyState !== 'Enabled') throw new InvalidKeyStateError(`Version ${version} of kid ${kid} is ${target.KeyState}`);
    if (target.KeyId !== latest.KeyId) {
      const highest = Math.max(version, highestKnownVersion(await this.#directory.tagsOf(latest.KeyId, true)));
      if (highest > version) {
        await this.#kms.tagResource({ KeyId: target.KeyId, Tags: [{ TagKey: SAUR_MAX_VERSION, TagValue: String(highest) }] });
      }
      await this.#kms.updateAlias({ AliasName: latestAliasName(this.#directory.aliasPrefix, kid), TargetKeyId: target.KeyId });
      this.#directory.forgetAliases(kid);
      this.#directory.cache.aliases.set(latestAliasName(this.#directory.aliasPrefix, kid), target);
      this.#directory.cache.aliases.set(versionAliasName(this.#directory.aliasPrefix, kid, version), target);
    }
    const tags = await this.#directory.tagsOf(target.KeyId);
    const alg = algTagOf(tags, kid);
    const publicKey = await this.#directory.publicKeyOf(target);
    return versionKeyRef(this.#directory.region, kid, version, target, { ...tags, alg }, publicKey);
  }

  /**
   * DisableKey of `version`: it stays (reinstate re-enables it, destroyKey deletes it) but no JWKS publishes it
   * any more — this provider's at once, other providers' once their cache TTL has passed — and KMS refuses to sign
   * with it. The version the latest alias targets is refused (activate or rotate to another first); a version
   * already retired is left as it is; one pending deletion is refused. DescribeKey of the latest and of `/vN`,
   * DisableKey: 3 (2 when already retired).
   */
  async retire(kid: string, version: number): Promise<void> {
    const { latest, target } = await this.#read(kid, version);
    if (target.KeyId === latest.KeyId) {
      throw new InvalidKeyStateError(
        `Version ${version} of kid ${kid} is the latest (it signs): activateVersion(kid, <another version>) or rotateKey(kid) first, then retire it`,
      );
    }
    if (target.KeyState === 'PendingDeletion') throw pendingDeletion(target, kid, version);
    if (target.KeyState !== 'Disabled') await this.#kms.disableKey({ KeyId: target.KeyId });
    this.#directory.forgetAliases(kid);
    this.#directory.cache.publishable.set(target.KeyId, false);
  }

  /**
   * EnableKey of a retired (disabled) `version`: published again by `jwks({ include: 'enabled' })`; the latest
   * alias stays where it is (activateVersion moves it). A version already Enabled is left as it is; one pending
   * deletion is refused (cancelKeyDeletion restores it). DescribeKey of the latest and of `/vN`, EnableKey: 3
   * (2 when Enabled).
   */
  async reinstate(kid: string, version: number): Promise<void> {
    const { target } = await this.#read(kid, version);
    if (target.KeyState === 'PendingDeletion') throw pendingDeletion(target, kid, version);
    if (target.KeyState !== 'Enabled') await this.#kms.enableKey({ KeyId: target.KeyId });
    this.#directory.forgetAliases(kid);
    this.#directory.cache.publishable.set(target.KeyId, true);
  }

  /** DescribeKey of the latest alias and of `/vN`, afresh and in parallel; an unknown kid is reported as such first. */
  async #read(kid: string, version: number): Promise<{ latest: KeyMetadata; target: KeyMetadata }> {
    const latestRead = this.#directory.describeLatest(kid, true);
    const targetRead = this.#directory.describeVersion(kid, version, true);
    targetRead.catch(() => undefined); // awaited after the latest
    const latest = await latestRead;
    return { latest, target: await targetRead };
  }
}
