/** HKDF-SHA256 (RFC 5869), with the Swarmauri limits: length 0…8160 (255 × 32). */
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { InvalidArgumentError } from '../domain/errors.js';
import { describe, integerInRange, validateBytes } from '../domain/validation.js';

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
  return hkdf(sha256, input, saltBytes, infoBytes, size);
}
