/**
 * KmsJwtSigner: compact JWTs and JWSs signed by AWS KMS with the keys a KmsKeyProvider manages. The private key
 * never leaves KMS. Per token: the kid is resolved once to one concrete KMS key (`provider.signingKey`), whose
 * version names the header's `kid` (`<kid>.<version>`, the JWK kid verifiers find in the JWKS) and whose JOSE alg
 * is the header's `alg`; then KMS Sign with exactly that key (`provider.sign`, which checks the KeyId KMS answers).
 * Every argument is checked before the first KMS call.
 */
import { toBase64Url, utf8 } from '../codec/bytes.js';
import { validateKid } from '../domain/alias-names.js';
import { InvalidArgumentError, type KeyProviderError } from '../domain/errors.js';
import { callerHeaders, protectedHeader } from '../domain/jose-header.js';
import { jwtClaims, jwtTimes } from '../domain/jwt-claims.js';
import { describe, isRecord, validateBytes } from '../domain/validation.js';
import type { KmsKeyProvider } from '../provider/kms-key-provider.js';
import type { SigningKey } from '../provider/key-signing.js';
import { joseSignature } from './jose-signature.js';
import { kmsMessageFor } from './kms-message.js';

/** What the signer needs of a provider: a KmsKeyProvider or AwsKmsKeyProvider (or anything with these methods). */
export type KmsJwtSignerProvider = Pick<KmsKeyProvider, 'signingKey' | 'sign' | 'getPublicJwk'>;

export interface KmsJwtSignerOptions {
  provider: KmsJwtSignerProvider;
  /** The clock, milliseconds since the epoch (default `Date.now`): `iat` is its whole seconds. */
  now?: () => number;
}

export interface SignJwsOptions {
  /**
   * Extra JWS Protected Header members (e.g. `typ`, `cty`, or your own). `alg` and `kid` are the signer's;
   * `crit`, `b64`, `enc`, `zip`, `jwk`, `jku`, `x5c`, `x5u`, `x5t`, `x5t#S256` are refused.
   */
  headers?: Record<string, unknown>;
}

export interface SignJwtOptions extends SignJwsOptions {
  /** Lifetime: seconds, or a jose time span (`'10m'`, `'2h'`, `'7d'`); exp = iat + expiresIn. Required, > 0. */
  expiresIn: number | string;
  /** Seconds (or a time span) after iat before the token is valid; nbf = iat + notBefore. Less than expiresIn. */
  notBefore?: number | string;
  /** iat in whole seconds since the epoch; default now. */
  issuedAt?: number;
}

const SIGNER_OPTIONS = ['provider', 'now'];
const PROVIDER_METHODS = ['signingKey', 'sign', 'getPublicJwk'] as const;
const JWS_OPTIONS = ['headers'];
const JWT_OPTIONS = ['expiresIn', 'notBefore', 'issuedAt', 'headers'];

export class KmsJwtSigner {
  readonly #provider: KmsJwtSignerProvider;
  readonly #now: () => number;

  constructor(options: KmsJwtSignerOptions) {
    const checked = knownOptions(options, 'KmsJwtSigner options', SIGNER_OPTIONS, true);
    const provider = checked.provider;
    const missing = isRecord(provider)
      ? PROVIDER_METHODS.filter((name) => typeof (provider as Record<string, unknown>)[name] !== 'function')
      : PROVIDER_METHODS;
    if (missing.length > 0) {
      throw new InvalidArgumentError(
        `options.provider must be a key provider (KmsKeyProvider, AwsKmsKeyProvider) with ${PROVIDER_METHODS.join(', ')}; ` +
          `got ${describe(provider)}${isRecord(provider) ? ` without ${missing.join(', ')}` : ''}`,
      );
    }
    if (checked.now !== undefined && typeof checked.now !== 'function') {
      throw new InvalidArgumentError(`options.now must be a function returning milliseconds since the epoch; got ${describe(checked.now)}`);
    }
    this.#provider = provider as KmsJwtSignerProvider;
    this.#now = (checked.now as (() => number) | undefined) ?? Date.now;
  }

