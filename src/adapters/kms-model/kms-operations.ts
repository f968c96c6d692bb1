/**
 * Every KmsPort operation described once: its input members with the constraints the service checks (in the
 * order it reports them), and its output members (in the order the endpoint writes them). Member lists follow the
 * KMS API model (kms-2014-11-01, as in @aws-sdk/client-kms 3.11xx), including members the port does not declare,
 * so that whatever an SDK can send is recognised and type-checked. The wire codec and the request reader are
 * derived from this table: adding an operation means one entry here plus its behaviour.
 */
import type { KmsPort } from '../../ports/kms.port.js';
import {
  CUSTOMER_MASTER_KEY_SPECS,
  DATA_KEY_PAIR_SPECS,
  DATA_KEY_SPECS,
  ENCAPSULATION_ALGORITHMS,
  ENCRYPTION_ALGORITHMS,
  KEY_AGREEMENT_ALGORITHMS,
  INCLUDE_KEY_MATERIAL,
  KEY_SPECS,
  KEY_USAGES,
  MAC_ALGORITHMS,
  MESSAGE_TYPES,
  ORIGINS,
  SIGNING_ALGORITHMS,
} from './kms-enums.js';
import { type OperationModel, blob, boolean, integer, list, string, stringMap, struct, timestamp } from './member-shape.js';
import { CUSTOM_KEY_STORE_MODEL } from './kms-custom-key-store-model.js';
import { GRANT_MODEL } from './kms-grant-model.js';
import { IMPORT_MODEL } from './kms-import-model.js';
import { MULTI_REGION_MODEL } from './kms-multi-region-model.js';
import { GRANT_TOKENS, KEY_ID, LIMIT, MARKER, OPTIONAL_KEY_ID, POLICY, modelPattern } from './kms-members.js';
import { KEY_METADATA, PAGE_TAIL, RECIPIENT, TAG_LIST, ALIAS_LIST_ENTRY, ROTATIONS_LIST_ENTRY } from './kms-structures.js';

export type PortMethod = Exclude<keyof KmsPort, 'region'>;

/** 1–256 characters of the model pattern; the service's own alias rules come after (the simulator's rules). */
const ALIAS_NAME = string({ required: true, min: 1, max: 256, pattern: /^[a-zA-Z0-9:/_-]+$/ });
/** Plaintext of Encrypt, Message of Sign/Verify and GenerateMac/VerifyMac. */
const DATA = blob({ required: true, min: 1, max: 4096 });
/** CiphertextBlob of Decrypt, Signature of Verify, Mac of VerifyMac. */
const OUTPUT_BLOB = blob({ required: true, min: 1, max: 6144 });
const NUMBER_OF_BYTES = integer({ min: 1, max: 1024 });
const STRINGS = list(string());
/** A key policy name (only `default` names a policy). */
const POLICY_NAME = string({ min: 1, max: 128, pattern: modelPattern('[\\w]+') });

