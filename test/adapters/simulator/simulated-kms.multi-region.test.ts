/**
 * Multi-Region keys (docs/kms-behaviour.md §25): CreateKey MultiRegion, ReplicateKey into another Region of the
 * account (its SimulatedKms reached through `inRegion`), the replica Creating until the clock has moved on, the
 * same key material in every Region, UpdatePrimaryRegion, deletion of a primary with replicas, and a reopen of a
 * state directory.
 */
import { expect } from 'chai';
import { constants, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto';
import { SimulatedKms } from '../../../src/adapters/simulator/simulated-kms.js';
import { SimulatorRegions } from '../../../src/adapters/simulator/simulator-regions.js';
import { REPLICA_CREATION_MS as CREATION_MS } from '../../../src/adapters/simulator/rules/multi-region-rules.js';
import { InMemorySimulatorStore } from '../../../src/adapters/simulator/store/in-memory-store.js';
import type { KeyRecord, SimulatorStoreTransaction } from '../../../src/adapters/simulator/store/simulator-store.js';
import { decodeKey, encodeKey } from '../../../src/adapters/simulator/store/durable/record-codec.js';
import type { KeyMetadata } from '../../../src/ports/kms.port.js';
import { ACCOUNT, DAY_MS, ManualClock, bytes, expectKmsError, keyArn, newKms } from './simulator-test-kit.js';
import { TempRoot } from './store/durable/durable-test-kit.js';

const EU = 'eu-west-1';
const AP = 'ap-southeast-2';
const arnIn = (region: string, keyId: string) => `arn:aws:kms:${region}:${ACCOUNT}:key/${keyId}`;

async function primaryKey(kms: SimulatedKms, extra: Parameters<SimulatedKms['createKey']>[0] = {}): Promise<KeyMetadata> {
  return (await kms.createKey({ MultiRegion: true, ...extra })).KeyMetadata;
}

describe('adapters/simulator/SimulatedKms — multi-Region keys (§25)', function () {
  this.timeout(60_000);

  it('creates a primary key: mrk- and 32 lowercase hex, MultiRegion true, PRIMARY with no replica', async () => {
    const kms = newKms();
    const key = await primaryKey(kms);
    expect(key.KeyId).to.match(/^mrk-[0-9a-f]{32}$/);
    expect(key.MultiRegion).to.equal(true);
    expect(key.MultiRegionConfiguration).to.deep.equal({
      MultiRegionKeyType: 'PRIMARY',
      PrimaryKey: { Arn: keyArn(key.KeyId), Region: 'us-east-1' },
      ReplicaKeys: [],
    });
    expect((await kms.describeKey({ KeyId: key.KeyId })).KeyMetadata).to.deep.include({ MultiRegion: true, KeyState: 'Enabled' });
    const single = (await kms.createKey({})).KeyMetadata;
    expect(single).to.not.have.property('MultiRegionConfiguration');
    expect(single.MultiRegion).to.equal(false);
  });

  it('creates multi-Region keys of every kind the simulator makes; not in a custom key store', async () => {
    const kms = newKms();
    for (const [KeySpec, KeyUsage] of [['RSA_2048', 'SIGN_VERIFY'], ['ECC_NIST_P256', 'SIGN_VERIFY'], ['HMAC_256', 'GENERATE_VERIFY_MAC'], ['ECC_NIST_P384', 'KEY_AGREEMENT']] as const) {
      expect((await primaryKey(kms, { KeySpec, KeyUsage })).MultiRegionConfiguration?.MultiRegionKeyType).to.equal('PRIMARY');
    }
    expect((await primaryKey(kms, { Origin: 'EXTERNAL' })).KeyState).to.equal('PendingImport');
    await expectKmsError(kms.createKey({ MultiRegion: true, Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: 'cks-1234567890abcdef0' }), 'UnsupportedOperationException', /custom key store/);
  });

  it('replicates into another Region: the same key ID, Creating until the clock moves on, then Enabled; its own policy, description and tags', async () => {
    const clock = new ManualClock();
    const kms = newKms({ clock: clock.now });
    const key = await primaryKey(kms, { Description: 'primary', Tags: [{ TagKey: 'p', TagValue: '1' }] });
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] });
    const answer = await kms.replicateKey({ KeyId: key.KeyId, ReplicaRegion: EU, Description: 'replica', Policy: policy, Tags: [{ TagKey: 'r', TagValue: '2' }] });
    expect(answer.ReplicaPolicy).to.equal(policy);
    expect(answer.ReplicaTags).to.deep.equal([{ TagKey: 'r', TagValue: '2' }]);
    const replica = answer.ReplicaKeyMetadata;
    expect(replica).to.deep.include({ KeyId: key.KeyId, Arn: arnIn(EU, key.KeyId), KeyState: 'Creating', Enabled: false, Description: 'replica', MultiRegion: true, KeySpec: 'SYMMETRIC_DEFAULT', CurrentKeyMaterialId: key.CurrentKeyMaterialId });
    const expected = { PrimaryKey: { Arn: keyArn(key.KeyId), Region: 'us-east-1' }, ReplicaKeys: [{ Arn: arnIn(EU, key.KeyId), Region: EU }] };
    expect(replica.MultiRegionConfiguration).to.deep.equal({ MultiRegionKeyType: 'REPLICA', ...expected });

    const eu = kms.inRegion(EU);
    expect(eu.region).to.equal(EU);
    expect(kms.inRegion(EU)).to.equal(eu);
    await expectKmsError(eu.encrypt({ KeyId: key.KeyId, Plaintext: bytes('x') }), 'KMSInvalidStateException', `${arnIn(EU, key.KeyId)} is Creating.`);
    clock.advance(CREATION_MS);
    const described = (await eu.describeKey({ KeyId: key.KeyId })).KeyMetadata;
    expect(described).to.deep.include({ KeyState: 'Enabled', Enabled: true });
    expect((await kms.describeKey({ KeyId: key.KeyId })).KeyMetadata.MultiRegionConfiguration).to.deep.equal({ MultiRegionKeyType: 'PRIMARY', ...expected });
    expect((await eu.listResourceTags({ KeyId: key.KeyId })).Tags).to.deep.equal([{ TagKey: 'r', TagValue: '2' }]);
    expect((await kms.listResourceTags({ KeyId: key.KeyId })).Tags).to.deep.equal([{ TagKey: 'p', TagValue: '1' }]);
    expect((await eu.getKeyPolicy({ KeyId: key.KeyId })).Policy).to.equal(policy);
    // Its own state: disabling the replica leaves the primary Enabled.
    await eu.disableKey({ KeyId: key.KeyId });
    expect((await kms.describeKey({ KeyId: key.KeyId })).KeyMetadata.KeyState).to.equal('Enabled');
  });

  it('shares the key material: a ciphertext, a signature or a MAC made in one Region works in the other', async () => {
    const clock = new ManualClock();
    const kms = newKms({ clock: clock.now });
    const symmetric = await primaryKey(kms);
    const signing = await primaryKey(kms, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const mac = await primaryKey(kms, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    for (const key of [symmetric, signing, mac]) await kms.replicateKey({ KeyId: key.KeyId, ReplicaRegion: EU });
    clock.advance(CREATION_MS);
    const eu = kms.inRegion(EU);

    const { CiphertextBlob } = await kms.encrypt({ KeyId: symmetric.KeyId, Plaintext: bytes('across'), EncryptionContext: { a: 'b' } });
    const opened = await eu.decrypt({ CiphertextBlob, EncryptionContext: { a: 'b' } });
    expect(Buffer.from(opened.Plaintext ?? []).toString()).to.equal('across');
    expect(opened.KeyId).to.equal(arnIn(EU, symmetric.KeyId));
    const back = await eu.encrypt({ KeyId: symmetric.KeyId, Plaintext: bytes('back') });
    expect(Buffer.from((await kms.decrypt({ CiphertextBlob: back.CiphertextBlob })).Plaintext ?? []).toString()).to.equal('back');

    const { Signature } = await kms.sign({ KeyId: signing.KeyId, Message: bytes('m'), SigningAlgorithm: 'ECDSA_SHA_256' });
    expect((await eu.verify({ KeyId: signing.KeyId, Message: bytes('m'), Signature, SigningAlgorithm: 'ECDSA_SHA_256' })).SignatureValid).to.equal(true);
    expect(Buffer.from((await eu.getPublicKey({ KeyId: signing.KeyId })).PublicKey ?? []).equals(Buffer.from((await kms.getPublicKey({ KeyId: signing.KeyId })).PublicKey ?? []))).to.equal(true);

    const { Mac } = await eu.generateMac({ KeyId: mac.KeyId, Message: bytes('m'), MacAlgorithm: 'HMAC_SHA_256' });
    expect((await kms.verifyMac({ KeyId: mac.KeyId, Message: bytes('m'), Mac, MacAlgorithm: 'HMAC_SHA_256' })).MacValid).to.equal(true);

    // A single-Region key's ciphertext means nothing in another Region.
    const single = (await kms.createKey({})).KeyMetadata;
    const local = await kms.encrypt({ KeyId: single.KeyId, Plaintext: bytes('x') });
    await expectKmsError(eu.decrypt({ CiphertextBlob: local.CiphertextBlob }), 'InvalidCiphertextException');
  });

  it('a replica of an imported (EXTERNAL) key is created without material, PendingImport, and takes only the primary\'s material', async () => {
    const clock = new ManualClock();
    const kms = newKms({ clock: clock.now });
    const key = await primaryKey(kms, { Origin: 'EXTERNAL' });
    const material = randomBytes(32);
    const importInto = async (port: SimulatedKms, bytesToImport: Uint8Array) => {
      const p = await port.getParametersForImport({ KeyId: key.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' });
      const wrapping = createPublicKey({ key: Buffer.from(p.PublicKey), format: 'der', type: 'spki' });
      const EncryptedKeyMaterial = publicEncrypt({ key: wrapping, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, bytesToImport);
      return port.importKeyMaterial({ KeyId: key.KeyId, ImportToken: p.ImportToken, EncryptedKeyMaterial, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
    };
    await importInto(kms, material);
    const { CiphertextBlob } = await kms.encrypt({ KeyId: key.KeyId, Plaintext: bytes('imported') });
    const replica = (await kms.replicateKey({ KeyId: key.KeyId, ReplicaRegion: EU })).ReplicaKeyMetadata;
    expect(replica).to.deep.include({ KeyState: 'Creating', Origin: 'EXTERNAL' });
    expect(replica).to.not.have.property('CurrentKeyMaterialId');
    clock.advance(CREATION_MS);
    const eu = kms.inRegion(EU);
    expect((await eu.describeKey({ KeyId: key.KeyId })).KeyMetadata.KeyState).to.equal('PendingImport');
    await expectKmsError(eu.decrypt({ CiphertextBlob }), 'KMSInvalidStateException', `${arnIn(EU, key.KeyId)} is pending import.`);
    await expectKmsError(importInto(eu, randomBytes(32)), 'IncorrectKeyMaterialException');
    await importInto(eu, material);
    expect(Buffer.from((await eu.decrypt({ CiphertextBlob })).Plaintext ?? []).toString()).to.equal('imported');
  });

  it('refuses what AWS refuses: a single-Region key, a replica, an existing replica, the primary Region, bad Regions, key states', async () => {
    const clock = new ManualClock();
    const kms = newKms({ clock: clock.now });
    const key = await primaryKey(kms);
    const single = (await kms.createKey({})).KeyMetadata;
    await expectKmsError(kms.replicateKey({ KeyId: single.KeyId, ReplicaRegion: EU }), 'UnsupportedOperationException', `${keyArn(single.KeyId)} is not a multi-Region key.`);
    await kms.replicateKey({ KeyId: key.KeyId, ReplicaRegion: EU });
    await expectKmsError(kms.replicateKey({ KeyId: key.KeyId, ReplicaRegion: EU }), 'AlreadyExistsException', `${arnIn(EU, key.KeyId)} already exists.`);
    await expectKmsError(kms.inRegion(EU).replicateKey({ KeyId: key.KeyId, ReplicaRegion: AP }), 'KMSInvalidStateException', /is Creating/);
    clock.advance(CREATION_MS);
    await expectKmsError(kms.inRegion(EU).replicateKey({ KeyId: key.KeyId, ReplicaRegion: AP }), 'UnsupportedOperationException', /is a multi-Region replica key/);
    await expectKmsError(kms.replicateKey({ KeyId: key.KeyId, ReplicaRegion: 'us-east-1' }), 'ValidationException', /is the Region of the primary key/);
    await expectKmsError(kms.replicateKey({ KeyId: key.KeyId, ReplicaRegion: 'Europe' }), 'ValidationException', /at 'replicaRegion' failed to satisfy constraint: Member must satisfy regular expression pattern/);
    await expectKmsError(kms.replicateKey({ KeyId: key.KeyId, ReplicaRegion: 'eu-west-123' }), 'ValidationException', 'ReplicaRegion eu-west-123 is not a valid Region name.');
    await expectKmsError(kms.replicateKey({ KeyId: key.KeyId, ReplicaRegion: 'cn-north-1' }), 'ValidationException', /partition aws/);
    await expectKmsError(kms.replicateKey({ KeyId: 'mrk-00000000000000000000000000000000', ReplicaRegion: AP }), 'NotFoundException');
    await kms.disableKey({ KeyId: key.KeyId });
    await kms.replicateKey({ KeyId: key.KeyId, ReplicaRegion: AP }); // a Disabled primary replicates
    await kms.scheduleKeyDeletion({ KeyId: single.KeyId, PendingWindowInDays: 7 });
    const another = await primaryKey(kms);
    await kms.scheduleKeyDeletion({ KeyId: another.KeyId, PendingWindowInDays: 7 });
    await expectKmsError(kms.replicateKey({ KeyId: another.KeyId, ReplicaRegion: EU }), 'KMSInvalidStateException', `${keyArn(another.KeyId)} is pending deletion.`);
    // Rotation is the primary's.
    await expectKmsError(kms.inRegion(EU).enableKeyRotation({ KeyId: key.KeyId }), 'UnsupportedOperationException', /replica/);
  });

  it('rotation is the primary\'s: on demand and automatic rotations reach the replicas, old and new ciphertexts decrypt everywhere', async () => {
    const clock = new ManualClock();
    const kms = newKms({ clock: clock.now });
    const key = await primaryKey(kms);
    const before = await kms.encrypt({ KeyId: key.KeyId, Plaintext: bytes('before') });
    await kms.rotateKeyOnDemand({ KeyId: key.KeyId }); // rotated before the replication: the replica gets both materials
    await kms.replicateKey({ KeyId: key.KeyId, ReplicaRegion: EU });
    clock.advance(CREATION_MS);
    const eu = kms.inRegion(EU);
    const read = async (port: SimulatedKms, blob: Uint8Array) => Buffer.from((await port.decrypt({ CiphertextBlob: blob })).Plaintext ?? []).toString();
    expect(await read(eu, before.CiphertextBlob)).to.equal('before');
    await expectKmsError(eu.rotateKeyOnDemand({ KeyId: key.KeyId }), 'UnsupportedOperationException', /replica key: its rotation is managed on its primary key \(in us-east-1\)/);
    await expectKmsError(eu.enableKeyRotation({ KeyId: key.KeyId }), 'UnsupportedOperationException', /replica/);

    await kms.rotateKeyOnDemand({ KeyId: key.KeyId });
    const primaryNow = (await kms.describeKey({ KeyId: key.KeyId })).KeyMetadata.CurrentKeyMaterialId;
    expect((await eu.describeKey({ KeyId: key.KeyId })).KeyMetadata.CurrentKeyMaterialId).to.equal(primaryNow);
    const made = await eu.encrypt({ KeyId: key.KeyId, Plaintext: bytes('after') });
    expect(await read(kms, made.CiphertextBlob)).to.equal('after');
    expect((await eu.listKeyRotations({ KeyId: key.KeyId })).Rotations?.map((r) => r.KeyMaterialId)).to.deep.equal(
      (await kms.listKeyRotations({ KeyId: key.KeyId })).Rotations?.map((r) => r.KeyMaterialId),
    );

    // Automatic rotation, set on the primary, is reported by the replica and happens there too.
    await kms.enableKeyRotation({ KeyId: key.KeyId, RotationPeriodInDays: 90 });
    const status = await eu.getKeyRotationStatus({ KeyId: key.KeyId });
    expect(status).to.deep.include({ KeyRotationEnabled: true, RotationPeriodInDays: 90 });
    clock.advance(90 * DAY_MS);
    const later = await eu.encrypt({ KeyId: key.KeyId, Plaintext: bytes('later') }); // only the replica's Region is asked
    const rotated = (await kms.describeKey({ KeyId: key.KeyId })).KeyMetadata.CurrentKeyMaterialId;
    expect(rotated).to.not.equal(primaryNow);
    expect((await eu.describeKey({ KeyId: key.KeyId })).KeyMetadata.CurrentKeyMaterialId).to.equal(rotated);
    expect(await read(kms, later.CiphertextBlob)).to.equal('later');

    // UpdatePrimaryRegion takes the rotation setting along: the new primary rotates, the old one follows.
    await kms.updatePrimaryRegion({ KeyId: key.KeyId, PrimaryRegion: EU });
    await expectKmsError(kms.rotateKeyOnDemand({ KeyId: key.KeyId }), 'UnsupportedOperationException', /replica/);
    expect((await kms.getKeyRotationStatus({ KeyId: key.KeyId })).RotationPeriodInDays).to.equal(90);
    await eu.rotateKeyOnDemand({ KeyId: key.KeyId });
    const fromEu = await eu.encrypt({ KeyId: key.KeyId, Plaintext: bytes('eu') });
    expect(await read(kms, fromEu.CiphertextBlob)).to.equal('eu');
    expect(await read(kms, before.CiphertextBlob)).to.equal('before');
  });

  it('UpdatePrimaryRegion: the replica becomes the primary, the primary a replica, everywhere', async () => {
    const clock = new ManualClock();
    const kms = newKms({ clock: clock.now });
    const key = await primaryKey(kms);
    await kms.replicateKey({ KeyId: key.KeyId, ReplicaRegion: EU });
    await expectKmsError(kms.updatePrimaryRegion({ KeyId: key.KeyId, PrimaryRegion: EU }), 'KMSInvalidStateException', `${arnIn(EU, key.KeyId)} is Creating.`);
    expect((await kms.describeKey({ KeyId: key.KeyId })).KeyMetadata.MultiRegionConfiguration?.MultiRegionKeyType).to.equal('PRIMARY');
    await kms.replicateKey({ KeyId: key.KeyId, ReplicaRegion: AP });
    clock.advance(CREATION_MS);
    await expectKmsError(kms.updatePrimaryRegion({ KeyId: key.KeyId, PrimaryRegion: 'us-west-2' }), 'NotFoundException', `Key '${arnIn('us-west-2', key.KeyId)}' does not exist`);
    await expectKmsError(kms.updatePrimaryRegion({ KeyId: key.KeyId, PrimaryRegion: 'us-east-1' }), 'ValidationException');

    await kms.updatePrimaryRegion({ KeyId: key.KeyId, PrimaryRegion: EU });
    const expected = {
      PrimaryKey: { Arn: arnIn(EU, key.KeyId), Region: EU },
      ReplicaKeys: [{ Arn: keyArn(key.KeyId), Region: 'us-east-1' }, { Arn: arnIn(AP, key.KeyId), Region: AP }],
    };
    expect((await kms.inRegion(EU).describeKey({ KeyId: key.KeyId })).KeyMetadata.MultiRegionConfiguration).to.deep.equal({ MultiRegionKeyType: 'PRIMARY', ...expected });
    expect((await kms.describeKey({ KeyId: key.KeyId })).KeyMetadata.MultiRegionConfiguration).to.deep.equal({ MultiRegionKeyType: 'REPLICA', ...expected });
    expect((await kms.inRegion(AP).describeKey({ KeyId: key.KeyId })).KeyMetadata.MultiRegionConfiguration).to.deep.equal({ MultiRegionKeyType: 'REPLICA', ...expected });
    await expectKmsError(kms.updatePrimaryRegion({ KeyId: key.KeyId, PrimaryRegion: AP }), 'UnsupportedOperationException', /replica/);
    // The new primary replicates; the old one, now a replica, does not.
    await expectKmsError(kms.replicateKey({ KeyId: key.KeyId, ReplicaRegion: 'us-west-2' }), 'UnsupportedOperationException');
    await kms.inRegion(EU).replicateKey({ KeyId: key.KeyId, ReplicaRegion: 'us-west-2' });
    // A Disabled replica cannot become the primary.
    clock.advance(CREATION_MS);
    await kms.inRegion(AP).disableKey({ KeyId: key.KeyId });
    await expectKmsError(kms.inRegion(EU).updatePrimaryRegion({ KeyId: key.KeyId, PrimaryRegion: AP }), 'DisabledException', `${arnIn(AP, key.KeyId)} is disabled.`);
    expect((await kms.inRegion(EU).describeKey({ KeyId: key.KeyId })).KeyMetadata.MultiRegionConfiguration?.MultiRegionKeyType).to.equal('PRIMARY');
  });

  it('a primary with replicas waits in PendingReplicaDeletion; its waiting period starts once the last replica is deleted', async () => {
    const clock = new ManualClock();
    const kms = newKms({ clock: clock.now });
    const key = await primaryKey(kms);
    await kms.replicateKey({ KeyId: key.KeyId, ReplicaRegion: EU });
    clock.advance(CREATION_MS);
    const scheduled = await kms.scheduleKeyDeletion({ KeyId: key.KeyId, PendingWindowInDays: 10 });
    expect(scheduled).to.deep.equal({ KeyId: keyArn(key.KeyId), KeyState: 'PendingReplicaDeletion', PendingWindowInDays: 10 });
    const waiting = (await kms.describeKey({ KeyId: key.KeyId })).KeyMetadata;
    expect(waiting).to.deep.include({ KeyState: 'PendingReplicaDeletion', PendingDeletionWindowInDays: 10, Enabled: false });
    expect(waiting).to.not.have.property('DeletionDate');
    await expectKmsError(kms.encrypt({ KeyId: key.KeyId, Plaintext: bytes('x') }), 'KMSInvalidStateException', /PendingReplicaDeletion/);
    await expectKmsError(kms.scheduleKeyDeletion({ KeyId: key.KeyId }), 'KMSInvalidStateException');
    // The replica is still usable, and deleted on its own schedule.
    const eu = kms.inRegion(EU);
    await eu.encrypt({ KeyId: key.KeyId, Plaintext: bytes('x') });
    const replica = await eu.scheduleKeyDeletion({ KeyId: key.KeyId, PendingWindowInDays: 7 });
    expect(replica.DeletionDate?.getTime()).to.equal(clock.now().getTime() + 7 * DAY_MS);
    clock.advance(7 * DAY_MS);
    const deleting = (await kms.describeKey({ KeyId: key.KeyId })).KeyMetadata;
    expect(deleting.KeyState).to.equal('PendingDeletion');
    expect(deleting.DeletionDate?.getTime()).to.equal(clock.now().getTime() + 10 * DAY_MS);
    expect(deleting).to.not.have.property('PendingDeletionWindowInDays');
    expect(deleting.MultiRegionConfiguration?.ReplicaKeys).to.deep.equal([]);
    // Fixed once: a later read gives the same date.
    clock.advance(DAY_MS);
    expect((await kms.describeKey({ KeyId: key.KeyId })).KeyMetadata.DeletionDate?.getTime()).to.equal(deleting.DeletionDate?.getTime());
    await expectKmsError(eu.describeKey({ KeyId: key.KeyId }), 'NotFoundException');
    clock.advance(10 * DAY_MS);
    await expectKmsError(kms.describeKey({ KeyId: key.KeyId }), 'NotFoundException');
  });

  it('CancelKeyDeletion of a primary PendingReplicaDeletion leaves it Disabled; a deleted replica can be made again', async () => {
    const clock = new ManualClock();
    const kms = newKms({ clock: clock.now });
    const key = await primaryKey(kms);
    await kms.replicateKey({ KeyId: key.KeyId, ReplicaRegion: EU });
    clock.advance(CREATION_MS);
    await kms.scheduleKeyDeletion({ KeyId: key.KeyId });
    await kms.cancelKeyDeletion({ KeyId: key.KeyId });
    const back = (await kms.describeKey({ KeyId: key.KeyId })).KeyMetadata;
    expect(back.KeyState).to.equal('Disabled');
    expect(back).to.not.have.property('PendingDeletionWindowInDays');
    const eu = kms.inRegion(EU);
    await eu.scheduleKeyDeletion({ KeyId: key.KeyId, PendingWindowInDays: 7 });
    await expectKmsError(kms.replicateKey({ KeyId: key.KeyId, ReplicaRegion: EU }), 'AlreadyExistsException');
    clock.advance(7 * DAY_MS);
    await kms.replicateKey({ KeyId: key.KeyId, ReplicaRegion: EU });
    expect((await kms.describeKey({ KeyId: key.KeyId })).KeyMetadata.MultiRegionConfiguration?.ReplicaKeys).to.deep.equal([{ Arn: arnIn(EU, key.KeyId), Region: EU }]);
  });

  it('a failed replica write takes the Region off the primary list again', async () => {
    let failNext = true;
    class FlakyStore extends InMemorySimulatorStore {
      override transaction<T>(fn: (tx: SimulatorStoreTransaction) => Promise<T>): Promise<T> {
        if (!failNext) return super.transaction(fn);
        failNext = false;
        return Promise.reject(new Error('the disk is full'));
      }
    }
    const usStore = new InMemorySimulatorStore();
    const regions: SimulatorRegions = new SimulatorRegions(ACCOUNT, (region): SimulatedKms =>
      new SimulatedKms({ region, accountId: ACCOUNT, regions, store: region === EU ? new FlakyStore() : new InMemorySimulatorStore() }),
    );
    const kms = new SimulatedKms({ region: 'us-east-1', accountId: ACCOUNT, regions, store: usStore });
    const key = await primaryKey(kms);
    let failure: unknown;
    await kms.replicateKey({ KeyId: key.KeyId, ReplicaRegion: EU }).catch((e: unknown) => void (failure = e));
    expect(String(failure)).to.match(/the disk is full/);
    expect((await usStore.getKey(key.KeyId))?.multiRegion).to.deep.equal({ primaryRegion: 'us-east-1', replicaRegions: [] });
    expect((await kms.inRegion(EU).listKeys({})).Keys).to.deep.equal([]);
    // The next attempt succeeds.
    await kms.replicateKey({ KeyId: key.KeyId, ReplicaRegion: EU });
    expect((await usStore.getKey(key.KeyId))?.multiRegion?.replicaRegions).to.deep.equal([EU]);
  });

  it('joins a SimulatorRegions of the same account only; siblings share the options but the Region', async () => {
    const regions: SimulatorRegions = new SimulatorRegions(ACCOUNT, (region): SimulatedKms => new SimulatedKms({ region, accountId: ACCOUNT, regions }));
    const us = new SimulatedKms({ region: 'us-east-1', accountId: ACCOUNT, regions });
    expect(us.inRegion(EU).region).to.equal(EU);
    expect(() => new SimulatedKms({ region: 'us-west-2', accountId: '444455556666', regions })).to.throw(/account/);
    expect(() => new SimulatedKms({ region: 'us-east-1', accountId: ACCOUNT, regions })).to.throw(/has a SimulatedKms already/);
    expect(JSON.stringify(regions)).to.equal(JSON.stringify({ accountId: ACCOUNT, regions: ['us-east-1', EU] }));
    expect(() => newKms().inRegion('nowhere')).to.throw(/region must look like/);
  });

  it('the durable record codec: the multi-Region members round-trip, and a record written without them reads as a single-Region key', () => {
    const record: KeyRecord = {
      keyId: 'mrk-' + 'a'.repeat(32), creationDate: new Date(1000), description: '', policy: '{}', keySpec: 'SYMMETRIC_DEFAULT',
      keyUsage: 'ENCRYPT_DECRYPT', origin: 'AWS_KMS', keyState: 'Creating', tags: [], nextTagSeq: 1,
    };
    expect(decodeKey(Buffer.from(JSON.stringify({ ...record, creationDate: 1000 }), 'utf8'), '/dir')).to.deep.equal(record);
    for (const multiRegion of [
      { primaryRegion: 'us-east-1', replicaRegions: ['eu-west-1', 'ap-southeast-2'] },
      { primaryRegion: 'us-east-1', readyAt: new Date(3000) },
      { primaryRegion: 'us-east-1', replicaRegions: [], pendingWindowInDays: 9 },
    ]) {
      expect(decodeKey(encodeKey({ ...record, multiRegion }), '/dir')).to.deep.equal({ ...record, multiRegion });
    }
  });

  describe('over a state directory', () => {
    const root = new TempRoot();
    after(() => root.remove());

    it('keeps the primary, its replicas, their configuration and a rotation the replica has not seen yet across a reopen', async () => {
      const dir = root.dir();
      const clock = new ManualClock();
      const first = new SimulatedKms({ stateDir: dir, clock: clock.now });
      const key = await primaryKey(first);
      await first.replicateKey({ KeyId: key.KeyId, ReplicaRegion: EU });
      const { CiphertextBlob } = await first.encrypt({ KeyId: key.KeyId, Plaintext: bytes('durable') });
      await first.rotateKeyOnDemand({ KeyId: key.KeyId });
      const rotated = await first.encrypt({ KeyId: key.KeyId, Plaintext: bytes('rotated') });
      await first.close();

      const second = new SimulatedKms({ stateDir: dir, clock: clock.now });
      const eu = second.inRegion(EU);
      expect((await eu.describeKey({ KeyId: key.KeyId })).KeyMetadata.KeyState).to.equal('Creating');
      clock.advance(CREATION_MS);
      expect(Buffer.from((await eu.decrypt({ CiphertextBlob })).Plaintext ?? []).toString()).to.equal('durable');
      expect(Buffer.from((await eu.decrypt({ CiphertextBlob: rotated.CiphertextBlob })).Plaintext ?? []).toString()).to.equal('rotated');
      expect((await second.describeKey({ KeyId: key.KeyId })).KeyMetadata.MultiRegionConfiguration).to.deep.equal({
        MultiRegionKeyType: 'PRIMARY',
        PrimaryKey: { Arn: keyArn(key.KeyId), Region: 'us-east-1' },
        ReplicaKeys: [{ Arn: arnIn(EU, key.KeyId), Region: EU }],
      });
      await second.close();
    });
  });
});
