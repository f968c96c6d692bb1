/**
 * The JWK kid of a key version, `<kid>.<version>` (what `jwkKid` in key-ref.ts writes and what a JWS header's
 * `kid` carries), read back: the 16-hex kid and the version number.
 */
import { InvalidArgumentError } from './errors.js';
import { describe } from './validation.js';

export interface ParsedJwkKid {
  kid: string;
  version: number;
}

const JWK_KID = /^([0-9a-f]{16})\.([1-9][0-9]*)$/;

/**
 * `'3f2a9c0d1b7e4a55.2'` → `{ kid: '3f2a9c0d1b7e4a55', version: 2 }`. The kid is 16 lowercase hex characters;
 * the version an integer ≥ 1 without leading zeros, at most Number.MAX_SAFE_INTEGER. Anything else is an
 * InvalidArgumentError naming the expected form.
 */
export function parseJwkKid(jwkKid: unknown): ParsedJwkKid {
  const match = typeof jwkKid === 'string' ? JWK_KID.exec(jwkKid) : null;
  const version = match ? Number(match[2]) : Number.NaN;
  if (!match || !Number.isSafeInteger(version)) {
    throw new InvalidArgumentError(
      `A JWK kid is '<kid>.<version>': a kid of 16 lowercase hex characters, '.', and a version from 1 to ` +
        `${Number.MAX_SAFE_INTEGER} without leading zeros (e.g. '3f2a9c0d1b7e4a55.2'); got ${describe(jwkKid)}`,
    );
  }
  return { kid: match[1]!, version };
}
