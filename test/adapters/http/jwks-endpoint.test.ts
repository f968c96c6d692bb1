/** The generic JWKS responder (jwks-endpoint.ts), as a GET route of serveKms. */
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { JWK_SET_JSON, jwksEndpoint, matchesIfNoneMatch, strongEtag } from '../../../src/adapters/http/jwks-endpoint.js';
import { type KmsEndpoint, serveKms } from '../../../src/adapters/http/kms-server.js';
import type { GetRoute } from '../../../src/adapters/http/server-options.js';
import { InvalidArgumentError } from '../../../src/domain/errors.js';
import { send, stubPort } from './http-test-kit.js';

const PATH = '/.well-known/jwks.json';
const SET_A = { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'a.1' }] };
const SET_B = { keys: [{ kty: 'EC', crv: 'P-256', x: 'x2', y: 'y2', kid: 'a.2' }] };

async function withRoute(route: GetRoute, test: (server: KmsEndpoint) => Promise<void>): Promise<void> {
  const server = await serveKms({ kms: stubPort(async () => ({})), getRoutes: { [PATH]: route } });
  try {
    await test(server);
  } finally {
    await server.close();
  }
}

describe('KMS wire endpoint: JWKS responder', function () {
  this.timeout(20_000);

  it('answers GET with the set, its content type, Cache-Control and a strong ETag of the body bytes', async () => {
    const route = jwksEndpoint({ load: async () => ({ body: SET_A, version: 1 }), maxAgeSeconds: 600 });
    await withRoute(route, async (server) => {
      const res = await send(server.url, { method: 'GET', path: PATH });
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.equal(JWK_SET_JSON);
      expect(res.headers['cache-control']).to.equal('public, max-age=600');
      expect(JSON.parse(res.text)).to.deep.equal(SET_A);
      expect(Number(res.headers['content-length'])).to.equal(Buffer.byteLength(res.text));
      const digest = createHash('sha256').update(res.text).digest('hex');
      expect(res.headers['etag']).to.equal(`"${digest}"`);
      // a query string is ignored
      expect((await send(server.url, { method: 'GET', path: `${PATH}?x=1` })).text).to.equal(res.text);
    });
  });

  it('answers HEAD with the headers only, and a matching If-None-Match with 304 and no body', async () => {
    const route = jwksEndpoint({ load: async () => ({ body: SET_A, version: 1 }), maxAgeSeconds: 0 });
    await withRoute(route, async (server) => {
      const get = await send(server.url, { method: 'GET', path: PATH });
      const etag = get.headers['etag'] as string;
      const head = await send(server.url, { method: 'HEAD', path: PATH });
      expect(head.status).to.equal(200);
      expect(head.text).to.equal('');
      expect(head.headers['etag']).to.equal(etag);
      expect(head.headers['content-length']).to.equal(get.headers['content-length']);
      expect(head.headers['cache-control']).to.equal('public, max-age=0');
      for (const value of [etag, `W/${etag}`, `"nope", ${etag}`, `"nope",${etag}`, '*', ' * ']) {
        for (const method of ['GET', 'HEAD']) {
          const res = await send(server.url, { method, path: PATH, headers: { 'If-None-Match': value } });
          expect(res.status, `${method} ${value}`).to.equal(304);
          expect(res.text).to.equal('');
          expect(res.headers['etag']).to.equal(etag);
          expect(res.headers['cache-control']).to.equal('public, max-age=0');
        }
      }
      for (const value of ['"nope"', etag.slice(1, -1), `${etag.slice(0, -2)}"`, '']) {
        const res = await send(server.url, { method: 'GET', path: PATH, headers: { 'If-None-Match': value } });
        expect(res.status, value).to.equal(200);
        expect(res.text).to.equal(get.text);
      }
    });
  });

  it('loads once while the version is unchanged, concurrent requests sharing the load, and again after it changes', async () => {
    let version = 1;
    let loads = 0;
    const route = jwksEndpoint({
      currentVersion: () => version,
      load: async () => {
        loads++;
        const seen = version;
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { body: seen === 1 ? SET_A : SET_B, version: seen };
      },
      maxAgeSeconds: 60,
    });
    await withRoute(route, async (server) => {
      const first = await Promise.all([1, 2, 3].map(() => send(server.url, { method: 'GET', path: PATH })));
      expect(loads).to.equal(1);
      expect(new Set(first.map((r) => r.headers['etag'])).size).to.equal(1);
      await send(server.url, { method: 'GET', path: PATH });
      await send(server.url, { method: 'HEAD', path: PATH });
      expect(loads).to.equal(1);
      version = 2;
      const second = await send(server.url, { method: 'GET', path: PATH });
      expect(loads).to.equal(2);
      expect(JSON.parse(second.text)).to.deep.equal(SET_B);
      expect(second.headers['etag']).not.to.equal(first[0]?.headers['etag']);
      await send(server.url, { method: 'GET', path: PATH });
      expect(loads).to.equal(2);
    });
  });

  it('never answers a request with a load that started before a write it follows', async () => {
    let version = 1;
    let loads = 0;
    const gates: Array<() => void> = [];
    const route = jwksEndpoint({
      currentVersion: () => version,
      load: async () => {
        loads++;
        const seen = version;
        await new Promise<void>((resolve) => gates.push(resolve));
        return { body: seen === 1 ? SET_A : SET_B, version: seen };
      },
      maxAgeSeconds: 60,
    });
    await withRoute(route, async (server) => {
      const before = send(server.url, { method: 'GET', path: PATH });
      while (gates.length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
      version = 2; // a write while the first load runs
      const after = send(server.url, { method: 'GET', path: PATH });
      while (gates.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
      gates[1]?.(); // the newer load finishes first
      gates[0]?.();
      expect(JSON.parse((await after).text)).to.deep.equal(SET_B);
      expect(JSON.parse((await before).text)).to.deep.equal(SET_A);
      // the older load did not overwrite the newer set
      expect(JSON.parse((await send(server.url, { method: 'GET', path: PATH })).text)).to.deep.equal(SET_B);
      expect(loads).to.equal(2);
    });
  });

  it('without currentVersion, loads on every request', async () => {
    let loads = 0;
    const route = jwksEndpoint({ load: async () => ({ body: { keys: [], n: ++loads }, version: loads }), maxAgeSeconds: 1 });
    await withRoute(route, async (server) => {
      await send(server.url, { method: 'GET', path: PATH });
      await send(server.url, { method: 'GET', path: PATH });
      expect(loads).to.equal(2);
    });
  });

  it('answers a failing load with 500 JSON without internals, reports it, and recovers', async () => {
    const reported: unknown[] = [];
    let fail = true;
    const route = jwksEndpoint({
      currentVersion: () => 1,
      load: () => {
        if (fail) throw new Error('secret path /var/lib/state');
        return Promise.resolve({ body: SET_A, version: 1 });
      },
      maxAgeSeconds: 5,
      report: (error) => reported.push(error),
    });
    await withRoute(route, async (server) => {
      const res = await send(server.url, { method: 'GET', path: PATH });
      expect(res.status).to.equal(500);
      expect(res.headers['content-type']).to.equal('application/json');
      expect(res.headers['cache-control']).to.equal('no-store');
      expect(JSON.parse(res.text)).to.deep.equal({ message: 'The key set is unavailable.' });
      expect(res.text).not.to.contain('secret');
      expect(reported).to.have.length(1);
      fail = false;
      expect((await send(server.url, { method: 'GET', path: PATH })).status).to.equal(200);
    });
  });

  it('matches If-None-Match by weak comparison, in lists, and * (RFC 9110 §13.1.2)', () => {
    const etag = strongEtag(new TextEncoder().encode('{}'));
    expect(etag).to.equal(`"${createHash('sha256').update('{}').digest('hex')}"`);
    expect(matchesIfNoneMatch(undefined, etag)).to.equal(false);
    expect(matchesIfNoneMatch(etag, etag)).to.equal(true);
    expect(matchesIfNoneMatch([`"a"`, etag], etag)).to.equal(true);
    expect(matchesIfNoneMatch(`"a", W/${etag}`, etag)).to.equal(true);
    expect(matchesIfNoneMatch('*', etag)).to.equal(true);
    expect(matchesIfNoneMatch('"a", "b"', etag)).to.equal(false);
    expect(matchesIfNoneMatch('garbage', etag)).to.equal(false);
  });

  it('refuses bad options with InvalidArgumentError', () => {
    const load = async () => ({ body: {}, version: 1 });
    for (const options of [null, {}, { load, maxAgeSeconds: -1 }, { load, maxAgeSeconds: 1.5 }, { load: 1, maxAgeSeconds: 1 }, { load, maxAgeSeconds: 1, currentVersion: 3 }]) {
      expect(() => jwksEndpoint(options as never), JSON.stringify(options)).to.throw(InvalidArgumentError);
    }
  });
});
