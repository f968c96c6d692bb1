import { expect } from 'chai';
import fc from 'fast-check';
import {
  algOfKmsKey,
  joseFor,
  kmsKeySpecFor,
  kmsKeyUsageFor,
  resolveKeySpec,
  rsaSizeOfKmsKeySpec,
  supportedAlg,
  usesForKmsKeyUsage,
  validateRsaSize,
} from '../../src/domain/spec-mapping.js';
import { InvalidArgumentError, UnsupportedAlgorithmError } from '../../src/domain/errors.js';
import { KeyAlg, KeyClass } from '../../src/domain/key-types.js';

describe('domain/spec-mapping', () => {
  it('maps each supported alg to the KMS KeySpec and KeyUsage of the original', () => {
    expect(resolveKeySpec({ klass: 'sym', alg: 'AES256_GCM' })).to.deep.equal({
      alg: 'AES256_GCM',
      kmsKeySpec: 'SYMMETRIC_DEFAULT',
      kmsKeyUsage: 'ENCRYPT_DECRYPT',
      uses: ['encrypt', 'decrypt'],
      tags: {},
    });
    expect(resolveKeySpec({ klass: 'asym', alg: 'RSA_PSS_SHA256' })).to.deep.include({
      kmsKeySpec: 'RSA_3072',
      kmsKeyUsage: 'SIGN_VERIFY',
      uses: ['sign', 'verify'],
      sizeBits: 3072,
    });
    expect(resolveKeySpec({ klass: 'asym', alg: 'RSA_OAEP_SHA256', sizeBits: 2048 })).to.deep.include({
      kmsKeySpec: 'RSA_2048',
      kmsKeyUsage: 'ENCRYPT_DECRYPT',
      uses: ['encrypt', 'decrypt'],
    });
    expect(resolveKeySpec({ klass: 'opaque', alg: 'ECDSA_P256_SHA256' })).to.deep.include({
      kmsKeySpec: 'ECC_NIST_P256',
      kmsKeyUsage: 'SIGN_VERIFY',
    });
    expect(resolveKeySpec({ klass: 'asym', alg: 'RSA_PSS_SHA256', sizeBits: 4096, label: 'jwt', tags: { team: 'id' } }))
      .to.deep.include({ kmsKeySpec: 'RSA_4096', label: 'jwt', tags: { team: 'id' } });
  });

  it('RSA sizes: 2048, 3072, 4096 only (0 is not "default")', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)), (size) => {
        const ok = size === 2048 || size === 3072 || size === 4096;
        if (ok) expect(validateRsaSize(size)).to.equal(size);
        else expect(() => validateRsaSize(size)).to.throw(InvalidArgumentError, /2048\/3072\/4096/);
      }),
    );
    expect(() => resolveKeySpec({ klass: 'asym', alg: 'RSA_PSS_SHA256', sizeBits: 0 })).to.throw(InvalidArgumentError);
  });

  it('refuses sizeBits for non-RSA algs', () => {
    expect(() => resolveKeySpec({ klass: 'asym', alg: 'ECDSA_P256_SHA256', sizeBits: 256 })).to.throw(
      InvalidArgumentError,
      /sizeBits applies to RSA algs only/,
    );
  });

  it('unsupported and unknown algs are UnsupportedAlgorithmError', () => {
    for (const alg of ['X25519']) {
      expect(() => resolveKeySpec({ klass: 'asym', alg })).to.throw(UnsupportedAlgorithmError, `Unsupported alg for AWS KMS: ${alg}`);
    }
    expect(() => supportedAlg('RS256')).to.throw(UnsupportedAlgorithmError, "Unknown key algorithm: 'RS256'");
    expect(() => supportedAlg(42)).to.throw(UnsupportedAlgorithmError, 'Unknown key algorithm: 42');
  });

  it('klass/alg mismatch and unknown klass are InvalidArgumentError', () => {
    expect(() => resolveKeySpec({ klass: 'sym', alg: 'RSA_PSS_SHA256' })).to.throw(InvalidArgumentError, /does not match/);
    expect(() => resolveKeySpec({ klass: 'asym', alg: 'AES256_GCM' })).to.throw(InvalidArgumentError, /does not match/);
    expect(() => resolveKeySpec({ klass: 'symmetric', alg: 'AES256_GCM' })).to.throw(InvalidArgumentError, /Unknown key class/);
    expect(() => resolveKeySpec(null)).to.throw(InvalidArgumentError, 'KeySpec must be an object');
    expect(() => resolveKeySpec('x')).to.throw(InvalidArgumentError);
  });

  it('exportPolicy: the three Swarmauri values are accepted, others refused', () => {
    for (const exportPolicy of ['none', 'public_only', 'secret_when_allowed']) {
      expect(() => resolveKeySpec({ klass: 'sym', alg: 'AES256_GCM', exportPolicy })).not.to.throw();
    }
    expect(() => resolveKeySpec({ klass: 'sym', alg: 'AES256_GCM', exportPolicy: 'never_export_secret' })).to.throw(
      InvalidArgumentError,
      /Unknown export policy/,
    );
    expect(() => resolveKeySpec({ klass: 'sym', alg: 'AES256_GCM', exportPolicy: 3 })).to.throw(InvalidArgumentError);
  });

  it('uses: must fit the alg', () => {
    expect(() => resolveKeySpec({ klass: 'asym', alg: 'RSA_PSS_SHA256', uses: ['sign'] })).not.to.throw();
    expect(() => resolveKeySpec({ klass: 'asym', alg: 'RSA_OAEP_SHA256', uses: ['wrap', 'unwrap'] })).not.to.throw();
    expect(() => resolveKeySpec({ klass: 'asym', alg: 'RSA_PSS_SHA256', uses: ['encrypt'] })).to.throw(
      InvalidArgumentError,
      /Use 'encrypt' is not possible with RSA_PSS_SHA256/,
    );
    expect(() => resolveKeySpec({ klass: 'asym', alg: 'RSA_PSS_SHA256', uses: [] })).to.throw(InvalidArgumentError, /non-empty/);
    expect(() => resolveKeySpec({ klass: 'asym', alg: 'RSA_PSS_SHA256', uses: 'sign' })).to.throw(InvalidArgumentError);
  });

  it('label and tags are validated', () => {
    expect(resolveKeySpec({ klass: 'sym', alg: 'AES256_GCM', label: '' })).not.to.have.property('label');
    expect(() => resolveKeySpec({ klass: 'sym', alg: 'AES256_GCM', label: 'x'.repeat(257) })).to.throw(InvalidArgumentError);
    expect(() => resolveKeySpec({ klass: 'sym', alg: 'AES256_GCM', tags: { 'saur:kid': 'x' } })).to.throw(InvalidArgumentError);
  });

  it('JOSE alg and use per KeyAlg', () => {
    expect(joseFor(KeyAlg.RSA_PSS_SHA256)).to.deep.equal({ alg: 'PS256', use: 'sig', key: 'RSA' });
    expect(joseFor(KeyAlg.ECDSA_P256_SHA256)).to.deep.equal({ alg: 'ES256', use: 'sig', key: 'EC:P-256' });
    expect(joseFor(KeyAlg.RSA_OAEP_SHA256)).to.deep.equal({ alg: 'RSA-OAEP-256', use: 'enc', key: 'RSA' });
    expect(joseFor(KeyAlg.AES256_GCM)).to.equal(undefined);
    expect(joseFor(KeyAlg.HMAC_SHA256)).to.equal(undefined);
  });

  it('helpers', () => {
    expect(kmsKeySpecFor(KeyAlg.RSA_PSS_SHA256)).to.equal('RSA_3072');
    expect(kmsKeySpecFor(KeyAlg.RSA_OAEP_SHA256, 4096)).to.equal('RSA_4096');
    expect(kmsKeySpecFor(KeyAlg.AES256_GCM)).to.equal('SYMMETRIC_DEFAULT');
    expect(kmsKeySpecFor(KeyAlg.ECDSA_P256_SHA256)).to.equal('ECC_NIST_P256');
    expect(kmsKeyUsageFor(KeyAlg.AES256_GCM)).to.equal('ENCRYPT_DECRYPT');
    expect(rsaSizeOfKmsKeySpec('RSA_2048')).to.equal(2048);
    expect(rsaSizeOfKmsKeySpec('ECC_NIST_P256')).to.equal(undefined);
    expect(usesForKmsKeyUsage('SIGN_VERIFY')).to.deep.equal(['sign', 'verify']);
    expect(usesForKmsKeyUsage('ENCRYPT_DECRYPT')).to.deep.equal(['encrypt', 'decrypt']);
    expect(KeyClass.asymmetric).to.equal('asym');
  });

  it('algOfKmsKey: the one supported alg a KMS key spec and usage allow, else undefined', () => {
    expect(algOfKmsKey('ECC_NIST_P256', 'SIGN_VERIFY')).to.equal('ECDSA_P256_SHA256');
    expect(algOfKmsKey('RSA_2048', 'SIGN_VERIFY')).to.equal(undefined); // PS256 … RS512: the saur:alg tag says
    expect(algOfKmsKey('RSA_4096', 'ENCRYPT_DECRYPT')).to.equal('RSA_OAEP_SHA256');
    expect(algOfKmsKey('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT')).to.equal('AES256_GCM');
    expect(algOfKmsKey('ECC_NIST_P384', 'SIGN_VERIFY')).to.equal('ECDSA_P384_SHA384');
    expect(algOfKmsKey('ECC_NIST_EDWARDS25519', 'SIGN_VERIFY')).to.equal('ED25519');
    expect(algOfKmsKey('SM2', 'SIGN_VERIFY')).to.equal(undefined);
    expect(algOfKmsKey('ECC_NIST_P256', 'KEY_AGREEMENT')).to.equal(undefined);
    expect(algOfKmsKey('HMAC_256', 'GENERATE_VERIFY_MAC')).to.equal('HMAC_SHA256');
  });
});
