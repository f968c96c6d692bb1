/**
 * A KMS signature → the JWS signature (RFC 7518 §3): ECDSA comes back from KMS as DER and JOSE wants fixed-width
 * r‖s, each `signing.ecdsaBytes` wide (P-521: 66); RSA, Ed25519 and ML-DSA signatures are already JOSE's bytes.
 * Whatever KMS answered that cannot be a signature of the key is a KmsError, never a token.
 */
import { ecdsaDerToRaw } from '../codec/ecdsa-signature.js';
import { KmsError } from '../domain/errors.js';
import type { SigningKey } from '../provider/key-signing.js';

/** Fixed signature sizes: Ed25519 (RFC 8032) and ML-DSA (FIPS 204 Table 2). */
const SIGNATURE_BYTES: Readonly<Record<string, number>> = {
  EdDSA: 64,
  'ML-DSA-44': 2420,
  'ML-DSA-65': 3309,
  'ML-DSA-87': 4627,
};

export function joseSignature(key: Pick<SigningKey, 'jwkKid' | 'joseAlg' | 'signing'>, signature: Uint8Array): Uint8Array {
  const width = key.signing.ecdsaBytes;
  if (width !== undefined) {
    try {
      return ecdsaDerToRaw(signature, width);
    } catch (error) {
      throw new KmsError(`KMS returned a malformed ${key.joseAlg} signature for ${key.jwkKid}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  const expected = SIGNATURE_BYTES[key.joseAlg];
  if (signature.length === 0 || (expected !== undefined && signature.length !== expected)) {
    throw new KmsError(
      `KMS returned a ${signature.length}-byte ${key.joseAlg} signature for ${key.jwkKid}` +
        (expected === undefined ? '' : `; ${key.joseAlg} signatures are ${expected} bytes`),
    );
  }
  return signature;
}
