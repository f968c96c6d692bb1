/**
 * Parsers of the CLI's flag and argument values, run by commander while it parses, before any KMS call: each
 * returns the typed value or throws commander's InvalidArgumentError, which commander turns into one line naming
 * the flag (`error: option '--size <bits>' argument '1000' is invalid. …`), exit code 2. The rules themselves
 * (kid syntax, the algs, RSA sizes, deletion windows) are the provider's, imported from the domain.
 */
import { InvalidArgumentError as CommanderArgumentError } from 'commander';
import { isKid } from '../domain/alias-names.js';
import { callerHeaders } from '../domain/jose-header.js';
import { jwtClaims } from '../domain/jwt-claims.js';
import { timeSpanSeconds } from '../domain/time-span.js';
import { isRecord } from '../domain/validation.js';
import { RSA_SIZES, SUPPORTED_ALGS, algOfJoseName, type SupportedAlg } from '../domain/spec-mapping.js';

export type BackendName = 'simulator' | 'aws';
export const BACKENDS: readonly BackendName[] = ['simulator', 'aws'];
export const DEFAULT_ACCOUNT_ID = '111122223333';
export const DEFAULT_SIMULATOR_REGION = 'us-east-1';
export const DEFAULT_STATE_DIR = './.kms-sim';
export const STATE_DIR_ENV = 'KMS_SIM_STATE_DIR';
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 4599;
export const DEFAULT_JWKS_MAX_AGE = 300;
/** `jwks --include`, `serve --jwks-include`: which versions a JWKS publishes (the provider's one list). */
export { JWKS_INCLUDES } from '../provider/key-reader.js';

/** `--alg`: a KeyAlg this provider creates, case-insensitive (`rsa_pss_sha256` works). */
export function parseAlg(value: string): SupportedAlg {
  const alg = SUPPORTED_ALGS.find((name) => name === value.toUpperCase());
  if (alg === undefined) {
    const named = algOfJoseName(value);
    const hint = named === undefined ? '' : ` ${value} is the JOSE name of ${named}.`;
    throw new CommanderArgumentError(`Unknown alg '${value}'; valid: ${SUPPORTED_ALGS.join(', ')}.${hint}`);
  }
  return alg;
}

/** `--size`: an RSA size, 2048, 3072 or 4096. */
export function parseRsaSize(value: string): number {
  const size = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(RSA_SIZES as readonly number[]).includes(size)) {
    throw new CommanderArgumentError(`RSA key sizes are ${RSA_SIZES.join(', ')} bits.`);
  }
  return size;
}

/** `<kid>`: 16 lowercase hex characters. */
export function parseKid(value: string): string {
  if (!isKid(value)) throw new CommanderArgumentError('A kid is 16 lowercase hex characters (e.g. 3f2a9c0d1b7e4a55).');
  return value;
}

/** `--version`: a version number, an integer >= 1. */
export function parseVersion(value: string): number {
  return integer(value, 1, Number.MAX_SAFE_INTEGER, 'A version is an integer >= 1.');
}

/** `--window-days`: the KMS deletion waiting period, 7–30 days. */
export function parseWindowDays(value: string): number {
  return integer(value, 7, 30, 'The deletion window is 7 to 30 days.');
}

/** `--port`: 0 (a free port) to 65535. */
export function parsePort(value: string): number {
  return integer(value, 0, 65_535, 'A port is 0 (any free port) to 65535.');
}

/** `--jwks-max-age`: seconds, 0 or more. */
export function parseSeconds(value: string): number {
  return integer(value, 0, 31_536_000, 'Seconds: an integer from 0 to 31536000.');
}

/** `--ui-log-size`: how many requests the console's log keeps, 1–100000. */
export function parseLogSize(value: string): number {
  return integer(value, 1, 100_000, 'The request log size is an integer from 1 to 100000.');
}

/** `--account-id`: 12 digits. */
export function parseAccountId(value: string): string {
  if (!/^\d{12}$/.test(value)) throw new CommanderArgumentError('An AWS account ID is 12 digits.');
  return value;
}

/** `--tag k=v`, repeatable: collects the tags; a key given twice, or no `=`, or an empty key is refused. */
export function collectTag(value: string, previous: Record<string, string> | undefined): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new CommanderArgumentError("A tag is key=value with a non-empty key (e.g. --tag team=identity).");
  const key = value.slice(0, at);
  const tags = { ...previous };
  if (Object.hasOwn(tags, key)) throw new CommanderArgumentError(`Tag '${key}' is given twice.`);
  tags[key] = value.slice(at + 1);
  return tags;
}


function integer(value: string, min: number, max: number, rule: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new CommanderArgumentError(rule);
  return n;
}

/** `--claims`: a JSON object of claims, as KmsJwtSigner takes it (no iat/nbf/exp: the flags set those). */
export function parseClaims(value: string): Record<string, unknown> {
  let claims: unknown;
  try {
    claims = JSON.parse(value);
  } catch {
    throw new CommanderArgumentError(`Claims are a JSON object, e.g. '{"sub":"alice","aud":"api"}'.`);
  }
  const timeFlags: Record<string, string> = { iat: 'the current time', nbf: '--not-before', exp: '--expires-in' };
  const timeClaim = isRecord(claims) ? Object.keys(timeFlags).find((claim) => Object.hasOwn(claims, claim)) : undefined;
  if (timeClaim !== undefined) throw new CommanderArgumentError(`Claim '${timeClaim}' is set from ${timeFlags[timeClaim]}; leave it out of --claims.`);
  try {
    jwtClaims(claims, { iat: 0, exp: 1 });
  } catch (error) {
    throw new CommanderArgumentError(`${(error as Error).message.replace(/^payload/, 'Claims')}.`);
  }
  return claims as Record<string, unknown>;
}

/** `--expires-in`, `--not-before`: whole seconds or a jose time span ('10m', '2h', '7d'). */
export function parseTimeSpan(value: string): number {
  try {
    return timeSpanSeconds(/^\d+$/.test(value) ? Number(value) : value, 'A time');
  } catch (error) {
    throw new CommanderArgumentError(`${(error as Error).message}.`);
  }
}

/** `--expires-in`: a time as parseTimeSpan reads it, more than 0. */
export function parseLifetime(value: string): number {
  const seconds = parseTimeSpan(value);
  if (seconds === 0) throw new CommanderArgumentError('A token lifetime is more than 0 seconds.');
  return seconds;
}

/** `--header k=v`, repeatable: extra JWS header members (strings); alg, kid and the refused members are refused. */
export function collectHeader(value: string, previous: Record<string, string> | undefined): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new CommanderArgumentError('A header is name=value with a non-empty name (e.g. --header typ=at+jwt).');
  const name = value.slice(0, at);
  const headers = { ...previous };
  if (Object.hasOwn(headers, name)) throw new CommanderArgumentError(`Header '${name}' is given twice.`);
  headers[name] = value.slice(at + 1);
  try {
    callerHeaders(headers);
  } catch (error) {
    throw new CommanderArgumentError(`${(error as Error).message}.`);
  }
  return headers;
}
