/**
 * serveKms's `routes` (resources under a path prefix, any method) and `onKmsRequest` (an observer told about each
 * KMS request answered): the hooks the console uses, kept generic in the HTTP adapter.
 */
import { expect } from 'chai';
import { SimulatedKms } from '../../../src/adapters/simulator/simulated-kms.js';
import { type KmsEndpoint, serveKms } from '../../../src/adapters/http/kms-server.js';
import { type ServedKmsRequest, requestKeyOf } from '../../../src/adapters/http/served-request.js';
import { InvalidArgumentError } from '../../../src/domain/errors.js';
import { rejection } from '../../support/rejection.js';
import { call, send } from './http-test-kit.js';

describe('serveKms routes (by prefix) and onKmsRequest', () => {
  let endpoint: KmsEndpoint;
  const seen: ServedKmsRequest[] = [];
  const hits: string[] = [];

  before(async () => {
    endpoint = await serveKms({
      kms: new SimulatedKms({ region: 'us-east-1', accountId: '111122223333' }),
      routes: {
        '/ui': async (req, res) => {
          hits.push(`${req.method} ${req.url}`);
          res.writeHead(200, { 'Content-Type': 'text/plain' });
          res.end('ui');
        },
        '/ui/deeper': async (_req, res) => {
          res.writeHead(200, { 'Content-Type': 'text/plain' });
          res.end('deeper');
        },
        '/broken': async () => {
          throw new Error('bug');
        },
      },
      onKmsRequest: (r) => void seen.push(r),
      onInternalError: () => undefined,
    });
  });
  after(() => endpoint.close());

  it('a route gets its prefix and every path under it, any method; the longest prefix wins; others stay KMS paths', async () => {
    expect((await send(endpoint.url, { method: 'GET', path: '/ui' })).text).to.equal('ui');
    expect((await send(endpoint.url, { method: 'POST', path: '/ui/actions/x?y=1' })).text).to.equal('ui');
    expect((await send(endpoint.url, { method: 'GET', path: '/ui/deeper/page' })).text).to.equal('deeper');
    expect(hits).to.deep.equal(['GET /ui', 'POST /ui/actions/x?y=1']);
    expect((await send(endpoint.url, { method: 'GET', path: '/uix' })).status).to.equal(404);
    const failing = await send(endpoint.url, { method: 'GET', path: '/broken' });
    expect([failing.status, JSON.parse(failing.text)]).to.deep.equal([500, { message: 'Internal error.' }]);
  });

  it('the observer is told about each KMS request answered: operation, key, status, error name; never routes', async () => {
    seen.length = 0;
    const made = JSON.parse((await call(endpoint.url, 'TrentService.CreateKey', {})).text) as { KeyMetadata: { KeyId: string } };
    await call(endpoint.url, 'TrentService.DescribeKey', { KeyId: 'alias/missing' });
    await call(endpoint.url, 'TrentService.Nope', {});
    await send(endpoint.url, { method: 'GET', path: '/ui' });
    expect(seen.map((r) => [r.operation, r.key, r.status, r.errorName])).to.deep.equal([
      ['CreateKey', made.KeyMetadata.KeyId, 200, undefined],
      ['DescribeKey', 'alias/missing', 400, 'NotFoundException'],
      [undefined, undefined, 400, 'UnknownOperationException'],
    ]);
    expect(seen[0]!.time).to.be.instanceOf(Date);
    expect(seen[0]!.durationMs).to.be.a('number').and.at.least(0);
  });

  it('requestKeyOf reads only identifiers: KeyId, TargetKeyId, DestinationKeyId, CreateKey\'s and Decrypt\'s answer', () => {
    expect(requestKeyOf('Sign', { KeyId: 'k', Message: new Uint8Array([1]) }, {})).to.equal('k');
    expect(requestKeyOf('CreateAlias', { AliasName: 'alias/a', TargetKeyId: 't' }, {})).to.equal('t');
    expect(requestKeyOf('ReEncrypt', { CiphertextBlob: new Uint8Array([1]), DestinationKeyId: 'd' }, {})).to.equal('d');
    expect(requestKeyOf('CreateKey', {}, { KeyMetadata: { KeyId: 'new' } })).to.equal('new');
    expect(requestKeyOf('Decrypt', { CiphertextBlob: new Uint8Array([1]) }, { KeyId: 'arn', Plaintext: new Uint8Array([2]) })).to.equal('arn (from the ciphertext)');
    expect(requestKeyOf('Decrypt', { CiphertextBlob: new Uint8Array([1]) }, undefined)).to.equal('(not given: the key named in the ciphertext)');
    expect(requestKeyOf('ListKeys', {}, { Keys: [] })).to.equal(undefined);
  });

  it('refuses bad routes and observers', async () => {
    const kms = new SimulatedKms({ region: 'us-east-1' });
    for (const routes of [{ '/': async () => undefined }, { ui: async () => undefined }, { '/ui/': async () => undefined }, { '/ui': 'x' }]) {
      const error = await rejection(serveKms({ kms, routes: routes as never }));
      expect(error).to.be.instanceOf(InvalidArgumentError);
      expect((error as Error).message).to.match(/routes/);
    }
    const error = await rejection(serveKms({ kms, onKmsRequest: 'x' as never }));
    expect((error as Error).message).to.match(/onKmsRequest/);
  });
});
