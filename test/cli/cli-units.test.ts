/**
 * The CLI's parts in process (fast): progress on a TTY only, the exit code and one line of every kind of failure,
 * the output formats and their hygiene (no private material), and `run` with captured streams.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyNotFoundError, KmsError, InvalidArgumentError, UnsupportedAlgorithmError, type Jwk, type KeyRef, type SeedOutcome, type SeedReport } from '../../src/index.js';
import { ExitCode, UsageError, debugReport, errorLine, exitCodeFor } from '../../src/cli/errors.js';
import { jwkOutput, jwksOutput, keyRefOutput, publicJwk, render, seedOutput, serveOutput, versionsOutput } from '../../src/cli/output.js';
import { withProgress } from '../../src/cli/progress.js';
import { run } from '../../src/cli/program.js';
import { collectTag, parseAlg, parseKid, parseRsaSize } from '../../src/cli/arguments.js';
import { Capture, captureIo } from './capture-io.js';


const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const io = captureIo;

const REF: KeyRef = {
  kid: '0123456789abcdef',
  version: 2,
  type: 'opaque',
  uses: ['sign', 'verify'],
  exportPolicy: 'none',
  public: '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n',
  fingerprint: 'ab'.repeat(32),
  tags: { alg: 'ECDSA_P256_SHA256', 'kms:key_id': 'k', 'kms:region': 'us-east-1', label: 'l' },
};

describe('kms-keys parts (in process)', () => {
  describe('progress', () => {
    it('writes nothing when the stream is not a TTY, however long the work', async () => {
      const stream = new Capture(false);
      expect(await withProgress({ stream, label: 'Creating', immediate: true, delayMs: 0 }, async () => 'done')).to.equal('done');
      expect(stream.text).to.equal('');
    });

    it('on a TTY: at once when immediate, redrawn with the elapsed seconds, erased at the end', async () => {
      const stream = new Capture(true);
      let now = 1_000;
      const result = await withProgress({ stream, label: 'Creating an RSA key', immediate: true, intervalMs: 10, now: () => now }, async () => {
        expect(stream.text).to.include('Creating an RSA key… 0.0s');
        now += 1_500;
        await sleep(40);
        return 42;
      });
      expect(result).to.equal(42);
      expect(stream.text).to.include('Creating an RSA key… 1.5s');
      expect(stream.text.endsWith('\r\u001b[2K')).to.equal(true);
      expect(stream.text).not.to.include('\n');
    });

    it('on a TTY: only once the work takes longer than the delay; erased on failure too', async () => {
      const fast = new Capture(true);
      await withProgress({ stream: fast, label: 'Rotating', delayMs: 50 }, async () => sleep(5));
      expect(fast.text).to.equal('');
      const slow = new Capture(true);
      const failure = await withProgress({ stream: slow, label: 'Rotating', delayMs: 20, intervalMs: 10 }, async () => {
        await sleep(60);
        throw new Error('boom');
      }).catch((error: unknown) => error);
      expect((failure as Error).message).to.equal('boom');
      expect(slow.text).to.include('Rotating…');
      expect(slow.text.endsWith('\r\u001b[2K')).to.equal(true);
    });
  });

  describe('errors', () => {
    it('bad input is exit 2, a KMS or provider failure exit 1', () => {
      expect(exitCodeFor(new UsageError('x'))).to.equal(ExitCode.usage);
      expect(exitCodeFor(new InvalidArgumentError('x'))).to.equal(ExitCode.usage);
      expect(exitCodeFor(new UnsupportedAlgorithmError('x'))).to.equal(ExitCode.usage);
      expect(exitCodeFor(new KeyNotFoundError('x'))).to.equal(ExitCode.failure);
      expect(exitCodeFor(new KmsError('x'))).to.equal(ExitCode.failure);
      expect(exitCodeFor(new Error('x'))).to.equal(ExitCode.failure);
      expect(exitCodeFor('a string')).to.equal(ExitCode.failure);
    });

    it('one line: the class name and the message, line breaks collapsed; UsageError without a name', () => {
      expect(errorLine(new KmsError('Could not list (ThrottlingException:\n  Rate exceeded)'))).to.equal(
        'error: KmsError: Could not list (ThrottlingException: Rate exceeded)',
      );
      expect(errorLine(new UsageError('--endpoint-url applies to --backend aws only'))).to.equal('error: --endpoint-url applies to --backend aws only');
      expect(errorLine(Object.assign(new Error(''), { name: 'NetworkingError' }))).to.equal('error: NetworkingError');
      expect(errorLine('plain')).to.equal('error: Error: plain');
    });

    it('--debug: the stack of the error and of each cause', () => {
      const cause = Object.assign(new Error('Alias is not found.'), { name: 'NotFoundException' });
      const report = debugReport(new KeyNotFoundError('Unknown kid', { cause }));
      expect(report).to.match(/^KeyNotFoundError: Unknown kid\n\s+at /).and.include('caused by: NotFoundException: Alias is not found.');
    });
  });

  describe('output', () => {
    it('json is the KeyRef as given (without any material member); text readable lines with the tags and the PEM', () => {
      const leaky = { ...REF, material: new Uint8Array([1, 2, 3]) } as unknown as KeyRef;
      const output = keyRefOutput(leaky);
      expect(JSON.parse(render(output, 'json'))).to.deep.equal(JSON.parse(JSON.stringify(REF)));
      const text = render(output, 'text');
      expect(text).to.match(/^kid:\s+0123456789abcdef$/m).and.match(/^version:\s+2$/m).and.match(/^ {2}label:\s+l$/m);
      expect(text).to.include('  -----BEGIN PUBLIC KEY-----').and.not.include('material');
    });

    it('JWKs keep their public members only; the JWKS text is a table; an empty one says so', () => {
      const jwk = { kty: 'EC', crv: 'P-256', x: 'X', y: 'Y', d: 'SECRET', kid: 'k.1', alg: 'ES256', use: 'sig' } as unknown as Jwk;
      expect(publicJwk(jwk)).to.deep.equal({ kty: 'EC', crv: 'P-256', x: 'X', y: 'Y', kid: 'k.1', alg: 'ES256', use: 'sig' });
      expect(render(jwkOutput(jwk), 'json')).not.to.include('SECRET');
      const okp = { kty: 'OKP', crv: 'Ed25519', x: 'X', d: 'SECRET', kid: 'k.1', alg: 'EdDSA', use: 'sig' } as unknown as Jwk;
      expect(publicJwk(okp)).to.deep.equal({ kty: 'OKP', crv: 'Ed25519', x: 'X', kid: 'k.1', alg: 'EdDSA', use: 'sig' });
      const akp = { kty: 'AKP', alg: 'ML-DSA-65', pub: 'P', priv: 'SECRET', kid: 'k.1', use: 'sig' } as unknown as Jwk;
      expect(publicJwk(akp)).to.deep.equal({ kty: 'AKP', alg: 'ML-DSA-65', pub: 'P', kid: 'k.1', use: 'sig' });
      expect(render(jwksOutput({ keys: [jwk] }), 'text')).to.equal('KID  KTY  ALG    USE\nk.1  EC   ES256  sig\n');
      expect(render(jwksOutput({ keys: [] }), 'json')).to.equal('{\n  "keys": []\n}\n');
      expect(render(jwksOutput({ keys: [] }), 'text')).to.equal('(no keys)\n');
    });

    it('every published key type comes out of `kms-keys jwk` and `jwks` whole (as the provider made it)', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kms-keys-units-'));
      try {
        const cli = async (...args: string[]): Promise<unknown> => {
          const out = io();
          expect(await run(['node', 'kms-keys', '--state-dir', dir, '--output', 'json', ...args], out), out.stderr.text).to.equal(0);
          return JSON.parse(out.stdout.text);
        };
        const kids: string[] = [];
        for (const alg of ['ED25519', 'ML_DSA_44', 'ECDSA_SECP256K1_SHA256', 'RSA_PKCS1_SHA256']) {
          const ref = (await cli('create', '--alg', alg, ...(alg.startsWith('RSA') ? ['--size', '2048'] : []))) as KeyRef;
          kids.push(ref.kid);
        }
        const jwks = (await cli('jwks')) as { keys: Jwk[] };
        for (const kid of kids) {
          const jwk = (await cli('jwk', kid)) as Jwk;
          expect(jwks.keys.find((key) => key.kid === jwk.kid)).to.deep.equal(jwk);
          expect(Object.keys(jwk)).to.include.members(
            { OKP: ['crv', 'x'], AKP: ['pub'], EC: ['crv', 'x', 'y'], RSA: ['n', 'e'] }[jwk.kty],
          );
        }
        expect(jwks.keys.map((key) => key.alg).sort()).to.deep.equal(['ES256K', 'EdDSA', 'ML-DSA-44', 'RS256']);
        const certified = (await cli('jwks', '--x5c')) as { keys: Jwk[] };
        for (const [i, jwk] of certified.keys.entries()) {
          const { x5c, 'x5t#S256': thumbprint, ...rest } = jwk;
          expect(rest).to.deep.equal(jwks.keys[i]);
          expect(x5c).to.have.length(1);
          expect(thumbprint).to.match(/^[A-Za-z0-9_-]{43}$/);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('versions, seed reports and serve URLs', () => {
      expect(render(versionsOutput([1, 2]), 'json')).to.equal('[\n  1,\n  2\n]\n');
      expect(render(versionsOutput([1, 2]), 'text')).to.equal('1\n2\n');
      const created: SeedOutcome = { index: 0, entry: 'Keys[0]', status: 'created', keyId: 'id-1' };
      const skipped: SeedOutcome = { index: 1, entry: 'Keys[1]', status: 'skipped', reason: 'another Region' };
      const report: SeedReport = { entries: [created, skipped], created: [created], updated: [], unchanged: [], skipped: [skipped] };
      expect(render(seedOutput('s.yaml', report), 'text')).to.equal(
        'Seeded s.yaml: 1 created, 0 updated, 0 unchanged, 1 skipped\n  created  Keys[0]  id-1\n  skipped  Keys[1]  another Region\n',
      );
      expect(JSON.parse(render(seedOutput('s.yaml', report), 'json'))).to.deep.equal({ file: 's.yaml', report });
      expect(serveOutput('http://h:1', 'http://h:1/j', 'json')).to.equal('{"url":"http://h:1","jwksUrl":"http://h:1/j"}\n');
      expect(serveOutput('http://h:1', 'http://h:1/j', 'text')).to.match(/^KMS endpoint: http:\/\/h:1\nJWKS: +http:\/\/h:1\/j\n$/);
    });
  });

  describe('arguments', () => {
    it('parses algs case-insensitively, RSA sizes, kids and repeated tags; refuses the rest naming the rule', () => {
      expect(parseAlg('ecdsa_p256_sha256')).to.equal('ECDSA_P256_SHA256');
      expect(parseAlg('hmac_sha256')).to.equal('HMAC_SHA256');
      expect(() => parseAlg('X25519')).to.throw(/valid: AES256_GCM, HMAC_SHA224, .*, ML_DSA_87\.$/);
      expect(() => parseAlg('RS256')).to.throw(/ RS256 is the JOSE name of RSA_PKCS1_SHA256\.$/);
      expect(parseRsaSize('4096')).to.equal(4096);
      expect(() => parseRsaSize('4096.0')).to.throw(/2048, 3072, 4096/);
      expect(parseKid('0123456789abcdef')).to.equal('0123456789abcdef');
      expect(() => parseKid('0123456789abcde')).to.throw(/16 lowercase hex/);
      expect(collectTag('b=2=3', collectTag('a=', undefined))).to.deep.equal({ a: '', b: '2=3' });
      expect(() => collectTag('a=2', { a: '1' })).to.throw(/given twice/);
    });
  });

  describe('run', () => {
    it('--help on stdout with exit 0; bad input one line on stderr with exit 2, nothing on stdout', async () => {
      const help = io();
      expect(await run(['node', 'kms-keys', '--help'], help)).to.equal(0);
      expect(help.stdout.text).to.include('Usage: kms-keys');
      const bad = io();
      expect(await run(['node', 'kms-keys', 'jwks', '--nope'], bad)).to.equal(2);
      expect(bad.stderr.text).to.equal("error: unknown option '--nope'\n");
      expect(bad.stdout.text).to.equal('');
      const none = io();
      expect(await run(['node', 'kms-keys'], none)).to.equal(2);
      expect(none.stderr.text).to.include('Usage: kms-keys');
    });

    it('the state directory is --state-dir, else KMS_SIM_STATE_DIR (seen with --debug); one that cannot be made is exit 1', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kms-keys-units-'));
      try {
        const fromEnv = io({ KMS_SIM_STATE_DIR: join(dir, 'env') });
        expect(await run(['node', 'kms-keys', '--debug', 'versions', '0123456789abcdef'], fromEnv)).to.equal(1);
        expect(fromEnv.stderr.text).to.include(`debug: backend simulator, state dir ${join(dir, 'env')}, region us-east-1`);
        const fromFlag = io({ KMS_SIM_STATE_DIR: join(dir, 'env') });
        expect(await run(['node', 'kms-keys', '--state-dir', join(dir, 'flag'), '--debug', 'jwks'], fromFlag)).to.equal(0);
        expect(fromFlag.stderr.text).to.include(`state dir ${join(dir, 'flag')},`);
        expect(fromFlag.stdout.text).to.equal('(no keys)\n');
        const blocked = io();
        writeFileSync(join(dir, 'file'), '');
        expect(await run(['node', 'kms-keys', '--state-dir', join(dir, 'file', 'state'), 'jwks'], blocked)).to.equal(1);
        expect(blocked.stderr.text.split('\n')).to.have.length(2);
        expect(blocked.stderr.text).to.match(/^error: \w+: /);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
