/**
 * kms-keys over the wire, as subprocesses of the built binary: `--backend aws --endpoint-url` against an
 * in-process KMS endpoint (the AWS SDK adapter path end to end), and `kms-keys serve` called with the AWS SDK and
 * by `kms-keys --backend aws`, stopped with SIGTERM.
 */
import { CreateKeyCommand, KMSClient, ListAliasesCommand } from '@aws-sdk/client-kms';
import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AwsKmsKeyProvider, SimulatedKms, startKmsServer, type KmsServer } from '../../src/index.js';
import { ensureBuilt, kmsKeys, oneErrorLine, spawnKmsKeys, tempDir, type CliResult } from './cli-harness.js';

const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret-example' };

function json(result: CliResult): any {
  expect(result.stderr, 'stderr').to.equal('');
  expect(result.code, 'exit code').to.equal(0);
  return JSON.parse(result.stdout);
}

/** The first line the child prints on stdout. */
async function firstLine(child: ChildProcess): Promise<string> {
  let buffered = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  for await (const chunk of child.stdout!) {
    buffered += (chunk as Buffer).toString();
    const end = buffered.indexOf('\n');
    if (end >= 0) return buffered.slice(0, end);
  }
  throw new Error(`the child ended without a line on stdout; stderr: ${stderr}`);
}

describe('kms-keys CLI over the wire (built binary)', function () {
  this.timeout(60_000);
  before(() => ensureBuilt());

  describe('--backend aws --endpoint-url <a KMS endpoint>', () => {
    const kms = new SimulatedKms({ region: 'eu-west-1' });
    let server: KmsServer;
    const aws = (...args: string[]): Promise<CliResult> =>
      kmsKeys(['--backend', 'aws', '--endpoint-url', server.url, '--region', 'eu-west-1', '--output', 'json', ...args], CREDENTIALS);

    before(async () => {
      server = await startKmsServer({ kms });
    });
    after(() => server.close());

    it('creates, rotates, reads and publishes keys through the AWS SDK adapter, the same as the provider in process', async () => {
      const created = json(await aws('create', '--alg', 'ECDSA_P256_SHA256', '--label', 'over-the-wire'));
      expect(created).to.include({ version: 1, exportPolicy: 'none' });
      expect(created.tags).to.include({ 'kms:region': 'eu-west-1', label: 'over-the-wire' });
      const rotated = json(await aws('rotate', created.kid));
      expect(rotated).to.include({ kid: created.kid, version: 2 });
      const [versions, jwks] = await Promise.all([aws('versions', created.kid), aws('jwks')]);
      expect(json(versions)).to.deep.equal([1, 2]);
      const inProcess = new AwsKmsKeyProvider({ kms });
      expect(json(jwks)).to.deep.equal(await inProcess.jwks());
      expect(await inProcess.getKey(created.kid, 1)).to.deep.equal(created);
    });

    it('a KMS failure over the wire is exit 1 with one line: the provider error and the KMS exception', async () => {
      const [unknown, refused] = await Promise.all([
        aws('get', 'ffffffffffffffff'),
        kmsKeys(['--backend', 'aws', '--endpoint-url', 'http://127.0.0.1:9', '--region', 'eu-west-1', 'jwks'], CREDENTIALS),
      ]);
      expect(unknown.code).to.equal(1);
      expect(oneErrorLine(unknown)).to.equal('error: KeyNotFoundError: Unknown kid: ffffffffffffffff');
      expect(refused.code).to.equal(1);
      expect(oneErrorLine(refused)).to.match(/^error: KmsError: Could not build the JWKS \(.*(ECONNREFUSED|NetworkingError)/);
    });
  });

  describe('serve', () => {
    const state = tempDir('kms-keys-serve-');
    after(() => state.remove());

    it('text output, --seed <file> served and published at once, SIGINT stops it with exit 0 and nothing on stderr', async () => {
      const kid = '5eed5eed5eed0002';
      const seedFile = join(state.path, 'seed.yaml');
      writeFileSync(
        seedFile,
        [
          'Keys:',
          '  - KeySpec: ECC_NIST_P256',
          '    KeyUsage: SIGN_VERIFY',
          `    Tags: { "saur:kid": "${kid}", "saur:version": "1", "saur:alg": ECDSA_P256_SHA256 }`,
          `    Aliases: [alias/swarmauri/${kid}, alias/swarmauri/${kid}/v1]`,
          '',
        ].join('\n'),
      );
      const child = spawnKmsKeys(['--state-dir', join(state.path, 'seeded'), 'serve', '--port', '0', '--seed', seedFile]);
      const exited = once(child, 'exit');
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      try {
        const first = await firstLine(child);
        const url = /^KMS endpoint: (http:\/\/127\.0\.0\.1:\d+)$/.exec(first)?.[1];
        expect(url, first).to.be.a('string');
        const published = (await (await fetch(`${url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> };
        expect(published.keys.map((k) => k.kid)).to.deep.equal([`${kid}.1`]);
        child.kill('SIGINT');
        const [code, signal] = (await exited) as [number | null, string | null];
        expect({ code, signal, stderr }).to.deep.equal({ code: 0, signal: null, stderr: '' });
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    });

    it('serves the state directory to the AWS SDK and to kms-keys --backend aws, publishes the JWKS, stops on SIGTERM with exit 0', async () => {
      const child = spawnKmsKeys(['--state-dir', state.path, '--output', 'json', 'serve', '--port', '0', '--jwks-max-age', '60']);
      const exited = once(child, 'exit');
      try {
        const { url, jwksUrl } = JSON.parse(await firstLine(child)) as { url: string; jwksUrl: string };
        expect(url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(jwksUrl).to.equal(`${url}/.well-known/jwks.json`);

        const client = new KMSClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
        try {
          const made = await client.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }));
          expect(made.KeyMetadata?.KeyId).to.be.a('string');
          const created = json(
            await kmsKeys(['--backend', 'aws', '--endpoint-url', url, '--region', 'us-east-1', '--output', 'json', 'create', '--alg', 'ECDSA_P256_SHA256'], CREDENTIALS),
          );
          const aliases = await client.send(new ListAliasesCommand({}));
          expect(aliases.Aliases?.map((a) => a.AliasName)).to.include(`alias/swarmauri/${created.kid}`);
          const response = await fetch(jwksUrl);
          expect(response.status).to.equal(200);
          expect(response.headers.get('cache-control')).to.include('max-age=60');
          const published = (await response.json()) as { keys: Array<{ kid: string }> };
          expect(published.keys.map((k) => k.kid)).to.include(`${created.kid}.1`);
          child.kill('SIGTERM');
          const [code, signal] = (await exited) as [number | null, string | null];
          expect({ code, signal }).to.deep.equal({ code: 0, signal: null });
          // What the server stored is in the state directory: a later process sees it.
          const after = json(await kmsKeys(['--state-dir', state.path, '--output', 'json', 'get', created.kid]));
          expect(after).to.deep.equal(created);
        } finally {
          client.destroy();
        }
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    });
  });
});
