/**
 * The enum value sets of the KMS API (kms-2014-11-01), each in the order the service lists it in validation
 * messages (`Member must satisfy enum value set: [RSA_2048, …]`). The port's union types name the same values; the
 * compiler checks each list against them.
 */
import type {
  KmsDataKeyPairSpec,
  KmsDataKeySpec,
  KmsEncapsulationAlgorithm,
  KmsIncludeKeyMaterial,
  KmsEncryptionAlgorithm,
  KmsKeyAgreementAlgorithm,
  KmsKeySpec,
  KmsKeyUsage,
  KmsMacAlgorithm,
  KmsMessageType,
  KmsOrigin,
  KmsSigningAlgorithm,
} from '../../ports/kms.port.js';

/** KeySpec. */
export const KEY_SPECS = [
  'RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1',
  'ECC_NIST_EDWARDS25519', 'SYMMETRIC_DEFAULT', 'HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512', 'SM2',
  'ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87', 'ML_KEM_512', 'ML_KEM_768', 'ML_KEM_1024',
] as const satisfies readonly KmsKeySpec[];

/** The deprecated CustomerMasterKeySpec never gained the 2025 specs (Edwards25519, ML-DSA). */
export const CUSTOMER_MASTER_KEY_SPECS = [
  'RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1',
  'SYMMETRIC_DEFAULT', 'HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512', 'SM2',
] as const satisfies readonly KmsKeySpec[];

export const KEY_USAGES = [
  'SIGN_VERIFY', 'ENCRYPT_DECRYPT', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT', 'ENCAPSULATE_DECAPSULATE',
] as const satisfies readonly KmsKeyUsage[];

export const ORIGINS = ['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'] as const satisfies readonly KmsOrigin[];

export const SIGNING_ALGORITHMS = [
  'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512',
  'ECDSA_SHA_256', 'ECDSA_SHA_384', 'ECDSA_SHA_512', 'SM2DSA', 'ML_DSA_SHAKE_256', 'ED25519_SHA_512',
  'ED25519_PH_SHA_512',
] as const satisfies readonly KmsSigningAlgorithm[];

export const MESSAGE_TYPES = ['RAW', 'DIGEST', 'EXTERNAL_MU'] as const satisfies readonly KmsMessageType[];

/** EncryptionAlgorithmSpec. */
export const ENCRYPTION_ALGORITHMS = [
  'SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'SM2PKE',
] as const satisfies readonly KmsEncryptionAlgorithm[];

export const MAC_ALGORITHMS = [
  'HMAC_SHA_224', 'HMAC_SHA_256', 'HMAC_SHA_384', 'HMAC_SHA_512',
] as const satisfies readonly KmsMacAlgorithm[];

/** DataKeySpec of GenerateDataKey. */
export const DATA_KEY_SPECS = ['AES_256', 'AES_128'] as const satisfies readonly KmsDataKeySpec[];

/** KeyAgreementAlgorithmSpec of DeriveSharedSecret. */
export const KEY_AGREEMENT_ALGORITHMS = ['ECDH'] as const satisfies readonly KmsKeyAgreementAlgorithm[];

/** EncapsulationAlgorithmSpec of Encapsulate and Decapsulate. */
export const ENCAPSULATION_ALGORITHMS = ['ML_KEM'] as const satisfies readonly KmsEncapsulationAlgorithm[];
/** IncludeKeyMaterial of ListKeyRotations. */
export const INCLUDE_KEY_MATERIAL = ['ALL_KEY_MATERIAL', 'ROTATIONS_ONLY'] as const satisfies readonly KmsIncludeKeyMaterial[];
/** DataKeyPairSpec of GenerateDataKeyPair(WithoutPlaintext). */
export const DATA_KEY_PAIR_SPECS = [
  'RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'SM2',
  'ECC_NIST_EDWARDS25519', 'ML_KEM_512', 'ML_KEM_768', 'ML_KEM_1024',
] as const satisfies readonly KmsDataKeyPairSpec[];

/** KeyEncryptionAlgorithmSpec of RecipientInfo. */
export const KEY_ENCRYPTION_ALGORITHMS = ['RSAES_OAEP_SHA_256'] as const;

// ---- imported key material (docs/kms-behaviour.md §24) ----
type ImportTypes = import('../../ports/kms.port.js').ImportKeyMaterialRequest;
/** AlgorithmSpec of GetParametersForImport (the SDK's enum; the service refuses some, see rules/import-rules.ts). */
export const WRAPPING_ALGORITHMS = [
  'RSAES_PKCS1_V1_5', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_1', 'RSA_AES_KEY_WRAP_SHA_256', 'SM2PKE',
] as const satisfies readonly import('../../ports/kms.port.js').KmsWrappingAlgorithm[];
/** WrappingKeySpec of GetParametersForImport. */
export const WRAPPING_KEY_SPECS = ['RSA_2048', 'RSA_3072', 'RSA_4096', 'SM2'] as const satisfies readonly import('../../ports/kms.port.js').KmsWrappingKeySpec[];
/** ExpirationModelType of ImportKeyMaterial. */
export const EXPIRATION_MODELS = ['KEY_MATERIAL_EXPIRES', 'KEY_MATERIAL_DOES_NOT_EXPIRE'] as const satisfies readonly NonNullable<ImportTypes['ExpirationModel']>[];
/** ImportType of ImportKeyMaterial. */
export const IMPORT_TYPES = ['NEW_KEY_MATERIAL', 'EXISTING_KEY_MATERIAL'] as const satisfies readonly NonNullable<ImportTypes['ImportType']>[];
