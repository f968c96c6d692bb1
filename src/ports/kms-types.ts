/**
 * The AWS KMS shapes the KmsPort speaks (type-only): enums, request and response objects with the AWS API's
 * PascalCase member names, blobs as `Uint8Array`, timestamps as `Date`.
 */
import type { MultiRegionConfiguration } from './kms-multi-region-types.js';

export type KmsKeySpec =
  | 'SYMMETRIC_DEFAULT'
  | 'RSA_2048'
  | 'RSA_3072'
  | 'RSA_4096'
  | 'ECC_NIST_P256'
  | 'ECC_NIST_P384'
  | 'ECC_NIST_P521'
  | 'ECC_SECG_P256K1'
  | 'ECC_NIST_EDWARDS25519'
  | 'HMAC_224'
  | 'HMAC_256'
  | 'HMAC_384'
  | 'HMAC_512'
  | 'ML_DSA_44'
  | 'ML_DSA_65'
  | 'ML_DSA_87'
  | 'ML_KEM_512'
  | 'ML_KEM_768'
  | 'ML_KEM_1024'
  | 'SM2';

export type KmsKeyUsage =
  | 'SIGN_VERIFY'
  | 'ENCRYPT_DECRYPT'
  | 'GENERATE_VERIFY_MAC'
  | 'KEY_AGREEMENT'
  | 'ENCAPSULATE_DECAPSULATE';

export type KmsKeyState =
  | 'Creating'
  | 'Enabled'
  | 'Disabled'
  | 'PendingDeletion'
  | 'PendingImport'
  | 'PendingReplicaDeletion'
  | 'Unavailable'
  | 'Updating';

export type KmsSigningAlgorithm =
  | 'RSASSA_PSS_SHA_256'
  | 'RSASSA_PSS_SHA_384'
  | 'RSASSA_PSS_SHA_512'
  | 'RSASSA_PKCS1_V1_5_SHA_256'
  | 'RSASSA_PKCS1_V1_5_SHA_384'
  | 'RSASSA_PKCS1_V1_5_SHA_512'
  | 'ECDSA_SHA_256'
  | 'ECDSA_SHA_384'
  | 'ECDSA_SHA_512'
  | 'SM2DSA'
  | 'ML_DSA_SHAKE_256'
  | 'ED25519_SHA_512'
  | 'ED25519_PH_SHA_512';

export type KmsEncryptionAlgorithm = 'SYMMETRIC_DEFAULT' | 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256' | 'SM2PKE';
export type KmsMacAlgorithm = 'HMAC_SHA_224' | 'HMAC_SHA_256' | 'HMAC_SHA_384' | 'HMAC_SHA_512';
export type KmsKeyAgreementAlgorithm = 'ECDH';
export type KmsEncapsulationAlgorithm = 'ML_KEM';
export type KmsMessageType = 'RAW' | 'DIGEST' | 'EXTERNAL_MU';
export type KmsOrigin = 'AWS_KMS' | 'EXTERNAL' | 'AWS_CLOUDHSM' | 'EXTERNAL_KEY_STORE';

export interface KmsTag {
  TagKey: string;
  TagValue: string;
}

export interface KeyMetadata {
  AWSAccountId: string;
  KeyId: string;
  Arn: string;
  CreationDate: Date;
  Enabled: boolean;
  Description: string;
  KeyUsage: KmsKeyUsage;
  KeyState: KmsKeyState;
  DeletionDate?: Date;
  Origin: KmsOrigin;
  KeyManager: 'CUSTOMER' | 'AWS';
  CustomerMasterKeySpec: KmsKeySpec;
  KeySpec: KmsKeySpec;
  EncryptionAlgorithms?: KmsEncryptionAlgorithm[];
  SigningAlgorithms?: KmsSigningAlgorithm[];
  MacAlgorithms?: KmsMacAlgorithm[];
  KeyAgreementAlgorithms?: KmsKeyAgreementAlgorithm[];
  EncapsulationAlgorithms?: KmsEncapsulationAlgorithm[];
  MultiRegion: boolean;
  CurrentKeyMaterialId?: string;
  /** Keys in a custom key store (docs/kms-behaviour.md §23). */
  CustomKeyStoreId?: string;
  CloudHsmClusterId?: string;
  XksKeyConfiguration?: { Id: string };
  /** Keys of Origin EXTERNAL with imported material (kms-import-types.ts). */
  ExpirationModel?: 'KEY_MATERIAL_EXPIRES' | 'KEY_MATERIAL_DOES_NOT_EXPIRE';
  ValidTo?: Date;
  /** Multi-Region keys (kms-multi-region-types.ts): the primary and every replica; the primary's waiting period while PendingReplicaDeletion. */
  MultiRegionConfiguration?: MultiRegionConfiguration;
  PendingDeletionWindowInDays?: number;
}

