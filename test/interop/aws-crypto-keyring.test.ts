/**
 * A foreign envelope-encryption library: the AWS Encryption SDK for JavaScript (`@aws-crypto/client-node`) with its
 * KMS keyring, pointed at `kms-keys serve` (another process, a state directory) through its own AWS SDK KMS client.
 * It encrypts with GenerateDataKey and Encrypt (a second wrapping key), and decrypts with Decrypt — the message
 * round-trips, under either key, and a ciphertext whose data key KMS cannot unwrap is refused.
 */
import { once } from 'node:events';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { expect } from 'chai';
import { CommitmentPolicy, KMS, KmsKeyringNode, buildClient, getClient } from '@aws-crypto/client-node';
import { AwsSdkKms } from '../../src/index.js';
import { ensureBuilt, spawnKmsKeys, tempDir } from '../cli/cli-harness.js';

const CREDENTIALS = { accessKeyId: 'AKIDESDKTEST', secretAccessKey: 'esdk-secret' };
/** The Encryption SDK's client supplier over the KMS client it re-exports (its typings lag that client's). */
const suppliedClients = (endpoint: string): ReturnType<typeof getClient> =>
  getClient(KMS as unknown as Parameters<typeof getClient>[0], { endpoint, credentials: CREDENTIALS });

describe('interop: @aws-crypto/client-node KMS keyring → kms-keys serve (envelope encryption)', function () {
  this.timeout(120_000);
  let child: ChildProcess;
  let state: { path: string; remove(): void };
  let url: string;
  let kms: AwsSdkKms;

  before(async () => {
    ensureBuilt();
    state = tempDir('kms-esdk-');
    child = spawnKmsKeys(['--state-dir', join(state.path, 's'), '--output', 'json', 'serve', '--port', '0']);
    let buffered = '';
    for await (const chunk of child.stdout!) {
      buffered += (chunk as Buffer).toString();
      if (buffered.includes('\n')) break;
    }
    url = (JSON.parse(buffered.slice(0, buffered.indexOf('\n'))) as { url: string }).url;
    kms = new AwsSdkKms({ region: 'us-east-1', endpoint: url, credentials: CREDENTIALS });
  });

  after(async () => {
    kms?.destroy();
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
    state?.remove();
  });

  it('encrypts with GenerateDataKey + Encrypt and decrypts with Decrypt, under either wrapping key', async () => {
    const generator = (await kms.createKey({ Description: 'esdk generator' })).KeyMetadata.Arn;
    const second = (await kms.createKey({ Description: 'esdk second key' })).KeyMetadata.Arn;
    const clientProvider = suppliedClients(url);
    const { encrypt, decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
    const keyring = new KmsKeyringNode({ generatorKeyId: generator, keyIds: [second], clientProvider });
    const plaintext = Buffer.from('envelope encryption through the simulator '.repeat(50));
    const { result } = await encrypt(keyring, plaintext, { encryptionContext: { tenant: 'acme' } });
    expect(result.includes(plaintext)).to.equal(false);

    const opened = await decrypt(keyring, result);
    expect(opened.plaintext.equals(plaintext)).to.equal(true);
    expect(opened.messageHeader.encryptionContext).to.include({ tenant: 'acme' });
    // Two encrypted data keys, one per wrapping key; the second key alone opens the message too.
    expect(opened.messageHeader.encryptedDataKeys.map((key) => key.providerInfo).sort()).to.deep.equal([generator, second].sort());
    const secondOnly = new KmsKeyringNode({ keyIds: [second], clientProvider });
    expect((await decrypt(secondOnly, result)).plaintext.equals(plaintext)).to.equal(true);
  });

  it('a message whose data keys no given KMS key can unwrap is refused', async () => {
    const generator = (await kms.createKey({})).KeyMetadata.Arn;
    const other = (await kms.createKey({})).KeyMetadata.Arn;
    const clientProvider = suppliedClients(url);
    const { encrypt, decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
    const { result } = await encrypt(new KmsKeyringNode({ generatorKeyId: generator, clientProvider }), Buffer.from('secret'));
    const failure = await decrypt(new KmsKeyringNode({ keyIds: [other], clientProvider }), result).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure, 'decrypting with the wrong key must fail').to.be.instanceOf(Error);
    await kms.disableKey({ KeyId: generator });
    const disabled = await decrypt(new KmsKeyringNode({ keyIds: [generator], clientProvider }), result).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(disabled, 'a disabled key unwraps nothing').to.be.instanceOf(Error);
  });
});
