/**
 * RSAES-OAEP as KMS encrypts with RSA keys (docs/kms-behaviour.md §7, §9): MGF1 over the same hash, an empty
 * label; the ciphertext is the raw OAEP output. A failure to decrypt is `undefined`, never a detailed error.
 */
import { constants, createPrivateKey, createPublicKey, privateDecrypt, publicEncrypt } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { KmsEncryptionAlgorithm } from '../../../ports/kms.port.js';

export type RsaOaepAlgorithm = Extract<KmsEncryptionAlgorithm, 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256'>;
const OAEP_HASH: Record<RsaOaepAlgorithm, { name: string; bytes: number }> = {
  RSAES_OAEP_SHA_1: { name: 'sha1', bytes: 20 },
  RSAES_OAEP_SHA_256: { name: 'sha256', bytes: 32 },
};

/** The largest plaintext RSAES-OAEP takes: k − 2·hLen − 2 bytes (RFC 8017 §7.1.1), k the modulus length. */
export function rsaOaepMaxPlaintext(modulusBits: number, algorithm: RsaOaepAlgorithm): number {
  return modulusBits / 8 - 2 * OAEP_HASH[algorithm].bytes - 2;
}

/** RSAES-OAEP with MGF1 over the same hash and an empty label, as KMS encrypts. */
export function rsaOaepEncrypt(spki: Uint8Array, algorithm: RsaOaepAlgorithm, plaintext: Uint8Array): Uint8Array {
  const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  return new Uint8Array(publicEncrypt(oaep(key, algorithm), plaintext));
}

/** The plaintext, or undefined when `ciphertext` is not an OAEP ciphertext of this key and hash. */
export function rsaOaepDecrypt(
  pkcs8: Uint8Array,
  algorithm: RsaOaepAlgorithm,
  ciphertext: Uint8Array,
): Uint8Array | undefined {
  const key = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  try {
    return new Uint8Array(privateDecrypt(oaep(key, algorithm), ciphertext));
  } catch {
    return undefined;
  }
}

function oaep(key: KeyObject, algorithm: RsaOaepAlgorithm) {
  return { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[algorithm].name };
}
