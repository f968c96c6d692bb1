/**
 * `kms-keys serve` and its console, as users run it (the built binary, a subprocess): served at /ui/ on loopback by
 * default (its URL printed with the others), read-only unless --ui-actions, off with --no-ui (404).
 */
import { once } from 'node:events';
import { expect } from 'chai';
import { ensureBuilt, kmsKeys, serveCli, spawnKmsKeys, tempDir } from './cli-harness.js';
import { join } from 'node:path';

async function firstJsonLine(args: readonly string[]): Promise<{ url: string; consoleUrl?: string; stop: () => Promise<void> }> {
  const state = tempDir('kms-serve-console-');
  const child = spawnKmsKeys(['--state-dir', join(state.path, 's'), '--output', 'json', 'serve', '--port', '0', ...args]);
  let buffered = '';
  for await (const chunk of child.stdout!) {
    buffered += (chunk as Buffer).toString();
    if (buffered.includes('\n')) break;
  }
  const parsed = JSON.parse(buffered.slice(0, buffered.indexOf('\n'))) as { url: string; consoleUrl?: string };
  return {
    ...parsed,
    stop: async () => {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
      state.remove();
    },
  };
}

describe('kms-keys serve: the console', function () {
  this.timeout(60_000);
  before(() => ensureBuilt());

  it('serves the console on loopback by default, read-only, and prints its URL', async () => {
    const served = await serveCli('kms-serve-console-');
    try {
      const printed = await firstJsonLine([]);
      try {
        expect(printed.consoleUrl).to.equal(`${printed.url}/ui/`);
      } finally {
        await printed.stop();
      }
      const page = await fetch(`${served.url}/ui/`);
      expect(page.status).to.equal(200);
      expect(page.headers.get('content-security-policy')).to.contain("script-src 'self'");
      const text = await page.text();
      expect(text).to.contain('<h1>Keys of 111122223333 in us-east-1</h1>').and.contain('Read-only');
      const script = await fetch(`${served.url}/ui/assets/console.js`);
      expect([script.status, script.headers.get('content-type')]).to.deep.equal([200, 'text/javascript; charset=utf-8']);
      expect(await script.text()).to.contain('EventSource').and.not.contain('sourceMappingURL');
    } finally {
      await served.stop();
    }
  });

  it('--no-ui: /ui/ answers 404 and no console URL is printed; --ui-actions enables actions', async () => {
    const off = await firstJsonLine(['--no-ui']);
    try {
      expect(off.consoleUrl).to.equal(undefined);
      expect((await fetch(`${off.url}/ui/`)).status).to.equal(404);
    } finally {
      await off.stop();
    }
    const actions = await firstJsonLine(['--ui-actions', '--ui-log-size', '5']);
    try {
      expect(await (await fetch(`${actions.url}/ui/log`)).text()).to.contain('Actions enabled').and.contain('the last 5 are kept');
    } finally {
      await actions.stop();
    }
  });

  it('--ui-log-size must be 1–100000 (a usage error, exit 2)', async () => {
    const result = await kmsKeys(['serve', '--port', '0', '--ui-log-size', '0']);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.contain('The request log size is an integer from 1 to 100000.');
  });
});
