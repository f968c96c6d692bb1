/**
 * Multi-Region keys over the wire (docs/kms-behaviour.md §25): two @aws-sdk/client-kms clients of different Regions
 * against one startSimulatorServer — a key replicated through one is the replica that requests signed for the other
 * Region reach, with the same key material.
 */
import {
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  KMSClient,
  type KeyMetadata,
  CreateKeyCommand,
  ReplicateKeyCommand,
  UpdatePrimaryRegionCommand,
  AlreadyExistsException,
} from '@aws-sdk/client-kms';
import { expect } from 'chai';
import { type SimulatorServer, startSimulatorServer } from '../src/kms-simulator-server.js';

const ACCOUNT = '111122223333';

/** A replica is Creating for a few seconds: poll DescribeKey as an AWS user does (bounded). */
async function enabled(kms: KMSClient, keyId: string): Promise<KeyMetadata> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const { KeyMetadata: meta } = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
    if (meta?.KeyState === 'Enabled') return meta;
    expect(meta?.KeyState).to.equal('Creating');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return expect.fail(`${keyId} did not become Enabled`);
}

describe('simulator server — multi-Region keys across Regions (§25)', function () {
  this.timeout(60_000);
  let server: SimulatorServer;
  let us: KMSClient;
  let eu: KMSClient;

  before(async () => {
    server = await startSimulatorServer({ port: 0 });
    const client = (region: string) =>
      new KMSClient({ endpoint: server.url, region, credentials: { accessKeyId: ACCOUNT, secretAccessKey: 'x' }, maxAttempts: 1 });
    us = client('us-east-1');
    eu = client('eu-west-1');
  });
  after(async () => {
    us.destroy();
    eu.destroy();
    await server.close();
  });

  it('replicates through one Region; requests signed for the other reach the replica and decrypt its ciphertexts', async () => {
    const { KeyMetadata: primary } = await us.send(new CreateKeyCommand({ MultiRegion: true }));
    const keyId = primary?.KeyId as string;
    const answer = await us.send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: 'eu-west-1', Description: 'eu' }));
    expect(answer.ReplicaKeyMetadata).to.deep.include({ KeyId: keyId, KeyState: 'Creating', Arn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${keyId}` });
    expect(answer.ReplicaKeyMetadata?.MultiRegionConfiguration?.MultiRegionKeyType).to.equal('REPLICA');

    const replica = await enabled(eu, keyId);
    expect(replica).to.deep.include({ Description: 'eu', MultiRegion: true });
    expect(replica.MultiRegionConfiguration?.PrimaryKey).to.deep.equal({ Arn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${keyId}`, Region: 'us-east-1' });

    const { CiphertextBlob } = await us.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('over the wire') }));
    const { Plaintext, KeyId } = await eu.send(new DecryptCommand({ CiphertextBlob }));
    expect(Buffer.from(Plaintext ?? []).toString()).to.equal('over the wire');
    expect(KeyId).to.equal(`arn:aws:kms:eu-west-1:${ACCOUNT}:key/${keyId}`);

    let refused: unknown;
    await us.send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: 'eu-west-1' })).catch((e: unknown) => void (refused = e));
    expect(refused).to.be.instanceOf(AlreadyExistsException);

    await us.send(new UpdatePrimaryRegionCommand({ KeyId: keyId, PrimaryRegion: 'eu-west-1' }));
    const { KeyMetadata: now } = await eu.send(new DescribeKeyCommand({ KeyId: keyId }));
    expect(now?.MultiRegionConfiguration).to.deep.equal({
      MultiRegionKeyType: 'PRIMARY',
      PrimaryKey: { Arn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${keyId}`, Region: 'eu-west-1' },
      ReplicaKeys: [{ Arn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${keyId}`, Region: 'us-east-1' }],
    });
    // server.kms(account, region) is the same partition the replica lives in.
    const inProcess = await server.kms(ACCOUNT, 'eu-west-1');
    expect((await inProcess.describeKey({ KeyId: keyId })).KeyMetadata.MultiRegionConfiguration?.MultiRegionKeyType).to.equal('PRIMARY');
  });
});
