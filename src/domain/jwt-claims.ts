/**
 * The claims set of a JWT the signer issues (RFC 7519 §4.1): the caller's payload, checked, plus `iat`, `nbf` and
 * `exp`, which only the signer writes — from the clock (or `issuedAt`) and the relative `expiresIn`/`notBefore`,
 * so a token's lifetime is always explicit and consistent. A payload that sets `iat`, `nbf` or `exp` itself is
 * refused, naming the option to use instead. The registered claims `iss`, `sub`, `jti` must be strings and `aud`
 * a string or a non-empty array of strings, as verifiers (jose's jwtVerify among them) require.
 */
import { InvalidArgumentError } from './errors.js';
import { checkJsonObject } from './json-object.js';
import { timeSpanSeconds } from './time-span.js';
import { describe } from './validation.js';

/** The time claims and the option that sets each. */
export const TIME_CLAIMS: Readonly<Record<string, string>> = {
  iat: 'issuedAt (default: now)',
  nbf: 'notBefore (nbf = iat + notBefore)',
  exp: 'expiresIn (exp = iat + expiresIn)',
};

export interface JwtTimes {
  iat: number;
  nbf?: number;
  exp: number;
}

export interface JwtTimeOptions {
  /** Seconds (or a jose time span) from `iat` to `exp`; more than 0. Required: absent is refused. */
  expiresIn?: unknown;
  /** Seconds (or a time span) from `iat` to `nbf`; less than expiresIn. Absent: no `nbf`. */
  notBefore?: unknown;
  /** `iat` in seconds since the epoch (an integer ≥ 0); default `nowSeconds`. */
  issuedAt?: unknown;
}

/** iat, nbf and exp of a token issued at `nowSeconds` (whole seconds since the epoch). */
export function jwtTimes(nowSeconds: number, options: JwtTimeOptions): JwtTimes {
  if (options.expiresIn === undefined) {
    throw new InvalidArgumentError("options.expiresIn is required: the token's lifetime in seconds or a time span such as '10m'");
  }
  const expiresIn = timeSpanSeconds(options.expiresIn, 'options.expiresIn');
  if (expiresIn === 0) throw new InvalidArgumentError('options.expiresIn must be more than 0 seconds');
  const iat = options.issuedAt === undefined ? nowSeconds : options.issuedAt;
  if (typeof iat !== 'number' || !Number.isSafeInteger(iat) || iat < 0) {
    throw new InvalidArgumentError(`options.issuedAt must be whole seconds since the epoch (an integer ≥ 0); got ${describe(iat)}`);
  }
  const times: JwtTimes = { iat, exp: iat + expiresIn };
  if (options.notBefore !== undefined) {
    const notBefore = timeSpanSeconds(options.notBefore, 'options.notBefore');
    if (notBefore >= expiresIn) {
      throw new InvalidArgumentError(
        `options.notBefore (${notBefore} s) must be less than options.expiresIn (${expiresIn} s): the token would never be valid`,
      );
    }
    times.nbf = iat + notBefore;
  }
  return times;
}

/** `{ …payload, iat, nbf?, exp }`, after checking the payload (a plain JSON object, see above). */
export function jwtClaims(payload: unknown, times: JwtTimes): Record<string, unknown> {
  const claims = checkJsonObject(payload, 'payload');
  for (const [claim, option] of Object.entries(TIME_CLAIMS)) {
    if (Object.hasOwn(claims, claim)) {
      throw new InvalidArgumentError(`payload.${claim} is set by the signer: use options.${option}`);
    }
  }
  for (const claim of ['iss', 'sub', 'jti']) {
    if (Object.hasOwn(claims, claim) && typeof claims[claim] !== 'string') {
      throw new InvalidArgumentError(`payload.${claim} must be a string; got ${describe(claims[claim])}`);
    }
  }
  if (Object.hasOwn(claims, 'aud')) {
    const aud = claims.aud;
    const valid = typeof aud === 'string' || (Array.isArray(aud) && aud.length > 0 && aud.every((a) => typeof a === 'string'));
    if (!valid) throw new InvalidArgumentError(`payload.aud must be a string or a non-empty array of strings; got ${describe(aud)}`);
  }
  return { ...claims, iat: times.iat, ...(times.nbf === undefined ? {} : { nbf: times.nbf }), exp: times.exp };
}
