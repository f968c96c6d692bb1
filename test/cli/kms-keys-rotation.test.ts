/**
 * kms-keys rotation that never breaks a token, as a subprocess of the built binary: `rotate --no-activate`,
 * `jwks --include enabled`, `activate`, `retire`, `reinstate`, their bad input (exit 2) and refusals (exit 1),
 * and `serve --jwks-include enabled` publishing every Enabled version over HTTP.
 */
import { once } from 'node:events';
import { join } from 'node:path';
import { expect } from 'chai';
import { ensureBuilt, kmsKeys, oneErrorLine, spawnKmsKeys, tempDir, type CliResult } from './cli-harness.js';

function json(result: CliResult): any {
  expect(result.stderr, 'stderr').to.equal('');
  expect(result.code, 'exit code').to.equal(0);
  return JSON.parse(result.stdout);
}

describe('kms-keys rotation grace (built binary, simulator backend)', function () {
  this.timeout(60_000);
  const state = tempDir('kms-keys-grace-');
  const sim = (...args: string[]): Promise<CliResult> => kmsKeys(['--state-dir', state.path, ...args]);
  const simJson = async (...args: string[]): Promise<any> => json(await sim('--output', 'json', ...args));
  const published = async (...flags: string[]): Promise<string[]> =>
    ((await simJson('jwks', ...flags)).keys as Array<{ kid: string }>).map((key) => key.kid);

  before(() => ensureBuilt());
  after(() => state.remove());

  it('pre-publish, activate, retire, reinstate: the latest and the JWKS at each step', async () => {
    const { kid } = await simJson('create', '--alg', 'ED25519');
    const pre = await simJson('rotate', kid, '--no-activate');
    expect(pre.version).to.equal(2);
    expect((await simJson('get', kid)).version, 'the latest stays on v1').to.equal(1);
    expect(await published('--include', 'enabled')).to.deep.equal([`${kid}.1`, `${kid}.2`]);
    expect(await published(), 'default: the latest only').to.deep.equal([`${kid}.1`]);
    expect(await published('--include', 'latest')).to.deep.equal([`${kid}.1`]);

    const activated = await simJson('activate', kid, '--version', '2');
    expect([activated.kid, activated.version]).to.deep.equal([kid, 2]);
    expect((await simJson('get', kid)).version).to.equal(2);

    expect(await simJson('retire', kid, '--version', '1')).to.deep.equal({ kid, version: 1, state: 'retired' });
    expect(await published('--include', 'enabled')).to.deep.equal([`${kid}.2`]);
    const text = await sim('retire', kid, '--version', '1'); // already retired: nothing changes
    expect([text.code, text.stdout]).to.deep.equal([0, `Retired version 1 of kid ${kid}: disabled, out of every JWKS (reinstate enables it again)\n`]);
    expect(await simJson('reinstate', kid, '--version', '1')).to.deep.equal({ kid, version: 1, state: 'enabled' });
    expect(await published('--include', 'enabled')).to.deep.equal([`${kid}.1`, `${kid}.2`]);

    // A rollback, then a normal rotation: no number reused.
    expect((await simJson('activate', kid, '--version', '1')).version).to.equal(1);
    expect((await simJson('rotate', kid)).version).to.equal(3);
    expect(await simJson('versions', kid)).to.deep.equal([1, 2, 3]);

    // Refusals are provider failures: exit 1, one line naming the fix.
    const latest = await sim('retire', kid, '--version', '3');
    expect(latest.code).to.equal(1);
    expect(oneErrorLine(latest)).to.match(/InvalidKeyStateError: Version 3 of kid [0-9a-f]{16} is the latest \(it signs\): activateVersion/);
    await simJson('retire', kid, '--version', '2');
    const retired = await sim('activate', kid, '--version', '2');
    expect(retired.code).to.equal(1);
    expect(oneErrorLine(retired)).to.match(/is retired \(disabled\): reinstateVersion\(kid, 2\) enables it again/);
    const unknown = await sim('activate', kid, '--version', '9');
    expect([unknown.code, oneErrorLine(unknown)]).to.deep.equal([1, `error: KeyNotFoundError: Unknown version 9 of kid ${kid}`]);
  });

  it('bad input: exit 2, one line, before any KMS call', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['activate', '0123456789abcdef'], /--version.*not specified/],
      [['retire', '0123456789abcdef', '--version', '0'], /--version.*'0'/],
      [['reinstate', 'XYZ', '--version', '1'], /kid.*16 lowercase hex/],
      [['jwks', '--include', 'all'], /--include.*'all'.*latest, enabled/],
      [['serve', '--port', '0', '--jwks-include', 'every'], /--jwks-include.*'every'.*latest, enabled/],
      [['rotate', '0123456789abcdef', '--activate'], /unknown option '--activate'/],
    ];
    const results = await Promise.all(cases.map(([args]) => sim(...args)));
    results.forEach((result, i) => {
      expect(result.code, cases[i]![0].join(' ')).to.equal(2);
      expect(oneErrorLine(result), cases[i]![0].join(' ')).to.match(cases[i]![1]);
    });
  });

  it('serve --jwks-include enabled publishes every Enabled version (with the --jwks-max-age Cache-Control)', async () => {
    const dir = join(state.path, 'serve');
    const { kid } = json(await kmsKeys(['--state-dir', dir, '--output', 'json', 'create', '--alg', 'ECDSA_P256_SHA256']));
    json(await kmsKeys(['--state-dir', dir, '--output', 'json', 'rotate', kid, '--no-activate']));
    for (const [flags, expected] of [
      [['--jwks-include', 'enabled'], [`${kid}.1`, `${kid}.2`]],
      [[], [`${kid}.1`]],
    ] as const) {
      const child = spawnKmsKeys(['--state-dir', dir, '--output', 'json', 'serve', '--port', '0', '--jwks-max-age', '60', ...flags]);
      const exited = once(child, 'exit');
      try {
        let buffered = '';
        for await (const chunk of child.stdout!) {
          buffered += (chunk as Buffer).toString();
          if (buffered.includes('\n')) break;
        }
        const { jwksUrl } = JSON.parse(buffered.slice(0, buffered.indexOf('\n'))) as { jwksUrl: string };
        const response = await fetch(jwksUrl);
        expect(response.headers.get('cache-control')).to.equal('public, max-age=60');
        const body = (await response.json()) as { keys: Array<{ kid: string }> };
        expect(body.keys.map((key) => key.kid), flags.join(' ') || 'default').to.deep.equal(expected);
        child.kill('SIGTERM');
        await exited;
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    }
  });
});
