/**
 * ECDH for KEY_AGREEMENT keys (docs/kms-behaviour.md §18): the peer's SubjectPublicKeyInfo read and checked
 * against the KMS key's curve, and the raw shared secret — the x-coordinate of d·Q (SP 800-56A r3 §5.7.1.2; the
 * NIST curves have cofactor 1) — as node:crypto's diffieHellman computes it. Errors never include key bytes.
 */
import { createPrivateKey, createPublicKey, diffieHellman } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { KmsKeySpec } from '../../../ports/kms.port.js';
import type { KeyMaterial } from '../store/simulator-store.js';

/** OpenSSL's names of the curves of the KEY_AGREEMENT specs the simulator creates. */
export const AGREEMENT_CURVES: Partial<Record<KmsKeySpec, string>> = {
  ECC_NIST_P256: 'prime256v1',
  ECC_NIST_P384: 'secp384r1',
  ECC_NIST_P521: 'secp521r1',
};

/** Why a peer public key is refused: not an SPKI at all, not an EC key, or a key on another curve. */
export type PeerKeyProblem = { readonly problem: 'malformed' | 'not-ec' } | { readonly problem: 'curve'; readonly curve: string };

/** The peer's public key as a KeyObject on `spec`'s curve, or why it is not one. */
export function peerPublicKey(spec: KmsKeySpec, spki: Uint8Array): KeyObject | PeerKeyProblem {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch {
    return { problem: 'malformed' };
  }
  if (key.asymmetricKeyType !== 'ec') return { problem: 'not-ec' };
  const curve = key.asymmetricKeyDetails?.namedCurve ?? 'unknown';
  return curve === AGREEMENT_CURVES[spec] ? key : { problem: 'curve', curve };
}

/** The raw ECDH secret of the KMS key's private key and the (checked) peer key: a fresh array. */
export function ecdhSharedSecret(material: KeyMaterial, peer: KeyObject): Uint8Array {
  const privateKey = createPrivateKey({ key: Buffer.from(material.secret), format: 'der', type: 'pkcs8' });
  return Uint8Array.from(diffieHellman({ privateKey, publicKey: peer }));
}
