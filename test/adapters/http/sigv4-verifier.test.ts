/** SigV4 verification by the KMS wire endpoint (`credentials` option), with the SDK and hand-signed requests. */
import { createHash, createHmac } from 'node:crypto';
import { GenerateRandomCommand, KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { SignatureV4 } from '@smithy/signature-v4';
import { expect } from 'chai';
import fc from 'fast-check';
import { type KmsServer, serveKms } from '../../../src/adapters/http/kms-server.js';
import { SimulatedKms } from '../../../src/adapters/simulator/simulated-kms.js';
import { AMZ_JSON, type RawResponse, expectError, expectOk, send } from './http-test-kit.js';

const credentials = { accessKeyId: 'AKIDSIGV4TEST', secretAccessKey: 'sigv4-test-secret' };
const region = 'eu-north-1';

type Data = string | ArrayBuffer | ArrayBufferView;
function bytes(data: Data): string | Uint8Array {
  if (typeof data === 'string') return data;
  return ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
}

class TestSha256 {
  readonly #hash;
  constructor(secret?: Data) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: Data): void {
    this.#hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }
}

interface SignOptions {
  target?: string;
  body?: string;
  signingDate?: Date;
  signingRegion?: string;
  signingService?: string;
  secretAccessKey?: string;
  headers?: Record<string, string>;
  /** Also send and sign `x-amz-content-sha256` (the signer's default; the SDK's KMS client does not). */
  applyChecksum?: boolean;
}

/** A request signed the way the SDK signs, as plain headers and body, for tampering before it is sent. */
async function signed(url: string, options: SignOptions = {}): Promise<{ headers: Record<string, string>; body: string }> {
  const { host } = new URL(url);
  const body = options.body ?? '{"NumberOfBytes":8}';
  const signer = new SignatureV4({
    credentials: { ...credentials, secretAccessKey: options.secretAccessKey ?? credentials.secretAccessKey },
    region,
    service: 'kms',
    sha256: TestSha256,
    applyChecksum: options.applyChecksum ?? false,
  });
  const request = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: host,
      path: '/',
      headers: {
        host,
        'content-type': AMZ_JSON,
        'x-amz-target': options.target ?? 'TrentService.GenerateRandom',
        ...options.headers,
      },
      body,
    },
    {
      signingDate: options.signingDate ?? new Date(),
      signingRegion: options.signingRegion ?? region,
      signingService: options.signingService ?? 'kms',
    },
  );
  return { headers: request.headers as Record<string, string>, body };
}

/** Mostly the valid value, sometimes another: mangled requests that get far into the verification. */
function mostly(valid: string, ...others: string[]): fc.Arbitrary<string> {
  return fc.oneof({ weight: 6, arbitrary: fc.constant(valid) }, fc.constantFrom(...others));
}

function post(url: string, request: { headers: Record<string, string>; body: string }): Promise<RawResponse> {
  return send(url, { headers: request.headers, body: request.body });
}

