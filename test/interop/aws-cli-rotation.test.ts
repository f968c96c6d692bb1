/**
 * A foreign client: the AWS CLI v1 (botocore) manages key rotation against `kms-keys serve` (another process,
 * a state directory) — enable-key-rotation, get-key-rotation-status, rotate-key-on-demand, list-key-rotations,
 * disable-key-rotation, and a ciphertext made before the rotation still decrypting after it.
 */
import { execFile, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ChildProcess } from 'node:child_process';
import { expect } from 'chai';
import { ensureBuilt, spawnKmsKeys, tempDir } from '../cli/cli-harness.js';

/** Why the AWS CLI cannot run here, or undefined when it can. */
function awsCliMissing(): string | undefined {
  try {
    execFileSync('aws', ['--version'], { stdio: 'pipe', timeout: 30_000 });
    return undefined;
  } catch {
    return 'the AWS CLI (aws) is not installed';
  }
}

describe('interop: aws CLI v1 → kms-keys serve (key rotation)', function () {
  this.timeout(120_000);
  const missing = awsCliMissing();
  let child: ChildProcess | undefined;
  let state: { path: string; remove(): void } | undefined;
  let endpoint: string;

  /** `aws kms <args…> --output json` against the served endpoint, asynchronously; the parsed output. */
  const aws = async (...args: string[]): Promise<Record<string, unknown>> => {
    const run = await promisify(execFile)('aws', ['kms', ...args, '--endpoint-url', endpoint, '--region', 'us-east-1', '--output', 'json'], {
      encoding: 'utf8',
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'AKIDAWSCLITEST',
        AWS_SECRET_ACCESS_KEY: 'aws-cli-secret',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      },
      timeout: 60_000,
    });
    return run.stdout.trim() === '' ? {} : (JSON.parse(run.stdout) as Record<string, unknown>);
  };

  before(async function () {
    if (missing) this.skip();
    ensureBuilt();
    state = tempDir('kms-aws-cli-rotation-');
    child = spawnKmsKeys(['--state-dir', join(state.path, 's'), '--output', 'json', 'serve', '--port', '0']);
    let buffered = '';
    for await (const chunk of child.stdout!) {
      buffered += (chunk as Buffer).toString();
      if (buffered.includes('\n')) break;
    }
    endpoint = (JSON.parse(buffered.slice(0, buffered.indexOf('\n'))) as { url: string }).url;
  });

  after(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
    state?.remove();
  });

  it(`enables, reads, rotates on demand, lists and disables rotation${missing ? ` (skipped: ${missing})` : ''}`, async () => {
    const created = (await aws('create-key', '--description', 'rotated by the aws CLI')).KeyMetadata as Record<string, string>;
    const keyId = created.KeyId as string;
    const arn = created.Arn as string;
    const first = created.CurrentKeyMaterialId;

    expect(await aws('enable-key-rotation', '--key-id', keyId)).to.deep.equal({});
    const status = await aws('get-key-rotation-status', '--key-id', keyId);
    expect(status).to.include({ KeyRotationEnabled: true, KeyId: arn, RotationPeriodInDays: 365 });
    // The CLI v1 prints the wire's timestamps as they come: epoch seconds.
    expect(Number(status.NextRotationDate) * 1000).to.be.closeTo(Date.now() + 365 * 86_400_000, 60_000);
    await aws('enable-key-rotation', '--key-id', arn, '--rotation-period-in-days', '180');
    expect(await aws('get-key-rotation-status', '--key-id', keyId)).to.include({ RotationPeriodInDays: 180 });

    // The CLI v1 sends a blob argument's text as its bytes; a binary blob goes in through fileb://.
    const sealed = await aws('encrypt', '--key-id', keyId, '--plaintext', 'before');
    const blobFile = join(state!.path, 'sealed.bin');
    writeFileSync(blobFile, Buffer.from(String(sealed.CiphertextBlob), 'base64'));
    expect(await aws('rotate-key-on-demand', '--key-id', keyId)).to.deep.equal({ KeyId: arn });
    const current = ((await aws('describe-key', '--key-id', keyId)).KeyMetadata as Record<string, string>).CurrentKeyMaterialId;
    expect(current).to.match(/^[0-9a-f]{64}$/).and.not.equal(first);
    const listed = await aws('list-key-rotations', '--key-id', keyId);
    // (the CLI pages through the listing itself and prints the entries without Truncated / NextMarker)
    expect(listed.Rotations).to.have.length(1);
    expect((listed.Rotations as Record<string, unknown>[])[0]).to.include({ KeyId: keyId, KeyMaterialId: current, RotationType: 'ON_DEMAND', KeyMaterialState: 'CURRENT' });
    const opened = await aws('decrypt', '--ciphertext-blob', `fileb://${blobFile}`);
    expect(Buffer.from(String(opened.Plaintext), 'base64').toString()).to.equal('before');
    expect(opened.KeyMaterialId).to.equal(first);

    expect(await aws('disable-key-rotation', '--key-id', keyId)).to.deep.equal({});
    expect(await aws('get-key-rotation-status', '--key-id', keyId)).to.deep.equal({ KeyRotationEnabled: false, KeyId: arn });
    // An asymmetric key is refused as AWS refuses it; the CLI reports the exception by name.
    const ec = ((await aws('create-key', '--key-spec', 'ECC_NIST_P256', '--key-usage', 'SIGN_VERIFY')).KeyMetadata as Record<string, string>).KeyId as string;
    const refused = await aws('enable-key-rotation', '--key-id', ec).then(
      () => undefined,
      (error: { stderr?: string }) => error.stderr ?? '',
    );
    expect(refused).to.include('UnsupportedOperationException');
  });
});
