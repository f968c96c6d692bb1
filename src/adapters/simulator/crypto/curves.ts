import type { ECDSA } from '@noble/curves/abstract/weierstrass.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { ml_kem512, ml_kem768, ml_kem1024 } from '@noble/post-quantum/ml-kem.js';
import type { KmsKeySpec } from '../../../ports/kms.port.js';
import type { MlDsaSpec, MlKemSpec } from './key-encoding.js';

/** The elliptic curves, ML-DSA and ML-KEM parameter sets behind the KMS key specs (docs/kms-behaviour.md §7). */

export interface EcdsaCurve {
  curve: ECDSA;
  /** WebCrypto name; absent for secp256k1, which WebCrypto lacks. */
  namedCurve?: 'P-256' | 'P-384' | 'P-521';
  /** Byte length of r, s and the private scalar. */
  size: number;
}
export const ECDSA_CURVES: Partial<Record<KmsKeySpec, EcdsaCurve>> = {
  ECC_NIST_P256: { curve: p256, namedCurve: 'P-256', size: 32 },
  ECC_NIST_P384: { curve: p384, namedCurve: 'P-384', size: 48 },
  ECC_NIST_P521: { curve: p521, namedCurve: 'P-521', size: 66 },
  ECC_SECG_P256K1: { curve: secp256k1, size: 32 },
};
export const ML_DSA = { ML_DSA_44: ml_dsa44, ML_DSA_65: ml_dsa65, ML_DSA_87: ml_dsa87 } as const;
export type MlDsa = (typeof ML_DSA)[MlDsaSpec];
export const isMlDsa = (spec: KmsKeySpec): spec is MlDsaSpec => spec in ML_DSA;
export const ML_KEM = { ML_KEM_512: ml_kem512, ML_KEM_768: ml_kem768, ML_KEM_1024: ml_kem1024 } as const;
export const isMlKem = (spec: KmsKeySpec): spec is MlKemSpec => spec in ML_KEM;
