/**
 * The JWS Protected Header a KMS signer writes (RFC 7515 §4): `alg` and `kid` from the signing key — never the
 * caller's — then `typ`, then the caller's extra members. Members that would change how a verifier processes or
 * keys the token are refused rather than passed on: `crit` and `b64` (RFC 7797 unencoded payloads), the JWE
 * members `enc` and `zip`, and the key references `jwk`, `jku`, `x5c`, `x5u`, `x5t`, `x5t#S256` (the signer
 * names its key by `kid`; a verifier trusting an embedded key is the classic JWS attack).
 */
import { InvalidArgumentError } from './errors.js';
import { checkJsonObject } from './json-object.js';
import { describe } from './validation.js';

/** Members the signer sets from the key: a caller's value is refused, never silently replaced. */
export const SIGNER_HEADER_MEMBERS = ['alg', 'kid'] as const;

/** Members a caller may not set, and why. */
export const REFUSED_HEADER_MEMBERS: Readonly<Record<string, string>> = {
  crit: 'critical extensions change how verifiers process the token',
  b64: 'an unencoded payload (RFC 7797) changes the signing input',
  enc: 'a JWE member, not a JWS one',
  zip: 'a JWE member, not a JWS one',
  jwk: 'the signer names its key by kid, never by an embedded key',
  jku: 'the signer names its key by kid, never by a key URL',
  x5c: 'the signer names its key by kid, never by a certificate',
  x5u: 'the signer names its key by kid, never by a certificate URL',
  x5t: 'the signer names its key by kid, never by a certificate thumbprint',
  'x5t#S256': 'the signer names its key by kid, never by a certificate thumbprint',
};

/** String-valued registered members (RFC 7515 §4.1.9–10). */
const STRING_MEMBERS = ['typ', 'cty'];

/**
 * The caller's extra header members, checked (before any KMS call): undefined → `{}`, else a plain JSON object
 * without the signer's members (`alg`, `kid`) or the refused ones; `typ` and `cty` strings.
 */
export function callerHeaders(headers: unknown): Record<string, unknown> {
  if (headers === undefined) return {};
  const extra = checkJsonObject(headers, 'headers');
  for (const member of Object.keys(extra)) {
    if ((SIGNER_HEADER_MEMBERS as readonly string[]).includes(member)) {
      throw new InvalidArgumentError(`headers.${member} is set by the signer from the signing key and cannot be overridden`);
    }
    if (Object.hasOwn(REFUSED_HEADER_MEMBERS, member)) {
      throw new InvalidArgumentError(
        `headers.${member} is not allowed: ${REFUSED_HEADER_MEMBERS[member]} (refused: ${Object.keys(REFUSED_HEADER_MEMBERS).join(', ')})`,
      );
    }
    if (STRING_MEMBERS.includes(member) && typeof extra[member] !== 'string') {
      throw new InvalidArgumentError(`headers.${member} must be a string; got ${describe(extra[member])}`);
    }
  }
  return extra;
}

/**
 * `{ alg, kid, typ?, …extra }` for a signing key: `typ` (e.g. `'JWT'`) unless the caller's checked headers
 * (`callerHeaders`) set their own, such as `'at+jwt'`.
 */
export function protectedHeader(
  key: { joseAlg: string; jwkKid: string },
  extra: Readonly<Record<string, unknown>>,
  typ?: string,
): Record<string, unknown> {
  return { alg: key.joseAlg, kid: key.jwkKid, ...(typ === undefined ? {} : { typ }), ...extra };
}
