import type { IncomingMessage } from 'node:http';

/**
 * Who is calling the KMS wire endpoint, as far as the request says: the Region and access key ID of the SigV4
 * credential scope in its `Authorization` header (`AWS4-HMAC-SHA256 Credential=<AKID>/<date>/<region>/kms/
 * aws4_request, SignedHeaders=…, Signature=…`). An endpoint serving several Regions or accounts routes each request
 * by it (`kmsFor` in server-options.ts).
 *
 * Parsing is lenient about everything but the credential scope itself, and all-or-nothing: a request without an
 * `Authorization` header, with another scheme, or with a scope that is not exactly five parts with a plausible
 * access key ID, an 8-digit date, a Region name, `kms` and `aws4_request`, counts as unsigned — both members
 * undefined. When SigV4 verification is configured, such a request is refused by the verifier before routing.
 */
export interface KmsCaller {
  /** The Region of the credential scope (such as `eu-west-1`); undefined for an unsigned request. */
  readonly region: string | undefined;
  /** The access key ID of the credential scope; undefined for an unsigned request. */
  readonly accessKeyId: string | undefined;
}

/** What a Region name looks like: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`. */
export const REGION_NAME = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
/** Access key IDs are alphanumeric (AKIA…, ASIA…, or any test value such as a 12-digit account ID). */
const ACCESS_KEY_ID = /^[A-Za-z0-9]{1,128}$/;
const SCOPE_DATE = /^\d{8}$/;
/** `Credential=` as the first parameter of the AWS4-HMAC-SHA256 scheme, up to the next comma or space. */
const CREDENTIAL = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]*)/;
/** Longer headers are not parsed (real ones are a few hundred characters). */
const MAX_AUTHORIZATION_LENGTH = 8192;

export const UNSIGNED: KmsCaller = Object.freeze({ region: undefined, accessKeyId: undefined });

/** The caller of `req` (see KmsCaller); never throws. */
export function callerOf(req: IncomingMessage): KmsCaller {
  const value = req.headers['authorization'];
  return typeof value === 'string' ? callerOfAuthorization(value) : UNSIGNED;
}

/** The caller named by an `Authorization` header value; UNSIGNED unless its credential scope is well formed. */
export function callerOfAuthorization(authorization: string): KmsCaller {
  if (authorization.length > MAX_AUTHORIZATION_LENGTH) return UNSIGNED;
  const credential = CREDENTIAL.exec(authorization)?.[1];
  if (credential === undefined) return UNSIGNED;
  const parts = credential.split('/');
  if (parts.length !== 5) return UNSIGNED;
  const [accessKeyId = '', date = '', region = '', service, terminator] = parts;
  if (service !== 'kms' || terminator !== 'aws4_request') return UNSIGNED;
  if (!ACCESS_KEY_ID.test(accessKeyId) || !SCOPE_DATE.test(date) || !REGION_NAME.test(region)) return UNSIGNED;
  return Object.freeze({ region, accessKeyId });
}
