/**
 * AwsSdkKms: each port operation sends its SDK Command with the port input as is and the caller's abort signal,
 * and returns the SDK output without `$metadata` (Truncated defaulted); SDK failures become KmsExceptions with the
 * SDK error as `cause`. No network: aws-sdk-client-mock stubs KMSClient#send, or a real KMSClient answers through
 * a local request handler (the real SDK stack: serialisation, error parsing, retries). Also the composition
 * `new AwsKmsKeyProvider({ region, … })`, which builds an AwsSdkKms.
 */
import { generateKeyPairSync } from 'node:crypto';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CancelKeyDeletionCommand,
  DeleteImportedKeyMaterialCommand,
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DecapsulateCommand,
  DecryptCommand,
  DeleteAliasCommand,
  DeriveSharedSecretCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncapsulateCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyPairCommand,
  GenerateDataKeyPairWithoutPlaintextCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateMacCommand,
  GenerateRandomCommand,
  GetKeyLastUsageCommand,
  GetPublicKeyCommand,
  KMSClient,
  KMSInternalException,
  KMSServiceException,
  ListAliasesCommand,
  ListGrantsCommand,
  ListKeysCommand,
  ListRetirableGrantsCommand,
  RetireGrantCommand,
  RevokeGrantCommand,
  ListResourceTagsCommand,
  ReEncryptCommand,
  NotFoundException,
  ScheduleKeyDeletionCommand,
  SignCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
  VerifyCommand,
  VerifyMacCommand,
  DisableKeyRotationCommand,
  EnableKeyRotationCommand,
  GetKeyRotationStatusCommand,
  ListKeyRotationsCommand,
  RotateKeyOnDemandCommand,
  ReplicateKeyCommand,
  UpdatePrimaryRegionCommand,
} from '@aws-sdk/client-kms';
import { ConnectCustomKeyStoreCommand, CreateCustomKeyStoreCommand, DeleteCustomKeyStoreCommand, DescribeCustomKeyStoresCommand, DisconnectCustomKeyStoreCommand, UpdateCustomKeyStoreCommand } from '@aws-sdk/client-kms';
import { GetKeyPolicyCommand, ListKeyPoliciesCommand, PutKeyPolicyCommand, UpdateKeyDescriptionCommand } from '@aws-sdk/client-kms';
import {
  AwsKmsKeyProvider,
  AwsSdkKms,
  InvalidArgumentError,
  KeyAlg,
  KeyClass,
  KeyNotFoundError,
  KmsException,
  SimulatedKms,
  type AwsSdkKmsOptions,
  type KeyMetadata,
  type KmsCallOptions,
  type KmsPort,
} from '../../../src/index.js';

type Operation = Exclude<keyof KmsPort, 'region'>;
type Callable = Record<Operation, (input: unknown, options?: KmsCallOptions) => Promise<unknown>>;

const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const ARN = `arn:aws:kms:eu-west-1:111122223333:key/${KEY_ID}`;
const CREATED = new Date('2026-01-02T03:04:05Z');
const METADATA = {
  AWSAccountId: '111122223333',
  KeyId: KEY_ID,
  Arn: ARN,
  CreationDate: CREATED,
  Enabled: true,
  Description: 'test key',
  KeyUsage: 'SIGN_VERIFY',
  KeyState: 'Enabled',
  Origin: 'AWS_KMS',
  KeyManager: 'CUSTOMER',
  CustomerMasterKeySpec: 'ECC_NIST_P256',
  KeySpec: 'ECC_NIST_P256',
  SigningAlgorithms: ['ECDSA_SHA_256'],
  MultiRegion: false,
} satisfies KeyMetadata;
const SDK_METADATA = { httpStatusCode: 200, requestId: 'req-1', attempts: 1, totalRetryDelay: 0 };
const bytes = (...values: number[]) => new Uint8Array(values);
const STATIC_CREDENTIALS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret-value' };

interface Case {
  op: Operation;
  command: new (input: never) => object;
  input: object;
  /** What the SDK resolves (before `$metadata` is added). */
  output: Record<string, unknown>;
  /** What the port returns. */
  expected: unknown;
}

const same = (op: Operation, command: Case['command'], input: object, output: Record<string, unknown>): Case => ({
  op,
  command,
  input,
  output,
  expected: output,
});
const voidOf = (op: Operation, command: Case['command'], input: object): Case => ({ op, command, input, output: {}, expected: undefined });

