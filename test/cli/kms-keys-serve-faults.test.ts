/** `kms-keys serve --faults`: injected KMS failures on the wire, replayable from the seed it reports. */
import { once } from 'node:events';
import { join } from 'node:path';
import { expect } from 'chai';
import { AwsSdkKms } from '../../src/index.js';
import { ensureBuilt, kmsKeys, oneErrorLine, spawnKmsKeys, tempDir } from './cli-harness.js';

describe('kms-keys serve --faults', function () {
  this.timeout(60_000);
  before(() => ensureBuilt());

  it('fails the Nth call as asked, says the seed on stderr, and a bad spec is one usage line (exit 2)', async () => {
    const state = tempDir('kms-faults-');
    const child = spawnKmsKeys(['--state-dir', join(state.path, 's'), '--output', 'json', 'serve', '--port', '0', '--faults', 'DescribeKey:nth=2:KMSInternalException;seed=7']);
    const exited = once(child, 'exit');
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      let buffered = '';
      for await (const chunk of child.stdout!) {
        buffered += (chunk as Buffer).toString();
        if (buffered.includes('\n')) break;
      }
      const { url } = JSON.parse(buffered.slice(0, buffered.indexOf('\n'))) as { url: string };
      const kms = new AwsSdkKms({ region: 'us-east-1', endpoint: url, credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
      const { KeyMetadata } = await kms.createKey({});
      expect((await kms.describeKey({ KeyId: KeyMetadata.KeyId })).KeyMetadata.KeyId).to.equal(KeyMetadata.KeyId);
      const failed = (await kms.describeKey({ KeyId: KeyMetadata.KeyId }).catch((e: unknown) => e)) as Error & { $fault?: string };
      expect(failed.name).to.equal('KMSInternalException');
      expect(failed.$fault).to.equal('server');
      expect(failed.message).to.match(/^Injected fault: KMSInternalException on DescribeKey call 2/);
      expect((await kms.describeKey({ KeyId: KeyMetadata.KeyId })).KeyMetadata.KeyId).to.equal(KeyMetadata.KeyId);
      kms.destroy();
      expect(stderr).to.equal('faults: injecting, seed 7 (replay with ;seed=7)\n');
      child.kill('SIGTERM');
      await exited;
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      state.remove();
    }
    const bad = await kmsKeys(['serve', '--port', '0', '--faults', 'Sing:rate=0.5:ThrottlingException']);
    expect(bad.code).to.equal(2);
    expect(oneErrorLine(bad)).to.match(/Sing/);
  });
});
