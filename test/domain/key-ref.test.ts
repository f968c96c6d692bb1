import { expect } from 'chai';
import { createHash, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { buildKeyRef, buildPublicJwk, jwkKid } from '../../src/domain/key-ref.js';
import { InvalidKeyStateError } from '../../src/domain/errors.js';
import { KeyAlg } from '../../src/domain/key-types.js';
import { derTlv } from '../../src/codec/der.js';
import { toBase64Url } from '../../src/codec/bytes.js';
import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js';

const vectors = (
  JSON.parse(readFileSync(new URL('../../fixtures/spki-vectors.json', import.meta.url), 'utf8')) as {
    keys: Array<{ name: string; spkiDerBase64: string; pem: string; jwk: Record<string, string> }>;
  }
).keys;
const der = (name: string): Uint8Array =>
  new Uint8Array(Buffer.from(vectors.find((k) => k.name === name)!.spkiDerBase64, 'base64'));
const base = {
  kid: '0123456789abcdef',
  version: 3,
  alg: 'RSA_PSS_SHA256',
  keyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
  keyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  region: 'us-east-1',
  kmsKeyUsage: 'SIGN_VERIFY',
  callerTags: { team: 'identity' },
};

describe('domain/key-ref', () => {
  it('asymmetric KeyRef: public PEM, fingerprint of the PEM, contract tags, no material', () => {
    const ref = buildKeyRef({ ...base, label: 'jwt', publicKey: der('rsa-2048') });
    const pem = createPublicKey({ key: Buffer.from(der('rsa-2048')), format: 'der', type: 'spki' }).export({
      type: 'spki',
      format: 'pem',
    });
    expect(ref).to.deep.equal({
      kid: base.kid,
      version: 3,
      type: 'opaque',
      uses: ['sign', 'verify'],
      exportPolicy: 'none',
      public: pem,
      fingerprint: createHash('sha256').update(pem).digest('hex'),
      tags: {
        team: 'identity',
        alg: 'RSA_PSS_SHA256',
        'kms:key_id': base.keyId,
        'kms:region': 'us-east-1',
        'kms:arn': base.keyArn,
        label: 'jwt',
      },
    });
    expect(ref).not.to.have.property('material');
  });

  it('symmetric KeyRef: no public, fingerprint of the kid, no label when unset', () => {
    const ref = buildKeyRef({ ...base, alg: 'AES256_GCM', kmsKeyUsage: 'ENCRYPT_DECRYPT', callerTags: {} });
    expect(ref).not.to.have.property('public');
    expect(ref.tags).not.to.have.property('label');
    expect(ref.uses).to.deep.equal(['encrypt', 'decrypt']);
    expect(ref.fingerprint).to.equal(createHash('sha256').update(base.kid).digest('hex'));
  });

  it('public JWKs carry kid <kid>.<version>, alg and use, in member order', () => {
    const rsa = buildPublicJwk(der('rsa-2048'), base.kid, 3, KeyAlg.RSA_PSS_SHA256)!;
    expect(Object.keys(rsa)).to.deep.equal(['kty', 'n', 'e', 'kid', 'alg', 'use']);
    expect(rsa).to.deep.include({ kid: `${base.kid}.3`, alg: 'PS256', use: 'sig' });
    const oaep = buildPublicJwk(der('rsa-2048'), base.kid, 1, KeyAlg.RSA_OAEP_SHA256)!;
    expect(oaep).to.deep.include({ alg: 'RSA-OAEP-256', use: 'enc' });
    const ec = buildPublicJwk(der('ec-p256'), base.kid, 2, KeyAlg.ECDSA_P256_SHA256)!;
    expect(Object.keys(ec)).to.deep.equal(['kty', 'crv', 'x', 'y', 'kid', 'alg', 'use']);
    const nodeJwk = vectors.find((k) => k.name === 'ec-p256')!.jwk;
    expect(ec).to.deep.equal({ ...nodeJwk, kid: `${base.kid}.2`, alg: 'ES256', use: 'sig' });
    expect(jwkKid('k', 7)).to.equal('k.7');
  });

  it('an ML-DSA public key is an AKP JWK (kty, alg = the parameter set, pub); tagged otherwise it is refused', () => {
    const { publicKey } = ml_dsa65.keygen(new Uint8Array(32).fill(3));
    const algorithm = derTlv(0x30, derTlv(0x06, new Uint8Array(Buffer.from('608648016503040312', 'hex')))); // 2.16.840.1.101.3.4.3.18
    const spki = derTlv(0x30, algorithm, derTlv(0x03, new Uint8Array([0]), publicKey));
    const jwk = buildPublicJwk(spki, base.kid, 4, KeyAlg.ML_DSA_65)!;
    expect(Object.keys(jwk)).to.deep.equal(['kty', 'alg', 'pub', 'kid', 'use']);
    expect(jwk).to.deep.equal({ kty: 'AKP', alg: 'ML-DSA-65', pub: toBase64Url(publicKey), kid: `${base.kid}.4`, use: 'sig' });
    expect(() => buildPublicJwk(spki, base.kid, 4, KeyAlg.ECDSA_P256_SHA256)).to.throw(
      InvalidKeyStateError,
      /tagged ECDSA_P256_SHA256 but its KMS public key is AKP:ML-DSA-65/,
    );
  });

  it('no JWK for symmetric algs; a key that does not fit its alg tag is refused', () => {
    expect(buildPublicJwk(der('rsa-2048'), base.kid, 1, KeyAlg.AES256_GCM)).to.equal(undefined);
    expect(() => buildPublicJwk(der('ec-p256'), base.kid, 1, KeyAlg.RSA_PSS_SHA256)).to.throw(InvalidKeyStateError, /tagged RSA_PSS_SHA256 but its KMS public key is EC:P-256/);
    expect(() => buildPublicJwk(der('ec-p384'), base.kid, 1, KeyAlg.ECDSA_P256_SHA256)).to.throw(InvalidKeyStateError);
  });
});
