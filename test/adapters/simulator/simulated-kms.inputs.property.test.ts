/**
 * Fuzzing every operation's input: whatever the members hold, an operation either answers or throws a client
 * KmsException — never a TypeError, never a server fault. Replay a failure with FC_SEED=<seed>.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { KmsException } from '../../../src/adapters/kms-exception.js';
import type { SimulatedKms } from '../../../src/adapters/simulator/simulated-kms.js';
import type { KmsPort } from '../../../src/ports/kms.port.js';
import { createKey, newKms } from './simulator-test-kit.js';

type Operation = Exclude<keyof KmsPort, 'region'>;

/** The members each operation reads. */
const MEMBERS: Record<Operation, readonly string[]> = {
  createKey: ['Policy', 'Description', 'KeyUsage', 'KeySpec', 'CustomerMasterKeySpec', 'Origin', 'BypassPolicyLockoutSafetyCheck', 'Tags', 'MultiRegion', 'CustomKeyStoreId', 'XksKeyId'],
  describeKey: ['KeyId', 'GrantTokens'],
  listKeys: ['Limit', 'Marker'],
  createAlias: ['AliasName', 'TargetKeyId'],
  updateAlias: ['AliasName', 'TargetKeyId'],
  deleteAlias: ['AliasName'],
  listAliases: ['KeyId', 'Limit', 'Marker'],
  getPublicKey: ['KeyId', 'GrantTokens'],
  tagResource: ['KeyId', 'Tags'],
  untagResource: ['KeyId', 'TagKeys'],
  listResourceTags: ['KeyId', 'Limit', 'Marker'],
  enableKey: ['KeyId'],
  disableKey: ['KeyId'],
  scheduleKeyDeletion: ['KeyId', 'PendingWindowInDays'],
  cancelKeyDeletion: ['KeyId'],
  sign: ['KeyId', 'Message', 'MessageType', 'SigningAlgorithm', 'GrantTokens', 'DryRun'],
  verify: ['KeyId', 'Message', 'MessageType', 'Signature', 'SigningAlgorithm', 'GrantTokens', 'DryRun'],
  generateRandom: ['NumberOfBytes'],
  encrypt: ['KeyId', 'Plaintext', 'EncryptionContext', 'EncryptionAlgorithm', 'GrantTokens', 'DryRun'],
  decrypt: ['CiphertextBlob', 'EncryptionContext', 'KeyId', 'EncryptionAlgorithm', 'GrantTokens', 'DryRun'],
  generateDataKey: ['KeyId', 'EncryptionContext', 'NumberOfBytes', 'KeySpec', 'GrantTokens', 'DryRun'],
  generateMac: ['KeyId', 'Message', 'MacAlgorithm', 'GrantTokens', 'DryRun'],
  verifyMac: ['KeyId', 'Message', 'MacAlgorithm', 'Mac', 'GrantTokens', 'DryRun'],
  decapsulate: ['KeyId', 'SharedSecretCiphertextBlob', 'EncapsulationAlgorithm', 'GrantTokens', 'DryRun'],
  deriveSharedSecret: ['KeyId', 'KeyAgreementAlgorithm', 'PublicKey', 'GrantTokens', 'DryRun', 'Recipient'],
  encapsulate: ['KeyId', 'EncapsulationAlgorithm', 'GrantTokens', 'DryRun'],
  getKeyLastUsage: ['KeyId'],
  disableKeyRotation: ['KeyId'],
  enableKeyRotation: ['KeyId', 'RotationPeriodInDays'],
  getKeyRotationStatus: ['KeyId'],
  listKeyRotations: ['KeyId', 'IncludeKeyMaterial', 'Limit', 'Marker'],
  rotateKeyOnDemand: ['KeyId'],
  getKeyPolicy: ['KeyId', 'PolicyName'],
  listKeyPolicies: ['KeyId', 'Limit', 'Marker'],
  putKeyPolicy: ['KeyId', 'PolicyName', 'Policy', 'BypassPolicyLockoutSafetyCheck'],
  updateKeyDescription: ['KeyId', 'Description'],
  reEncrypt: [
    'CiphertextBlob', 'SourceEncryptionContext', 'SourceKeyId', 'DestinationKeyId', 'DestinationEncryptionContext',
    'SourceEncryptionAlgorithm', 'DestinationEncryptionAlgorithm', 'GrantTokens', 'DryRun',
  ],
  generateDataKeyWithoutPlaintext: ['KeyId', 'EncryptionContext', 'KeySpec', 'NumberOfBytes', 'GrantTokens', 'DryRun'],
  generateDataKeyPair: ['EncryptionContext', 'KeyId', 'KeyPairSpec', 'GrantTokens', 'Recipient', 'DryRun'],
  generateDataKeyPairWithoutPlaintext: ['EncryptionContext', 'KeyId', 'KeyPairSpec', 'GrantTokens', 'DryRun'],
  createGrant: ['KeyId', 'GranteePrincipal', 'RetiringPrincipal', 'Operations', 'Constraints', 'GrantTokens', 'Name', 'DryRun'],
  listGrants: ['Limit', 'Marker', 'KeyId', 'GrantId', 'GranteePrincipal'],
  listRetirableGrants: ['Limit', 'Marker', 'RetiringPrincipal'],
  retireGrant: ['GrantToken', 'KeyId', 'GrantId', 'DryRun'],
  revokeGrant: ['KeyId', 'GrantId', 'DryRun'],
  connectCustomKeyStore: ['CustomKeyStoreId'],
  createCustomKeyStore: [
    'CustomKeyStoreName', 'CloudHsmClusterId', 'TrustAnchorCertificate', 'KeyStorePassword', 'CustomKeyStoreType', 'XksProxyUriEndpoint',
    'XksProxyUriPath', 'XksProxyVpcEndpointServiceName', 'XksProxyVpcEndpointServiceOwner', 'XksProxyAuthenticationCredential', 'XksProxyConnectivity',
  ],
  deleteCustomKeyStore: ['CustomKeyStoreId'],
  describeCustomKeyStores: ['CustomKeyStoreId', 'CustomKeyStoreName', 'Limit', 'Marker'],
  disconnectCustomKeyStore: ['CustomKeyStoreId'],
  updateCustomKeyStore: [
    'CustomKeyStoreId', 'NewCustomKeyStoreName', 'KeyStorePassword', 'CloudHsmClusterId', 'XksProxyUriEndpoint', 'XksProxyUriPath',
    'XksProxyVpcEndpointServiceName', 'XksProxyVpcEndpointServiceOwner', 'XksProxyAuthenticationCredential', 'XksProxyConnectivity',
  ],
  deleteImportedKeyMaterial: ['KeyId', 'KeyMaterialId'],
  getParametersForImport: ['KeyId', 'WrappingAlgorithm', 'WrappingKeySpec'],
  importKeyMaterial: [
    'KeyId', 'ImportToken', 'EncryptedKeyMaterial', 'ValidTo', 'ExpirationModel', 'ImportType', 'KeyMaterialDescription',
    'KeyMaterialId',
  ],
  replicateKey: ['KeyId', 'ReplicaRegion', 'Policy', 'BypassPolicyLockoutSafetyCheck', 'Description', 'Tags'],
  updatePrimaryRegion: ['KeyId', 'PrimaryRegion'],
};

