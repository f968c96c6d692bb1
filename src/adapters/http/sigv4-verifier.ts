import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { KmsException } from '../kms-exception.js';
import { type KmsCaller, REGION_NAME } from './kms-caller.js';
import { withoutStack } from './without-stack.js';

export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** When given, requests must carry it as `X-Amz-Security-Token`; when absent, they must carry none. */
  sessionToken?: string;
}

const SCHEME = 'AWS4-HMAC-SHA256';
const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const MAX_SKEW_MS = 5 * 60_000;
const INVALID_TOKEN = 'The security token included in the request is invalid.';
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/**
 * Verifies AWS Signature Version 4 (header form, `Authorization: AWS4-HMAC-SHA256 …`) the way AWS does for KMS:
 * - an `Authorization` header is required (else MissingAuthenticationTokenException), well formed, with
 *   `SignedHeaders` that include `host` and are all present (else IncompleteSignatureException);
 * - the access key ID must be that of the configured credentials (or of one of them), and the session token
 *   (`X-Amz-Security-Token`, required exactly when those credentials have
 *   one), must be the configured ones (else UnrecognizedClientException);
 * - `X-Amz-Date` is required; the credential scope must be `<its date>/<region>/kms/aws4_request`, where the
 *   region is the configured one or, for an endpoint serving every Region (no region configured), any Region
 *   name (the signature is then checked for the Region the request names), and
 *   the date within 5 minutes of the server's clock; a given `X-Amz-Content-SHA256` must be the body's hash; and
 *   the signature, recomputed with the secret key over the method, path, query, signed headers and body, must
 *   match (else InvalidSignatureException).
 * All are client faults (400). Presigned URLs (query-string signatures) and SigV4a are not accepted.
 */
export class SigV4Verifier {
  /** The accepted credentials by access key ID, each with the signer of its secret key. */
  readonly #credentials: ReadonlyMap<string, { readonly credentials: SigV4Credentials; readonly signer: SignatureV4 }>;
  readonly #region: string | undefined;
  readonly #now: () => Date;

  /**
   * @param region the Region requests must be scoped to; `undefined`: any Region (an endpoint routing each
   *   request to the KMS of its Region).
   */
  constructor(
    credentials: SigV4Credentials | readonly SigV4Credentials[],
    region: string | undefined,
    now: () => Date = () => new Date(),
  ) {
    const list: readonly SigV4Credentials[] = Array.isArray(credentials) ? credentials : [credentials as SigV4Credentials];
    this.#credentials = new Map(list.map((c) => [c.accessKeyId, { credentials: c, signer: signerOf(c, region) }]));
    this.#region = region;
    this.#now = now;
  }

  /** Resolves with the caller the verified credential scope names; rejects with the KMS error to answer. */
  async verify(req: IncomingMessage, body: Uint8Array): Promise<KmsCaller> {
    const authorization = header(req, 'authorization');
    if (authorization === undefined) {
      throw refusal('MissingAuthenticationTokenException', 'Missing Authentication Token');
    }
    const match = AUTHORIZATION.exec(authorization);
    if (match === null) {
      const scheme = authorization.split(' ')[0];
      throw incomplete(
        scheme === SCHEME
          ? "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters."
          : `Authorization header requires the ${SCHEME} scheme.`,
      );
    }
    const [, credential = '', signedHeaderList = '', signature = ''] = match;
    const [accessKeyId, scopeDate, scopeRegion, scopeService, terminator, ...extra] = credential.split('/');
    if (terminator !== 'aws4_request' || extra.length > 0) throw incomplete('Credential is malformed.');
    const sessionToken = header(req, 'x-amz-security-token');
    const known = this.#credentials.get(accessKeyId ?? '');
    if (known === undefined || sessionToken !== known.credentials.sessionToken) {
      throw refusal('UnrecognizedClientException', INVALID_TOKEN);
    }
    const signedHeaders = signedHeaderList.split(';');
    if (!signedHeaders.includes('host')) throw incomplete("'Host' must be a 'SignedHeader' in the AWS Authorization.");
    const missing = signedHeaders.find((name) => header(req, name) === undefined);
    if (missing !== undefined) throw incomplete(`The signed header '${missing}' is missing from the request.`);

    const amzDate = header(req, 'x-amz-date');
    const signingDate = amzDate === undefined ? undefined : parseAmzDate(amzDate);
    if (amzDate === undefined || signingDate === undefined) throw incomplete('A valid X-Amz-Date header is required.');
    if (scopeDate !== amzDate.slice(0, 8)) throw invalid('Credential should be scoped to the date of X-Amz-Date.');
    if (this.#region === undefined ? !REGION_NAME.test(scopeRegion ?? '') : scopeRegion !== this.#region) {
      throw invalid(`Credential should be scoped to a valid region, not '${scopeRegion}'.`);
    }
    if (scopeService !== 'kms') throw invalid("Credential should be scoped to correct service: 'kms'.");
    this.#checkSkew(amzDate, signingDate);
    const contentHash = header(req, 'x-amz-content-sha256');
    if (contentHash !== undefined && contentHash !== createHash('sha256').update(body).digest('hex')) {
      throw invalid('The provided x-amz-content-sha256 header does not match what was computed.');
    }

    // The signer signs every header given to it (x-amz-date always): its SignedHeaders must be the claimed list.
    const expected = await this.#authorization(known.signer, req, body, signedHeaders, signingDate, scopeRegion as string);
    const sameHeaders = expected.signedHeaders === signedHeaderList;
    if (!timingSafeEqual(Buffer.from(expected.signature, 'hex'), Buffer.from(signature, 'hex')) || !sameHeaders) {
      throw invalid(MISMATCH);
    }
    return { region: scopeRegion as string, accessKeyId: accessKeyId as string };
  }

