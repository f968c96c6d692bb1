/**
 * The WebCrypto backend: the implementation given as the `crypto` option (`@peculiar/webcrypto`'s Crypto,
 * `globalThis.crypto`, node:crypto's `webcrypto`) does key generation (then exports PKCS#8 and SPKI), RAW
 * signatures through non-extractable CryptoKeys imported from the stored PKCS#8, random bytes and key IDs.
 * Whether generation blocks the event loop is the implementation's affair (@peculiar/webcrypto's does).
 */
import { ecdsaRawToDer } from '../../../codec/ecdsa-signature.js';
import type {
  CryptoBackend,
  Ed25519Verifier,
  GeneratedPair,
  PairAlgorithm,
  RawSigner,
  RawSigningAlgorithm,
} from './crypto-backend.js';

const WEB_HASH = { sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' } as const;
const HASH_LENGTH = { sha256: 32, sha384: 48, sha512: 64 } as const;

export class WebCryptoBackend implements CryptoBackend {
  readonly name = 'webcrypto';
  readonly #crypto: Crypto;

  constructor(crypto: Crypto) {
    this.#crypto = crypto;
  }

  getRandomValues<T extends Uint8Array>(array: T): T {
    this.#crypto.getRandomValues(array as Uint8Array<ArrayBuffer>);
    return array;
  }

  randomUUID(): string {
    return this.#crypto.randomUUID();
  }

  async generatePair(algorithm: PairAlgorithm): Promise<GeneratedPair> {
    const { subtle } = this.#crypto;
    const params =
      algorithm.kind === 'rsa'
        ? {
            name: 'RSASSA-PKCS1-v1_5',
            hash: 'SHA-256',
            modulusLength: algorithm.modulusLength,
            publicExponent: Uint8Array.of(1, 0, 1),
          }
        : algorithm.kind === 'ec'
          ? { name: 'ECDSA', namedCurve: algorithm.namedCurve }
          : { name: 'Ed25519' };
    const pair = (await subtle.generateKey(params, true, ['sign', 'verify'])) as CryptoKeyPair;
    const [pkcs8, spki] = await Promise.all([subtle.exportKey('pkcs8', pair.privateKey), subtle.exportKey('spki', pair.publicKey)]);
    return { pkcs8: new Uint8Array(pkcs8), spki: new Uint8Array(spki) };
  }

  async rawSigner(pkcs8: Uint8Array, _spki: Uint8Array, algorithm: RawSigningAlgorithm): Promise<RawSigner> {
    const { subtle } = this.#crypto;
    switch (algorithm.kind) {
      case 'rsa': {
        const name = algorithm.scheme === 'PSS' ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5';
        const key = await subtle.importKey('pkcs8', copy(pkcs8), { name, hash: WEB_HASH[algorithm.hash] }, false, ['sign']);
        const params = algorithm.scheme === 'PSS' ? { name, saltLength: HASH_LENGTH[algorithm.hash] } : { name };
        return async (message) => new Uint8Array(await subtle.sign(params, key, copy(message)));
      }
      case 'ecdsa': {
        const { namedCurve } = algorithm;
        const key = await subtle.importKey('pkcs8', copy(pkcs8), { name: 'ECDSA', namedCurve }, false, ['sign']);
        const params = { name: 'ECDSA', hash: WEB_HASH[algorithm.hash] };
        return async (message) => ecdsaRawToDer(new Uint8Array(await subtle.sign(params, key, copy(message))));
      }
      case 'ed25519': {
        const key = await subtle.importKey('pkcs8', copy(pkcs8), { name: 'Ed25519' }, false, ['sign']);
        return async (message) => new Uint8Array(await subtle.sign({ name: 'Ed25519' }, key, copy(message)));
      }
    }
  }

  async ed25519Verifier(spki: Uint8Array): Promise<Ed25519Verifier> {
    const { subtle } = this.#crypto;
    const key = await subtle.importKey('spki', copy(spki), { name: 'Ed25519' }, false, ['verify']);
    return async (message, signature) => {
      try {
        return await subtle.verify({ name: 'Ed25519' }, key, copy(signature), copy(message));
      } catch {
        return false;
      }
    };
  }

  /** Never shows the implementation's state. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'WebCryptoBackend {}';
  }
}

/** A copy backed by a plain ArrayBuffer, as WebCrypto's BufferSource wants. */
const copy = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes);
