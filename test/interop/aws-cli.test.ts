/**
 * A foreign client: the AWS CLI (v1, botocore) drives `kms-keys serve` — the key policy and description
 * operations, with the CLI's own request building and response parsing.
 */
import { execFile, execFileSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { ensureBuilt, spawnKmsKeys, tempDir } from '../cli/cli-harness.js';

/** Why the AWS CLI cannot run here, or undefined when it can. */
function awsCliMissing(): string | undefined {
  try {
    execFileSync('aws', ['--version'], { stdio: 'pipe', timeout: 30_000 });
    return undefined;
  } catch (error) {
    return `the aws CLI is not installed (${(error as Error).message.split('\n')[0]})`;
  }
}

async function firstLine(child: ChildProcess): Promise<string> {
  let buffered = '';
  for await (const chunk of child.stdout!) {
    buffered += (chunk as Buffer).toString();
    const end = buffered.indexOf('\n');
    if (end >= 0) return buffered.slice(0, end);
  }
  throw new Error('kms-keys serve ended without printing its URL');
}

describe('interop: aws CLI → kms-keys serve (key policies and description)', function () {
  this.timeout(120_000);
  const missing = awsCliMissing();
  const state = tempDir('kms-aws-cli-');
  let child: ChildProcess | undefined;
  let url = '';

  before(async function () {
    if (missing) this.skip();
    ensureBuilt();
    child = spawnKmsKeys(['--state-dir', join(state.path, 'state'), '--output', 'json', 'serve', '--port', '0']);
    ({ url } = JSON.parse(await firstLine(child)) as { url: string });
  });
  after(async () => {
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
    state.remove();
  });

  /** `aws kms <args…> --output json` against the endpoint; the parsed stdout (null when empty). */
  const aws = async (...args: string[]): Promise<Record<string, unknown> | null> => {
    const { stdout } = await promisify(execFile)('aws', ['kms', ...args, '--endpoint-url', url, '--output', 'json'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: state.path,
        AWS_ACCESS_KEY_ID: 'AKIDAWSCLITEST',
        AWS_SECRET_ACCESS_KEY: 'aws-cli-secret',
        AWS_DEFAULT_REGION: 'eu-west-1',
        AWS_CONFIG_FILE: join(state.path, 'no-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(state.path, 'no-credentials'),
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_PAGER: '',
      },
    });
    return stdout.trim() === '' ? null : (JSON.parse(stdout) as Record<string, unknown>);
  };
  /** The AWS CLI's error line for a failing command (its exit code is 254 or 255). */
  const awsError = async (...args: string[]): Promise<string> => {
    try {
      await aws(...args);
    } catch (error) {
      return String((error as { stderr?: string }).stderr ?? error).trim();
    }
    throw new Error(`aws kms ${args.join(' ')} succeeded`);
  };

  it(`get-key-policy, put-key-policy, list-key-policies, update-key-description${missing ? ` (skipped: ${missing})` : ''}`, async () => {
    const created = (await aws('create-key', '--description', 'from the aws CLI'))!.KeyMetadata as Record<string, string>;
    const keyId = created.KeyId!;
    const root = `arn:aws:iam::${created.AWSAccountId}:root`;

    const got = await aws('get-key-policy', '--key-id', keyId, '--policy-name', 'default');
    expect(got!.PolicyName).to.equal('default');
    expect(got!.Policy).to.equal(
      '{\n  "Version" : "2012-10-17",\n  "Id" : "key-default-1",\n  "Statement" : [ {\n' +
        '    "Sid" : "Enable IAM User Permissions",\n    "Effect" : "Allow",\n    "Principal" : {\n' +
        `      "AWS" : "${root}"\n    },\n    "Action" : "kms:*",\n    "Resource" : "*"\n  } ]\n}`,
    );

    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'cli', Effect: 'Allow', Principal: { AWS: root }, Action: 'kms:*', Resource: '*' }],
    });
    expect(await aws('put-key-policy', '--key-id', created.Arn!, '--policy-name', 'default', '--policy', policy)).to.equal(null);
    expect((await aws('get-key-policy', '--key-id', keyId))!.Policy).to.equal(policy);
    // The CLI's paginator walks the pages and drops the paging members; --no-paginate shows the one answer as sent.
    expect(await aws('list-key-policies', '--key-id', keyId)).to.deep.equal({ PolicyNames: ['default'] });
    expect(await aws('list-key-policies', '--key-id', keyId, '--no-paginate')).to.deep.equal({ PolicyNames: ['default'], Truncated: false });

    const lockedOut = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: root }, Action: 'kms:Describe*', Resource: '*' }] });
    expect(await awsError('put-key-policy', '--key-id', keyId, '--policy', lockedOut)).to.include(
      'An error occurred (MalformedPolicyDocumentException) when calling the PutKeyPolicy operation: ' +
        'The new key policy will not allow you to update the key policy in the future.',
    );
    expect(await awsError('get-key-policy', '--key-id', keyId, '--policy-name', 'other')).to.include(
      'An error occurred (NotFoundException) when calling the GetKeyPolicy operation: No such policy exists',
    );

    expect(await aws('update-key-description', '--key-id', keyId, '--description', 'updated by the aws CLI')).to.equal(null);
    const described = (await aws('describe-key', '--key-id', keyId))!.KeyMetadata as Record<string, string>;
    expect(described.Description).to.equal('updated by the aws CLI');
  });

  it(`encrypt, re-encrypt to another key, decrypt${missing ? ` (skipped: ${missing})` : ''}`, async () => {
    const source = ((await aws('create-key'))!.KeyMetadata as Record<string, string>).Arn!;
    const destination = ((await aws('create-key'))!.KeyMetadata as Record<string, string>).Arn!;
    const plaintextFile = join(state.path, 'plaintext.bin');
    writeFileSync(plaintextFile, 'moved by the aws CLI');
    const encrypted = (await aws('encrypt', '--key-id', source, '--plaintext', `fileb://${plaintextFile}`))!;
    const sealedFile = join(state.path, 'sealed.bin');
    writeFileSync(sealedFile, Buffer.from(encrypted.CiphertextBlob as string, 'base64'));
    const moved = (await aws('re-encrypt', '--ciphertext-blob', `fileb://${sealedFile}`, '--destination-key-id', destination))!;
    expect([moved.SourceKeyId, moved.KeyId]).to.deep.equal([source, destination]);
    const movedFile = join(state.path, 'moved.bin');
    writeFileSync(movedFile, Buffer.from(moved.CiphertextBlob as string, 'base64'));
    const decrypted = (await aws('decrypt', '--ciphertext-blob', `fileb://${movedFile}`))!;
    expect(decrypted.KeyId).to.equal(destination);
    expect(Buffer.from(decrypted.Plaintext as string, 'base64').toString()).to.equal('moved by the aws CLI');
    expect(await awsError('decrypt', '--ciphertext-blob', `fileb://${movedFile}`, '--key-id', source)).to.match(/IncorrectKeyException/);
  });
});