  #checkSkew(amzDate: string, signingDate: Date): void {
    const now = this.#now();
    const skew = signingDate.getTime() - now.getTime();
    if (skew < -MAX_SKEW_MS) {
      const limit = formatAmzDate(new Date(now.getTime() - MAX_SKEW_MS));
      throw invalid(`Signature expired: ${amzDate} is now earlier than ${limit} (${formatAmzDate(now)} - 5 min.)`);
    }
    if (skew > MAX_SKEW_MS) {
      const limit = formatAmzDate(new Date(now.getTime() + MAX_SKEW_MS));
      throw invalid(
        `Signature not yet current: ${amzDate} is still later than ${limit} (${formatAmzDate(now)} + 5 min.)`,
      );
    }
  }

  /** The SignedHeaders and Signature of this request as the holder of the secret key computes them. */
  async #authorization(
    signer: SignatureV4,
    req: IncomingMessage,
    body: Uint8Array,
    signedHeaders: string[],
    signingDate: Date,
    region: string,
  ): Promise<{ signedHeaders: string; signature: string }> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const values = url.searchParams.getAll(key);
      query[key] = values.length === 1 ? (values[0] as string) : values;
    }
    const headers = Object.fromEntries(signedHeaders.map((name) => [name, header(req, name) as string]));
    const request = { method: req.method ?? 'POST', protocol: 'http:', hostname: 'localhost', path: url.pathname };
    const signed = await signer.sign(
      { ...request, query, headers, body },
      { signingDate, signableHeaders: new Set(signedHeaders), signingRegion: region, signingService: 'kms' },
    );
    const produced = AUTHORIZATION.exec(String(signed.headers['authorization'] ?? ''));
    return { signedHeaders: produced?.[2] ?? '', signature: produced?.[3] ?? '0'.repeat(64) };
  }
}

function signerOf(credentials: SigV4Credentials, region: string | undefined): SignatureV4 {
  return new SignatureV4({
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    region: region ?? 'us-east-1', // every signature is computed with the scope's region (signingRegion)
    service: 'kms',
    sha256: NodeSha256,
    applyChecksum: false,
  });
}

/** A header's value; repeated headers joined by `,` as SigV4 canonicalisation does. */
function header(req: IncomingMessage, name: string): string | undefined {
  const key = name.toLowerCase();
  if (!Object.hasOwn(req.headers, key)) return undefined;
  const value = req.headers[key];
  return Array.isArray(value) ? value.join(',') : value;
}

function parseAmzDate(text: string): Date | undefined {
  const m = AMZ_DATE.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return formatAmzDate(date) === text ? date : undefined;
}

function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** A refused request's KMS error (an answer to the client, so without a stack trace). */
function refusal(name: string, message: string): KmsException {
  return withoutStack(() => new KmsException(name, message));
}

function incomplete(message: string): KmsException {
  return refusal('IncompleteSignatureException', message);
}

function invalid(message: string): KmsException {
  return refusal('InvalidSignatureException', message);
}

/** The SHA-256 / HMAC-SHA-256 the signer needs, from node:crypto. */
class NodeSha256 {
  #hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  readonly #secret: string | Uint8Array | undefined;

  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#secret = secret === undefined ? undefined : toBytes(secret);
    this.#hash = this.#fresh();
  }

  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.#hash.update(toBytes(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }

  reset(): void {
    this.#hash = this.#fresh();
  }

  #fresh() {
    return this.#secret === undefined ? createHash('sha256') : createHmac('sha256', this.#secret);
  }
}

function toBytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}
