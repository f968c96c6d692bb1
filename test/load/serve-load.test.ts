/**
 * Load and crashes: `kms-keys serve` over a state directory holds C concurrent AWS SDK clients × R requests on
 * loopback with no 5xx and no lost write (every acknowledged CreateAlias is there afterwards), and a `kill -9`
 * of `serve` in the middle of that load loses no acknowledged write. Modest numbers in `npm test`; the issue's
 * 50 clients × 1 000 requests with `npm run test:stress` (KMS_STRESS=1).
 */
import { once } from 'node:events';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { expect } from 'chai';
import { AwsSdkKms } from '../../src/index.js';
import { ensureBuilt, spawnKmsKeys, tempDir } from '../cli/cli-harness.js';

const STRESS = process.env.KMS_STRESS === '1';
const CLIENTS = STRESS ? 50 : 8;
const REQUESTS = STRESS ? 1_000 : 40; // per client: CreateAlias + DescribeKey by alias pairs, half each
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-example' };

async function serve(stateDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawnKmsKeys(['--state-dir', stateDir, '--output', 'json', 'serve', '--port', '0']);
  let buffered = '';
  for await (const chunk of child.stdout!) {
    buffered += (chunk as Buffer).toString();
    const end = buffered.indexOf('\n');
    if (end >= 0) return { child, url: (JSON.parse(buffered.slice(0, end)) as { url: string }).url };
  }
  throw new Error('serve printed nothing');
}

/** One client: `count` requests, alternating CreateAlias (recorded when acknowledged) and DescribeKey of it. */
async function client(url: string, keyIds: string[], id: number, count: number, acknowledged: Set<string>, failures: unknown[]) {
  const kms = new AwsSdkKms({ region: 'us-east-1', endpoint: url, credentials: CREDENTIALS, maxAttempts: 1 });
  try {
    for (let i = 0; i < count / 2; i++) {
      const AliasName = `alias/load/c${id}-${i}`;
      try {
        await kms.createAlias({ AliasName, TargetKeyId: keyIds[Math.floor(i / 45)]! });
        acknowledged.add(AliasName);
        await kms.describeKey({ KeyId: AliasName });
      } catch (error) {
        failures.push(error);
        return; // a crash ends this client
      }
    }
  } finally {
    kms.destroy();
  }
}

async function listed(url: string): Promise<Set<string>> {
  const kms = new AwsSdkKms({ region: 'us-east-1', endpoint: url, credentials: CREDENTIALS });
  const names = new Set<string>();
  let marker: string | undefined;
  do {
    const page = await kms.listAliases({ Limit: 100, ...(marker ? { Marker: marker } : {}) });
    for (const alias of page.Aliases) names.add(alias.AliasName);
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  kms.destroy();
  return names;
}

/** Keys for each client's aliases, 45 a key (KMS allows 50). */
async function makeKeys(url: string, perClient: number): Promise<string[][]> {
  const kms = new AwsSdkKms({ region: 'us-east-1', endpoint: url, credentials: CREDENTIALS });
  const keys: string[][] = [];
  for (let c = 0; c < CLIENTS; c++) {
    const own = [];
    for (let i = 0; i < Math.ceil(perClient / 45); i++) own.push((await kms.createKey({})).KeyMetadata.KeyId);
    keys.push(own);
  }
  kms.destroy();
  return keys;
}

describe('kms-keys serve under load', function () {
  this.timeout(STRESS ? 1_800_000 : 120_000);
  before(() => ensureBuilt());

  it(`${CLIENTS} clients × ${REQUESTS} requests: no 5xx, no lost write`, async () => {
    const state = tempDir('kms-load-');
    const { child, url } = await serve(join(state.path, 'state'));
    try {
      const perClient = Math.ceil(REQUESTS / 2);
      const keys = await makeKeys(url, perClient);
      const acknowledged = new Set<string>();
      const failures: unknown[] = [];
      await Promise.all(
        Array.from({ length: CLIENTS }, (_, id) => client(url, keys[id]!, id, REQUESTS, acknowledged, failures)),
      );
      expect(failures.map(String)).to.deep.equal([]);
      expect(acknowledged.size).to.equal(CLIENTS * perClient);
      const names = await listed(url);
      for (const name of acknowledged) expect(names.has(name), name).to.equal(true);
    } finally {
      child.kill('SIGKILL');
      state.remove();
    }
  });

  it('kill -9 of serve during the load loses no acknowledged write', async () => {
    const state = tempDir('kms-crash-');
    const stateDir = join(state.path, 'state');
    let { child, url } = await serve(stateDir);
    try {
      const perClient = Math.ceil(REQUESTS / 2);
      const keys = await makeKeys(url, perClient);
      const acknowledged = new Set<string>();
      const failures: unknown[] = [];
      const load = Promise.all(
        Array.from({ length: CLIENTS }, (_, id) => client(url, keys[id]!, id, REQUESTS, acknowledged, failures)),
      );
      // Kill once a fair share of the writes has been acknowledged.
      while (acknowledged.size < (CLIENTS * perClient) / 4) await new Promise((resolve) => setTimeout(resolve, 2));
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
      await load;
      expect(acknowledged.size).to.be.greaterThan(0);
      ({ child, url } = await serve(stateDir));
      const names = await listed(url);
      const lost = [...acknowledged].filter((name) => !names.has(name));
      expect(lost, 'acknowledged aliases missing after the crash').to.deep.equal([]);
    } finally {
      child.kill('SIGKILL');
      state.remove();
    }
  });
});
