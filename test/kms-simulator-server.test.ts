/**
 * The simulator server (src/kms-simulator-server.ts): one endpoint for every account × Region, routed by the SigV4
 * credential scope, and the JWKS of the provider's keys, refreshed after writes — by this server or by another
 * process sharing the state (simulated here by a second SimulatedKms over the same stores).
 */
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeysCommand,
  NotFoundException,
  SignCommand,
} from '@aws-sdk/client-kms';
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { SimulatedKms } from '../src/adapters/simulator/simulated-kms.js';
import { InMemorySimulatorStore } from '../src/adapters/simulator/store/in-memory-store.js';
import type { SimulatorStore } from '../src/adapters/simulator/store/simulator-store.js';
import { AwsKmsKeyProvider } from '../src/aws-kms-key-provider.js';
import { InvalidArgumentError } from '../src/domain/errors.js';
import {
  type SimulatorServer,
  type SimulatorServerState,
  partitionKey,
  startSimulatorServer,
} from '../src/kms-simulator-server.js';
import type { KmsPort } from '../src/ports/kms.port.js';
import { type RawResponse, send } from './adapters/http/http-test-kit.js';

/** A state shared like the durable one: one store per partition, a generation bumped by every committed write. */
class SharedTestState implements SimulatorServerState {
  #generation = 0;
  readonly #stores = new Map<string, SimulatorStore>();
  closed = false;

