import type { KmsDataKeyPairSpec, KmsKeySpec } from '../../../ports/kms.port.js';
import { unsupported } from '../model/exceptions.js';

/**
 * Which data key pairs GenerateDataKeyPair(WithoutPlaintext) makes, and where (docs/kms-behaviour.md §9.1): one row
 * per DataKeyPairSpec of the model. A pair is made like the private material of the KMS key spec named in its row
 * (crypto/key-generation.ts), so a data key pair and a KMS key of that spec have the same encodings; SM2 is made
 * by node:crypto and only in the China Regions, as in AWS; ML-KEM pairs are made like ML-KEM KMS keys (PKCS#8
 * holding the 64-byte seed, SPKI of the encapsulation key).
 */
export type DataKeyPairSource = { readonly make: 'key-spec'; readonly keySpec: KmsKeySpec } | { readonly make: 'sm2' };

const like = (keySpec: KmsKeySpec): DataKeyPairSource => ({ make: 'key-spec', keySpec });

export const DATA_KEY_PAIR_SOURCES: Readonly<Record<KmsDataKeyPairSpec, DataKeyPairSource>> = {
  RSA_2048: like('RSA_2048'),
  RSA_3072: like('RSA_3072'),
  RSA_4096: like('RSA_4096'),
  ECC_NIST_P256: like('ECC_NIST_P256'),
  ECC_NIST_P384: like('ECC_NIST_P384'),
  ECC_NIST_P521: like('ECC_NIST_P521'),
  ECC_SECG_P256K1: like('ECC_SECG_P256K1'),
  SM2: { make: 'sm2' },
  ECC_NIST_EDWARDS25519: like('ECC_NIST_EDWARDS25519'),
  ML_KEM_512: like('ML_KEM_512'),
  ML_KEM_768: like('ML_KEM_768'),
  ML_KEM_1024: like('ML_KEM_1024'),
};

/**
 * How `spec` is made in `region`, or the refusal: SM2 outside the China Regions →
 * `UnsupportedOperationException: KeyPairSpec SM2 is available only in the China Regions.` (a [simulator] text).
 */
export function dataKeyPairSource(spec: KmsDataKeyPairSpec, region: string): DataKeyPairSource {
  const source = DATA_KEY_PAIR_SOURCES[spec];
  if (source.make === 'sm2' && !region.startsWith('cn-')) {
    throw unsupported('KeyPairSpec SM2 is available only in the China Regions.');
  }
  return source;
}
