/** serveKms routing: a KmsPort per caller (`kmsFor`), with and without SigV4 verification, and GET routes. */
import { GenerateRandomCommand, KMSClient } from '@aws-sdk/client-kms';
import { expect } from 'chai';
import type { KmsCaller } from '../../../src/adapters/http/kms-caller.js';
import { type KmsEndpoint, serveKms } from '../../../src/adapters/http/kms-server.js';
import { KmsException } from '../../../src/adapters/kms-exception.js';
import { InvalidArgumentError } from '../../../src/domain/errors.js';
import type { KmsPort } from '../../../src/ports/kms.port.js';
import { LIST_KEYS_HEADERS, call, expectError, expectOk, send, stubPort } from './http-test-kit.js';

/** A port that answers GenerateRandom with bytes naming the caller it was resolved for. */
function portFor(caller: KmsCaller): KmsPort {
  return stubPort(async (method) => {
    if (method !== 'generateRandom') throw new KmsException('NotFoundException', method);
    return { Plaintext: new TextEncoder().encode(`${caller.accessKeyId ?? '-'}@${caller.region ?? '-'}`) };
  });
}

async function whoAnswers(client: KMSClient): Promise<string> {
  const { Plaintext } = await client.send(new GenerateRandomCommand({ NumberOfBytes: 1 }));
  return new TextDecoder().decode(Plaintext);
}