export interface CreateKeyRequest {
  Policy?: string;
  Description?: string;
  KeyUsage?: KmsKeyUsage;
  KeySpec?: KmsKeySpec;
  /** Deprecated synonym of KeySpec. */
  CustomerMasterKeySpec?: KmsKeySpec;
  Origin?: KmsOrigin;
  BypassPolicyLockoutSafetyCheck?: boolean;
  Tags?: KmsTag[];
  MultiRegion?: boolean;
  /** A key in a custom key store (docs/kms-behaviour.md §23): with Origin AWS_CLOUDHSM or EXTERNAL_KEY_STORE. */
  CustomKeyStoreId?: string;
  /** The key's ID in the external key manager (Origin EXTERNAL_KEY_STORE). */
  XksKeyId?: string;
}
export interface CreateKeyResponse {
  KeyMetadata: KeyMetadata;
}

export interface DescribeKeyRequest {
  KeyId: string;
  GrantTokens?: string[];
}
export interface DescribeKeyResponse {
  KeyMetadata: KeyMetadata;
}

export interface ListKeysRequest {
  Limit?: number;
  Marker?: string;
}
export interface KeyListEntry {
  KeyId: string;
  KeyArn: string;
}
export interface ListKeysResponse {
  Keys: KeyListEntry[];
  NextMarker?: string;
  Truncated: boolean;
}

export interface CreateAliasRequest {
  AliasName: string;
  TargetKeyId: string;
}
export interface UpdateAliasRequest {
  AliasName: string;
  TargetKeyId: string;
}
export interface DeleteAliasRequest {
  AliasName: string;
}

export interface ListAliasesRequest {
  KeyId?: string;
  Limit?: number;
  Marker?: string;
}
export interface AliasListEntry {
  AliasName: string;
  AliasArn: string;
  /** Absent on predefined AWS managed aliases that have no key yet. */
  TargetKeyId?: string;
  CreationDate?: Date;
  LastUpdatedDate?: Date;
}
export interface ListAliasesResponse {
  Aliases: AliasListEntry[];
  NextMarker?: string;
  Truncated: boolean;
}

export interface GetPublicKeyRequest {
  KeyId: string;
  GrantTokens?: string[];
}
export interface GetPublicKeyResponse {
  /** The key ARN. */
  KeyId: string;
  /** DER-encoded SubjectPublicKeyInfo. */
  PublicKey: Uint8Array;
  CustomerMasterKeySpec: KmsKeySpec;
  KeySpec: KmsKeySpec;
  KeyUsage: KmsKeyUsage;
  EncryptionAlgorithms?: KmsEncryptionAlgorithm[];
  SigningAlgorithms?: KmsSigningAlgorithm[];
  KeyAgreementAlgorithms?: KmsKeyAgreementAlgorithm[];
  EncapsulationAlgorithms?: KmsEncapsulationAlgorithm[];
}

export interface TagResourceRequest {
  KeyId: string;
  Tags: KmsTag[];
}
export interface UntagResourceRequest {
  KeyId: string;
  TagKeys: string[];
}
export interface ListResourceTagsRequest {
  KeyId: string;
  Limit?: number;
  Marker?: string;
}
export interface ListResourceTagsResponse {
  Tags: KmsTag[];
  NextMarker?: string;
  Truncated: boolean;
}

export interface KeyIdRequest {
  KeyId: string;
}

