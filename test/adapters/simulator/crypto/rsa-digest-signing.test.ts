import {
  constants,
  createHash,
  generateKeyPairSync,
  privateEncrypt,
  randomBytes,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { expect } from 'chai';
import { rsaSignDigest, rsaVerifyDigest, type RsaHash } from '../../../../src/adapters/simulator/crypto/rsa-digest-signing.js';

const HASHES: readonly RsaHash[] = ['sha256', 'sha384', 'sha512'];
const HASH_LENGTH: Record<RsaHash, number> = { sha256: 32, sha384: 48, sha512: 64 };
const digestOf = (hash: RsaHash, message: Uint8Array): Uint8Array => createHash(hash).update(message).digest();
const pss = (key: KeyObject, hash: RsaHash) => ({
  key,
  padding: constants.RSA_PKCS1_PSS_PADDING,
  saltLength: HASH_LENGTH[hash],
});
/** The raw RSA private operation on a chosen encoded message, to build malformed signatures. */
const rawSign = (key: KeyObject, em: Uint8Array): Uint8Array =>
  new Uint8Array(privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, em));

describe('adapters/simulator/rsa-digest-signing', () => {
  // 2048 bits, and 1025 bits where emLen = k - 1 (modBits ≡ 1 mod 8) exercises the EMSA-PSS length corner.
  const keys = new Map<number, { privateKey: KeyObject; publicKey: KeyObject }>();
  const key = (modulusLength: number) => keys.get(modulusLength)!;
  before(() => {
    for (const modulusLength of [2048, 1025]) {
      keys.set(modulusLength, generateKeyPairSync('rsa', { modulusLength, publicExponent: 65537 }));
    }
  });
  const message = new TextEncoder().encode('a message for KMS DIGEST signing');

  for (const modulusLength of [2048, 1025]) {
    for (const hash of HASHES) {
      if (modulusLength < 2048 && hash === 'sha512') continue; // PSS-SHA-512 needs emLen >= 130 bytes
      const digest = digestOf(hash, message);

      it(`PKCS#1 v1.5 ${hash} (${modulusLength} bits): identical to node:crypto's signature, verified both ways`, () => {
        const { privateKey, publicKey } = key(modulusLength);
        const ours = rsaSignDigest(privateKey, 'PKCS1_V1_5', hash, digest);
        expect(Buffer.from(ours)).to.deep.equal(sign(hash, message, privateKey)); // deterministic scheme
        expect(verify(hash, message, publicKey, ours)).to.equal(true);
        expect(rsaVerifyDigest(publicKey, 'PKCS1_V1_5', hash, digest, ours)).to.equal(true);
        expect(rsaVerifyDigest(publicKey, 'PKCS1_V1_5', hash, digestOf(hash, randomBytes(8)), ours)).to.equal(false);
        expect(rsaVerifyDigest(publicKey, 'PSS', hash, digest, ours)).to.equal(false);
      });

      it(`PSS ${hash} (${modulusLength} bits): salt = hash length, interoperates with node:crypto`, () => {
        const { privateKey, publicKey } = key(modulusLength);
        const ours = rsaSignDigest(privateKey, 'PSS', hash, digest);
        expect(verify(hash, message, pss(publicKey, hash), ours)).to.equal(true);
        expect(rsaVerifyDigest(publicKey, 'PSS', hash, digest, ours)).to.equal(true);
        expect(rsaSignDigest(privateKey, 'PSS', hash, digest)).not.to.deep.equal(ours); // random salt
        const theirs = sign(hash, message, pss(privateKey, hash));
        expect(rsaVerifyDigest(publicKey, 'PSS', hash, digest, theirs)).to.equal(true);
        expect(rsaVerifyDigest(publicKey, 'PSS', hash, digestOf(hash, randomBytes(8)), theirs)).to.equal(false);
        expect(rsaVerifyDigest(publicKey, 'PKCS1_V1_5', hash, digest, theirs)).to.equal(false);
      });
    }
  }

  describe('verification refuses', () => {
    const hash: RsaHash = 'sha256';
    const digest = digestOf(hash, message);
    const k = 256;

    it('signatures of the wrong length, s >= n, and digests of the wrong length', () => {
      const { privateKey, publicKey } = key(2048);
      const good = rsaSignDigest(privateKey, 'PSS', hash, digest);
      expect(rsaVerifyDigest(publicKey, 'PSS', hash, digest, good.subarray(1))).to.equal(false);
      expect(rsaVerifyDigest(publicKey, 'PSS', hash, digest, new Uint8Array([0, ...good]))).to.equal(false);
      expect(rsaVerifyDigest(publicKey, 'PSS', hash, digest, new Uint8Array(k).fill(0xff))).to.equal(false);
      expect(rsaVerifyDigest(publicKey, 'PKCS1_V1_5', hash, digest, new Uint8Array(k).fill(0xff))).to.equal(false);
      expect(rsaVerifyDigest(publicKey, 'PSS', hash, digest.subarray(1), good)).to.equal(false);
      expect(rsaVerifyDigest(publicKey, 'PSS', 'sha384', digest, good)).to.equal(false);
    });

    /** A valid EMSA-PSS encoding of `digest` (salt 32 × 0x5a), optionally with a defect in DB or the trailer, signed raw. */
    const pssWith = (dbDefect: (db: Buffer) => void = () => {}, trailer = 0xbc): Uint8Array => {
      const salt = Buffer.alloc(32, 0x5a);
      const h = createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();
      const db = Buffer.concat([Buffer.alloc(k - 32 - 32 - 2), Buffer.of(1), salt]);
      dbDefect(db);
      const mask = Buffer.alloc(db.length);
      for (let i = 0, off = 0; off < mask.length; i++, off += 32) {
        const counter = Buffer.alloc(4);
        counter.writeUInt32BE(i);
        createHash(hash).update(h).update(counter).digest().copy(mask, off);
      }
      const maskedDb = Buffer.from(db.map((b, i) => b ^ (mask[i] as number)));
      maskedDb[0] = (maskedDb[0] as number) & 0x7f;
      return rawSign(key(2048).privateKey, Buffer.concat([maskedDb, h, Buffer.of(trailer)]));
    };

    it('accepts the hand-built encoding itself (control)', () => {
      expect(rsaVerifyDigest(key(2048).publicKey, 'PSS', hash, digest, pssWith())).to.equal(true);
    });

    it('a PSS trailer other than 0xbc', () => {
      expect(rsaVerifyDigest(key(2048).publicKey, 'PSS', hash, digest, pssWith(undefined, 0xbd))).to.equal(false);
    });

    it('a PSS encoding with the top bit set', () => {
      const em = Buffer.alloc(k);
      em[0] = 0x80;
      em[k - 1] = 0xbc;
      const { privateKey, publicKey } = key(2048);
      expect(rsaVerifyDigest(publicKey, 'PSS', hash, digest, rawSign(privateKey, em))).to.equal(false);
    });

    it('a non-zero padding string or a missing 0x01 separator in DB', () => {
      expect(rsaVerifyDigest(key(2048).publicKey, 'PSS', hash, digest, pssWith((db) => (db[10] = 1)))).to.equal(false);
      expect(rsaVerifyDigest(key(2048).publicKey, 'PSS', hash, digest, pssWith((db) => (db[k - 32 - 32 - 2] = 2)))).to.equal(
        false,
      );
    });

    it('a PSS hash that does not match the salt', () => {
      const signature = pssWith((db) => db.writeUInt8(db.readUInt8(db.length - 1) ^ 1, db.length - 1));
      expect(rsaVerifyDigest(key(2048).publicKey, 'PSS', hash, digest, signature)).to.equal(false);
    });

    it('a modulus-length output with a non-zero byte before EM (modBits ≡ 1 mod 8)', () => {
      const small = key(1025);
      const em = Buffer.alloc(129);
      em[0] = 0x01; // EM is 128 bytes here: the extra leading byte must be zero
      em[128] = 0xbc;
      const signature = rawSign(small.privateKey, em);
      expect(rsaVerifyDigest(small.publicKey, 'PSS', hash, digest, signature)).to.equal(false);
    });
  });

  it('refuses keys that are not RSA', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    expect(() => rsaSignDigest(privateKey, 'PSS', 'sha256', new Uint8Array(32))).to.throw(Error, 'not an RSA key');
  });
});
