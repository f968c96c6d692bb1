/**
 * GetKeyLastUsage: the last successful cryptographic operation with a key, in memory and over a state directory
 * (where it survives a reopen), and the durable record codec reading records written before the field existed.
 */
import { expect } from 'chai';
import { decodeKey, encodeKey } from '../../../src/adapters/simulator/store/durable/record-codec.js';
import { SimulatedKms } from '../../../src/adapters/simulator/simulated-kms.js';
import type { KeyRecord } from '../../../src/adapters/simulator/store/simulator-store.js';
import { ManualClock, bytes, createKey, expectKmsError, newKms } from './simulator-test-kit.js';
import { TempRoot } from './store/durable/durable-test-kit.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('adapters/simulator/SimulatedKms — GetKeyLastUsage', () => {
  it('is {} for a new key; then the last successful operation, its time and two UUIDs', async () => {
    const clock = new ManualClock();
    const kms = newKms({ clock: clock.now });
    const key = await createKey(kms, 'ECC_NIST_P256', 'SIGN_VERIFY');
    const fresh = await kms.getKeyLastUsage({ KeyId: key.KeyId });
    expect(fresh).to.deep.equal({
      KeyId: key.KeyId,
      KeyLastUsage: {},
      TrackingStartDate: key.CreationDate,
      KeyCreationDate: key.CreationDate,
    });
    clock.advance(1000);
    const { Signature } = await kms.sign({ KeyId: key.KeyId, Message: bytes('m'), SigningAlgorithm: 'ECDSA_SHA_256' });
    const signed = (await kms.getKeyLastUsage({ KeyId: key.Arn })).KeyLastUsage;
    expect(signed).to.include({ Operation: 'Sign' });
    expect(signed.Timestamp).to.deep.equal(clock.now());
    expect(signed.KmsRequestId).to.match(UUID);
    expect(signed.CloudTrailEventId).to.match(UUID).and.not.equal(signed.KmsRequestId);
    clock.advance(1000);
    await kms.verify({ KeyId: 'arn:aws:kms:us-east-1:111122223333:key/' + key.KeyId, Message: bytes('m'), Signature, SigningAlgorithm: 'ECDSA_SHA_256' });
    const verified = (await kms.getKeyLastUsage({ KeyId: key.KeyId })).KeyLastUsage;
    expect(verified.Operation).to.equal('Verify');
    expect(verified.Timestamp).to.deep.equal(clock.now());
    expect(verified.KmsRequestId).not.to.equal(signed.KmsRequestId);
  });

  it('failed, refused and DryRun operations and non-cryptographic ones leave it as it was', async () => {
    const kms = newKms();
    const key = await createKey(kms, 'ECC_NIST_P256', 'SIGN_VERIFY');
    const { Signature } = await kms.sign({ KeyId: key.KeyId, Message: bytes('m'), SigningAlgorithm: 'ECDSA_SHA_256' });
    const before = await kms.getKeyLastUsage({ KeyId: key.KeyId });
    await expectKmsError(kms.verify({ KeyId: key.KeyId, Message: bytes('other'), Signature, SigningAlgorithm: 'ECDSA_SHA_256' }), 'KMSInvalidSignatureException');
    await expectKmsError(kms.sign({ KeyId: key.KeyId, Message: bytes('m'), SigningAlgorithm: 'ECDSA_SHA_256', DryRun: true }), 'DryRunOperationException');
    await kms.getPublicKey({ KeyId: key.KeyId });
    await kms.describeKey({ KeyId: key.KeyId });
    await kms.tagResource({ KeyId: key.KeyId, Tags: [{ TagKey: 'a', TagValue: 'b' }] });
    expect(await kms.getKeyLastUsage({ KeyId: key.KeyId })).to.deep.equal(before);
  });

  it('tracks every cryptographic family: encryption, data keys, MACs, ECDH, ML-KEM', async () => {
    const kms = newKms();
    const sym = await createKey(kms);
    const hmac = await createKey(kms, 'HMAC_256', 'GENERATE_VERIFY_MAC');
    const kem = await createKey(kms, 'ML_KEM_512', 'ENCAPSULATE_DECAPSULATE');
    const last = async (KeyId: string) => (await kms.getKeyLastUsage({ KeyId })).KeyLastUsage.Operation;
    const { CiphertextBlob } = await kms.encrypt({ KeyId: sym.KeyId, Plaintext: bytes('p') });
    expect(await last(sym.KeyId)).to.equal('Encrypt');
    await kms.decrypt({ CiphertextBlob });
    expect(await last(sym.KeyId)).to.equal('Decrypt');
    await kms.generateDataKey({ KeyId: sym.KeyId, NumberOfBytes: 16 });
    expect(await last(sym.KeyId)).to.equal('GenerateDataKey');
    const { Mac } = await kms.generateMac({ KeyId: hmac.KeyId, Message: bytes('m'), MacAlgorithm: 'HMAC_SHA_256' });
    expect(await last(hmac.KeyId)).to.equal('GenerateMac');
    await kms.verifyMac({ KeyId: hmac.KeyId, Message: bytes('m'), Mac, MacAlgorithm: 'HMAC_SHA_256' });
    expect(await last(hmac.KeyId)).to.equal('VerifyMac');
    const { SharedSecretCiphertextBlob } = await kms.encapsulate({ KeyId: kem.KeyId, EncapsulationAlgorithm: 'ML_KEM' });
    expect(await last(kem.KeyId)).to.equal('Encapsulate');
    await kms.decapsulate({ KeyId: kem.KeyId, SharedSecretCiphertextBlob, EncapsulationAlgorithm: 'ML_KEM' });
    expect(await last(kem.KeyId)).to.equal('Decapsulate');
    const agreement = await createKey(kms, 'ECC_NIST_P256', 'KEY_AGREEMENT');
    const peer = await createKey(kms, 'ECC_NIST_P256', 'KEY_AGREEMENT');
    const { PublicKey } = await kms.getPublicKey({ KeyId: peer.KeyId });
    await kms.deriveSharedSecret({ KeyId: agreement.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey });
    expect(await last(agreement.KeyId)).to.equal('DeriveSharedSecret');
    expect(await kms.getKeyLastUsage({ KeyId: peer.KeyId })).to.have.deep.property('KeyLastUsage', {});
  });

  it('takes a key ID or key ARN, in any key state; an alias or an unknown key is NotFoundException', async () => {
    const kms = newKms();
    const key = await createKey(kms);
    await kms.createAlias({ AliasName: 'alias/usage', TargetKeyId: key.KeyId });
    await kms.disableKey({ KeyId: key.KeyId });
    expect((await kms.getKeyLastUsage({ KeyId: key.KeyId })).KeyId).to.equal(key.KeyId);
    await kms.scheduleKeyDeletion({ KeyId: key.KeyId, PendingWindowInDays: 7 });
    expect((await kms.getKeyLastUsage({ KeyId: key.Arn })).KeyId).to.equal(key.KeyId);
    await expectKmsError(kms.getKeyLastUsage({ KeyId: 'alias/usage' }), 'NotFoundException', "Invalid keyId 'alias/usage'");
    await expectKmsError(kms.getKeyLastUsage({ KeyId: '00000000-0000-4000-8000-000000000000' }), 'NotFoundException');
    await expectKmsError(kms.getKeyLastUsage({ KeyId: '' }), 'ValidationException');
  });

  describe('over a state directory', function () {
    this.timeout(30_000);
    const root = new TempRoot();
    after(() => root.remove());

    it('is written to the key record and survives a close and a reopen; close waits for it', async () => {
      const dir = root.dir();
      const first = new SimulatedKms({ stateDir: dir });
      const key = (await first.createKey({})).KeyMetadata;
      await first.encrypt({ KeyId: key.KeyId, Plaintext: bytes('p') });
      await first.close(); // the note taken by Encrypt is written before the directory is released
      const second = new SimulatedKms({ stateDir: dir });
      const usage = await second.getKeyLastUsage({ KeyId: key.KeyId });
      expect(usage.KeyLastUsage.Operation).to.equal('Encrypt');
      expect(usage.KeyLastUsage.KmsRequestId).to.match(UUID);
      await second.close();
    });
  });

  it('the durable record codec reads records written without lastUsage, and round-trips it', () => {
    const record: KeyRecord = {
      keyId: 'k',
      creationDate: new Date(1000),
      description: '',
      policy: '{}',
      keySpec: 'ML_KEM_768',
      keyUsage: 'ENCAPSULATE_DECAPSULATE',
      origin: 'AWS_KMS',
      keyState: 'Enabled',
      tags: [],
      nextTagSeq: 0,
    };
    // What schema 1 wrote before GetKeyLastUsage: no lastUsage member.
    const old = Buffer.from(JSON.stringify({ ...record, creationDate: 1000, tags: [] }), 'utf8');
    expect(decodeKey(old, '/dir')).to.deep.equal(record);
    expect(decodeKey(encodeKey(record), '/dir')).to.deep.equal(record);
    const used: KeyRecord = { ...record, lastUsage: { operation: 'Decapsulate', timestamp: new Date(5000), requestId: 'r', eventId: 'e' } };
    expect(decodeKey(encodeKey(used), '/dir')).to.deep.equal(used);
  });
});
