/**
 * The package as users get it: `npm pack`, installed into a fresh project, then used the ways users use it —
 * the `kms-keys` bin through npx, `import` and `require()`, the published types compiled without the DOM lib,
 * and source maps that resolve without the repository. Installs from the local npm cache where it can.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
}

describe('the packed package, installed into a fresh project', function () {
  this.timeout(240_000);
  let work: string;
  let project: string;
  let installed: string;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'kms-pack-'));
    // dist/ is built by `npm test` before mocha runs; packing must not rebuild it while other tests use it.
    const tarball = run(NPM, ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], ROOT).trim().split('\n').pop()!;
    project = join(work, 'app');
    run('mkdir', ['-p', project], work);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
    run(NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(work, tarball)], project);
    installed = join(project, 'node_modules', 'aws-kms-keyprovider');
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  it('ships dist/, the README and the licence, and no sources or tests', () => {
    const shipped = files(installed).map((f) => f.slice(installed.length + 1));
    expect(shipped).to.include.members(['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts']);
    expect(shipped.filter((f) => f.startsWith('src/') || f.startsWith('test/'))).to.deep.equal([]);
  });

  it('runs the kms-keys bin through npx: help, and a key that survives to the next invocation', () => {
    expect(run('npx', ['--no-install', 'kms-keys', '--help'], project)).to.contain('Usage: kms-keys');
    const stateDir = join(project, 'state');
    const created = JSON.parse(
      run('npx', ['--no-install', 'kms-keys', '--state-dir', stateDir, '--output', 'json', 'create', '--alg', 'ECDSA_P256_SHA256'], project),
    ) as { kid: string; version: number };
    const got = JSON.parse(run('npx', ['--no-install', 'kms-keys', '--state-dir', stateDir, '--output', 'json', 'get', created.kid], project)) as {
      kid: string;
      version: number;
    };
    expect([got.kid, got.version]).to.deep.equal([created.kid, 1]);
  });

  it('loads with import and with require() (Node ≥ 20.19 require(esm) through the default condition)', () => {
    const imported = run(process.execPath, ['--input-type=module', '-e', "const m = await import('aws-kms-keyprovider'); console.log(typeof m.AwsKmsKeyProvider, typeof m.SimulatedKms)"], project);
    expect(imported.trim()).to.equal('function function');
    const required = run(process.execPath, ['-e', "const m = require('aws-kms-keyprovider'); console.log(typeof m.AwsKmsKeyProvider, typeof m.startKmsServer)"], project);
    expect(required.trim()).to.equal('function function');
  });

  it('its .d.ts compile without the DOM lib, library checks on', () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2023', lib: ['ES2023'], module: 'NodeNext', moduleResolution: 'NodeNext', types: ['node'],
          typeRoots: [join(ROOT, 'node_modules', '@types')], strict: true, skipLibCheck: false, noEmit: true,
        },
        files: ['use.ts'],
      }),
    );
    writeFileSync(
      join(project, 'use.ts'),
      [
        "import { AwsKmsKeyProvider, SimulatedKms, type KeyRef, type SimulatorStore } from 'aws-kms-keyprovider';",
        'const provider = new AwsKmsKeyProvider({ kms: new SimulatedKms({ region: "eu-west-1" }) });',
        'export const ref: Promise<KeyRef> = provider.createKey({ klass: "asym", alg: "ECDSA_P256_SHA256" });',
        'export type Store = SimulatorStore;',
      ].join('\n'),
    );
    run(process.execPath, [TSC, '-p', project], project);
  });

  it('has source maps that resolve without the repository (sources inlined)', () => {
    const maps = files(join(installed, 'dist')).filter((f) => f.endsWith('.js.map'));
    expect(maps.length).to.be.greaterThan(20);
    for (const map of maps) {
      const parsed = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
      expect(parsed.sourcesContent?.length, map).to.equal(parsed.sources.length);
      expect(parsed.sourcesContent?.every((c) => typeof c === 'string' && c.length > 0), map).to.equal(true);
      const js = readFileSync(map.replace(/\.map$/, ''), 'utf8');
      expect(js, map).to.match(/\/\/# sourceMappingURL=[^\n]+\.js\.map\s*$/);
    }
  });
});
