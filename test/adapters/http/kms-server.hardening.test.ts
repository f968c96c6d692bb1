/**
 * The hardened endpoint: the Host guard of a loopback endpoint (DNS rebinding), the refusal of a non-loopback
 * address without authentication (and `insecureNoAuth`), `maxConnections`, and no CORS.
 */
import { expect } from 'chai';
import { exposureCheck, hostGuardFor, isLoopbackHost } from '../../../src/adapters/http/host-guard.js';
import { jwksEndpoint } from '../../../src/adapters/http/jwks-endpoint.js';
import { type KmsEndpoint, serveKms } from '../../../src/adapters/http/kms-server.js';
import { readServerOptions } from '../../../src/adapters/http/server-options.js';
import { SimulatedKms } from '../../../src/adapters/simulator/simulated-kms.js';
import { InvalidArgumentError } from '../../../src/domain/errors.js';
import { startKmsServer } from '../../../src/kms-endpoint.js';
import { AMZ_JSON, LIST_KEYS_HEADERS, type RawResponse, expectError, expectOk, openRaw, send } from './http-test-kit.js';

const JWKS = '/.well-known/jwks.json';

function expectNoCors(res: RawResponse): void {
  const cors = Object.keys(res.headers).filter((name) => name.startsWith('access-control-'));
  expect(cors, 'CORS headers').to.deep.equal([]);
}

