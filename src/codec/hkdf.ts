/** HKDF-SHA256 (RFC 5869), with the Swarmauri limits: length 0…8160 (255 × 32). */
import { InvalidArgumentError } from '../domain/errors.js';
import { describe, integerInRange, validateBytes } from '../domain/validation.js';
import { SHA256_BYTES, hmacSha256 } from './sha256.js';

export const HKDF_MAX_LENGTH = 255 * 32;

export interface HkdfParams {
  salt: Uint8Array;
  info: Uint8Array;
  length: number;
}

/** Derives `length` bytes; an empty salt is the same as no salt (32 zero bytes). */
export function hkdfSha256(ikm: unknown, params: unknown): Uint8Array {
  const input = validateBytes(ikm, 'ikm');
  if (typeof params !== 'object' || params === null) {
    throw new InvalidArgumentError(`hkdf params must be an object { salt, info, length }; got ${describe(params)}`);
  }
  const { salt, info, length } = params as Partial<Record<keyof HkdfParams, unknown>>;
  const saltBytes = validateBytes(salt, 'salt');
  const infoBytes = validateBytes(info, 'info');
  if (typeof length === 'number' && Number.isInteger(length) && length > HKDF_MAX_LENGTH) {
    throw new InvalidArgumentError(`Cannot derive keys larger than ${HKDF_MAX_LENGTH} octets.`);
  }
  const size = integerInRange(length, 'length', 0, HKDF_MAX_LENGTH);
  if (size === 0) return new Uint8Array(0);
  // Extract (RFC 5869 §2.2), then expand (§2.3): T(i) = HMAC(PRK, T(i-1) | info | i).
  const prk = hmacSha256(saltBytes.length === 0 ? new Uint8Array(SHA256_BYTES) : saltBytes, input);
  const out = new Uint8Array(size);
  let block: Uint8Array = new Uint8Array(0);
  for (let i = 1, offset = 0; offset < size; i++, offset += SHA256_BYTES) {
    block = hmacSha256(prk, block, infoBytes, Uint8Array.of(i));
    out.set(block.subarray(0, Math.min(SHA256_BYTES, size - offset)), offset);
  }
  return out;
}
