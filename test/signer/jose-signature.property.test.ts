/**
 * KMS ECDSA signatures (DER) → JOSE r‖s, on every curve the signer uses, as KmsJwtSigner converts them
 * (src/signer/jose-signature.ts over codec/ecdsa-signature.ts): r and s of any magnitude (leading zero bytes,
 * integers far shorter than the curve, the high bit set so DER adds its 0x00 sign byte) come out exactly
 * `ecdsaBytes` wide; DER KMS could not have sent is a KmsError; real signatures verify as P1363.
 */
import { expect } from 'chai';
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import fc from 'fast-check';
import { KmsError } from '../../src/index.js';
import { joseSignature } from '../../src/signer/jose-signature.js';
import { signingKeyOf } from './fake-provider.js';

const CURVES = [
  { alg: 'ECDSA_P256_SHA256', width: 32, namedCurve: 'prime256v1', hash: 'sha256' },
  { alg: 'ECDSA_P384_SHA384', width: 48, namedCurve: 'secp384r1', hash: 'sha384' },
  { alg: 'ECDSA_P521_SHA512', width: 66, namedCurve: 'secp521r1', hash: 'sha512' },
  { alg: 'ECDSA_SECP256K1_SHA256', width: 32, namedCurve: 'secp256k1', hash: 'sha256' },
] as const;

/** An unsigned big-endian value of at most `width` bytes: short, with leading zeros, or with the high bit set. */
const magnitude = (width: number): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    fc.uint8Array({ minLength: width, maxLength: width }),
    fc.uint8Array({ minLength: 1, maxLength: width }),
    fc
      .tuple(fc.integer({ min: 1, max: width }), fc.uint8Array({ minLength: width, maxLength: width }))
      .map(([zeros, bytes]) => bytes.map((b, i) => (i < zeros ? 0 : b))),
    fc.uint8Array({ minLength: width, maxLength: width }).map((bytes) => bytes.map((b, i) => (i === 0 ? b | 0x80 : b))),
  );

/** DER of one INTEGER written independently of the codec: minimal, a 0x00 first when the high bit is set. */
function derInteger(value: Uint8Array): number[] {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  const digits = [...value.subarray(start)];
  const body = digits[0]! & 0x80 ? [0, ...digits] : digits;
  return [0x02, body.length, ...body];
}

function derSignature(r: Uint8Array, s: Uint8Array): Uint8Array {
  const body = [...derInteger(r), ...derInteger(s)];
  return Uint8Array.from([0x30, ...(body.length < 0x80 ? [body.length] : [0x81, body.length]), ...body]);
}

const leftPad = (value: Uint8Array, width: number): Uint8Array => {
  const out = new Uint8Array(width);
  out.set(value, width - value.length);
  return out;
};

describe('signer: KMS ECDSA DER → JOSE r‖s', () => {
  for (const { alg, width, namedCurve, hash } of CURVES) {
    describe(`${alg} (${width}-byte components)`, () => {
      const key = signingKeyOf(alg);

      it('r and s of any magnitude come out left-padded to exactly the component width', () => {
        fc.assert(
          fc.property(magnitude(width), magnitude(width), (r, s) => {
            const raw = joseSignature(key, derSignature(r, s));
            expect(raw.length).to.equal(2 * width);
            expect(raw.subarray(0, width)).to.deep.equal(leftPad(r, width));
            expect(raw.subarray(width)).to.deep.equal(leftPad(s, width));
          }),
        );
      });

      it('an integer wider than the curve, or DER that is not canonical, is a KmsError', () => {
        const tooWide = derSignature(Uint8Array.from([1, ...new Uint8Array(width)]), Uint8Array.of(1));
        const nonMinimal = Uint8Array.from([0x30, 0x07, 0x02, 0x02, 0x00, 0x01, 0x02, 0x01, 0x01]);
        const trailing = Uint8Array.from([...derSignature(Uint8Array.of(1), Uint8Array.of(1)), 0]);
        for (const der of [tooWide, nonMinimal, trailing, new Uint8Array(0)]) {
          expect(() => joseSignature(key, der)).to.throw(KmsError, `KMS returned a malformed ${key.joseAlg} signature`);
        }
      });

      it('arbitrary bytes: a KmsError, or canonical DER that round-trips', () => {
        fc.assert(
          fc.property(fc.uint8Array({ maxLength: 2 * width + 12 }), (bytes) => {
            let raw: Uint8Array;
            try {
              raw = joseSignature(key, bytes);
            } catch (error) {
              expect(error).to.be.instanceOf(KmsError);
              return;
            }
            expect(derSignature(raw.subarray(0, width), raw.subarray(width))).to.deep.equal(bytes);
          }),
        );
      });

      it("real DER signatures (OpenSSL's) convert to P1363 signatures that verify", () => {
        const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
        fc.assert(
          fc.property(fc.uint8Array({ maxLength: 200 }), (message) => {
            const der = sign(hash, message, { key: privateKey, dsaEncoding: 'der' });
            const raw = joseSignature(key, new Uint8Array(der));
            expect(verify(hash, message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, raw)).to.equal(true);
          }),
          { numRuns: 30 },
        );
      });
    });
  }

  it('RSA, EdDSA and ML-DSA signatures pass through; a size their alg cannot have is a KmsError', () => {
    const rsa = new Uint8Array(256).fill(1);
    expect(joseSignature(signingKeyOf('RSA_PKCS1_SHA256'), rsa)).to.equal(rsa);
    expect(() => joseSignature(signingKeyOf('RSA_PKCS1_SHA256'), new Uint8Array(0))).to.throw(KmsError, 'a 0-byte RS256 signature');
    for (const [alg, size] of [['ED25519', 64], ['ML_DSA_44', 2420], ['ML_DSA_65', 3309], ['ML_DSA_87', 4627]] as const) {
      const ok = new Uint8Array(size);
      expect(joseSignature(signingKeyOf(alg), ok)).to.equal(ok);
      expect(() => joseSignature(signingKeyOf(alg), new Uint8Array(size + 1))).to.throw(KmsError, `signatures are ${size} bytes`);
    }
  });
});
