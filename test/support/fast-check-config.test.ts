/** The suite's one fast-check configuration: FC_SEED / FC_PATH / FC_RUNS reach every property test. */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { fastCheckParameters } from './fast-check-config.js';

const ROOT = new URL('../../', import.meta.url);

describe('fast-check configuration (FC_SEED, FC_PATH, FC_RUNS)', () => {
  it('reads seed, path and runs from the environment, and nothing when they are absent', () => {
    expect(fastCheckParameters({})).to.deep.equal({});
    expect(fastCheckParameters({ FC_SEED: '-123', FC_PATH: '4:0:2', FC_RUNS: '7' })).to.deep.equal({
      seed: -123,
      path: '4:0:2',
      numRuns: 7,
    });
  });

  it('refuses values that would silently replay nothing', () => {
    expect(() => fastCheckParameters({ FC_SEED: 'abc' })).to.throw('FC_SEED must be an integer, got abc');
    expect(() => fastCheckParameters({ FC_PATH: '1:2' })).to.throw('set FC_SEED too');
    expect(() => fastCheckParameters({ FC_SEED: '1', FC_PATH: 'x' })).to.throw('FC_PATH must look like');
  });

  it('is loaded by mocha before every test file', () => {
    const mocharc = JSON.parse(readFileSync(new URL('.mocharc.json', ROOT), 'utf8')) as { require?: string[] };
    expect(mocharc.require).to.include('test/support/fast-check-config.ts');
  });

  it('configures the fast-check instance that test files import, so a seed replays the same values', () => {
    const script = [
      "await import('./test/support/fast-check-config.ts');",
      "const { default: fc } = await import('fast-check');",
      'const seen = [];',
      'fc.assert(fc.property(fc.integer(), (n) => { seen.push(n); }), { numRuns: 5 });',
      'console.log(JSON.stringify({ global: fc.readConfigureGlobal(), seen }));',
    ].join('\n');
    const run = (seed: string): { global: fc.GlobalParameters; seen: number[] } =>
      JSON.parse(
        execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
          cwd: ROOT,
          env: { ...process.env, FC_SEED: seed, FC_PATH: '', FC_RUNS: '' },
          encoding: 'utf8',
        }),
      ) as { global: fc.GlobalParameters; seen: number[] };
    const first = run('987654');
    expect(first.global.seed).to.equal(987654);
    expect(run('987654').seen).to.deep.equal(first.seen);
    expect(run('11').seen).not.to.deep.equal(first.seen);
  });

  it('FC_PATH replays the shrunk counterexample of a failure directly', () => {
    const script = [
      "await import('./test/support/fast-check-config.ts');",
      "const { default: fc } = await import('fast-check');",
      'const details = fc.check(fc.property(fc.integer(), (n) => n < 1000));',
      'console.log(JSON.stringify({ numRuns: details.numRuns, counterexample: details.counterexample, path: details.counterexamplePath, seed: details.seed }));',
    ].join('\n');
    const run = (env: Record<string, string>) =>
      JSON.parse(
        execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
          cwd: ROOT,
          env: { ...process.env, FC_SEED: '', FC_PATH: '', FC_RUNS: '', ...env },
          encoding: 'utf8',
        }),
      ) as { numRuns: number; counterexample: number[]; path: string; seed: number };
    const failure = run({ FC_SEED: '42' });
    expect(failure.counterexample).to.deep.equal([1000]);
    const replay = run({ FC_SEED: String(failure.seed), FC_PATH: failure.path });
    expect(replay.numRuns).to.equal(1);
    expect(replay.counterexample).to.deep.equal([1000]);
  });
});
