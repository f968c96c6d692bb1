/**
 * ML-KEM (FIPS 203) for ENCAPSULATE_DECAPSULATE keys (docs/kms-behaviour.md §19), with @noble/post-quantum over
 * the 64-byte seed the simulator stores (`mlKemPkcs8`). Decapsulation of a ciphertext of the right length never
 * fails: a ciphertext of another key, or an altered one, yields FIPS 203's implicit-rejection value.
 */
import type { KeyMaterial } from '../store/simulator-store.js';
import { ML_KEM } from './curves.js';
import { type MlKemSpec, mlKemSeed } from './key-encoding.js';

/** The ciphertext length of each parameter set (FIPS 203 Table 3). */
export const ML_KEM_CIPHERTEXT_BYTES: Readonly<Record<MlKemSpec, number>> = {
  ML_KEM_512: 768,
  ML_KEM_768: 1088,
  ML_KEM_1024: 1568,
};

/** A fresh shared secret (32 bytes) and its ciphertext under the key's public key; `random` is the 32-byte m. */
export function mlKemEncapsulate(
  spec: MlKemSpec,
  material: KeyMaterial,
  random: Uint8Array,
): { sharedSecret: Uint8Array; ciphertext: Uint8Array } {
  const { publicKey } = ML_KEM[spec].keygen(mlKemSeed(spec, material.secret));
  const { cipherText, sharedSecret } = ML_KEM[spec].encapsulate(publicKey, random);
  return { sharedSecret, ciphertext: cipherText };
}

/** The shared secret of a ciphertext whose length has been checked (`ML_KEM_CIPHERTEXT_BYTES`). */
export function mlKemDecapsulate(spec: MlKemSpec, material: KeyMaterial, ciphertext: Uint8Array): Uint8Array {
  const { secretKey } = ML_KEM[spec].keygen(mlKemSeed(spec, material.secret));
  try {
    return ML_KEM[spec].decapsulate(ciphertext, secretKey);
  } finally {
    secretKey.fill(0);
  }
}
