import { inspect } from 'node:util';
import { Crypto } from '@peculiar/webcrypto';
import { expect } from 'chai';
import { KeyCrypto } from '../../../src/adapters/simulator/crypto/signer.js';
import { SimulatedKms } from '../../../src/adapters/simulator/simulated-kms.js';
import { InMemorySimulatorStore } from '../../../src/adapters/simulator/store/in-memory-store.js';
import { InvalidArgumentError } from '../../../src/domain/errors.js';
import type { CreateKeyRequest } from '../../../src/ports/kms.port.js';
import {
  ACCOUNT,
  ARN_PREFIX,
  DAY_MS,
  ManualClock,
  aliasArn,
  createKey,
  expectKmsError,
  keyArn,
  newKms,
} from './simulator-test-kit.js';

/** Lets the account root (the simulator's caller) manage the key, so that the policy passes the lockout check. */
const ROOT_STATEMENT = { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' };
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const KEY_SPEC_ENUM =
  '[RSA_2048, RSA_3072, RSA_4096, ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521, ECC_SECG_P256K1, ' +
  'ECC_NIST_EDWARDS25519, SYMMETRIC_DEFAULT, HMAC_224, HMAC_256, HMAC_384, HMAC_512, SM2, ML_DSA_44, ML_DSA_65, ML_DSA_87, ML_KEM_512, ML_KEM_768, ML_KEM_1024]';

describe('adapters/simulator/SimulatedKms — keys', () => {
  describe('constructor', () => {
    it('defaults to us-east-1 and account 111122223333', () => {
      const kms = new SimulatedKms();
      expect(kms.region).to.equal('us-east-1');
      expect(kms.accountId).to.equal('111122223333');
    });

    it('refuses a malformed region or account id, and a clock, crypto or store of the wrong kind', () => {
      expect(() => new SimulatedKms({ region: 'US-EAST-1' })).to.throw(InvalidArgumentError, /region must look like 'us-east-1'/);
      expect(() => new SimulatedKms({ region: '' })).to.throw(InvalidArgumentError);
      expect(() => new SimulatedKms({ accountId: '1234' })).to.throw(InvalidArgumentError, /accountId must be 12 digits/);
      expect(() => new SimulatedKms({ accountId: 111122223333 as unknown as string })).to.throw(InvalidArgumentError);
      expect(() => new SimulatedKms({ clock: 'now' as unknown as () => Date })).to.throw(InvalidArgumentError);
      expect(() => new SimulatedKms({ crypto: {} as Crypto })).to.throw(InvalidArgumentError);
      expect(() => new SimulatedKms({ store: {} as InMemorySimulatorStore })).to.throw(InvalidArgumentError, /SimulatorStore/);
    });

    it('builds ARNs in the partition of its Region', async () => {
      const kms = new SimulatedKms({ region: 'cn-north-1', accountId: '123456789012' });
      const key = await createKey(kms);
      expect(key.Arn).to.equal(`arn:aws-cn:kms:cn-north-1:123456789012:key/${key.KeyId}`);
    });
  });

  describe('CreateKey', () => {
    it('creates a symmetric key with exactly the recorded KeyMetadata fields', async () => {
      const clock = new ManualClock();
      const kms = newKms({ clock: clock.now });
      const { KeyMetadata: key } = await kms.createKey({});
      expect(key.KeyId).to.match(UUID_V4);
      expect(key.CurrentKeyMaterialId).to.match(/^[0-9a-f]{64}$/);
      expect(key).to.deep.equal({
        AWSAccountId: ACCOUNT,
        KeyId: key.KeyId,
        Arn: keyArn(key.KeyId),
        CreationDate: clock.now(),
        Enabled: true,
        Description: '',
        KeyUsage: 'ENCRYPT_DECRYPT',
        KeyState: 'Enabled',
        Origin: 'AWS_KMS',
        KeyManager: 'CUSTOMER',
        CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
        KeySpec: 'SYMMETRIC_DEFAULT',
        MultiRegion: false,
        EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
        CurrentKeyMaterialId: key.CurrentKeyMaterialId,
      });
    });

    it('lists only the algorithm list matching the key usage, and no CurrentKeyMaterialId for other keys', async () => {
      const kms = newKms();
      const cases: Array<[CreateKeyRequest, string, unknown]> = [
        [{ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }, 'SigningAlgorithms', ['ECDSA_SHA_256']],
        [{ KeySpec: 'ECC_NIST_P384', KeyUsage: 'KEY_AGREEMENT' }, 'KeyAgreementAlgorithms', ['ECDH']],
        [{ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }, 'MacAlgorithms', ['HMAC_SHA_256']],
        [
          { KeySpec: 'ECC_NIST_EDWARDS25519', KeyUsage: 'SIGN_VERIFY' },
          'SigningAlgorithms',
          ['ED25519_SHA_512', 'ED25519_PH_SHA_512'],
        ],
      ];
      for (const [request, member, algorithms] of cases) {
        const { KeyMetadata: key } = await kms.createKey(request);
        expect(key).to.have.property(member).deep.equal(algorithms);
        const lists = ['EncryptionAlgorithms', 'SigningAlgorithms', 'MacAlgorithms', 'KeyAgreementAlgorithms'];
        expect(lists.filter((l) => l in key)).to.deep.equal([member]);
        expect(key).not.to.have.property('CurrentKeyMaterialId');
        expect(key).not.to.have.property('DeletionDate');
        expect(key.KeySpec).to.equal(request.KeySpec);
        expect(key.CustomerMasterKeySpec).to.equal(request.KeySpec);
      }
    });

    it('accepts the deprecated CustomerMasterKeySpec, but not together with KeySpec', async () => {
      const kms = newKms();
      const { KeyMetadata: key } = await kms.createKey({ CustomerMasterKeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
      expect(key.KeySpec).to.equal('ECC_NIST_P256');
      await expectKmsError(
        kms.createKey({ KeySpec: 'ECC_NIST_P256', CustomerMasterKeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
        'ValidationException',
        'You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.',
      );
    });

    it('keeps the description', async () => {
      const { KeyMetadata: key } = await newKms().createKey({ Description: 'signing key' });
      expect(key.Description).to.equal('signing key');
    });

    it('requires KeyUsage for every spec but SYMMETRIC_DEFAULT', async () => {
      await expectKmsError(
        newKms().createKey({ KeySpec: 'ECC_NIST_P256' }),
        'ValidationException',
        'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.',
      );
    });

    it('refuses a usage the spec does not allow', async () => {
      const kms = newKms();
      await expectKmsError(
        kms.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'ENCRYPT_DECRYPT' }),
        'ValidationException',
        'KeyUsage ENCRYPT_DECRYPT is not compatible with KeySpec ECC_NIST_P256',
      );
      await expectKmsError(
        kms.createKey({ KeyUsage: 'SIGN_VERIFY' }),
        'ValidationException',
        'KeyUsage SIGN_VERIFY is not compatible with KeySpec SYMMETRIC_DEFAULT',
      );
      await expectKmsError(
        kms.createKey({ KeySpec: 'ECC_SECG_P256K1', KeyUsage: 'KEY_AGREEMENT' }),
        'ValidationException',
        'KeyUsage KEY_AGREEMENT is not compatible with KeySpec ECC_SECG_P256K1',
      );
    });

    it('reports enum violations in the service format, several at once', async () => {
      const kms = newKms();
      await expectKmsError(
        kms.createKey({ KeySpec: 'RSA_1024' as 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }),
        'ValidationException',
        `1 validation error detected: Value 'RSA_1024' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: ${KEY_SPEC_ENUM}`,
      );
      await expectKmsError(
        kms.createKey({ KeySpec: 'X' as 'RSA_2048', KeyUsage: 'SIGN' as 'SIGN_VERIFY' }),
        'ValidationException',
        /^2 validation errors detected: Value 'SIGN' at 'keyUsage' .*; Value 'X' at 'keySpec' /,
      );
    });

    it('limits Description to 8192 characters', async () => {
      const kms = newKms();
      await kms.createKey({ Description: 'd'.repeat(8192) });
      await expectKmsError(
        kms.createKey({ Description: 'd'.repeat(8193) }),
        'ValidationException',
        `1 validation error detected: Value '${'d'.repeat(8193)}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 8192`,
      );
    });

    it('checks the policy: 1–131072 characters, a 32 KB quota, and JSON', async () => {
      const kms = newKms();
      const policy = (size: number): string => {
        const base = JSON.stringify({ Version: '2012-10-17', Statement: [ROOT_STATEMENT], Pad: '' });
        return base.replace('"Pad":""', `"Pad":"${'p'.repeat(size - base.length)}"`);
      };
      await kms.createKey({ Policy: policy(32_768) });
      await expectKmsError(
        kms.createKey({ Policy: '' }),
        'ValidationException',
        "2 validation errors detected: Value '' at 'policy' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
          "Value '' at 'policy' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+",
      );
      await expectKmsError(kms.createKey({ Policy: policy(32_769) }), 'LimitExceededException');
      await expectKmsError(kms.createKey({ Policy: policy(131_073) }), 'ValidationException', /at 'policy' .*less than or equal to 131072$/);
      await expectKmsError(kms.createKey({ Policy: 'allow everything' }), 'MalformedPolicyDocumentException');
      await expectKmsError(kms.createKey({ Policy: '[1,2]' }), 'MalformedPolicyDocumentException');
    });

    it('refuses SM2 as unsupported; a custom key store Origin needs its store; MultiRegion true makes an mrk- key (§25)', async () => {
      const kms = newKms();
      await expectKmsError(kms.createKey({ Origin: 'AWS_CLOUDHSM' }), 'ValidationException', 'Origin AWS_CLOUDHSM requires a CustomKeyStoreId.');
      expect((await kms.createKey({ MultiRegion: true })).KeyMetadata).to.deep.include({ MultiRegion: true });
      await expectKmsError(kms.createKey({ KeySpec: 'SM2', KeyUsage: 'SIGN_VERIFY' }), 'UnsupportedOperationException', /SM2/);
      const { KeyMetadata: key } = await kms.createKey({ Origin: 'AWS_KMS', MultiRegion: false });
      expect(key.Origin).to.equal('AWS_KMS');
      expect(key.MultiRegion).to.equal(false);
    });

    it('creates ML-DSA keys', async () => {
      const { KeyMetadata: key } = await newKms().createKey({ KeySpec: 'ML_DSA_44', KeyUsage: 'SIGN_VERIFY' });
      expect(key.SigningAlgorithms).to.deep.equal(['ML_DSA_SHAKE_256']);
    });

    it('validates Tags as TagResource does', async () => {
      const kms = newKms();
      const { KeyMetadata: key } = await kms.createKey({ Tags: [{ TagKey: 'b', TagValue: '2' }, { TagKey: 'a', TagValue: '1' }] });
      const { Tags } = await kms.listResourceTags({ KeyId: key.KeyId });
      expect(Tags).to.deep.equal([
        { TagKey: 'b', TagValue: '2' },
        { TagKey: 'a', TagValue: '1' },
      ]);
      await expectKmsError(kms.createKey({ Tags: [{ TagKey: 'aws:x', TagValue: '' }] }), 'TagException', 'Tags beginning with aws: are reserved');
      await expectKmsError(
        kms.createKey({ Tags: [{ TagKey: 'k', TagValue: '1' }, { TagKey: 'k', TagValue: '2' }] }),
        'TagException',
        'Duplicate tag keys',
      );
      const many = Array.from({ length: 51 }, (_, i) => ({ TagKey: `k${i}`, TagValue: '' }));
      await expectKmsError(kms.createKey({ Tags: many }), 'TagException', 'Too many tags');
    });

    it('refuses wrong JavaScript types with ValidationException, never a TypeError', async () => {
      const kms = newKms();
      await expectKmsError(kms.createKey('SYMMETRIC_DEFAULT' as unknown as CreateKeyRequest), 'ValidationException');
      await expectKmsError(
        kms.createKey({ KeySpec: 7 } as unknown as CreateKeyRequest),
        'ValidationException',
        "1 validation error detected: Value at 'keySpec' failed to satisfy constraint: Member must be a string",
      );
      await expectKmsError(kms.createKey({ MultiRegion: 'yes' } as unknown as CreateKeyRequest), 'ValidationException');
      await expectKmsError(kms.createKey({ Tags: {} } as unknown as CreateKeyRequest), 'ValidationException');
      await expectKmsError(kms.createKey({ Tags: [null] } as unknown as CreateKeyRequest), 'ValidationException');
      await expectKmsError(kms.describeKey({ KeyId: 42 } as unknown as { KeyId: string }), 'ValidationException');
      await expectKmsError(kms.listKeys({ Limit: 1.5 }), 'ValidationException');
      await expectKmsError(kms.listKeys({ Limit: Number.NaN }), 'ValidationException');
    });

    it('type-checks CustomKeyStoreId and XksKeyId, then requires a custom key store Origin with them (§23)', async () => {
      const kms = newKms();
      await expectKmsError(
        kms.createKey({ CustomKeyStoreId: 5, XksKeyId: ['x'] } as unknown as CreateKeyRequest),
        'ValidationException',
        "2 validation errors detected: Value at 'customKeyStoreId' failed to satisfy constraint: Member must be a string; " +
          "Value at 'xksKeyId' failed to satisfy constraint: Member must be a string",
      );
      await expectKmsError(kms.createKey({ CustomKeyStoreId: 'cks-1' } as CreateKeyRequest), 'ValidationException', 'CustomKeyStoreId requires Origin AWS_CLOUDHSM or EXTERNAL_KEY_STORE.');
      await expectKmsError(kms.createKey({ Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: 'cks-1' }), 'CustomKeyStoreNotFoundException');
    });
  });

  describe('KeyId resolution', () => {
    it('finds a key by key ID, key ARN, alias name and alias ARN in DescribeKey', async () => {
      const kms = newKms();
      const key = await createKey(kms);
      await kms.createAlias({ AliasName: 'alias/app', TargetKeyId: key.KeyId });
      for (const id of [key.KeyId, key.Arn, 'alias/app', aliasArn('alias/app')]) {
        expect((await kms.describeKey({ KeyId: id })).KeyMetadata.KeyId).to.equal(key.KeyId);
      }
    });

    it('answers malformed, absent, foreign-Region and unknown-alias identifiers with NotFoundException', async () => {
      const kms = newKms();
      const absent = '1234abcd-12ab-34cd-56ef-1234567890ab';
      await expectKmsError(kms.describeKey({ KeyId: 'not-a-key' }), 'NotFoundException', "Invalid keyId 'not-a-key'");
      await expectKmsError(kms.describeKey({ KeyId: 'key/' + absent }), 'NotFoundException', `Invalid keyId 'key/${absent}'`);
      await expectKmsError(kms.describeKey({ KeyId: absent }), 'NotFoundException', `Key '${keyArn(absent)}' does not exist`);
      await expectKmsError(kms.describeKey({ KeyId: keyArn(absent) }), 'NotFoundException', `Key '${keyArn(absent)}' does not exist`);
      const mrk = 'mrk-' + '0'.repeat(32);
      await expectKmsError(kms.describeKey({ KeyId: mrk }), 'NotFoundException', `Key '${keyArn(mrk)}' does not exist`);
      const otherAccount = `arn:aws:kms:us-east-1:999999999999:key/${absent}`;
      await expectKmsError(kms.describeKey({ KeyId: otherAccount }), 'NotFoundException', `Key '${otherAccount}' does not exist`);
      await expectKmsError(
        kms.describeKey({ KeyId: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${absent}` }),
        'NotFoundException',
        'Invalid arn eu-west-1',
      );
      await expectKmsError(
        kms.describeKey({ KeyId: `arn:aws:kms:eu-west-1:${ACCOUNT}:alias/x` }),
        'NotFoundException',
        'Invalid arn eu-west-1',
      );
      await expectKmsError(kms.describeKey({ KeyId: 'alias/none' }), 'NotFoundException', `Alias ${aliasArn('alias/none')} is not found.`);
      await expectKmsError(kms.describeKey({ KeyId: aliasArn('alias/none') }), 'NotFoundException', `Alias ${aliasArn('alias/none')} is not found.`);
      await expectKmsError(kms.describeKey({ KeyId: 'alias/aws/s3' }), 'NotFoundException', `Alias ${aliasArn('alias/aws/s3')} is not found.`);
      await expectKmsError(kms.describeKey({ KeyId: `arn:aws-cn:kms:${'us-east-1'}:${ACCOUNT}:key/${absent}` }), 'NotFoundException', /^Invalid keyId/);
    });

    it('validates the KeyId shape first', async () => {
      const kms = newKms();
      await expectKmsError(
        kms.describeKey({} as { KeyId: string }),
        'ValidationException',
        "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null",
      );
      await expectKmsError(
        kms.describeKey({ KeyId: '' }),
        'ValidationException',
        "1 validation error detected: Value '' at 'keyId' failed to satisfy constraint: Member must have length greater than or equal to 1",
      );
      await expectKmsError(kms.describeKey({ KeyId: 'k'.repeat(2049) }), 'ValidationException', /less than or equal to 2048$/);
    });

    it('refuses aliases where only a key ID or key ARN is accepted', async () => {
      const kms = newKms();
      const key = await createKey(kms);
      await kms.createAlias({ AliasName: 'alias/app', TargetKeyId: key.KeyId });
      const aliasForms = ['alias/app', aliasArn('alias/app')];
      for (const id of aliasForms) {
        const message = `Invalid keyId '${id}'`;
        await expectKmsError(kms.enableKey({ KeyId: id }), 'NotFoundException', message);
        await expectKmsError(kms.disableKey({ KeyId: id }), 'NotFoundException', message);
        await expectKmsError(kms.scheduleKeyDeletion({ KeyId: id }), 'NotFoundException', message);
        await expectKmsError(kms.cancelKeyDeletion({ KeyId: id }), 'NotFoundException', message);
        await expectKmsError(kms.tagResource({ KeyId: id, Tags: [] }), 'NotFoundException', message);
        await expectKmsError(kms.untagResource({ KeyId: id, TagKeys: [] }), 'NotFoundException', message);
        await expectKmsError(kms.listResourceTags({ KeyId: id }), 'NotFoundException', message);
        await expectKmsError(kms.listAliases({ KeyId: id }), 'NotFoundException', message);
      }
      await kms.enableKey({ KeyId: key.Arn });
    });
  });

  describe('ListKeys', () => {
    it('lists every key in every state with KeyId and KeyArn; Truncated without NextMarker when complete', async () => {
      const kms = newKms();
      const a = await createKey(kms);
      const b = await createKey(kms);
      await kms.disableKey({ KeyId: a.KeyId });
      await kms.scheduleKeyDeletion({ KeyId: b.KeyId });
      const listing = await kms.listKeys({});
      expect(listing).to.deep.equal({
        Keys: [a, b]
          .map((k) => ({ KeyId: k.KeyId, KeyArn: k.Arn }))
          .sort((x, y) => (x.KeyId < y.KeyId ? -1 : 1)),
        Truncated: false,
      });
    });

    it('pages by 100 by default and takes 1–1000', async () => {
      const kms = newKms();
      for (let i = 0; i < 101; i++) await kms.createKey({});
      const first = await kms.listKeys({});
      expect(first.Keys).to.have.length(100);
      expect(first.Truncated).to.equal(true);
      expect(first.NextMarker).to.be.a('string');
      const second = await kms.listKeys({ Marker: first.NextMarker as string, Limit: 1000 });
      expect(second.Keys).to.have.length(1);
      expect(second).not.to.have.property('NextMarker');
      await expectKmsError(
        kms.listKeys({ Limit: 0 }),
        'ValidationException',
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
      );
      await expectKmsError(
        kms.listKeys({ Limit: 1001 }),
        'ValidationException',
        "1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000",
      );
      await expectKmsError(kms.listKeys({ Marker: '' }), 'ValidationException', /at 'marker' .*greater than or equal to 1$/);
      await expectKmsError(kms.listKeys({ Marker: 'garbage' }), 'InvalidMarkerException');
    });
  });

  describe('Enable/DisableKey', () => {
    it('moves between Enabled and Disabled, idempotently', async () => {
      const kms = newKms();
      const key = await createKey(kms);
      const state = async () => (await kms.describeKey({ KeyId: key.KeyId })).KeyMetadata;
      await kms.disableKey({ KeyId: key.KeyId });
      await kms.disableKey({ KeyId: key.Arn });
      expect(await state()).to.include({ KeyState: 'Disabled', Enabled: false });
      await kms.enableKey({ KeyId: key.KeyId });
      await kms.enableKey({ KeyId: key.KeyId });
      expect(await state()).to.include({ KeyState: 'Enabled', Enabled: true });
    });
  });

  describe('ScheduleKeyDeletion / CancelKeyDeletion', () => {
    it('schedules with a default window of 30 days and answers with the key ARN', async () => {
      const clock = new ManualClock();
      const kms = newKms({ clock: clock.now });
      const key = await createKey(kms);
      const result = await kms.scheduleKeyDeletion({ KeyId: key.KeyId });
      const deletionDate = new Date(clock.now().getTime() + 30 * DAY_MS);
      expect(result).to.deep.equal({ KeyId: key.Arn, DeletionDate: deletionDate, KeyState: 'PendingDeletion', PendingWindowInDays: 30 });
      const { KeyMetadata } = await kms.describeKey({ KeyId: key.KeyId });
      expect(KeyMetadata).to.include({ KeyState: 'PendingDeletion', Enabled: false });
      expect(KeyMetadata.DeletionDate).to.deep.equal(deletionDate);
      expect(KeyMetadata).not.to.have.property('PendingDeletionWindowInDays');
    });

    it('takes 7–30 days, integers only', async () => {
      const clock = new ManualClock();
      const kms = newKms({ clock: clock.now });
      const seven = await createKey(kms);
      const result = await kms.scheduleKeyDeletion({ KeyId: seven.KeyId, PendingWindowInDays: 7 });
      expect(result.DeletionDate).to.deep.equal(new Date(clock.now().getTime() + 7 * DAY_MS));
      const key = await createKey(kms);
      for (const days of [6, 31, 365]) {
        await expectKmsError(
          kms.scheduleKeyDeletion({ KeyId: key.KeyId, PendingWindowInDays: days }),
          'ValidationException',
          `PendingWindowInDays should be between 7 and 30, but it is ${days}`,
        );
      }
      await expectKmsError(
        kms.scheduleKeyDeletion({ KeyId: key.KeyId, PendingWindowInDays: 0 }),
        'ValidationException',
        "1 validation error detected: Value '0' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value greater than or equal to 1",
      );
      await expectKmsError(kms.scheduleKeyDeletion({ KeyId: key.KeyId, PendingWindowInDays: 7.5 }), 'ValidationException');
      expect((await kms.describeKey({ KeyId: key.KeyId })).KeyMetadata.KeyState).to.equal('Enabled');
    });

    it('refuses to schedule twice, and cancels to Disabled without a DeletionDate', async () => {
      const kms = newKms();
      const key = await createKey(kms);
      await kms.scheduleKeyDeletion({ KeyId: key.KeyId });
      await expectKmsError(kms.scheduleKeyDeletion({ KeyId: key.KeyId }), 'KMSInvalidStateException', `${key.Arn} is pending deletion.`);
      expect(await kms.cancelKeyDeletion({ KeyId: key.KeyId })).to.deep.equal({ KeyId: key.Arn });
      const { KeyMetadata } = await kms.describeKey({ KeyId: key.KeyId });
      expect(KeyMetadata).to.include({ KeyState: 'Disabled', Enabled: false });
      expect(KeyMetadata).not.to.have.property('DeletionDate');
      await expectKmsError(kms.cancelKeyDeletion({ KeyId: key.KeyId }), 'KMSInvalidStateException', `${key.Arn} is not pending deletion.`);
    });

    it('deletes the key, its aliases and tags once the clock passes DeletionDate', async () => {
      const clock = new ManualClock();
      const forgotten: string[] = [];
      const forget = KeyCrypto.prototype.forget;
      KeyCrypto.prototype.forget = function (this: KeyCrypto, keyId: string) {
        forgotten.push(keyId);
        forget.call(this, keyId);
      };
      try {
        const kms = newKms({ clock: clock.now });
        const key = await createKey(kms, 'ECC_NIST_P256');
        const keeper = await createKey(kms);
        await kms.createAlias({ AliasName: 'alias/doomed', TargetKeyId: key.KeyId });
        await kms.createAlias({ AliasName: 'alias/kept', TargetKeyId: keeper.KeyId });
        await kms.tagResource({ KeyId: key.KeyId, Tags: [{ TagKey: 't', TagValue: 'v' }] });
        const { DeletionDate } = await kms.scheduleKeyDeletion({ KeyId: key.KeyId, PendingWindowInDays: 7 });

        clock.advance(7 * DAY_MS - 1);
        expect((await kms.describeKey({ KeyId: key.KeyId })).KeyMetadata.KeyState).to.equal('PendingDeletion');
        expect(forgotten).to.deep.equal([]);

        clock.advance(1);
        expect(clock.now()).to.deep.equal(DeletionDate);
        await expectKmsError(kms.describeKey({ KeyId: key.KeyId }), 'NotFoundException', `Key '${key.Arn}' does not exist`);
        await expectKmsError(kms.listResourceTags({ KeyId: key.KeyId }), 'NotFoundException');
        await expectKmsError(kms.describeKey({ KeyId: 'alias/doomed' }), 'NotFoundException', `Alias ${aliasArn('alias/doomed')} is not found.`);
        const names = (await kms.listAliases({ Limit: 100 })).Aliases.map((a) => a.AliasName);
        expect(names).to.include('alias/kept').and.not.include('alias/doomed');
        expect((await kms.listKeys({})).Keys.map((k) => k.KeyId)).to.deep.equal([keeper.KeyId]);
        expect(forgotten).to.deep.equal([key.KeyId]);
        // The alias name is free again.
        await kms.createAlias({ AliasName: 'alias/doomed', TargetKeyId: keeper.KeyId });
      } finally {
        KeyCrypto.prototype.forget = forget;
      }
    });
  });

  describe('GenerateRandom', () => {
    it('returns NumberOfBytes bytes from the injected crypto', async () => {
      const base = new Crypto();
      const sevens = {
        subtle: base.subtle,
        randomUUID: () => base.randomUUID(),
        getRandomValues: <T extends ArrayBufferView | null>(array: T): T => {
          if (array instanceof Uint8Array) array.fill(7);
          return array;
        },
      } as unknown as globalThis.Crypto;
      const kms = newKms({ crypto: sevens });
      expect(await kms.generateRandom({ NumberOfBytes: 4 })).to.deep.equal({ Plaintext: Uint8Array.of(7, 7, 7, 7) });
      expect((await newKms().generateRandom({ NumberOfBytes: 1024 })).Plaintext).to.have.length(1024);
    });

    it('requires NumberOfBytes in 1–1024', async () => {
      const kms = newKms();
      await expectKmsError(kms.generateRandom({}), 'ValidationException', 'NumberOfBytes is required.');
      await expectKmsError(
        kms.generateRandom({ NumberOfBytes: 0 }),
        'ValidationException',
        "1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1",
      );
      await expectKmsError(
        kms.generateRandom({ NumberOfBytes: 1025 }),
        'ValidationException',
        "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024",
      );
      await expectKmsError(kms.generateRandom({ NumberOfBytes: '8' as unknown as number }), 'ValidationException');
    });
  });

  describe('isolation and secret hygiene', () => {
    it('returns copies: changing an output changes nothing inside', async () => {
      const kms = newKms();
      const key = await createKey(kms, 'ECC_NIST_P256');
      const metadata = (await kms.describeKey({ KeyId: key.KeyId })).KeyMetadata;
      metadata.SigningAlgorithms?.push('RSASSA_PSS_SHA_256');
      metadata.CreationDate.setTime(0);
      metadata.Description = 'changed';
      const again = (await kms.describeKey({ KeyId: key.KeyId })).KeyMetadata;
      expect(again.SigningAlgorithms).to.deep.equal(['ECDSA_SHA_256']);
      expect(again.CreationDate.getTime()).to.not.equal(0);
      expect(again.Description).to.equal('');

      const { PublicKey } = await kms.getPublicKey({ KeyId: key.KeyId });
      const original = Uint8Array.from(PublicKey);
      PublicKey.fill(0);
      expect((await kms.getPublicKey({ KeyId: key.KeyId })).PublicKey).to.deep.equal(original);

      const tags = [{ TagKey: 'a', TagValue: '1' }];
      await kms.tagResource({ KeyId: key.KeyId, Tags: tags });
      tags[0] = { TagKey: 'b', TagValue: '2' };
      const listed = await kms.listResourceTags({ KeyId: key.KeyId });
      expect(listed.Tags).to.deep.equal([{ TagKey: 'a', TagValue: '1' }]);
      listed.Tags.push({ TagKey: 'x', TagValue: 'y' });
      expect((await kms.listResourceTags({ KeyId: key.KeyId })).Tags).to.have.length(1);
    });

    it('shows no key material in inspect, JSON, toString or errors', async () => {
      const store = new InMemorySimulatorStore();
      const kms = newKms({ store });
      const keys = [await createKey(kms, 'ECC_NIST_P256'), await createKey(kms, 'SYMMETRIC_DEFAULT'), await createKey(kms, 'HMAC_256')];
      const secrets: string[] = [];
      for (const key of keys) {
        const material = await store.getKeyMaterial(key.KeyId);
        expect(material).to.not.equal(undefined);
        const secret = Buffer.from(material?.secret ?? []);
        secrets.push(secret.toString('base64'), secret.toString('hex'), secret.toString('base64url'));
      }
      const errors: string[] = [];
      for (const key of keys) {
        for (const call of [
          () => kms.sign({ KeyId: key.KeyId, Message: Uint8Array.of(1), SigningAlgorithm: 'ECDSA_SHA_384' }),
          () => kms.getPublicKey({ KeyId: key.KeyId }),
        ]) {
          try {
            await call();
          } catch (e) {
            errors.push(inspect(e), String(e));
          }
        }
      }
      const views = [
        inspect(kms, { depth: Infinity, showHidden: true }),
        inspect(store, { depth: Infinity, showHidden: true }),
        JSON.stringify(kms),
        JSON.stringify(store),
        String(kms),
        ...errors,
      ];
      for (const view of views) for (const secret of secrets) expect(view).not.to.include(secret);
      expect(inspect(kms)).to.equal("SimulatedKms { region: 'us-east-1', accountId: '111122223333' }");
      expect(JSON.parse(JSON.stringify(kms))).to.deep.equal({ region: 'us-east-1', accountId: ACCOUNT });
      expect(String(kms)).to.equal(`SimulatedKms(us-east-1, ${ACCOUNT})`);
      expect(ARN_PREFIX).to.equal(`arn:aws:kms:us-east-1:${ACCOUNT}`);
    });

    it('honours an aborted signal before doing anything', async () => {
      const kms = newKms();
      const controller = new AbortController();
      controller.abort();
      let thrown: unknown;
      try {
        await kms.createKey({}, { abortSignal: controller.signal });
      } catch (e) {
        thrown = e;
      }
      expect(thrown).to.have.property('name', 'AbortError');
      expect((await kms.listKeys({})).Keys).to.deep.equal([]);
    });
  });
});
