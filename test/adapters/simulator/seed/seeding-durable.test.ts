/**
 * Seeding a durable simulator (stateDir): the seed goes through the optimistic lmdb store like any write, survives
 * a close and a reopen, and the same seed at every start is unchanged; two instances seeding one directory at once
 * end with one key.
 */
import { readFileSync } from 'node:fs';
import { createPublicKey } from 'node:crypto';
import { expect } from 'chai';
import { SimulatedKms } from '../../../../src/adapters/simulator/simulated-kms.js';
import type { SeedReport } from '../../../../src/adapters/simulator/seed/seed-types.js';
import { TempRoot } from '../store/durable/durable-test-kit.js';

const FIXTURE = readFileSync(new URL('../../../../fixtures/seed/provider-kid.yaml', import.meta.url), 'utf8');
const KEY_ID = '5eed0000-0000-4000-8000-000000000001';
const statuses = (report: SeedReport | undefined): string[] => (report?.entries ?? []).map((e) => e.status);

describe('adapters/simulator/seed — over a state directory', function () {
  this.timeout(30_000);
  const root = new TempRoot();
  after(() => root.remove());

  it('the seed option at every start: created once, then unchanged; the imported key survives the reopen', async () => {
    const dir = root.dir();
    const first = new SimulatedKms({ stateDir: dir, seed: FIXTURE });
    expect(statuses(await first.seeded())).to.deep.equal(['created']);
    await first.close();

    const second = new SimulatedKms({ stateDir: dir, seed: FIXTURE });
    expect(statuses(await second.seeded())).to.deep.equal(['unchanged']);
    const pem = /(-----BEGIN PRIVATE KEY-----[\s\S]*?-----END PRIVATE KEY-----)/.exec(FIXTURE)?.[1]?.replace(/^ +/gm, '') as string;
    const { PublicKey } = await second.getPublicKey({ KeyId: 'alias/swarmauri/5eedc0ffee000001/v1' });
    expect(Buffer.from(PublicKey).equals(createPublicKey(pem).export({ type: 'spki', format: 'der' }))).to.equal(true);
    await second.close();
  });

  it('close() waits for the seed of the options', async () => {
    const dir = root.dir();
    const kms = new SimulatedKms({ stateDir: dir, seed: [{ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', Aliases: ['alias/r'] }] });
    await kms.close();
    const reopened = new SimulatedKms({ stateDir: dir });
    expect((await reopened.describeKey({ KeyId: 'alias/r' })).KeyMetadata.KeySpec).to.equal('RSA_2048');
    await reopened.close();
  });

  it('two instances seeding one directory at once: one key, one created and one unchanged (or both the same key)', async () => {
    const dir = root.dir();
    const a = new SimulatedKms({ stateDir: dir });
    const b = new SimulatedKms({ stateDir: dir });
    const seed = [{ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Aliases: ['alias/shared'] }] as const;
    const [ra, rb] = await Promise.all([a.seed(seed), b.seed(seed)]);
    expect([...statuses(ra), ...statuses(rb)].sort()).to.deep.equal(['created', 'unchanged']);
    expect(ra.entries[0]?.keyId).to.equal(rb.entries[0]?.keyId);
    expect((await a.listKeys({})).Keys).to.have.length(1);
    expect((await b.seed([{ KeyId: KEY_ID, KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }])).created).to.have.length(1);
    await Promise.all([a.close(), b.close()]);
  });
});