describe('KMS wire endpoint: routing', function () {
  this.timeout(20_000);
  const clients: KMSClient[] = [];
  const sdk = (server: KmsEndpoint, region: string, accessKeyId: string, secretAccessKey = 's'): KMSClient => {
    const client = new KMSClient({ endpoint: server.url, region, credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
    clients.push(client);
    return client;
  };
  after(() => {
    for (const client of clients) client.destroy();
  });

  describe('kmsFor without verification', () => {
    let server: KmsEndpoint;
    const callers: KmsCaller[] = [];
    const internal: unknown[] = [];

    before(async () => {
      server = await serveKms({
        kmsFor: async (caller) => {
          callers.push(caller);
          if (caller.region === 'ap-east-1') throw new KmsException('InvalidSignatureException', 'not served');
          if (caller.region === 'me-south-1') throw new Error('resolver bug');
          return portFor(caller);
        },
        onInternalError: (e) => internal.push(e),
      });
    });
    after(() => server.close());

    it('resolves the port of each request from its credential scope', async () => {
      expect(await whoAnswers(sdk(server, 'eu-west-1', 'AKIDONE'))).to.equal('AKIDONE@eu-west-1');
      expect(await whoAnswers(sdk(server, 'us-west-2', '222222222222'))).to.equal('222222222222@us-west-2');
      expect(server).not.to.have.property('kms');
    });

    it('resolves unsigned and malformed-signature requests as an unsigned caller', async () => {
      const unsigned = expectOk(await call(server.url, 'TrentService.GenerateRandom', { NumberOfBytes: 1 }));
      expect(Buffer.from(unsigned['Plaintext'] as string, 'base64').toString()).to.equal('-@-');
      const malformed = await call(server.url, 'TrentService.GenerateRandom', {}, { Authorization: 'AWS4-HMAC-SHA256 Credential=x/y' });
      expect(Buffer.from(expectOk(malformed)['Plaintext'] as string, 'base64').toString()).to.equal('-@-');
    });

    it('answers a KMS error of the resolver as such, anything else as KMSInternalException', async () => {
      const refused = await sdk(server, 'ap-east-1', 'AKID').send(new GenerateRandomCommand({ NumberOfBytes: 1 })).catch((e: Error) => e);
      expect((refused as Error).name).to.equal('InvalidSignatureException');
      const before = internal.length;
      const bug = await sdk(server, 'me-south-1', 'AKID').send(new GenerateRandomCommand({ NumberOfBytes: 1 })).catch((e: Error) => e);
      expect((bug as Error).name).to.equal('KMSInternalException');
      expect(internal.length).to.equal(before + 1);
    });

    it('resolves only requests that get that far (path, method, content type and target first)', async () => {
      const count = callers.length;
      await send(server.url, { path: '/x', headers: LIST_KEYS_HEADERS });
      await send(server.url, { method: 'GET', headers: LIST_KEYS_HEADERS });
      await call(server.url, 'TrentService.ListKeys', {}, { 'Content-Type': 'application/json' });
      await call(server.url, 'TrentService.Nothing');
      expect(callers.length).to.equal(count);
    });
  });

  describe('kmsFor with SigV4 verification', () => {
    let server: KmsEndpoint;
    const credentials = { accessKeyId: 'AKIDROUTED', secretAccessKey: 'routed-secret' };

    before(async () => {
      server = await serveKms({ kmsFor: portFor, credentials });
    });
    after(() => server.close());

    it('verifies each request for the Region of its scope and routes it there', async () => {
      for (const region of ['eu-west-1', 'us-east-2', 'cn-north-1']) {
        expect(await whoAnswers(sdk(server, region, credentials.accessKeyId, credentials.secretAccessKey))).to.equal(
          `AKIDROUTED@${region}`,
        );
      }
    });

    it('still refuses unsigned, wrongly signed and unknown-Region requests', async () => {
      expectError(await call(server.url, 'TrentService.GenerateRandom', { NumberOfBytes: 1 }), 400, 'MissingAuthenticationTokenException');
      const wrong = await sdk(server, 'eu-west-1', credentials.accessKeyId, 'wrong').send(new GenerateRandomCommand({ NumberOfBytes: 1 })).catch((e: Error) => e);
      expect((wrong as Error).name).to.equal('InvalidSignatureException');
      const mars = await sdk(server, 'mars', credentials.accessKeyId, credentials.secretAccessKey)
        .send(new GenerateRandomCommand({ NumberOfBytes: 1 }))
        .catch((e: Error) => e);
      expect((mars as Error).name).to.equal('InvalidSignatureException');
      expect((mars as Error).message).to.equal("Credential should be scoped to a valid region, not 'mars'.");
    });
  });

  describe('several credentials', () => {
    let server: KmsEndpoint;
    const one = { accessKeyId: '111111111111', secretAccessKey: 'one-secret' };
    const two = { accessKeyId: '222222222222', secretAccessKey: 'two-secret', sessionToken: 'two-token' };

    before(async () => {
      server = await serveKms({ kmsFor: portFor, credentials: [one, two] });
    });
    after(() => server.close());

    it('accepts a signature by any of them, each with its own secret and session token', async () => {
      expect(await whoAnswers(sdk(server, 'eu-west-1', one.accessKeyId, one.secretAccessKey))).to.equal('111111111111@eu-west-1');
      const withToken = new KMSClient({ endpoint: server.url, region: 'us-east-1', credentials: two, maxAttempts: 1 });
      clients.push(withToken);
      expect(await whoAnswers(withToken)).to.equal('222222222222@us-east-1');
      const swapped = await sdk(server, 'eu-west-1', one.accessKeyId, two.secretAccessKey)
        .send(new GenerateRandomCommand({ NumberOfBytes: 1 }))
        .catch((e: Error) => e);
      expect((swapped as Error).name).to.equal('InvalidSignatureException');
      const untokened = await sdk(server, 'eu-west-1', two.accessKeyId, two.secretAccessKey)
        .send(new GenerateRandomCommand({ NumberOfBytes: 1 }))
        .catch((e: Error) => e);
      expect((untokened as Error).name).to.equal('UnrecognizedClientException');
      const unknown = await sdk(server, 'eu-west-1', '333333333333', 'x').send(new GenerateRandomCommand({ NumberOfBytes: 1 })).catch((e: Error) => e);
      expect((unknown as Error).name).to.equal('UnrecognizedClientException');
    });
  });

  describe('GET routes', () => {
    let server: KmsEndpoint;
    const internal: unknown[] = [];

    before(async () => {
      server = await serveKms({
        kms: stubPort(async () => ({ Keys: [], Truncated: false })),
        credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
        onInternalError: (e) => internal.push(e),
        getRoutes: {
          '/hello': async (req, res) => {
            res.writeHead(200, { 'Content-Type': 'text/plain' });
            res.end(req.method === 'HEAD' ? undefined : 'hi');
          },
          '/broken': async () => {
            throw new Error('internal detail');
          },
          '/half': async (_req, res) => {
            res.writeHead(200, { 'Content-Length': '10' });
            res.write('12');
            throw new Error('half way');
          },
        },
      });
    });
    after(() => server.close());

    it('serves GET and HEAD on the exact path, without SigV4', async () => {
      const res = await send(server.url, { method: 'GET', path: '/hello' });
      expect(res.status).to.equal(200);
      expect(res.text).to.equal('hi');
      expect((await send(server.url, { method: 'GET', path: '/hello?q=1' })).text).to.equal('hi');
      const head = await send(server.url, { method: 'HEAD', path: '/hello' });
      expect(head.status).to.equal(200);
      expect(head.text).to.equal('');
    });

    it('answers another method there with 405 (Allow: GET, HEAD), and other paths as before', async () => {
      const post = await send(server.url, { method: 'POST', path: '/hello', headers: LIST_KEYS_HEADERS, body: '{}' });
      expect(post.status).to.equal(405);
      expect(post.headers['allow']).to.equal('GET, HEAD');
      expect(post.headers['content-type']).to.equal('application/json');
      expectError(await send(server.url, { method: 'GET', path: '/hello/' }), 404, 'UnknownOperationException');
      expectError(await send(server.url, { method: 'GET', path: '/' }), 405, 'UnknownOperationException');
      expectError(await send(server.url, { method: 'GET', path: '/other' }), 404, 'UnknownOperationException');
    });

    it('answers a failing route with 500 JSON without the error, which goes to onInternalError', async () => {
      const res = await send(server.url, { method: 'GET', path: '/broken' });
      expect(res.status).to.equal(500);
      expect(JSON.parse(res.text)).to.deep.equal({ message: 'Internal error.' });
      expect(res.text).not.to.contain('detail');
      expect(internal.map((e) => (e as Error).message)).to.include('internal detail');
      // a route failing after it started its answer: the connection is cut
      await send(server.url, { method: 'GET', path: '/half' }).then(
        () => expect.fail('the connection should be cut'),
        (e: Error) => expect(e.message).to.match(/aborted|socket hang up|ECONNRESET/),
      );
      expect((await send(server.url, { method: 'GET', path: '/hello' })).text).to.equal('hi');
    });
  });

  it('refuses bad routing options with InvalidArgumentError', async () => {
    const kms = stubPort(async () => ({}));
    const bad: unknown[] = [
      { kms, kmsFor: () => kms },
      { kmsFor: 'kms' },
      { kms, getRoutes: 5 },
      { kms, getRoutes: { '/': async () => undefined } },
      { kms, getRoutes: { relative: async () => undefined } },
      { kms, getRoutes: { '/a?b': async () => undefined } },
      { kms, getRoutes: { '/a': 'no' } },
      { kms, credentials: [] },
      { kms, credentials: { accessKeyId: '', secretAccessKey: 's' } },
      { kms, credentials: { accessKeyId: 'a' } },
      { kms, credentials: [{ accessKeyId: 'a', secretAccessKey: 's' }, { accessKeyId: 'a', secretAccessKey: 't' }] },
      { kms, credentials: { accessKeyId: 'a', secretAccessKey: 's', sessionToken: '' } },
    ];
    for (const options of bad) {
      const error = await serveKms(options as never).then(
        async (s) => {
          await s.close();
          return undefined;
        },
        (e: unknown) => e,
      );
      expect(error, JSON.stringify(options)).to.be.instanceOf(InvalidArgumentError);
    }
  });
});
