import { expect } from 'chai';
import fc from 'fast-check';
import { createHash, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fingerprint, spkiToJwkComponents, spkiToPem } from '../../src/codec/public-key.js';
import { toBase64, toBase64Url, toHex, utf8 } from '../../src/codec/bytes.js';
import { InvalidArgumentError, UnsupportedAlgorithmError } from '../../src/domain/errors.js';
import { derTlv } from '../../src/codec/der.js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';

interface Vector {
  name: string;
  spkiDerBase64: string;
  pem: string;
  jwk: Record<string, string>;
  pemSha256: string;
}
const vectors = (
  JSON.parse(readFileSync(new URL('../../fixtures/spki-vectors.json', import.meta.url), 'utf8')) as { keys: Vector[] }
).keys;
const der = (name: string): Uint8Array => {
  const v = vectors.find((k) => k.name === name)!;
  return new Uint8Array(Buffer.from(v.spkiDerBase64, 'base64'));
};
const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const tlv = derTlv;
const seq = (...parts: Uint8Array[]): Uint8Array => tlv(0x30, ...parts);
const bits = (...parts: Uint8Array[]): Uint8Array => tlv(0x03, hex('00'), ...parts);

describe('domain/public-key', () => {
  describe('spkiToPem and fingerprint (fixtures made by node:crypto)', () => {
    for (const v of vectors) {
      it(`${v.name}: PEM is byte-identical to node:crypto's and the fingerprint is sha256 of it`, () => {
        const pem = spkiToPem(der(v.name));
        expect(pem).to.equal(v.pem);
        expect(fingerprint(pem)).to.equal(v.pemSha256);
      });
    }

    it('matches node:crypto for DER of any length (line wrapping at 64)', () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), (bytes) => {
          const pem = spkiToPem(bytes);
          const body = Buffer.from(bytes).toString('base64');
          const lines = pem.split('\n');
          expect(lines[0]).to.equal('-----BEGIN PUBLIC KEY-----');
          expect(lines.at(-1)).to.equal('');
          expect(lines.at(-2)).to.equal('-----END PUBLIC KEY-----');
          expect(lines.slice(1, -2).join('')).to.equal(body);
          expect(lines.slice(1, -2).every((l) => l.length <= 64 && l.length > 0)).to.equal(true);
        }),
      );
    });

    it('fingerprint is lowercase sha256 hex of the UTF-8 text', () => {
      fc.assert(
        fc.property(fc.string(), (text) => {
          expect(fingerprint(text)).to.equal(createHash('sha256').update(text, 'utf8').digest('hex'));
        }),
      );
    });
  });

  describe('spkiToJwkComponents', () => {
    for (const name of ['rsa-2048', 'rsa-3072-e3', 'ec-p256', 'ec-p384', 'ec-p521', 'ed25519', 'secp256k1']) {
      it(`${name}: equals the JWK node:crypto derives`, () => {
        const v = vectors.find((k) => k.name === name)!;
        expect(spkiToJwkComponents(der(name))).to.deep.equal(v.jwk);
      });
    }

    for (const [name, set, size] of [['ML-DSA-44', ml_dsa44, 1312], ['ML-DSA-65', ml_dsa65, 1952], ['ML-DSA-87', ml_dsa87, 2592]] as const) {
      it(`${name}: AKP with the parameter set as alg and the raw public key as pub; wrong lengths refused`, () => {
        const oid = { 'ML-DSA-44': '11', 'ML-DSA-65': '12', 'ML-DSA-87': '13' }[name];
        const algorithm = seq(tlv(0x06, hex(`6086480165030403${oid}`))); // 2.16.840.1.101.3.4.3.17 / 18 / 19
        const { publicKey } = set.keygen(new Uint8Array(32).fill(7));
        expect(publicKey).to.have.length(size);
        expect(spkiToJwkComponents(seq(algorithm, bits(publicKey)))).to.deep.equal({ kty: 'AKP', alg: name, pub: toBase64Url(publicKey) });
        expect(() => spkiToJwkComponents(seq(algorithm, bits(publicKey.subarray(1))))).to.throw(
          InvalidArgumentError,
          `Malformed ${name} public key: expected ${size} bytes, got ${size - 1}`,
        );
      });
    }

    it('Ed25519: 32 bytes, no parameters', () => {
      const ed = seq(seq(tlv(0x06, hex('2b6570'))), bits(new Uint8Array(31)));
      expect(() => spkiToJwkComponents(ed)).to.throw(InvalidArgumentError, 'Malformed Ed25519 public key: expected 32 bytes');
      const withParameters = seq(seq(tlv(0x06, hex('2b6570')), hex('0500')), bits(new Uint8Array(32)));
      expect(() => spkiToJwkComponents(withParameters)).to.throw(InvalidArgumentError, /Malformed DER public key/);
    });

    it('EC coordinates are fixed width (leading zero bytes kept)', () => {
      // P-256 point whose x starts with 0x00: found by generating keys until one has it.
      const spki = Buffer.from(der('ec-p256'));
      const point = spki.subarray(spki.length - 65);
      point[1] = 0; // x now starts with a zero byte; shape is all that matters here
      const jwk = spkiToJwkComponents(new Uint8Array(spki));
      expect(jwk.kty).to.equal('EC');
      if (jwk.kty === 'EC') expect(Buffer.from(jwk.x, 'base64url')).to.have.length(32);
    });

    it('refuses curves and key types it cannot publish', () => {
      const x509Oid = seq(seq(tlv(0x06, hex('550403'))), bits(hex('00')));
      expect(() => spkiToJwkComponents(x509Oid)).to.throw(UnsupportedAlgorithmError, /OID 2\.5\.4\.3/);
      const brainpool = seq(seq(tlv(0x06, hex('2a8648ce3d0201')), tlv(0x06, hex('2b2403030208010107'))), bits(hex('04')));
      expect(() => spkiToJwkComponents(brainpool)).to.throw(UnsupportedAlgorithmError, /curve.*1\.3\.36\.3\.3\.2\.8\.1\.1\.7/);
      const x25519 = seq(seq(tlv(0x06, hex('2b656e'))), bits(new Uint8Array(32)));
      expect(() => spkiToJwkComponents(x25519)).to.throw(UnsupportedAlgorithmError, /OID 1\.3\.101\.110/);
    });

    const RSA_ALG = seq(tlv(0x06, hex('2a864886f70d010101')), hex('0500'));
    const EC_ALG = seq(tlv(0x06, hex('2a8648ce3d0201')), tlv(0x06, hex('2a8648ce3d030107')));
    const malformed: Array<[string, Uint8Array, RegExp]> = [
      ['empty input', hex(''), /expected SEQUENCE/],
      ['not a SEQUENCE', hex('020100'), /expected SEQUENCE/],
      ['truncated length', hex('30'), /truncated SEQUENCE/],
      ['length beyond the input', hex('3005'), /truncated SEQUENCE/],
      ['long length with 0 bytes', hex('3080'), /unsupported length/],
      ['long length with 4 bytes', hex('308400000001'), /unsupported length/],
      ['truncated long length', hex('3082ff'), /truncated SEQUENCE/],
      ['empty OID', seq(seq(tlv(0x06, hex('')))), /empty OBJECT IDENTIFIER/],
      ['truncated OID', seq(seq(tlv(0x06, hex('2a86')))), /truncated OBJECT IDENTIFIER/],
      ['BIT STRING with unused bits', seq(RSA_ALG, tlv(0x03, hex('0100'))), /unused bits/],
      ['trailing bytes', seq(RSA_ALG, tlv(0x03, hex('00')), hex('00')), /trailing bytes/],
      ['RSA: empty modulus', seq(RSA_ALG, bits(seq(tlv(0x02, hex(''))))), /negative or empty INTEGER/],
      ['RSA: negative modulus', seq(RSA_ALG, bits(seq(tlv(0x02, hex('80'))))), /negative or empty INTEGER/],
      ['RSA: trailing bytes in the key', seq(RSA_ALG, bits(seq(tlv(0x02, hex('01')), tlv(0x02, hex('03')), hex('00')))), /trailing bytes/],
      ['EC: compressed point', seq(EC_ALG, bits(hex('02'.padEnd(66, '11')))), /uncompressed point/],
      ['EC: wrong point length', seq(EC_ALG, bits(hex('04'.padEnd(64, '11')))), /uncompressed point/],
    ];
    for (const [name, bytes, message] of malformed) {
      it(`refuses malformed DER: ${name}`, () => {
        expect(() => spkiToJwkComponents(bytes)).to.throw(InvalidArgumentError, message);
      });
    }

    it('strips leading zeros of RSA integers (minimal big-endian)', () => {
      const rsa = seq(RSA_ALG, bits(seq(tlv(0x02, hex('000081')), tlv(0x02, hex('03')))));
      expect(spkiToJwkComponents(rsa)).to.deep.equal({ kty: 'RSA', n: 'gQ', e: 'Aw' });
      const zero = seq(RSA_ALG, bits(seq(tlv(0x02, hex('0000')), tlv(0x02, hex('03')))));
      expect(spkiToJwkComponents(zero)).to.deep.equal({ kty: 'RSA', n: 'AA', e: 'Aw' });
    });

    it('reads long-form lengths', () => {
      const n = hex('00' + 'c1'.repeat(300));
      const rsa = seq(RSA_ALG, bits(seq(tlv(0x02, n), tlv(0x02, hex('010001')))));
      const jwk = spkiToJwkComponents(rsa);
      expect(jwk).to.deep.equal({ kty: 'RSA', n: Buffer.from(n.subarray(1)).toString('base64url'), e: 'AQAB' });
    });

    it('never throws anything but typed errors on arbitrary bytes', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
          try {
            spkiToJwkComponents(bytes);
          } catch (error) {
            expect(error).to.satisfy((e: unknown) => e instanceof InvalidArgumentError || e instanceof UnsupportedAlgorithmError);
          }
        }),
      );
    });

    it('accepts what node:crypto accepts for every fixture', () => {
      for (const v of vectors) expect(() => createPublicKey({ key: Buffer.from(der(v.name)), format: 'der', type: 'spki' })).not.to.throw();
    });
  });
});

describe('domain/bytes', () => {
  it('base64url without padding', () => {
    expect(toBase64Url(new Uint8Array([0, 1]))).to.equal('AAE');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        expect(toBase64Url(bytes)).to.equal(Buffer.from(bytes).toString('base64url'));
        expect(toBase64(bytes)).to.equal(Buffer.from(bytes).toString('base64'));
        expect(toHex(bytes)).to.equal(Buffer.from(bytes).toString('hex'));
      }),
    );
  });
  it('utf8', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(Buffer.from(utf8(s)).toString('utf8')).to.equal(s);
      }),
    );
  });
});