  /**
   * A compact JWT (`header.claims.signature`) signed by the latest version of `kid`: header
   * `{ alg, kid: '<kid>.<version>', typ: 'JWT', …headers }`, claims `{ …payload, iat, nbf?, exp }`.
   *
   * @throws InvalidArgumentError for a bad kid, payload, option or header (before any KMS call), and for an EdDSA
   *   token over KMS's 4 096-byte limit.
   * @throws KeyNotFoundError, InvalidKeyStateError, UnsupportedOperationError, KmsError as provider.signingKey and
   *   provider.sign do.
   */
  async signJwt(kid: string, payload: Record<string, unknown>, options: SignJwtOptions): Promise<string> {
    validateKid(kid);
    const checked = knownOptions(options, 'options', JWT_OPTIONS, true);
    const headers = callerHeaders(checked.headers);
    const claims = jwtClaims(payload, jwtTimes(this.#nowSeconds(), checked));
    return this.#sign(kid, utf8(JSON.stringify(claims)), headers, 'JWT');
  }

  /** A compact JWS over arbitrary payload bytes, header `{ alg, kid: '<kid>.<version>', …headers }`. */
  async signJws(kid: string, payload: Uint8Array, options?: SignJwsOptions): Promise<string> {
    validateKid(kid);
    validateBytes(payload, 'payload');
    const checked = knownOptions(options, 'options', JWS_OPTIONS, false);
    return this.#sign(kid, payload, callerHeaders(checked.headers), undefined);
  }

  /**
   * Resolves the kid and signs. A key KMS refuses as disabled or pending deletion (a cached resolution gone stale:
   * another process rotated or retired the version) is resolved once more, afresh; a different key then signs.
   */
  async #sign(kid: string, payload: Uint8Array, headers: Record<string, unknown>, typ: string | undefined): Promise<string> {
    const encodedPayload = toBase64Url(payload);
    const key = await this.#provider.signingKey(kid);
    try {
      return await this.#signWith(key, encodedPayload, headers, typ);
    } catch (error) {
      if ((error as KeyProviderError | null)?.code !== 'ERR_INVALID_KEY_STATE') throw error;
      const fresh = await this.#provider.signingKey(kid, { fresh: true });
      if (fresh.keyId === key.keyId) throw error;
      return this.#signWith(fresh, encodedPayload, headers, typ);
    }
  }

  async #signWith(key: SigningKey, encodedPayload: string, headers: Record<string, unknown>, typ: string | undefined): Promise<string> {
    const signingInput = `${toBase64Url(utf8(JSON.stringify(protectedHeader(key, headers, typ))))}.${encodedPayload}`;
    const { message, messageType } = await kmsMessageFor(key, utf8(signingInput), () =>
      this.#provider.getPublicJwk(key.kid, key.version),
    );
    const signature = await this.#provider.sign(key, message, { messageType });
    return `${signingInput}.${toBase64Url(joseSignature(key, signature))}`;
  }

  #nowSeconds(): number {
    const ms = this.#now();
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new InvalidArgumentError(`options.now() must return milliseconds since the epoch; got ${describe(ms)}`);
    }
    return Math.floor(ms / 1000);
  }
}

/** `value` as an options object (required or optional) with no member outside `allowed`. */
function knownOptions(value: unknown, name: string, allowed: readonly string[], required: boolean): Record<string, unknown> {
  if (value === undefined && !required) return {};
  if (!isRecord(value)) throw new InvalidArgumentError(`${name} must be an object with ${allowed.join(', ')}; got ${describe(value)}`);
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw new InvalidArgumentError(`Unknown ${name} member(s): ${unknown.join(', ')} (allowed: ${allowed.join(', ')})`);
  }
  return value;
}
