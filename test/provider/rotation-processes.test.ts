/**
 * Race-safe rotation across processes: several processes rotate one kid over one durable state directory at the
 * same time. Every rotation gets a distinct version, the numbers run 2…1+R with none reused, and once all have
 * exited the latest alias targets the highest version.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { AwsKmsKeyProvider, SimulatedKms } from '../../src/index.js';
import { TempRoot } from '../adapters/simulator/store/durable/durable-test-kit.js';

const ROTATOR = fileURLToPath(new URL('./fixtures/rotator.ts', import.meta.url));

function rotate(stateDir: string, kid: string, count: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--no-experimental-require-module', ROTATOR, stateDir, kid, String(count)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.on('exit', (code) =>
      code === 0 ? resolve(out.trim().split('\n').map(Number)) : reject(new Error(`rotator exited ${code}: ${err}`)),
    );
  });
}

describe('rotation across processes on one state directory', function () {
  this.timeout(120_000);

  it('3 processes × 4 rotations: distinct versions 2…13, and the latest alias on the highest', async () => {
    const root = new TempRoot();
    try {
      const dir = join(root.path, 'state');
      const maker = new SimulatedKms({ stateDir: dir });
      const { kid } = await new AwsKmsKeyProvider({ kms: maker, aliasPrefix: 'procs' }).createKey({ klass: 'asym', alg: 'ECDSA_P256_SHA256' });
      await maker.close();
      const results = await Promise.all([0, 1, 2].map(() => rotate(dir, kid, 4)));
      const versions = results.flat().sort((a, b) => a - b);
      expect(versions).to.deep.equal(Array.from({ length: 12 }, (_, i) => i + 2));
      const reader = new SimulatedKms({ stateDir: dir });
      try {
        const provider = new AwsKmsKeyProvider({ kms: reader, aliasPrefix: 'procs', cache: false });
        expect((await provider.getKey(kid)).version).to.equal(13);
        expect(await provider.listVersions(kid)).to.deep.equal(Array.from({ length: 13 }, (_, i) => i + 1));
      } finally {
        await reader.close();
      }
    } finally {
      root.remove();
    }
  });
});
