/** The KMS model and the request reader derived from it: the service's validation messages, typed results. */
import { expect } from 'chai';
import fc from 'fast-check';
import { KMS_MODEL, type PortMethod } from '../../../src/adapters/kms-model/kms-operations.js';
import { type RequestOf, memberPath, readRequest } from '../../../src/adapters/kms-model/request-reader.js';
import { KmsException } from '../../../src/adapters/kms-exception.js';
import { KMS_OPERATIONS } from '../../../src/adapters/http/kms-wire-codec.js';
import type { KmsPort } from '../../../src/ports/kms.port.js';

type PortInput<M extends PortMethod> = NonNullable<Parameters<KmsPort[M]>[0]>;
/** true when a read request can be handed to the port, and the model knows every member the port declares. */
type Agrees<M extends PortMethod> = [RequestOf<M>] extends [PortInput<M>]
  ? [Exclude<keyof PortInput<M>, keyof (typeof KMS_MODEL)[M]['input']>] extends [never]
    ? true
    : false
  : false;
/** Compile-time: the model and the port's request types agree for every operation (tsc fails otherwise). */
const AGREES: { [M in PortMethod]: Agrees<M> } = {
  createKey: true, describeKey: true, listKeys: true, createAlias: true, updateAlias: true, deleteAlias: true,
  listAliases: true, getPublicKey: true, tagResource: true, untagResource: true, listResourceTags: true,
  enableKey: true, disableKey: true, scheduleKeyDeletion: true, cancelKeyDeletion: true, sign: true, verify: true,
  generateRandom: true, encrypt: true, decrypt: true, generateDataKey: true, generateMac: true, verifyMac: true,
  decapsulate: true, deriveSharedSecret: true, encapsulate: true, getKeyLastUsage: true,
  disableKeyRotation: true, enableKeyRotation: true, getKeyRotationStatus: true, listKeyRotations: true,
  rotateKeyOnDemand: true,
  getKeyPolicy: true, listKeyPolicies: true, putKeyPolicy: true, updateKeyDescription: true,
  reEncrypt: true, generateDataKeyWithoutPlaintext: true, generateDataKeyPair: true,
  generateDataKeyPairWithoutPlaintext: true,
  createGrant: true, listGrants: true, listRetirableGrants: true, retireGrant: true, revokeGrant: true,
  connectCustomKeyStore: true, createCustomKeyStore: true, deleteCustomKeyStore: true, describeCustomKeyStores: true,
  disconnectCustomKeyStore: true, updateCustomKeyStore: true,
  deleteImportedKeyMaterial: true, getParametersForImport: true, importKeyMaterial: true,
  replicateKey: true, updatePrimaryRegion: true,
};

function violation(operation: PortMethod, input: unknown): string {
  try {
    readRequest(operation, input);
  } catch (error) {
    expect(error).to.be.instanceOf(KmsException);
    expect((error as KmsException).name).to.equal('ValidationException');
    expect((error as KmsException).$fault).to.equal('client');
    return (error as Error).message;
  }
  throw new Error('expected a ValidationException');
}

