/**
 * Hostile input on the command line: every command and flag of `kms-keys`, in process (`serve` stops as soon as
 * it has started), with arbitrary values — unicode with lone surrogates, huge strings, numbers out of every range, `-`
 * prefixes, `__proto__`. Exit code 0, 1 or 2; a failure is exactly one stderr line with no stack trace; no
 * prototype pollution. Replay a failure with the printed seed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import { run } from '../../src/cli/program.js';
import { captureIo } from './capture-io.js';


const value = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom('', '-1', '0', 'NaN', 'Infinity', '1e309', '99999999999999999999', '__proto__', 'constructor', '\ud800', '0123456789abcdef.1', 'a'.repeat(5_000), '--help', '-'),
);

const ARGS: Record<string, (v: string) => string[]> = {
  'create --alg': (v) => ['create', '--alg', v],
  'create --size': (v) => ['create', '--alg', 'RSA_PSS_SHA256', '--size', v],
  'create --label': (v) => ['create', '--alg', 'ECDSA_P256_SHA256', '--label', v],
  'create --tag': (v) => ['create', '--alg', 'ECDSA_P256_SHA256', '--tag', v],
  'rotate <kid>': (v) => ['rotate', v],
  'rotate --size': (v) => ['rotate', '0123456789abcdef', '--size', v],
  'get <kid>': (v) => ['get', v],
  'get --version': (v) => ['get', '0123456789abcdef', '--version', v],
  'versions <kid>': (v) => ['versions', v],
  'jwk --version': (v) => ['jwk', '0123456789abcdef', '--version', v],
  'jwks --prefix': (v) => ['jwks', '--prefix', v],
  'jwt <kid>': (v) => ['jwt', v, '--expires-in', '60'],
  'jwt --claims': (v) => ['jwt', '0123456789abcdef', '--expires-in', '60', '--claims', v],
  'jwt --expires-in': (v) => ['jwt', '0123456789abcdef', '--expires-in', v],
  'jwt --not-before': (v) => ['jwt', '0123456789abcdef', '--expires-in', '1y', '--not-before', v],
  'jwt --header': (v) => ['jwt', '0123456789abcdef', '--expires-in', '60', '--header', v],
  'jwks --include': (v) => ['jwks', '--include', v],
  'activate --version': (v) => ['activate', '0123456789abcdef', '--version', v],
  'retire <kid>': (v) => ['retire', v, '--version', '1'],
  'retire --version': (v) => ['retire', '0123456789abcdef', '--version', v],
  'reinstate --version': (v) => ['reinstate', '0123456789abcdef', '--version', v],
  'destroy --window-days': (v) => ['destroy', '0123456789abcdef', '--window-days', v],
  'cancel-deletion <kid>': (v) => ['cancel-deletion', v],
  'seed <file>': (v) => ['seed', v],
  '--alias-prefix': (v) => ['--alias-prefix', v, 'jwks'],
  '--region': (v) => ['--region', v, 'jwks'],
  '--output': (v) => ['--output', v, 'jwks'],
  '--backend': (v) => ['--backend', v, 'jwks'],
  // serve starts, prints its URL and stops at once (the waitForStop hook) when its flags are valid
  'serve --host': (v) => ['serve', '--port', '0', '--host', v],
  'serve --port': (v) => ['serve', '--port', v],
  'serve --account-id': (v) => ['serve', '--port', '0', '--account-id', v],
  'serve --jwks-max-age': (v) => ['serve', '--port', '0', '--jwks-max-age', v],
  'serve --jwks-include': (v) => ['serve', '--port', '0', '--jwks-include', v],
  'serve --seed': (v) => ['serve', '--port', '0', '--seed', v],
  'serve --faults': (v) => ['serve', '--port', '0', '--faults', v],
};

describe('kms-keys: hostile flag values', function () {
  this.timeout(180_000);
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'kms-cli-fuzz-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [name, argsOf] of Object.entries(ARGS)) {
    it(name, async () => {
      await fc.assert(
        fc.asyncProperty(value, async (v) => {
          const io = captureIo();
          const code = await run(['node', 'kms-keys', '--state-dir', join(dir, 'state'), ...argsOf(v)], io, { waitForStop: async () => 'test' });
          expect([0, 1, 2], `exit code ${code}: ${io.stderr.text}`).to.include(code);
          if (code !== 0) {
            const lines = io.stderr.text.split('\n').filter((line) => line !== '');
            expect(lines, io.stderr.text).to.have.length(1);
            expect(io.stderr.text, 'no stack trace').not.to.match(/^\s+at /m);
          }
          expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
        }),
        { numRuns: fc.readConfigureGlobal().numRuns ?? 25 },
      );
    });
  }
});
