/**
 * Grants in a state directory (docs/kms-behaviour.md §22): a new key range, no schema change — grants survive a
 * reopen and are seen by another process's instance, and a directory written before grants existed (the
 * schema-1 fixture, migrated to 2 on open) takes grants like a new one.
 */
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { SimulatedKms } from '../../../../../src/adapters/simulator/simulated-kms.js';
import { expectKmsError } from '../../simulator-test-kit.js';
import { TempRoot } from './durable-test-kit.js';

const FIXTURE = fileURLToPath(new URL('../../../../../fixtures/state-v1/', import.meta.url));
const GRANTEE = 'arn:aws:iam::111122223333:role/app';

describe('SimulatedKms({ stateDir }) — grants', function () {
  this.timeout(30_000);
  const root = new TempRoot();
  after(() => root.remove());

  it('keeps grants across a reopen and between instances; a deleted grant stays deleted', async () => {
    const dir = root.dir();
    const a = new SimulatedKms({ stateDir: dir });
    const { KeyMetadata } = await a.createKey({});
    const kept = await a.createGrant({ KeyId: KeyMetadata.KeyId, GranteePrincipal: GRANTEE, Operations: ['Encrypt'], Name: 'kept' });
    const gone = await a.createGrant({ KeyId: KeyMetadata.KeyId, GranteePrincipal: GRANTEE, Operations: ['Decrypt'] });
    const b = new SimulatedKms({ stateDir: dir });
    await b.revokeGrant({ KeyId: KeyMetadata.KeyId, GrantId: gone.GrantId ?? '' });
    await a.close();
    await b.close();
    const reopened = new SimulatedKms({ stateDir: dir });
    const { Grants } = await reopened.listGrants({ KeyId: KeyMetadata.KeyId });
    expect(Grants.map((g) => [g.GrantId, g.Name, g.Operations])).to.deep.equal([[kept.GrantId, 'kept', ['Encrypt']]]);
    await reopened.encrypt({ KeyId: KeyMetadata.KeyId, Plaintext: Uint8Array.of(1), GrantTokens: [kept.GrantToken ?? ''] });
    await expectKmsError(reopened.retireGrant({ GrantToken: gone.GrantToken ?? '' }), 'InvalidGrantTokenException');
    await reopened.close();
  });

  it('takes grants in a directory written before grants existed', async () => {
    const dir = root.dir();
    mkdirSync(dir, { mode: 0o700 });
    for (const file of ['state.key', 'state.mdb']) {
      copyFileSync(join(FIXTURE, file), join(dir, file));
      chmodSync(join(dir, file), 0o600);
    }
    const kms = new SimulatedKms({ stateDir: dir });
    const { KeyMetadata } = await kms.describeKey({ KeyId: 'alias/legacy' });
    expect((await kms.listGrants({ KeyId: KeyMetadata.KeyId })).Grants).to.deep.equal([]);
    const { GrantId } = await kms.createGrant({ KeyId: KeyMetadata.KeyId, GranteePrincipal: GRANTEE, Operations: ['DescribeKey'] });
    expect((await kms.listGrants({ KeyId: KeyMetadata.KeyId })).Grants.map((g) => g.GrantId)).to.deep.equal([GrantId]);
    await kms.close();
  });
});
