/**
 * The KmsPort shapes of the operations that establish shared secrets — DeriveSharedSecret (ECDH), Encapsulate and
 * Decapsulate (ML-KEM) — and of GetKeyLastUsage (type-only, like kms-types.ts).
 */
import type { KmsEncapsulationAlgorithm, KmsKeyAgreementAlgorithm, KmsOrigin } from './kms-types.js';

import type { KmsRecipientInfo } from './kms-envelope-types.js';

export interface DeriveSharedSecretRequest {
  KeyId: string;
  KeyAgreementAlgorithm: KmsKeyAgreementAlgorithm;
  /** The peer's public key: DER SubjectPublicKeyInfo on the KMS key's curve. */
  PublicKey: Uint8Array;
  GrantTokens?: string[];
  DryRun?: boolean;
  Recipient?: KmsRecipientInfo;
}
export interface DeriveSharedSecretResponse {
  /** The key ARN. */
  KeyId: string;
  /** The raw ECDH secret: the x-coordinate of the shared point (32, 48 or 66 bytes). */
  SharedSecret?: Uint8Array;
  CiphertextForRecipient?: Uint8Array;
  KeyAgreementAlgorithm: KmsKeyAgreementAlgorithm;
  KeyOrigin: KmsOrigin;
}

export interface EncapsulateRequest {
  KeyId: string;
  EncapsulationAlgorithm: KmsEncapsulationAlgorithm;
  GrantTokens?: string[];
  DryRun?: boolean;
}
export interface EncapsulateResponse {
  /** The key ARN. */
  KeyId: string;
  /** 32 bytes. */
  SharedSecret: Uint8Array;
  SharedSecretCiphertextBlob: Uint8Array;
  EncapsulationAlgorithm: KmsEncapsulationAlgorithm;
}
export interface DecapsulateRequest {
  KeyId: string;
  SharedSecretCiphertextBlob: Uint8Array;
  EncapsulationAlgorithm: KmsEncapsulationAlgorithm;
  GrantTokens?: string[];
  DryRun?: boolean;
}
export interface DecapsulateResponse {
  /** The key ARN. */
  KeyId: string;
  /** 32 bytes (a pseudo-random value for a ciphertext of another key: implicit rejection). */
  SharedSecret: Uint8Array;
  EncapsulationAlgorithm: KmsEncapsulationAlgorithm;
}

export type KmsKeyLastUsageOperation =
  | 'Decapsulate'
  | 'Decrypt'
  | 'DeriveSharedSecret'
  | 'Encapsulate'
  | 'Encrypt'
  | 'GenerateDataKey'
  | 'GenerateDataKeyPair'
  | 'GenerateDataKeyPairWithoutPlaintext'
  | 'GenerateDataKeyWithoutPlaintext'
  | 'GenerateMac'
  | 'ReEncrypt'
  | 'Sign'
  | 'Verify'
  | 'VerifyMac';
export interface GetKeyLastUsageRequest {
  /** Key ID or key ARN (no alias). */
  KeyId: string;
}
export interface KeyLastUsageData {
  Operation?: KmsKeyLastUsageOperation;
  Timestamp?: Date;
  CloudTrailEventId?: string;
  KmsRequestId?: string;
}
export interface GetKeyLastUsageResponse {
  /** The key ID (not the ARN). */
  KeyId: string;
  /** `{}` when the key has not been used since tracking began. */
  KeyLastUsage: KeyLastUsageData;
  TrackingStartDate: Date;
  KeyCreationDate: Date;
}
