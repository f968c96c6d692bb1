/**
 * Key generation for every KMS KeySpec the simulator creates (docs/kms-behaviour.md §7): raw secrets for
 * symmetric and HMAC keys, PKCS#8 + SPKI pairs for RSA, the NIST curves and Ed25519 (the backend: node:crypto's
 * asynchronous generateKeyPair, or WebCrypto), secp256k1, ML-DSA and ML-KEM (@noble, from the backend's random bytes).
 * The private bytes go straight into the store; nothing here keeps them.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { KmsKeySpec } from '../../../ports/kms.port.js';
import { RSA_MODULUS_BITS } from '../model/key-spec-table.js';
import type { KeyMaterial } from '../store/simulator-store.js';
import type { CryptoBackend } from './crypto-backend.js';
import { ECDSA_CURVES, ML_DSA, ML_KEM, isMlDsa, isMlKem } from './curves.js';
import { mlDsaPkcs8, mlDsaSpki, mlKemPkcs8, mlKemSpki, secp256k1Pkcs8, secp256k1Spki } from './key-encoding.js';

const SECRET_LENGTH: Partial<Record<KmsKeySpec, number>> = {
  SYMMETRIC_DEFAULT: 32,
  HMAC_224: 28,
  HMAC_256: 32,
  HMAC_384: 48,
  HMAC_512: 64,
};

/** Generates fresh key material for a KMS KeySpec. SM2 (China Regions only) is refused with a plain Error. */
export async function generateKeyMaterial(spec: KmsKeySpec, backend: CryptoBackend): Promise<KeyMaterial> {
  const secretLength = SECRET_LENGTH[spec];
  if (secretLength !== undefined) return { spec, secret: backend.getRandomValues(new Uint8Array(secretLength)) };

  const modulusLength = RSA_MODULUS_BITS[spec];
  if (modulusLength !== undefined) return pair(spec, await backend.generatePair({ kind: 'rsa', modulusLength }));
  const ec = ECDSA_CURVES[spec];
  if (ec?.namedCurve !== undefined) return pair(spec, await backend.generatePair({ kind: 'ec', namedCurve: ec.namedCurve }));
  if (spec === 'ECC_SECG_P256K1') {
    const seed = backend.getRandomValues(new Uint8Array(secp256k1.lengths.seed as number));
    const scalar = secp256k1.utils.randomSecretKey(seed); // seed reduced mod n (FIPS 186-5 A.2.1)
    const point = secp256k1.getPublicKey(scalar, false);
    return { spec, secret: secp256k1Pkcs8(scalar, point), publicKey: secp256k1Spki(point) };
  }
  if (spec === 'ECC_NIST_EDWARDS25519') return pair(spec, await backend.generatePair({ kind: 'ed25519' }));
  if (isMlDsa(spec)) {
    const seed = backend.getRandomValues(new Uint8Array(32));
    const { publicKey } = ML_DSA[spec].keygen(seed);
    return { spec, secret: mlDsaPkcs8(spec, seed), publicKey: mlDsaSpki(spec, publicKey) };
  }
  if (isMlKem(spec)) {
    const seed = backend.getRandomValues(new Uint8Array(64)); // d ‖ z (FIPS 203 ML-KEM.KeyGen_internal)
    const { publicKey } = ML_KEM[spec].keygen(seed);
    return { spec, secret: mlKemPkcs8(spec, seed), publicKey: mlKemSpki(spec, publicKey) };
  }
  throw new Error(`unsupported key spec ${spec}`);
}

function pair(spec: KmsKeySpec, { pkcs8, spki }: { pkcs8: Uint8Array; spki: Uint8Array }): KeyMaterial {
  return { spec, secret: pkcs8, publicKey: spki };
}
