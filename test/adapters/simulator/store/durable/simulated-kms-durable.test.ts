/**
 * SimulatedKms({ stateDir }): the KmsPort contract and the provider scenario over a state directory, then what
 * durability adds — keys, aliases and tags surviving a close and reopen (and signing with them), NextMarkers
 * valid across instances, two accounts × two Regions isolated in one directory, instances of one process sharing
 * the environment, the generation moving with another instance's rotation, and close().
 */
import { expect } from 'chai';
import { SimulatedKms } from '../../../../../src/adapters/simulator/simulated-kms.js';
import { openSimulatorState } from '../../../../../src/adapters/simulator/store/durable/simulator-state.js';
import { SimulatorStateError } from '../../../../../src/adapters/simulator/store/durable/state-errors.js';
import { AwsKmsKeyProvider } from '../../../../../src/aws-kms-key-provider.js';
import { kmsPortContract } from '../../../../contract/kms-port.contract.js';
import { providerScenario } from '../../../../contract/provider-scenario.js';
import { ManualClock, expectKmsError } from '../../simulator-test-kit.js';
import { TempRoot } from './durable-test-kit.js';

const MESSAGE = new TextEncoder().encode('durable');

function durableTarget(root: TempRoot) {
  return async () => {
    const kms = new SimulatedKms({ stateDir: root.dir(), region: 'eu-central-1', accountId: '210987654321' });
    return { kms, stop: () => kms.close(), inRegion: async (region: string) => kms.inRegion(region) };
  };
}