describe('KMS wire endpoint: hardening', function () {
  this.timeout(20_000);
  let server: KmsEndpoint;
  let jwksLoads = 0;
  before(async () => {
    const jwks = jwksEndpoint({
      maxAgeSeconds: 60,
      load: async () => {
        jwksLoads++;
        return { body: { keys: [] }, version: 1 };
      },
    });
    server = await serveKms({ kms: new SimulatedKms(), getRoutes: { [JWKS]: jwks } });
  });
  after(() => server.close());

  describe('the Host guard of a loopback endpoint', () => {
    it('serves the loopback Host names, with or without a port, KMS requests and GET routes alike', async () => {
      const hosts = ['127.0.0.1', `127.0.0.1:${server.port}`, 'localhost', 'LocalHost:1', '[::1]', `[::1]:${server.port}`];
      for (const host of hosts) {
        expectOk(await send(server.url, { headers: { ...LIST_KEYS_HEADERS, Host: host }, body: '{}' }));
        const jwks = await send(server.url, { method: 'GET', path: JWKS, headers: { Host: host } });
        expect(jwks.status, host).to.equal(200);
      }
    });

    it('refuses any other Host with 403 AccessDeniedException naming the accepted hosts, before any route runs', async () => {
      const hosts = [
        'evil.example',
        `evil.example:${server.port}`,
        '127.0.0.1.evil.example',
        'localhost.evil.example:80',
        '127.0.0.2',
        '[::2]:80',
        '127.0.0.1:port',
        '[::1',
        '0.0.0.0',
        'kms',
      ];
      const loadsBefore = jwksLoads;
      for (const host of hosts) {
        for (const res of [
          await send(server.url, { headers: { ...LIST_KEYS_HEADERS, Host: host }, body: '{}' }),
          await send(server.url, { method: 'GET', path: JWKS, headers: { Host: host } }),
          await send(server.url, { method: 'OPTIONS', headers: { Host: host } }),
        ]) {
          const message = expectError(res, 403, 'AccessDeniedException');
          for (const accepted of ['127.0.0.1', 'localhost', '[::1]']) expect(message, host).to.include(accepted);
          expect(res.headers['connection'], host).to.equal('close');
          expectNoCors(res);
        }
      }
      expect(jwksLoads, 'the JWKS route never ran').to.equal(loadsBefore);
    });

    it('refuses a request without a Host header (HTTP/1.0 and 1.1) with the same JSON 403', async () => {
      for (const version of ['1.0', '1.1']) {
        const raw = await openRaw(server.url);
        await raw.write(
          `POST / HTTP/${version}\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: TrentService.ListKeys\r\n` +
            'Content-Length: 2\r\n\r\n{}',
        );
        const text = await raw.closed;
        expect(text, version).to.match(/^HTTP\/1\.1 403 /);
        expect(text, version).to.include('"__type":"AccessDeniedException"');
      }
    });

    it('accepts the address it is bound to; a non-loopback endpoint has no Host guard', () => {
      const guard = hostGuardFor('127.0.0.2');
      expect(guard?.('127.0.0.2:9')).to.equal(true);
      expect(guard?.('127.0.0.3')).to.equal(false);
      expect(hostGuardFor('::1')?.('[::1]:1')).to.equal(true);
      expect(hostGuardFor('localhost')?.('evil.example')).to.equal(false);
      for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.com', '']) expect(hostGuardFor(host), host).to.equal(undefined);
    });
  });

  describe('a non-loopback address needs credentials or insecureNoAuth', () => {
    it('tells loopback addresses apart', () => {
      for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) {
        expect(isLoopbackHost(host), host).to.equal(true);
      }
      for (const host of ['0.0.0.0', '::', '', '10.0.0.1', '128.0.0.1', '::2', 'localhost.example', 'example.com']) {
        expect(isLoopbackHost(host), host).to.equal(false);
      }
    });

    it('refuses to start on 0.0.0.0 or :: without credentials, naming both fixes, before listening', async () => {
      for (const host of ['0.0.0.0', '::', '192.0.2.1']) {
        const error = await startKmsServer({ host }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error, host).to.be.instanceOf(InvalidArgumentError);
        expect((error as Error).message).to.match(/^startKmsServer: host .* is not a loopback address/);
        expect((error as Error).message).to.include('give credentials').and.to.include('insecureNoAuth: true');
      }
      const notBoolean = await startKmsServer({ host: '0.0.0.0', insecureNoAuth: 'yes' as unknown as boolean }).catch((e: unknown) => e);
      expect(notBoolean).to.be.instanceOf(InvalidArgumentError).with.property('message').that.matches(/insecureNoAuth must be a boolean/);
      const badHook = await startKmsServer({ onWarning: 'stderr' as unknown as () => void }).catch((e: unknown) => e);
      expect(badHook).to.be.instanceOf(InvalidArgumentError).with.property('message').that.matches(/onWarning must be a function/);
    });

    it('with insecureNoAuth or credentials the options pass; only insecureNoAuth is an unauthenticated exposure, warned once', () => {
      const kms = new SimulatedKms();
      const warnings: string[] = [];
      const exposed = readServerOptions({ kms, host: '0.0.0.0', insecureNoAuth: true, onWarning: (m) => warnings.push(m) });
      expect(exposed.exposedWithoutAuth).to.equal(true);
      exposed.warn('one line');
      expect(warnings).to.deep.equal(['one line']);
      const signed = readServerOptions({ kms, host: '0.0.0.0', credentials: { accessKeyId: 'AKID', secretAccessKey: 's' } });
      expect(signed.exposedWithoutAuth).to.equal(false);
      expect(readServerOptions({ kms, insecureNoAuth: true }).exposedWithoutAuth, 'loopback').to.equal(false);
      expect(exposureCheck('x', '0.0.0.0', false, true)).to.equal(true);
      // A failing hook does not throw into the server.
      readServerOptions({ kms, onWarning: () => { throw new Error('hook'); } }).warn('ignored');
    });

    it('a loopback endpoint with insecureNoAuth starts without a warning', async () => {
      const warnings: string[] = [];
      const quiet = await startKmsServer({ insecureNoAuth: true, onWarning: (m) => warnings.push(m) });
      await quiet.close();
      expect(warnings).to.deep.equal([]);
    });
  });

  describe('maxConnections', () => {
    it('drops connections past the limit, and keeps serving those it holds', async () => {
      const limited = await startKmsServer({ maxConnections: 2 });
      const request =
        `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${AMZ_JSON}\r\nX-Amz-Target: TrentService.ListKeys\r\n` +
        'Content-Length: 2\r\n\r\n{}';
      try {
        const held = [await openRaw(limited.url), await openRaw(limited.url)];
        for (const raw of held) {
          const answered = new Promise<string>((resolve) => raw.socket.once('data', (c: Buffer) => resolve(c.toString('latin1'))));
          await raw.write(request);
          expect(await answered).to.match(/^HTTP\/1\.1 200 /);
        }
        const third = await openRaw(limited.url);
        await third.write(request).catch(() => undefined);
        expect(await third.closed, 'the third connection gets no answer').to.equal('');
        const first = held[0]!;
        const again = new Promise<string>((resolve) => first.socket.once('data', (c: Buffer) => resolve(c.toString('latin1'))));
        await first.write(request);
        expect(await again).to.match(/^HTTP\/1\.1 200 /);
        for (const raw of held) raw.socket.destroy();
      } finally {
        await limited.close();
      }
    });

    it('refuses a maxConnections that is not a positive integer', async () => {
      for (const maxConnections of [0, -1, 1.5]) {
        const error = await startKmsServer({ maxConnections }).catch((e: unknown) => e);
        expect(error, String(maxConnections)).to.be.instanceOf(InvalidArgumentError).with.property('message').that.matches(/maxConnections/);
      }
    });
  });

  describe('no CORS', () => {
    const preflight = {
      Origin: 'https://evil.example',
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'content-type,x-amz-target,authorization',
    };

    it('an OPTIONS preflight gets no grant, on the KMS API and on a GET route', async () => {
      const api = await send(server.url, { method: 'OPTIONS', headers: preflight });
      expectError(api, 405, 'UnknownOperationException');
      expect(api.headers['allow']).to.equal('POST');
      expectNoCors(api);
      const route = await send(server.url, { method: 'OPTIONS', path: JWKS, headers: preflight });
      expect(route.status).to.equal(405);
      expect(route.headers['allow']).to.equal('GET, HEAD');
      expectNoCors(route);
    });

    it('answers with an Origin carry no Access-Control-Allow-* header', async () => {
      const origin = { Origin: 'https://evil.example' };
      const ok = await send(server.url, { headers: { ...LIST_KEYS_HEADERS, ...origin }, body: '{}' });
      expectOk(ok);
      expectNoCors(ok);
      const failed = await send(server.url, { headers: { ...LIST_KEYS_HEADERS, ...origin }, body: '{' });
      expectError(failed, 400, 'SerializationException');
      expectNoCors(failed);
      const jwks = await send(server.url, { method: 'GET', path: JWKS, headers: origin });
      expect(jwks.status).to.equal(200);
      expectNoCors(jwks);
    });
  });
});

