/**
 * The options of the provider core and of its methods: the types, the one list of option names, and the checks
 * of the constructor options that are about options themselves (unknown names, the key policy).
 */
import { InvalidArgumentError } from '../domain/errors.js';
import { describe, isRecord } from '../domain/validation.js';
import type { JwksInclude } from './key-reader.js';
import type { ProviderCacheOptions } from './provider-cache.js';
import type { ProviderKms } from './provider-kms.js';
import type { RetryOptions } from './retry-policy.js';

export interface KmsKeyProviderOptions {
  /**
   * The KMS behind the provider: a `SimulatedKms`, an `AwsSdkKms`, or any other KmsPort — or any object with the
   * operations the provider calls (PROVIDER_KMS_OPERATIONS, checked by the constructor).
   */
  kms: ProviderKms;
  /** Alias namespace, default `swarmauri`; leading and trailing `/` are trimmed. */
  aliasPrefix?: string;
  /** Default deletion window of `destroyKey`, 7–30 days, default 30. */
  pendingWindowInDays?: number;
  /** Key policy for CreateKey: a JSON string or an object (serialised). */
  keyPolicy?: string | Record<string, unknown>;
  /** CSPRNG fill function (like `crypto.getRandomValues`), default the platform's WebCrypto. */
  getRandomValues?: (bytes: Uint8Array<ArrayBuffer>) => unknown;
  /**
   * What the provider remembers of KMS between calls (see ProviderCacheOptions): public keys and tags forever,
   * alias resolutions and key states for `ttlMs` (default 30 s). `false`: every lookup asks KMS.
   */
  cache?: false | ProviderCacheOptions;
  /** Most independent KMS requests in flight at once (jwks, listVersions, destroyKey …), 1–64, default 8. */
  concurrency?: number;
  /**
   * Retries of transient KMS failures (throttling, internal, dependency timeout, network): capped exponential
   * backoff with full jitter, default 3 attempts. Not applied over a port that retries itself (AwsSdkKms: the
   * SDK's `maxAttempts`/`retryMode` do it). `false`: one attempt.
   */
  retry?: false | RetryOptions;
}

export interface RotateOverrides {
  /** RSA only; default: the size of the current version. */
  sizeBits?: number;
  /** Default: the current label; `null` or `''` drops it. */
  label?: string | null;
  /**
   * Default true: the new version becomes the latest (it signs from now on). `false` pre-publishes it: its `/vN`
   * alias and Enabled key (so `jwks({ include: 'enabled' })` publishes it) without moving the latest alias, so
   * verifiers learn the key before it signs; `activateVersion(kid, version)` makes it the latest later.
   */
  activate?: boolean;
}

export interface GetKeyOptions {
  /** Accepted for interface compatibility; KMS keys never yield material. */
  includeSecret?: boolean;
}

export interface DestroyKeyOptions {
  /** KMS waiting period, 7–30 days; default the provider's `pendingWindowInDays`. */
  pendingWindowInDays?: number;
}

export interface JwksOptions {
  /** Only kids starting with this string. */
  prefixKids?: string;
  /**
   * `'latest'` (default): one key per kid, the one its latest alias targets. `'enabled'`: every Enabled version of
   * every kid (JWK kid `<kid>.<version>`), so tokens signed before a rotation keep verifying and pre-published
   * versions are known before they sign; retired and pending-deletion versions never.
   */
  include?: JwksInclude;
  /**
   * Also publish, for each signing key version, a self-signed X.509 certificate of its public key signed by KMS
   * (`x5c`, one base64 DER certificate, subject = issuer = `CN=<kid>.<version>`, valid 365 days) and its SHA-256
   * thumbprint (`x5t#S256`). Issued once per key (one KMS Sign), cached, re-issued after 335 days; encryption keys
   * (RSA-OAEP) have none. Default false.
   */
  x5c?: boolean;
}

export interface HkdfOptions {
  salt: Uint8Array;
  info: Uint8Array;
  length: number;
}

export function policyText(policy: unknown): string | undefined {
  if (policy === undefined) return undefined;
  if (typeof policy === 'string') {
    try {
      JSON.parse(policy);
    } catch {
      throw new InvalidArgumentError('keyPolicy must be a JSON document (string or object)');
    }
    return policy;
  }
  if (isRecord(policy)) return JSON.stringify(policy);
  throw new InvalidArgumentError(`keyPolicy must be a JSON string or an object; got ${describe(policy)}`);
}

/** Every option of the provider core (the compiler keeps the list complete). */
export const PROVIDER_OPTION_NAMES: Readonly<Record<keyof KmsKeyProviderOptions, true>> = {
  kms: true,
  aliasPrefix: true,
  pendingWindowInDays: true,
  keyPolicy: true,
  getRandomValues: true,
  cache: true,
  concurrency: true,
  retry: true,
};

/** An option the provider does not know (say `alias_prefix`) is an error, not silently ignored. */
export function refuseUnknownOptions(options: Record<string, unknown>): void {
  const unknown = Object.keys(options).filter((name) => !Object.hasOwn(PROVIDER_OPTION_NAMES, name));
  if (unknown.length === 0) return;
  const hints = unknown
    .map((name) => [name, name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] as const)
    .filter(([name, camel]) => camel !== name && Object.hasOwn(PROVIDER_OPTION_NAMES, camel))
    .map(([name, camel]) => `${name} → ${camel}`);
  throw new InvalidArgumentError(
    `Unknown option(s): ${unknown.join(', ')} (allowed: ${Object.keys(PROVIDER_OPTION_NAMES).join(', ')})` +
      (hints.length > 0 ? `; did you mean ${hints.join(', ')}?` : ''),
  );
}