describe('adapters/simulator/SimulatedKms — any input (property)', () => {
  let kms: SimulatedKms;
  let plausible: fc.Arbitrary<unknown>;

  before(async () => {
    kms = newKms();
    const signing = await createKey(kms, 'ECC_NIST_P256');
    const symmetric = await createKey(kms);
    const hmac = await createKey(kms, 'HMAC_256');
    await kms.createAlias({ AliasName: 'alias/fuzz', TargetKeyId: signing.KeyId });
    const { CiphertextBlob } = await kms.encrypt({ KeyId: symmetric.KeyId, Plaintext: Uint8Array.of(1), EncryptionContext: { a: 'b' } });
    plausible = fc.oneof(
      fc.constantFrom(
        signing.KeyId,
        signing.Arn,
        symmetric.KeyId,
        hmac.Arn,
        'alias/fuzz',
        'alias/aws/s3',
        'SYMMETRIC_DEFAULT',
        'ECC_NIST_P256',
        'HMAC_256',
        'SIGN_VERIFY',
        'ENCRYPT_DECRYPT',
        'ECDSA_SHA_256',
        'RSAES_OAEP_SHA_256',
        'HMAC_SHA_256',
        'AES_256',
        'RAW',
        'DIGEST',
        'AWS_KMS',
        '{}',
      ),
      fc.uint8Array({ maxLength: 80 }),
      fc.constant(CiphertextBlob),
      fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
      fc.array(fc.record({ TagKey: fc.string(), TagValue: fc.string() }), { maxLength: 3 }),
      fc.array(fc.string(), { maxLength: 3 }),
      fc.integer({ min: -5, max: 2000 }),
      fc.boolean(),
    );
  });

  it('answers or throws a client KmsException, for every operation', async () => {
    const operation = fc.constantFrom(...(Object.keys(MEMBERS) as Operation[]));
    const input = (op: Operation) =>
      fc.dictionary(fc.constantFrom(...MEMBERS[op]), fc.oneof(plausible, fc.anything({ maxDepth: 2 })), { maxKeys: MEMBERS[op].length });
    await fc.assert(
      fc.asyncProperty(
        operation.chain((op) => fc.tuple(fc.constant(op), fc.oneof(input(op), fc.anything({ maxDepth: 1 })))),
        async ([op, request]) => {
          const call = kms[op] as (input: unknown) => Promise<unknown>;
          try {
            await call.call(kms, request);
          } catch (e) {
            expect(e, `${op}: ${String(e)}`).to.be.instanceOf(KmsException);
            expect((e as KmsException).$fault, `${op}: ${String(e)}`).to.equal('client');
          }
        },
      ),
      { numRuns: 1500 },
    );
  });
});
