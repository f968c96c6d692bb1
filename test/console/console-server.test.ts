/**
 * The console over HTTP (startSimulatorServer's `/ui/`, src/console/console-server.ts), without a browser: on and
 * off, the Host check, credentials asked for, actions refused without `uiActions` and guarded by the CSRF token,
 * the request log (bounded, live, never a payload), and no private material in anything it serves.
 */
import { expect } from 'chai';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readConsoleOptions, simulatorConsole } from '../../src/console/console-options.js';
import { SimulatedKms } from '../../src/adapters/simulator/simulated-kms.js';
import { InvalidArgumentError } from '../../src/domain/errors.js';
import { type SimulatorServer, type SimulatorServerOptions, startSimulatorServer } from '../../src/kms-simulator-server.js';
import { KmsKeyProvider } from '../../src/provider/kms-key-provider.js';
import { call, send } from '../adapters/http/http-test-kit.js';
import { rejection } from '../support/rejection.js';

const PLAINTEXT = 'console-server-plaintext-41d9';

describe('the console over HTTP (startSimulatorServer /ui/)', function () {
  const servers: SimulatorServer[] = [];
  const start = async (options: SimulatorServerOptions = {}): Promise<SimulatorServer> => {
    const server = await startSimulatorServer({ port: 0, ...options });
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  const get = (server: SimulatorServer, path: string, headers: Record<string, string> = {}) => send(server.url, { method: 'GET', path, headers });
  const tokenOf = (page: string): string => /<meta name="csrf-token" content="([^"]+)">/.exec(page)![1]!;
  const postAction = (server: SimulatorServer, action: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    send(server.url, {
      path: `/ui/actions/${action}`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    });

  it('is served by default at /ui/ (and /ui redirects there), with the security headers; ui: false answers 404', async () => {
    const on = await start();
    const page = await get(on, '/ui/');
    expect(page.status).to.equal(200);
    expect(page.headers['content-type']).to.equal('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).to.contain("default-src 'none'").and.contain("script-src 'self'");
    expect(page.headers).to.include({ 'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' });
    expect(page.text).not.to.match(/<script>|<style>| style=| on[a-z]+=/); // nothing inline: the CSP would block it
    expect((await get(on, '/ui')).headers.location).to.equal('/ui/');
    const off = await start({ ui: false });
    expect((await get(off, '/ui/')).status).to.equal(404);
    expect((await get(off, '/ui/assets/console.js')).status).to.equal(404);
  });

  it('the Host check is the endpoint\'s: another Host gets 403 before any page', async () => {
    const server = await start();
    const refused = await get(server, '/ui/', { Host: 'rebound.example:4599' });
    expect(refused.status).to.equal(403);
    expect(JSON.parse(refused.text)).to.include({ __type: 'AccessDeniedException' });
    expect((await get(server, '/ui/', { Host: `localhost:${server.port}` })).status).to.equal(200);
  });

  it('with credentials configured it asks for them (HTTP Basic: access key ID, secret access key)', async () => {
    const server = await start({ credentials: { accessKeyId: 'AKIDCONSOLE', secretAccessKey: 'console-secret' } });
    const asked = await get(server, '/ui/');
    expect(asked.status).to.equal(401);
    expect(asked.headers['www-authenticate']).to.match(/^Basic realm="kms-keys console"/);
    const basic = (text: string) => ({ Authorization: `Basic ${Buffer.from(text).toString('base64')}` });
    expect((await get(server, '/ui/', basic('AKIDCONSOLE:wrong'))).status).to.equal(401);
    expect((await get(server, '/ui/', basic('AKIDCONSOLE:console-secret'))).status).to.equal(200);
  });

  it('without uiActions an action is refused with 403 naming --ui-actions; with it, the CSRF token is required', async () => {
    const readOnly = await start();
    const provider = new KmsKeyProvider({ kms: await readOnly.kms() });
    const { kid } = await provider.createKey({ klass: 'asym', alg: 'ECDSA_P256_SHA256' });
    const token = tokenOf((await get(readOnly, `/ui/kids/${kid}`)).text);
    const refused = await postAction(readOnly, 'rotate', { csrf: token, kid });
    expect(refused.status).to.equal(403);
    expect(refused.text).to.contain('--ui-actions');
    expect(await provider.listVersions(kid)).to.deep.equal([1]);

    const server = await start({ uiActions: true });
    const kmsProvider = new KmsKeyProvider({ kms: await server.kms() });
    const made = await kmsProvider.createKey({ klass: 'asym', alg: 'ECDSA_P256_SHA256' });
    expect((await postAction(server, 'rotate', { kid: made.kid })).status).to.equal(403); // no token
    expect((await postAction(server, 'rotate', { csrf: token, kid: made.kid })).status).to.equal(403); // another server's token
    const own = tokenOf((await get(server, '/ui/')).text);
    const crossSite = await postAction(server, 'rotate', { csrf: own, kid: made.kid }, { Origin: 'http://evil.example', 'Sec-Fetch-Site': 'cross-site' });
    expect(crossSite.status).to.equal(403);
    expect(await kmsProvider.listVersions(made.kid)).to.deep.equal([1]);
    const done = await postAction(server, 'rotate', { csrf: own, kid: made.kid });
    expect(done.status).to.equal(303);
    expect(done.headers.location).to.match(new RegExp(`^/ui/kids/${made.kid}\\?done=\\d+$`));
    expect((await get(server, done.headers.location!)).text).to.contain(`Rotated ${made.kid}: v2 is the latest.`);
    expect(await kmsProvider.listVersions(made.kid)).to.deep.equal([1, 2]);
    const failed = await postAction(server, 'retire', { csrf: own, kid: made.kid, version: '2' });
    expect(failed.status).to.equal(409); // the provider's refusal: v2 is the latest
    expect(failed.text).to.contain('is the latest');
  });

  it('an action that is not a form of at most 16 KiB is a 400 page, and changes nothing', async () => {
    const server = await start({ uiActions: true });
    const provider = new KmsKeyProvider({ kms: await server.kms() });
    const { kid } = await provider.createKey({ klass: 'asym', alg: 'ECDSA_P256_SHA256' });
    const csrf = tokenOf((await get(server, '/ui/')).text);
    const huge = await postAction(server, 'rotate', { csrf, kid, padding: 'x'.repeat(17 * 1024) });
    expect(huge.status).to.equal(400);
    expect(huge.text).to.contain('at most 16 KiB');
    const json = await send(server.url, {
      path: '/ui/actions/rotate',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ kid }),
    });
    expect(json.status).to.equal(400);
    expect(await provider.listVersions(kid)).to.deep.equal([1]);
  });

  it('the request log: partition, operation, key (Decrypt without KeyId: from the ciphertext), bounded by uiLogSize', async () => {
    const server = await start({ uiLogSize: 3 });
    const created = JSON.parse((await call(server.url, 'TrentService.CreateKey', {})).text) as { KeyMetadata: { KeyId: string } };
    const keyId = created.KeyMetadata.KeyId;
    const plaintext = Buffer.from(PLAINTEXT).toString('base64');
    const encrypted = JSON.parse((await call(server.url, 'TrentService.Encrypt', { KeyId: keyId, Plaintext: plaintext })).text) as { CiphertextBlob: string };
    await call(server.url, 'TrentService.Decrypt', { CiphertextBlob: encrypted.CiphertextBlob });
    const signedScope = 'AWS4-HMAC-SHA256 Credential=222222222222/20260101/eu-west-1/kms/aws4_request, SignedHeaders=host, Signature=' + '0'.repeat(64);
    await call(server.url, 'TrentService.DescribeKey', { KeyId: 'alias/none' }, { Authorization: signedScope });
    const log = (await get(server, '/ui/log')).text;
    const rows = [...log.matchAll(/<tr data-id="(\d+)" data-operation="([A-Za-z]+)" data-status="(\d+)">([\s\S]*?)<\/tr>/g)];
    expect(rows.map((r) => [r[1], r[2], r[3]])).to.deep.equal([
      ['4', 'DescribeKey', '400'],
      ['3', 'Decrypt', '200'],
      ['2', 'Encrypt', '200'],
    ]);
    expect(rows[0]![4]).to.contain('222222222222').and.contain('eu-west-1').and.contain('alias/none').and.contain('NotFoundException');
    expect(rows[1]![4]).to.contain(`${keyId}`).and.contain('(from the ciphertext)');
    expect(rows[2]![4]).to.contain('111122223333').and.contain('us-east-1').and.contain(keyId);
    for (const secret of [PLAINTEXT, plaintext, encrypted.CiphertextBlob]) expect(log).not.to.contain(secret);
    const filtered = (await get(server, '/ui/log?operation=Encrypt&status=success')).text;
    expect([...filtered.matchAll(/data-operation="([A-Za-z]+)"/g)].map((m) => m[1])).to.deep.equal(['Encrypt']);
  });

  it('the live log streams each new request as a server-sent event, and close() ends the stream', async () => {
    const server = await start();
    await call(server.url, 'TrentService.ListKeys', {});
    const events: string[] = [];
    let ended: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (ended = resolve));
    let sawSecond: () => void = () => undefined;
    const second = new Promise<void>((resolve) => (sawSecond = resolve));
    request(new URL('/ui/log/events?after=0', server.url), (res) => {
      expect(res.headers['content-type']).to.equal('text/event-stream; charset=utf-8');
      res.on('data', (chunk: Buffer) => {
        events.push(chunk.toString());
        if (events.join('').includes('"operation":"GenerateRandom"')) sawSecond();
      });
      res.on('end', ended);
    }).end();
    const first = new Promise<void>((resolve) => {
      const poll = (): void => (events.join('').includes('"operation":"ListKeys"') ? resolve() : void setImmediate(poll));
      poll();
    });
    await first;
    await call(server.url, 'TrentService.GenerateRandom', { NumberOfBytes: 8 });
    await second;
    const text = events.join('');
    expect(text).to.match(/id: 1\ndata: \{"id":1,.*"operation":"ListKeys"/);
    expect(text).to.match(/id: 2\ndata: \{"id":2,.*"operation":"GenerateRandom"/);
    await server.close();
    await done;
  });

  it('serves no private material: no page or asset has a PEM private key or a plaintext', async () => {
    const server = await start({ uiActions: true });
    const kms = await server.kms();
    const provider = new KmsKeyProvider({ kms });
    const { kid } = await provider.createKey({ klass: 'asym', alg: 'RSA_PSS_SHA256', sizeBits: 2048 });
    const symmetric = (await kms.createKey({})).KeyMetadata.KeyId;
    await kms.encrypt({ KeyId: symmetric, Plaintext: Buffer.from(PLAINTEXT) });
    const signing = (await kms.describeKey({ KeyId: `alias/swarmauri/${kid}` })).KeyMetadata.KeyId;
    const paths = ['/ui/', `/ui/keys/${signing}`, `/ui/keys/${symmetric}`, '/ui/kids', `/ui/kids/${kid}`, `/ui/kids/${kid}/confirm?action=rotate`, '/ui/jwks', '/ui/log', '/ui/assets/console.js', '/ui/assets/console.css'];
    const bodies = await Promise.all(paths.map(async (path) => {
      const res = await get(server, path);
      expect(res.status, path).to.equal(200);
      return res.text;
    }));
    const all = bodies.join('\n');
    expect(all).to.contain('-----BEGIN PUBLIC KEY-----');
    for (const secret of ['PRIVATE KEY', PLAINTEXT, Buffer.from(PLAINTEXT).toString('base64')]) expect(all).not.to.contain(secret);
    expect(bodies[2]).to.contain('Automatic rotation'); // the symmetric key's rotation status
  });

  it('a console told it listens on a non-loopback address is refused without credentials, asks for them with', async () => {
    const kms = new SimulatedKms({ region: 'us-east-1', accountId: '111122223333' });
    const parts = {
      host: '0.0.0.0',
      aliasPrefix: 'swarmauri',
      accountId: '111122223333',
      region: 'us-east-1',
      kms: async () => kms,
      partitionKeys: () => ['111122223333/us-east-1'],
      jwks: async () => ({ bytes: Buffer.from('{"keys":[]}'), etag: '"x"', cacheControl: 'public, max-age=1' }),
      onInternalError: undefined,
    };
    const settings = readConsoleOptions({}, 'test');
    for (const [credentials, status] of [
      [undefined, 403],
      [{ accessKeyId: 'AKID', secretAccessKey: 'secret' }, 401],
    ] as const) {
      const ui = simulatorConsole(settings, { ...parts, credentials })!;
      // Served here on loopback (tests never bind elsewhere); the console believes what it was told: 0.0.0.0.
      const http = createServer((req, res) => void ui.route(req, res));
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      try {
        const res = await send(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { method: 'GET', path: '/ui/' });
        expect(res.status).to.equal(status);
        if (status === 403) expect(res.text).to.match(/only on a loopback address/);
      } finally {
        await new Promise((resolve) => http.close(resolve));
      }
    }
    expect(simulatorConsole(readConsoleOptions({ ui: false }, 'test'), { ...parts, credentials: undefined })).to.equal(undefined);
  });

  it('refuses a malformed partition (400) and an unknown page (404), and checks its options', async () => {
    const server = await start();
    expect((await get(server, '/ui/?account=12')).status).to.equal(400);
    expect((await get(server, '/ui/?region=Mars')).status).to.equal(400);
    expect((await get(server, '/ui/nothing-here')).status).to.equal(404);
    expect((await get(server, '/ui/kids/0123456789abcdef')).status).to.equal(404);
    expect((await send(server.url, { method: 'DELETE', path: '/ui/' })).status).to.equal(405);
    expect(await rejection(startSimulatorServer({ port: 0, uiLogSize: 0 }))).to.be.instanceOf(InvalidArgumentError);
    expect(await rejection(startSimulatorServer({ port: 0, ui: 'yes' as unknown as boolean }))).to.be.instanceOf(InvalidArgumentError);
  });
});