  partition(accountId: string, region: string): SimulatorStore {
    const key = `${accountId}/${region}`;
    let store = this.#stores.get(key);
    if (store === undefined) {
      const inner = new InMemorySimulatorStore();
      const bump = (): void => {
        this.#generation++;
      };
      store = new Proxy(inner, {
        get(target, property) {
          const value: unknown = Reflect.get(target, property, target);
          if (property === 'transaction') {
            return async <T>(fn: Parameters<SimulatorStore['transaction']>[0]) => {
              const result = (await target.transaction(fn)) as T;
              bump();
              return result;
            };
          }
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      this.#stores.set(key, store);
    }
    return store;
  }

  generation(): number {
    return this.#generation;
  }

  close(): void {
    this.closed = true;
  }
}

const SECRET = 'x';

function client(server: SimulatorServer, region: string, accessKeyId: string): KMSClient {
  return new KMSClient({ endpoint: server.url, region, credentials: { accessKeyId, secretAccessKey: SECRET }, maxAttempts: 1 });
}

function getJwks(server: SimulatorServer, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return send(server.url, { method, path: '/.well-known/jwks.json', headers });
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Another process: its own SimulatedKms over the directory, rotating `kid` through the provider. */
async function rotateInChildProcess(stateDir: string, kid: string): Promise<void> {
  const script = `
    import { SimulatedKms } from ${JSON.stringify(join(ROOT, 'src/adapters/simulator/simulated-kms.ts'))};
    import { AwsKmsKeyProvider } from ${JSON.stringify(join(ROOT, 'src/aws-kms-key-provider.ts'))};
    const kms = new SimulatedKms({ stateDir: process.argv[1] });
    const ref = await new AwsKmsKeyProvider({ kms }).rotateKey(process.argv[2]);
    await kms.close();
    process.stdout.write(String(ref.version));
  `;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--no-experimental-require-module', '--input-type=module', '-e', script, stateDir, kid],
    { cwd: ROOT, timeout: 30_000 },
  );
  expect(stdout).to.equal('2');
}

const b64url = (data: Uint8Array | string): string => Buffer.from(data).toString('base64url');

/** A JWT signed by KMS Sign (PS256) through the SDK, with `kid` in its protected header. */
async function kmsSignedJwt(kms: KMSClient, keyId: string, kid: string, payload: Record<string, unknown>): Promise<string> {
  const input = `${b64url(JSON.stringify({ alg: 'PS256', kid, typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}`;
  const { Signature } = await kms.send(
    new SignCommand({ KeyId: keyId, Message: Buffer.from(input), MessageType: 'RAW', SigningAlgorithm: 'RSASSA_PSS_SHA_256' }),
  );
  return `${input}.${b64url(Signature as Uint8Array)}`;
}

describe('simulator server (every Region and account, and the JWKS)', function () {
  this.timeout(60_000);

  describe('partitions', () => {
    let server: SimulatorServer;
    const clients: KMSClient[] = [];
    const open = (region: string, accessKeyId: string): KMSClient => {
      const c = client(server, region, accessKeyId);
      clients.push(c);
      return c;
    };

    before(async () => {
      server = await startSimulatorServer({ port: 0 });
    });
    after(async () => {
      for (const c of clients) c.destroy();
      await server.close();
    });

    it('listens on 127.0.0.1 with the default Region and account', () => {
      expect(server.host).to.equal('127.0.0.1');
      expect(server.url).to.equal(`http://127.0.0.1:${server.port}`);
      expect(server.jwksUrl).to.equal(`${server.url}/.well-known/jwks.json`);
      expect(server.region).to.equal('us-east-1');
      expect(server.accountId).to.equal('111122223333');
    });

    it('keeps each account × Region apart, with ARNs of the caller’s account and Region', async () => {
      const a1 = open('us-east-1', '111111111111');
      const b1 = open('us-east-1', '222222222222');
      const a2 = open('eu-west-1', '111111111111');

      const created = await a1.send(new CreateKeyCommand({ Description: 'a1' }));
      const keyId = created.KeyMetadata?.KeyId as string;
      expect(created.KeyMetadata?.Arn).to.equal(`arn:aws:kms:us-east-1:111111111111:key/${keyId}`);
      expect(created.KeyMetadata?.AWSAccountId).to.equal('111111111111');
      await a1.send(new CreateAliasCommand({ AliasName: 'alias/only-a1', TargetKeyId: keyId }));

      const inB = await b1.send(new CreateKeyCommand({ Description: 'b1' }));
      expect(inB.KeyMetadata?.Arn).to.match(/^arn:aws:kms:us-east-1:222222222222:key\//);
      const inA2 = await a2.send(new CreateKeyCommand({ Description: 'a2' }));
      expect(inA2.KeyMetadata?.Arn).to.match(/^arn:aws:kms:eu-west-1:111111111111:key\//);

      for (const other of [b1, a2]) {
        const error = await other.send(new DescribeKeyCommand({ KeyId: keyId })).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).to.be.instanceOf(NotFoundException);
      }
      const keyIds = async (c: KMSClient) => ((await c.send(new ListKeysCommand({}))).Keys ?? []).map((k) => k.KeyId);
      expect(await keyIds(a1)).to.deep.equal([keyId]);
      expect(await keyIds(b1)).to.deep.equal([inB.KeyMetadata?.KeyId]);
      expect(await keyIds(a2)).to.deep.equal([inA2.KeyMetadata?.KeyId]);

      const aliasNames = async (c: KMSClient) => ((await c.send(new ListAliasesCommand({}))).Aliases ?? []).map((a) => a.AliasName);
      expect(await aliasNames(a1)).to.include('alias/only-a1');
      expect(await aliasNames(b1)).not.to.include('alias/only-a1');
      expect(await aliasNames(a2)).not.to.include('alias/only-a1');
      const alias = (await a1.send(new ListAliasesCommand({}))).Aliases?.find((a) => a.AliasName === 'alias/only-a1');
      expect(alias?.AliasArn).to.equal('arn:aws:kms:us-east-1:111111111111:alias/only-a1');
    });

    it('serves an access key ID that is not 12 digits from the default account', async () => {
      const named = open('ap-southeast-2', 'AKIAEXAMPLEKEY');
      const created = await named.send(new CreateKeyCommand({}));
      expect(created.KeyMetadata?.Arn).to.match(/^arn:aws:kms:ap-southeast-2:111122223333:key\//);
      const sameAccount = open('ap-southeast-2', 'ANOTHERKEYID');
      const listed = (await sameAccount.send(new ListKeysCommand({}))).Keys?.map((k) => k.KeyId);
      expect(listed).to.include(created.KeyMetadata?.KeyId);
      expect(await server.kms('111122223333', 'ap-southeast-2')).to.equal(await server.kms('111122223333', 'ap-southeast-2'));
    });

    it('serves unsigned requests from the default account and Region', async () => {
      const res = await send(server.url, {
        headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'TrentService.CreateKey' },
        body: '{}',
      });
      expect(res.status, res.text).to.equal(200);
      const arn = (JSON.parse(res.text) as { KeyMetadata: { Arn: string } }).KeyMetadata.Arn;
      expect(arn).to.match(/^arn:aws:kms:us-east-1:111122223333:key\//);
      const defaultKms = await server.kms();
      expect((await defaultKms.listKeys({})).Keys?.map((k) => k.KeyArn)).to.include(arn);
    });
  });

  describe('the JWKS, with a shared state written by another process', () => {
    let server: SimulatorServer;
    let state: SharedTestState;
    let kms: KMSClient;
    let provider: AwsKmsKeyProvider;

    before(async () => {
      state = new SharedTestState();
      server = await startSimulatorServer({ port: 0, state, jwksMaxAgeSeconds: 120 });
      kms = client(server, 'us-east-1', 'AKIDJWKSTEST');
      // the provider of an application, talking to the server over the wire
      provider = new AwsKmsKeyProvider({
        endpoint: server.url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIDJWKSTEST', secretAccessKey: SECRET },
        maxAttempts: 1,
      });
    });
    after(async () => {
      kms.destroy();
      await server.close();
      expect(state.closed, 'a given state is closed by whoever opened it').to.equal(false);
    });

    it('answers with the JWK Set content type, Cache-Control, a strong ETag, and 304 on If-None-Match', async () => {
      const res = await getJwks(server);
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.equal('application/jwk-set+json');
      expect(res.headers['cache-control']).to.equal('public, max-age=120');
      expect(res.headers['etag']).to.match(/^"[0-9a-f]{64}"$/);
      expect(JSON.parse(res.text)).to.deep.equal({ keys: [] });
      const etag = res.headers['etag'] as string;
      for (const ifNoneMatch of [etag, `"other", ${etag}`, `W/${etag}`, '*']) {
        const again = await getJwks(server, { 'If-None-Match': ifNoneMatch }, 'GET');
        expect(again.status, ifNoneMatch).to.equal(304);
        expect(again.text).to.equal('');
        expect(again.headers['etag']).to.equal(etag);
      }
      const head = await getJwks(server, {}, 'HEAD');
      expect(head.status).to.equal(200);
      expect(head.text).to.equal('');
      expect(head.headers['etag']).to.equal(etag);
    });

    it('verifies a JWT signed through KMS Sign with createRemoteJWKSet, and follows a rotation by another process', async () => {
      const ref = await provider.createKey({ klass: 'asym', alg: 'RSA_PSS_SHA256', sizeBits: 2048 });
      const first = await getJwks(server);
      const firstSet = JSON.parse(first.text) as { keys: Array<{ kid: string }> };
      expect(firstSet.keys.map((k) => k.kid)).to.deep.equal([`${ref.kid}.1`]);

      const jwks = createRemoteJWKSet(new URL(server.jwksUrl));
      const token = await kmsSignedJwt(kms, `alias/swarmauri/${ref.kid}`, `${ref.kid}.1`, { sub: 'alice' });
      const { payload, protectedHeader } = await jwtVerify(token, jwks);
      expect(payload['sub']).to.equal('alice');
      expect(protectedHeader.kid).to.equal(`${ref.kid}.1`);

      // another process: its own SimulatedKms and provider over the same state, no request to this server
      const elsewhere = new AwsKmsKeyProvider({
        kms: new SimulatedKms({ store: state.partition('111122223333', 'us-east-1'), region: 'us-east-1', accountId: '111122223333' }),
      });
      const rotated = await elsewhere.rotateKey(ref.kid);
      expect(rotated.version).to.equal(2);

      const second = await getJwks(server, { 'If-None-Match': first.headers['etag'] as string }, 'GET');
      expect(second.status).to.equal(200);
      expect(second.headers['etag']).to.match(/^"[0-9a-f]{64}"$/).and.not.equal(first.headers['etag']);
      const secondSet = JSON.parse(second.text) as { keys: Array<{ kid: string }> };
      expect(secondSet.keys.map((k) => k.kid)).to.deep.equal([`${ref.kid}.2`]);

      const newToken = await kmsSignedJwt(kms, `alias/swarmauri/${ref.kid}`, `${ref.kid}.2`, { sub: 'bob' });
      const fresh = createRemoteJWKSet(new URL(server.jwksUrl));
      expect((await jwtVerify(newToken, fresh)).payload['sub']).to.equal('bob');
    });

    it('publishes only the default partition’s keys', async () => {
      const other = new AwsKmsKeyProvider({
        endpoint: server.url,
        region: 'eu-west-1',
        credentials: { accessKeyId: '444455556666', secretAccessKey: SECRET },
        maxAttempts: 1,
      });
      const ref = await other.createKey({ klass: 'asym', alg: 'ECDSA_P256_SHA256' });
      const set = JSON.parse((await getJwks(server)).text) as { keys: Array<{ kid: string }> };
      expect(set.keys.map((k) => k.kid)).not.to.include(`${ref.kid}.1`);
      expect((await other.getKey(ref.kid)).tags['kms:arn']).to.match(/^arn:aws:kms:eu-west-1:444455556666:key\//);
    });
  });

  describe('the JWKS in memory (no state): refreshed after writes served', () => {
    let server: SimulatorServer;
    let loads: KmsPort[] = [];

    before(async () => {
      server = await startSimulatorServer({
        port: 0,
        aliasPrefix: 'tokens',
        region: 'eu-central-1',
        accountId: '123456789012',
        simulatorFor: (accountId, region) => {
          const kms = new SimulatedKms({ accountId, region });
          loads.push(kms);
          return kms;
        },
      });
    });
    after(async () => {
      loads = [];
      await server.close();
    });

    it('creates each partition once, and recomputes the set only after a write', async () => {
      expect(loads).to.have.length(1); // the default partition, at start
      const provider = new AwsKmsKeyProvider({
        endpoint: server.url,
        region: 'eu-central-1',
        credentials: { accessKeyId: '123456789012', secretAccessKey: SECRET },
        maxAttempts: 1,
        aliasPrefix: 'tokens',
      });
      const ref = await provider.createKey({ klass: 'asym', alg: 'ECDSA_P256_SHA256' });
      expect(loads).to.have.length(1);
      const first = await getJwks(server);
      const kids = (JSON.parse(first.text) as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid);
      expect(kids).to.deep.equal([`${ref.kid}.1`]);
      expect((await getJwks(server)).headers['etag']).to.equal(first.headers['etag']);
      await provider.rotateKey(ref.kid);
      const second = await getJwks(server);
      expect(second.headers['etag']).not.to.equal(first.headers['etag']);
      expect((JSON.parse(second.text) as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid)).to.deep.equal([`${ref.kid}.2`]);
    });
  });

  describe('over a state directory, rotated by a real child process', () => {
    let dir: string;
    let server: SimulatorServer;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'kms-serve-test-'));
      server = await startSimulatorServer({ port: 0, stateDir: dir });
    });
    after(async () => {
      await server?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('refreshes the JWKS after another process rotates a kid, and keeps keys across a restart', async () => {
      const provider = new AwsKmsKeyProvider({
        endpoint: server.url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIDDURABLE', secretAccessKey: SECRET },
        maxAttempts: 1,
      });
      const ref = await provider.createKey({ klass: 'asym', alg: 'ECDSA_P256_SHA256' });
      const first = await getJwks(server);
      expect((JSON.parse(first.text) as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid)).to.deep.equal([`${ref.kid}.1`]);
      expect((await getJwks(server, { 'If-None-Match': first.headers['etag'] as string })).status).to.equal(304);

      await rotateInChildProcess(dir, ref.kid);
      const second = await getJwks(server, { 'If-None-Match': first.headers['etag'] as string });
      expect(second.status).to.equal(200);
      expect(second.headers['etag']).not.to.equal(first.headers['etag']);
      expect((JSON.parse(second.text) as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid)).to.deep.equal([`${ref.kid}.2`]);

      await server.close();
      server = await startSimulatorServer({ port: 0, stateDir: dir });
      const again = await getJwks(server);
      expect(again.headers['etag']).to.equal(second.headers['etag']);
      const restarted = new AwsKmsKeyProvider({
        endpoint: server.url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIDDURABLE', secretAccessKey: SECRET },
        maxAttempts: 1,
      });
      expect((await restarted.getKey(ref.kid)).version).to.equal(2);
    });

    it('keeps partitions apart in the state directory too', async () => {
      const a = client(server, 'eu-west-1', '111111111111');
      const b = client(server, 'eu-west-1', '222222222222');
      try {
        const created = await a.send(new CreateKeyCommand({}));
        expect(created.KeyMetadata?.Arn).to.match(/^arn:aws:kms:eu-west-1:111111111111:key\//);
        const inB = (await b.send(new ListKeysCommand({}))).Keys?.map((k) => k.KeyId);
        expect(inB).not.to.include(created.KeyMetadata?.KeyId);
      } finally {
        a.destroy();
        b.destroy();
      }
    });
  });

  describe('seed', () => {
    it('seeds each entry into the partition it names, the default one when it names none', async () => {
      const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
      const kid = '5eedc0ffee00abcd';
      const providerKey = {
        KeyId: '5eed0000-0000-4000-8000-00000000abcd',
        KeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
        Aliases: [`alias/tokens/${kid}`, `alias/tokens/${kid}/v1`],
        Tags: { 'saur:kid': kid, 'saur:version': '1', 'saur:alg': 'ECDSA_P256_SHA256' },
        PrivateKeyPem: pem,
      } as const;
      const elsewhere = { KeyId: '5eed0000-0000-4000-8000-00000000beef', KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', Region: 'eu-west-1', AccountId: '222222222222', Aliases: ['alias/elsewhere'] } as const;
      const server = await startSimulatorServer({ port: 0, aliasPrefix: 'tokens', seed: [providerKey, elsewhere] });
      try {
        const set = JSON.parse((await getJwks(server)).text) as { keys: Array<{ kid: string; crv: string }> };
        expect(set.keys.map((k) => [k.kid, k.crv])).to.deep.equal([[`${kid}.1`, 'P-256']]);
        const defaultKeys = (await (await server.kms()).listKeys({})).Keys?.map((k) => k.KeyId);
        expect(defaultKeys).to.deep.equal([providerKey.KeyId]);
        const other = client(server, 'eu-west-1', '222222222222');
        try {
          const described = await other.send(new DescribeKeyCommand({ KeyId: 'alias/elsewhere' }));
          expect(described.KeyMetadata?.Arn).to.equal(`arn:aws:kms:eu-west-1:222222222222:key/${elsewhere.KeyId}`);
        } finally {
          other.destroy();
        }
      } finally {
        await server.close();
      }
    });

    it('refuses an invalid seed before listening', async () => {
      const error = await startSimulatorServer({ port: 0, seed: 'Keys: 5', seedSource: 'seed.yaml' }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(InvalidArgumentError);
      expect((error as Error).message).to.match(/^seed\.yaml: /);
    });
  });

  describe('options', () => {
    it('picks the partition of a caller', () => {
      const defaults = { accountId: '111122223333', region: 'us-east-1' };
      expect(partitionKey({ region: undefined, accessKeyId: undefined }, defaults)).to.deep.equal(defaults);
      expect(partitionKey({ region: 'eu-west-1', accessKeyId: '222222222222' }, defaults)).to.deep.equal({
        accountId: '222222222222',
        region: 'eu-west-1',
      });
      for (const accessKeyId of ['AKIAIOSFODNN7EXAMPLE', '12345678901', '1234567890123', '22222222222a']) {
        expect(partitionKey({ region: 'eu-west-1', accessKeyId }, defaults).accountId, accessKeyId).to.equal('111122223333');
      }
    });

    it('refuses bad options with InvalidArgumentError before listening', async () => {
      const bad: unknown[] = [
        { accountId: '123' },
        { region: 'mars' },
        { jwksMaxAgeSeconds: -1 },
        { jwksMaxAgeSeconds: 1.5 },
        { jwksInclude: 'all' },
        { jwksInclude: null },
        { jwksX5c: 'yes' },
        { state: new SharedTestState(), stateDir: '/tmp/x' },
        { simulatorFor: 'no' },
        { port: 70_000 },
      ];
      for (const options of bad) {
        const error = await startSimulatorServer({ port: 0, ...(options as object) }).then(
          async (s) => {
            await s.close();
            return undefined;
          },
          (e: unknown) => e,
        );
        expect(error, JSON.stringify(options)).to.be.instanceOf(InvalidArgumentError);
      }
    });

    it('refuses a non-loopback host without credentials or insecureNoAuth, before opening the state directory', async () => {
      const parent = mkdtempSync(join(tmpdir(), 'sim-exposed-'));
      try {
        const stateDir = join(parent, 'state');
        for (const host of ['0.0.0.0', '::']) {
          const error = await startSimulatorServer({ port: 0, host, stateDir }).then(
            async (s) => {
              await s.close();
              return undefined;
            },
            (e: unknown) => e,
          );
          expect(error, host).to.be.instanceOf(InvalidArgumentError);
          expect((error as Error).message).to.match(/^startSimulatorServer: host .* is not a loopback address/);
          expect((error as Error).message).to.include('give credentials').and.to.include('insecureNoAuth: true');
        }
        expect(existsSync(stateDir), 'the state directory').to.equal(false);
      } finally {
        rmSync(parent, { recursive: true, force: true });
      }
    });

    it('serves only loopback Host names, the JWKS included (a DNS-rebinding guard)', async () => {
      const server = await startSimulatorServer({ port: 0 });
      try {
        for (const path of ['/.well-known/jwks.json', '/']) {
          const refused = await send(server.url, { method: path === '/' ? 'POST' : 'GET', path, headers: { Host: `rebind.example:${server.port}` } });
          expect(refused.status, path).to.equal(403);
          expect(JSON.parse(refused.text)).to.include({ __type: 'AccessDeniedException' });
        }
        const served = await send(server.jwksUrl, { method: 'GET', path: '/.well-known/jwks.json', headers: { Host: `localhost:${server.port}` } });
        expect(served.status).to.equal(200);
      } finally {
        await server.close();
      }
    });

    it('with credentials, verifies every KMS request (one account per 12-digit access key) but not the JWKS', async () => {
      const one = { accessKeyId: '111111111111', secretAccessKey: 'one' };
      const two = { accessKeyId: '222222222222', secretAccessKey: 'two' };
      const server = await startSimulatorServer({ port: 0, credentials: [one, two] });
      const clients = [one, two].map((credentials) => new KMSClient({ endpoint: server.url, region: 'eu-north-1', credentials, maxAttempts: 1 }));
      try {
        const [a, b] = clients as [KMSClient, KMSClient];
        const created = await a.send(new CreateKeyCommand({}));
        expect(created.KeyMetadata?.Arn).to.match(/^arn:aws:kms:eu-north-1:111111111111:key\//);
        expect((await b.send(new ListKeysCommand({}))).Keys).to.deep.equal([]);
        const wrong = client(server, 'eu-north-1', '111111111111'); // secret 'x'
        clients.push(wrong);
        const error = await wrong.send(new ListKeysCommand({})).catch((e: Error) => e);
        expect((error as Error).name).to.equal('InvalidSignatureException');
        const unsigned = await send(server.url, {
          headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'TrentService.ListKeys' },
          body: '{}',
        });
        expect(unsigned.status).to.equal(400);
        expect((await getJwks(server)).status).to.equal(200);
      } finally {
        for (const c of clients) c.destroy();
        await server.close();
      }
    });

    it('close() is idempotent', async () => {
      const server = await startSimulatorServer({ port: 0 });
      const closing = server.close();
      expect(server.close()).to.equal(closing);
      await closing;
    });
  });
});
