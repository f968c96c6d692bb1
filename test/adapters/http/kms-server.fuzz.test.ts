/**
 * A fuzz test of the wire: arbitrary methods, paths, Host headers, content types, targets, SigV4-looking
 * Authorization headers, other headers and bodies, sent over real HTTP to a loopback simulator server (every
 * Region and account, with the JWKS). Every answer must be JSON with a 2xx or 4xx status (never a 5xx for a
 * client's mistake, nothing reported as an internal error), within a bounded time, and the server must still
 * serve a normal request afterwards. Seeded by the suite's fast-check configuration (test/support).
 */
import { type IncomingHttpHeaders, request, validateHeaderValue } from 'node:http';
import { expect } from 'chai';
import fc from 'fast-check';
import { type SimulatorServer, JWKS_PATH, startSimulatorServer } from '../../../src/kms-simulator-server.js';
import { AMZ_JSON, LIST_KEYS_HEADERS, expectOk, send } from './http-test-kit.js';

/** How long one answer may take before the test fails (a hang), in ms: a bound, not a performance threshold. */
const ANSWER_BOUND_MS = 15_000;

interface FuzzRequest {
  method: string;
  path: string;
  host: { value: string; loopback: boolean };
  headers: Record<string, string>;
  body: string | Uint8Array;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

function sendBounded(url: string, req: FuzzRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const options = { hostname, port, path: req.path, method: req.method, headers: { ...req.headers, Host: req.host.value }, agent: false };
    const r = request(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    r.setTimeout(ANSWER_BOUND_MS, () => r.destroy(new Error(`no answer within ${ANSWER_BOUND_MS} ms`)));
    r.on('error', reject);
    r.end(req.body);
  });
}

const validHeaderValue = (value: string): boolean => {
  try {
    validateHeaderValue('x', value);
    return true;
  } catch {
    return false;
  }
};

const TARGETS = [
  'ListKeys',
  'ListAliases',
  'DescribeKey',
  'CreateKey',
  'CreateAlias',
  'GetPublicKey',
  'Sign',
  'Verify',
  'Encrypt',
  'Decrypt',
  'GenerateRandom',
  'GenerateDataKey',
  'GenerateMac',
  'TagResource',
  'ListResourceTags',
  'ScheduleKeyDeletion',
  'EnableKey',
  'DisableKey',
].map((name) => `TrentService.${name}`);

const MEMBERS = [
  'KeyId',
  'Limit',
  'Marker',
  'NumberOfBytes',
  'Plaintext',
  'CiphertextBlob',
  'Message',
  'MessageType',
  'Signature',
  'SigningAlgorithm',
  'KeySpec',
  'KeyUsage',
  'Description',
  'Tags',
  'TagKeys',
  'AliasName',
  'TargetKeyId',
  'EncryptionContext',
  'GrantTokens',
  'PendingWindowInDays',
  'MacAlgorithm',
  'Origin',
  'MultiRegion',
  'Policy',
];

const text = fc.string({ maxLength: 40, unit: 'grapheme-ascii' });
const headerValue = fc.string({ maxLength: 60, unit: 'binary' }).filter(validHeaderValue);

// Weighted towards what reaches the operations: a loopback Host, `POST /`, the KMS content type, a known target.
const host = fc.oneof(
  { arbitrary: fc.constantFrom('127.0.0.1', 'localhost', '[::1]', 'LOCALHOST').map((value) => ({ value, loopback: true })), weight: 6 },
  fc.tuple(fc.constantFrom('127.0.0.1', 'localhost', '[::1]'), fc.integer({ min: 1, max: 65_535 })).map(([name, port]) => ({
    value: `${name}:${port}`,
    loopback: true,
  })),
  fc.domain().map((value) => ({ value, loopback: false })),
);

const contentType = fc.option(
  fc.oneof(
    { arbitrary: fc.constant(AMZ_JSON), weight: 6 },
    fc.constantFrom(`${AMZ_JSON}; charset=utf-8`, 'APPLICATION/X-AMZ-JSON-1.1', 'application/json', 'text/plain', 'application/x-amz-json-1.0'),
    headerValue,
  ),
  { nil: undefined, freq: 10 },
);

const target = fc.option(
  fc.oneof({ arbitrary: fc.constantFrom(...TARGETS), weight: 6 }, text.map((name) => `TrentService.${name}`), headerValue),
  { nil: undefined, freq: 10 },
);

