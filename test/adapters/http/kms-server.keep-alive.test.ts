/**
 * Connections of the KMS wire endpoint: keep-alive reuse by the AWS SDK v3 (one socket for many requests, error
 * answers included), the idle timeout (`keepAliveTimeoutMs`, announced as `Keep-Alive: timeout=<s>`), the
 * per-connection abort signal, and requests of every kind, malformed ones included, answered one after another on
 * one connection. No timing is asserted: a timeout is only ever awaited.
 */
import { Agent, type ClientRequestArgs } from 'node:http';
import type { Duplex } from 'node:stream';
import { CreateKeyCommand, DescribeKeyCommand, KMSClient, ListKeysCommand, NotFoundException, SignCommand } from '@aws-sdk/client-kms';
import { expect } from 'chai';
import { InvalidArgumentError } from '../../../src/domain/errors.js';
import { startKmsServer } from '../../../src/kms-endpoint.js';
import { AMZ_JSON, LIST_KEYS_HEADERS, expectError, expectOk, openRaw, send, stubPort } from './http-test-kit.js';

/** A keep-alive agent that counts the TCP connections it opens and remembers them. */
class CountingAgent extends Agent {
  readonly sockets_: Duplex[] = [];

  constructor() {
    super({ keepAlive: true, maxSockets: 1 });
  }

  override createConnection(options: ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): Duplex {
    const socket = super.createConnection(options, callback) as Duplex;
    this.sockets_.push(socket);
    return socket;
  }
}

const credentials = { accessKeyId: 'AKIDKEEPALIVE', secretAccessKey: 'keep-alive-secret' };