describe('KMS model and request reader', () => {
  it('describes every port operation, and the wire codec serves exactly those', () => {
    expect(Object.keys(AGREES).sort()).to.deep.equal(Object.keys(KMS_MODEL).sort());
    expect([...KMS_OPERATIONS.values()].map((op) => op.method).sort()).to.deep.equal(Object.keys(KMS_MODEL).sort());
  });

  it('gives the wire codec the same members, in the same order, as the model', () => {
    for (const op of KMS_OPERATIONS.values()) {
      const model = KMS_MODEL[op.method];
      expect(Object.keys(op.input), op.name).to.deep.equal(Object.keys(model.input));
      expect(op.output === undefined ? undefined : Object.keys(op.output), op.name).to.deep.equal(
        model.output === undefined ? undefined : Object.keys(model.output),
      );
    }
  });

  it('returns a typed copy of a valid request', () => {
    const message = Uint8Array.of(1, 2, 3);
    const request: RequestOf<'sign'> = readRequest('sign', {
      KeyId: 'alias/x',
      Message: message,
      SigningAlgorithm: 'ECDSA_SHA_256',
      GrantTokens: ['t'],
    });
    expect(request).to.deep.equal({ KeyId: 'alias/x', Message: message, SigningAlgorithm: 'ECDSA_SHA_256', GrantTokens: ['t'] });
    message[0] = 9;
    expect(request.Message[0]).to.equal(1);
    expect(readRequest('listKeys', undefined)).to.deep.equal({});
    expect(readRequest('listKeys', { Limit: null })).to.deep.equal({});
  });

  it('refuses a request that is not an object', () => {
    for (const bad of ['x', 1, [], true]) {
      expect(violation('listKeys', bad)).to.equal('1 validation error detected: The request must be an object of input members');
    }
  });

  it('reports every violation together, in model order, with the service wording', () => {
    expect(violation('createKey', { KeySpec: 'RSA_1024', Description: 'x'.repeat(8193) })).to.equal(
      "2 validation errors detected: Value '" + 'x'.repeat(8193) + "' at 'description' failed to satisfy constraint: " +
        'Member must have length less than or equal to 8192; ' +
        "Value 'RSA_1024' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: " +
        '[RSA_2048, RSA_3072, RSA_4096, ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521, ECC_SECG_P256K1, ' +
        'ECC_NIST_EDWARDS25519, SYMMETRIC_DEFAULT, HMAC_224, HMAC_256, HMAC_384, HMAC_512, SM2, ML_DSA_44, ML_DSA_65, ML_DSA_87, ML_KEM_512, ML_KEM_768, ML_KEM_1024]',
    );
    expect(violation('describeKey', {})).to.equal(
      "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null",
    );
    expect(violation('scheduleKeyDeletion', { KeyId: 'k', PendingWindowInDays: 0 })).to.equal(
      "1 validation error detected: Value '0' at 'pendingWindowInDays' failed to satisfy constraint: " +
        'Member must have value greater than or equal to 1',
    );
    expect(violation('createAlias', { AliasName: 'alias/a b', TargetKeyId: 'k' })).to.equal(
      "1 validation error detected: Value 'alias/a b' at 'aliasName' failed to satisfy constraint: " +
        'Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$',
    );
  });

  it('never echoes a blob, and names the wrong JavaScript type instead of throwing a TypeError', () => {
    expect(violation('sign', { KeyId: 'k', Message: new Uint8Array(0), SigningAlgorithm: 'ECDSA_SHA_256' })).to.equal(
      "1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    expect(violation('sign', { KeyId: 7, Message: 'hi', SigningAlgorithm: 'ECDSA_SHA_256', DryRun: 'yes' })).to.equal(
      "3 validation errors detected: Value at 'keyId' failed to satisfy constraint: Member must be a string; " +
        "Value at 'message' failed to satisfy constraint: Member must be a Uint8Array; " +
        "Value at 'dryRun' failed to satisfy constraint: Member must be a boolean",
    );
    expect(violation('encrypt', { KeyId: 'k', Plaintext: Uint8Array.of(1), EncryptionContext: new Map() })).to.equal(
      "1 validation error detected: Value at 'encryptionContext' failed to satisfy constraint: " +
        'Member must be a map of string keys to string values',
    );
    expect(violation('generateRandom', { NumberOfBytes: 1.5 })).to.equal(
      "1 validation error detected: Value at 'numberOfBytes' failed to satisfy constraint: Member must be an integer",
    );
  });

  it('checks lists item by item: grant tokens, tag keys and Tag structures', () => {
    expect(violation('describeKey', { KeyId: 'k', GrantTokens: ['a', 2] })).to.equal(
      "1 validation error detected: Value at 'grantTokens.member' failed to satisfy constraint: Member must be a string",
    );
    expect(violation('describeKey', { KeyId: 'k', GrantTokens: Array.from({ length: 11 }, (_, i) => `t${i}`) })).to.match(
      /^1 validation error detected: Value '\[t0, t1, .*, t10\]' at 'grantTokens' failed to satisfy constraint: Member must have length less than or equal to 10$/,
    );
    expect(violation('untagResource', { KeyId: 'k', TagKeys: ['ok', ''] })).to.equal(
      "1 validation error detected: Value '' at 'tagKeys.2.member' failed to satisfy constraint: " +
        'Member must have length greater than or equal to 1',
    );
    expect(violation('tagResource', { KeyId: 'k', Tags: [null, 'x', { TagKey: '' }] })).to.equal(
      "4 validation errors detected: Value at 'tags.1.member' failed to satisfy constraint: Member must be a Tag object; " +
        "Value at 'tags.2.member' failed to satisfy constraint: Member must be a Tag object; " +
        "Value '' at 'tags.3.member.tagKey' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value null at 'tags.3.member.tagValue' failed to satisfy constraint: Member must not be null",
    );
    expect(violation('tagResource', { KeyId: 'k' })).to.equal(
      "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null",
    );
  });

  it('reports nested structures by their model name and path', () => {
    expect(violation('decrypt', { CiphertextBlob: Uint8Array.of(1), Recipient: 'x' })).to.equal(
      "1 validation error detected: Value at 'recipient' failed to satisfy constraint: Member must be a RecipientInfo object",
    );
    expect(violation('decrypt', { CiphertextBlob: Uint8Array.of(1), Recipient: { AttestationDocument: 'x' } })).to.equal(
      "1 validation error detected: Value at 'recipient.attestationDocument' failed to satisfy constraint: Member must be a Uint8Array",
    );
  });

  it('never throws anything but a ValidationException, for any input to any operation', () => {
    const operations = Object.keys(KMS_MODEL) as PortMethod[];
    const member = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.uint8Array(), fc.array(fc.anything()), fc.object());
    fc.assert(
      fc.property(fc.constantFrom(...operations), fc.dictionary(fc.constantFrom('KeyId', 'Tags', 'GrantTokens', 'Message', 'Limit', 'Recipient', 'EncryptionContext', 'AliasName'), member), (operation, input) => {
        try {
          readRequest(operation, input);
        } catch (error) {
          expect(error).to.be.instanceOf(KmsException);
          expect((error as Error).name).to.equal('ValidationException');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('uses the model member names in lowerCamelCase', () => {
    expect(memberPath('KeyId')).to.equal('keyId');
    expect(memberPath('AWSAccountId')).to.equal('aWSAccountId');
  });
});