const authorization = fc.option(
  fc.oneof(
    fc
      .tuple(
        fc.oneof(fc.constantFrom('111111111111', '222222222222', 'AKIDEXAMPLE'), text),
        fc.oneof(fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2'), text),
        fc.constantFrom('kms', 'sts', ''),
      )
      .map(
        ([akid, region, service]) =>
          `AWS4-HMAC-SHA256 Credential=${akid}/20240101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=00ff`,
      )
      .filter(validHeaderValue),
    headerValue,
  ),
  { nil: undefined },
);

const otherHeaders = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      'x-amz-date',
      'x-amz-security-token',
      'x-amz-content-sha256',
      'x-amz-user-agent',
      'origin',
      'accept',
      'accept-encoding',
      'content-encoding',
      'user-agent',
      'cookie',
      'if-none-match',
      'access-control-request-method',
    ),
    fc.stringMatching(/^x-[a-z0-9-]{1,20}$/),
  ),
  headerValue,
  { maxKeys: 4 },
);

const structuredBody = fc
  .dictionary(fc.oneof(fc.constantFrom(...MEMBERS), text), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 })
  .map((members) => JSON.stringify(members));

const body = fc.oneof(
  fc.constant(''),
  fc.constant('{}'),
  { arbitrary: structuredBody, weight: 4 },
  fc.json({ maxDepth: 2 }),
  fc.string({ maxLength: 200, unit: 'grapheme' }),
  fc.uint8Array({ maxLength: 300 }),
);

const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc
  .record({
    method: fc.oneof({ arbitrary: fc.constant('POST'), weight: 8 }, fc.constantFrom('GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH')),
    path: fc.oneof(
      { arbitrary: fc.constant('/'), weight: 8 },
      fc.constantFrom('/?Action=ListKeys', JWKS_PATH, `${JWKS_PATH}?x=1`, '/x', '//', '/%00', '/..'),
      fc.stringMatching(/^\/[A-Za-z0-9._~%!$&'()*+,;=:@/-]{0,40}$/),
    ),
    host,
    contentType,
    target,
    authorization,
    otherHeaders,
    body,
  })
  .map(({ contentType: type, target: amzTarget, authorization: auth, otherHeaders: others, ...rest }) => {
    const headers: Record<string, string> = { ...others };
    if (type !== undefined) headers['content-type'] = type;
    if (amzTarget !== undefined) headers['x-amz-target'] = amzTarget;
    if (auth !== undefined) headers['authorization'] = auth;
    return { ...rest, headers };
  });

/** Asserts what every answer must be: no server fault, a JSON body (none for HEAD), the error type in the header. */
function expectWellFormed(req: FuzzRequest, res: Answer): void {
  const what = `${req.method} ${req.path} (Host ${req.host.value}) → ${res.status} ${res.text}`;
  expect(res.status >= 200 && res.status < 500, what).to.equal(true);
  if (!req.host.loopback) expect(res.status, what).to.equal(403);
  if (res.status === 304) return;
  expect(res.headers['content-type'], what).to.match(/^application\/(x-amz-json-1\.1|json|jwk-set\+json)$/);
  expect(Object.keys(res.headers).filter((name) => name.startsWith('access-control-')), what).to.deep.equal([]);
  if (req.method === 'HEAD') return;
  const parsed: unknown = JSON.parse(res.text);
  expect(parsed, what).to.be.an('object');
  if (res.status >= 400) {
    const error = parsed as Record<string, unknown>;
    expect(error['message'], what).to.be.a('string');
    if (res.headers['content-type'] === AMZ_JSON) {
      expect(error['__type'], what).to.be.a('string');
      expect(res.headers['x-amzn-errortype'], what).to.equal(error['__type']);
    }
  }
}

describe('KMS wire endpoint: fuzzed requests over HTTP', function () {
  this.timeout(300_000);
  let server: SimulatorServer;
  const internal: Array<[unknown, string]> = [];
  before(async () => {
    server = await startSimulatorServer({ port: 0, onInternalError: (error, context) => internal.push([error, context]) });
  });
  after(() => server.close());

  it('answers every request with JSON and a 2xx or 4xx (never a 5xx), and still serves a normal request', async () => {
    await fc.assert(
      fc.asyncProperty(fuzzRequest, async (req) => {
        expectWellFormed(req, await sendBounded(server.url, req));
      }),
      { numRuns: 150 },
    );
    expect(internal, 'internal errors reported').to.deep.equal([]);
    expectOk(await send(server.url, { headers: LIST_KEYS_HEADERS, body: '{}' }));
    const jwks = await send(server.url, { method: 'GET', path: JWKS_PATH });
    expect(jwks.status).to.equal(200);
  });
});
