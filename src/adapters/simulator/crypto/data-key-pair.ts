/**
 * The key pairs of GenerateDataKeyPair (docs/kms-behaviour.md §9.1): the private key as PKCS#8 DER, the public key
 * as DER SubjectPublicKeyInfo. Every spec but SM2 is made exactly as the private material of the KMS key spec of
 * its row in rules/data-key-pair-rules.ts (crypto/key-generation.ts, through the engine's backend); SM2 by
 * node:crypto (OpenSSL's SM2 curve, id-ecPublicKey + 1.2.156.10197.1.301).
 */
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import type { DataKeyPairSource } from '../rules/data-key-pair-rules.js';
import type { CryptoBackend } from './crypto-backend.js';
import { generateKeyMaterial } from './key-generation.js';

export interface DataKeyPair {
  /** PKCS#8 DER. */
  readonly privateKey: Uint8Array;
  /** DER SubjectPublicKeyInfo. */
  readonly publicKey: Uint8Array;
}

const generatePair = promisify(generateKeyPair);

export async function generateDataKeyPair(source: DataKeyPairSource, backend: CryptoBackend): Promise<DataKeyPair> {
  if (source.make === 'sm2') {
    const { privateKey, publicKey } = await generatePair('ec', {
      namedCurve: 'SM2',
      privateKeyEncoding: { type: 'pkcs8', format: 'der' },
      publicKeyEncoding: { type: 'spki', format: 'der' },
    });
    return { privateKey: new Uint8Array(privateKey), publicKey: new Uint8Array(publicKey) };
  }
  if (source.make !== 'key-spec') throw new Error('a refused key pair spec reached generation');
  const material = await generateKeyMaterial(source.keySpec, backend);
  if (material.publicKey === undefined) throw new Error(`key spec ${source.keySpec} is not a key pair`);
  return { privateKey: material.secret, publicKey: material.publicKey };
}
