/**
 * The `crypto` option of SimulatedKms (docs/kms-behaviour.md §16): `'node'` (the default) for the native
 * node:crypto backend, or a WebCrypto implementation used for everything it did before that option value existed
 * (keys, RAW signatures, random bytes, key IDs). Anything else is refused, naming what is accepted.
 */
import { InvalidArgumentError } from '../../../domain/errors.js';
import type { CryptoBackend } from './crypto-backend.js';
import { NodeCryptoBackend } from './node-backend.js';
import { WebCryptoBackend } from './webcrypto-backend.js';

/**
 * A WebCrypto implementation, as the simulator uses it: `globalThis.crypto`, `node:crypto`'s `webcrypto`, or
 * `@peculiar/webcrypto`'s `Crypto`. Structural, so that the published types need no DOM lib.
 */
export interface WebCryptoImplementation {
  getRandomValues(array: Uint8Array<ArrayBuffer>): unknown;
  randomUUID(): string;
  readonly subtle: object;
}

/** What the `crypto` option takes: `'node'` (native node:crypto, the default) or a WebCrypto implementation. */
export type SimulatorCrypto = 'node' | WebCryptoImplementation;

const ACCEPTED =
  "'node' (the default: node:crypto) or a WebCrypto implementation with getRandomValues, randomUUID and subtle " +
  "(@peculiar/webcrypto's Crypto, globalThis.crypto, node:crypto's webcrypto)";

/** The backend of the `crypto` option; InvalidArgumentError for anything else, naming the valid choices. */
export function cryptoBackend(option: unknown): CryptoBackend {
  if (option === undefined || option === 'node') return new NodeCryptoBackend();
  if (isWebCrypto(option)) return new WebCryptoBackend(option);
  throw new InvalidArgumentError(`SimulatedKms: crypto must be ${ACCEPTED}; got ${describe(option)}`);
}

function isWebCrypto(crypto: unknown): crypto is Crypto {
  const c = crypto as Partial<Crypto> | null | undefined;
  return (
    typeof c === 'object' &&
    c !== null &&
    typeof c.getRandomValues === 'function' &&
    typeof c.randomUUID === 'function' &&
    typeof c.subtle === 'object' &&
    c.subtle !== null
  );
}

/** A short description of a refused value (never its contents beyond a short string). */
function describe(value: unknown): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (value === null) return 'null';
  if (typeof value !== 'object') return `a ${typeof value}`;
  const missing = (['getRandomValues', 'randomUUID', 'subtle'] as const).filter((member) =>
    member === 'subtle'
      ? typeof (value as Record<string, unknown>)[member] !== 'object' || (value as Record<string, unknown>)[member] === null
      : typeof (value as Record<string, unknown>)[member] !== 'function',
  );
  return `an object without ${missing.join(', ')}`;
}
