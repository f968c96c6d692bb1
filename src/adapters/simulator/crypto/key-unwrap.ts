/**
 * The wrapping keys of imported key material (docs/kms-behaviour.md §24) and the unwrapping of what
 * ImportKeyMaterial receives, with node:crypto: RSAES_OAEP_SHA_* decrypts the material with the wrapping private
 * key directly; RSA_AES_KEY_WRAP_SHA_* first decrypts a 32-byte AES key with RSA-OAEP (the same hash), then
 * unwraps the material with AES key wrap with padding (RFC 5649, `id-aes256-wrap-pad`). Any failure is
 * `undefined` (the caller answers InvalidCiphertextException); nothing here reveals bytes.
 */
import { constants, createDecipheriv, generateKeyPair, privateDecrypt, type KeyObject } from 'node:crypto';
import type { KmsWrappingAlgorithm } from '../../../ports/kms.port.js';

/** The RFC 5649 alternative initial value (the default of OpenSSL's id-aes256-wrap-pad). */
const KWP_IV = Buffer.from('a65959a6', 'hex');

export interface WrappingKeyPair {
  readonly privateKey: KeyObject;
  /** DER SubjectPublicKeyInfo. */
  readonly publicKey: Uint8Array;
}

/** A fresh RSA wrapping key of `bits` bits. */
export function newWrappingKey(bits: number): Promise<WrappingKeyPair> {
  return new Promise((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: bits, publicExponent: 0x10001 }, (error, publicKey, privateKey) => {
      if (error !== null) reject(error);
      else resolve({ privateKey, publicKey: Uint8Array.from(publicKey.export({ type: 'spki', format: 'der' })) });
    });
  });
}

/** The plaintext key material, or undefined when `wrapped` is not its wrapping by this key and algorithm. */
export function unwrapKeyMaterial(
  algorithm: KmsWrappingAlgorithm,
  privateKey: KeyObject,
  wrapped: Uint8Array,
): Uint8Array | undefined {
  const oaepHash = algorithm.endsWith('SHA_256') ? 'sha256' : 'sha1';
  const oaep = (bytes: Uint8Array): Buffer =>
    privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, bytes);
  try {
    if (algorithm === 'RSAES_OAEP_SHA_1' || algorithm === 'RSAES_OAEP_SHA_256') return Uint8Array.from(oaep(wrapped));
    if (algorithm !== 'RSA_AES_KEY_WRAP_SHA_1' && algorithm !== 'RSA_AES_KEY_WRAP_SHA_256') return undefined;
    const size = (privateKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
    if (wrapped.length <= size) return undefined;
    const aesKey = oaep(wrapped.subarray(0, size));
    if (aesKey.length !== 32) return undefined;
    const decipher = createDecipheriv('id-aes256-wrap-pad', aesKey, KWP_IV);
    const material = Buffer.concat([decipher.update(wrapped.subarray(size)), decipher.final()]);
    aesKey.fill(0);
    return Uint8Array.from(material);
  } catch {
    return undefined;
  }
}
