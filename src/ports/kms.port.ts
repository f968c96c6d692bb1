/**
 * KmsPort: the AWS KMS operations this library uses, in the AWS API's own shapes.
 *
 * Operation names are camelCase, request and response members keep the AWS API's PascalCase names,
 * blobs are `Uint8Array`, timestamps are `Date`. Every error thrown through the port carries
 * `name` = the KMS exception name (`NotFoundException`, `KMSInvalidStateException`, …), a `message`
 * and `$fault: 'client' | 'server'`, the way AWS SDK v3 errors look (see `KmsPortError`).
 *
 * Type-only: adapters implement it (the in-process simulator, the AWS SDK adapter).
 */
import type {
  CancelKeyDeletionResponse,
  CreateAliasRequest,
  CreateKeyRequest,
  CreateKeyResponse,
  DecryptRequest,
  DecryptResponse,
  DeleteAliasRequest,
  DescribeKeyRequest,
  DescribeKeyResponse,
  EncryptRequest,
  EncryptResponse,
  GenerateDataKeyRequest,
  GenerateDataKeyResponse,
  GenerateMacRequest,
  GenerateMacResponse,
  GenerateRandomRequest,
  GenerateRandomResponse,
  GetPublicKeyRequest,
  GetPublicKeyResponse,
  KeyIdRequest,
  KmsCallOptions,
  ListAliasesRequest,
  ListAliasesResponse,
  ListKeysRequest,
  ListKeysResponse,
  ListResourceTagsRequest,
  ListResourceTagsResponse,
  ScheduleKeyDeletionRequest,
  ScheduleKeyDeletionResponse,
  SignRequest,
  SignResponse,
  TagResourceRequest,
  UntagResourceRequest,
  UpdateAliasRequest,
  VerifyMacRequest,
  VerifyMacResponse,
  VerifyRequest,
  VerifyResponse,
} from './kms-types.js';
import type { CreateGrantRequest, CreateGrantResponse, ListGrantsRequest, ListGrantsResponse, ListRetirableGrantsRequest, RetireGrantRequest, RevokeGrantRequest } from './kms-grants-types.js';
import type { GetKeyPolicyRequest, GetKeyPolicyResponse, ListKeyPoliciesRequest, ListKeyPoliciesResponse, PutKeyPolicyRequest, UpdateKeyDescriptionRequest } from './kms-policy-types.js';
import type { EnableKeyRotationRequest, GetKeyRotationStatusResponse, ListKeyRotationsRequest, ListKeyRotationsResponse, RotateKeyOnDemandResponse } from './kms-rotation-types.js';
import type {
  DecapsulateRequest,
  DecapsulateResponse,
  DeriveSharedSecretRequest,
  DeriveSharedSecretResponse,
  EncapsulateRequest,
  EncapsulateResponse,
  GetKeyLastUsageRequest,
  GetKeyLastUsageResponse,
} from './kms-shared-secret-types.js';

import type {
  GenerateDataKeyPairRequest,
  GenerateDataKeyPairResponse,
  GenerateDataKeyPairWithoutPlaintextRequest,
  GenerateDataKeyPairWithoutPlaintextResponse,
  GenerateDataKeyWithoutPlaintextRequest,
  GenerateDataKeyWithoutPlaintextResponse,
  ReEncryptRequest,
  ReEncryptResponse,
} from './kms-envelope-types.js';
import type { CreateCustomKeyStoreRequest, CreateCustomKeyStoreResponse, CustomKeyStoreIdRequest, DescribeCustomKeyStoresRequest, DescribeCustomKeyStoresResponse, UpdateCustomKeyStoreRequest } from './kms-custom-key-store-types.js';
import type { ReplicateKeyRequest, ReplicateKeyResponse, UpdatePrimaryRegionRequest } from './kms-multi-region-types.js';
import type { DeleteImportedKeyMaterialRequest, DeleteImportedKeyMaterialResponse, GetParametersForImportRequest, GetParametersForImportResponse, ImportKeyMaterialRequest, ImportKeyMaterialResponse } from './kms-import-types.js';

