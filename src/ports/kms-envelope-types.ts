/**
 * The shapes of the envelope-encryption operations (type-only): ReEncrypt, GenerateDataKeyWithoutPlaintext,
 * GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext, in the AWS API's PascalCase members.
 */
import type { GenerateDataKeyRequest, KmsEncryptionAlgorithm } from './kms-types.js';

/** DataKeyPairSpec: the key pairs GenerateDataKeyPair makes (SM2 only in the China Regions). */
export type KmsDataKeyPairSpec =
  | 'RSA_2048'
  | 'RSA_3072'
  | 'RSA_4096'
  | 'ECC_NIST_P256'
  | 'ECC_NIST_P384'
  | 'ECC_NIST_P521'
  | 'ECC_SECG_P256K1'
  | 'SM2'
  | 'ECC_NIST_EDWARDS25519'
  | 'ML_KEM_512'
  | 'ML_KEM_768'
  | 'ML_KEM_1024';

/** The attested enclave a data key is for (type-checked; the simulator ignores it). */
export interface KmsRecipientInfo {
  KeyEncryptionAlgorithm?: 'RSAES_OAEP_SHA_256';
  AttestationDocument?: Uint8Array;
}

export interface ReEncryptRequest {
  CiphertextBlob: Uint8Array;
  SourceEncryptionContext?: Record<string, string>;
  /** Optional for symmetric ciphertexts (the blob names its key), required for asymmetric ones. */
  SourceKeyId?: string;
  DestinationKeyId: string;
  DestinationEncryptionContext?: Record<string, string>;
  SourceEncryptionAlgorithm?: KmsEncryptionAlgorithm;
  DestinationEncryptionAlgorithm?: KmsEncryptionAlgorithm;
  GrantTokens?: string[];
  DryRun?: boolean;
}
export interface ReEncryptResponse {
  CiphertextBlob: Uint8Array;
  /** The key ARN of the source key. */
  SourceKeyId: string;
  /** The key ARN of the destination key. */
  KeyId: string;
  SourceEncryptionAlgorithm: KmsEncryptionAlgorithm;
  DestinationEncryptionAlgorithm: KmsEncryptionAlgorithm;
  /** Only when the source key is symmetric. */
  SourceKeyMaterialId?: string;
  /** Only when the destination key is symmetric. */
  DestinationKeyMaterialId?: string;
}

export type GenerateDataKeyWithoutPlaintextRequest = GenerateDataKeyRequest;
export interface GenerateDataKeyWithoutPlaintextResponse {
  CiphertextBlob: Uint8Array;
  /** The key ARN. */
  KeyId: string;
  KeyMaterialId?: string;
}

export interface GenerateDataKeyPairWithoutPlaintextRequest {
  EncryptionContext?: Record<string, string>;
  KeyId: string;
  KeyPairSpec: KmsDataKeyPairSpec;
  GrantTokens?: string[];
  DryRun?: boolean;
}
export interface GenerateDataKeyPairWithoutPlaintextResponse {
  /** The private key (PKCS#8 DER) encrypted under the KMS key, as Encrypt would: Decrypt opens it. */
  PrivateKeyCiphertextBlob: Uint8Array;
  /** DER SubjectPublicKeyInfo. */
  PublicKey: Uint8Array;
  /** The key ARN. */
  KeyId: string;
  KeyPairSpec: KmsDataKeyPairSpec;
  KeyMaterialId?: string;
}

export interface GenerateDataKeyPairRequest extends GenerateDataKeyPairWithoutPlaintextRequest {
  Recipient?: KmsRecipientInfo;
}
export interface GenerateDataKeyPairResponse extends GenerateDataKeyPairWithoutPlaintextResponse {
  /** The private key, PKCS#8 DER. */
  PrivateKeyPlaintext: Uint8Array;
}
