/** Structures the KMS model shares between operations: tags, key metadata, alias entries, paging members. */
import { blob, boolean, integer, list, string, stringMap, struct, timestamp } from './member-shape.js';
import { KEY_ENCRYPTION_ALGORITHMS } from './kms-enums.js';

/** A `Tags` list: TagKey 1–128 and TagValue 0–256 characters, both required. */
export const TAG_LIST = list(
  struct('Tag', {
    TagKey: string({ required: true, min: 1, max: 128 }),
    TagValue: string({ required: true, min: 0, max: 256 }),
  }),
);

export const RECIPIENT = struct('RecipientInfo', {
  KeyEncryptionAlgorithm: string({ enum: KEY_ENCRYPTION_ALGORITHMS }),
  AttestationDocument: blob(),
});

export const PAGE_TAIL = { NextMarker: string(), Truncated: boolean() } as const;

const STRINGS = list(string());
const REGIONAL_KEY = struct('MultiRegionKey', { Arn: string(), Region: string() });

export const KEY_METADATA = struct('KeyMetadata', {
  AWSAccountId: string(),
  KeyId: string(),
  Arn: string(),
  CreationDate: timestamp(),
  Enabled: boolean(),
  Description: string(),
  KeyUsage: string(),
  KeyState: string(),
  DeletionDate: timestamp(),
  ValidTo: timestamp(),
  Origin: string(),
  CustomKeyStoreId: string(),
  CloudHsmClusterId: string(),
  ExpirationModel: string(),
  KeyManager: string(),
  CustomerMasterKeySpec: string(),
  KeySpec: string(),
  EncryptionAlgorithms: STRINGS,
  SigningAlgorithms: STRINGS,
  KeyAgreementAlgorithms: STRINGS,
  EncapsulationAlgorithms: STRINGS,
  MultiRegion: boolean(),
  MultiRegionConfiguration: struct('MultiRegionConfiguration', {
    MultiRegionKeyType: string(),
    PrimaryKey: REGIONAL_KEY,
    ReplicaKeys: list(REGIONAL_KEY),
  }),
  PendingDeletionWindowInDays: integer(),
  MacAlgorithms: STRINGS,
  XksKeyConfiguration: struct('XksKeyConfigurationType', { Id: string() }),
  CurrentKeyMaterialId: string(),
});

export const ALIAS_LIST_ENTRY = struct('AliasListEntry', {
  AliasName: string(),
  AliasArn: string(),
  TargetKeyId: string(),
  CreationDate: timestamp(),
  LastUpdatedDate: timestamp(),
});

/** An entry of ListKeyRotations: one key material of a key. */
export const ROTATIONS_LIST_ENTRY = struct('RotationsListEntry', {
  KeyId: string(),
  KeyMaterialId: string(),
  KeyMaterialDescription: string(),
  ImportState: string(),
  KeyMaterialState: string(),
  ExpirationModel: string(),
  ValidTo: timestamp(),
  RotationDate: timestamp(),
  RotationType: string(),
});

/** Constraints of a grant (CreateGrant input, ListGrants output). */
export const GRANT_CONSTRAINTS = struct('GrantConstraints', {
  EncryptionContextSubset: stringMap(),
  EncryptionContextEquals: stringMap(),
});

export const GRANT_LIST_ENTRY = struct('GrantListEntry', {
  KeyId: string(),
  GrantId: string(),
  Name: string(),
  CreationDate: timestamp(),
  GranteePrincipal: string(),
  RetiringPrincipal: string(),
  IssuingAccount: string(),
  Operations: STRINGS,
  Constraints: GRANT_CONSTRAINTS,
});