const CASES: Case[] = [
  same(
    'createKey',
    CreateKeyCommand,
    {
      KeySpec: 'ECC_NIST_P256',
      KeyUsage: 'SIGN_VERIFY',
      Description: 'test key',
      Policy: '{"Version":"2012-10-17","Statement":[]}',
      Tags: [{ TagKey: 'saur:kid', TagValue: '0123456789abcdef' }],
    },
    { KeyMetadata: METADATA },
  ),
  same('describeKey', DescribeKeyCommand, { KeyId: 'alias/swarmauri/0123456789abcdef' }, { KeyMetadata: METADATA }),
  same(
    'listKeys',
    ListKeysCommand,
    { Limit: 10, Marker: 'm1' },
    { Keys: [{ KeyId: KEY_ID, KeyArn: ARN }], NextMarker: 'm2', Truncated: true },
  ),
  voidOf('enableKey', EnableKeyCommand, { KeyId: KEY_ID }),
  voidOf('disableKey', DisableKeyCommand, { KeyId: KEY_ID }),
  same(
    'scheduleKeyDeletion',
    ScheduleKeyDeletionCommand,
    { KeyId: KEY_ID, PendingWindowInDays: 7 },
    { KeyId: ARN, DeletionDate: new Date('2026-01-09T03:04:05Z'), KeyState: 'PendingDeletion', PendingWindowInDays: 7 },
  ),
  same('cancelKeyDeletion', CancelKeyDeletionCommand, { KeyId: KEY_ID }, { KeyId: ARN }),
  same(
    'getPublicKey',
    GetPublicKeyCommand,
    { KeyId: KEY_ID, GrantTokens: ['g'] },
    {
      KeyId: ARN,
      PublicKey: bytes(0x30, 0x59, 0x30, 0x13),
      CustomerMasterKeySpec: 'ECC_NIST_P256',
      KeySpec: 'ECC_NIST_P256',
      KeyUsage: 'SIGN_VERIFY',
      SigningAlgorithms: ['ECDSA_SHA_256'],
    },
  ),
  voidOf('createAlias', CreateAliasCommand, { AliasName: 'alias/swarmauri/0123456789abcdef', TargetKeyId: KEY_ID }),
  voidOf('updateAlias', UpdateAliasCommand, { AliasName: 'alias/swarmauri/0123456789abcdef', TargetKeyId: KEY_ID }),
  voidOf('deleteAlias', DeleteAliasCommand, { AliasName: 'alias/swarmauri/0123456789abcdef' }),
  same(
    'listAliases',
    ListAliasesCommand,
    { KeyId: KEY_ID, Limit: 100, Marker: 'm1' },
    {
      Aliases: [
        {
          AliasName: 'alias/swarmauri/0123456789abcdef',
          AliasArn: 'arn:aws:kms:eu-west-1:111122223333:alias/swarmauri/0123456789abcdef',
          TargetKeyId: KEY_ID,
          CreationDate: CREATED,
          LastUpdatedDate: CREATED,
        },
        { AliasName: 'alias/aws/s3', AliasArn: 'arn:aws:kms:eu-west-1:111122223333:alias/aws/s3' },
      ],
      Truncated: false,
    },
  ),
  voidOf('tagResource', TagResourceCommand, { KeyId: KEY_ID, Tags: [{ TagKey: 'team', TagValue: 'a' }] }),
  voidOf('untagResource', UntagResourceCommand, { KeyId: KEY_ID, TagKeys: ['team'] }),
  same(
    'listResourceTags',
    ListResourceTagsCommand,
    { KeyId: KEY_ID, Limit: 50 },
    { Tags: [{ TagKey: 'saur:kid', TagValue: '0123456789abcdef' }], Truncated: false },
  ),
  same(
    'sign',
    SignCommand,
    { KeyId: KEY_ID, Message: new Uint8Array(32).fill(7), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' },
    { KeyId: ARN, Signature: bytes(0x30, 0x44, 0x02, 0x20), SigningAlgorithm: 'ECDSA_SHA_256' },
  ),
  same(
    'verify',
    VerifyCommand,
    { KeyId: KEY_ID, Message: bytes(1, 2, 3), Signature: bytes(0x30, 0x44), SigningAlgorithm: 'ECDSA_SHA_256' },
    { KeyId: ARN, SignatureValid: true, SigningAlgorithm: 'ECDSA_SHA_256' },
  ),
  same('generateRandom', GenerateRandomCommand, { NumberOfBytes: 4 }, { Plaintext: bytes(9, 8, 7, 6) }),
  same(
    'encrypt',
    EncryptCommand,
    { KeyId: KEY_ID, Plaintext: bytes(1, 2), EncryptionContext: { purpose: 'test' } },
    { CiphertextBlob: bytes(0xaa, 0xbb, 0xcc), KeyId: ARN, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
  ),
  same(
    'decrypt',
    DecryptCommand,
    { CiphertextBlob: bytes(0xaa, 0xbb, 0xcc), EncryptionContext: { purpose: 'test' } },
    { KeyId: ARN, Plaintext: bytes(1, 2), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT', KeyMaterialId: 'material-1' },
  ),
  same(
    'generateDataKey',
    GenerateDataKeyCommand,
    { KeyId: KEY_ID, KeySpec: 'AES_256', EncryptionContext: { purpose: 'test' } },
    { CiphertextBlob: bytes(0xaa), Plaintext: new Uint8Array(32).fill(1), KeyId: ARN },
  ),
  same(
    'generateMac',
    GenerateMacCommand,
    { KeyId: KEY_ID, Message: bytes(1), MacAlgorithm: 'HMAC_SHA_256' },
    { Mac: new Uint8Array(32).fill(3), MacAlgorithm: 'HMAC_SHA_256', KeyId: ARN },
  ),
  same(
    'reEncrypt',
    ReEncryptCommand,
    { CiphertextBlob: bytes(0xaa), DestinationKeyId: KEY_ID, DestinationEncryptionContext: { purpose: 'test' } },
    {
      CiphertextBlob: bytes(0xbb),
      SourceKeyId: ARN,
      KeyId: ARN,
      SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      SourceKeyMaterialId: 'material-1',
      DestinationKeyMaterialId: 'material-1',
    },
  ),
  same(
    'generateDataKeyWithoutPlaintext',
    GenerateDataKeyWithoutPlaintextCommand,
    { KeyId: KEY_ID, NumberOfBytes: 64 },
    { CiphertextBlob: bytes(0xaa), KeyId: ARN, KeyMaterialId: 'material-1' },
  ),
  same(
    'generateDataKeyPair',
    GenerateDataKeyPairCommand,
    { KeyId: KEY_ID, KeyPairSpec: 'ECC_NIST_P256', EncryptionContext: { purpose: 'test' } },
    { PrivateKeyCiphertextBlob: bytes(0xaa), PrivateKeyPlaintext: bytes(0x30), PublicKey: bytes(0x30, 1), KeyId: ARN, KeyPairSpec: 'ECC_NIST_P256' },
  ),
  same(
    'generateDataKeyPairWithoutPlaintext',
    GenerateDataKeyPairWithoutPlaintextCommand,
    { KeyId: KEY_ID, KeyPairSpec: 'RSA_2048' },
    { PrivateKeyCiphertextBlob: bytes(0xaa), PublicKey: bytes(0x30, 2), KeyId: ARN, KeyPairSpec: 'RSA_2048' },
  ),
  same(
    'verifyMac',
    VerifyMacCommand,
    { KeyId: KEY_ID, Message: bytes(1), MacAlgorithm: 'HMAC_SHA_256', Mac: new Uint8Array(32).fill(3) },
    { KeyId: ARN, MacValid: true, MacAlgorithm: 'HMAC_SHA_256' },
  ),
  same(
    'deriveSharedSecret',
    DeriveSharedSecretCommand,
    { KeyId: KEY_ID, KeyAgreementAlgorithm: 'ECDH', PublicKey: bytes(0x30, 1), GrantTokens: ['g'], DryRun: false },
    { KeyId: ARN, SharedSecret: new Uint8Array(32).fill(4), KeyAgreementAlgorithm: 'ECDH', KeyOrigin: 'AWS_KMS' },
  ),
  same(
    'encapsulate',
    EncapsulateCommand,
    { KeyId: KEY_ID, EncapsulationAlgorithm: 'ML_KEM' },
    { KeyId: ARN, SharedSecret: new Uint8Array(32).fill(5), SharedSecretCiphertextBlob: bytes(6, 7), EncapsulationAlgorithm: 'ML_KEM' },
  ),
  same(
    'decapsulate',
    DecapsulateCommand,
    { KeyId: KEY_ID, SharedSecretCiphertextBlob: bytes(6, 7), EncapsulationAlgorithm: 'ML_KEM' },
    { KeyId: ARN, SharedSecret: new Uint8Array(32).fill(5), EncapsulationAlgorithm: 'ML_KEM' },
  ),
  same(
    'getKeyLastUsage',
    GetKeyLastUsageCommand,
    { KeyId: ARN },
    {
      KeyId: KEY_ID,
      KeyLastUsage: { Operation: 'Sign', Timestamp: new Date(1_000), CloudTrailEventId: 'e', KmsRequestId: 'r' },
      TrackingStartDate: new Date(0),
      KeyCreationDate: new Date(0),
    },
  ),
  voidOf('disableKeyRotation', DisableKeyRotationCommand, { KeyId: KEY_ID }),
  voidOf('enableKeyRotation', EnableKeyRotationCommand, { KeyId: KEY_ID, RotationPeriodInDays: 90 }),
  same(
    'getKeyRotationStatus',
    GetKeyRotationStatusCommand,
    { KeyId: KEY_ID },
    { KeyRotationEnabled: true, KeyId: ARN, RotationPeriodInDays: 90, NextRotationDate: new Date('2026-04-01T00:00:00Z') },
  ),
  same(
    'listKeyRotations',
    ListKeyRotationsCommand,
    { KeyId: KEY_ID, IncludeKeyMaterial: 'ALL_KEY_MATERIAL', Limit: 2, Marker: 'm1' },
    {
      Rotations: [{ KeyId: KEY_ID, KeyMaterialId: 'ab'.repeat(32), KeyMaterialState: 'CURRENT', RotationDate: new Date(0), RotationType: 'ON_DEMAND' }],
      NextMarker: 'm2',
      Truncated: true,
    },
  ),
  same('rotateKeyOnDemand', RotateKeyOnDemandCommand, { KeyId: KEY_ID }, { KeyId: ARN }),
  same('getKeyPolicy', GetKeyPolicyCommand, { KeyId: KEY_ID, PolicyName: 'default' }, { Policy: '{"Statement":[]}', PolicyName: 'default' }),
  same('listKeyPolicies', ListKeyPoliciesCommand, { KeyId: KEY_ID, Limit: 10 }, { PolicyNames: ['default'], Truncated: false }),
  voidOf('putKeyPolicy', PutKeyPolicyCommand, { KeyId: KEY_ID, PolicyName: 'default', Policy: '{}', BypassPolicyLockoutSafetyCheck: true }),
  voidOf('updateKeyDescription', UpdateKeyDescriptionCommand, { KeyId: KEY_ID, Description: 'new' }),
  same('createGrant', CreateGrantCommand, { KeyId: KEY_ID, GranteePrincipal: 'arn:aws:iam::111122223333:role/a', Operations: ['Encrypt'], Name: 'n', DryRun: false }, { GrantToken: 't', GrantId: 'ab'.repeat(32) }),
  same('listGrants', ListGrantsCommand, { KeyId: KEY_ID, Limit: 1, GrantId: 'ab'.repeat(32) }, { Grants: [{ KeyId: ARN, GrantId: 'ab'.repeat(32), Operations: ['Encrypt'], CreationDate: new Date(0) }], NextMarker: 'm', Truncated: true }),
  same('listRetirableGrants', ListRetirableGrantsCommand, { RetiringPrincipal: 'arn:aws:iam::111122223333:role/r', Limit: 5 }, { Grants: [], Truncated: false }),
  voidOf('retireGrant', RetireGrantCommand, { GrantToken: 't', DryRun: false }),
  voidOf('revokeGrant', RevokeGrantCommand, { KeyId: KEY_ID, GrantId: 'ab'.repeat(32) }),
  voidOf('connectCustomKeyStore', ConnectCustomKeyStoreCommand, { CustomKeyStoreId: 'cks-1234567890abcdef0' }),
  same('createCustomKeyStore', CreateCustomKeyStoreCommand, { CustomKeyStoreName: 'hsm', CloudHsmClusterId: 'cluster-1234567890ab', TrustAnchorCertificate: 'PEM', KeyStorePassword: 'kmsuser-secret' }, { CustomKeyStoreId: 'cks-1234567890abcdef0' }),
  voidOf('deleteCustomKeyStore', DeleteCustomKeyStoreCommand, { CustomKeyStoreId: 'cks-1234567890abcdef0' }),
  same(
    'describeCustomKeyStores',
    DescribeCustomKeyStoresCommand,
    { Limit: 1 },
    {
      CustomKeyStores: [{ CustomKeyStoreId: 'cks-1234567890abcdef0', CustomKeyStoreName: 'hsm', CustomKeyStoreType: 'AWS_CLOUDHSM', ConnectionState: 'DISCONNECTED', CreationDate: new Date(0), CloudHsmClusterId: 'cluster-1234567890ab', TrustAnchorCertificate: 'PEM' }],
      NextMarker: 'm',
      Truncated: true,
    },
  ),
  voidOf('disconnectCustomKeyStore', DisconnectCustomKeyStoreCommand, { CustomKeyStoreId: 'cks-1234567890abcdef0' }),
  voidOf('updateCustomKeyStore', UpdateCustomKeyStoreCommand, { CustomKeyStoreId: 'cks-1234567890abcdef0', NewCustomKeyStoreName: 'renamed' }),
  same('deleteImportedKeyMaterial', DeleteImportedKeyMaterialCommand, { KeyId: KEY_ID }, { KeyId: ARN, KeyMaterialId: 'ab'.repeat(32) }),
  same(
    'getParametersForImport',
    GetParametersForImportCommand,
    { KeyId: KEY_ID, WrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256', WrappingKeySpec: 'RSA_3072' },
    { KeyId: ARN, ImportToken: bytes(9, 9), PublicKey: bytes(0x30, 3), ParametersValidTo: new Date('2026-01-02T00:00:00Z') },
  ),
  same(
    'importKeyMaterial',
    ImportKeyMaterialCommand,
    { KeyId: KEY_ID, ImportToken: bytes(9, 9), EncryptedKeyMaterial: bytes(8), ValidTo: new Date('2026-06-01T00:00:00Z'), ExpirationModel: 'KEY_MATERIAL_EXPIRES' },
    { KeyId: ARN, KeyMaterialId: 'ab'.repeat(32) },
  ),
  same(
    'replicateKey',
    ReplicateKeyCommand,
    { KeyId: 'mrk-' + 'a'.repeat(32), ReplicaRegion: 'eu-west-1', Description: 'replica', Tags: [{ TagKey: 't', TagValue: 'v' }] },
    { ReplicaKeyMetadata: { ...METADATA, KeyId: 'mrk-' + 'a'.repeat(32), KeyState: 'Creating', MultiRegion: true }, ReplicaPolicy: '{}', ReplicaTags: [{ TagKey: 't', TagValue: 'v' }] },
  ),
  voidOf('updatePrimaryRegion', UpdatePrimaryRegionCommand, { KeyId: 'mrk-' + 'a'.repeat(32), PrimaryRegion: 'eu-west-1' }),
];

/** The error `fn` rejects with (fails when it resolves). */
async function rejection(fn: () => Promise<unknown>): Promise<KmsException> {
  try {
    await fn();
  } catch (error) {
    return error as KmsException;
  }
  expect.fail('should have thrown');
}

function expectKmsException(error: unknown, name: string, message: string, fault: 'client' | 'server', cause: unknown) {
  expect(error).to.be.instanceOf(KmsException);
  const e = error as KmsException;
  expect([e.name, e.message, e.$fault]).to.deep.equal([name, message, fault]);
  expect(e.cause).to.equal(cause);
}

const newKmsMock = () => mockClient(KMSClient);
type KmsMock = ReturnType<typeof newKmsMock>;

/** Clears AWS_REGION and AWS_DEFAULT_REGION around each test, restoring them afterwards. */
function isolateRegionEnvironment() {
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION']) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
  });
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
}

describe('AwsSdkKms', () => {
  isolateRegionEnvironment();

  describe('over a mocked KMSClient', () => {
    let mock: KmsMock; // stubs KMSClient#send for this block only: other files' real clients stay untouched
    before(() => {
      mock = newKmsMock();
    });
    after(() => mock.restore());
    beforeEach(() => mock.reset());

    const newKms = (options: Partial<AwsSdkKmsOptions> = {}) =>
      new AwsSdkKms({ region: 'eu-west-1', credentials: STATIC_CREDENTIALS, ...options });

    it('the cases cover every KmsPort operation AwsSdkKms has', () => {
      const instance = newKms() as unknown as Record<string, unknown>;
      const fields = Object.keys(instance).filter((m) => typeof instance[m] === 'function'); // port-typed fields
      const prototype = Object.getOwnPropertyNames(AwsSdkKms.prototype).filter((m) => m !== 'constructor' && m !== 'destroy');
      const methods = [...prototype, ...fields];
      expect(CASES.map((c) => c.op).sort()).to.deep.equal(methods.sort());
    });

    for (const c of CASES) {
      it(`${c.op}: sends ${c.command.name} with the input as is and the abort signal; returns the output without $metadata`, async () => {
        mock.on(c.command as never).resolves({ ...c.output, $metadata: SDK_METADATA } as never);
        const signal = new AbortController().signal;
        const kms = newKms() as unknown as Callable;

        const result = await kms[c.op](c.input, { abortSignal: signal });

        expect(mock.calls()).to.have.length(1);
        const [command, sendOptions] = mock.call(0).args as unknown as [{ input: unknown }, { abortSignal?: AbortSignal }];
        expect(command).to.be.instanceOf(c.command);
        expect(command.input).to.deep.equal(c.input);
        expect(sendOptions.abortSignal).to.equal(signal);
        expect(result).to.deep.equal(c.expected);
      });
    }

    it('without call options, send gets no abort signal', async () => {
      mock.on(DescribeKeyCommand).resolves({ KeyMetadata: METADATA, $metadata: SDK_METADATA });
      await newKms().describeKey({ KeyId: KEY_ID });
      expect((mock.call(0).args as unknown[])[1]).to.deep.equal({});
    });

    it('blobs stay Uint8Array and dates Date, as the SDK returns them', async () => {
      const signature = bytes(1, 2, 3);
      mock.on(SignCommand).resolves({ KeyId: ARN, Signature: signature, SigningAlgorithm: 'ECDSA_SHA_256', $metadata: SDK_METADATA });
      mock.on(DescribeKeyCommand).resolves({ KeyMetadata: METADATA, $metadata: SDK_METADATA });
      const kms = newKms();
      const signed = await kms.sign({ KeyId: KEY_ID, Message: bytes(1), SigningAlgorithm: 'ECDSA_SHA_256' });
      expect(signed.Signature).to.equal(signature);
      expect((await kms.describeKey({ KeyId: KEY_ID })).KeyMetadata.CreationDate).to.be.instanceOf(Date);
    });

    it('Truncated defaults to false when the server omits it (LocalStack, moto); nothing else is filled in', async () => {
      mock.on(ListKeysCommand).resolves({ Keys: [], $metadata: SDK_METADATA });
      mock.on(ListAliasesCommand).resolves({ Aliases: [], $metadata: SDK_METADATA });
      mock.on(ListResourceTagsCommand).resolves({ Tags: [], $metadata: SDK_METADATA });
      const kms = newKms();
      expect(await kms.listKeys({})).to.deep.equal({ Keys: [], Truncated: false });
      expect(await kms.listAliases({})).to.deep.equal({ Aliases: [], Truncated: false });
      expect(await kms.listResourceTags({ KeyId: KEY_ID })).to.deep.equal({ Tags: [], Truncated: false });
    });

    it('ListGrants and ListRetirableGrants: Grants default to [] and Truncated to false', async () => {
      mock.on(ListGrantsCommand).resolves({ $metadata: SDK_METADATA });
      mock.on(ListRetirableGrantsCommand).resolves({ $metadata: SDK_METADATA });
      const kms = newKms();
      expect(await kms.listGrants({ KeyId: KEY_ID })).to.deep.equal({ Grants: [], Truncated: false });
      expect(await kms.listRetirableGrants({ RetiringPrincipal: 'r' })).to.deep.equal({ Grants: [], Truncated: false });
    });

    it('ListKeyPolicies: Truncated defaults to false too; GetKeyPolicy without PolicyName stays without it', async () => {
      mock.on(ListKeyPoliciesCommand).resolves({ PolicyNames: ['default'], $metadata: SDK_METADATA });
      mock.on(GetKeyPolicyCommand).resolves({ Policy: '{}', $metadata: SDK_METADATA });
      const kms = newKms();
      expect(await kms.listKeyPolicies({ KeyId: KEY_ID })).to.deep.equal({ PolicyNames: ['default'], Truncated: false });
      expect(await kms.getKeyPolicy({ KeyId: KEY_ID })).to.deep.equal({ Policy: '{}' });
    });

    describe('errors', () => {
      it('an SDK service exception → KmsException with its name, message and $fault, the SDK error as cause', async () => {
        const sdkError = new NotFoundException({ message: `Key '${ARN}' does not exist`, $metadata: SDK_METADATA });
        mock.on(DescribeKeyCommand).rejects(sdkError);
        const error = await rejection(() => newKms().describeKey({ KeyId: KEY_ID }));
        expectKmsException(error, 'NotFoundException', `Key '${ARN}' does not exist`, 'client', sdkError);
      });

      it('a server fault stays a server fault', async () => {
        const sdkError = new KMSInternalException({ message: 'internal', $metadata: SDK_METADATA });
        mock.on(SignCommand).rejects(sdkError);
        const error = await rejection(() => newKms().sign({ KeyId: KEY_ID, Message: bytes(1), SigningAlgorithm: 'ECDSA_SHA_256' }));
        expectKmsException(error, 'KMSInternalException', 'internal', 'server', sdkError);
      });

      it('an exception the SDK model does not know keeps the name the service sent', async () => {
        const sdkError = new KMSServiceException({ name: 'SomeNewException', $fault: 'client', message: 'new', $metadata: SDK_METADATA });
        mock.on(ListAliasesCommand).rejects(sdkError);
        expectKmsException(await rejection(() => newKms().listAliases({})), 'SomeNewException', 'new', 'client', sdkError);
      });

      it('an aborted call → AbortError, client fault, whatever the SDK threw', async () => {
        const sdkAbort = Object.assign(new Error('Request aborted'), { name: 'AbortError', $metadata: {} });
        mock.on(DescribeKeyCommand).rejects(sdkAbort);
        expectKmsException(await rejection(() => newKms().describeKey({ KeyId: KEY_ID })), 'AbortError', 'Request aborted', 'client', sdkAbort);

        const controller = new AbortController();
        const reason = new Error('caller gave up');
        controller.abort(reason);
        mock.on(DescribeKeyCommand).rejects(reason);
        const error = await rejection(() => newKms().describeKey({ KeyId: KEY_ID }, { abortSignal: controller.signal }));
        expectKmsException(error, 'AbortError', 'caller gave up', 'client', reason);
      });

      it('missing credentials → CredentialsProviderError, client fault', async () => {
        const sdkError = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
        mock.on(CreateKeyCommand).rejects(sdkError);
        const error = await rejection(() => newKms().createKey({}));
        expectKmsException(error, 'CredentialsProviderError', 'Could not load credentials from any providers', 'client', sdkError);
      });

      it('connection failures → NetworkingError (a plain Error) or their own name, server fault', async () => {
        const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED', $metadata: {} });
        mock.on(GetPublicKeyCommand).rejects(refused);
        const error = await rejection(() => newKms().getPublicKey({ KeyId: KEY_ID }));
        expectKmsException(error, 'NetworkingError', 'connect ECONNREFUSED 127.0.0.1:4566', 'server', refused);

        const timeout = Object.assign(new Error('Connection timed out after 1000 ms'), { name: 'TimeoutError' });
        mock.on(GetPublicKeyCommand).rejects(timeout);
        const timedOut = await rejection(() => newKms().getPublicKey({ KeyId: KEY_ID }));
        expectKmsException(timedOut, 'TimeoutError', 'Connection timed out after 1000 ms', 'server', timeout);
      });

      it('a thrown non-Error → NetworkingError with its text, server fault', async () => {
        const kms = new AwsSdkKms({ region: 'eu-west-1', client: { send: () => Promise.reject('boom') } as unknown as KMSClient });
        expectKmsException(await rejection(() => kms.listKeys({})), 'NetworkingError', 'boom', 'server', 'boom');
      });

      it('the provider maps AwsSdkKms errors by name, as for the simulator (NotFoundException → KeyNotFoundError)', async () => {
        const sdkError = new NotFoundException({ message: 'Alias is not found.', $metadata: SDK_METADATA });
        mock.on(DescribeKeyCommand).rejects(sdkError);
        const provider = new AwsKmsKeyProvider({ kms: newKms() });
        const error = await rejection(() => provider.getKey('0123456789abcdef'));
        expect(error).to.be.instanceOf(KeyNotFoundError);
        expect(error.message).to.equal('Unknown kid: 0123456789abcdef');
        expect((error.cause as KmsException).cause).to.equal(sdkError);
      });
    });

    describe('construction', () => {
      it('makes no call and resolves no credentials', () => {
        let resolved = 0;
        const credentials = async () => {
          resolved += 1;
          return STATIC_CREDENTIALS;
        };
        const kms = new AwsSdkKms({ region: 'eu-west-1', endpoint: 'http://localhost:4566', credentials, maxAttempts: 2 });
        expect(kms.region).to.equal('eu-west-1');
        expect(mock.calls()).to.have.length(0);
        expect(resolved).to.equal(0);
      });

      it('builds a KMSClient with the region, endpoint, credentials and retry settings given', async () => {
        mock.on(ListKeysCommand).resolves({ Keys: [], Truncated: false, $metadata: SDK_METADATA });
        const kms = new AwsSdkKms({
          region: 'eu-west-1',
          endpoint: new URL('http://localhost:4566'),
          credentials: STATIC_CREDENTIALS,
          maxAttempts: 5,
          retryMode: 'adaptive',
        });
        await kms.listKeys({});
        const config = (mock.call(0).thisValue as KMSClient).config;
        expect(await config.region()).to.equal('eu-west-1');
        expect(await config.endpoint!()).to.include({ hostname: 'localhost', port: 4566, protocol: 'http:' });
        expect(await config.credentials()).to.include(STATIC_CREDENTIALS);
        expect(await config.maxAttempts()).to.equal(5);
        expect(((await config.retryStrategy()) as { mode: string }).mode).to.equal('adaptive');
      });

      it("defaults to the SDK's standard retry strategy with 3 attempts", async () => {
        mock.on(ListKeysCommand).resolves({ Keys: [], Truncated: false, $metadata: SDK_METADATA });
        await newKms().listKeys({});
        const config = (mock.call(0).thisValue as KMSClient).config;
        expect(await config.maxAttempts()).to.equal(3);
        expect(((await config.retryStrategy()) as { mode: string }).mode).to.equal('standard');
      });

      it('uses an injected client as it is', async () => {
        const client = new KMSClient({ region: 'eu-west-1', credentials: STATIC_CREDENTIALS });
        mock.on(CancelKeyDeletionCommand).resolves({ KeyId: ARN, $metadata: SDK_METADATA });
        const kms = new AwsSdkKms({ client, region: 'eu-west-1' });
        await kms.cancelKeyDeletion({ KeyId: KEY_ID });
        expect(mock.call(0).thisValue).to.equal(client);
      });

      it('region: the option, else AWS_REGION, else AWS_DEFAULT_REGION, else InvalidArgumentError', async () => {
        process.env['AWS_DEFAULT_REGION'] = 'ap-south-1';
        expect(new AwsSdkKms({}).region).to.equal('ap-south-1');
        process.env['AWS_REGION'] = 'ca-central-1';
        expect(new AwsSdkKms({}).region).to.equal('ca-central-1');
        expect(new AwsSdkKms({ region: 'eu-west-1' }).region).to.equal('eu-west-1');

        mock.on(ListKeysCommand).resolves({ Keys: [], Truncated: false, $metadata: SDK_METADATA });
        await new AwsSdkKms({ credentials: STATIC_CREDENTIALS }).listKeys({});
        expect(await (mock.call(0).thisValue as KMSClient).config.region(), 'the client gets the same Region').to.equal('ca-central-1');

        delete process.env['AWS_REGION'];
        delete process.env['AWS_DEFAULT_REGION'];
        expect(() => new AwsSdkKms({})).to.throw(InvalidArgumentError, /no Region: pass options.region or set AWS_REGION/);
      });

      it('destroy() closes a client it built, never an injected one', () => {
        const original = Object.getOwnPropertyDescriptor(KMSClient.prototype, 'destroy')!;
        const destroyed: unknown[] = [];
        KMSClient.prototype.destroy = function (this: KMSClient) {
          destroyed.push(this);
        };
        try {
          const injected = new KMSClient({ region: 'eu-west-1' });
          new AwsSdkKms({ client: injected, region: 'eu-west-1' }).destroy();
          expect(destroyed).to.deep.equal([]);
          newKms().destroy();
          expect(destroyed).to.have.length(1);
        } finally {
          Object.defineProperty(KMSClient.prototype, 'destroy', original);
        }
      });

      it('refuses bad options with InvalidArgumentError, never a TypeError, without echoing secrets', () => {
        const client = new KMSClient({ region: 'eu-west-1' });
        const bad: Array<[unknown, RegExp]> = [
          [undefined, /options must be an object; got undefined/],
          ['eu-west-1', /options must be an object/],
          [{ region: 'eu-west-1', endpiont: 'http://localhost:4566' }, /unknown option\(s\) endpiont/],
          [{ region: '' }, /region must be an AWS Region name/],
          [{ region: 'eu west 1' }, /region must be an AWS Region name/],
          [{ region: 5 }, /region must be an AWS Region name such as 'us-east-1'; got 5/],
          [{ region: 'eu-west-1', endpoint: 'localhost:4566' }, /endpoint must be an http\(s\) URL/],
          [{ region: 'eu-west-1', endpoint: 'ftp://localhost' }, /endpoint must be an http\(s\) URL/],
          [{ region: 'eu-west-1', endpoint: 4566 }, /endpoint must be an http\(s\) URL/],
          [{ region: 'eu-west-1', credentials: {} }, /credentials must be/],
          [{ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDTEST' } }, /credentials must be/],
          [{ region: 'eu-west-1', credentials: { ...STATIC_CREDENTIALS, sessionToken: 5 } }, /credentials must be/],
          [{ region: 'eu-west-1', credentials: 'test-secret-value' }, /credentials must be/],
          [{ region: 'eu-west-1', maxAttempts: 0 }, /maxAttempts must be an integer from 1 to 100; got 0/],
          [{ region: 'eu-west-1', maxAttempts: 1.5 }, /maxAttempts/],
          [{ region: 'eu-west-1', maxAttempts: '3' }, /maxAttempts/],
          [{ region: 'eu-west-1', retryMode: 'legacy' }, /retryMode must be 'standard' or 'adaptive'; got 'legacy'/],
          [{ region: 'eu-west-1', client: {} }, /options.client must be a KMSClient/],
          [{ region: 'eu-west-1', client: null }, /options.client must be a KMSClient/],
          [{ client }, /options.region is required with options.client/],
          [{ client, region: 'eu-west-1', endpoint: 'http://localhost:4566' }, /endpoint configure the client AwsSdkKms builds/],
          [{ client, region: 'eu-west-1', maxAttempts: 2, retryMode: 'standard' }, /maxAttempts, retryMode configure/],
        ];
        for (const [options, message] of bad) {
          let error: unknown;
          try {
            new AwsSdkKms(options as AwsSdkKmsOptions);
          } catch (e) {
            error = e;
          }
          expect(error, String(message)).to.be.instanceOf(InvalidArgumentError);
          expect((error as Error).message).to.match(message);
          expect((error as Error).message).not.to.include('test-secret-value');
        }
        expect(mock.calls()).to.have.length(0);
      });
    });
  });

  describe('over the real SDK stack (a KMSClient answering through a local request handler)', () => {
    /** A KMSClient whose every HTTP exchange is `answer()`, counting the attempts. */
    function localClient(answer: () => { status: number; body: string } | Error, maxAttempts = 1) {
      const state = { attempts: 0 };
      const requestHandler = {
        handle: async () => {
          state.attempts += 1;
          const reply = answer();
          if (reply instanceof Error) throw reply;
          const headers = { 'content-type': 'application/x-amz-json-1.1' };
          return { response: { statusCode: reply.status, headers, body: Readable.from([Buffer.from(reply.body)]) } };
        },
      };
      const client = new KMSClient({ region: 'eu-west-1', credentials: STATIC_CREDENTIALS, maxAttempts, requestHandler: requestHandler as never });
      return { kms: new AwsSdkKms({ client, region: 'eu-west-1' }), state };
    }

    it('a KMS JSON error (HTTP 400, __type) → KmsException with the SDK exception as cause', async () => {
      const { kms } = localClient(() => ({ status: 400, body: '{"__type":"NotFoundException","message":"Alias is not found."}' }));
      const error = await rejection(() => kms.describeKey({ KeyId: 'alias/missing' }));
      expect([error.name, error.message, error.$fault]).to.deep.equal(['NotFoundException', 'Alias is not found.', 'client']);
      expect(error.cause).to.be.instanceOf(NotFoundException);
    });

    it('a 500 is retried by the SDK, then thrown with a server fault', async () => {
      const { kms, state } = localClient(() => ({ status: 500, body: '{"__type":"KMSInternalException","message":"busy"}' }), 2);
      const error = await rejection(() => kms.describeKey({ KeyId: KEY_ID }));
      expect([error.name, error.message, error.$fault, state.attempts]).to.deep.equal(['KMSInternalException', 'busy', 'server', 2]);
    });

    it('a response that is not KMS JSON → SyntaxError, server fault', async () => {
      const { kms } = localClient(() => ({ status: 200, body: '<html>not kms</html>' }));
      const error = await rejection(() => kms.describeKey({ KeyId: KEY_ID }));
      expect([error.name, error.$fault]).to.deep.equal(['SyntaxError', 'server']);
      expect(error.message).to.match(/Deserialization error/);
    });

    it('a refused connection → NetworkingError, server fault, the Node error as cause', async () => {
      const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' });
      const { kms } = localClient(() => refused);
      const error = await rejection(() => kms.listKeys({}));
      expectKmsException(error, 'NetworkingError', 'connect ECONNREFUSED 127.0.0.1:4566', 'server', refused);
    });

    it('the abort signal reaches the HTTP handler; aborting in flight → AbortError, client fault', async () => {
      const seen: Array<AbortSignal | undefined> = [];
      let reached!: () => void;
      const inFlight = new Promise<void>((resolve) => (reached = resolve));
      const requestHandler = {
        handle: (_request: unknown, options?: { abortSignal?: AbortSignal }) =>
          new Promise((_resolve, reject) => {
            seen.push(options?.abortSignal);
            reached();
            options?.abortSignal?.addEventListener('abort', () =>
              reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' })),
            );
          }),
      };
      const client = new KMSClient({ region: 'eu-west-1', credentials: STATIC_CREDENTIALS, requestHandler: requestHandler as never });
      const controller = new AbortController();
      const call = rejection(() => new AwsSdkKms({ client, region: 'eu-west-1' }).generateRandom({ NumberOfBytes: 8 }, { abortSignal: controller.signal }));
      await inFlight;
      controller.abort();
      const error = await call;
      expect(seen).to.have.length(1);
      expect(seen[0]?.aborted).to.equal(true);
      expect([error.name, error.message, error.$fault]).to.deep.equal(['AbortError', 'Request aborted', 'client']);
    });

    it('epoch-second timestamps become Dates and base64 blobs Uint8Arrays; $metadata is gone', async () => {
      const body = JSON.stringify({ KeyId: ARN, PublicKey: Buffer.from([0x30, 0x59]).toString('base64'), KeySpec: 'ECC_NIST_P256' });
      const { kms } = localClient(() => ({ status: 200, body }));
      const out = await kms.getPublicKey({ KeyId: KEY_ID });
      expect(out).to.deep.equal({ KeyId: ARN, PublicKey: bytes(0x30, 0x59), KeySpec: 'ECC_NIST_P256' });

      const described = localClient(() => ({ status: 200, body: '{"KeyMetadata":{"KeyId":"k","CreationDate":1.5565824E9}}' }));
      expect((await described.kms.describeKey({ KeyId: 'k' })).KeyMetadata.CreationDate).to.deep.equal(new Date('2019-04-30T00:00:00Z'));
    });
  });
});

describe('AwsKmsKeyProvider without kms builds an AwsSdkKms', () => {
  isolateRegionEnvironment();
  let mock: KmsMock; // stubs KMSClient#send for this block only: other files' real clients stay untouched
  before(() => {
    mock = newKmsMock();
  });
  after(() => mock.restore());
  beforeEach(() => mock.reset());

  const EC_SPKI = new Uint8Array(
    generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' }),
  );

  /** A mocked KMS that answers createKey's calls (CreateKey, GetPublicKey, CreateAlias ×2). */
  function answerCreateKey() {
    mock.on(CreateKeyCommand).resolves({ KeyMetadata: METADATA, $metadata: SDK_METADATA });
    mock.on(GetPublicKeyCommand).resolves({ KeyId: ARN, PublicKey: EC_SPKI, KeySpec: 'ECC_NIST_P256', $metadata: SDK_METADATA });
    mock.on(CreateAliasCommand).resolves({ $metadata: SDK_METADATA });
  }
  const EC_SPEC = { klass: KeyClass.asymmetric, alg: KeyAlg.ECDSA_P256_SHA256 };

  it("{ region } → KeyRefs report that region, calls go through the SDK's Commands", async () => {
    answerCreateKey();
    const provider = new AwsKmsKeyProvider({ region: 'eu-west-1', credentials: STATIC_CREDENTIALS, keyPolicy: { Version: '2012-10-17' } });
    const ref = await provider.createKey(EC_SPEC);
    expect(ref.tags['kms:region']).to.equal('eu-west-1');
    expect(ref.tags['kms:key_id']).to.equal(KEY_ID);
    expect(mock.calls().map((call) => call.args[0].constructor.name)).to.deep.equal([
      'CreateKeyCommand',
      'GetPublicKeyCommand',
      'CreateAliasCommand',
      'CreateAliasCommand',
    ]);
    expect(mock.commandCalls(CreateKeyCommand)[0]!.args[0].input.Policy).to.equal('{"Version":"2012-10-17"}');
  });

  it('the Region may come from AWS_REGION; endpoint, credentials, maxAttempts and retryMode reach the client', async () => {
    process.env['AWS_REGION'] = 'ap-southeast-2';
    answerCreateKey();
    const provider = new AwsKmsKeyProvider({
      aliasPrefix: 'team',
      endpoint: 'http://localhost:4566',
      credentials: STATIC_CREDENTIALS,
      maxAttempts: 4,
      retryMode: 'adaptive',
    });
    const ref = await provider.createKey(EC_SPEC);
    expect(ref.tags['kms:region']).to.equal('ap-southeast-2');
    expect(mock.commandCalls(CreateAliasCommand)[0]!.args[0].input.AliasName).to.match(/^alias\/team\//);
    const config = (mock.call(0).thisValue as KMSClient).config;
    expect(await config.endpoint!()).to.include({ hostname: 'localhost', port: 4566 });
    expect(await config.maxAttempts()).to.equal(4);
    expect(((await config.retryStrategy()) as { mode: string }).mode).to.equal('adaptive');
  });

  it('construction makes no KMS call', () => {
    new AwsKmsKeyProvider({ region: 'eu-west-1' });
    expect(mock.calls()).to.have.length(0);
  });

  it('refuses bad options with InvalidArgumentError', () => {
    const bad: Array<[unknown, RegExp]> = [
      [undefined, /options must be an object/],
      [{}, /options.kms must be a KmsPort \(e.g. new SimulatedKms\(\)\), or options.region/],
      [{ aliasPrefix: 'team' }, /options.kms must be a KmsPort/],
      [{ region: 'eu west 1' }, /region must be an AWS Region name/],
      [{ region: 'eu-west-1', endpoint: 'localhost' }, /endpoint must be an http\(s\) URL/],
      [{ region: 'eu-west-1', maxAttempts: 0 }, /maxAttempts/],
      [{ region: 'eu-west-1', retryMode: 'fast' }, /retryMode/],
      [{ region: 'eu-west-1', endpiont: 'http://localhost:4566' }, /Unknown option\(s\): endpiont \(allowed: kms, aliasPrefix/],
      [{ region: 'eu-west-1', client: new KMSClient({}) }, /Unknown option\(s\): client/],
      [{ kms: new SimulatedKms(), region: 'eu-west-1' }, /options.region configure the AWS KMS client built when options.kms is absent/],
      [{ kms: new SimulatedKms(), endpoint: 'http://x', maxAttempts: 2 }, /options.endpoint, options.maxAttempts configure/],
      [{ region: 'eu-west-1', aliasPrefix: 'aws' }, /reserved/],
      [{ region: 'eu-west-1', pendingWindowInDays: 6 }, /7 to 30/],
      [{ region: 'eu-west-1', keyPolicy: '{not json' }, /JSON/],
    ];
    for (const [options, message] of bad) {
      expect(() => new AwsKmsKeyProvider(options as never), String(message)).to.throw(InvalidArgumentError, message);
    }
    expect(mock.calls()).to.have.length(0);
  });
});