describe('KMS wire endpoint: requests node:http cannot take in', function () {
  this.timeout(20_000);
  let server: KmsEndpoint;
  before(async () => {
    server = await startKmsServer({ headersTimeoutMs: 100, requestTimeoutMs: 200 });
  });
  after(() => server.close());

  /** The status line, headers and JSON body of a raw answer. */
  function parseRaw(text: string): { status: number; headers: string; body: Record<string, unknown> } {
    const end = text.indexOf('\r\n\r\n');
    const head = text.slice(0, end);
    return { status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body: JSON.parse(text.slice(end + 4)) as Record<string, unknown> };
  }

  it('answers a malformed request, oversized headers and a timeout with a KMS-shaped JSON error and closes', async () => {
    const cases: Array<[string, number, string]> = [
      ['NOT A REQUEST\r\n\r\n', 400, 'SerializationException'],
      [`POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'RequestHeaderFieldsTooLargeException'],
      ['POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 400, 'SerializationException'],
      ['POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n', 408, 'RequestTimeoutException'],
    ];
    for (const [request, status, type] of cases) {
      const raw = await openRaw(server.url);
      await raw.write(request).catch(() => undefined);
      const answer = parseRaw(await raw.closed);
      expect(answer.status, request.slice(0, 30)).to.equal(status);
      expect(answer.headers).to.include(`content-type: ${AMZ_JSON}`).and.to.include('connection: close');
      expect(answer.headers).to.include(`x-amzn-errortype: ${type}`.toLowerCase());
      expect(answer.body['__type']).to.equal(type);
      expect(answer.body['message']).to.be.a('string');
    }
    expectOk(await send(server.url, { headers: LIST_KEYS_HEADERS, body: '{}' }));
  });

  it('garbage after a whole request: that request is answered, with Connection: close, and nothing else', async () => {
    const raw = await openRaw(server.url);
    await raw.write(
      `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${AMZ_JSON}\r\nX-Amz-Target: TrentService.ListKeys\r\n` +
        'Content-Length: 2\r\n\r\n{} garbage\r\n\r\n',
    );
    const text = await raw.closed;
    expect(text.match(/HTTP\/1\.1 /g), 'one answer').to.have.length(1);
    const answer = parseRaw(text);
    expect(answer.status).to.equal(200);
    expect(answer.headers).to.include('connection: close');
    expect(answer.body).to.have.property('Keys');
  });
});
