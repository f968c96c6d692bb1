/**
 * ML-KEM key encoding and encapsulation against a second implementation: a known answer made with Node 24's
 * node:crypto (OpenSSL 3.5) — it imported the seed-form PKCS#8 below (seed 00 01 … 3f), exported the public key
 * (SHA-256 below) and encapsulated to it (the ciphertext and shared secret below).
 */
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { ml_kem512 } from '@noble/post-quantum/ml-kem.js';
import { ML_KEM_CIPHERTEXT_BYTES, mlKemDecapsulate, mlKemEncapsulate } from '../../../../src/adapters/simulator/crypto/key-encapsulation.js';
import { mlKemPkcs8, mlKemSeed, mlKemSpki } from '../../../../src/adapters/simulator/crypto/key-encoding.js';
import { generateKeyMaterial } from '../../../../src/adapters/simulator/crypto/key-generation.js';
import { NodeCryptoBackend } from '../../../../src/adapters/simulator/crypto/node-backend.js';
import type { KeyMaterial } from '../../../../src/adapters/simulator/store/simulator-store.js';

const SEED = Uint8Array.from({ length: 64 }, (_, i) => i);
const NODE24_PKCS8 = '3054020100300b060960864801650304040104428040000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f';
const NODE24_SPKI_SHA256 = '0e3c8b89b54202d2545f7aba2e2aaa3cffa7b6191919ad738fab35b4f313cf71';
const NODE24_CIPHERTEXT =
  'o7pL5I3DOdYzoPgh2tt2s4NwwLhIClDP2qd3eojrinvZJIB+8Mta2V4yy/BGmDUMzy2VWtfx8UjXaMG8tCFtNIv9zmsA09grCyjv' +
  'DqeDaE8hbnhoqFPHWrom350TDoXMbCQdGd8dzF4QDIPct/G81wX9g2/J3dbEqQFmUXWCm82EF5+43YkC5X3467KIt9iP8jwqh87G' +
  'N0ipp0cpmDEaeS/LoVxSi3PUdzn0E1S3VHTVQ2o6GYVOSnWoVExraQv7aXH5HAz55rJMxD5zsNa1vESDhC4/M0MAhidRWNAsrgZF' +
  'EP6QTd6qa0DoltcWirkkUsQ/vuD8tVRdjEGdCWGHTrlCw5uuQo0wgDmTGl36gkhpf3mtYS6gh+IPJnkh5XV1oK7yexqSJJLf32h4' +
  'y8xEhS2hyywtiFts8RJy6rOW079DEj0gRdEiDwUOdCMw1tOQCced9YNZfjoSURheletK8T+Su45VD9g7t+t9z2g10b3Pi5yJ8iL/' +
  'Nfr64SeqKNX3tg1xiHeDe1lUFnYpPRTFCrYM5gYOBxizIawwqE8v8UvptuCWlFxaLa6S3mL71unsfXeTKVHvi2MZWHeVZQgq3tOv' +
  'xfzhzhhifaRMIsRrQ4e3rzZeZNVyM4HNg3Y9S9/06P23GqAGxObH6uP+L6t2oyxB0sgHI0xW10yurLsFWio4rhXvZm0CR4f8ib9y' +
  'wqotBku43XJG2eGwKTtzni8ylPo/giPvVD1N7XF3DAJDaTY11XIV2V4+YPZ4t/l9m5AUV0jzr6xoZq1dPhMxEGo6sCZVHBJc1OBT' +
  'SsNgJlsclmH417P6z+Mo5aAGmjhAUcZaerfNcfj98tehe/EmoNnq8ut36XvDQ87sDWO5pIR5i3zeT7beKFlS57ZChbIe8EXgDd2d' +
  'GMaygVI63kOpsR8h4ir6l08N2eVryz3zi09o+au3A6HmgnNBNsWNlCKmJm8oHgmgOGz33Yqlto/F8ScdKRI2Y5SIp2cAfcsU+GSE' +
  'Almdv2mm1OGb2y+xweeYkTpm';
const NODE24_SHARED_SECRET = '0d06e2ab8fd824480314eef9b1764238d70eaa99e8cd1dbaf5451610db650b7f';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const material = (): KeyMaterial => ({
  spec: 'ML_KEM_512',
  secret: mlKemPkcs8('ML_KEM_512', SEED),
  publicKey: mlKemSpki('ML_KEM_512', ml_kem512.keygen(SEED).publicKey),
});

describe('adapters/simulator/crypto — ML-KEM (key-encoding, key-encapsulation)', () => {
  it('writes the seed-form PKCS#8 Node 24 reads, and the SubjectPublicKeyInfo Node 24 derives from it', () => {
    const m = material();
    expect(hex(m.secret)).to.equal(NODE24_PKCS8);
    expect(createHash('sha256').update(m.publicKey as Uint8Array).digest('hex')).to.equal(NODE24_SPKI_SHA256);
    expect(hex(mlKemSeed('ML_KEM_512', m.secret))).to.equal(hex(SEED));
  });

  it('decapsulates a ciphertext Node 24 encapsulated to that public key to the same shared secret', () => {
    const ciphertext = Uint8Array.from(Buffer.from(NODE24_CIPHERTEXT, 'base64'));
    expect(ciphertext).to.have.length(ML_KEM_CIPHERTEXT_BYTES.ML_KEM_512);
    expect(hex(mlKemDecapsulate('ML_KEM_512', material(), ciphertext))).to.equal(NODE24_SHARED_SECRET);
  });

  it('encapsulates so that noble decapsulates with the secret key of the stored seed', () => {
    const { sharedSecret, ciphertext } = mlKemEncapsulate('ML_KEM_512', material(), new Uint8Array(32).fill(7));
    expect(sharedSecret).to.have.length(32);
    expect(hex(ml_kem512.decapsulate(ciphertext, ml_kem512.keygen(SEED).secretKey))).to.equal(hex(sharedSecret));
  });

  it('generates ML_KEM_512/768/1024 material whose public key is the one its seed gives', async () => {
    for (const spec of ['ML_KEM_512', 'ML_KEM_768', 'ML_KEM_1024'] as const) {
      const m = await generateKeyMaterial(spec, new NodeCryptoBackend());
      const seed = mlKemSeed(spec, m.secret);
      expect(seed).to.have.length(64);
      const { sharedSecret, ciphertext } = mlKemEncapsulate(spec, m, new Uint8Array(32).fill(1));
      expect(ciphertext).to.have.length(ML_KEM_CIPHERTEXT_BYTES[spec]);
      expect(hex(mlKemDecapsulate(spec, m, ciphertext))).to.equal(hex(sharedSecret));
    }
  });

  it('refuses a PKCS#8 that is not the seed form of its parameter set', () => {
    expect(() => mlKemSeed('ML_KEM_768', mlKemPkcs8('ML_KEM_512', SEED))).to.throw('unexpected ML_KEM_768 PKCS#8 encoding');
  });
});
