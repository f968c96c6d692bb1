import type { KmsOrigin } from '../../../ports/kms.port.js';
import { KmsException } from '../../kms-exception.js';
import { unsupported, validationException } from '../model/exceptions.js';
import { isRegionName, partitionOf } from '../model/identifiers.js';
import type { KeyRecord } from '../store/simulator-store.js';

/**
 * Where KMS refuses multi-Region things (docs/kms-behaviour.md §25): CreateKey MultiRegion in a custom key store,
 * ReplicateKey and UpdatePrimaryRegion of a key that is not a multi-Region primary key, Regions that are not
 * Regions of the key's partition or that already have (or lack) the replica; and the transient Creating state of a
 * new replica, which ends on the simulator's clock.
 */

/** How long a new replica stays Creating (AWS: "a few seconds"; one second here, so that waiting tests stay short). */
export const REPLICA_CREATION_MS = 1_000;

/** CreateKey: multi-Region keys exist for Origin AWS_KMS and EXTERNAL, never in a custom key store. */
export function checkMultiRegionOrigin(multiRegion: boolean | undefined, origin: KmsOrigin | undefined): void {
  if (multiRegion !== true) return;
  if (origin === 'AWS_CLOUDHSM' || origin === 'EXTERNAL_KEY_STORE') {
    throw unsupported(`MultiRegion keys are not supported with Origin ${origin}: a key in a custom key store is a single-Region key.`);
  }
}

/** The Region of ReplicateKey or UpdatePrimaryRegion: a Region name of the key's partition, not the key's own. */
export function checkTargetRegion(member: 'ReplicaRegion' | 'PrimaryRegion', region: string, ownRegion: string): void {
  if (!isRegionName(region)) throw validationException(`${member} ${region} is not a valid Region name.`);
  if (partitionOf(region) !== partitionOf(ownRegion)) {
    throw validationException(`${member} ${region} is not in the partition ${partitionOf(ownRegion)} of the key's Region ${ownRegion}.`);
  }
  if (region === ownRegion) {
    throw validationException(
      member === 'ReplicaRegion'
        ? `ReplicaRegion ${region} is the Region of the primary key: a replica must be in another Region.`
        : `PrimaryRegion ${region} is already the Region of the primary key.`,
    );
  }
}

/** The key of ReplicateKey or UpdatePrimaryRegion is a multi-Region primary key in this Region. */
export function checkPrimaryKey(record: KeyRecord, arn: string, region: string): void {
  if (record.multiRegion === undefined) throw unsupported(`${arn} is not a multi-Region key.`);
  if (record.multiRegion.primaryRegion !== region) {
    throw unsupported(`${arn} is a multi-Region replica key: only the primary key (in ${record.multiRegion.primaryRegion}) can be used for this operation.`);
  }
}

/** Key rotation of a multi-Region key (§25) is its primary's: a replica refuses the rotation operations. */
export function checkMultiRegionRotation(record: KeyRecord, arn: string, region: string): void {
  if (record.multiRegion === undefined || record.multiRegion.primaryRegion === region) return;
  throw unsupported(`${arn} is a multi-Region replica key: its rotation is managed on its primary key (in ${record.multiRegion.primaryRegion}).`);
}

export function replicaExists(replicaArn: string): KmsException {
  return new KmsException('AlreadyExistsException', `${replicaArn} already exists.`, 'client');
}

/**
 * A replica whose creation the clock has completed: Enabled, or PendingImport when it has no key material (a
 * replica of a key of Origin EXTERNAL). Undefined when nothing changes.
 */
export function createdView(record: KeyRecord, now: Date): KeyRecord | undefined {
  const readyAt = record.multiRegion?.readyAt;
  if (record.keyState !== 'Creating' || readyAt === undefined || readyAt.getTime() > now.getTime()) return undefined;
  const { readyAt: _done, ...multiRegion } = record.multiRegion as NonNullable<KeyRecord['multiRegion']>;
  const hasMaterial = record.origin !== 'EXTERNAL' || record.imported?.expirationModel !== undefined;
  return { ...record, keyState: hasMaterial ? 'Enabled' : 'PendingImport', multiRegion };
}