describe('SimulatedKms({ stateDir })', function () {
  this.timeout(30_000);
  const root = new TempRoot();
  after(() => root.remove());

  kmsPortContract({ name: 'SimulatedKms over a state directory', start: durableTarget(root) });
  providerScenario({ name: 'SimulatedKms over a state directory', start: durableTarget(root) });

  it('keeps keys, aliases and tags across a close and a reopen, and signs and verifies with them', async () => {
    const dir = root.dir();
    const first = new SimulatedKms({ stateDir: dir });
    const ec = (await first.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Description: 'ec' })).KeyMetadata;
    const rsa = (await first.createKey({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })).KeyMetadata;
    const sym = (await first.createKey({})).KeyMetadata;
    await first.createAlias({ AliasName: 'alias/ec', TargetKeyId: ec.KeyId });
    await first.tagResource({ KeyId: ec.KeyId, Tags: [{ TagKey: 'team', TagValue: 'id' }] });
    await first.disableKey({ KeyId: rsa.KeyId });
    const signature = (await first.sign({ KeyId: 'alias/ec', Message: MESSAGE, SigningAlgorithm: 'ECDSA_SHA_256' })).Signature;
    const ciphertext = (await first.encrypt({ KeyId: sym.KeyId, Plaintext: MESSAGE })).CiphertextBlob;
    const publicKey = (await first.getPublicKey({ KeyId: ec.KeyId })).PublicKey;
    await first.close();
    await expectKmsError(first.describeKey({ KeyId: ec.KeyId }), 'KMSInternalException', /closed/, 'server');

    const second = new SimulatedKms({ stateDir: dir });
    try {
      expect((await second.describeKey({ KeyId: 'alias/ec' })).KeyMetadata).to.deep.equal(ec);
      expect((await second.describeKey({ KeyId: rsa.KeyId })).KeyMetadata.KeyState).to.equal('Disabled');
      expect((await second.listResourceTags({ KeyId: ec.KeyId })).Tags).to.deep.equal([{ TagKey: 'team', TagValue: 'id' }]);
      expect((await second.listKeys({})).Keys.map((k) => k.KeyId).sort()).to.deep.equal([ec.KeyId, rsa.KeyId, sym.KeyId].sort());
      expect((await second.getPublicKey({ KeyId: ec.KeyId })).PublicKey).to.deep.equal(publicKey);
      const check = { KeyId: ec.KeyId, Message: MESSAGE, SigningAlgorithm: 'ECDSA_SHA_256' as const };
      expect((await second.verify({ ...check, Signature: signature })).SignatureValid).to.equal(true);
      const again = (await second.sign(check)).Signature;
      expect((await second.verify({ ...check, Signature: again })).SignatureValid).to.equal(true);
      expect((await second.decrypt({ CiphertextBlob: ciphertext })).Plaintext).to.deep.equal(MESSAGE);
      await expectKmsError(second.sign({ ...check, KeyId: rsa.KeyId, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }), 'DisabledException');
    } finally {
      await second.close();
    }
  });

  it('accepts a NextMarker of another instance (and process lifetime) on the same directory, not of another partition', async () => {
    const dir = root.dir();
    const a = new SimulatedKms({ stateDir: dir });
    for (let i = 0; i < 5; i++) await a.createKey({});
    const page = await a.listKeys({ Limit: 2 });
    await a.close();
    const b = new SimulatedKms({ stateDir: dir });
    const other = new SimulatedKms({ stateDir: dir, region: 'us-west-2' });
    try {
      const rest = await b.listKeys({ Marker: page.NextMarker as string });
      expect([...page.Keys, ...rest.Keys].map((k) => k.KeyId)).to.have.length(5);
      await expectKmsError(other.listKeys({ Marker: page.NextMarker as string }), 'InvalidMarkerException');
    } finally {
      await b.close();
      await other.close();
    }
  });

  it('isolates two accounts × two Regions in one directory: listings, ARNs, lookups', async () => {
    const dir = root.dir();
    const partitions = ['111111111111', '222222222222'].flatMap((accountId) =>
      ['us-east-1', 'eu-west-1'].map((region) => ({ accountId, region, kms: new SimulatedKms({ stateDir: dir, accountId, region }) })),
    );
    try {
      const made = [];
      for (const p of partitions) {
        const { KeyMetadata } = await p.kms.createKey({ Description: `${p.accountId}/${p.region}` });
        await p.kms.createAlias({ AliasName: 'alias/same', TargetKeyId: KeyMetadata.KeyId });
        made.push(KeyMetadata);
      }
      for (const [i, p] of partitions.entries()) {
        const mine = made[i]!;
        expect(mine.Arn).to.equal(`arn:aws:kms:${p.region}:${p.accountId}:key/${mine.KeyId}`);
        expect((await p.kms.listKeys({})).Keys).to.deep.equal([{ KeyId: mine.KeyId, KeyArn: mine.Arn }]);
        const own = (await p.kms.listAliases({})).Aliases.filter((a) => a.TargetKeyId !== undefined);
        expect(own).to.have.length(1);
        expect(own[0]).to.deep.include({ AliasName: 'alias/same', AliasArn: `arn:aws:kms:${p.region}:${p.accountId}:alias/same`, TargetKeyId: mine.KeyId });
        for (const other of made.filter((_, j) => j !== i)) {
          await expectKmsError(p.kms.describeKey({ KeyId: other.KeyId }), 'NotFoundException');
        }
      }
    } finally {
      for (const p of partitions) await p.kms.close();
    }
  });

  it('shares one environment between instances of a process: each sees the other’s writes; the generation moves', async () => {
    const dir = root.dir();
    const writer = new SimulatedKms({ stateDir: dir });
    const reader = new SimulatedKms({ stateDir: dir });
    const state = await openSimulatorState(dir);
    try {
      const provider = new AwsKmsKeyProvider({ kms: writer, aliasPrefix: 'gen' });
      const watcher = new AwsKmsKeyProvider({ kms: reader, aliasPrefix: 'gen' });
      const ref = await provider.createKey({ klass: 'asym', alg: 'ECDSA_P256_SHA256' });
      const jwksBefore = await watcher.jwks();
      const before = state.generation();
      await provider.rotateKey(ref.kid);
      expect(state.generation()).to.be.greaterThan(before);
      expect(await watcher.listVersions(ref.kid)).to.deep.equal([1, 2]);
      const jwksAfter = await watcher.jwks();
      expect(jwksAfter.keys).to.have.length(1);
      expect(jwksAfter).not.to.deep.equal(jwksBefore);
    } finally {
      await writer.close();
      await reader.close();
      await state.close();
    }
  });

  it('purges a key whose deletion is due, whichever instance notices it', async () => {
    const dir = root.dir();
    const clock = new ManualClock();
    const a = new SimulatedKms({ stateDir: dir, clock: clock.now });
    const b = new SimulatedKms({ stateDir: dir, clock: clock.now });
    try {
      const { KeyMetadata } = await a.createKey({});
      await a.createAlias({ AliasName: 'alias/doomed', TargetKeyId: KeyMetadata.KeyId });
      await a.scheduleKeyDeletion({ KeyId: KeyMetadata.KeyId, PendingWindowInDays: 7 });
      clock.advance(8 * 86_400_000);
      await expectKmsError(b.describeKey({ KeyId: KeyMetadata.KeyId }), 'NotFoundException');
      expect((await a.listAliases({})).Aliases.map((x) => x.AliasName)).not.to.include('alias/doomed');
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('ready() and close() are no-ops in memory; after close() a durable instance rejects every call', async () => {
    const memory = new SimulatedKms();
    await memory.ready();
    await memory.close();
    const durable = new SimulatedKms({ stateDir: root.dir() });
    await durable.ready();
    await durable.close();
    await durable.close();
    let thrown: unknown;
    try {
      await durable.createKey({});
    } catch (e) {
      thrown = e;
    }
    expect(thrown).to.be.instanceOf(SimulatorStateError);
    expect((thrown as SimulatorStateError).code).to.equal('ERR_STATE_CLOSED');
    const unopened = new SimulatedKms({ stateDir: root.dir() });
    await unopened.close(); // never opened: nothing to release
  });
});
