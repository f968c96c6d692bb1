/**
 * `startSimulatorServer({ enforcePolicies: true })` (docs/kms-behaviour.md §26, docs/serve.md): two AWS SDK
 * clients of two accounts (12-digit access key IDs, SigV4 verified), a role principal named by its credentials,
 * cross-account use by key ARN through the key policy and through a grant, AccessDeniedException as the SDK sees
 * it, and the routing of a key ARN of another account to that account.
 */
import { expect } from 'chai';
import {
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  KMSClient,
  PutKeyPolicyCommand,
  RevokeGrantCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { InvalidArgumentError } from '../src/domain/errors.js';
import { type SimulatorServer, startSimulatorServer } from '../src/kms-simulator-server.js';

const A = '111111111111';
const B = '222222222222';
const REGION = 'eu-west-1';
const ROLE = `arn:aws:iam::${B}:role/consumer`;

async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await promise;
  } catch (e) {
    const error = e as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: error.name, message: error.message, status: error.$metadata?.httpStatusCode };
  }
  return expect.fail('expected the call to fail');
}

describe('kms-simulator-server — enforcePolicies over the wire', () => {
  let server: SimulatorServer;
  let alice: KMSClient; // account A's root
  let bob: KMSClient; // account B's root
  let consumer: KMSClient; // account B's role/consumer, by its credentials' principal
  const credentials = [
    { accessKeyId: A, secretAccessKey: 'a-secret' },
    { accessKeyId: B, secretAccessKey: 'b-secret' },
    { accessKeyId: 'AKIDCONSUMER', secretAccessKey: 'c-secret', principal: ROLE },
  ];
  const clientOf = (index: number): KMSClient =>
    new KMSClient({ endpoint: server.url, region: REGION, credentials: credentials[index]!, maxAttempts: 1 });

  before(async () => {
    server = await startSimulatorServer({ port: 0, enforcePolicies: true, credentials });
    [alice, bob, consumer] = [clientOf(0), clientOf(1), clientOf(2)];
  });
  after(async () => {
    for (const client of [alice, bob, consumer]) client.destroy();
    await server.close();
  });

  it("a key policy that allows account B lets B's principals use A's key by its ARN, never by its ID", async () => {
    const { KeyMetadata } = await alice.send(new CreateKeyCommand({}));
    const arn = KeyMetadata!.Arn!;
    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'kms:*', Resource: '*' },
        { Effect: 'Allow', Principal: { AWS: B }, Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'], Resource: '*' },
      ],
    };
    const refused = await failure(bob.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') })));
    expect(refused).to.deep.equal({
      name: 'AccessDeniedException',
      status: 400,
      message: `User: arn:aws:iam::${B}:root is not authorized to perform: kms:Encrypt on resource: ${arn} because no resource-based policy allows the kms:Encrypt action`,
    });
    await alice.send(new PutKeyPolicyCommand({ KeyId: arn, Policy: JSON.stringify(policy) }));

    const { CiphertextBlob } = await consumer.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('shared') }));
    const { Plaintext } = await bob.send(new DecryptCommand({ KeyId: arn, CiphertextBlob }));
    expect(Buffer.from(Plaintext!).toString()).to.equal('shared');
    expect((await consumer.send(new DescribeKeyCommand({ KeyId: arn }))).KeyMetadata!.AWSAccountId).to.equal(A);

    const byId = await failure(bob.send(new DescribeKeyCommand({ KeyId: KeyMetadata!.KeyId! })));
    expect(byId.name).to.equal('NotFoundException');
    expect(byId.message).to.equal(`Key 'arn:aws:kms:${REGION}:${B}:key/${KeyMetadata!.KeyId}' does not exist`);
    const manage = await failure(bob.send(new ScheduleKeyDeletionCommand({ KeyId: arn, PendingWindowInDays: 7 })));
    expect(manage.name).to.equal('AccessDeniedException');
    expect(manage.message).to.include('kms:ScheduleKeyDeletion');
  });

  it("a grant for B's role (its credentials' principal) allows exactly that role, until it is revoked", async () => {
    const { KeyMetadata } = await alice.send(new CreateKeyCommand({}));
    const arn = KeyMetadata!.Arn!;
    const { GrantId } = await alice.send(new CreateGrantCommand({ KeyId: arn, GranteePrincipal: ROLE, Operations: ['Encrypt'] }));
    await consumer.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') }));
    const other = await failure(bob.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') })));
    expect(other.name).to.equal('AccessDeniedException');
    await alice.send(new RevokeGrantCommand({ KeyId: arn, GrantId }));
    const revoked = await failure(consumer.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') })));
    expect(revoked.message).to.equal(
      `User: ${ROLE} is not authorized to perform: kms:Encrypt on resource: ${arn} because no resource-based policy allows the kms:Encrypt action`,
    );
  });

  it("keys B creates are B's, in B's partition", async () => {
    const { KeyMetadata } = await consumer.send(new CreateKeyCommand({}));
    expect(KeyMetadata!.AWSAccountId).to.equal(B);
    await bob.send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId!, Plaintext: Buffer.from('x') }));
  });

  it('checks the principals of its credentials', async () => {
    for (const principal of ['role/x', `arn:aws:iam::${A}:role/x`]) {
      try {
        await startSimulatorServer({ port: 0, enforcePolicies: true, credentials: [{ accessKeyId: B, secretAccessKey: 's', principal }] });
        expect.fail(`${principal} should be refused`);
      } catch (e) {
        expect(e, String(e)).to.be.instanceOf(InvalidArgumentError);
        expect((e as Error).message).to.match(principal === 'role/x' ? /arn:aws:iam::<12-digit account>:root/ : /a 12-digit access key ID is the account it signs for/);
      }
    }
  });

  it('without enforcePolicies, a key ARN of another account is not found, as before', async () => {
    const open = await startSimulatorServer({ port: 0 });
    const [a, b] = [A, B].map((accessKeyId) => new KMSClient({ endpoint: open.url, region: REGION, credentials: { accessKeyId, secretAccessKey: 'x' }, maxAttempts: 1 }));
    try {
      const { KeyMetadata } = await a!.send(new CreateKeyCommand({}));
      expect((await failure(b!.send(new DescribeKeyCommand({ KeyId: KeyMetadata!.Arn! })))).name).to.equal('NotFoundException');
    } finally {
      a!.destroy();
      b!.destroy();
      await open.close();
    }
  });
});
