/**
 * codec/ml-dsa-mu: μ as FIPS 204 defines it, proven with @noble/post-quantum — a signature made over our μ
 * (noble's internal sign with externalMu, what KMS does for MessageType EXTERNAL_MU) verifies with noble's
 * ordinary verify over the message, for every parameter set, with and without a context.
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { shake256 } from '@noble/hashes/sha3.js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { ML_DSA_PUBLIC_KEY_BYTES, mlDsaExternalMu, type Shake256 } from '../../src/codec/ml-dsa-mu.js';

const noble: Shake256 = (data, n) => shake256(data, { dkLen: n });
const openssl: Shake256 = (data, n) => new Uint8Array(createHash('shake256', { outputLength: n }).update(data).digest());
const SETS = [['ML-DSA-44', ml_dsa44], ['ML-DSA-65', ml_dsa65], ['ML-DSA-87', ml_dsa87]] as const;

describe('codec/ml-dsa-mu: mlDsaExternalMu', () => {
  for (const [name, dsa] of SETS) {
    describe(name, () => {
      const { publicKey, secretKey } = dsa.keygen(new Uint8Array(32).fill(name.length));

      it(`the public key is ${ML_DSA_PUBLIC_KEY_BYTES[name]} bytes`, () => {
        expect(publicKey.length).to.equal(ML_DSA_PUBLIC_KEY_BYTES[name]);
      });

      it('a signature over μ verifies over the message (pure ML-DSA, empty context), including messages over 4 096 bytes', () => {
        fc.assert(
          fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ minLength: 4097, maxLength: 9000 })), (message) => {
            const mu = mlDsaExternalMu(publicKey, message, noble);
            expect(mu.length).to.equal(64);
            const signature = dsa.internal.sign(mu, secretKey, { externalMu: true });
            expect(dsa.verify(signature, message, publicKey)).to.equal(true);
            // and not over another message
            expect(dsa.verify(signature, Uint8Array.from([...message, 0]), publicKey)).to.equal(false);
          }),
          { numRuns: 8 },
        );
      });

      it('with a context: verifies with that context only', () => {
        const message = new TextEncoder().encode('header.payload');
        const context = new Uint8Array(255).fill(9);
        const signature = dsa.internal.sign(mlDsaExternalMu(publicKey, message, noble, context), secretKey, { externalMu: true });
        expect(dsa.verify(signature, message, publicKey, { context })).to.equal(true);
        expect(dsa.verify(signature, message, publicKey)).to.equal(false);
      });

      it('the same μ with OpenSSL SHAKE256 as with noble', () => {
        const message = new Uint8Array(5000).fill(3);
        expect(mlDsaExternalMu(publicKey, message, openssl)).to.deep.equal(mlDsaExternalMu(publicKey, message, noble));
      });
    });
  }

  it('refuses a public key of no ML-DSA size, a context over 255 bytes, and a SHAKE256 that answers the wrong size', () => {
    expect(() => mlDsaExternalMu(new Uint8Array(1311), new Uint8Array(0), noble)).to.throw(
      Error,
      'ML-DSA public key must be 1312 (ML-DSA-44), 1952 (ML-DSA-65), 2592 (ML-DSA-87) bytes; got 1311',
    );
    expect(() => mlDsaExternalMu(new Uint8Array(1312), new Uint8Array(0), noble, new Uint8Array(256))).to.throw(
      Error,
      'ML-DSA context must be at most 255 bytes; got 256',
    );
    expect(() => mlDsaExternalMu(new Uint8Array(1312), new Uint8Array(0), () => new Uint8Array(32))).to.throw(
      Error,
      'the SHAKE256 function must return 64 bytes',
    );
    expect(() => mlDsaExternalMu(new Uint8Array(1312), new Uint8Array(0), () => 'x' as never)).to.throw(Error, 'must return 64 bytes');
  });
});
