import type { KeyMetadata, MultiRegionConfiguration } from '../../../ports/kms.port.js';
import { KEY_SPEC_RULES } from './key-spec-table.js';
import type { KeyRecord } from '../store/simulator-store.js';

/**
 * KeyMetadata as CreateKey and DescribeKey return it (docs/kms-behaviour.md §4): Description `""` when none,
 * MultiRegion (with the MultiRegionConfiguration read across Regions, §25), KeyManager CUSTOMER, Enabled iff the state is Enabled, only the algorithm list that
 * matches the key usage, DeletionDate only while PendingDeletion, CurrentKeyMaterialId only for symmetric
 * encryption keys, ExpirationModel and ValidTo for imported material (Origin EXTERNAL), and PendingDeletionWindowInDays only on a multi-Region primary PendingReplicaDeletion. Fresh objects throughout.
 */
export function toKeyMetadata(record: KeyRecord, accountId: string, arn: string, configuration?: MultiRegionConfiguration): KeyMetadata {
  const metadata: KeyMetadata = {
    AWSAccountId: accountId,
    KeyId: record.keyId,
    Arn: arn,
    CreationDate: new Date(record.creationDate.getTime()),
    Enabled: record.keyState === 'Enabled',
    Description: record.description,
    KeyUsage: record.keyUsage,
    KeyState: record.keyState,
    Origin: record.origin,
    KeyManager: 'CUSTOMER',
    CustomerMasterKeySpec: record.keySpec,
    KeySpec: record.keySpec,
    MultiRegion: record.multiRegion !== undefined,
  };
  Object.assign(metadata, algorithmsOf(record));
  if (record.keyState === 'PendingDeletion' && record.deletionDate !== undefined) {
    metadata.DeletionDate = new Date(record.deletionDate.getTime());
  }
  if (record.currentKeyMaterialId !== undefined) metadata.CurrentKeyMaterialId = record.currentKeyMaterialId;
  if (record.customKeyStoreId !== undefined) metadata.CustomKeyStoreId = record.customKeyStoreId;
  if (record.cloudHsmClusterId !== undefined) metadata.CloudHsmClusterId = record.cloudHsmClusterId;
  if (record.xksKeyId !== undefined) metadata.XksKeyConfiguration = { Id: record.xksKeyId };
  // Imported material (§24): the expiration model while the key has material, ValidTo when it expires.
  if (record.imported?.expirationModel !== undefined) metadata.ExpirationModel = record.imported.expirationModel;
  if (record.imported?.validTo !== undefined) metadata.ValidTo = new Date(record.imported.validTo.getTime());
  if (configuration !== undefined) metadata.MultiRegionConfiguration = configuration;
  const window = record.multiRegion?.pendingWindowInDays;
  if (record.keyState === 'PendingReplicaDeletion' && window !== undefined) metadata.PendingDeletionWindowInDays = window;
  return metadata;
}

/** The one algorithm list matching the key's usage, as DescribeKey and GetPublicKey list it. */
export function algorithmsOf(
  record: Pick<KeyRecord, 'keySpec' | 'keyUsage'>,
): Pick<
  KeyMetadata,
  'EncryptionAlgorithms' | 'SigningAlgorithms' | 'MacAlgorithms' | 'KeyAgreementAlgorithms' | 'EncapsulationAlgorithms'
> {
  const rules = KEY_SPEC_RULES[record.keySpec];
  switch (record.keyUsage) {
    case 'ENCRYPT_DECRYPT':
      return { EncryptionAlgorithms: [...rules.encryption] };
    case 'SIGN_VERIFY':
      return { SigningAlgorithms: [...rules.signing] };
    case 'GENERATE_VERIFY_MAC':
      return { MacAlgorithms: [...rules.mac] };
    case 'KEY_AGREEMENT':
      return { KeyAgreementAlgorithms: [...rules.keyAgreement] };
    case 'ENCAPSULATE_DECAPSULATE':
      return { EncapsulationAlgorithms: [...(rules.encapsulation ?? [])] };
  }
}