export interface ScheduleKeyDeletionRequest {
  KeyId: string;
  PendingWindowInDays?: number;
}
export interface ScheduleKeyDeletionResponse {
  /** The key ARN. */
  KeyId: string;
  /** Absent when a multi-Region primary waits for its replicas (KeyState PendingReplicaDeletion). */
  DeletionDate?: Date;
  KeyState: KmsKeyState;
  PendingWindowInDays: number;
}
export interface CancelKeyDeletionResponse {
  /** The key ARN. */
  KeyId: string;
}

export interface SignRequest {
  KeyId: string;
  Message: Uint8Array;
  MessageType?: KmsMessageType;
  SigningAlgorithm: KmsSigningAlgorithm;
  GrantTokens?: string[];
  DryRun?: boolean;
}
export interface SignResponse {
  /** The key ARN. */
  KeyId: string;
  Signature: Uint8Array;
  SigningAlgorithm: KmsSigningAlgorithm;
}

export interface VerifyRequest {
  KeyId: string;
  Message: Uint8Array;
  MessageType?: KmsMessageType;
  Signature: Uint8Array;
  SigningAlgorithm: KmsSigningAlgorithm;
  GrantTokens?: string[];
  DryRun?: boolean;
}
export interface VerifyResponse {
  /** The key ARN. */
  KeyId: string;
  /** Always true: a signature that does not verify throws KMSInvalidSignatureException. */
  SignatureValid: boolean;
  SigningAlgorithm: KmsSigningAlgorithm;
}

export interface GenerateRandomRequest {
  NumberOfBytes?: number;
}
export interface GenerateRandomResponse {
  Plaintext: Uint8Array;
}

export interface EncryptRequest {
  KeyId: string;
  Plaintext: Uint8Array;
  EncryptionContext?: Record<string, string>;
  EncryptionAlgorithm?: KmsEncryptionAlgorithm;
  GrantTokens?: string[];
  DryRun?: boolean;
}
export interface EncryptResponse {
  CiphertextBlob: Uint8Array;
  /** The key ARN. */
  KeyId: string;
  EncryptionAlgorithm: KmsEncryptionAlgorithm;
}

export interface DecryptRequest {
  CiphertextBlob: Uint8Array;
  EncryptionContext?: Record<string, string>;
  /** Optional for symmetric ciphertexts, required for RSA. */
  KeyId?: string;
  EncryptionAlgorithm?: KmsEncryptionAlgorithm;
  GrantTokens?: string[];
  DryRun?: boolean;
}
export interface DecryptResponse {
  /** The key ARN. */
  KeyId: string;
  Plaintext: Uint8Array;
  EncryptionAlgorithm: KmsEncryptionAlgorithm;
  KeyMaterialId?: string;
}

export type KmsDataKeySpec = 'AES_256' | 'AES_128';
export interface GenerateDataKeyRequest {
  KeyId: string;
  EncryptionContext?: Record<string, string>;
  /** Exactly one of KeySpec and NumberOfBytes. */
  NumberOfBytes?: number;
  KeySpec?: KmsDataKeySpec;
  GrantTokens?: string[];
  DryRun?: boolean;
}
export interface GenerateDataKeyResponse {
  CiphertextBlob: Uint8Array;
  Plaintext: Uint8Array;
  /** The key ARN. */
  KeyId: string;
  KeyMaterialId?: string;
}

export interface GenerateMacRequest {
  KeyId: string;
  Message: Uint8Array;
  MacAlgorithm: KmsMacAlgorithm;
  GrantTokens?: string[];
  DryRun?: boolean;
}
export interface GenerateMacResponse {
  Mac: Uint8Array;
  MacAlgorithm: KmsMacAlgorithm;
  /** The key ARN. */
  KeyId: string;
}
export interface VerifyMacRequest {
  KeyId: string;
  Message: Uint8Array;
  MacAlgorithm: KmsMacAlgorithm;
  Mac: Uint8Array;
  GrantTokens?: string[];
  DryRun?: boolean;
}
export interface VerifyMacResponse {
  /** The key ARN. */
  KeyId: string;
  /** Always true: a MAC that does not verify throws KMSInvalidMacException. */
  MacValid: boolean;
  MacAlgorithm: KmsMacAlgorithm;
}

/** Per-call options every adapter accepts. */
export interface KmsCallOptions {
  abortSignal?: AbortSignal;
}
