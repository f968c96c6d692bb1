/**
 * `kms-keys jwt` as a subprocess of the built binary over a --state-dir: the token it prints verifies with jose
 * against what `kms-keys jwks` prints (another process); bad input is one stderr line and exit 2 before any KMS
 * call, an unknown kid exit 1.
 */
import { expect } from 'chai';
import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { ensureBuilt, kmsKeys, oneErrorLine, tempDir, type CliResult } from './cli-harness.js';

function ok(result: CliResult): string {
  expect(result.stderr, 'stderr').to.equal('');
  expect(result.code, 'exit code').to.equal(0);
  return result.stdout;
}

describe('kms-keys jwt (built binary, simulator backend)', function () {
  this.timeout(60_000);
  const state = tempDir('kms-keys-jwt-');
  const sim = (...args: string[]): Promise<CliResult> => kmsKeys(['--state-dir', state.path, ...args]);
  const create = async (alg: string): Promise<string> =>
    (JSON.parse(ok(await sim('--output', 'json', 'create', '--alg', alg, ...(alg.startsWith('RSA') ? ['--size', '2048'] : [])))) as { kid: string }).kid;
  const jwks = async (): Promise<JSONWebKeySet> => JSON.parse(ok(await sim('--output', 'json', 'jwks'))) as JSONWebKeySet;

  before(() => ensureBuilt());
  after(() => state.remove());

  for (const [alg, jose] of [['ECDSA_P256_SHA256', 'ES256'], ['RSA_PKCS1_SHA256', 'RS256'], ['ED25519', 'EdDSA']] as const) {
    it(`${alg}: the printed token verifies with jose against \`kms-keys jwks\`; claims, iat, exp as asked`, async () => {
      const kid = await create(alg);
      const before = Math.floor(Date.now() / 1000);
      const stdout = ok(await sim('jwt', kid, '--claims', '{"sub":"alice","aud":"api"}', '--expires-in', '600'));
      expect(stdout).to.match(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
      const token = stdout.trim();
      const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(await jwks()), { audience: 'api' });
      expect(protectedHeader).to.deep.equal({ alg: jose, kid: `${kid}.1`, typ: 'JWT' });
      expect(payload.sub).to.equal('alice');
      expect(payload.iat).to.be.within(before, Math.floor(Date.now() / 1000));
      expect(payload.exp! - payload.iat!).to.equal(600);
    });
  }

  it('--output json: { token, kid, alg, iat, nbf, exp }; --not-before and --header go into the token; a rotation moves the kid', async () => {
    const kid = await create('ECDSA_P384_SHA384');
    ok(await sim('rotate', kid));
    const printed = JSON.parse(ok(await sim('--output', 'json', 'jwt', kid, '--expires-in', '2h', '--not-before', '30s', '--header', 'typ=at+jwt'))) as Record<string, unknown>;
    expect(Object.keys(printed)).to.deep.equal(['token', 'kid', 'alg', 'iat', 'nbf', 'exp']);
    expect(printed).to.include({ kid: `${kid}.2`, alg: 'ES384' });
    expect(printed.nbf).to.equal((printed.iat as number) + 30);
    expect(printed.exp).to.equal((printed.iat as number) + 7200);
    const token = printed.token as string;
    expect(decodeProtectedHeader(token)).to.deep.equal({ alg: 'ES384', kid: `${kid}.2`, typ: 'at+jwt' });
    const { payload } = await jwtVerify(token, createLocalJWKSet(await jwks()), {
      typ: 'at+jwt',
      currentDate: new Date(((printed.iat as number) + 60) * 1000),
    });
    expect(payload.exp).to.equal(printed.exp);
  });

  it('ML-DSA-65: the token verifies with @noble/post-quantum against the AKP JWK of `kms-keys jwks`', async () => {
    const kid = await create('ML_DSA_65');
    const token = ok(await sim('jwt', kid, '--expires-in', '60', '--claims', JSON.stringify({ big: 'x'.repeat(5000) }))).trim();
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const jwk = (await jwks()).keys.find((key) => key.kid === `${kid}.1`) as { pub: string; alg: string };
    expect(jwk.alg).to.equal('ML-DSA-65');
    const input = new TextEncoder().encode(`${header}.${payload}`);
    expect(ml_dsa65.verify(Buffer.from(signature, 'base64url'), input, Buffer.from(jwk.pub, 'base64url'))).to.equal(true);
  });

  const badInput: Array<[string, string[], RegExp]> = [
    ['no --expires-in', ['jwt', '0123456789abcdef'], /required option '--expires-in <time>' not specified/],
    ['a bad kid', ['jwt', 'nope', '--expires-in', '60'], /A kid is 16 lowercase hex characters/],
    ['claims that are not JSON', ['jwt', '0123456789abcdef', '--expires-in', '60', '--claims', '{sub'], /--claims.*Claims are a JSON object/],
    ['claims that are an array', ['jwt', '0123456789abcdef', '--expires-in', '60', '--claims', '[1]'], /Claims must be a plain JSON object; got an array/],
    ['an exp claim', ['jwt', '0123456789abcdef', '--expires-in', '60', '--claims', '{"exp":1}'], /Claim 'exp' is set from --expires-in/],
    ['a bad aud', ['jwt', '0123456789abcdef', '--expires-in', '60', '--claims', '{"aud":[]}'], /Claims\.aud must be a string or a non-empty array/],
    ['a lifetime of 0', ['jwt', '0123456789abcdef', '--expires-in', '0'], /--expires-in.*more than 0 seconds/],
    ['a lifetime in fortnights', ['jwt', '0123456789abcdef', '--expires-in', '2 fortnights'], /--expires-in.*'90s', '10m', '2h'/],
    ['a header alg', ['jwt', '0123456789abcdef', '--expires-in', '60', '--header', 'alg=none'], /headers\.alg is set by the signer/],
    ['a header crit', ['jwt', '0123456789abcdef', '--expires-in', '60', '--header', 'crit=exp'], /headers\.crit is not allowed/],
    ['a header given twice', ['jwt', '0123456789abcdef', '--expires-in', '60', '--header', 'a=1', '--header', 'a=2'], /Header 'a' is given twice/],
    ['a not-before after expiry', ['jwt', '0123456789abcdef', '--expires-in', '60', '--not-before', '1h'], /notBefore \(3600 s\) must be less than/],
  ];
  for (const [what, args, message] of badInput) {
    it(`refuses ${what}: exit 2, one line`, async () => {
      const result = await sim(...args);
      expect(result.code).to.equal(2);
      expect(result.stdout).to.equal('');
      expect(oneErrorLine(result)).to.match(message);
    });
  }

  it('an EdDSA token over KMS’s 4 096-byte limit: exit 2, one line naming the size and the limit', async () => {
    const kid = await create('ED25519');
    const result = await sim('jwt', kid, '--expires-in', '60', '--claims', JSON.stringify({ big: 'x'.repeat(5000) }));
    expect(result.code).to.equal(2);
    expect(oneErrorLine(result)).to.match(/InvalidArgumentError: The JWS signing input is \d+ bytes; KMS signs EdDSA .* at most 4096 bytes/);
  });

  it('an unknown kid, or one that cannot sign: exit 1, one line', async () => {
    const unknown = await sim('jwt', 'feedfacefeedface', '--expires-in', '60');
    expect(unknown.code).to.equal(1);
    expect(oneErrorLine(unknown)).to.match(/KeyNotFoundError/);
    const aes = await create('AES256_GCM');
    const result = await sim('jwt', aes, '--expires-in', '60');
    expect(result.code).to.equal(1);
    expect(oneErrorLine(result)).to.match(/UnsupportedOperationError: .*cannot sign/);
  });
});
