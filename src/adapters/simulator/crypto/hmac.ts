/** HMAC as GenerateMac and VerifyMac compute it (docs/kms-behaviour.md §7). */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { KmsMacAlgorithm } from '../../../ports/kms.port.js';

const MAC_HASH: Record<KmsMacAlgorithm, string> = {
  HMAC_SHA_224: 'sha224',
  HMAC_SHA_256: 'sha256',
  HMAC_SHA_384: 'sha384',
  HMAC_SHA_512: 'sha512',
};

/** HMAC (RFC 2104) of `message` under the raw key bytes. */
export function computeMac(algorithm: KmsMacAlgorithm, secret: Uint8Array, message: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac(MAC_HASH[algorithm], secret).update(message).digest());
}

/** Constant-time comparison of two MACs (a length difference is not secret). */
export function macEquals(expected: Uint8Array, given: Uint8Array): boolean {
  return expected.length === given.length && timingSafeEqual(expected, given);
}
