/**
 * The KmsPort contract: what every adapter must do, as AWS KMS does it (docs/kms-behaviour.md).
 * One suite, run against each target (the simulator in process, the AWS SDK adapter over our wire endpoint,
 * the AWS SDK adapter over moto). A target may list cases it is known to get wrong *because the emulator behind
 * it deviates from AWS*; those cases are skipped for that target only, with the reason in the test title.
 */
import { expect } from 'chai';
import { createPublicKey, createHash, publicEncrypt, verify as nodeVerify, constants, diffieHellman, generateKeyPairSync } from 'node:crypto';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { createCipheriv, createPrivateKey, sign as nodeSign } from 'node:crypto';
import type { KeyMetadata, KmsPort, KmsSigningAlgorithm } from '../../src/ports/kms.port.js';
import { KMS_MODEL } from '../../src/adapters/kms-model/kms-operations.js';

export interface ContractTarget {
  name: string;
  /** `inRegion(region)`: the same account's KmsPort in another Region (multi-Region keys, §25). */
  start(): Promise<{ kms: KmsPort; stop(): Promise<void>; inRegion?(region: string): Promise<KmsPort> }>;
  /** Case id → why this target cannot pass it (an emulator's documented deviation from AWS). */
  deviations?: Partial<Record<CaseId, string>>;
}

export const CASE_IDS = [
  'createKey.metadata',
  'createKey.defaults',
  'createKey.asymmetric',
  'createKey.usageRequired',
  'createKey.usageMismatch',
  'describeKey.identifiers',
  'describeKey.notFound',
  'describeKey.invalidKeyId',
  'listKeys.complete',
  'listKeys.limit',
  'listKeys.invalidMarker',
  'alias.lifecycle',
  'alias.dates',
  'alias.duplicate',
  'alias.prefix',
  'alias.prefixMessage',
  'alias.reserved',
  'alias.updateType',
  'alias.unknownAsKeyId',
  'listAliases.limit',
  'tags.lifecycle',
  'tags.reserved',
  'tags.limits',
  'state.disable',
  'state.disabledSign',
  'deletion.schedule',
  'deletion.output',
  'deletion.twice',
  'deletion.pendingSign',
  'deletion.cancel',
  'deletion.cancelOutput',
  'deletion.cancelNotPending',
  'deletion.window',
  'publicKey.der',
  'publicKey.shape',
  'publicKey.symmetric',
  'sign.ecdsa',
  'sign.pkcs1',
  'sign.pss',
  'sign.digest',
  'verify.invalid',
  'sign.wrongUsage',
  'random',
  'random.range',
  'encrypt.symmetric',
  'encrypt.output',
  'encrypt.context',
  'encrypt.wrongUsage',
  'encrypt.rsa',
  'dataKey',
  'mac',
  'mac.invalid',
  'agreement.ecdh',
  'agreement.curve',
  'kem.roundTrip',
  'kem.ciphertextLength',
  'lastUsage',
  'rotation.status',
  'rotation.period',
  'rotation.asymmetric',
  'rotation.disabled',
  'rotation.onDemand',
  'rotation.list',
  'keyPolicy.default',
  'keyPolicy.defaultText',
  'keyPolicy.put',
  'keyPolicy.name',
  'keyPolicy.malformed',
  'keyPolicy.lockout',
  'listKeyPolicies',
  'keyDescription.update',
  'keyDescription.pending',
  'reEncrypt',
  'reEncrypt.output',
  'reEncrypt.notUnderSource',
  'reEncrypt.context',
  'reEncrypt.disabledDestination',
  'dataKeyWithoutPlaintext',
  'dataKeyPair',
  'dataKeyPair.withoutPlaintext',
  'dryRun.envelope',
  'grants.create',
  'grants.pagination',
  'grants.name',
  'grants.operations',
  'grants.revoke',
  'grants.retire',
  'grants.tokens',
  'grants.dryRun',
  'grants.deletedKey',
  'customKeyStore.create',
  'customKeyStore.cloudHsm',
  'customKeyStore.validation',
  'customKeyStore.nameInUse',
  'customKeyStore.notFound',
  'customKeyStore.connection',
  'customKeyStore.update',
  'customKeyStore.createKey',
  'import.lifecycle',
  'import.keyWrap',
  'import.token',
  'import.expiration',
  'multiRegion.create',
  'multiRegion.replicate',
  'multiRegion.errors',
  'multiRegion.updatePrimary',
  'multiRegion.deletion',
  'multiRegion.rotation',
] as const;
export type CaseId = (typeof CASE_IDS)[number];

const DAY = 86_400_000;
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const sha256 = (b: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(b).digest());

/** The thrown error, which must be KMS-shaped with that name (and message, when given). */
async function kmsError(promise: Promise<unknown>, name: string, message?: string | RegExp): Promise<Error> {
  let error: unknown;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  expect(error, `expected ${name}`).to.be.instanceOf(Error);
  expect((error as Error).name).to.equal(name);
  expect((error as { $fault?: string }).$fault).to.equal('client');
  if (typeof message === 'string') expect((error as Error).message).to.equal(message);
  else if (message) expect((error as Error).message).to.match(message);
  return error as Error;
}