export type * from './kms-types.js';
export type * from './kms-policy-types.js';
export type * from './kms-rotation-types.js';
export type * from './kms-shared-secret-types.js';
export type * from './kms-envelope-types.js';
export type * from './kms-grants-types.js';
export type * from './kms-import-types.js';
export type * from './kms-exception-name.js';
export type * from './kms-custom-key-store-types.js';
export type * from './kms-multi-region-types.js';

/**
 * Marks a KmsPort that retries transient failures itself (the AWS SDK adapter, through the SDK's retry strategy):
 * callers then add no retries of their own, so that retries are never stacked.
 */
export interface RetriesTransientErrors {
  readonly retriesTransientErrors: true;
}

export interface KmsPort {
  /** The Region this KMS lives in; reported as `kms:region` in KeyRefs. */
  readonly region: string;

  createKey(input: CreateKeyRequest, options?: KmsCallOptions): Promise<CreateKeyResponse>;
  describeKey(input: DescribeKeyRequest, options?: KmsCallOptions): Promise<DescribeKeyResponse>;
  listKeys(input: ListKeysRequest, options?: KmsCallOptions): Promise<ListKeysResponse>;
  createAlias(input: CreateAliasRequest, options?: KmsCallOptions): Promise<void>;
  updateAlias(input: UpdateAliasRequest, options?: KmsCallOptions): Promise<void>;
  deleteAlias(input: DeleteAliasRequest, options?: KmsCallOptions): Promise<void>;
  listAliases(input: ListAliasesRequest, options?: KmsCallOptions): Promise<ListAliasesResponse>;
  getPublicKey(input: GetPublicKeyRequest, options?: KmsCallOptions): Promise<GetPublicKeyResponse>;
  tagResource(input: TagResourceRequest, options?: KmsCallOptions): Promise<void>;
  untagResource(input: UntagResourceRequest, options?: KmsCallOptions): Promise<void>;
  listResourceTags(input: ListResourceTagsRequest, options?: KmsCallOptions): Promise<ListResourceTagsResponse>;
  enableKey(input: KeyIdRequest, options?: KmsCallOptions): Promise<void>;
  disableKey(input: KeyIdRequest, options?: KmsCallOptions): Promise<void>;
  scheduleKeyDeletion(
    input: ScheduleKeyDeletionRequest,
    options?: KmsCallOptions,
  ): Promise<ScheduleKeyDeletionResponse>;
  cancelKeyDeletion(input: KeyIdRequest, options?: KmsCallOptions): Promise<CancelKeyDeletionResponse>;
  sign(input: SignRequest, options?: KmsCallOptions): Promise<SignResponse>;
  verify(input: VerifyRequest, options?: KmsCallOptions): Promise<VerifyResponse>;
  generateRandom(input: GenerateRandomRequest, options?: KmsCallOptions): Promise<GenerateRandomResponse>;
  encrypt(input: EncryptRequest, options?: KmsCallOptions): Promise<EncryptResponse>;
  decrypt(input: DecryptRequest, options?: KmsCallOptions): Promise<DecryptResponse>;
  generateDataKey(input: GenerateDataKeyRequest, options?: KmsCallOptions): Promise<GenerateDataKeyResponse>;
  generateMac(input: GenerateMacRequest, options?: KmsCallOptions): Promise<GenerateMacResponse>;
  verifyMac(input: VerifyMacRequest, options?: KmsCallOptions): Promise<VerifyMacResponse>;
  decapsulate(input: DecapsulateRequest, options?: KmsCallOptions): Promise<DecapsulateResponse>;
  deriveSharedSecret(input: DeriveSharedSecretRequest, options?: KmsCallOptions): Promise<DeriveSharedSecretResponse>;
  encapsulate(input: EncapsulateRequest, options?: KmsCallOptions): Promise<EncapsulateResponse>;
  getKeyLastUsage(input: GetKeyLastUsageRequest, options?: KmsCallOptions): Promise<GetKeyLastUsageResponse>;
  // key rotation (symmetric encryption keys)
  disableKeyRotation(input: KeyIdRequest, options?: KmsCallOptions): Promise<void>;
  enableKeyRotation(input: EnableKeyRotationRequest, options?: KmsCallOptions): Promise<void>;
  getKeyRotationStatus(input: KeyIdRequest, options?: KmsCallOptions): Promise<GetKeyRotationStatusResponse>;
  listKeyRotations(input: ListKeyRotationsRequest, options?: KmsCallOptions): Promise<ListKeyRotationsResponse>;
  rotateKeyOnDemand(input: KeyIdRequest, options?: KmsCallOptions): Promise<RotateKeyOnDemandResponse>;
  getKeyPolicy(input: GetKeyPolicyRequest, options?: KmsCallOptions): Promise<GetKeyPolicyResponse>;
  listKeyPolicies(input: ListKeyPoliciesRequest, options?: KmsCallOptions): Promise<ListKeyPoliciesResponse>;
  putKeyPolicy(input: PutKeyPolicyRequest, options?: KmsCallOptions): Promise<void>;
  updateKeyDescription(input: UpdateKeyDescriptionRequest, options?: KmsCallOptions): Promise<void>;
  // envelope encryption (kms-envelope-types.ts)
  reEncrypt(input: ReEncryptRequest, options?: KmsCallOptions): Promise<ReEncryptResponse>;
  generateDataKeyWithoutPlaintext(
    input: GenerateDataKeyWithoutPlaintextRequest,
    options?: KmsCallOptions,
  ): Promise<GenerateDataKeyWithoutPlaintextResponse>;
  generateDataKeyPair(input: GenerateDataKeyPairRequest, options?: KmsCallOptions): Promise<GenerateDataKeyPairResponse>;
  generateDataKeyPairWithoutPlaintext(
    input: GenerateDataKeyPairWithoutPlaintextRequest,
    options?: KmsCallOptions,
  ): Promise<GenerateDataKeyPairWithoutPlaintextResponse>;
  // grants (kms-grants-types.ts)
  createGrant(input: CreateGrantRequest, options?: KmsCallOptions): Promise<CreateGrantResponse>;
  listGrants(input: ListGrantsRequest, options?: KmsCallOptions): Promise<ListGrantsResponse>;
  listRetirableGrants(input: ListRetirableGrantsRequest, options?: KmsCallOptions): Promise<ListGrantsResponse>;
  retireGrant(input: RetireGrantRequest, options?: KmsCallOptions): Promise<void>;
  revokeGrant(input: RevokeGrantRequest, options?: KmsCallOptions): Promise<void>;
  // custom key stores (kms-custom-key-store-types.ts)
  connectCustomKeyStore(input: CustomKeyStoreIdRequest, options?: KmsCallOptions): Promise<void>;
  createCustomKeyStore(input: CreateCustomKeyStoreRequest, options?: KmsCallOptions): Promise<CreateCustomKeyStoreResponse>;
  deleteCustomKeyStore(input: CustomKeyStoreIdRequest, options?: KmsCallOptions): Promise<void>;
  describeCustomKeyStores(input: DescribeCustomKeyStoresRequest, options?: KmsCallOptions): Promise<DescribeCustomKeyStoresResponse>;
  disconnectCustomKeyStore(input: CustomKeyStoreIdRequest, options?: KmsCallOptions): Promise<void>;
  updateCustomKeyStore(input: UpdateCustomKeyStoreRequest, options?: KmsCallOptions): Promise<void>;
  // imported key material (kms-import-types.ts)
  deleteImportedKeyMaterial(input: DeleteImportedKeyMaterialRequest, options?: KmsCallOptions): Promise<DeleteImportedKeyMaterialResponse>;
  getParametersForImport(input: GetParametersForImportRequest, options?: KmsCallOptions): Promise<GetParametersForImportResponse>;
  importKeyMaterial(input: ImportKeyMaterialRequest, options?: KmsCallOptions): Promise<ImportKeyMaterialResponse>;
  // multi-Region keys (kms-multi-region-types.ts)
  replicateKey(input: ReplicateKeyRequest, options?: KmsCallOptions): Promise<ReplicateKeyResponse>;
  updatePrimaryRegion(input: UpdatePrimaryRegionRequest, options?: KmsCallOptions): Promise<void>;
}
