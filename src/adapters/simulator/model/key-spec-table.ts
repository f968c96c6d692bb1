import type {
  KmsEncapsulationAlgorithm,
  KmsEncryptionAlgorithm,
  KmsMessageType,
  KmsKeyAgreementAlgorithm,
  KmsKeySpec,
  KmsKeyUsage,
  KmsMacAlgorithm,
  KmsSigningAlgorithm,
} from '../../../ports/kms.port.js';

/**
 * What AWS KMS allows for each KeySpec (docs/kms-behaviour.md §7): the usages a key of that spec may be
 * created with, and the algorithms DescribeKey/GetPublicKey list for each usage, in AWS's order.
 */
export interface KeySpecRules {
  /** Usages allowed at CreateKey. The first is the default only for SYMMETRIC_DEFAULT (others must say). */
  usages: readonly KmsKeyUsage[];
  signing: readonly KmsSigningAlgorithm[];
  encryption: readonly KmsEncryptionAlgorithm[];
  mac: readonly KmsMacAlgorithm[];
  keyAgreement: readonly KmsKeyAgreementAlgorithm[];
  /** ML-KEM only: the key encapsulation algorithms (absent: none). */
  encapsulation?: readonly KmsEncapsulationAlgorithm[];
  /** symmetric | asymmetric | hmac: UpdateAlias only moves between keys of the same type. */
  type: 'symmetric' | 'asymmetric' | 'hmac';
}

const RSA_SIGNING: readonly KmsSigningAlgorithm[] = [
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
];
const RSA_ENCRYPTION: readonly KmsEncryptionAlgorithm[] = ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'];

const rsa: KeySpecRules = {
  usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  signing: RSA_SIGNING,
  encryption: RSA_ENCRYPTION,
  mac: [],
  keyAgreement: [],
  type: 'asymmetric',
};
const ecc = (alg: KmsSigningAlgorithm, agreement: boolean): KeySpecRules => ({
  usages: agreement ? ['SIGN_VERIFY', 'KEY_AGREEMENT'] : ['SIGN_VERIFY'],
  signing: [alg],
  encryption: [],
  mac: [],
  keyAgreement: agreement ? ['ECDH'] : [],
  type: 'asymmetric',
});
const hmac = (alg: KmsMacAlgorithm): KeySpecRules => ({
  usages: ['GENERATE_VERIFY_MAC'],
  signing: [],
  encryption: [],
  mac: [alg],
  keyAgreement: [],
  type: 'hmac',
});
const mlDsa: KeySpecRules = {
  usages: ['SIGN_VERIFY'],
  signing: ['ML_DSA_SHAKE_256'],
  encryption: [],
  mac: [],
  keyAgreement: [],
  type: 'asymmetric',
};
const mlKem: KeySpecRules = {
  usages: ['ENCAPSULATE_DECAPSULATE'],
  signing: [],
  encryption: [],
  mac: [],
  keyAgreement: [],
  encapsulation: ['ML_KEM'],
  type: 'asymmetric',
};

export const KEY_SPEC_RULES: Readonly<Record<KmsKeySpec, KeySpecRules>> = {
  SYMMETRIC_DEFAULT: {
    usages: ['ENCRYPT_DECRYPT'],
    signing: [],
    encryption: ['SYMMETRIC_DEFAULT'],
    mac: [],
    keyAgreement: [],
    type: 'symmetric',
  },
  RSA_2048: rsa,
  RSA_3072: rsa,
  RSA_4096: rsa,
  ECC_NIST_P256: ecc('ECDSA_SHA_256', true),
  ECC_NIST_P384: ecc('ECDSA_SHA_384', true),
  ECC_NIST_P521: ecc('ECDSA_SHA_512', true),
  ECC_SECG_P256K1: ecc('ECDSA_SHA_256', false),
  ECC_NIST_EDWARDS25519: {
    usages: ['SIGN_VERIFY'],
    signing: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'],
    encryption: [],
    mac: [],
    keyAgreement: [],
    type: 'asymmetric',
  },
  HMAC_224: hmac('HMAC_SHA_224'),
  HMAC_256: hmac('HMAC_SHA_256'),
  HMAC_384: hmac('HMAC_SHA_384'),
  HMAC_512: hmac('HMAC_SHA_512'),
  ML_DSA_44: mlDsa,
  ML_DSA_65: mlDsa,
  ML_DSA_87: mlDsa,
  ML_KEM_512: mlKem,
  ML_KEM_768: mlKem,
  ML_KEM_1024: mlKem,
  SM2: {
    usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'KEY_AGREEMENT'],
    signing: ['SM2DSA'],
    encryption: ['SM2PKE'],
    mac: [],
    keyAgreement: ['ECDH'],
    type: 'asymmetric',
  },
};

/** Modulus length in bits of the RSA key specs. */
export const RSA_MODULUS_BITS: Partial<Record<KmsKeySpec, number>> = { RSA_2048: 2048, RSA_3072: 3072, RSA_4096: 4096 };

/** Digest length in bytes of a signing algorithm's hash (for MessageType DIGEST). */
export function digestLength(alg: KmsSigningAlgorithm): number | undefined {
  if (alg.endsWith('_SHA_256') || alg === 'SM2DSA') return 32;
  if (alg.endsWith('_SHA_384')) return 48;
  if (alg.endsWith('_SHA_512')) return 64;
  return undefined; // ML_DSA_SHAKE_256 (EXTERNAL_MU is 64 bytes, handled by the caller)
}

/** ML-DSA's external mu is 64 bytes (FIPS 204). */
export const EXTERNAL_MU_LENGTH = 64;

/**
 * The MessageTypes a signing algorithm takes: ED25519_SHA_512 RAW only, ED25519_PH_SHA_512 DIGEST only,
 * ML_DSA_SHAKE_256 RAW or EXTERNAL_MU (never DIGEST), every other RAW or DIGEST.
 */
export function messageTypesOf(alg: KmsSigningAlgorithm): readonly KmsMessageType[] {
  if (alg === 'ED25519_SHA_512') return ['RAW'];
  if (alg === 'ED25519_PH_SHA_512') return ['DIGEST'];
  if (alg === 'ML_DSA_SHAKE_256') return ['RAW', 'EXTERNAL_MU'];
  return ['RAW', 'DIGEST'];
}
