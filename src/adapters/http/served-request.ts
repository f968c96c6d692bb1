import type { KmsCaller } from './kms-caller.js';

/**
 * What the endpoint tells an observer (`onKmsRequest` in server-options.ts) about each KMS request it answered:
 * who called, which operation, which key, how it ended and how long it took. Never a member's value other than
 * the key's identifier: no plaintext, ciphertext, message, signature or key material is ever read into it.
 */
export interface ServedKmsRequest {
  /** When the request arrived. */
  readonly time: Date;
  /** The caller of the credential scope (verified when the endpoint verifies signatures); unsigned: both undefined. */
  readonly caller: KmsCaller;
  /** The operation (`CreateKey`), or undefined when the request named none the endpoint knows. */
  readonly operation: string | undefined;
  /** The key the request is about (see requestKeyOf), or undefined when it names none. */
  readonly key: string | undefined;
  /** The HTTP status answered. */
  readonly status: number;
  /** The KMS error name answered (`NotFoundException`), undefined on success. */
  readonly errorName: string | undefined;
  /** From arrival to the answer written, in milliseconds. */
  readonly durationMs: number;
}

/** Receives every KMS request answered; it must be quick (it runs on the request's path) and must not throw. */
export type KmsRequestObserver = (request: ServedKmsRequest) => void;

const MAX_KEY_LENGTH = 256;

/**
 * The key a KMS request is about, for a log: its `KeyId` member; else `TargetKeyId` (CreateAlias, UpdateAlias) or
 * `DestinationKeyId` (ReEncrypt); else the key the answer names for CreateKey. Decrypt without a KeyId names the
 * key inside its ciphertext: the answer's KeyId then, marked as such. Only these identifier members are read.
 */
export function requestKeyOf(operation: string | undefined, input: unknown, output: unknown): string | undefined {
  const member = (value: unknown, name: string): string | undefined => {
    if (typeof value !== 'object' || value === null) return undefined;
    const found = (value as Record<string, unknown>)[name];
    return typeof found === 'string' && found !== '' ? found.slice(0, MAX_KEY_LENGTH) : undefined;
  };
  const named = member(input, 'KeyId') ?? member(input, 'TargetKeyId') ?? member(input, 'DestinationKeyId');
  if (named !== undefined) return named;
  if (operation === 'CreateKey') {
    const metadata = typeof output === 'object' && output !== null ? (output as { KeyMetadata?: unknown }).KeyMetadata : undefined;
    return member(metadata, 'KeyId');
  }
  if (operation === 'Decrypt') {
    const answered = member(output, 'KeyId');
    return answered === undefined ? '(not given: the key named in the ciphertext)' : `${answered} (from the ciphertext)`;
  }
  return undefined;
}
