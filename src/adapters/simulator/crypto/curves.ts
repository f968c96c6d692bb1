import type { ECDSA } from '@noble/curves/abstract/weierstrass.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import type { KmsKeySpec } from '../../../ports/kms.port.js';
import type { MlDsaSpec } from './key-encoding.js';

/** The elliptic curves and ML-DSA parameter sets behind the KMS key specs (docs/kms-behaviour.md §7). */

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