describe('KMS wire endpoint: connections', function () {
  this.timeout(20_000);

  it('serves a sequence of SDK requests, errors included, over one keep-alive connection', async () => {
    const server = await startKmsServer();
    const agent = new CountingAgent();
    const client = new KMSClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1, requestHandler: { httpAgent: agent } });
    try {
      const created = await client.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }));
      const keyId = created.KeyMetadata?.KeyId as string;
      for (let i = 0; i < 10; i++) {
        const described = await client.send(new DescribeKeyCommand({ KeyId: keyId }));
        expect(described.KeyMetadata?.KeyId).to.equal(keyId);
        const signed = await client.send(new SignCommand({ KeyId: keyId, Message: new Uint8Array([i]), SigningAlgorithm: 'ECDSA_SHA_256' }));
        expect(signed.Signature).to.be.instanceOf(Uint8Array);
        const missing = await client.send(new DescribeKeyCommand({ KeyId: 'alias/missing' })).then(
          () => expect.fail('DescribeKey of a missing alias should fail'),
          (e: unknown) => e,
        );
        expect(missing).to.be.instanceOf(NotFoundException);
      }
      expect(agent.sockets_).to.have.length(1);
    } finally {
      client.destroy();
      agent.destroy();
      await server.close();
    }
  });

  it('announces its idle timeout: 60 s by default, keepAliveTimeoutMs when given', async () => {
    for (const [options, expected] of [[{}, 'timeout=60'], [{ keepAliveTimeoutMs: 2500 }, 'timeout=2']] as const) {
      const server = await startKmsServer(options);
      const agent = new Agent({ keepAlive: true });
      try {
        const res = await send(server.url, { agent, headers: LIST_KEYS_HEADERS, body: '{}' });
        expectOk(res);
        expect(res.headers['connection']).to.equal('keep-alive');
        expect(res.headers['keep-alive']).to.equal(expected);
      } finally {
        agent.destroy();
        await server.close();
      }
    }
  });

  it('closes a connection idle for keepAliveTimeoutMs', async () => {
    const server = await startKmsServer({ keepAliveTimeoutMs: 300 });
    try {
      const raw = await openRaw(server.url);
      await raw.write(
        'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\n' +
          'X-Amz-Target: TrentService.ListKeys\r\nContent-Length: 2\r\n\r\n{}',
      );
      // The client sends nothing more: the server closes the connection (else mocha's timeout fails the test).
      const text = await raw.closed;
      expect(text).to.match(/^HTTP\/1\.1 200 OK\r\n/);
      expect(text).to.match(/\r\nConnection: keep-alive\r\nKeep-Alive: timeout=0\r\n/i);
      expect(text.match(/HTTP\/1\.1 /g)).to.have.length(1);
      expectOk(await send(server.url, { headers: LIST_KEYS_HEADERS, body: '{}' }));
    } finally {
      await server.close();
    }
  });

  it('does not count the idle wait between requests against headersTimeoutMs or requestTimeoutMs', async () => {
    const server = await startKmsServer({ headersTimeoutMs: 100, requestTimeoutMs: 150, keepAliveTimeoutMs: 10_000 });
    const agent = new CountingAgent();
    try {
      expectOk(await send(server.url, { agent, headers: LIST_KEYS_HEADERS, body: '{}' }));
      await new Promise((resolve) => setTimeout(resolve, 600)); // idle: several request timeouts long
      const res = await send(server.url, { agent, headers: LIST_KEYS_HEADERS, body: '{}' });
      expectOk(res);
      expect(agent.sockets_).to.have.length(1);
    } finally {
      agent.destroy();
      await server.close();
    }
  });

  it('answers malformed and good requests one after another on one connection', async () => {
    const server = await startKmsServer();
    try {
      const raw = await openRaw(server.url);
      const request = (target: string, body: string, contentType = AMZ_JSON): string =>
        `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${contentType}\r\nX-Amz-Target: ${target}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
      await raw.write(
        request('TrentService.ListKeys', '{') +
          request('TrentService.ListKeys', '\uFEFF{"Limit":1}') +
          request('TrentService.Nope', '{}') +
          request('TrentService.DescribeKey', '{"KeyId":"alias/none"}') +
          request('TrentService.ListKeys', '{}', 'application/json') +
          request('TrentService.GenerateRandom', '{"NumberOfBytes":"8"}') +
          request('TrentService.GenerateRandom', '{"NumberOfBytes":8}') +
          'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/x-amz-json-1.1\r\n' +
          'X-Amz-Target: TrentService.ListKeys\r\nContent-Length: 2\r\n\r\n{}',
      );
      const text = await raw.closed;
      const answers = [...text.matchAll(/HTTP\/1\.1 (\d{3}) [^\r]*\r\n([\s\S]*?)\r\n\r\n/g)].map((m) => ({
        status: Number(m[1]),
        type: /x-amzn-errortype: (\S+)/i.exec(m[2] ?? '')?.[1],
      }));
      expect(answers).to.deep.equal([
        { status: 400, type: 'SerializationException' },
        { status: 200, type: undefined },
        { status: 400, type: 'UnknownOperationException' },
        { status: 400, type: 'NotFoundException' },
        { status: 400, type: 'UnknownOperationException' },
        { status: 400, type: 'SerializationException' },
        { status: 200, type: undefined },
        { status: 200, type: undefined },
      ]);
    } finally {
      await server.close();
    }
  });

  it('gives the requests of one connection its abort signal, aborted when the connection closes', async () => {
    const signals: AbortSignal[] = [];
    const server = await startKmsServer({
      kms: stubPort(async (_method, _input, options) => {
        signals.push(options?.abortSignal as AbortSignal);
        return { Keys: [], Truncated: false };
      }),
    });
    const agent = new CountingAgent();
    try {
      for (let i = 0; i < 3; i++) expectOk(await send(server.url, { agent, headers: LIST_KEYS_HEADERS, body: '{}' }));
      expectOk(await send(server.url, { agent: false, headers: LIST_KEYS_HEADERS, body: '{}' }));
      const [a, b, c, other] = signals as [AbortSignal, AbortSignal, AbortSignal, AbortSignal];
      expect(a).to.be.instanceOf(AbortSignal);
      expect(b).to.equal(a);
      expect(c).to.equal(a);
      expect(other).to.not.equal(a);
      expect(a.aborted).to.equal(false);
      const aborted = new Promise((resolve) => a.addEventListener('abort', resolve));
      agent.destroy(); // the client goes away
      await aborted;
      expect(a.aborted).to.equal(true);
    } finally {
      agent.destroy();
      await server.close();
    }
  });

  it('refuses a keepAliveTimeoutMs that is not a positive integer', async () => {
    for (const keepAliveTimeoutMs of [0, -1, 1.5, Number.NaN]) {
      await startKmsServer({ keepAliveTimeoutMs }).then(
        () => expect.fail(`keepAliveTimeoutMs ${keepAliveTimeoutMs} should be refused`),
        (e: unknown) => {
          expect(e).to.be.instanceOf(InvalidArgumentError);
          expect((e as Error).message).to.equal('startKmsServer: keepAliveTimeoutMs must be a positive integer');
        },
      );
    }
  });
});

describe('KMS wire endpoint: an SDK client against a port that fails', function () {
  this.timeout(20_000);

  it('keeps the connection after a 500 answer', async () => {
    let calls = 0;
    const server = await startKmsServer({
      kms: stubPort(async () => {
        calls++;
        if (calls % 2 === 1) throw new Error('a bug in the port');
        return { Keys: [], Truncated: false };
      }),
      onInternalError: () => undefined,
    });
    const agent = new CountingAgent();
    const client = new KMSClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1, requestHandler: { httpAgent: agent } });
    try {
      for (let i = 0; i < 4; i++) {
        const result = await client.send(new ListKeysCommand({})).then(
          (r) => r.Keys,
          (e: Error) => e.name,
        );
        expect(result).to.deep.equal(i % 2 === 0 ? 'KMSInternalException' : []);
      }
      expect(agent.sockets_).to.have.length(1);
      expectError(await send(server.url, { headers: LIST_KEYS_HEADERS, body: '{}' }), 500, 'KMSInternalException');
    } finally {
      client.destroy();
      agent.destroy();
      await server.close();
    }
  });
});