export const KMS_MODEL = {
  createKey: {
    input: {
      Policy: POLICY,
      Description: string({ min: 0, max: 8192 }),
      KeyUsage: string({ enum: KEY_USAGES }),
      KeySpec: string({ enum: KEY_SPECS }),
      CustomerMasterKeySpec: string({ enum: CUSTOMER_MASTER_KEY_SPECS }),
      Origin: string({ enum: ORIGINS }),
      BypassPolicyLockoutSafetyCheck: boolean(),
      Tags: TAG_LIST,
      MultiRegion: boolean(),
      CustomKeyStoreId: string({ min: 1, max: 64 }),
      XksKeyId: string({ min: 1, max: 128, pattern: modelPattern('[a-zA-Z0-9-_.]+') }),
    },
    output: { KeyMetadata: KEY_METADATA },
  },
  describeKey: {
    input: { KeyId: KEY_ID, GrantTokens: GRANT_TOKENS },
    output: { KeyMetadata: KEY_METADATA },
  },
  listKeys: {
    input: { Limit: LIMIT, Marker: MARKER },
    output: { Keys: list(struct('KeyListEntry', { KeyId: string(), KeyArn: string() })), ...PAGE_TAIL },
  },
  createAlias: { input: { AliasName: ALIAS_NAME, TargetKeyId: KEY_ID }, output: undefined },
  updateAlias: { input: { AliasName: ALIAS_NAME, TargetKeyId: KEY_ID }, output: undefined },
  deleteAlias: { input: { AliasName: ALIAS_NAME }, output: undefined },
  listAliases: {
    input: { KeyId: OPTIONAL_KEY_ID, Limit: integer({ min: 1, max: 100 }), Marker: MARKER },
    output: { Aliases: list(ALIAS_LIST_ENTRY), ...PAGE_TAIL },
  },
  getPublicKey: {
    input: { KeyId: KEY_ID, GrantTokens: GRANT_TOKENS },
    output: {
      KeyId: string(),
      PublicKey: blob(),
      CustomerMasterKeySpec: string(),
      KeySpec: string(),
      KeyUsage: string(),
      EncryptionAlgorithms: STRINGS,
      SigningAlgorithms: STRINGS,
      KeyAgreementAlgorithms: STRINGS,
      EncapsulationAlgorithms: STRINGS,
    },
  },
  tagResource: { input: { KeyId: KEY_ID, Tags: { ...TAG_LIST, required: true } }, output: undefined },
  untagResource: {
    input: { KeyId: KEY_ID, TagKeys: list(string({ min: 1, max: 128 }), { required: true }) },
    output: undefined,
  },
  listResourceTags: {
    input: { KeyId: KEY_ID, Limit: integer({ min: 1, max: 50 }), Marker: MARKER },
    output: { Tags: TAG_LIST, ...PAGE_TAIL },
  },
  enableKey: { input: { KeyId: KEY_ID }, output: undefined },
  disableKey: { input: { KeyId: KEY_ID }, output: undefined },
  scheduleKeyDeletion: {
    // The model allows 1–365; the service enforces 7–30 (checked after the shape, with its own message).
    input: { KeyId: KEY_ID, PendingWindowInDays: integer({ min: 1, max: 365 }) },
    output: { KeyId: string(), DeletionDate: timestamp(), KeyState: string(), PendingWindowInDays: integer() },
  },
  cancelKeyDeletion: { input: { KeyId: KEY_ID }, output: { KeyId: string() } },
  sign: {
    input: {
      KeyId: KEY_ID,
      Message: DATA,
      MessageType: string({ enum: MESSAGE_TYPES }),
      SigningAlgorithm: string({ required: true, enum: SIGNING_ALGORITHMS }),
      GrantTokens: GRANT_TOKENS,
      DryRun: boolean(),
    },
    output: { KeyId: string(), Signature: blob(), SigningAlgorithm: string() },
  },
  verify: {
    input: {
      KeyId: KEY_ID,
      Message: DATA,
      MessageType: string({ enum: MESSAGE_TYPES }),
      Signature: OUTPUT_BLOB,
      SigningAlgorithm: string({ required: true, enum: SIGNING_ALGORITHMS }),
      GrantTokens: GRANT_TOKENS,
      DryRun: boolean(),
    },
    output: { KeyId: string(), SignatureValid: boolean(), SigningAlgorithm: string() },
  },
  generateRandom: {
    input: { NumberOfBytes: NUMBER_OF_BYTES, CustomKeyStoreId: string(), Recipient: RECIPIENT },
    output: { Plaintext: blob(), CiphertextForRecipient: blob() },
  },
  encrypt: {
    input: {
      KeyId: KEY_ID,
      Plaintext: DATA,
      EncryptionContext: stringMap(),
      EncryptionAlgorithm: string({ enum: ENCRYPTION_ALGORITHMS }),
      GrantTokens: GRANT_TOKENS,
      DryRun: boolean(),
    },
    output: { CiphertextBlob: blob(), KeyId: string(), EncryptionAlgorithm: string() },
  },
  decrypt: {
    input: {
      CiphertextBlob: OUTPUT_BLOB,
      EncryptionContext: stringMap(),
      KeyId: OPTIONAL_KEY_ID,
      EncryptionAlgorithm: string({ enum: ENCRYPTION_ALGORITHMS }),
      GrantTokens: GRANT_TOKENS,
      DryRun: boolean(),
      Recipient: RECIPIENT,
      DryRunModifiers: STRINGS,
    },
    output: {
      KeyId: string(),
      Plaintext: blob(),
      EncryptionAlgorithm: string(),
      CiphertextForRecipient: blob(),
      KeyMaterialId: string(),
    },
  },
  generateDataKey: {
    input: {
      KeyId: KEY_ID,
      EncryptionContext: stringMap(),
      NumberOfBytes: NUMBER_OF_BYTES,
      KeySpec: string({ enum: DATA_KEY_SPECS }),
      GrantTokens: GRANT_TOKENS,
      DryRun: boolean(),
      Recipient: RECIPIENT,
    },
    output: {
      CiphertextBlob: blob(),
      Plaintext: blob(),
      KeyId: string(),
      CiphertextForRecipient: blob(),
      KeyMaterialId: string(),
    },
  },
  generateMac: {
    input: {
      KeyId: KEY_ID,
      Message: DATA,
      MacAlgorithm: string({ required: true, enum: MAC_ALGORITHMS }),
      GrantTokens: GRANT_TOKENS,
      DryRun: boolean(),
    },
    output: { Mac: blob(), MacAlgorithm: string(), KeyId: string() },
  },
  verifyMac: {
    input: {
      KeyId: KEY_ID,
      Message: DATA,
      Mac: OUTPUT_BLOB,
      MacAlgorithm: string({ required: true, enum: MAC_ALGORITHMS }),
      GrantTokens: GRANT_TOKENS,
      DryRun: boolean(),
    },
    output: { KeyId: string(), MacValid: boolean(), MacAlgorithm: string() },
  },
  decapsulate: {
    input: {
      KeyId: KEY_ID,
      SharedSecretCiphertextBlob: blob({ required: true, min: 1, max: 6144 }),
      EncapsulationAlgorithm: string({ required: true, enum: ENCAPSULATION_ALGORITHMS }),
      GrantTokens: GRANT_TOKENS,
      DryRun: boolean(),
    },
    output: { KeyId: string(), SharedSecret: blob(), EncapsulationAlgorithm: string() },
  },
  deriveSharedSecret: {
    input: {
      KeyId: KEY_ID,
      KeyAgreementAlgorithm: string({ required: true, enum: KEY_AGREEMENT_ALGORITHMS }),
      PublicKey: blob({ required: true, min: 1, max: 8192 }),
      GrantTokens: GRANT_TOKENS,
      DryRun: boolean(),
      Recipient: RECIPIENT,
    },
    output: {
      KeyId: string(),
      SharedSecret: blob(),
      CiphertextForRecipient: blob(),
      KeyAgreementAlgorithm: string(),
      KeyOrigin: string(),
    },
  },
  encapsulate: {
    input: {
      KeyId: KEY_ID,
      EncapsulationAlgorithm: string({ required: true, enum: ENCAPSULATION_ALGORITHMS }),
      GrantTokens: GRANT_TOKENS,
      DryRun: boolean(),
    },
    output: { KeyId: string(), SharedSecret: blob(), SharedSecretCiphertextBlob: blob(), EncapsulationAlgorithm: string() },
  },
  getKeyLastUsage: {
    input: { KeyId: KEY_ID },
    output: {
      KeyId: string(),
      KeyLastUsage: struct('KeyLastUsageData', {
        Operation: string(),
        Timestamp: timestamp(),
        CloudTrailEventId: string(),
        KmsRequestId: string(),
      }),
      TrackingStartDate: timestamp(),
      KeyCreationDate: timestamp(),
    },
  },
  // ---- key rotation (docs/kms-behaviour.md §21) ----
  disableKeyRotation: { input: { KeyId: KEY_ID }, output: undefined },
  enableKeyRotation: {
    input: { KeyId: KEY_ID, RotationPeriodInDays: integer({ min: 90, max: 2560 }) },
    output: undefined,
  },
  getKeyRotationStatus: {
    input: { KeyId: KEY_ID },
    output: {
      KeyRotationEnabled: boolean(),
      KeyId: string(),
      RotationPeriodInDays: integer(),
      NextRotationDate: timestamp(),
      OnDemandRotationStartDate: timestamp(),
    },
  },
  listKeyRotations: {
    input: {
      KeyId: KEY_ID,
      IncludeKeyMaterial: string({ enum: INCLUDE_KEY_MATERIAL }),
      Limit: LIMIT,
      Marker: MARKER,
    },
    output: { Rotations: list(ROTATIONS_LIST_ENTRY), ...PAGE_TAIL },
  },
  rotateKeyOnDemand: { input: { KeyId: KEY_ID }, output: { KeyId: string() } },
  getKeyPolicy: {
    input: { KeyId: KEY_ID, PolicyName: POLICY_NAME },
    output: { Policy: string(), PolicyName: string() },
  },
  listKeyPolicies: {
    input: { KeyId: KEY_ID, Limit: LIMIT, Marker: MARKER },
    output: { PolicyNames: STRINGS, ...PAGE_TAIL },
  },
  putKeyPolicy: {
    input: { KeyId: KEY_ID, PolicyName: POLICY_NAME, Policy: { ...POLICY, required: true }, BypassPolicyLockoutSafetyCheck: boolean() },
    output: undefined,
  },
  updateKeyDescription: {
    input: { KeyId: KEY_ID, Description: string({ required: true, min: 0, max: 8192 }) },
    output: undefined,
  },
  generateDataKeyPair: {
    input: {
      EncryptionContext: stringMap(),
      KeyId: KEY_ID,
      KeyPairSpec: string({ required: true, enum: DATA_KEY_PAIR_SPECS }),
      GrantTokens: GRANT_TOKENS,
      Recipient: RECIPIENT,
      DryRun: boolean(),
    },
    output: {
      PrivateKeyCiphertextBlob: blob(),
      PrivateKeyPlaintext: blob(),
      PublicKey: blob(),
      KeyId: string(),
      KeyPairSpec: string(),
      CiphertextForRecipient: blob(),
      KeyMaterialId: string(),
    },
  },
  generateDataKeyPairWithoutPlaintext: {
    input: {
      EncryptionContext: stringMap(),
      KeyId: KEY_ID,
      KeyPairSpec: string({ required: true, enum: DATA_KEY_PAIR_SPECS }),
      GrantTokens: GRANT_TOKENS,
      DryRun: boolean(),
    },
    output: { PrivateKeyCiphertextBlob: blob(), PublicKey: blob(), KeyId: string(), KeyPairSpec: string(), KeyMaterialId: string() },
  },
  generateDataKeyWithoutPlaintext: {
    input: {
      KeyId: KEY_ID,
      EncryptionContext: stringMap(),
      KeySpec: string({ enum: DATA_KEY_SPECS }),
      NumberOfBytes: NUMBER_OF_BYTES,
      GrantTokens: GRANT_TOKENS,
      DryRun: boolean(),
    },
    output: { CiphertextBlob: blob(), KeyId: string(), KeyMaterialId: string() },
  },
  reEncrypt: {
    input: {
      CiphertextBlob: OUTPUT_BLOB,
      SourceEncryptionContext: stringMap(),
      SourceKeyId: OPTIONAL_KEY_ID,
      DestinationKeyId: KEY_ID,
      DestinationEncryptionContext: stringMap(),
      SourceEncryptionAlgorithm: string({ enum: ENCRYPTION_ALGORITHMS }),
      DestinationEncryptionAlgorithm: string({ enum: ENCRYPTION_ALGORITHMS }),
      GrantTokens: GRANT_TOKENS,
      DryRun: boolean(),
      DryRunModifiers: STRINGS,
    },
    output: {
      CiphertextBlob: blob(),
      SourceKeyId: string(),
      KeyId: string(),
      SourceEncryptionAlgorithm: string(),
      DestinationEncryptionAlgorithm: string(),
      SourceKeyMaterialId: string(),
      DestinationKeyMaterialId: string(),
    },
  },
  ...GRANT_MODEL,
  ...CUSTOM_KEY_STORE_MODEL,
  ...IMPORT_MODEL,
  ...MULTI_REGION_MODEL,
} as const satisfies { readonly [M in PortMethod]: OperationModel };

export type KmsModel = typeof KMS_MODEL;
