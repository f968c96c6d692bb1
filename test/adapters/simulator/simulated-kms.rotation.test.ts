import { expect } from 'chai';
import type { SimulatedKms } from '../../../src/adapters/simulator/simulated-kms.js';
import { DAY_MS, ManualClock, bytes, createKey, expectKmsError, keyArn, newKms } from './simulator-test-kit.js';

/** Key rotation of symmetric keys (docs/kms-behaviour.md §21). */
describe('adapters/simulator/SimulatedKms — key rotation', () => {
  let clock: ManualClock;
  let kms: SimulatedKms;
  beforeEach(() => {
    clock = new ManualClock();
    kms = newKms({ clock: clock.now });
  });

  const material = async (keyId: string): Promise<string | undefined> =>
    (await kms.describeKey({ KeyId: keyId })).KeyMetadata.CurrentKeyMaterialId;
  const encrypt = async (keyId: string, text: string): Promise<Uint8Array> =>
    (await kms.encrypt({ KeyId: keyId, Plaintext: bytes(text), EncryptionContext: { k: 'v' } })).CiphertextBlob;
  const decrypt = async (blob: Uint8Array) => {
    const out = await kms.decrypt({ CiphertextBlob: blob, EncryptionContext: { k: 'v' } });
    return { text: new TextDecoder().decode(out.Plaintext), materialId: out.KeyMaterialId };
  };

  describe('EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus', () => {
    it('is off for a new key; on with 365 days by default, NextRotationDate that far from now; off again', async () => {
      const { KeyId, Arn } = await createKey(kms);
      expect(await kms.getKeyRotationStatus({ KeyId })).to.deep.equal({ KeyRotationEnabled: false, KeyId: Arn });
      expect(await kms.enableKeyRotation({ KeyId })).to.equal(undefined);
      expect(await kms.getKeyRotationStatus({ KeyId: Arn })).to.deep.equal({
        KeyRotationEnabled: true,
        KeyId: Arn,
        RotationPeriodInDays: 365,
        NextRotationDate: new Date(clock.now().getTime() + 365 * DAY_MS),
      });
      await kms.disableKeyRotation({ KeyId });
      await kms.disableKeyRotation({ KeyId }); // idempotent
      expect(await kms.getKeyRotationStatus({ KeyId })).to.deep.equal({ KeyRotationEnabled: false, KeyId: Arn });
    });

    it('takes RotationPeriodInDays 90–2560; the same period again keeps the schedule, a new one restarts it', async () => {
      const { KeyId } = await createKey(kms);
      for (const days of [89, 2561, 0, -1]) {
        await expectKmsError(
          kms.enableKeyRotation({ KeyId, RotationPeriodInDays: days }),
          'ValidationException',
          `1 validation error detected: Value '${days}' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value ${days < 90 ? 'greater than or equal to 90' : 'less than or equal to 2560'}`,
        );
      }
      await kms.enableKeyRotation({ KeyId, RotationPeriodInDays: 90 });
      const first = (await kms.getKeyRotationStatus({ KeyId })).NextRotationDate;
      expect(first).to.deep.equal(new Date(clock.now().getTime() + 90 * DAY_MS));
      clock.advance(DAY_MS);
      await kms.enableKeyRotation({ KeyId, RotationPeriodInDays: 90 });
      expect((await kms.getKeyRotationStatus({ KeyId })).NextRotationDate).to.deep.equal(first);
      await kms.enableKeyRotation({ KeyId, RotationPeriodInDays: 2560 });
      const status = await kms.getKeyRotationStatus({ KeyId });
      expect(status.RotationPeriodInDays).to.equal(2560);
      expect(status.NextRotationDate).to.deep.equal(new Date(clock.now().getTime() + 2560 * DAY_MS));
    });

    it('refuses asymmetric and HMAC keys with UnsupportedOperationException; their status is simply false', async () => {
      for (const spec of ['ECC_NIST_P256', 'RSA_2048', 'HMAC_256'] as const) {
        const { KeyId, Arn } = await createKey(kms, spec);
        await expectKmsError(kms.enableKeyRotation({ KeyId }), 'UnsupportedOperationException', '');
        await expectKmsError(kms.disableKeyRotation({ KeyId }), 'UnsupportedOperationException', '');
        await expectKmsError(kms.rotateKeyOnDemand({ KeyId }), 'UnsupportedOperationException', '');
        await expectKmsError(kms.listKeyRotations({ KeyId }), 'UnsupportedOperationException', '');
        expect(await kms.getKeyRotationStatus({ KeyId })).to.deep.equal({ KeyRotationEnabled: false, KeyId: Arn });
      }
      const rsa = await createKey(kms, 'RSA_2048', 'ENCRYPT_DECRYPT');
      await expectKmsError(kms.enableKeyRotation({ KeyId: rsa.KeyId }), 'UnsupportedOperationException', '');
    });

    it('needs an Enabled key: Disabled → DisabledException, PendingDeletion → KMSInvalidStateException', async () => {
      const { KeyId, Arn } = await createKey(kms);
      await kms.enableKeyRotation({ KeyId, RotationPeriodInDays: 100 });
      await kms.disableKey({ KeyId });
      for (const call of [
        kms.enableKeyRotation({ KeyId }),
        kms.disableKeyRotation({ KeyId }),
        kms.rotateKeyOnDemand({ KeyId }),
      ]) {
        await expectKmsError(call, 'DisabledException', `${Arn} is disabled.`);
      }
      expect((await kms.getKeyRotationStatus({ KeyId })).KeyRotationEnabled).to.equal(true);
      await kms.scheduleKeyDeletion({ KeyId, PendingWindowInDays: 7 });
      for (const call of [
        kms.enableKeyRotation({ KeyId }),
        kms.disableKeyRotation({ KeyId }),
        kms.rotateKeyOnDemand({ KeyId }),
      ]) {
        await expectKmsError(call, 'KMSInvalidStateException', `${Arn} is pending deletion.`);
      }
      // Pending deletion reads false; cancelling the deletion brings the setting back.
      expect(await kms.getKeyRotationStatus({ KeyId })).to.deep.equal({ KeyRotationEnabled: false, KeyId: Arn });
      expect((await kms.listKeyRotations({ KeyId })).Rotations).to.deep.equal([]);
      await kms.cancelKeyDeletion({ KeyId });
      const status = await kms.getKeyRotationStatus({ KeyId });
      expect([status.KeyRotationEnabled, status.RotationPeriodInDays]).to.deep.equal([true, 100]);
    });

    it('takes a key ID or key ARN only; a missing key is NotFoundException', async () => {
      const { KeyId } = await createKey(kms);
      await kms.createAlias({ AliasName: 'alias/rotating', TargetKeyId: KeyId });
      for (const call of [
        kms.enableKeyRotation({ KeyId: 'alias/rotating' }),
        kms.getKeyRotationStatus({ KeyId: 'alias/rotating' }),
        kms.rotateKeyOnDemand({ KeyId: 'alias/rotating' }),
        kms.listKeyRotations({ KeyId: 'alias/rotating' }),
        kms.disableKeyRotation({ KeyId: 'alias/rotating' }),
      ]) {
        await expectKmsError(call, 'NotFoundException', "Invalid keyId 'alias/rotating'");
      }
      const missing = '00000000-0000-4000-8000-000000000000';
      await expectKmsError(kms.enableKeyRotation({ KeyId: missing }), 'NotFoundException', `Key '${keyArn(missing)}' does not exist`);
      await expectKmsError(kms.rotateKeyOnDemand({ KeyId: missing }), 'NotFoundException', `Key '${keyArn(missing)}' does not exist`);
    });
  });

  describe('RotateKeyOnDemand', () => {
    it('gives the key new material; Encrypt uses it, and every earlier ciphertext still decrypts', async () => {
      const { KeyId, Arn, CurrentKeyMaterialId: first } = await createKey(kms);
      const before = await encrypt(KeyId, 'before');
      expect(await kms.rotateKeyOnDemand({ KeyId })).to.deep.equal({ KeyId: Arn });
      const second = await material(KeyId);
      expect(second).to.match(/^[0-9a-f]{64}$/).and.not.equal(first);
      const after = await encrypt(KeyId, 'after');
      await kms.rotateKeyOnDemand({ KeyId: Arn });
      expect(await decrypt(before)).to.deep.equal({ text: 'before', materialId: first });
      expect(await decrypt(after)).to.deep.equal({ text: 'after', materialId: second });
      const third = await material(KeyId);
      expect((await kms.generateDataKey({ KeyId, KeySpec: 'AES_256' })).KeyMaterialId).to.equal(third);
      // A ciphertext naming a material the key does not have, or changed, does not decrypt.
      const forged = Uint8Array.from(after);
      forged[20] = (forged[20] as number) ^ 1;
      await expectKmsError(kms.decrypt({ CiphertextBlob: forged, EncryptionContext: { k: 'v' } }), 'InvalidCiphertextException', '');
      // Automatic rotation is unaffected.
      expect((await kms.getKeyRotationStatus({ KeyId })).KeyRotationEnabled).to.equal(false);
    });

    it('allows 25 on-demand rotations per key, then LimitExceededException', async () => {
      const { KeyId, Arn } = await createKey(kms);
      for (let i = 0; i < 25; i++) await kms.rotateKeyOnDemand({ KeyId });
      await expectKmsError(kms.rotateKeyOnDemand({ KeyId }), 'LimitExceededException', `${Arn} has reached the quota of 25 on-demand rotations.`);
      expect((await kms.listKeyRotations({ KeyId })).Rotations).to.have.length(25);
    });

    it('refuses with ConflictException while an automatic rotation is due within 20 minutes', async () => {
      const { KeyId, Arn } = await createKey(kms);
      await kms.enableKeyRotation({ KeyId, RotationPeriodInDays: 90 });
      clock.advance(90 * DAY_MS - 20 * 60_000 - 1);
      await kms.rotateKeyOnDemand({ KeyId });
      clock.advance(1);
      await expectKmsError(
        kms.rotateKeyOnDemand({ KeyId }),
        'ConflictException',
        `An automatic rotation of ${Arn} is in progress or scheduled to begin within the next 20 minutes.`,
      );
    });
  });

  describe('automatic rotation on the clock', () => {
    it('rotates lazily once NextRotationDate passes, dated at the schedule, once per period that passed', async () => {
      const { KeyId, CurrentKeyMaterialId: first } = await createKey(kms);
      const start = clock.now().getTime();
      const old = await encrypt(KeyId, 'old');
      await kms.enableKeyRotation({ KeyId, RotationPeriodInDays: 90 });
      clock.advance(90 * DAY_MS - 1);
      expect(await material(KeyId)).to.equal(first);
      clock.advance(1);
      const second = await material(KeyId);
      expect(second).to.not.equal(first);
      expect((await kms.getKeyRotationStatus({ KeyId })).NextRotationDate).to.deep.equal(new Date(start + 180 * DAY_MS));
      clock.advance(200 * DAY_MS); // day 290: the rotations of day 180 and 270
      const { Rotations } = await kms.listKeyRotations({ KeyId });
      expect(Rotations.map((r) => [r.RotationType, r.RotationDate?.getTime(), r.KeyMaterialState])).to.deep.equal([
        ['AUTOMATIC', start + 90 * DAY_MS, 'NON_CURRENT'],
        ['AUTOMATIC', start + 180 * DAY_MS, 'NON_CURRENT'],
        ['AUTOMATIC', start + 270 * DAY_MS, 'CURRENT'],
      ]);
      expect(Rotations[0]?.KeyMaterialId).to.equal(second);
      expect(Rotations[2]?.KeyMaterialId).to.equal(await material(KeyId));
      expect((await kms.getKeyRotationStatus({ KeyId })).NextRotationDate).to.deep.equal(new Date(start + 360 * DAY_MS));
      expect(await decrypt(old)).to.deep.equal({ text: 'old', materialId: first });
    });

    it('does not rotate a Disabled key, nor a key without automatic rotation; catches up when enabled again', async () => {
      const off = await createKey(kms);
      const disabled = await createKey(kms);
      await kms.enableKeyRotation({ KeyId: disabled.KeyId, RotationPeriodInDays: 90 });
      await kms.disableKey({ KeyId: disabled.KeyId });
      clock.advance(100 * DAY_MS);
      expect(await material(off.KeyId)).to.equal(off.CurrentKeyMaterialId);
      expect(await material(disabled.KeyId)).to.equal(disabled.CurrentKeyMaterialId);
      await kms.enableKey({ KeyId: disabled.KeyId });
      expect(await material(disabled.KeyId)).to.not.equal(disabled.CurrentKeyMaterialId);
    });

    it('stops after DisableKeyRotation', async () => {
      const { KeyId, CurrentKeyMaterialId } = await createKey(kms);
      await kms.enableKeyRotation({ KeyId, RotationPeriodInDays: 90 });
      await kms.disableKeyRotation({ KeyId });
      clock.advance(1000 * DAY_MS);
      expect(await material(KeyId)).to.equal(CurrentKeyMaterialId);
    });
  });

  describe('ListKeyRotations', () => {
    it('lists the rotations, oldest first; ALL_KEY_MATERIAL adds the first material, without date or type', async () => {
      const { KeyId, CurrentKeyMaterialId: first } = await createKey(kms);
      expect(await kms.listKeyRotations({ KeyId })).to.deep.equal({ Rotations: [], Truncated: false });
      clock.advance(1000);
      await kms.rotateKeyOnDemand({ KeyId });
      const second = await material(KeyId);
      expect(await kms.listKeyRotations({ KeyId })).to.deep.equal({
        Rotations: [{ KeyId, KeyMaterialId: second, KeyMaterialState: 'CURRENT', RotationDate: clock.now(), RotationType: 'ON_DEMAND' }],
        Truncated: false,
      });
      expect((await kms.listKeyRotations({ KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' })).Rotations).to.deep.equal([
        { KeyId, KeyMaterialId: first, KeyMaterialState: 'NON_CURRENT' },
        { KeyId, KeyMaterialId: second, KeyMaterialState: 'CURRENT', RotationDate: clock.now(), RotationType: 'ON_DEMAND' },
      ]);
      await expectKmsError(
        kms.listKeyRotations({ KeyId, IncludeKeyMaterial: 'SOME' as 'ALL_KEY_MATERIAL' }),
        'ValidationException',
        /Member must satisfy enum value set: \[ALL_KEY_MATERIAL, ROTATIONS_ONLY\]/,
      );
    });

    it('pages with Limit (1–1000) and Marker; a marker of another listing is InvalidMarkerException', async () => {
      const { KeyId } = await createKey(kms);
      const other = await createKey(kms);
      for (let i = 0; i < 5; i++) await kms.rotateKeyOnDemand({ KeyId });
      await kms.rotateKeyOnDemand({ KeyId: other.KeyId });
      const all = (await kms.listKeyRotations({ KeyId })).Rotations.map((r) => r.KeyMaterialId);
      const seen: (string | undefined)[] = [];
      let Marker: string | undefined;
      do {
        const page = await kms.listKeyRotations({ KeyId, Limit: 2, ...(Marker === undefined ? {} : { Marker }) });
        expect(page.Rotations.length).to.be.at.most(2);
        seen.push(...page.Rotations.map((r) => r.KeyMaterialId));
        expect(page.Truncated).to.equal(page.NextMarker !== undefined);
        Marker = page.NextMarker;
      } while (Marker !== undefined);
      expect(seen).to.deep.equal(all);
      const first = await kms.listKeyRotations({ KeyId, Limit: 1 });
      await expectKmsError(
        kms.listKeyRotations({ KeyId: other.KeyId, Marker: first.NextMarker as string }),
        'InvalidMarkerException',
        'Marker is not valid for this request',
      );
      await expectKmsError(kms.listKeyRotations({ KeyId, Limit: 1001 }), 'ValidationException', /less than or equal to 1000/);
    });
  });

  it('a deleted key takes every material with it: its ciphertexts are InvalidCiphertextException', async () => {
    const { KeyId } = await createKey(kms);
    const before = await encrypt(KeyId, 'x');
    await kms.rotateKeyOnDemand({ KeyId });
    const after = await encrypt(KeyId, 'y');
    await kms.scheduleKeyDeletion({ KeyId, PendingWindowInDays: 7 });
    clock.advance(7 * DAY_MS);
    for (const blob of [before, after]) {
      await expectKmsError(kms.decrypt({ CiphertextBlob: blob, EncryptionContext: { k: 'v' } }), 'InvalidCiphertextException', '');
    }
  });
});
