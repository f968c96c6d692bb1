/** `kms-keys serve --enforce-policies` (docs/kms-behaviour.md §26): key policies decide over the wire, per account. */
import { expect } from 'chai';
import { AwsSdkKms } from '../../src/index.js';
import { ensureBuilt, kmsKeys, serveCli } from './cli-harness.js';

const A = '111111111111';
const B = '222222222222';

describe('kms-keys serve --enforce-policies', function () {
  this.timeout(60_000);
  before(() => ensureBuilt());

  it("refuses another account's use of a key until its key policy allows it, and says so in its help", async () => {
    const served = await serveCli('kms-authz-', ['--enforce-policies']);
    const client = (accessKeyId: string) =>
      new AwsSdkKms({ region: 'us-east-1', endpoint: served.url, credentials: { accessKeyId, secretAccessKey: 'x' }, maxAttempts: 1 });
    const [alice, bob] = [client(A), client(B)];
    try {
      const { KeyMetadata } = await alice.createKey({});
      const arn = KeyMetadata.Arn as string;
      const refused = (await bob.describeKey({ KeyId: arn }).catch((e: unknown) => e)) as Error;
      expect(refused.name).to.equal('AccessDeniedException');
      expect(refused.message).to.equal(
        `User: arn:aws:iam::${B}:root is not authorized to perform: kms:DescribeKey on resource: ${arn} because no resource-based policy allows the kms:DescribeKey action`,
      );
      const Policy = JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'kms:*', Resource: '*' },
          { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: 'kms:DescribeKey', Resource: '*' },
        ],
      });
      await alice.putKeyPolicy({ KeyId: arn, Policy });
      expect((await bob.describeKey({ KeyId: arn })).KeyMetadata.AWSAccountId).to.equal(A);
    } finally {
      alice.destroy();
      bob.destroy();
      await served.stop();
    }
    const help = await kmsKeys(['serve', '--help']);
    expect(help.stdout).to.include('--enforce-policies');
  });
});
