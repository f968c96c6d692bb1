/** The public API is exactly what src/index.ts exports, and the built package (exports map → dist) says the same. */
import { expect } from 'chai';
import * as api from '../src/index.js';
import type * as source from '../src/index.js';
import type * as built from 'aws-kms-keyprovider';

const EXPECTED = [
  'AwsKmsKeyProvider',
  'AwsSdkKms',
  'ConflictError',
  'ExportPolicy',
  'FAULT_OPERATIONS',
  'FaultPlan',
  'InvalidArgumentError',
  'InvalidKeyStateError',
  'KeyAlg',
  'KeyClass',
  'KeyNotFoundError',
  'KeyProviderError',
  'KeyType',
  'KeyUse',
  'KmsError',
  'KmsException',
  'KmsJwtSigner',
  'SimulatedKms',
  'SimulatorRegions',
  'SimulatorStateError',
  'UnsupportedAlgorithmError',
  'UnsupportedOperationError',
  'openSimulatorState',
  'parseFaultSpec',
  'parseJwkKid',
  'startKmsServer',
  'startSimulatorServer',
];

describe('public API', () => {
  it('src/index.ts exports exactly these runtime names', () => {
    expect(Object.keys(api).sort()).to.deep.equal(EXPECTED);
  });

  it('the package name resolves through the exports map to the built dist/ with the same names', async () => {
    const built = (await import('aws-kms-keyprovider')) as Record<string, unknown>;
    expect(Object.keys(built).sort()).to.deep.equal(EXPECTED);
  });

  it('exports the store types and the port types by name, from src and from the built declarations', () => {
    // Compile-time: `npm test` type-checks this file, so a type missing from either barrel fails the suite.
    type FromSource = [
      source.SimulatorStore, source.SimulatorStoreReader, source.SimulatorStoreTransaction, source.KeyRecord,
      source.AliasRecord, source.StoredTag, source.KeyMaterial, source.KmsExceptionName, source.KmsPortError,
      source.ProviderCacheOptions,
    ];
    // the signing types (KmsJwtSigner, its options, SigningKey, the OKP and AKP JWKs)
    type SigningFromSource = [
      source.KmsJwtSignerOptions, source.KmsJwtSignerProvider, source.SignJwtOptions, source.SignJwsOptions,
      source.SigningKey, source.SigningRules, source.ParsedJwkKid, source.OkpPublicJwk, source.AkpPublicJwk,
    ];
    type SigningFromBuilt = [
      built.KmsJwtSignerOptions, built.KmsJwtSignerProvider, built.SignJwtOptions, built.SignJwsOptions,
      built.SigningKey, built.SigningRules, built.ParsedJwkKid, built.OkpPublicJwk, built.AkpPublicJwk,
    ];
    const options: SigningFromBuilt[2] = { expiresIn: '10m', notBefore: 0, headers: { typ: 'at+jwt' } };
    const okp: SigningFromSource[7] = { kty: 'OKP', crv: 'Ed25519', x: 'AA', kid: '0123456789abcdef.1', alg: 'EdDSA', use: 'sig' };
    expect([options.expiresIn, okp.crv]).to.deep.equal(['10m', 'Ed25519']);
    type FromBuilt = [
      built.SimulatorStore, built.SimulatorStoreReader, built.SimulatorStoreTransaction, built.KeyRecord,
      built.AliasRecord, built.StoredTag, built.KeyMaterial, built.KmsExceptionName, built.KmsPortError,
      built.ProviderCacheOptions,
    ];
    const tag: FromSource[5] = { key: 'team', value: 'identity', seq: 1 };
    const name: FromBuilt[7] = 'NotFoundException';
    expect([tag.seq, name]).to.deep.equal([1, 'NotFoundException']);
  });

  it('exports the rotation-grace types (JwksInclude, RotateOverrides.activate) from src and from the built declarations', () => {
    // Compile-time, as above: a missing or changed type fails the type-check of this file.
    const includes: Array<source.JwksInclude | built.JwksInclude> = ['latest', 'enabled'];
    const overrides: [source.RotateOverrides, built.RotateOverrides] = [{ activate: false }, { activate: true }];
    const options: source.JwksOptions = { include: includes[1]!, prefixKids: '3f' };
    expect([includes, overrides.map((o) => o.activate), options.include]).to.deep.equal([['latest', 'enabled'], [false, true], 'enabled']);
  });

  it('the Swarmauri enum values', () => {
    expect(api.KeyClass).to.deep.equal({ symmetric: 'sym', asymmetric: 'asym', opaque: 'opaque' });
    expect(api.ExportPolicy).to.deep.equal({ NONE: 'none', PUBLIC_ONLY: 'public_only', SECRET_WHEN_ALLOWED: 'secret_when_allowed' });
    expect(api.KeyUse.SIGN).to.equal('sign');
    expect(api.KeyType.OPAQUE).to.equal('opaque');
    expect(Object.values(api.KeyAlg)).to.deep.equal([
      'AES256_GCM', 'ED25519', 'X25519', 'HMAC_SHA256', 'RSA_OAEP_SHA256', 'RSA_PSS_SHA256', 'ECDSA_P256_SHA256',
      'HMAC_SHA224', 'HMAC_SHA384', 'HMAC_SHA512', 'RSA_PSS_SHA384', 'RSA_PSS_SHA512', 'RSA_PKCS1_SHA256',
      'RSA_PKCS1_SHA384', 'RSA_PKCS1_SHA512', 'ECDSA_P384_SHA384', 'ECDSA_P521_SHA512', 'ECDSA_SECP256K1_SHA256',
      'ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87',
    ]);
  });

  it('every error class has its code as a static and instance field and its name as name', () => {
    const codes: Record<string, string> = {
      KeyProviderError: 'ERR_KEY_PROVIDER',
      KeyNotFoundError: 'ERR_KEY_NOT_FOUND',
      UnsupportedAlgorithmError: 'ERR_UNSUPPORTED_ALGORITHM',
      InvalidArgumentError: 'ERR_INVALID_ARGUMENT',
      InvalidKeyStateError: 'ERR_INVALID_KEY_STATE',
      ConflictError: 'ERR_CONFLICT',
      UnsupportedOperationError: 'ERR_UNSUPPORTED_OPERATION',
      KmsError: 'ERR_KMS',
    };
    for (const [name, code] of Object.entries(codes)) {
      const Class = (api as unknown as Record<string, typeof api.KeyProviderError>)[name]!;
      const error = new Class('m');
      expect([Class.code, error.code, error.name]).to.deep.equal([code, code, name]);
    }
  });
});