export function kmsPortContract(target: ContractTarget): void {
  describe(`KmsPort contract: ${target.name}`, function () {
    this.timeout(60_000);
    let kms: KmsPort;
    let stop: () => Promise<void>;
    let inRegion: ((region: string) => Promise<KmsPort>) | undefined;
    /** A fresh key per test that needs one, so tests stay independent of each other and of the account. */
    const newKey = async (KeySpec: KeyMetadata['KeySpec'] = 'ECC_NIST_P256', KeyUsage?: KeyMetadata['KeyUsage']) => {
      const usage = KeyUsage ?? (KeySpec === 'SYMMETRIC_DEFAULT' ? undefined : defaultUsage(KeySpec));
      return (await kms.createKey({ KeySpec, ...(usage ? { KeyUsage: usage } : {}) })).KeyMetadata;
    };
    const unique = (): string => `contract-${Math.random().toString(36).slice(2, 12)}`;

    /** The port operations the cases have called (on targets without deviations every one must be, below). */
    const called = new Set<string>();
    before(async () => {
      const started = await target.start();
      ({ stop, inRegion } = started);
      kms = recordingCalls(started.kms, called);
    });
    after(async () => {
      await stop?.();
    });

    const test = (id: CaseId, title: string, fn: () => Promise<void>): void => {
      const reason = target.deviations?.[id];
      if (reason) it.skip(`[${id}] ${title} — skipped on ${target.name}: ${reason}`, fn);
      else it(`[${id}] ${title}`, fn);
    };

    describe('keys', () => {
      test('createKey.metadata', 'CreateKey defaults to a symmetric encryption key with the documented metadata', async () => {
        const before = Date.now();
        const m = (await kms.createKey({ Description: 'contract' })).KeyMetadata;
        expect(m.KeyId).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        expect(m.Arn).to.equal(`arn:aws:kms:${kms.region}:${m.AWSAccountId}:key/${m.KeyId}`);
        expect(m).to.deep.include({
          Description: 'contract',
          Enabled: true,
          KeyState: 'Enabled',
          KeySpec: 'SYMMETRIC_DEFAULT',
          CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
          KeyManager: 'CUSTOMER',
          Origin: 'AWS_KMS',
        });
        expect(m.EncryptionAlgorithms).to.deep.equal(['SYMMETRIC_DEFAULT']);
        expect(m).not.to.have.property('DeletionDate');
        expect(m.CreationDate).to.be.instanceOf(Date);
        expect(Math.abs(m.CreationDate.getTime() - before)).to.be.below(60_000);
      });

      test('createKey.defaults', 'CreateKey fills KeyUsage and MultiRegion; only the matching algorithm list', async () => {
        const m = (await kms.createKey({})).KeyMetadata;
        expect(m).to.deep.include({ KeyUsage: 'ENCRYPT_DECRYPT', MultiRegion: false });
        for (const other of ['SigningAlgorithms', 'MacAlgorithms', 'KeyAgreementAlgorithms']) expect(m).not.to.have.property(other);
      });

      test('createKey.asymmetric', 'asymmetric keys list exactly the algorithms of their spec', async () => {
        const rsa = await newKey('RSA_2048', 'SIGN_VERIFY');
        expect(rsa.SigningAlgorithms).to.have.members([
          'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512',
          'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512',
        ]);
        expect(rsa).not.to.have.property('EncryptionAlgorithms');
        const ec = await newKey('ECC_NIST_P256', 'SIGN_VERIFY');
        expect(ec.SigningAlgorithms).to.deep.equal(['ECDSA_SHA_256']);
        const oaep = await newKey('RSA_2048', 'ENCRYPT_DECRYPT');
        expect(oaep.EncryptionAlgorithms).to.have.members(['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']);
      });

      test('createKey.usageRequired', 'a non-symmetric spec without KeyUsage is a ValidationException', async () => {
        await kmsError(
          kms.createKey({ KeySpec: 'RSA_2048' }),
          'ValidationException',
          'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.',
        );
      });

      test('createKey.usageMismatch', 'a usage the spec does not allow is a ValidationException', async () => {
        await kmsError(
          kms.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'ENCRYPT_DECRYPT' }),
          'ValidationException',
          /ENCRYPT_DECRYPT.*ECC_NIST_P256/,
        );
      });

      test('describeKey.identifiers', 'DescribeKey takes a key id, key ARN, alias name or alias ARN', async () => {
        const m = await newKey();
        const alias = `alias/${unique()}`;
        await kms.createAlias({ AliasName: alias, TargetKeyId: m.KeyId });
        const aliasArn = `arn:aws:kms:${kms.region}:${m.AWSAccountId}:${alias}`;
        for (const KeyId of [m.KeyId, m.Arn, alias, aliasArn]) {
          expect((await kms.describeKey({ KeyId })).KeyMetadata.KeyId, KeyId).to.equal(m.KeyId);
        }
      });

      test('describeKey.notFound', 'an absent key is NotFoundException', async () => {
        const m = await newKey();
        const absent = '00000000-0000-4000-8000-000000000000';
        await kmsError(
          kms.describeKey({ KeyId: absent }),
          'NotFoundException',
          `Key 'arn:aws:kms:${kms.region}:${m.AWSAccountId}:key/${absent}' does not exist`,
        );
      });

      test('describeKey.invalidKeyId', 'a malformed key id is NotFoundException: Invalid keyId', async () => {
        await kmsError(kms.describeKey({ KeyId: 'not-a-key' }), 'NotFoundException', "Invalid keyId 'not-a-key'");
      });

      test('listKeys.complete', 'ListKeys pages through every key exactly once, in every state', async () => {
        const created = [await newKey(), await newKey(), await newKey()];
        await kms.disableKey({ KeyId: created[1]!.KeyId });
        await kms.scheduleKeyDeletion({ KeyId: created[2]!.KeyId, PendingWindowInDays: 7 });
        const seen: string[] = [];
        let marker: string | undefined;
        do {
          const page = await kms.listKeys({ Limit: 2, ...(marker ? { Marker: marker } : {}) });
          expect(page.Truncated).to.be.a('boolean');
          for (const k of page.Keys) {
            expect(k.KeyArn).to.match(new RegExp(`:key/${k.KeyId}$`));
            seen.push(k.KeyId);
          }
          marker = page.Truncated ? page.NextMarker : undefined;
        } while (marker);
        expect(new Set(seen).size).to.equal(seen.length);
        expect(seen).to.include.members(created.map((k) => k.KeyId));
      });

      test('listKeys.limit', 'ListKeys honours Limit, Truncated and NextMarker', async () => {
        await newKey();
        await newKey();
        const first = await kms.listKeys({ Limit: 1 });
        expect(first.Keys).to.have.length(1);
        expect(first.Truncated).to.equal(true);
        expect(first.NextMarker).to.be.a('string');
        const all = await kms.listKeys({ Limit: 1000 });
        expect(all.Truncated).to.equal(false);
        expect(all).not.to.have.property('NextMarker');
      });

      test('listKeys.invalidMarker', 'a Marker that no listing returned is InvalidMarkerException', async () => {
        await kmsError(kms.listKeys({ Marker: 'bm90LWEtbWFya2Vy' }), 'InvalidMarkerException');
      });
    });

    describe('aliases', () => {
      test('alias.lifecycle', 'CreateAlias, ListAliases by key, UpdateAlias, DeleteAlias', async () => {
        const [a, b] = [await newKey(), await newKey()];
        const alias = `alias/${unique()}`;
        await kms.createAlias({ AliasName: alias, TargetKeyId: a.KeyId });
        const listed = (await kms.listAliases({ KeyId: a.KeyId })).Aliases;
        expect(listed.map((x) => x.AliasName)).to.deep.equal([alias]);
        expect(listed[0]).to.deep.include({
          TargetKeyId: a.KeyId,
          AliasArn: `arn:aws:kms:${kms.region}:${a.AWSAccountId}:${alias}`,
        });
        await kms.updateAlias({ AliasName: alias, TargetKeyId: b.KeyId });
        expect((await kms.describeKey({ KeyId: alias })).KeyMetadata.KeyId).to.equal(b.KeyId);
        await kms.deleteAlias({ AliasName: alias });
        await kmsError(kms.describeKey({ KeyId: alias }), 'NotFoundException');
        await kmsError(kms.deleteAlias({ AliasName: alias }), 'NotFoundException');
      });

      test('alias.dates', 'alias entries carry CreationDate and LastUpdatedDate', async () => {
        const m = await newKey();
        await kms.createAlias({ AliasName: `alias/${unique()}`, TargetKeyId: m.KeyId });
        const [entry] = (await kms.listAliases({ KeyId: m.KeyId })).Aliases;
        expect(entry!.CreationDate).to.be.instanceOf(Date);
        expect(entry!.LastUpdatedDate).to.be.instanceOf(Date);
      });

      test('alias.duplicate', 'an existing alias name is AlreadyExistsException', async () => {
        const m = await newKey();
        const alias = `alias/${unique()}`;
        await kms.createAlias({ AliasName: alias, TargetKeyId: m.KeyId });
        await kmsError(kms.createAlias({ AliasName: alias, TargetKeyId: m.KeyId }), 'AlreadyExistsException', /already exists/);
      });

      test('alias.prefix', 'alias names must start with alias/ (ValidationException)', async () => {
        const m = await newKey();
        await kmsError(kms.createAlias({ AliasName: unique(), TargetKeyId: m.KeyId }), 'ValidationException');
      });

      test('alias.prefixMessage', 'a name without alias/ gets the AWS-recorded message', async () => {
        const m = await newKey();
        await kmsError(
          kms.createAlias({ AliasName: unique(), TargetKeyId: m.KeyId }),
          'ValidationException',
          'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
        );
      });

      test('alias.reserved', 'alias/aws/ names are reserved', async () => {
        const m = await newKey();
        await kmsError(kms.createAlias({ AliasName: `alias/aws/${unique()}`, TargetKeyId: m.KeyId }), 'NotAuthorizedException');
      });

      test('alias.updateType', 'UpdateAlias refuses a target of another type or usage', async () => {
        const sym = await newKey('SYMMETRIC_DEFAULT');
        const ec = await newKey('ECC_NIST_P256', 'SIGN_VERIFY');
        const alias = `alias/${unique()}`;
        await kms.createAlias({ AliasName: alias, TargetKeyId: sym.KeyId });
        await kmsError(kms.updateAlias({ AliasName: alias, TargetKeyId: ec.KeyId }), 'ValidationException');
      });

      test('alias.unknownAsKeyId', 'an unknown alias as KeyId is NotFoundException', async () => {
        await kmsError(kms.describeKey({ KeyId: `alias/${unique()}` }), 'NotFoundException');
        await kmsError(kms.getPublicKey({ KeyId: `alias/${unique()}` }), 'NotFoundException');
      });

      test('listAliases.limit', 'ListAliases honours Limit and pages every alias exactly once', async () => {
        const m = await newKey();
        const names = [unique(), unique(), unique()].map((n) => `alias/${n}`);
        for (const AliasName of names) await kms.createAlias({ AliasName, TargetKeyId: m.KeyId });
        const seen: string[] = [];
        let marker: string | undefined;
        do {
          const page = await kms.listAliases({ KeyId: m.KeyId, Limit: 1, ...(marker ? { Marker: marker } : {}) });
          expect(page.Aliases.length).to.be.at.most(1);
          seen.push(...page.Aliases.map((a) => a.AliasName));
          marker = page.Truncated ? page.NextMarker : undefined;
        } while (marker);
        expect(seen.sort()).to.deep.equal([...names].sort());
      });
    });

    describe('tags', () => {
      test('tags.lifecycle', 'TagResource, overwrite, ListResourceTags, UntagResource (absent keys are fine)', async () => {
        const m = await newKey();
        await kms.tagResource({ KeyId: m.KeyId, Tags: [{ TagKey: 'a', TagValue: '1' }, { TagKey: 'b', TagValue: '2' }] });
        await kms.tagResource({ KeyId: m.KeyId, Tags: [{ TagKey: 'a', TagValue: '3' }] });
        const tags = Object.fromEntries((await kms.listResourceTags({ KeyId: m.KeyId })).Tags.map((t) => [t.TagKey, t.TagValue]));
        expect(tags).to.deep.equal({ a: '3', b: '2' });
        await kms.untagResource({ KeyId: m.KeyId, TagKeys: ['b', 'never-set'] });
        expect((await kms.listResourceTags({ KeyId: m.KeyId })).Tags).to.deep.equal([{ TagKey: 'a', TagValue: '3' }]);
        const created = await kms.createKey({ KeySpec: 'SYMMETRIC_DEFAULT', Tags: [{ TagKey: 'x', TagValue: 'y' }] });
        expect((await kms.listResourceTags({ KeyId: created.KeyMetadata.KeyId })).Tags).to.deep.equal([{ TagKey: 'x', TagValue: 'y' }]);
      });

      test('tags.reserved', 'tag keys starting with aws: are refused', async () => {
        const m = await newKey();
        await kmsError(
          kms.tagResource({ KeyId: m.KeyId, Tags: [{ TagKey: 'aws:x', TagValue: 'y' }] }),
          'TagException',
          'Tags beginning with aws: are reserved',
        );
      });

      test('tags.limits', 'duplicate keys and more than 50 tags are TagException', async () => {
        const m = await newKey();
        await kmsError(
          kms.tagResource({ KeyId: m.KeyId, Tags: [{ TagKey: 'k', TagValue: '1' }, { TagKey: 'k', TagValue: '2' }] }),
          'TagException',
          'Duplicate tag keys',
        );
        const many = Array.from({ length: 51 }, (_, i) => ({ TagKey: `k${i}`, TagValue: 'v' }));
        await kmsError(kms.tagResource({ KeyId: m.KeyId, Tags: many }), 'TagException', 'Too many tags');
      });
    });

    describe('key states and deletion', () => {
      test('state.disable', 'DisableKey and EnableKey move between Enabled and Disabled', async () => {
        const m = await newKey();
        await kms.disableKey({ KeyId: m.KeyId });
        expect((await kms.describeKey({ KeyId: m.KeyId })).KeyMetadata).to.deep.include({ KeyState: 'Disabled', Enabled: false });
        await kms.enableKey({ KeyId: m.KeyId });
        expect((await kms.describeKey({ KeyId: m.KeyId })).KeyMetadata).to.deep.include({ KeyState: 'Enabled', Enabled: true });
      });

      test('state.disabledSign', 'a disabled key refuses Sign with DisabledException', async () => {
        const m = await newKey('ECC_NIST_P256', 'SIGN_VERIFY');
        await kms.disableKey({ KeyId: m.KeyId });
        await kmsError(
          kms.sign({ KeyId: m.KeyId, Message: text('m'), SigningAlgorithm: 'ECDSA_SHA_256' }),
          'DisabledException',
          `${m.Arn} is disabled.`,
        );
      });

      test('deletion.schedule', 'ScheduleKeyDeletion makes the key PendingDeletion with a DeletionDate', async () => {
        const m = await newKey();
        const before = Date.now();
        await kms.scheduleKeyDeletion({ KeyId: m.KeyId, PendingWindowInDays: 7 });
        const after = (await kms.describeKey({ KeyId: m.KeyId })).KeyMetadata;
        expect(after).to.deep.include({ KeyState: 'PendingDeletion', Enabled: false });
        expect(after.DeletionDate!.getTime()).to.be.within(before + 7 * DAY - 60_000, Date.now() + 8 * DAY);
      });

      test('deletion.output', 'ScheduleKeyDeletion answers with the key ARN, state and window', async () => {
        const m = await newKey();
        const out = await kms.scheduleKeyDeletion({ KeyId: m.KeyId, PendingWindowInDays: 10 });
        expect(out).to.deep.include({ KeyId: m.Arn, KeyState: 'PendingDeletion', PendingWindowInDays: 10 });
        expect(out.DeletionDate).to.be.instanceOf(Date);
      });

      test('deletion.twice', 'scheduling a pending key again is KMSInvalidStateException', async () => {
        const m = await newKey();
        await kms.scheduleKeyDeletion({ KeyId: m.KeyId });
        await kmsError(kms.scheduleKeyDeletion({ KeyId: m.KeyId }), 'KMSInvalidStateException', `${m.Arn} is pending deletion.`);
      });

      test('deletion.pendingSign', 'a pending key refuses Sign and GetPublicKey with KMSInvalidStateException', async () => {
        const m = await newKey('ECC_NIST_P256', 'SIGN_VERIFY');
        await kms.scheduleKeyDeletion({ KeyId: m.KeyId });
        await kmsError(
          kms.sign({ KeyId: m.KeyId, Message: text('m'), SigningAlgorithm: 'ECDSA_SHA_256' }),
          'KMSInvalidStateException',
          `${m.Arn} is pending deletion.`,
        );
        await kmsError(kms.getPublicKey({ KeyId: m.KeyId }), 'KMSInvalidStateException');
      });

      test('deletion.cancel', 'CancelKeyDeletion leaves the key Disabled, without DeletionDate', async () => {
        const m = await newKey();
        await kms.scheduleKeyDeletion({ KeyId: m.KeyId });
        await kms.cancelKeyDeletion({ KeyId: m.KeyId });
        const after = (await kms.describeKey({ KeyId: m.KeyId })).KeyMetadata;
        expect(after.KeyState).to.equal('Disabled');
        expect(after).not.to.have.property('DeletionDate');
      });

      test('deletion.cancelOutput', 'CancelKeyDeletion answers with the key ARN', async () => {
        const m = await newKey();
        await kms.scheduleKeyDeletion({ KeyId: m.KeyId });
        expect((await kms.cancelKeyDeletion({ KeyId: m.KeyId })).KeyId).to.equal(m.Arn);
      });

      test('deletion.cancelNotPending', 'CancelKeyDeletion on a key not pending is KMSInvalidStateException', async () => {
        const m = await newKey();
        await kmsError(kms.cancelKeyDeletion({ KeyId: m.KeyId }), 'KMSInvalidStateException', `${m.Arn} is not pending deletion.`);
      });

      test('deletion.window', 'PendingWindowInDays outside 7–30 is a ValidationException', async () => {
        const m = await newKey();
        await kmsError(kms.scheduleKeyDeletion({ KeyId: m.KeyId, PendingWindowInDays: 6 }), 'ValidationException');
        await kmsError(kms.scheduleKeyDeletion({ KeyId: m.KeyId, PendingWindowInDays: 31 }), 'ValidationException');
        expect((await kms.describeKey({ KeyId: m.KeyId })).KeyMetadata.KeyState).to.equal('Enabled');
      });
    });

    describe('public keys, Sign and Verify', () => {
      test('publicKey.der', 'GetPublicKey returns a DER SubjectPublicKeyInfo', async () => {
        const m = await newKey('RSA_2048', 'SIGN_VERIFY');
        const out = await kms.getPublicKey({ KeyId: m.KeyId });
        const key = createPublicKey({ key: Buffer.from(out.PublicKey), format: 'der', type: 'spki' });
        expect(key.asymmetricKeyDetails?.modulusLength).to.equal(2048);
        expect(out.KeyUsage).to.equal('SIGN_VERIFY');
      });

      test('publicKey.shape', 'GetPublicKey answers with the key ARN, KeySpec and one algorithm list', async () => {
        const m = await newKey('ECC_NIST_P256', 'SIGN_VERIFY');
        const out = await kms.getPublicKey({ KeyId: m.KeyId });
        expect(out).to.deep.include({ KeyId: m.Arn, KeySpec: 'ECC_NIST_P256', CustomerMasterKeySpec: 'ECC_NIST_P256' });
        expect(out.SigningAlgorithms).to.deep.equal(['ECDSA_SHA_256']);
        expect(out).not.to.have.property('EncryptionAlgorithms');
      });

      test('publicKey.symmetric', 'GetPublicKey on a symmetric key is UnsupportedOperationException', async () => {
        const m = await newKey('SYMMETRIC_DEFAULT');
        await kmsError(kms.getPublicKey({ KeyId: m.KeyId }), 'UnsupportedOperationException');
      });

      const signs: Array<[CaseId, KeyMetadata['KeySpec'], KmsSigningAlgorithm, (key: ReturnType<typeof createPublicKey>, m: Uint8Array, s: Uint8Array) => boolean]> = [
        ['sign.ecdsa', 'ECC_NIST_P256', 'ECDSA_SHA_256', (key, m, s) => nodeVerify('sha256', m, { key, dsaEncoding: 'der' }, s)],
        ['sign.pkcs1', 'RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_256', (key, m, s) => nodeVerify('sha256', m, key, s)],
        [
          'sign.pss',
          'RSA_2048',
          'RSASSA_PSS_SHA_256',
          (key, m, s) => nodeVerify('sha256', m, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, s),
        ],
      ];
      for (const [id, spec, algorithm, independentlyValid] of signs) {
        test(id, `${algorithm}: Sign, Verify, and the signature verifies with node:crypto`, async () => {
          const m = await newKey(spec, 'SIGN_VERIFY');
          const message = text(`message for ${algorithm}`);
          const signed = await kms.sign({ KeyId: m.KeyId, Message: message, SigningAlgorithm: algorithm });
          expect(signed).to.deep.include({ KeyId: m.Arn, SigningAlgorithm: algorithm });
          const verified = await kms.verify({ KeyId: m.KeyId, Message: message, Signature: signed.Signature, SigningAlgorithm: algorithm });
          expect(verified).to.deep.include({ SignatureValid: true, KeyId: m.Arn });
          const spki = (await kms.getPublicKey({ KeyId: m.KeyId })).PublicKey;
          const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
          expect(independentlyValid(key, message, signed.Signature)).to.equal(true);
        });
      }

      test('sign.digest', 'MessageType DIGEST signs the digest as given; a wrong length is refused', async () => {
        const m = await newKey('ECC_NIST_P256', 'SIGN_VERIFY');
        const message = text('digest me');
        const signed = await kms.sign({ KeyId: m.KeyId, Message: sha256(message), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' });
        // A DIGEST signature verifies as RAW over the original message.
        const out = await kms.verify({ KeyId: m.KeyId, Message: message, Signature: signed.Signature, SigningAlgorithm: 'ECDSA_SHA_256' });
        expect(out.SignatureValid).to.equal(true);
        await kmsError(
          kms.sign({ KeyId: m.KeyId, Message: text('short'), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }),
          'ValidationException',
          'Digest is invalid length for algorithm ECDSA_SHA_256.',
        );
      });

      test('verify.invalid', 'a signature that does not verify is KMSInvalidSignatureException', async () => {
        const m = await newKey('ECC_NIST_P256', 'SIGN_VERIFY');
        const signed = await kms.sign({ KeyId: m.KeyId, Message: text('a'), SigningAlgorithm: 'ECDSA_SHA_256' });
        await kmsError(
          kms.verify({ KeyId: m.KeyId, Message: text('b'), Signature: signed.Signature, SigningAlgorithm: 'ECDSA_SHA_256' }),
          'KMSInvalidSignatureException',
        );
      });

      test('sign.wrongUsage', 'Sign with an encryption key is InvalidKeyUsageException', async () => {
        const m = await newKey('RSA_2048', 'ENCRYPT_DECRYPT');
        await kmsError(
          kms.sign({ KeyId: m.KeyId, Message: text('m'), SigningAlgorithm: 'RSASSA_PSS_SHA_256' }),
          'InvalidKeyUsageException',
          `${m.Arn} key usage is ENCRYPT_DECRYPT which is not valid for Sign.`,
        );
      });
    });

    describe('random, encryption, MAC', () => {
      test('random', 'GenerateRandom returns the bytes asked for', async () => {
        const { Plaintext } = await kms.generateRandom({ NumberOfBytes: 32 });
        expect(Plaintext).to.have.length(32);
        expect((await kms.generateRandom({ NumberOfBytes: 32 })).Plaintext).not.to.deep.equal(Plaintext);
      });

      test('random.range', 'GenerateRandom refuses 0 and 1025 bytes', async () => {
        await kmsError(kms.generateRandom({ NumberOfBytes: 0 }), 'ValidationException');
        await kmsError(kms.generateRandom({ NumberOfBytes: 1025 }), 'ValidationException');
      });

      test('encrypt.symmetric', 'Encrypt and Decrypt round-trip; Decrypt finds the key from the blob', async () => {
        const m = await newKey('SYMMETRIC_DEFAULT');
        const enc = await kms.encrypt({ KeyId: m.KeyId, Plaintext: text('secret') });
        expect(enc.KeyId).to.equal(m.Arn);
        const dec = await kms.decrypt({ CiphertextBlob: enc.CiphertextBlob });
        expect(new TextDecoder().decode(dec.Plaintext)).to.equal('secret');
        expect(dec.KeyId).to.equal(m.Arn);
      });

      test('encrypt.output', 'Encrypt and Decrypt name the EncryptionAlgorithm', async () => {
        const m = await newKey('SYMMETRIC_DEFAULT');
        const enc = await kms.encrypt({ KeyId: m.KeyId, Plaintext: text('secret') });
        expect(enc.EncryptionAlgorithm).to.equal('SYMMETRIC_DEFAULT');
        expect((await kms.decrypt({ CiphertextBlob: enc.CiphertextBlob })).EncryptionAlgorithm).to.equal('SYMMETRIC_DEFAULT');
      });

      test('encrypt.context', 'the encryption context is bound: another context is InvalidCiphertextException', async () => {
        const m = await newKey('SYMMETRIC_DEFAULT');
        const enc = await kms.encrypt({ KeyId: m.KeyId, Plaintext: text('x'), EncryptionContext: { tenant: 'a' } });
        const dec = await kms.decrypt({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { tenant: 'a' } });
        expect(new TextDecoder().decode(dec.Plaintext)).to.equal('x');
        await kmsError(kms.decrypt({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { tenant: 'b' } }), 'InvalidCiphertextException');
      });

      test('encrypt.wrongUsage', 'Encrypt with a signing key is InvalidKeyUsageException', async () => {
        const m = await newKey('RSA_2048', 'SIGN_VERIFY');
        await kmsError(
          kms.encrypt({ KeyId: m.KeyId, Plaintext: text('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }),
          'InvalidKeyUsageException',
        );
      });

      test('encrypt.rsa', 'RSAES_OAEP_SHA_256: a ciphertext made with the public key decrypts in KMS', async () => {
        const m = await newKey('RSA_2048', 'ENCRYPT_DECRYPT');
        const spki = (await kms.getPublicKey({ KeyId: m.KeyId })).PublicKey;
        const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
        const ciphertext = publicEncrypt({ key, oaepHash: 'sha256', padding: constants.RSA_PKCS1_OAEP_PADDING }, Buffer.from('hi'));
        const dec = await kms.decrypt({ KeyId: m.KeyId, CiphertextBlob: ciphertext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
        expect(new TextDecoder().decode(dec.Plaintext)).to.equal('hi');
      });

      test('dataKey', 'GenerateDataKey returns a data key and its ciphertext, which Decrypt turns back', async () => {
        const m = await newKey('SYMMETRIC_DEFAULT');
        const dk = await kms.generateDataKey({ KeyId: m.KeyId, KeySpec: 'AES_256' });
        expect(dk.Plaintext).to.have.length(32);
        expect(dk.KeyId).to.equal(m.Arn);
        expect((await kms.decrypt({ CiphertextBlob: dk.CiphertextBlob })).Plaintext).to.deep.equal(dk.Plaintext);
        expect((await kms.generateDataKey({ KeyId: m.KeyId, NumberOfBytes: 16 })).Plaintext).to.have.length(16);
      });

      test('mac', 'GenerateMac and VerifyMac with an HMAC key', async () => {
        const m = (await kms.createKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })).KeyMetadata;
        const { Mac } = await kms.generateMac({ KeyId: m.KeyId, Message: text('m'), MacAlgorithm: 'HMAC_SHA_256' });
        expect(Mac).to.have.length(32);
        const out = await kms.verifyMac({ KeyId: m.KeyId, Message: text('m'), Mac, MacAlgorithm: 'HMAC_SHA_256' });
        expect(out.MacValid).to.equal(true);
      });

      test('mac.invalid', 'a MAC that does not verify is KMSInvalidMacException', async () => {
        const m = (await kms.createKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })).KeyMetadata;
        const { Mac } = await kms.generateMac({ KeyId: m.KeyId, Message: text('m'), MacAlgorithm: 'HMAC_SHA_256' });
        await kmsError(kms.verifyMac({ KeyId: m.KeyId, Message: text('other'), Mac, MacAlgorithm: 'HMAC_SHA_256' }), 'KMSInvalidMacException');
      });
    });

    describe('shared secrets and key last usage', () => {
      test('agreement.ecdh', 'DeriveSharedSecret: the ECDH secret the peer computes from the KMS public key', async () => {
        const m = await newKey('ECC_NIST_P384', 'KEY_AGREEMENT');
        const peer = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
        const PublicKey = new Uint8Array(peer.publicKey.export({ format: 'der', type: 'spki' }));
        const out = await kms.deriveSharedSecret({ KeyId: m.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey });
        const kmsPublic = createPublicKey({ key: Buffer.from((await kms.getPublicKey({ KeyId: m.KeyId })).PublicKey), format: 'der', type: 'spki' });
        const expected = diffieHellman({ privateKey: peer.privateKey, publicKey: kmsPublic });
        expect(Buffer.from(out.SharedSecret!).equals(expected)).to.equal(true);
        expect(out).to.deep.include({ KeyId: m.Arn, KeyAgreementAlgorithm: 'ECDH', KeyOrigin: 'AWS_KMS' });
      });

      test('agreement.curve', 'DeriveSharedSecret refuses a peer key on another curve and a key of another usage', async () => {
        const m = await newKey('ECC_NIST_P256', 'KEY_AGREEMENT');
        const other = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ format: 'der', type: 'spki' });
        await kmsError(kms.deriveSharedSecret({ KeyId: m.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: new Uint8Array(other) }), 'ValidationException');
        const signing = await newKey('ECC_NIST_P256', 'SIGN_VERIFY');
        const same = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ format: 'der', type: 'spki' });
        await kmsError(kms.deriveSharedSecret({ KeyId: signing.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: new Uint8Array(same) }), 'InvalidKeyUsageException');
      });

      test('kem.roundTrip', 'ML-KEM: Decapsulate recovers what Encapsulate returned and what noble encapsulated to the public key', async () => {
        const m = await newKey('ML_KEM_768', 'ENCAPSULATE_DECAPSULATE');
        expect(m.EncapsulationAlgorithms).to.deep.equal(['ML_KEM']);
        const enc = await kms.encapsulate({ KeyId: m.KeyId, EncapsulationAlgorithm: 'ML_KEM' });
        expect(enc.SharedSecret).to.have.length(32);
        expect(enc.KeyId).to.equal(m.Arn);
        const dec = await kms.decapsulate({ KeyId: m.KeyId, SharedSecretCiphertextBlob: enc.SharedSecretCiphertextBlob, EncapsulationAlgorithm: 'ML_KEM' });
        expect(dec.SharedSecret).to.deep.equal(enc.SharedSecret);
        const spki = (await kms.getPublicKey({ KeyId: m.KeyId })).PublicKey;
        const { cipherText, sharedSecret } = ml_kem768.encapsulate(spki.subarray(spki.length - 1184));
        const theirs = await kms.decapsulate({ KeyId: m.KeyId, SharedSecretCiphertextBlob: cipherText, EncapsulationAlgorithm: 'ML_KEM' });
        expect(theirs.SharedSecret).to.deep.equal(sharedSecret);
      });

      test('kem.ciphertextLength', 'Decapsulate of a ciphertext of the wrong length is InvalidCiphertextException', async () => {
        const m = await newKey('ML_KEM_512', 'ENCAPSULATE_DECAPSULATE');
        await kmsError(
          kms.decapsulate({ KeyId: m.KeyId, SharedSecretCiphertextBlob: new Uint8Array(1088), EncapsulationAlgorithm: 'ML_KEM' }),
          'InvalidCiphertextException',
        );
      });

      test('lastUsage', 'GetKeyLastUsage: {} until the first use, then the operation and its time', async () => {
        const m = await newKey('SYMMETRIC_DEFAULT');
        const fresh = await kms.getKeyLastUsage({ KeyId: m.KeyId });
        expect(fresh.KeyLastUsage).to.deep.equal({});
        expect(fresh.KeyCreationDate).to.deep.equal(m.CreationDate);
        const before = Date.now();
        await kms.encrypt({ KeyId: m.KeyId, Plaintext: text('x') });
        const used = (await kms.getKeyLastUsage({ KeyId: m.Arn })).KeyLastUsage;
        expect(used.Operation).to.equal('Encrypt');
        expect(Math.abs(used.Timestamp!.getTime() - before)).to.be.below(60_000);
      });
    });

    describe('key rotation', () => {
      test('rotation.status', 'EnableKeyRotation with a period, GetKeyRotationStatus, DisableKeyRotation', async () => {
        const m = await newKey('SYMMETRIC_DEFAULT');
        expect((await kms.getKeyRotationStatus({ KeyId: m.KeyId })).KeyRotationEnabled).to.equal(false);
        const before = Date.now();
        await kms.enableKeyRotation({ KeyId: m.KeyId, RotationPeriodInDays: 90 });
        const status = await kms.getKeyRotationStatus({ KeyId: m.Arn });
        expect([status.KeyRotationEnabled, status.KeyId, status.RotationPeriodInDays]).to.deep.equal([true, m.Arn, 90]);
        expect(status.NextRotationDate?.getTime()).to.be.closeTo(before + 90 * DAY, DAY);
        await kms.disableKeyRotation({ KeyId: m.KeyId });
        expect((await kms.getKeyRotationStatus({ KeyId: m.KeyId })).KeyRotationEnabled).to.equal(false);
      });

      test('rotation.period', 'RotationPeriodInDays outside 90–2560 is ValidationException', async () => {
        const m = await newKey('SYMMETRIC_DEFAULT');
        await kmsError(kms.enableKeyRotation({ KeyId: m.KeyId, RotationPeriodInDays: 89 }), 'ValidationException');
        await kmsError(kms.enableKeyRotation({ KeyId: m.KeyId, RotationPeriodInDays: 2561 }), 'ValidationException');
      });

      test('rotation.asymmetric', 'an asymmetric key does not rotate: UnsupportedOperationException; its status is false', async () => {
        const m = await newKey('ECC_NIST_P256', 'SIGN_VERIFY');
        await kmsError(kms.enableKeyRotation({ KeyId: m.KeyId }), 'UnsupportedOperationException');
        await kmsError(kms.rotateKeyOnDemand({ KeyId: m.KeyId }), 'UnsupportedOperationException');
        expect((await kms.getKeyRotationStatus({ KeyId: m.KeyId })).KeyRotationEnabled).to.equal(false);
      });

      test('rotation.disabled', 'rotation settings and on-demand rotation of a Disabled key: DisabledException', async () => {
        const m = await newKey('SYMMETRIC_DEFAULT');
        await kms.disableKey({ KeyId: m.KeyId });
        await kmsError(kms.enableKeyRotation({ KeyId: m.KeyId }), 'DisabledException', `${m.Arn} is disabled.`);
        await kmsError(kms.rotateKeyOnDemand({ KeyId: m.KeyId }), 'DisabledException', `${m.Arn} is disabled.`);
      });

      test('rotation.onDemand', 'RotateKeyOnDemand: new current key material; ciphertexts of the old one still decrypt', async () => {
        const m = await newKey('SYMMETRIC_DEFAULT');
        const old = await kms.encrypt({ KeyId: m.KeyId, Plaintext: text('old') });
        expect(await kms.rotateKeyOnDemand({ KeyId: m.KeyId })).to.deep.equal({ KeyId: m.Arn });
        const current = (await kms.describeKey({ KeyId: m.KeyId })).KeyMetadata.CurrentKeyMaterialId;
        expect(current).to.be.a('string').and.not.equal(m.CurrentKeyMaterialId);
        const fresh = await kms.encrypt({ KeyId: m.KeyId, Plaintext: text('new') });
        expect(new TextDecoder().decode((await kms.decrypt({ CiphertextBlob: old.CiphertextBlob })).Plaintext)).to.equal('old');
        const dec = await kms.decrypt({ CiphertextBlob: fresh.CiphertextBlob });
        expect([new TextDecoder().decode(dec.Plaintext), dec.KeyMaterialId]).to.deep.equal(['new', current]);
      });

      test('rotation.list', 'ListKeyRotations lists each completed rotation with its material, date and type', async () => {
        const m = await newKey('SYMMETRIC_DEFAULT');
        expect((await kms.listKeyRotations({ KeyId: m.KeyId })).Rotations).to.deep.equal([]);
        await kms.rotateKeyOnDemand({ KeyId: m.KeyId });
        const { Rotations, Truncated } = await kms.listKeyRotations({ KeyId: m.KeyId });
        expect(Truncated).to.equal(false);
        expect(Rotations).to.have.length(1);
        const [entry] = Rotations;
        expect([entry?.KeyId, entry?.RotationType, entry?.KeyMaterialState]).to.deep.equal([m.KeyId, 'ON_DEMAND', 'CURRENT']);
        expect(entry?.KeyMaterialId).to.equal((await kms.describeKey({ KeyId: m.KeyId })).KeyMetadata.CurrentKeyMaterialId);
        expect(entry?.RotationDate).to.be.instanceOf(Date);
      });
    });

    describe('key policies and description', () => {
      const rootOf = (m: KeyMetadata) => `arn:aws:iam::${m.AWSAccountId}:root`;
      const rootPolicy = (m: KeyMetadata, sid: string) =>
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Sid: sid, Effect: 'Allow', Principal: { AWS: rootOf(m) }, Action: 'kms:*', Resource: '*' }],
        });

      test('keyPolicy.default', 'a key created without a policy has the default key policy: the account root may do kms:*', async () => {
        const m = await newKey('SYMMETRIC_DEFAULT');
        const { Policy } = await kms.getKeyPolicy({ KeyId: m.KeyId, PolicyName: 'default' });
        expect(JSON.parse(Policy)).to.deep.equal({
          Version: '2012-10-17',
          Id: 'key-default-1',
          Statement: [
            { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: rootOf(m) }, Action: 'kms:*', Resource: '*' },
          ],
        });
      });

      test('keyPolicy.defaultText', "GetKeyPolicy returns the default policy in AWS's own JSON layout, and PolicyName", async () => {
        const m = await newKey('SYMMETRIC_DEFAULT');
        const out = await kms.getKeyPolicy({ KeyId: m.Arn });
        expect(out.PolicyName).to.equal('default');
        expect(out.Policy).to.equal(
          '{\n  "Version" : "2012-10-17",\n  "Id" : "key-default-1",\n  "Statement" : [ {\n' +
            '    "Sid" : "Enable IAM User Permissions",\n    "Effect" : "Allow",\n    "Principal" : {\n' +
            `      "AWS" : "${rootOf(m)}"\n    },\n    "Action" : "kms:*",\n    "Resource" : "*"\n  } ]\n}`,
        );
      });

      test('keyPolicy.put', 'PutKeyPolicy replaces the policy; GetKeyPolicy returns the text as put, also from CreateKey', async () => {
        const m = await newKey('SYMMETRIC_DEFAULT');
        await kms.putKeyPolicy({ KeyId: m.KeyId, PolicyName: 'default', Policy: rootPolicy(m, 'put') });
        expect((await kms.getKeyPolicy({ KeyId: m.KeyId, PolicyName: 'default' })).Policy).to.equal(rootPolicy(m, 'put'));
        const created = (await kms.createKey({ Policy: rootPolicy(m, 'created') })).KeyMetadata;
        expect((await kms.getKeyPolicy({ KeyId: created.KeyId, PolicyName: 'default' })).Policy).to.equal(rootPolicy(m, 'created'));
      });

      test('keyPolicy.name', 'a policy name other than default names no policy: NotFoundException', async () => {
        const m = await newKey('SYMMETRIC_DEFAULT');
        await kmsError(kms.getKeyPolicy({ KeyId: m.KeyId, PolicyName: 'other' }), 'NotFoundException');
        await kmsError(kms.putKeyPolicy({ KeyId: m.KeyId, PolicyName: 'other', Policy: rootPolicy(m, 'x') }), 'NotFoundException');
      });

      test('keyPolicy.malformed', 'a policy that is not a policy document is MalformedPolicyDocumentException', async () => {
        const m = await newKey('SYMMETRIC_DEFAULT');
        await kmsError(kms.putKeyPolicy({ KeyId: m.KeyId, PolicyName: 'default', Policy: 'not json' }), 'MalformedPolicyDocumentException');
        await kmsError(kms.createKey({ Policy: '{"Statement": 5}' }), 'MalformedPolicyDocumentException');
      });

      test('keyPolicy.lockout', 'a policy that would lock the caller out is refused unless BypassPolicyLockoutSafetyCheck', async () => {
        const m = await newKey('SYMMETRIC_DEFAULT');
        const lockedOut = JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: rootOf(m) }, Action: 'kms:DescribeKey', Resource: '*' }],
        });
        const message = 'The new key policy will not allow you to update the key policy in the future.';
        await kmsError(kms.putKeyPolicy({ KeyId: m.KeyId, PolicyName: 'default', Policy: lockedOut }), 'MalformedPolicyDocumentException', message);
        await kmsError(kms.createKey({ Policy: lockedOut }), 'MalformedPolicyDocumentException', message);
        await kms.putKeyPolicy({ KeyId: m.KeyId, PolicyName: 'default', Policy: lockedOut, BypassPolicyLockoutSafetyCheck: true });
        expect((await kms.getKeyPolicy({ KeyId: m.KeyId, PolicyName: 'default' })).Policy).to.equal(lockedOut);
      });

      test('listKeyPolicies', 'ListKeyPolicies lists the one policy name, default', async () => {
        const m = await newKey('SYMMETRIC_DEFAULT');
        expect(await kms.listKeyPolicies({ KeyId: m.KeyId })).to.deep.equal({ PolicyNames: ['default'], Truncated: false });
      });

      test('keyDescription.update', 'UpdateKeyDescription sets and clears the Description DescribeKey shows', async () => {
        const m = await newKey('SYMMETRIC_DEFAULT');
        await kms.updateKeyDescription({ KeyId: m.KeyId, Description: 'updated' });
        expect((await kms.describeKey({ KeyId: m.KeyId })).KeyMetadata.Description).to.equal('updated');
        await kms.updateKeyDescription({ KeyId: m.Arn, Description: '' });
        expect((await kms.describeKey({ KeyId: m.KeyId })).KeyMetadata.Description).to.equal('');
      });

      test('keyDescription.pending', 'UpdateKeyDescription on a key pending deletion is KMSInvalidStateException', async () => {
        const m = await newKey('SYMMETRIC_DEFAULT');
        await kms.scheduleKeyDeletion({ KeyId: m.KeyId, PendingWindowInDays: 7 });
        await kmsError(kms.updateKeyDescription({ KeyId: m.KeyId, Description: 'x' }), 'KMSInvalidStateException', `${m.Arn} is pending deletion.`);
      });
    });

    describe('envelope encryption', () => {
      test('reEncrypt', 'ReEncrypt moves a ciphertext to another key: it decrypts there and not under the source', async () => {
        const [a, b] = [await newKey('SYMMETRIC_DEFAULT'), await newKey('SYMMETRIC_DEFAULT')];
        const enc = await kms.encrypt({ KeyId: a.KeyId, Plaintext: text('moved'), EncryptionContext: { from: 'a' } });
        const out = await kms.reEncrypt({
          CiphertextBlob: enc.CiphertextBlob,
          SourceEncryptionContext: { from: 'a' },
          DestinationKeyId: b.KeyId,
          DestinationEncryptionContext: { to: 'b' },
        });
        expect(out).to.include({ SourceKeyId: a.Arn, KeyId: b.Arn });
        const dec = await kms.decrypt({ CiphertextBlob: out.CiphertextBlob, EncryptionContext: { to: 'b' } });
        expect([dec.KeyId, new TextDecoder().decode(dec.Plaintext)]).to.deep.equal([b.Arn, 'moved']);
      });

      test('reEncrypt.notUnderSource', 'a re-encrypted ciphertext does not decrypt under the source key: IncorrectKeyException', async () => {
        const [a, b] = [await newKey('SYMMETRIC_DEFAULT'), await newKey('SYMMETRIC_DEFAULT')];
        const enc = await kms.encrypt({ KeyId: a.KeyId, Plaintext: text('moved') });
        const out = await kms.reEncrypt({ CiphertextBlob: enc.CiphertextBlob, DestinationKeyId: b.KeyId });
        await kmsError(kms.decrypt({ CiphertextBlob: out.CiphertextBlob, KeyId: a.KeyId }), 'IncorrectKeyException');
      });

      test('reEncrypt.output', 'ReEncrypt names both encryption algorithms', async () => {
        const [a, b] = [await newKey('SYMMETRIC_DEFAULT'), await newKey('SYMMETRIC_DEFAULT')];
        const enc = await kms.encrypt({ KeyId: a.KeyId, Plaintext: text('x') });
        const out = await kms.reEncrypt({ CiphertextBlob: enc.CiphertextBlob, DestinationKeyId: b.KeyId });
        expect(out).to.include({ SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT', DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
      });

      test('reEncrypt.context', 'ReEncrypt with the wrong source context is InvalidCiphertextException', async () => {
        const [a, b] = [await newKey('SYMMETRIC_DEFAULT'), await newKey('SYMMETRIC_DEFAULT')];
        const enc = await kms.encrypt({ KeyId: a.KeyId, Plaintext: text('x'), EncryptionContext: { from: 'a' } });
        await kmsError(
          kms.reEncrypt({ CiphertextBlob: enc.CiphertextBlob, SourceEncryptionContext: { from: 'b' }, DestinationKeyId: b.KeyId }),
          'InvalidCiphertextException',
        );
      });

      test('reEncrypt.disabledDestination', 'ReEncrypt to a Disabled key is DisabledException', async () => {
        const [a, b] = [await newKey('SYMMETRIC_DEFAULT'), await newKey('SYMMETRIC_DEFAULT')];
        const enc = await kms.encrypt({ KeyId: a.KeyId, Plaintext: text('x') });
        await kms.disableKey({ KeyId: b.KeyId });
        await kmsError(kms.reEncrypt({ CiphertextBlob: enc.CiphertextBlob, DestinationKeyId: b.KeyId }), 'DisabledException', `${b.Arn} is disabled.`);
      });

      test('dataKeyWithoutPlaintext', 'GenerateDataKeyWithoutPlaintext returns only the ciphertext, which Decrypt opens', async () => {
        const m = await newKey('SYMMETRIC_DEFAULT');
        const out = await kms.generateDataKeyWithoutPlaintext({ KeyId: m.KeyId, KeySpec: 'AES_256', EncryptionContext: { k: 'v' } });
        expect(out.KeyId).to.equal(m.Arn);
        expect(out).not.to.have.property('Plaintext');
        expect((await kms.decrypt({ CiphertextBlob: out.CiphertextBlob, EncryptionContext: { k: 'v' } })).Plaintext).to.have.length(32);
      });

      const expectPair = (pkcs8: Uint8Array, spki: Uint8Array, digest: string | null): void => {
        const privateKey = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
        const publicKey = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
        const signature = nodeSign(digest, text('pair'), privateKey);
        expect(nodeVerify(digest, text('pair'), publicKey, signature)).to.equal(true);
      };

      test('dataKeyPair', 'GenerateDataKeyPair: PKCS#8 private key, its SPKI public key, the private key sealed for Decrypt', async () => {
        const m = await newKey('SYMMETRIC_DEFAULT');
        for (const [KeyPairSpec, digest] of [['ECC_NIST_P256', 'sha256'], ['RSA_2048', 'sha256'], ['ECC_NIST_EDWARDS25519', null]] as const) {
          const out = await kms.generateDataKeyPair({ KeyId: m.KeyId, KeyPairSpec, EncryptionContext: { pair: KeyPairSpec } });
          expect(out).to.include({ KeyId: m.Arn, KeyPairSpec });
          expectPair(out.PrivateKeyPlaintext, out.PublicKey, digest);
          const dec = await kms.decrypt({ CiphertextBlob: out.PrivateKeyCiphertextBlob, EncryptionContext: { pair: KeyPairSpec } });
          expect(dec.Plaintext).to.deep.equal(out.PrivateKeyPlaintext);
        }
      });

      test('dataKeyPair.withoutPlaintext', 'GenerateDataKeyPairWithoutPlaintext: no plaintext; Decrypt gives the matching private key', async () => {
        const m = await newKey('SYMMETRIC_DEFAULT');
        const out = await kms.generateDataKeyPairWithoutPlaintext({ KeyId: m.KeyId, KeyPairSpec: 'ECC_NIST_P384' });
        expect(out).to.include({ KeyId: m.Arn, KeyPairSpec: 'ECC_NIST_P384' });
        expect(out).not.to.have.property('PrivateKeyPlaintext');
        expectPair((await kms.decrypt({ CiphertextBlob: out.PrivateKeyCiphertextBlob })).Plaintext, out.PublicKey, 'sha384');
        const rsa = await newKey('RSA_2048', 'ENCRYPT_DECRYPT');
        await kmsError(kms.generateDataKeyPairWithoutPlaintext({ KeyId: rsa.KeyId, KeyPairSpec: 'ECC_NIST_P256' }), 'InvalidKeyUsageException');
      });

      test('dryRun.envelope', 'DryRun on ReEncrypt and the data key operations is DryRunOperationException', async () => {
        const m = await newKey('SYMMETRIC_DEFAULT');
        const enc = await kms.encrypt({ KeyId: m.KeyId, Plaintext: text('x') });
        const message = 'The request would have succeeded, but the DryRun option is set.';
        await kmsError(kms.reEncrypt({ CiphertextBlob: enc.CiphertextBlob, DestinationKeyId: m.KeyId, DryRun: true }), 'DryRunOperationException', message);
        await kmsError(kms.generateDataKeyWithoutPlaintext({ KeyId: m.KeyId, NumberOfBytes: 8, DryRun: true }), 'DryRunOperationException', message);
        await kmsError(kms.generateDataKeyPair({ KeyId: m.KeyId, KeyPairSpec: 'ECC_NIST_P256', DryRun: true }), 'DryRunOperationException', message);
        await kmsError(
          kms.generateDataKeyPairWithoutPlaintext({ KeyId: m.KeyId, KeyPairSpec: 'ECC_NIST_P256', DryRun: true }),
          'DryRunOperationException',
          message,
        );
      });
    });

    describe('grants', () => {
      const role = (m: KeyMetadata, name = 'contract-app'): string => `arn:aws:iam::${m.AWSAccountId}:role/${name}`;

      test('grants.create', 'CreateGrant answers a GrantId and a GrantToken; ListGrants lists the grant with the key ARN', async () => {
        const m = await newKey('SYMMETRIC_DEFAULT');
        const out = await kms.createGrant({
          KeyId: m.KeyId,
          GranteePrincipal: role(m),
          RetiringPrincipal: role(m, 'contract-retirer'),
          Operations: ['Encrypt', 'Decrypt'],
          Constraints: { EncryptionContextSubset: { team: 'a' } },
        });
        expect(out.GrantId).to.match(/^[0-9a-f]{64}$/);
        expect(out.GrantToken).to.be.a('string').and.not.equal('');
        const { Grants, Truncated } = await kms.listGrants({ KeyId: m.KeyId });
        expect(Truncated).to.equal(false);
        expect(Grants).to.have.length(1);
        expect(Grants[0]).to.deep.include({
          KeyId: m.Arn,
          GrantId: out.GrantId,
          GranteePrincipal: role(m),
          RetiringPrincipal: role(m, 'contract-retirer'),
          Operations: ['Encrypt', 'Decrypt'],
          Constraints: { EncryptionContextSubset: { team: 'a' } },
        });
        expect(Grants[0]?.CreationDate).to.be.instanceOf(Date);
        expect(Grants[0]?.IssuingAccount).to.equal(`arn:aws:iam::${m.AWSAccountId}:root`);
      });

      test('grants.pagination', 'ListGrants pages with Limit and Marker, and filters by GrantId and GranteePrincipal', async () => {
        const m = await newKey('SYMMETRIC_DEFAULT');
        const ids: string[] = [];
        for (const name of ['one', 'two', 'three']) {
          ids.push((await kms.createGrant({ KeyId: m.KeyId, GranteePrincipal: role(m, name), Operations: ['Encrypt'] })).GrantId ?? '');
        }
        const first = await kms.listGrants({ KeyId: m.KeyId, Limit: 2 });
        expect(first.Grants).to.have.length(2);
        expect(first.Truncated).to.equal(true);
        const second = await kms.listGrants({ KeyId: m.KeyId, Limit: 2, ...(first.NextMarker === undefined ? {} : { Marker: first.NextMarker }) });
        expect(second.Truncated).to.equal(false);
        expect([...first.Grants, ...second.Grants].map((g) => g.GrantId).sort()).to.deep.equal([...ids].sort());
        const byId = await kms.listGrants({ KeyId: m.KeyId, GrantId: ids[1] ?? '' });
        expect(byId.Grants.map((g) => g.GrantId)).to.deep.equal([ids[1]]);
        const byGrantee = await kms.listGrants({ KeyId: m.KeyId, GranteePrincipal: role(m, 'three') });
        expect(byGrantee.Grants.map((g) => g.GrantId)).to.deep.equal([ids[2]]);
      });

      test('grants.name', 'CreateGrant with the same Name and parameters answers the same GrantId and adds no grant', async () => {
        const m = await newKey('SYMMETRIC_DEFAULT');
        const request = { KeyId: m.KeyId, GranteePrincipal: role(m), Operations: ['Decrypt' as const], Name: 'contract-grant' };
        const a = await kms.createGrant(request);
        const b = await kms.createGrant(request);
        expect(b.GrantId).to.equal(a.GrantId);
        const { Grants } = await kms.listGrants({ KeyId: m.KeyId });
        expect(Grants.map((g) => [g.GrantId, g.Name])).to.deep.equal([[a.GrantId, 'contract-grant']]);
      });

      test('grants.operations', 'the operations of a grant must fit the key: ValidationException otherwise', async () => {
        const symmetric = await newKey('SYMMETRIC_DEFAULT');
        await kmsError(kms.createGrant({ KeyId: symmetric.KeyId, GranteePrincipal: role(symmetric), Operations: ['Sign'] }), 'ValidationException');
        const signing = await newKey('ECC_NIST_P256');
        await kmsError(kms.createGrant({ KeyId: signing.KeyId, GranteePrincipal: role(signing), Operations: ['Encrypt'] }), 'ValidationException');
        const ok = await kms.createGrant({ KeyId: signing.KeyId, GranteePrincipal: role(signing), Operations: ['Sign', 'Verify', 'GetPublicKey'] });
        expect(ok.GrantId).to.match(/^[0-9a-f]{64}$/);
        await kmsError(
          kms.createGrant({ KeyId: signing.KeyId, GranteePrincipal: role(signing), Operations: ['Sign'], Constraints: { EncryptionContextEquals: { a: 'b' } } }),
          'ValidationException',
        );
      });

      test('grants.revoke', 'RevokeGrant removes the grant; an unknown GrantId is NotFoundException', async () => {
        const m = await newKey('SYMMETRIC_DEFAULT');
        const { GrantId = '' } = await kms.createGrant({ KeyId: m.KeyId, GranteePrincipal: role(m), Operations: ['Encrypt'] });
        await kms.revokeGrant({ KeyId: m.KeyId, GrantId });
        expect((await kms.listGrants({ KeyId: m.KeyId })).Grants).to.deep.equal([]);
        await kmsError(kms.revokeGrant({ KeyId: m.KeyId, GrantId }), 'NotFoundException');
      });

      test('grants.retire', 'RetireGrant by token or by key ARN and GrantId; ListRetirableGrants lists by RetiringPrincipal', async () => {
        const m = await newKey('SYMMETRIC_DEFAULT');
        const retirer = role(m, `retirer-${unique()}`);
        const a = await kms.createGrant({ KeyId: m.KeyId, GranteePrincipal: role(m), RetiringPrincipal: retirer, Operations: ['Encrypt'] });
        const b = await kms.createGrant({ KeyId: m.KeyId, GranteePrincipal: role(m), RetiringPrincipal: retirer, Operations: ['Decrypt'] });
        const retirable = await kms.listRetirableGrants({ RetiringPrincipal: retirer });
        expect(retirable.Grants.map((g) => g.GrantId).sort()).to.deep.equal([a.GrantId, b.GrantId].sort());
        await kms.retireGrant({ GrantToken: a.GrantToken ?? '' });
        await kms.retireGrant({ KeyId: m.Arn, GrantId: b.GrantId ?? '' });
        expect((await kms.listGrants({ KeyId: m.KeyId })).Grants).to.deep.equal([]);
        expect((await kms.listRetirableGrants({ RetiringPrincipal: retirer })).Grants).to.deep.equal([]);
      });

      test('grants.tokens', 'a grant token of an existing grant is accepted by a cryptographic operation; a garbage one is not', async () => {
        const m = await newKey('SYMMETRIC_DEFAULT');
        const { GrantToken = '' } = await kms.createGrant({ KeyId: m.KeyId, GranteePrincipal: role(m), Operations: ['Encrypt', 'Decrypt'] });
        const enc = await kms.encrypt({ KeyId: m.KeyId, Plaintext: text('granted'), GrantTokens: [GrantToken] });
        const dec = await kms.decrypt({ CiphertextBlob: enc.CiphertextBlob, GrantTokens: [GrantToken] });
        expect(new TextDecoder().decode(dec.Plaintext)).to.equal('granted');
        await kmsError(kms.encrypt({ KeyId: m.KeyId, Plaintext: text('x'), GrantTokens: ['not-a-grant-token'] }), 'InvalidGrantTokenException');
      });

      test('grants.dryRun', 'CreateGrant, RetireGrant and RevokeGrant with DryRun: DryRunOperationException, nothing changes', async () => {
        const m = await newKey('SYMMETRIC_DEFAULT');
        const message = 'The request would have succeeded, but the DryRun option is set.';
        await kmsError(kms.createGrant({ KeyId: m.KeyId, GranteePrincipal: role(m), Operations: ['Encrypt'], DryRun: true }), 'DryRunOperationException', message);
        expect((await kms.listGrants({ KeyId: m.KeyId })).Grants).to.deep.equal([]);
        const { GrantId = '', GrantToken = '' } = await kms.createGrant({ KeyId: m.KeyId, GranteePrincipal: role(m), Operations: ['Encrypt'] });
        await kmsError(kms.revokeGrant({ KeyId: m.KeyId, GrantId, DryRun: true }), 'DryRunOperationException', message);
        await kmsError(kms.retireGrant({ GrantToken, DryRun: true }), 'DryRunOperationException', message);
        expect((await kms.listGrants({ KeyId: m.KeyId })).Grants.map((g) => g.GrantId)).to.deep.equal([GrantId]);
      });

      test('grants.deletedKey', 'CreateGrant on a key pending deletion is KMSInvalidStateException; its grants are still listed', async () => {
        const m = await newKey('SYMMETRIC_DEFAULT');
        const { GrantId } = await kms.createGrant({ KeyId: m.KeyId, GranteePrincipal: role(m), Operations: ['Encrypt'] });
        await kms.scheduleKeyDeletion({ KeyId: m.KeyId, PendingWindowInDays: 7 });
        await kmsError(kms.createGrant({ KeyId: m.KeyId, GranteePrincipal: role(m), Operations: ['Encrypt'] }), 'KMSInvalidStateException');
        expect((await kms.listGrants({ KeyId: m.KeyId })).Grants.map((g) => g.GrantId)).to.deep.equal([GrantId]);
      });
    });

    describe('custom key stores (§23)', () => {
      const hex = (n: number): string => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');
      const credential = () => ({ AccessKeyId: 'ABCDEFGHIJKLMNOPQRST', RawSecretAccessKey: 'a'.repeat(20) + 'B/+='.repeat(6) });
      const xksStore = (name = unique()) => ({
        CustomKeyStoreName: name,
        CustomKeyStoreType: 'EXTERNAL_KEY_STORE' as const,
        XksProxyUriEndpoint: `https://${unique()}.example.com`,
        XksProxyUriPath: '/example/kms/xks/v1',
        XksProxyAuthenticationCredential: credential(),
        XksProxyConnectivity: 'PUBLIC_ENDPOINT' as const,
      });
      const describeOne = async (CustomKeyStoreId: string) => {
        const out = await kms.describeCustomKeyStores({ CustomKeyStoreId });
        expect(out.CustomKeyStores).to.have.length(1);
        return out.CustomKeyStores[0]!;
      };

      test('customKeyStore.create', 'CreateCustomKeyStore: cks- and 17 hex digits, DISCONNECTED, the proxy settings without the secret', async () => {
        const before = Date.now();
        const request = xksStore();
        const { CustomKeyStoreId: id } = await kms.createCustomKeyStore(request);
        expect(id).to.match(/^cks-[0-9a-f]{17}$/);
        const entry = await describeOne(id);
        expect(entry).to.deep.include({
          CustomKeyStoreId: id,
          CustomKeyStoreName: request.CustomKeyStoreName,
          CustomKeyStoreType: 'EXTERNAL_KEY_STORE',
          ConnectionState: 'DISCONNECTED',
        });
        expect(entry.XksProxyConfiguration).to.deep.equal({
          Connectivity: 'PUBLIC_ENDPOINT',
          AccessKeyId: 'ABCDEFGHIJKLMNOPQRST',
          UriEndpoint: request.XksProxyUriEndpoint,
          UriPath: '/example/kms/xks/v1',
        });
        expect(Math.abs(entry.CreationDate.getTime() - before)).to.be.below(60_000);
        expect(JSON.stringify(entry)).not.to.contain('B/+=');
        const byName = await kms.describeCustomKeyStores({ CustomKeyStoreName: request.CustomKeyStoreName });
        expect(byName.CustomKeyStores.map((s) => s.CustomKeyStoreId)).to.deep.equal([id]);
        const all = await kms.describeCustomKeyStores({});
        expect(all.CustomKeyStores.map((s) => s.CustomKeyStoreId)).to.include(id);
        expect(all.Truncated).to.equal(false);
        await kms.deleteCustomKeyStore({ CustomKeyStoreId: id });
        await kmsError(kms.describeCustomKeyStores({ CustomKeyStoreId: id }), 'CustomKeyStoreNotFoundException');
      });

      test('customKeyStore.cloudHsm', 'a CloudHSM key store: cluster and trust anchor described, never the password; its keys name the cluster', async () => {
        const CloudHsmClusterId = `cluster-${hex(12)}`;
        const { CustomKeyStoreId: id } = await kms.createCustomKeyStore({
          CustomKeyStoreName: unique(),
          CloudHsmClusterId,
          TrustAnchorCertificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
          KeyStorePassword: 'kmsuser-secret-1',
        });
        const entry = await describeOne(id);
        expect(entry).to.deep.include({ CustomKeyStoreType: 'AWS_CLOUDHSM', CloudHsmClusterId, ConnectionState: 'DISCONNECTED' });
        expect(entry.TrustAnchorCertificate).to.contain('BEGIN CERTIFICATE');
        expect(entry).not.to.have.property('XksProxyConfiguration');
        expect(JSON.stringify(entry)).not.to.contain('kmsuser-secret-1');
        await kmsError(
          kms.createCustomKeyStore({ CustomKeyStoreName: unique(), CloudHsmClusterId, TrustAnchorCertificate: 'PEM', KeyStorePassword: 'another-secret' }),
          'CloudHsmClusterInUseException',
        );
        await kms.connectCustomKeyStore({ CustomKeyStoreId: id });
        const m = (await kms.createKey({ Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: id })).KeyMetadata;
        expect(m).to.deep.include({ Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: id, CloudHsmClusterId, KeySpec: 'SYMMETRIC_DEFAULT' });
        expect(m).not.to.have.property('XksKeyConfiguration');
      });

      test('customKeyStore.validation', 'the members of the store type are required, the other type refused, secrets never echoed', async () => {
        const { XksProxyUriPath: _path, ...noPath } = xksStore();
        await kmsError(kms.createCustomKeyStore(noPath), 'ValidationException');
        await kmsError(kms.createCustomKeyStore({ ...xksStore(), KeyStorePassword: 'kmsuser-secret' }), 'ValidationException');
        await kmsError(kms.createCustomKeyStore({ CustomKeyStoreName: unique(), CloudHsmClusterId: `cluster-${hex(12)}` }), 'ValidationException');
        await kmsError(kms.createCustomKeyStore({ ...xksStore(), XksProxyConnectivity: 'VPC_ENDPOINT_SERVICE' }), 'ValidationException');
        await kmsError(kms.createCustomKeyStore({ ...xksStore(), XksProxyUriPath: '/not/the/xks/path' }), 'ValidationException', /kms\/xks/);
        const short = kms.createCustomKeyStore({ ...xksStore(), XksProxyAuthenticationCredential: { AccessKeyId: 'ABCDEFGHIJKLMNOPQRST', RawSecretAccessKey: 'tooShortSecret' } });
        const e = await kmsError(short, 'ValidationException', /rawSecretAccessKey/);
        expect(e.message).not.to.contain('tooShortSecret');
      });

      test('customKeyStore.nameInUse', 'a custom key store name is unique in the account and Region; so is its proxy URI', async () => {
        const first = xksStore();
        const { CustomKeyStoreId: id } = await kms.createCustomKeyStore(first);
        await kmsError(kms.createCustomKeyStore(xksStore(first.CustomKeyStoreName)), 'CustomKeyStoreNameInUseException');
        await kmsError(kms.createCustomKeyStore({ ...xksStore(), XksProxyUriEndpoint: first.XksProxyUriEndpoint }), 'XksProxyUriInUseException');
        await kms.deleteCustomKeyStore({ CustomKeyStoreId: id });
        const again = await kms.createCustomKeyStore(first);
        await kms.deleteCustomKeyStore({ CustomKeyStoreId: again.CustomKeyStoreId });
      });

      test('customKeyStore.notFound', 'an unknown custom key store is CustomKeyStoreNotFoundException everywhere', async () => {
        const CustomKeyStoreId = `cks-${hex(17)}`;
        await kmsError(kms.describeCustomKeyStores({ CustomKeyStoreId }), 'CustomKeyStoreNotFoundException');
        await kmsError(kms.describeCustomKeyStores({ CustomKeyStoreName: unique() }), 'CustomKeyStoreNotFoundException');
        await kmsError(kms.connectCustomKeyStore({ CustomKeyStoreId }), 'CustomKeyStoreNotFoundException');
        await kmsError(kms.disconnectCustomKeyStore({ CustomKeyStoreId }), 'CustomKeyStoreNotFoundException');
        await kmsError(kms.updateCustomKeyStore({ CustomKeyStoreId, NewCustomKeyStoreName: unique() }), 'CustomKeyStoreNotFoundException');
        await kmsError(kms.deleteCustomKeyStore({ CustomKeyStoreId }), 'CustomKeyStoreNotFoundException');
        await kmsError(kms.createKey({ Origin: 'EXTERNAL_KEY_STORE', CustomKeyStoreId, XksKeyId: 'k1' }), 'CustomKeyStoreNotFoundException');
      });

      test('customKeyStore.connection', 'Connect → CONNECTED (again: no-op), Disconnect → DISCONNECTED (again: refused), Delete only when DISCONNECTED', async () => {
        const { CustomKeyStoreId: id } = await kms.createCustomKeyStore(xksStore());
        await kmsError(kms.disconnectCustomKeyStore({ CustomKeyStoreId: id }), 'CustomKeyStoreInvalidStateException');
        await kms.connectCustomKeyStore({ CustomKeyStoreId: id });
        expect((await describeOne(id)).ConnectionState).to.equal('CONNECTED');
        await kms.connectCustomKeyStore({ CustomKeyStoreId: id });
        await kmsError(kms.deleteCustomKeyStore({ CustomKeyStoreId: id }), 'CustomKeyStoreInvalidStateException');
        await kms.disconnectCustomKeyStore({ CustomKeyStoreId: id });
        expect((await describeOne(id)).ConnectionState).to.equal('DISCONNECTED');
        await kms.deleteCustomKeyStore({ CustomKeyStoreId: id });
      });

      test('customKeyStore.update', 'UpdateCustomKeyStore: anything while DISCONNECTED; while CONNECTED only name, path and credential', async () => {
        const { CustomKeyStoreId: id } = await kms.createCustomKeyStore(xksStore());
        const name = unique();
        const endpoint = `https://${unique()}.example.org`;
        await kms.updateCustomKeyStore({ CustomKeyStoreId: id, NewCustomKeyStoreName: name, XksProxyUriEndpoint: endpoint });
        expect(await describeOne(id)).to.deep.include({ CustomKeyStoreName: name });
        expect((await describeOne(id)).XksProxyConfiguration?.UriEndpoint).to.equal(endpoint);
        await kmsError(kms.updateCustomKeyStore({ CustomKeyStoreId: id, KeyStorePassword: 'kmsuser-secret' }), 'ValidationException');
        await kms.connectCustomKeyStore({ CustomKeyStoreId: id });
        await kmsError(
          kms.updateCustomKeyStore({ CustomKeyStoreId: id, XksProxyUriEndpoint: `https://${unique()}.example.org` }),
          'CustomKeyStoreInvalidStateException',
        );
        const renamed = unique();
        await kms.updateCustomKeyStore({ CustomKeyStoreId: id, NewCustomKeyStoreName: renamed, XksProxyUriPath: '/other/kms/xks/v2' });
        expect(await describeOne(id)).to.deep.include({ CustomKeyStoreName: renamed, ConnectionState: 'CONNECTED' });
        await kms.disconnectCustomKeyStore({ CustomKeyStoreId: id });
        await kms.deleteCustomKeyStore({ CustomKeyStoreId: id });
      });

      test('customKeyStore.createKey', 'CreateKey in an external key store: only while CONNECTED; its keys Unavailable while DISCONNECTED; the store kept while it has keys', async () => {
        const { CustomKeyStoreId: id } = await kms.createCustomKeyStore(xksStore());
        const request = { Origin: 'EXTERNAL_KEY_STORE' as const, CustomKeyStoreId: id, XksKeyId: 'external-key-1' };
        await kmsError(kms.createKey(request), 'CustomKeyStoreInvalidStateException');
        await kms.connectCustomKeyStore({ CustomKeyStoreId: id });
        await kmsError(kms.createKey({ Origin: 'EXTERNAL_KEY_STORE', CustomKeyStoreId: id }), 'ValidationException');
        await kmsError(kms.createKey({ CustomKeyStoreId: id, XksKeyId: 'external-key-1' }), 'ValidationException');
        await kmsError(kms.createKey({ ...request, KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }), 'UnsupportedOperationException');
        const m = (await kms.createKey(request)).KeyMetadata;
        expect(m).to.deep.include({ Origin: 'EXTERNAL_KEY_STORE', CustomKeyStoreId: id, KeySpec: 'SYMMETRIC_DEFAULT', KeyState: 'Enabled' });
        expect(m.XksKeyConfiguration).to.deep.equal({ Id: 'external-key-1' });
        expect((await kms.describeKey({ KeyId: m.KeyId })).KeyMetadata).to.deep.include({ CustomKeyStoreId: id, Origin: 'EXTERNAL_KEY_STORE' });
        await kmsError(kms.createKey(request), 'XksKeyAlreadyInUseException');
        const enc = await kms.encrypt({ KeyId: m.KeyId, Plaintext: text('in the external key store') });
        await kms.disconnectCustomKeyStore({ CustomKeyStoreId: id });
        await kmsError(kms.decrypt({ CiphertextBlob: enc.CiphertextBlob }), 'KMSInvalidStateException', `${m.Arn} is Unavailable.`);
        await kmsError(kms.deleteCustomKeyStore({ CustomKeyStoreId: id }), 'CustomKeyStoreHasCMKsException');
        await kms.connectCustomKeyStore({ CustomKeyStoreId: id });
        expect(new TextDecoder().decode((await kms.decrypt({ CiphertextBlob: enc.CiphertextBlob })).Plaintext)).to.equal('in the external key store');
        await kmsError(kms.enableKeyRotation({ KeyId: m.KeyId }), 'UnsupportedOperationException');
      });
    });

    describe('imported key material (§24)', () => {
      const external = async () => (await kms.createKey({ Origin: 'EXTERNAL', Description: 'contract import' })).KeyMetadata;
      const wrapOaep = (spki: Uint8Array, material: Uint8Array) =>
        publicEncrypt({ key: createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, material);
      const material = (): Uint8Array => Uint8Array.from(createHash('sha256').update(unique()).digest());

      test('import.lifecycle', 'Origin EXTERNAL: PendingImport, import (RSAES_OAEP_SHA_256) → Enabled, delete → PendingImport', async () => {
        const m = await external();
        expect(m).to.include({ Origin: 'EXTERNAL', KeyState: 'PendingImport', Enabled: false });
        await kmsError(kms.encrypt({ KeyId: m.KeyId, Plaintext: text('x') }), 'KMSInvalidStateException', `${m.Arn} is pending import.`);
        const p = await kms.getParametersForImport({ KeyId: m.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' });
        expect(p.KeyId).to.equal(m.Arn);
        expect(createPublicKey({ key: Buffer.from(p.PublicKey), format: 'der', type: 'spki' }).asymmetricKeyDetails?.modulusLength).to.equal(2048);
        expect(p.ParametersValidTo.getTime() - Date.now()).to.be.within(24 * 3_600_000 - 120_000, 24 * 3_600_000 + 120_000);
        await kms.importKeyMaterial({ KeyId: m.KeyId, ImportToken: p.ImportToken, EncryptedKeyMaterial: wrapOaep(p.PublicKey, material()), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
        const d = (await kms.describeKey({ KeyId: m.KeyId })).KeyMetadata;
        expect(d).to.include({ KeyState: 'Enabled', Enabled: true, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
        const enc = await kms.encrypt({ KeyId: m.KeyId, Plaintext: text('imported') });
        expect((await kms.decrypt({ CiphertextBlob: enc.CiphertextBlob })).Plaintext).to.deep.equal(text('imported'));
        await kms.deleteImportedKeyMaterial({ KeyId: m.KeyId });
        expect((await kms.describeKey({ KeyId: m.KeyId })).KeyMetadata.KeyState).to.equal('PendingImport');
        await kmsError(kms.decrypt({ CiphertextBlob: enc.CiphertextBlob }), 'KMSInvalidStateException', `${m.Arn} is pending import.`);
      });

      test('import.keyWrap', 'RSA_AES_KEY_WRAP_SHA_256: the material wrapped by an RSA-OAEP AES key and AES-KWP, on an RSA_3072 key', async () => {
        const m = await external();
        const p = await kms.getParametersForImport({ KeyId: m.KeyId, WrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256', WrappingKeySpec: 'RSA_3072' });
        const aes = material();
        const cipher = createCipheriv('id-aes256-wrap-pad', aes, Buffer.from('a65959a6', 'hex'));
        const wrapped = Buffer.concat([wrapOaep(p.PublicKey, aes), cipher.update(material()), cipher.final()]);
        const validTo = new Date(Date.now() + 7 * 86_400_000);
        await kms.importKeyMaterial({ KeyId: m.KeyId, ImportToken: p.ImportToken, EncryptedKeyMaterial: wrapped, ValidTo: validTo });
        const d = (await kms.describeKey({ KeyId: m.KeyId })).KeyMetadata;
        expect(d).to.include({ KeyState: 'Enabled', ExpirationModel: 'KEY_MATERIAL_EXPIRES' });
        expect(Math.abs((d.ValidTo?.getTime() ?? 0) - validTo.getTime())).to.be.below(1000);
      });

      test('import.token', "An import token of another key is InvalidImportTokenException; a key of Origin AWS_KMS refuses import", async () => {
        const [a, b] = [await external(), await external()];
        const p = await kms.getParametersForImport({ KeyId: a.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' });
        const request = { ImportToken: p.ImportToken, EncryptedKeyMaterial: wrapOaep(p.PublicKey, material()), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' as const };
        await kmsError(kms.importKeyMaterial({ KeyId: b.KeyId, ...request }), 'InvalidImportTokenException');
        const own = await newKey('SYMMETRIC_DEFAULT');
        await kmsError(kms.getParametersForImport({ KeyId: own.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }), 'UnsupportedOperationException');
      });

      test('import.expiration', 'KEY_MATERIAL_EXPIRES (the default) without ValidTo is ValidationException', async () => {
        const m = await external();
        const p = await kms.getParametersForImport({ KeyId: m.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' });
        await kmsError(kms.importKeyMaterial({ KeyId: m.KeyId, ImportToken: p.ImportToken, EncryptedKeyMaterial: wrapOaep(p.PublicKey, material()) }), 'ValidationException');
        expect((await kms.describeKey({ KeyId: m.KeyId })).KeyMetadata.KeyState).to.equal('PendingImport');
      });
    });

    describe('multi-Region keys (§25)', () => {
      const other = (): string => (kms.region === 'us-west-2' ? 'us-east-2' : 'us-west-2');
      const arnIn = (region: string, m: KeyMetadata) => `arn:aws:kms:${region}:${m.AWSAccountId}:key/${m.KeyId}`;
      const otherKms = async (): Promise<KmsPort> => {
        if (inRegion === undefined) throw new Error(`${target.name} gives no KmsPort of another Region (ContractTarget.start's inRegion)`);
        return inRegion(other());
      };
      /** A new replica is Creating for a few seconds: wait for Enabled as an AWS user does (bounded polling). */
      const enabledIn = async (port: KmsPort, keyId: string): Promise<KeyMetadata> => {
        for (let attempt = 0; attempt < 150; attempt++) {
          const m = (await port.describeKey({ KeyId: keyId })).KeyMetadata;
          if (m.KeyState !== 'Creating') return m;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        return expect.fail(`${keyId} stayed Creating`);
      };
      const replicated = async () => {
        const m = (await kms.createKey({ MultiRegion: true, Description: 'contract primary' })).KeyMetadata;
        const answer = await kms.replicateKey({ KeyId: m.KeyId, ReplicaRegion: other(), Description: 'contract replica' });
        return { m, answer, replica: await otherKms() };
      };

      test('multiRegion.create', 'CreateKey MultiRegion: an mrk- key ID, MultiRegion true, a PRIMARY without replicas', async () => {
        const m = (await kms.createKey({ MultiRegion: true })).KeyMetadata;
        expect(m.KeyId).to.match(/^mrk-[0-9a-f]{32}$/);
        expect(m.MultiRegion).to.equal(true);
        expect(m.MultiRegionConfiguration).to.deep.equal({ MultiRegionKeyType: 'PRIMARY', PrimaryKey: { Arn: m.Arn, Region: kms.region }, ReplicaKeys: [] });
      });

      test('multiRegion.replicate', 'ReplicateKey: the same key in another Region, listed everywhere; a ciphertext of one Region decrypts in the other', async () => {
        const { m, answer, replica } = await replicated();
        expect(answer.ReplicaKeyMetadata).to.deep.include({ KeyId: m.KeyId, Arn: arnIn(other(), m), Description: 'contract replica', MultiRegion: true });
        expect(answer.ReplicaKeyMetadata.MultiRegionConfiguration?.MultiRegionKeyType).to.equal('REPLICA');
        expect(answer.ReplicaPolicy).to.be.a('string').and.not.equal('');
        const listed = { PrimaryKey: { Arn: m.Arn, Region: kms.region }, ReplicaKeys: [{ Arn: arnIn(other(), m), Region: other() }] };
        expect((await kms.describeKey({ KeyId: m.KeyId })).KeyMetadata.MultiRegionConfiguration).to.deep.equal({ MultiRegionKeyType: 'PRIMARY', ...listed });
        const there = await enabledIn(replica, m.KeyId);
        expect(there).to.deep.include({ KeyState: 'Enabled', Description: 'contract replica' });
        expect(there.MultiRegionConfiguration).to.deep.equal({ MultiRegionKeyType: 'REPLICA', ...listed });
        const enc = await kms.encrypt({ KeyId: m.KeyId, Plaintext: text('one key, two Regions') });
        const dec = await replica.decrypt({ CiphertextBlob: enc.CiphertextBlob });
        expect(new TextDecoder().decode(dec.Plaintext)).to.equal('one key, two Regions');
        expect(dec.KeyId).to.equal(arnIn(other(), m));
      });

      test('multiRegion.errors', 'ReplicateKey refuses a single-Region key and a Region that has the replica already', async () => {
        const single = await newKey('SYMMETRIC_DEFAULT');
        await kmsError(kms.replicateKey({ KeyId: single.KeyId, ReplicaRegion: other() }), 'UnsupportedOperationException');
        const { m } = await replicated();
        await kmsError(kms.replicateKey({ KeyId: m.KeyId, ReplicaRegion: other() }), 'AlreadyExistsException');
      });

      test('multiRegion.updatePrimary', 'UpdatePrimaryRegion: the replica becomes the PRIMARY and the primary a REPLICA, in both Regions', async () => {
        const { m, replica } = await replicated();
        await enabledIn(replica, m.KeyId);
        await kms.updatePrimaryRegion({ KeyId: m.KeyId, PrimaryRegion: other() });
        const listed = { PrimaryKey: { Arn: arnIn(other(), m), Region: other() }, ReplicaKeys: [{ Arn: m.Arn, Region: kms.region }] };
        expect((await replica.describeKey({ KeyId: m.KeyId })).KeyMetadata.MultiRegionConfiguration).to.deep.equal({ MultiRegionKeyType: 'PRIMARY', ...listed });
        expect((await kms.describeKey({ KeyId: m.KeyId })).KeyMetadata.MultiRegionConfiguration).to.deep.equal({ MultiRegionKeyType: 'REPLICA', ...listed });
      });

      test('multiRegion.deletion', 'A primary with a replica scheduled for deletion waits in PendingReplicaDeletion, without a DeletionDate', async () => {
        const { m, replica } = await replicated();
        await enabledIn(replica, m.KeyId);
        const scheduled = await kms.scheduleKeyDeletion({ KeyId: m.KeyId, PendingWindowInDays: 7 });
        expect(scheduled).to.deep.include({ KeyState: 'PendingReplicaDeletion', PendingWindowInDays: 7 });
        expect(scheduled.DeletionDate).to.equal(undefined);
        const waiting = (await kms.describeKey({ KeyId: m.KeyId })).KeyMetadata;
        expect(waiting).to.deep.include({ KeyState: 'PendingReplicaDeletion', PendingDeletionWindowInDays: 7, Enabled: false });
        expect(waiting).not.to.have.property('DeletionDate');
        await kmsError(kms.encrypt({ KeyId: m.KeyId, Plaintext: text('x') }), 'KMSInvalidStateException');
      });

      test('multiRegion.rotation', 'Rotation is the primary\'s: a replica refuses RotateKeyOnDemand and takes the primary\'s new material', async () => {
        const { m, replica } = await replicated();
        await enabledIn(replica, m.KeyId);
        await kmsError(replica.rotateKeyOnDemand({ KeyId: m.KeyId }), 'UnsupportedOperationException');
        await kms.rotateKeyOnDemand({ KeyId: m.KeyId });
        const current = (await kms.describeKey({ KeyId: m.KeyId })).KeyMetadata.CurrentKeyMaterialId;
        expect(current).to.not.equal(m.CurrentKeyMaterialId);
        expect((await replica.describeKey({ KeyId: m.KeyId })).KeyMetadata.CurrentKeyMaterialId).to.equal(current);
        const enc = await replica.encrypt({ KeyId: m.KeyId, Plaintext: text('rotated') });
        expect(new TextDecoder().decode((await kms.decrypt({ CiphertextBlob: enc.CiphertextBlob })).Plaintext)).to.equal('rotated');
      });
    });

    // Last (a suite of its own: mocha runs a suite's own tests before its child suites), after every case: "the
    // contract suite runs every operation" (issue 11), checked rather than claimed.
    if (target.deviations === undefined) {
      describe('coverage', () => {
        it('[coverage] the cases above call every KmsPort operation at least once', () => {
          const missing = Object.keys(KMS_MODEL).filter((operation) => !called.has(operation));
          expect(missing, 'KmsPort operations no contract case calls').to.deep.equal([]);
        });
      });
    }
  });
}

function defaultUsage(spec: KeyMetadata['KeySpec']): KeyMetadata['KeyUsage'] {
  if (spec.startsWith('HMAC')) return 'GENERATE_VERIFY_MAC';
  return 'SIGN_VERIFY';
}

/** `kms` with every method call's name added to `called` (the calls themselves unchanged). */
function recordingCalls(kms: KmsPort, called: Set<string>): KmsPort {
  return new Proxy(kms, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        called.add(property);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
