/**
 * The Swarmauri alias scheme: `alias/<prefix>/<kid>` (latest) and `alias/<prefix>/<kid>/v<N>` (version N).
 */
import { toHex } from '../codec/bytes.js';
import { InvalidArgumentError } from './errors.js';
import { describe } from './validation.js';

export const DEFAULT_ALIAS_PREFIX = 'swarmauri';
const KID = /^[0-9a-f]{16}$/;
const PREFIX_CHARS = /^[a-zA-Z0-9/_-]+$/;
/** Room left for `alias/` + `/` + kid + `/v` + up to 16 version digits within KMS's 256 characters. */
export const MAX_PREFIX_LENGTH = 256 - 'alias/'.length - 1 - 16 - 2 - 16;

export function isKid(value: unknown): value is string {
  return typeof value === 'string' && KID.test(value);
}

export function validateKid(kid: unknown): string {
  if (isKid(kid)) return kid;
  const jwkKid = typeof kid === 'string' ? /^([0-9a-f]{16})\.(\d+)$/.exec(kid) : null;
  if (jwkKid) {
    throw new InvalidArgumentError(
      `kid must be 16 lowercase hex characters; got the JWK kid '${kid}' (<kid>.<version>): pass '${jwkKid[1]}' and version ${jwkKid[2]}`,
    );
  }
  throw new InvalidArgumentError(`kid must be 16 lowercase hex characters; got ${describe(kid)}`);
}

/** A kid from 8 random bytes (64 bits), as 16 lowercase hex characters. */
export function kidFromRandom(random: Uint8Array): string {
  if (random.length < 8) throw new InvalidArgumentError('a kid needs 8 random bytes');
  return toHex(random.subarray(0, 8));
}

/**
 * The alias prefix with leading and trailing `/` trimmed (`/swarmauri/` → `swarmauri`); alias characters only,
 * no empty segment, not `aws` or under `aws/` (reserved by AWS), short enough for every alias it makes.
 */
export function normalizeAliasPrefix(prefix: unknown): string {
  if (typeof prefix !== 'string') throw new InvalidArgumentError(`aliasPrefix must be a string; got ${describe(prefix)}`);
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  if (trimmed === 'alias' || trimmed.startsWith('alias/')) {
    throw new InvalidArgumentError(
      `aliasPrefix ${describe(prefix)} must not start with 'alias/': the provider adds it (use '${trimmed.slice(6) || 'swarmauri'}')`,
    );
  }
  if (!PREFIX_CHARS.test(trimmed) || trimmed.split('/').includes('')) {
    throw new InvalidArgumentError(
      `aliasPrefix ${describe(prefix)} must be non-empty segments of letters, digits, '_' or '-' separated by '/'`,
    );
  }
  if (trimmed === 'aws' || trimmed.startsWith('aws/')) {
    throw new InvalidArgumentError(`aliasPrefix ${describe(prefix)} is reserved: alias/aws/ names belong to AWS managed keys`);
  }
  if (trimmed.length > MAX_PREFIX_LENGTH) {
    throw new InvalidArgumentError(`aliasPrefix must be at most ${MAX_PREFIX_LENGTH} characters; got ${trimmed.length}`);
  }
  return trimmed;
}

export function latestAliasName(prefix: string, kid: string): string {
  return `alias/${prefix}/${kid}`;
}

export function versionAliasName(prefix: string, kid: string, version: number): string {
  return `alias/${prefix}/${kid}/v${version}`;
}

/** The listing prefix under which every alias of this provider lives. */
export function aliasNamespace(prefix: string): string {
  return `alias/${prefix}/`;
}

export interface ParsedAlias {
  kid: string;
  /** Absent for the latest alias. */
  version?: number;
}

/** Parses an alias of exactly the form `alias/<prefix>/<kid>` or `alias/<prefix>/<kid>/v<N>`, N >= 1; else undefined. */
export function parseAliasName(prefix: string, aliasName: string): ParsedAlias | undefined {
  const namespace = aliasNamespace(prefix);
  if (!aliasName.startsWith(namespace)) return undefined;
  const match = /^([0-9a-f]{16})(?:\/v([1-9][0-9]{0,15}))?$/.exec(aliasName.slice(namespace.length));
  if (!match) return undefined;
  const kid = match[1]!;
  if (match[2] === undefined) return { kid };
  const version = Number(match[2]);
  return Number.isSafeInteger(version) ? { kid, version } : undefined;
}