describe('KMS wire endpoint: SigV4 verification', function () {
  this.timeout(20_000);
  let server: KmsServer;
  let open: KmsServer;

  before(async () => {
    server = await serveKms({ kms: new SimulatedKms({ region }), credentials });
    open = await serveKms({ kms: new SimulatedKms({ region }) });
  });
  after(async () => {
    await server.close();
    await open.close();
  });

  it('accepts the SDK signing with the configured credentials', async () => {
    const client = new KMSClient({ endpoint: server.url, region, credentials, maxAttempts: 1 });
    try {
      const random = await client.send(new GenerateRandomCommand({ NumberOfBytes: 5 }));
      expect(random.Plaintext).to.have.length(5);
      expect((await client.send(new ListKeysCommand({}))).Truncated).to.equal(false);
    } finally {
      client.destroy();
    }
  });

  it('accepts a hand-signed request, and any signature when no credentials are configured', async () => {
    expect(expectOk(await post(server.url, await signed(server.url)))['Plaintext']).to.have.length(12);
    const foreign = await signed(open.url, { secretAccessKey: 'something else' });
    expectOk(await post(open.url, foreign));
    expectOk(await send(open.url, { headers: { 'Content-Type': AMZ_JSON, 'X-Amz-Target': 'TrentService.ListKeys' }, body: '{}' }));
  });

  it('refuses the SDK with another secret key (InvalidSignatureException) or access key (UnrecognizedClientException)', async () => {
    const cases: Array<[typeof credentials, string, string]> = [
      [{ ...credentials, secretAccessKey: 'wrong' }, 'InvalidSignatureException', 'The request signature we calculated'],
      [{ ...credentials, accessKeyId: 'AKIDOTHER' }, 'UnrecognizedClientException', 'The security token included in the'],
    ];
    for (const [creds, name, message] of cases) {
      const client = new KMSClient({ endpoint: server.url, region, credentials: creds, maxAttempts: 1 });
      try {
        await client.send(new GenerateRandomCommand({ NumberOfBytes: 5 })).then(
          () => expect.fail(`${name} expected`),
          (e: Error & { $fault?: string; $metadata?: { httpStatusCode?: number } }) => {
            expect(e.name).to.equal(name);
            expect(e.message).to.contain(message);
            expect(e.$fault).to.equal('client');
            expect(e.$metadata?.httpStatusCode).to.equal(400);
          },
        );
      } finally {
        client.destroy();
      }
    }
  });

  it('checks the session token both ways', async () => {
    const withToken = await serveKms({ kms: new SimulatedKms({ region }), credentials: { ...credentials, sessionToken: 'tok' } });
    try {
      const good = new KMSClient({ endpoint: withToken.url, region, credentials: { ...credentials, sessionToken: 'tok' }, maxAttempts: 1 });
      expect((await good.send(new GenerateRandomCommand({ NumberOfBytes: 1 }))).Plaintext).to.have.length(1);
      good.destroy();
      for (const sessionToken of [undefined, 'other']) {
        const bad = await signed(withToken.url, sessionToken === undefined ? {} : { headers: { 'x-amz-security-token': sessionToken } });
        expectError(await post(withToken.url, bad), 400, 'UnrecognizedClientException');
      }
    } finally {
      await withToken.close();
    }
    const tokenToUntokened = await signed(server.url, { headers: { 'x-amz-security-token': 'tok' } });
    expectError(await post(server.url, tokenToUntokened), 400, 'UnrecognizedClientException');
  });

  it('refuses a request without a signature before looking at anything else', async () => {
    for (const headers of [
      { 'Content-Type': AMZ_JSON, 'X-Amz-Target': 'TrentService.GenerateRandom' },
      { 'Content-Type': 'text/plain', 'X-Amz-Target': 'nonsense' },
    ]) {
      const res = await send(server.url, { headers, body: '{"NumberOfBytes":1}' });
      expect(expectError(res, 400, 'MissingAuthenticationTokenException')).to.equal('Missing Authentication Token');
    }
  });

  it('refuses malformed Authorization headers (IncompleteSignatureException)', async () => {
    const good = await signed(server.url);
    const authorization = good.headers['authorization'] as string;
    for (const bad of [
      'Bearer abc',
      'AWS4-HMAC-SHA256 Credential=AKIDSIGV4TEST',
      authorization.replace(/Signature=[0-9a-f]+/, 'Signature=xyz'),
      authorization.replace('/aws4_request', '/aws4_request/extra'),
      authorization.replace(/SignedHeaders=[^,]+/, 'SignedHeaders=content-type;x-amz-date;x-amz-target'),
      authorization.replace(/SignedHeaders=([^,]+)/, 'SignedHeaders=$1;x-absent'),
    ]) {
      expectError(await post(server.url, { ...good, headers: { ...good.headers, authorization: bad } }), 400, 'IncompleteSignatureException');
    }
    const { 'x-amz-date': _date, ...undated } = good.headers;
    expectError(await post(server.url, { ...good, headers: undated }), 400, 'IncompleteSignatureException');
  });

  it('refuses a tampered body, target or signed header (InvalidSignatureException)', async () => {
    const good = await signed(server.url);
    const tampered = [
      { ...good, body: '{"NumberOfBytes":9}' },
      { ...good, headers: { ...good.headers, 'x-amz-target': 'TrentService.ListKeys' } },
      { ...good, headers: { ...good.headers, 'content-type': `${AMZ_JSON}; charset=utf-8` } },
      // a SignedHeaders list other than the one signed, with the right signature
      { ...good, headers: { ...good.headers, authorization: good.headers['authorization']?.replace('x-amz-date;', '') ?? '' } },
    ];
    for (const request of tampered) {
      const message = expectError(await post(server.url, request), 400, 'InvalidSignatureException');
      expect(message).to.match(/^The request signature we calculated does not match the signature you provided\./);
    }
    // unsigned headers may change freely
    expectOk(await post(server.url, { ...good, headers: { ...good.headers, 'user-agent': 'changed' } }));
    // with a signed content hash, the hash catches the changed body first
    const hashed = await signed(server.url, { applyChecksum: true });
    expect(hashed.headers['x-amz-content-sha256']).to.match(/^[0-9a-f]{64}$/);
    expectOk(await post(server.url, hashed));
    const message = expectError(await post(server.url, { ...hashed, body: '{"NumberOfBytes":9}' }), 400, 'InvalidSignatureException');
    expect(message).to.equal('The provided x-amz-content-sha256 header does not match what was computed.');
  });

  it('checks a given x-amz-content-sha256 against the body', async () => {
    const hash = createHash('sha256').update('{"NumberOfBytes":2}').digest('hex');
    const request = await signed(server.url, { body: '{"NumberOfBytes":8}', headers: { 'x-amz-content-sha256': hash } });
    expect(expectError(await post(server.url, request), 400, 'InvalidSignatureException')).to.contain('x-amz-content-sha256');
    const bodyHash = createHash('sha256').update('{"NumberOfBytes":8}').digest('hex');
    const honest = await signed(server.url, { headers: { 'x-amz-content-sha256': bodyHash } });
    expectOk(await post(server.url, honest));
  });

  it('refuses a signature outside 5 minutes of the server clock', async () => {
    const old = await signed(server.url, { signingDate: new Date(Date.now() - 6 * 60_000) });
    expect(expectError(await post(server.url, old), 400, 'InvalidSignatureException')).to.match(
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/,
    );
    const future = await signed(server.url, { signingDate: new Date(Date.now() + 6 * 60_000) });
    expect(expectError(await post(server.url, future), 400, 'InvalidSignatureException')).to.match(/^Signature not yet current: /);
    expectOk(await post(server.url, await signed(server.url, { signingDate: new Date(Date.now() - 4 * 60_000) })));
  });

  it('property: any mangled signature gets a 400 KMS error, never a 5xx or a success', async () => {
    const good = await signed(server.url);
    const authorization = good.headers['authorization'] as string;
    const piece = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('__proto__', 'constructor', 'host', 'x-amz-date', ';', ',', '/', '=', ' ', 'aws4_request', 'kms', region),
    );
    const scope = good.headers['x-amz-date']?.slice(0, 8) as string;
    const structured = fc
      .record({
        accessKeyId: mostly(credentials.accessKeyId, 'AKIDOTHER', ''),
        date: mostly(scope, '20000101', 'x'),
        scopeRegion: mostly(region, 'us-east-1', ''),
        service: mostly('kms', 'sts', ''),
        terminator: mostly('aws4_request', 'aws4_request/x', 'aws5_request'),
        signedHeaders: fc.uniqueArray(
          fc.constantFrom('host', 'x-amz-date', 'x-amz-target', 'content-type', '__proto__', 'constructor', 'toString', 'absent', 'HOST'),
          { maxLength: 5 },
        ),
        signature: fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), fc.constant(/Signature=(\w+)/.exec(authorization)?.[1] ?? '')),
      })
      .map(
        (a) =>
          `AWS4-HMAC-SHA256 Credential=${a.accessKeyId}/${a.date}/${a.scopeRegion}/${a.service}/${a.terminator}, ` +
          `SignedHeaders=${a.signedHeaders.join(';')}, Signature=${a.signature}`,
      );
    const mangled = fc.oneof(
      structured,
      fc.array(piece, { maxLength: 8 }).map((parts) => `AWS4-HMAC-SHA256 ${parts.join('')}`),
      fc.tuple(fc.nat({ max: authorization.length }), fc.array(piece, { minLength: 1, maxLength: 3 })).map(
        ([at, parts]) => authorization.slice(0, at) + parts.join('') + authorization.slice(at),
      ),
    );
    const amzDate = fc.oneof({ weight: 4, arbitrary: fc.constant(good.headers['x-amz-date'] as string) }, fc.string({ maxLength: 20 }));
    const headerSafe = (s: string) => /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(s);
    await fc.assert(
      fc.asyncProperty(mangled.filter(headerSafe), amzDate.filter(headerSafe), async (auth, date) => {
        fc.pre(auth !== authorization);
        const res = await post(server.url, { ...good, headers: { ...good.headers, authorization: auth, 'x-amz-date': date } });
        expect(res.status, res.text).to.equal(400);
        const type = JSON.parse(res.text).__type as string;
        expect(type).to.be.oneOf(['IncompleteSignatureException', 'InvalidSignatureException', 'UnrecognizedClientException']);
        expectError(res, 400, type);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a credential scope of another region or service', async () => {
    const otherRegion = await signed(server.url, { signingRegion: 'us-east-1' });
    expect(expectError(await post(server.url, otherRegion), 400, 'InvalidSignatureException')).to.equal(
      "Credential should be scoped to a valid region, not 'us-east-1'.",
    );
    const otherService = await signed(server.url, { signingService: 'sts' });
    expect(expectError(await post(server.url, otherService), 400, 'InvalidSignatureException')).to.equal(
      "Credential should be scoped to correct service: 'kms'.",
    );
  });
});
