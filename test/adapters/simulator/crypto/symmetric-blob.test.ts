/** The simulator's ciphertext format and encryption-context encoding, below the engine. */
import { createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import fc from 'fast-check';
import {
  SYMMETRIC_OVERHEAD,
  SYMMETRIC_OVERHEAD_V2,
  ciphertextKeyId,
  ciphertextKeyMaterialId,
  encryptionContextBytes,
  openSymmetric,
  sealSymmetric,
} from '../../../../src/adapters/simulator/crypto/symmetric-blob.js';

const contextArb = fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 6 }), {
  maxKeys: 4,
});
const sameMap = (a: Record<string, string>, b: Record<string, string>): boolean =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => Object.hasOwn(b, k) && b[k] === v);

describe('adapters/simulator/crypto/symmetric-blob', () => {
  const secret = randomBytes(32);
  const keyId = randomUUID();

  it('encodes two contexts alike exactly when they are the same map (property)', () => {
    fc.assert(
      fc.property(contextArb, contextArb, (a, b) => {
        const equal = encryptionContextBytes(a).equals(encryptionContextBytes(b));
        expect(equal).to.equal(sameMap(a, b));
        expect(encryptionContextBytes(Object.fromEntries(Object.entries(a).reverse())).equals(encryptionContextBytes(a))).to.equal(true);
      }),
      { numRuns: 500 },
    );
    expect(encryptionContextBytes({ a: '\uD800' }).equals(encryptionContextBytes({ a: '\uFFFD' }))).to.equal(false);
    expect(encryptionContextBytes(undefined).equals(encryptionContextBytes({}))).to.equal(true);
  });

  it('lays a blob out as version, key ID, IV, AES-256-GCM ciphertext and tag, with the header and context as AAD', () => {
    const iv = randomBytes(12);
    const plaintext = Buffer.from('plain');
    const blob = sealSymmetric(keyId, secret, iv, plaintext, { b: '2', a: '1' });
    expect(blob.length).to.equal(plaintext.length + SYMMETRIC_OVERHEAD);
    expect(blob[0]).to.equal(1);
    expect(ciphertextKeyId(blob)).to.equal(keyId);
    expect(Buffer.from(blob.subarray(17, 29)).equals(iv)).to.equal(true);
    const decipher = createDecipheriv('aes-256-gcm', secret, iv);
    decipher.setAAD(Buffer.concat([blob.subarray(0, 17), encryptionContextBytes({ a: '1', b: '2' })]));
    decipher.setAuthTag(blob.subarray(blob.length - 16));
    expect(Buffer.concat([decipher.update(blob.subarray(29, blob.length - 16)), decipher.final()]).equals(plaintext)).to.equal(true);
    expect(openSymmetric(secret, blob, { a: '1', b: '2' })).to.deep.equal(new Uint8Array(plaintext));
    expect(openSymmetric(randomBytes(32), blob, { a: '1', b: '2' })).to.equal(undefined);
  });

  it('recognises no blob that is too short or of another version', () => {
    const blob = sealSymmetric(keyId, secret, randomBytes(12), Uint8Array.of(1), undefined);
    expect(ciphertextKeyId(blob)).to.equal(keyId);
    expect(ciphertextKeyId(blob.subarray(0, SYMMETRIC_OVERHEAD))).to.equal(undefined);
    expect(openSymmetric(secret, blob.subarray(0, SYMMETRIC_OVERHEAD), undefined)).to.equal(undefined);
    const other = Uint8Array.from(blob);
    other[0] = 2;
    expect(ciphertextKeyId(other)).to.equal(undefined);
  });

  it('refuses a key ID that is not a UUID and an IV that is not 12 bytes (engine bugs, not caller errors)', () => {
    expect(() => sealSymmetric('mrk-0123', secret, randomBytes(12), Uint8Array.of(1), undefined)).to.throw(/UUID/);
    expect(() => sealSymmetric(keyId, secret, randomBytes(16), Uint8Array.of(1), undefined)).to.throw(/12 bytes/);
  });

  it('version 2 names the key material: version, key ID, material ID, IV, ciphertext and tag, header as AAD', () => {
    const materialId = 'c0ffee'.padEnd(64, '5');
    const iv = randomBytes(12);
    const plaintext = Buffer.from('rotated');
    const blob = sealSymmetric(keyId, secret, iv, plaintext, { a: '1' }, materialId);
    expect(blob.length).to.equal(plaintext.length + SYMMETRIC_OVERHEAD_V2);
    expect(SYMMETRIC_OVERHEAD_V2 - SYMMETRIC_OVERHEAD).to.equal(32);
    expect(blob[0]).to.equal(2);
    expect(ciphertextKeyId(blob)).to.equal(keyId);
    expect(ciphertextKeyMaterialId(blob)).to.equal(materialId);
    expect(Buffer.from(blob.subarray(49, 61)).equals(iv)).to.equal(true);
    const decipher = createDecipheriv('aes-256-gcm', secret, iv);
    decipher.setAAD(Buffer.concat([blob.subarray(0, 49), encryptionContextBytes({ a: '1' })]));
    decipher.setAuthTag(blob.subarray(blob.length - 16));
    expect(Buffer.concat([decipher.update(blob.subarray(61, blob.length - 16)), decipher.final()]).equals(plaintext)).to.equal(true);
    expect(openSymmetric(secret, blob, { a: '1' })).to.deep.equal(new Uint8Array(plaintext));
    // The material ID is authenticated: another one in the header does not open.
    const renamed = Uint8Array.from(blob);
    renamed[30] = (renamed[30] as number) ^ 0xff;
    expect(ciphertextKeyMaterialId(renamed)).to.not.equal(materialId);
    expect(openSymmetric(secret, renamed, { a: '1' })).to.equal(undefined);
  });

  it('writes a multi-Region key ID (mrk-) as version 3 and reads it back: no Region in the blob', () => {
    const mrk = 'mrk-' + '0123456789abcdef'.repeat(2);
    const blob = sealSymmetric(mrk, secret, randomBytes(12), Uint8Array.of(7), { a: 'b' }, 'c'.repeat(64));
    expect(blob[0]).to.equal(3);
    expect(ciphertextKeyId(blob)).to.equal(mrk);
    expect(ciphertextKeyMaterialId(blob)).to.equal('c'.repeat(64));
    expect(Array.from(openSymmetric(secret, blob, { a: 'b' }) ?? [])).to.deep.equal([7]);
  });

  it('reads a version-1 blob as naming no material (null), and nothing else as a blob', () => {
    const v1 = sealSymmetric(keyId, secret, randomBytes(12), Uint8Array.of(1), undefined);
    expect(ciphertextKeyMaterialId(v1)).to.equal(null);
    const v2 = sealSymmetric(keyId, secret, randomBytes(12), Uint8Array.of(1), undefined, 'a'.repeat(64));
    expect(ciphertextKeyMaterialId(v2.subarray(0, SYMMETRIC_OVERHEAD_V2))).to.equal(undefined);
    expect(ciphertextKeyId(v2.subarray(0, SYMMETRIC_OVERHEAD_V2))).to.equal(undefined);
    const v4 = Uint8Array.from(v2);
    v4[0] = 4;
    expect(ciphertextKeyMaterialId(v4)).to.equal(undefined);
    expect(ciphertextKeyId(v4)).to.equal(undefined);
    expect(() => sealSymmetric('mrk-' + 'b'.repeat(32), secret, randomBytes(12), Uint8Array.of(1), undefined)).to.throw(/key material ID/);
    expect(() => sealSymmetric(keyId, secret, randomBytes(12), Uint8Array.of(1), undefined, 'XYZ')).to.throw(/64 lowercase hex/);
  });
});
