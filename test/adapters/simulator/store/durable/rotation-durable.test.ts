/**
 * Key rotation over a state directory (schema 2): several materials per key surviving a reopen, and a state
 * directory written by the schema-1 code (fixtures/state-v1, made before rotation existed) opening, migrating and
 * keeping every key, alias, ciphertext and signature working — rotated or not.
 */
import { chmodSync, copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { SimulatedKms } from '../../../../../src/adapters/simulator/simulated-kms.js';
import { loadLmdb } from '../../../../../src/adapters/simulator/store/durable/lmdb-loader.js';
import { SCHEMA_VERSION } from '../../../../../src/adapters/simulator/store/durable/state-environment.js';
import { DAY_MS, ManualClock, expectKmsError } from '../../simulator-test-kit.js';
import { TempRoot } from './durable-test-kit.js';

const FIXTURE = fileURLToPath(new URL('../../../../../fixtures/state-v1/', import.meta.url));
const expected = JSON.parse(readFileSync(join(FIXTURE, 'expect.json'), 'utf8')) as {
  symmetricKeyId: string;
  keyMaterialId: string;
  ciphertext: string;
  plaintext: string;
  context: Record<string, string>;
  signingKeyId: string;
  message: string;
  signature: string;
};
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A private copy of the schema-1 fixture (0700 / 0600, as the state directory requires). */
function copyFixture(root: TempRoot): string {
  const dir = root.dir();
  mkdirSync(dir, { mode: 0o700 });
  for (const file of ['state.key', 'state.mdb']) {
    copyFileSync(join(FIXTURE, file), join(dir, file));
    chmodSync(join(dir, file), 0o600);
  }
  return dir;
}

async function schemaOf(dir: string): Promise<unknown> {
  const lmdb = await loadLmdb(dir);
  const db = lmdb.open({ path: join(dir, 'state.mdb'), noSubdir: true, encoding: 'binary', keyEncoding: 'binary', overlappingSync: false, mapSize: 2 ** 33 });
  const value = db.get(Buffer.from('meta/schema', 'latin1'));
  await db.close();
  chmodSync(join(dir, 'state.mdb-lock'), 0o600); // lmdb makes its lock file 0644 when it creates it
  return value === undefined ? undefined : JSON.parse(Buffer.from(value).toString('utf8'));
}

describe('SimulatedKms({ stateDir }) — key rotation', function () {
  this.timeout(30_000);
  const root = new TempRoot();
  after(() => root.remove());

  it('opens a schema-1 directory, migrates it to schema 2, and its keys, ciphertexts and signatures still work', async () => {
    const dir = copyFixture(root);
    expect(await schemaOf(dir)).to.equal(1);
    const clock = new ManualClock('2026-02-01T00:00:00.000Z');
    const kms = new SimulatedKms({ stateDir: dir, clock: clock.now });
    const legacy = Buffer.from(expected.ciphertext, 'base64');
    const { KeyMetadata } = await kms.describeKey({ KeyId: 'alias/legacy' });
    expect(KeyMetadata.KeyId).to.equal(expected.symmetricKeyId);
    expect(KeyMetadata.CurrentKeyMaterialId).to.equal(expected.keyMaterialId);
    const opened = await kms.decrypt({ CiphertextBlob: legacy, EncryptionContext: expected.context });
    expect(new TextDecoder().decode(opened.Plaintext)).to.equal(expected.plaintext);
    expect(opened.KeyMaterialId).to.equal(expected.keyMaterialId);
    const verified = await kms.verify({
      KeyId: expected.signingKeyId,
      Message: text(expected.message),
      Signature: Buffer.from(expected.signature, 'base64'),
      SigningAlgorithm: 'ECDSA_SHA_256',
    });
    expect(verified.SignatureValid).to.equal(true);
    expect(await kms.getKeyRotationStatus({ KeyId: expected.symmetricKeyId })).to.include({ KeyRotationEnabled: false });
    expect((await kms.listKeyRotations({ KeyId: expected.symmetricKeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' })).Rotations)
      .to.deep.equal([{ KeyId: expected.symmetricKeyId, KeyMaterialId: expected.keyMaterialId, KeyMaterialState: 'CURRENT' }]);

    // Rotate the legacy key (on demand, then automatically) and use every material.
    const sealedBefore = (await kms.encrypt({ KeyId: 'alias/legacy', Plaintext: text('before') })).CiphertextBlob;
    await kms.rotateKeyOnDemand({ KeyId: expected.symmetricKeyId });
    await kms.enableKeyRotation({ KeyId: expected.symmetricKeyId, RotationPeriodInDays: 90 });
    clock.advance(90 * DAY_MS);
    const sealedAfter = (await kms.encrypt({ KeyId: 'alias/legacy', Plaintext: text('after') })).CiphertextBlob;
    await kms.close();
    expect(await schemaOf(dir)).to.equal(SCHEMA_VERSION);

    const reopened = new SimulatedKms({ stateDir: dir, clock: clock.now });
    const rotations = (await reopened.listKeyRotations({ KeyId: expected.symmetricKeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' })).Rotations;
    expect(rotations.map((r) => [r.KeyMaterialId === expected.keyMaterialId, r.RotationType ?? null, r.KeyMaterialState])).to.deep.equal([
      [true, null, 'NON_CURRENT'],
      [false, 'ON_DEMAND', 'NON_CURRENT'],
      [false, 'AUTOMATIC', 'CURRENT'],
    ]);
    expect((await reopened.describeKey({ KeyId: 'alias/legacy' })).KeyMetadata.CurrentKeyMaterialId).to.equal(rotations[2]?.KeyMaterialId);
    const plain = async (blob: Uint8Array, context?: Record<string, string>) => {
      const out = await reopened.decrypt({ CiphertextBlob: blob, ...(context === undefined ? {} : { EncryptionContext: context }) });
      return [new TextDecoder().decode(out.Plaintext), out.KeyMaterialId];
    };
    expect(await plain(legacy, expected.context)).to.deep.equal([expected.plaintext, expected.keyMaterialId]);
    expect(await plain(sealedBefore)).to.deep.equal(['before', expected.keyMaterialId]);
    expect(await plain(sealedAfter)).to.deep.equal(['after', rotations[2]?.KeyMaterialId]);
    const status = await reopened.getKeyRotationStatus({ KeyId: expected.symmetricKeyId });
    expect(status.NextRotationDate).to.deep.equal(new Date(clock.now().getTime() + 90 * DAY_MS));

    // Deleting the key removes every material.
    await reopened.scheduleKeyDeletion({ KeyId: expected.symmetricKeyId, PendingWindowInDays: 7 });
    clock.advance(7 * DAY_MS);
    await expectKmsError(reopened.decrypt({ CiphertextBlob: sealedBefore }), 'InvalidCiphertextException', '');
    await reopened.close();
  });

  it('rotates lazily across processes of one directory: a second instance sees the rotation the clock made due', async () => {
    const dir = root.dir();
    const clock = new ManualClock();
    const a = new SimulatedKms({ stateDir: dir, clock: clock.now });
    const b = new SimulatedKms({ stateDir: dir, clock: clock.now });
    const { KeyId, CurrentKeyMaterialId } = (await a.createKey({})).KeyMetadata;
    const old = (await a.encrypt({ KeyId, Plaintext: text('old') })).CiphertextBlob;
    await a.enableKeyRotation({ KeyId, RotationPeriodInDays: 90 });
    clock.advance(90 * DAY_MS);
    const current = (await b.describeKey({ KeyId })).KeyMetadata.CurrentKeyMaterialId;
    expect(current).to.not.equal(CurrentKeyMaterialId);
    expect((await a.describeKey({ KeyId })).KeyMetadata.CurrentKeyMaterialId).to.equal(current);
    expect((await a.listKeyRotations({ KeyId })).Rotations).to.have.length(1);
    expect(new TextDecoder().decode((await b.decrypt({ CiphertextBlob: old })).Plaintext)).to.equal('old');
    await a.close();
    await b.close();
  });
});
