/**
 * Key generation for every KMS KeySpec the simulator creates (docs/kms-behaviour.md §7): raw secrets for
 * symmetric and HMAC keys, PKCS#8 + SPKI pairs for RSA, the NIST curves and Ed25519 (WebCrypto), secp256k1 and
 * ML-DSA (@noble). The private bytes go straight into the store; nothing here keeps them.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { KmsKeySpec } from '../../../ports/kms.port.js';
import { RSA_MODULUS_BITS } from '../model/key-spec-table.js';
import type { KeyMaterial } from '../store/simulator-store.js';
import { ECDSA_CURVES, ML_DSA, isMlDsa } from './curves.js';
import { mlDsaPkcs8, mlDsaSpki, secp256k1Pkcs8, secp256k1Spki } from './key-encoding.js';

const SECRET_LENGTH: Partial<Record<KmsKeySpec, number>> = {
  SYMMETRIC_DEFAULT: 32,
  HMAC_224: 28,
  HMAC_256: 32,
  HMAC_384: 48,
  HMAC_512: 64,
};

/** Generates fresh key material for a KMS KeySpec. SM2 (China Regions only) is refused with a plain Error. */
export async function generateKeyMaterial(spec: KmsKeySpec, crypto: Crypto): Promise<KeyMaterial> {
  const secretLength = SECRET_LENGTH[spec];
  if (secretLength !== undefined) return { spec, secret: crypto.getRandomValues(new Uint8Array(secretLength)) };

  const modulusLength = RSA_MODULUS_BITS[spec];
  if (modulusLength !== undefined) {
    const params: RsaHashedKeyGenParams = {
      name: 'RSASSA-PKCS1-v1_5',
      hash: 'SHA-256',
      modulusLength,
      publicExponent: Uint8Array.of(1, 0, 1),
    };
    return exportPair(spec, crypto, await crypto.subtle.generateKey(params, true, ['sign', 'verify']));
  }
  const ec = ECDSA_CURVES[spec];
  if (ec?.namedCurve !== undefined) {
    const params = { name: 'ECDSA', namedCurve: ec.namedCurve };
    return exportPair(spec, crypto, await crypto.subtle.generateKey(params, true, ['sign', 'verify']));
  }
  if (spec === 'ECC_SECG_P256K1') {
    const seed = crypto.getRandomValues(new Uint8Array(secp256k1.lengths.seed as number));
    const scalar = secp256k1.utils.randomSecretKey(seed); // seed reduced mod n (FIPS 186-5 A.2.1)
    const point = secp256k1.getPublicKey(scalar, false);
    return { spec, secret: secp256k1Pkcs8(scalar, point), publicKey: secp256k1Spki(point) };
  }
  if (spec === 'ECC_NIST_EDWARDS25519') {
    return exportPair(spec, crypto, await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']));
  }
  if (isMlDsa(spec)) {
    const seed = crypto.getRandomValues(new Uint8Array(32));
    const { publicKey } = ML_DSA[spec].keygen(seed);
    return { spec, secret: mlDsaPkcs8(spec, seed), publicKey: mlDsaSpki(spec, publicKey) };
  }
  throw new Error(`unsupported key spec ${spec}`);
}

async function exportPair(spec: KmsKeySpec, crypto: Crypto, pair: CryptoKeyPair): Promise<KeyMaterial> {
  const [secret, publicKey] = await Promise.all([
    crypto.subtle.exportKey('pkcs8', pair.privateKey),
    crypto.subtle.exportKey('spki', pair.publicKey),
  ]);
  return { spec, secret: new Uint8Array(secret), publicKey: new Uint8Array(publicKey) };
}
