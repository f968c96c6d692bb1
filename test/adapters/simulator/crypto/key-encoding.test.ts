import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { expect } from 'chai';
import {
  ed25519Seed,
  mlDsaPkcs8,
  mlDsaPublicKey,
  mlDsaSeed,
  mlDsaSpki,
  secp256k1Pkcs8,
  secp256k1Spki,
} from '../../../../src/adapters/simulator/crypto/key-encoding.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const fromHex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
const sequence = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => i);

describe('adapters/simulator/key-encoding', () => {
  describe('secp256k1', () => {
    it('writes byte for byte what OpenSSL writes for the same key', () => {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
      const jwk = privateKey.export({ format: 'jwk' });
      const point = Buffer.concat([Buffer.of(4), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
      const scalar = Buffer.from(jwk.d!, 'base64url');
      expect(hex(secp256k1Pkcs8(scalar, point))).to.equal(privateKey.export({ type: 'pkcs8', format: 'der' }).toString('hex'));
      expect(hex(secp256k1Spki(point))).to.equal(publicKey.export({ type: 'spki', format: 'der' }).toString('hex'));
    });

    it('is accepted by node:crypto as a secp256k1 key pair', () => {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
      const jwk = privateKey.export({ format: 'jwk' });
      const point = Buffer.concat([Buffer.of(4), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
      const pkcs8 = Buffer.from(secp256k1Pkcs8(Buffer.from(jwk.d!, 'base64url'), point));
      const spki = Buffer.from(secp256k1Spki(point));
      const parsedPrivate = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
      const parsedPublic = createPublicKey({ key: spki, format: 'der', type: 'spki' });
      expect(parsedPrivate.asymmetricKeyDetails).to.deep.equal({ namedCurve: 'secp256k1' });
      expect(parsedPublic.asymmetricKeyDetails).to.deep.equal({ namedCurve: 'secp256k1' });
      expect(createPublicKey(parsedPrivate).export({ type: 'spki', format: 'der' })).to.deep.equal(spki);
    });
  });

  describe('ML-DSA', () => {
    it('writes the seed-form PKCS#8 of RFC 9881 (example key, seed 00…1f)', () => {
      expect(Buffer.from(mlDsaPkcs8('ML_DSA_44', sequence(32))).toString('base64')).to.equal(
        'MDQCAQAwCwYJYIZIAWUDBAMRBCKAIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f',
      );
    });

    const specs = [
      ['ML_DSA_44', 1312, '30820532300b060960864801650304031103820521' + '00'],
      ['ML_DSA_65', 1952, '308207b2300b0609608648016503040312038207a1' + '00'],
      ['ML_DSA_87', 2592, '30820a32300b060960864801650304031303820a21' + '00'],
    ] as const;
    for (const [spec, length, header] of specs) {
      it(`writes ${spec} SubjectPublicKeyInfo with the NIST OID and the raw key, and reads both back`, () => {
        const key = sequence(length);
        const spki = mlDsaSpki(spec, key);
        expect(hex(spki.subarray(0, spki.length - length))).to.equal(header);
        expect(mlDsaPublicKey(spec, spki, length)).to.deep.equal(key);

        const seed = new Uint8Array(32).fill(7);
        expect(mlDsaSeed(spec, mlDsaPkcs8(spec, seed))).to.deep.equal(seed);
      });
    }

    it('refuses encodings it did not write: other parameter set, other length, trailing bytes', () => {
      const seed = new Uint8Array(32).fill(0xab);
      const pkcs8 = mlDsaPkcs8('ML_DSA_65', seed);
      expect(() => mlDsaSeed('ML_DSA_44', pkcs8)).to.throw(Error, 'unexpected ML_DSA_44 PKCS#8 encoding');
      expect(() => mlDsaSeed('ML_DSA_65', pkcs8.subarray(1))).to.throw(Error, 'unexpected ML_DSA_65 PKCS#8 encoding');
      const spki = mlDsaSpki('ML_DSA_44', sequence(1312));
      expect(() => mlDsaPublicKey('ML_DSA_65', spki, 1312)).to.throw(Error, 'SubjectPublicKeyInfo');
      expect(() => mlDsaPublicKey('ML_DSA_44', spki, 1311)).to.throw(Error, 'SubjectPublicKeyInfo');
      expect(() => mlDsaPublicKey('ML_DSA_44', spki.subarray(0, 20), 1312)).to.throw(Error, 'SubjectPublicKeyInfo');
      expect(() => mlDsaSeed('ML_DSA_44', pkcs8))
        .to.throw(Error)
        .with.property('message')
        .that.does.not.include('abab');
    });
  });

  describe('ed25519Seed', () => {
    it('returns the 32-byte seed of the PKCS#8 WebCrypto exports', async () => {
      const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
      const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
      const jwk = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }).export({ format: 'jwk' });
      expect(hex(ed25519Seed(pkcs8))).to.equal(Buffer.from(jwk.d!, 'base64url').toString('hex'));
    });

    it('refuses anything else', () => {
      const other = generateKeyPairSync('ed448').privateKey.export({ type: 'pkcs8', format: 'der' });
      expect(() => ed25519Seed(other)).to.throw(Error, 'unexpected Ed25519 PKCS#8 encoding');
      expect(() => ed25519Seed(fromHex('302e020100300506032b6570042204200000'))).to.throw(Error, 'Ed25519');
    });
  });
});
