import { readdirSync, readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { expect } from 'chai';
import fc from 'fast-check';
import { serveKms } from '../../../src/adapters/http/kms-server.js';
import { KMS_OPERATIONS } from '../../../src/adapters/http/kms-wire-codec.js';
import { KmsException } from '../../../src/adapters/kms-exception.js';
import { SimulatedKms } from '../../../src/adapters/simulator/simulated-kms.js';
import { InvalidArgumentError } from '../../../src/domain/errors.js';
import { type KmsServer, startKmsServer } from '../../../src/kms-endpoint.js';
import type { KmsPort } from '../../../src/ports/kms.port.js';
import {
  AMZ_JSON,
  LIST_KEYS_HEADERS,
  call,
  expectError,
  expectOk,
  openRaw,
  send,
  serverFault,
  stubPort,
} from './http-test-kit.js';

const TARGETS = [...KMS_OPERATIONS.keys()].map((name) => `TrentService.${name}`);

describe('KMS wire endpoint: protocol', function () {
  this.timeout(20_000);

  describe('over SimulatedKms', () => {
    let server: KmsServer;
    const internalErrors: unknown[] = [];

    before(async () => {
      server = await startKmsServer({ maxBodyBytes: 1024, onInternalError: (e) => internalErrors.push(e) });
    });
    after(async () => {
      await server.close();
    });
    afterEach(async () => {
      // whatever the test sent, the endpoint keeps serving and no bug surfaced
      const res = await call(server.url, 'TrentService.GenerateRandom', { NumberOfBytes: 3 });
      expect(expectOk(res)['Plaintext']).to.be.a('string').with.length(4);
      expect(internalErrors).to.deep.equal([]);
    });

    it('binds 127.0.0.1 on a free port by default', () => {
      expect(server.host).to.equal('127.0.0.1');
      expect(server.port).to.be.greaterThan(0);
      expect(server.url).to.equal(`http://127.0.0.1:${server.port}`);
      expect(server.kms).to.be.instanceOf(SimulatedKms);
    });

    it('answers an operation with 200, the amz-json content type, a request id and the output as JSON', async () => {
      const res = await call(server.url, 'TrentService.GenerateRandom', { NumberOfBytes: 32 });
      const body = expectOk(res);
      expect(Object.keys(body)).to.deep.equal(['Plaintext']);
      expect(Buffer.from(body['Plaintext'] as string, 'base64')).to.have.length(32);
      expect(Number(res.headers['content-length'])).to.equal(Buffer.byteLength(res.text));
    });

    it('converts dates to epoch seconds and answers void operations with {}', async () => {
      const before = Date.now() / 1000;
      const created = expectOk(await call(server.url, 'TrentService.CreateKey', {}));
      const metadata = created['KeyMetadata'] as Record<string, unknown>;
      expect(metadata['CreationDate']).to.be.a('number').within(before - 1, Date.now() / 1000 + 1);
      const alias = await call(server.url, 'TrentService.CreateAlias', { AliasName: 'alias/proto', TargetKeyId: metadata['KeyId'] });
      expect(expectOk(alias)).to.deep.equal({});
      expect(alias.text).to.equal('{}');
      const listed = expectOk(await call(server.url, 'TrentService.ListAliases', { KeyId: metadata['KeyId'] }));
      const [entry] = listed['Aliases'] as Array<Record<string, unknown>>;
      expect(entry?.['CreationDate']).to.be.a('number');
      expect(entry?.['LastUpdatedDate']).to.be.a('number');
    });

    it('accepts an empty or whitespace body as no members, and a charset parameter', async () => {
      for (const body of ['', ' \n']) {
        expect(expectOk(await call(server.url, 'TrentService.ListKeys', body))['Truncated']).to.be.a('boolean');
      }
      const mixedCase = 'Application/X-Amz-Json-1.1; charset=UTF-8';
      expectOk(await call(server.url, 'TrentService.ListKeys', {}, { 'Content-Type': mixedCase }));
    });

    it('ignores unknown members and treats null members as absent', async () => {
      const body = { NumberOfBytes: 2, FutureMember: { a: [1] }, CustomKeyStoreId: null };
      const res = await call(server.url, 'TrentService.GenerateRandom', body);
      expect(expectOk(res)['Plaintext']).to.have.length(4);
      expectOk(await call(server.url, 'TrentService.ListKeys', { Limit: null, Marker: null }));
    });

    it('answers a KMS client error with 400, __type, message and X-Amzn-ErrorType', async () => {
      const res = await call(server.url, 'TrentService.DescribeKey', { KeyId: '11111111-2222-3333-4444-555555555555' });
      const message = expectError(res, 400, 'NotFoundException');
      expect(message).to.equal("Key 'arn:aws:kms:us-east-1:111122223333:key/11111111-2222-3333-4444-555555555555' does not exist");
      expect(expectError(await call(server.url, 'TrentService.GenerateRandom', {}), 400, 'ValidationException')).to.equal(
        'NumberOfBytes is required.',
      );
    });

    it('sends an empty message as "" (KMSInvalidSignatureException)', async () => {
      const key = expectOk(await call(server.url, 'TrentService.CreateKey', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }));
      const keyId = (key['KeyMetadata'] as Record<string, unknown>)['KeyId'];
      const res = await call(server.url, 'TrentService.Verify', {
        KeyId: keyId,
        Message: 'AQID',
        Signature: Buffer.from([0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]).toString('base64'),
        SigningAlgorithm: 'ECDSA_SHA_256',
      });
      expect(expectError(res, 400, 'KMSInvalidSignatureException')).to.equal('');
    });

    describe('refusals', () => {
      it('answers another path with 404 and another method with 405 (Allow: POST)', async () => {
        const notFound = await send(server.url, { path: '/keys', headers: LIST_KEYS_HEADERS });
        expect(expectError(notFound, 404, 'UnknownOperationException')).to.equal('No operation is served at "/keys": use POST /.');
        for (const method of ['GET', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']) {
          const res = await send(server.url, { method, headers: LIST_KEYS_HEADERS });
          expectError(res, 405, 'UnknownOperationException');
          expect(res.headers['allow']).to.equal('POST');
        }
        const head = await send(server.url, { method: 'HEAD' });
        expect(head.status).to.equal(405);
        expect(head.text).to.equal('');
      });

      it('ignores a query string', async () => {
        expectOk(await send(server.url, { path: '/?x=1', headers: LIST_KEYS_HEADERS, body: '{}' }));
      });

      it('answers a content type other than application/x-amz-json-1.1 as an unknown operation', async () => {
        for (const type of ['application/json', 'text/plain', 'application/x-amz-json-1.0', 'application/x-amz-json-1.10', '']) {
          const res = await call(server.url, 'TrentService.ListKeys', {}, { 'Content-Type': type });
          expect(expectError(res, 400, 'UnknownOperationException')).to.equal('Content-Type must be application/x-amz-json-1.1.');
        }
        const none = await send(server.url, { headers: { 'X-Amz-Target': 'TrentService.ListKeys' }, body: '{}' });
        expectError(none, 400, 'UnknownOperationException');
      });

      it('answers a missing, malformed or unknown X-Amz-Target with UnknownOperationException', async () => {
        expect(expectError(await call(server.url, undefined), 400, 'UnknownOperationException')).to.equal('Missing X-Amz-Target header.');
        expect(expectError(await call(server.url, 'TrentService.NoSuchOperation'), 400, 'UnknownOperationException')).to.equal(
          'Unknown operation "TrentService.NoSuchOperation".',
        );
        expect(expectError(await call(server.url, 'ListKeys'), 400, 'UnknownOperationException')).to.equal(
          'Unknown operation "ListKeys" (expected TrentService.<Operation>).',
        );
        for (const target of ['TrentService.listKeys', 'TrentService.', 'DynamoDB_20120810.ListTables', 'TrentService.List Keys']) {
          expectError(await call(server.url, target), 400, 'UnknownOperationException');
        }
        const long = expectError(await call(server.url, `TrentService.${'X'.repeat(5000)}`), 400, 'UnknownOperationException');
        expect(long.length).to.be.lessThan(200);
      });

      it('answers a body that is not a JSON object with SerializationException', async () => {
        const cases: Array<[string | Uint8Array, string]> = [
          ['{', 'The request body is not valid JSON.'],
          ['{"NumberOfBytes": 4,}', 'The request body is not valid JSON.'],
          ['[]', 'Expected a JSON object at the request body'],
          ['null', 'Expected a JSON object at the request body'],
          ['"{}"', 'Expected a JSON object at the request body'],
          ['42', 'Expected a JSON object at the request body'],
          [new Uint8Array([0x7b, 0xff, 0x7d]), 'The request body is not valid UTF-8.'],
        ];
        for (const [body, message] of cases) {
          const res = await call(server.url, 'TrentService.GenerateRandom', body);
          expect(expectError(res, 400, 'SerializationException')).to.equal(message);
        }
      });

      it('answers a member of the wrong JSON type with SerializationException naming it', async () => {
        const cases: Array<[string, unknown, string]> = [
          ['DescribeKey', { KeyId: 5 }, "Expected a string at 'KeyId'"],
          ['GenerateRandom', { NumberOfBytes: '4' }, "Expected an integer at 'NumberOfBytes'"],
          ['GenerateRandom', { NumberOfBytes: 1.5 }, "Expected an integer at 'NumberOfBytes'"],
          ['Sign', { KeyId: 'k', Message: '!!not base64!!' }, "Expected a base64 string at 'Message'"],
          ['Sign', { KeyId: 'k', Message: [1, 2, 3] }, "Expected a base64 string at 'Message'"],
          ['Verify', { KeyId: 'k', Message: 'AQID', Signature: 12 }, "Expected a base64 string at 'Signature'"],
          ['CreateKey', { Tags: [{ TagKey: 'a', TagValue: 1 }] }, "Expected a string at 'Tags[0].TagValue'"],
          ['CreateKey', { MultiRegion: 'no' }, "Expected a boolean at 'MultiRegion'"],
          ['UntagResource', { KeyId: 'k', TagKeys: 'a' }, "Expected a JSON array at 'TagKeys'"],
          ['Encrypt', { EncryptionContext: { purpose: true } }, "Expected a string at 'EncryptionContext.purpose'"],
          ['GenerateRandom', { Recipient: { AttestationDocument: 'a b' } }, "Expected a base64 string at 'Recipient.AttestationDocument'"],
        ];
        for (const [operation, body, message] of cases) {
          const res = await call(server.url, `TrentService.${operation}`, body);
          expect(expectError(res, 400, 'SerializationException'), operation).to.equal(message);
        }
      });

      it('refuses a declared Content-Length over the limit with 413 before reading the body', async () => {
        const conn = await openRaw(server.url);
        await conn.write(
          'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\n' +
            'X-Amz-Target: TrentService.GenerateRandom\r\nContent-Length: 104857600\r\n\r\n{"NumberOfBytes":',
        );
        // The client never sends the other 100 MiB: the answer comes anyway, and the connection closes.
        const received = await conn.closed;
        expect(received).to.match(/^HTTP\/1\.1 413 /);
        expect(received).to.match(/\r\nConnection: close\r\n/i);
        expect(received).to.match(/\r\nX-Amzn-ErrorType: RequestEntityTooLargeException\r\n/i);
        expect(received).to.contain(
          '{"__type":"RequestEntityTooLargeException","message":"The request body exceeds the limit of 1024 bytes."}',
        );
      });

      it('refuses a streamed body once it passes the limit, without waiting for its end', async () => {
        const conn = await openRaw(server.url);
        await conn.write(
          'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\n' +
            'X-Amz-Target: TrentService.GenerateRandom\r\nTransfer-Encoding: chunked\r\n\r\n',
        );
        for (let i = 0; i < 4; i++) await conn.write(`200\r\n${'x'.repeat(0x200)}\r\n`);
        // no terminating chunk: the body never ends
        const received = await conn.closed;
        expect(received).to.match(/^HTTP\/1\.1 413 /);
        expect(received).to.contain('RequestEntityTooLargeException');
      });

      it('accepts a body of exactly the limit', async () => {
        const base = '{"NumberOfBytes":1,"Pad":""}';
        const body = base.replace('""', `"${'p'.repeat(1024 - base.length)}"`);
        expect(Buffer.byteLength(body)).to.equal(1024);
        expectOk(await call(server.url, 'TrentService.GenerateRandom', body));
        expectError(await call(server.url, 'TrentService.GenerateRandom', `${body} `), 413, 'RequestEntityTooLargeException');
      });

      it('survives clients that disconnect in the middle of a request', async () => {
        const conn = await openRaw(server.url);
        await conn.write(
          'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\n' +
            'X-Amz-Target: TrentService.GenerateRandom\r\nContent-Length: 100\r\n\r\n{"Number',
        );
        conn.socket.destroy();
        expect(await conn.closed).to.equal('');
      });
    });

    it('property: any target, content type and body gets a well-formed JSON answer, never a 5xx', async () => {
      const memberNames = [...new Set([...KMS_OPERATIONS.values()].flatMap((op) => Object.keys(op.input)))];
      const memberValue = fc.oneof(
        fc.jsonValue({ maxDepth: 2 }),
        fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString('base64')),
        fc.integer({ min: -2, max: 2000 }),
        fc.constantFrom('alias/aws/s3', 'RSASSA_PSS_SHA_256', 'SYMMETRIC_DEFAULT', 'HMAC_SHA_256', 'RAW', 'DIGEST'),
        fc.constant('1234abcd-12ab-34cd-56ef-1234567890ab'),
      );
      const body = fc.oneof(
        fc.dictionary(fc.constantFrom(...memberNames), memberValue, { maxKeys: 6 }).map((o) => JSON.stringify(o)),
        fc.json({ maxDepth: 3 }),
        fc.string({ maxLength: 50 }),
        fc.uint8Array({ maxLength: 50 }),
      );
      const target = fc.oneof(fc.constantFrom(...TARGETS), fc.string({ maxLength: 30 }).map((s) => `TrentService.${s}`));
      const contentType = fc.oneof(
        { weight: 4, arbitrary: fc.constant(AMZ_JSON) },
        fc.constantFrom('application/json', `${AMZ_JSON};charset=utf-8`, 'text/plain', 'application/x-amz-json-1.0'),
      );
      const headerSafe = (s: string) => /^[\x20-\x7e]*$/.test(s) && s.trim() === s;
      await fc.assert(
        fc.asyncProperty(target.filter(headerSafe), contentType, body, async (t, type, payload) => {
          const res = await call(server.url, t, payload, { 'Content-Type': type });
          expect(res.status, `${t} ${res.text}`).to.be.oneOf([200, 400, 413]);
          expect(res.headers['content-type']).to.equal(AMZ_JSON);
          const json = JSON.parse(res.text) as Record<string, unknown>;
          if (res.status === 200) {
            expect(res.headers['x-amzn-errortype']).to.equal(undefined);
          } else {
            expect(json['__type']).to.be.a('string').and.equal(res.headers['x-amzn-errortype']);
            expect(json['message']).to.be.a('string');
          }
        }),
        { numRuns: 200 },
      );
    });
  });

  describe('errors from the port', () => {
    let server: KmsServer;
    let behaviour: (method: string, input: unknown) => Promise<unknown>;
    const internalErrors: Array<{ error: unknown; operation: string }> = [];

    before(async () => {
      server = await startKmsServer({
        kms: stubPort((method, input) => behaviour(method, input)),
        onInternalError: (error, operation) => internalErrors.push({ error, operation }),
      });
    });
    after(async () => {
      await server.close();
    });
    beforeEach(() => {
      internalErrors.length = 0;
    });

    it('passes the decoded input to the port method and encodes its output', async () => {
      const seen: unknown[] = [];
      behaviour = async (method, input) => {
        seen.push([method, input]);
        return { KeyId: 'arn:k', Signature: new Uint8Array([1, 2, 3]), NotInModel: 'dropped' };
      };
      const res = await call(server.url, 'TrentService.Sign', { KeyId: 'k', Message: 'AAE=', Other: 1 });
      expect(expectOk(res)).to.deep.equal({ KeyId: 'arn:k', Signature: 'AQID' });
      expect(seen).to.deep.equal([['sign', { KeyId: 'k', Message: new Uint8Array([0, 1]) }]]);
    });

    it('answers a server fault with 500 (503 for DependencyTimeoutException) and its name', async () => {
      behaviour = async () => {
        throw serverFault('KMSInternalException', 'try again');
      };
      expect(expectError(await call(server.url, 'TrentService.ListKeys'), 500, 'KMSInternalException')).to.equal('try again');
      behaviour = async () => {
        throw serverFault('KeyUnavailableException', 'unavailable');
      };
      expectError(await call(server.url, 'TrentService.ListKeys'), 500, 'KeyUnavailableException');
      behaviour = async () => {
        throw serverFault('DependencyTimeoutException', 'slow');
      };
      expectError(await call(server.url, 'TrentService.ListKeys'), 503, 'DependencyTimeoutException');
      behaviour = async () => {
        throw new KmsException('ThrottlingException', 'Rate exceeded');
      };
      expectError(await call(server.url, 'TrentService.ListKeys'), 400, 'ThrottlingException');
      expect(internalErrors).to.deep.equal([]);
    });

    it('answers anything else thrown with a generic 500 KMSInternalException and reports it', async () => {
      const bug = new TypeError('secret internals at /srv/app.js:12');
      const thrown: unknown[] = [
        bug,
        'a string',
        Object.assign(new Error('looks like KMS'), { name: 'Bad\r\nName', $fault: 'client' }),
        Object.assign(new Error('no fault'), { name: 'NotFoundException' }),
      ];
      for (const error of thrown) {
        behaviour = async () => {
          throw error;
        };
        const res = await call(server.url, 'TrentService.DescribeKey', { KeyId: 'k' });
        const message = expectError(res, 500, 'KMSInternalException');
        expect(message).to.equal(
          'The request was rejected because an internal exception occurred. The request can be retried.',
        );
        expect(res.text).not.to.contain('secret').and.not.to.contain('looks like').and.not.to.contain('at ');
      }
      expect(internalErrors.map((e) => e.error)).to.deep.equal(thrown);
      expect(internalErrors.map((e) => e.operation)).to.deep.equal(Array(4).fill('TrentService.DescribeKey'));
    });

    it('answers an output that does not fit the model with a generic 500', async () => {
      behaviour = async () => ({ KeyId: 'arn', Signature: 'not bytes', SigningAlgorithm: 'ECDSA_SHA_256' });
      expectError(await call(server.url, 'TrentService.Sign', { KeyId: 'k', Message: 'AA==' }), 500, 'KMSInternalException');
      behaviour = async () => undefined;
      expectError(await call(server.url, 'TrentService.DescribeKey', { KeyId: 'k' }), 500, 'KMSInternalException');
      behaviour = async () => ({ KeyId: 'arn', DeletionDate: new Date(), PendingWindowInDays: 7n });
      expectError(await call(server.url, 'TrentService.ScheduleKeyDeletion', { KeyId: 'k' }), 500, 'KMSInternalException');
      expect(internalErrors).to.have.length(3);
    });

    it('answers {} for a void operation whatever the port returns', async () => {
      behaviour = async () => ({ ignored: true });
      expect(expectOk(await call(server.url, 'TrentService.EnableKey', { KeyId: 'k' }))).to.deep.equal({});
    });

    it('keeps going when the error hook itself throws', async () => {
      const quiet = await startKmsServer({
        kms: stubPort(async () => {
          throw new Error('bug');
        }),
        onInternalError: () => {
          throw new Error('hook bug');
        },
      });
      try {
        expectError(await call(quiet.url, 'TrentService.ListKeys'), 500, 'KMSInternalException');
        expectError(await call(quiet.url, 'TrentService.ListKeys'), 500, 'KMSInternalException');
      } finally {
        await quiet.close();
      }
    });

    it('answers an operation the port does not implement as unknown', async () => {
      const partial = await startKmsServer({ kms: { region: 'us-east-1' } as KmsPort });
      try {
        const res = await call(partial.url, 'TrentService.GenerateMac', { KeyId: 'k' });
        expect(expectError(res, 400, 'UnknownOperationException')).to.equal('GenerateMac is not supported by this endpoint.');
      } finally {
        await partial.close();
      }
    });
  });

  describe('connections', () => {
    it('aborts the port call when the client disconnects, and keeps serving', async () => {
      let signalled!: () => void;
      const aborted = new Promise<void>((resolve) => (signalled = resolve));
      let started!: () => void;
      const reached = new Promise<void>((resolve) => (started = resolve));
      const server = await startKmsServer({
        kms: stubPort(async (method, _input, options) => {
          if (method !== 'listKeys') return { Plaintext: new Uint8Array(1) };
          started();
          return new Promise((_, reject) =>
            options?.abortSignal?.addEventListener('abort', () => {
              signalled();
              reject(options.abortSignal?.reason);
            }),
          );
        }),
        onInternalError: (e) => internalErrors.push(e),
      });
      const internalErrors: unknown[] = [];
      try {
        const conn = await openRaw(server.url);
        await conn.write(
          'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\n' +
            'X-Amz-Target: TrentService.ListKeys\r\nContent-Length: 2\r\n\r\n{}',
        );
        await reached;
        conn.socket.destroy();
        await aborted;
        expectOk(await call(server.url, 'TrentService.GenerateRandom', { NumberOfBytes: 1 }));
        // the rejection of the aborted call is not an internal error: nobody was left to answer
        expect(internalErrors).to.deep.equal([]);
      } finally {
        await server.close();
      }
    });

    it('drops clients that are too slow to send their headers or body (408)', async () => {
      const server = await startKmsServer({ headersTimeoutMs: 100, requestTimeoutMs: 200 });
      try {
        const slowHeaders = await openRaw(server.url);
        await slowHeaders.write('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
        expect(await slowHeaders.closed).to.match(/^HTTP\/1\.1 408 /);
        const slowBody = await openRaw(server.url);
        await slowBody.write(
          'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\n' +
            'X-Amz-Target: TrentService.ListKeys\r\nContent-Length: 10\r\n\r\n{',
        );
        expect(await slowBody.closed).to.match(/^HTTP\/1\.1 408 /);
        expectOk(await call(server.url, 'TrentService.ListKeys'));
      } finally {
        await server.close();
      }
    });

    it('close() closes idle keep-alive connections and resolves', async () => {
      const server = await startKmsServer({ closeTimeoutMs: 600_000 });
      const agent = new Agent({ keepAlive: true });
      try {
        for (let i = 0; i < 3; i++) {
          const res = await send(server.url, {
            agent,
            headers: LIST_KEYS_HEADERS,
            body: '{}',
          });
          expectOk(res);
          expect(res.headers['connection']).to.equal('keep-alive');
        }
        const sockets = Object.values(agent.freeSockets).flat();
        expect(sockets).to.have.length(1);
        // Resolves long before the 10-minute grace: the idle connection is closed at once.
        await server.close();
        await server.close();
      } finally {
        agent.destroy();
      }
    });

    it('close() lets an in-flight request finish, answering it with Connection: close', async () => {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let started!: () => void;
      const reached = new Promise<void>((resolve) => (started = resolve));
      const server = await startKmsServer({
        kms: stubPort(async () => {
          started();
          await released;
          return { Keys: [], Truncated: false };
        }),
        closeTimeoutMs: 600_000,
      });
      const agent = new Agent({ keepAlive: true });
      try {
        const pending = send(server.url, { agent, headers: LIST_KEYS_HEADERS, body: '{}' });
        await reached;
        let closed = false;
        const closing = server.close().then(() => (closed = true));
        await new Promise((resolve) => setImmediate(resolve));
        expect(closed).to.equal(false);
        release();
        const res = await pending;
        expect(expectOk(res)).to.deep.equal({ Keys: [], Truncated: false });
        expect(res.headers['connection']).to.equal('close');
        await closing;
        await send(server.url, { agent: false }).then(
          () => expect.fail('the server should not listen any more'),
          (e: NodeJS.ErrnoException) => expect(e.code).to.equal('ECONNREFUSED'),
        );
      } finally {
        agent.destroy();
      }
    });

    it('close() drops requests still running after closeTimeoutMs, aborting their port call', async () => {
      let started!: () => void;
      const reached = new Promise<void>((resolve) => (started = resolve));
      let signalled!: () => void;
      const aborted = new Promise<void>((resolve) => (signalled = resolve));
      const server = await startKmsServer({
        kms: stubPort((_method, _input, options) => {
          started();
          return new Promise((_, reject) =>
            options?.abortSignal?.addEventListener('abort', () => {
              signalled();
              reject(new Error('aborted'));
            }),
          );
        }),
        closeTimeoutMs: 50,
      });
      const pending = call(server.url, 'TrentService.ListKeys').then(
        () => 'answered',
        (e: NodeJS.ErrnoException) => e.code,
      );
      await reached;
      await server.close();
      expect(await pending).to.equal('ECONNRESET');
      await aborted;
    });
  });

  describe('options', () => {
    it('refuses invalid options with InvalidArgumentError', async () => {
      const bad = [
        { maxBodyBytes: 0 },
        { maxBodyBytes: 1.5 },
        { requestTimeoutMs: -1 },
        { headersTimeoutMs: 2000, requestTimeoutMs: 1000 },
        { closeTimeoutMs: Number.NaN },
        { port: 70_000 },
        { port: -1 },
      ];
      for (const options of bad) {
        await startKmsServer(options).then(
          () => expect.fail(JSON.stringify(options)),
          (e: unknown) => expect(e, JSON.stringify(options)).to.be.instanceOf(InvalidArgumentError),
        );
      }
      await startKmsServer(null as never).then(
        () => expect.fail('null options'),
        (e: unknown) => expect(e).to.be.instanceOf(InvalidArgumentError),
      );
    });

    it('rejects when the port is taken', async () => {
      const first = await startKmsServer();
      try {
        await startKmsServer({ port: first.port }).then(
          () => expect.fail('two servers on one port'),
          (e: NodeJS.ErrnoException) => expect(e.code).to.equal('EADDRINUSE'),
        );
      } finally {
        await first.close();
      }
    });

    it('startKmsServer() without kms serves a fresh SimulatedKms for each server', async () => {
      const first = await startKmsServer();
      const second = await startKmsServer({ kms: undefined as never });
      try {
        expect(first.kms).to.be.instanceOf(SimulatedKms);
        expect(second.kms).to.be.instanceOf(SimulatedKms);
        expect(first.kms).not.to.equal(second.kms);
        expectOk(await call(first.url, 'TrentService.CreateKey', {}));
        expect(expectOk(await call(second.url, 'TrentService.ListKeys'))['Keys']).to.deep.equal([]);
      } finally {
        await Promise.all([first.close(), second.close()]);
      }
    });

    it('the adapter (serveKms) refuses a missing kms with an InvalidArgumentError naming the fix', async () => {
      for (const options of [{}, { kms: undefined }, { kms: null }, { port: 0 }]) {
        await serveKms(options as never).then(
          () => expect.fail(JSON.stringify(options)),
          (e: unknown) => {
            expect(e, JSON.stringify(options)).to.be.instanceOf(InvalidArgumentError);
            expect((e as Error).message).to.equal(
              'serveKms: options.kms is required (the KmsPort to serve); to serve a new SimulatedKms, ' +
                'call startKmsServer() from the package instead',
            );
          },
        );
      }
    });

    it('the adapter imports neither the simulator nor the AWS adapter (src/kms-endpoint.ts picks the default)', () => {
      const dir = new URL('../../../src/adapters/http/', import.meta.url);
      const files = readdirSync(dir).filter((name) => name.endsWith('.ts'));
      expect(files).to.include.members(['kms-server.ts', 'kms-request-handler.ts']);
      for (const name of files) {
        const specifiers = [...readFileSync(new URL(name, dir), 'utf8').matchAll(/\sfrom\s+'([^']+)'/g)].map((m) => m[1]);
        expect(specifiers.filter((s) => /^\.\.\/(simulator|aws)\//.test(s ?? '')), name).to.deep.equal([]);
      }
    });

    it('the adapter (serveKms) serves the KmsPort it is given', async () => {
      const kms = stubPort(async () => ({ Plaintext: new Uint8Array([7]) }));
      const server = await serveKms({ kms });
      try {
        expect(server.kms).to.equal(kms);
        expect(expectOk(await call(server.url, 'TrentService.GenerateRandom', { NumberOfBytes: 1 }))).to.deep.equal({
          Plaintext: 'Bw==',
        });
      } finally {
        await server.close();
      }
    });

    it('serves the given KmsPort', async () => {
      const kms = new SimulatedKms({ region: 'eu-west-3', accountId: '123456789012' });
      const server = await startKmsServer({ kms });
      try {
        expect(server.kms).to.equal(kms);
        const created = expectOk(await call(server.url, 'TrentService.CreateKey', {}));
        expect((created['KeyMetadata'] as Record<string, unknown>)['Arn']).to.match(/^arn:aws:kms:eu-west-3:123456789012:key\//);
      } finally {
        await server.close();
      }
    });
  });
});
