/**
 * console-actions.ts: each console action is the provider call of its kms-keys command, and none runs unless
 * actions are enabled (`--ui-actions`).
 */
import { expect } from 'chai';
import { SimulatedKms } from '../../src/adapters/simulator/simulated-kms.js';
import {
  ACTIONS_OFF_MESSAGE,
  ActionRefusedError,
  CONSOLE_ACTIONS,
  performAction,
  readActionForm,
} from '../../src/console/console-actions.js';
import { InvalidKeyStateError } from '../../src/domain/errors.js';
import { KmsKeyProvider } from '../../src/provider/kms-key-provider.js';
import { rejection } from '../support/rejection.js';

const form = (fields: Record<string, string>): URLSearchParams => new URLSearchParams(fields);

describe('console actions', () => {
  let kms: SimulatedKms;
  let provider: KmsKeyProvider;
  let kid: string;

  beforeEach(async () => {
    kms = new SimulatedKms({ region: 'us-east-1', accountId: '111122223333' });
    provider = new KmsKeyProvider({ kms, cache: { ttlMs: 0 } });
    kid = (await provider.createKey({ klass: 'asym', alg: 'ECDSA_P256_SHA256' })).kid;
  });

  describe('readActionForm', () => {
    it('reads kid, version, window and pre-publish, with the defaults', () => {
      expect(readActionForm('rotate', form({ kid }))).to.deep.equal({ action: 'rotate', kid, version: undefined, windowDays: 30, prePublish: false });
      expect(readActionForm('rotate', form({ kid, prePublish: 'on' })).prePublish).to.equal(true);
      expect(readActionForm('schedule-deletion', form({ kid, version: '2', windowDays: '7' }))).to.include({ version: 2, windowDays: 7 });
    });

    it('refuses an unknown action (404, naming the actions), a bad kid, version or window (400)', () => {
      const refusal = (name: string, fields: Record<string, string>): ActionRefusedError => {
        try {
          readActionForm(name, form(fields));
        } catch (error) {
          return error as ActionRefusedError;
        }
        throw new Error('not refused');
      };
      const unknown = refusal('delete-everything', { kid });
      expect([unknown.status, unknown.message]).to.deep.equal([404, `Unknown action "delete-everything": one of ${CONSOLE_ACTIONS.join(', ')}.`]);
      expect(refusal('rotate', { kid: 'ABC' }).message).to.equal('kid must be 16 lowercase hex characters.');
      expect(refusal('retire', { kid }).message).to.equal('Retire needs a version.');
      expect(refusal('retire', { kid, version: '0' }).message).to.equal('version must be a whole number from 1.');
      expect(refusal('rotate', { kid, version: '1' }).message).to.match(/Rotate takes no version/);
      for (const windowDays of ['6', '31', 'x']) {
        const e = refusal('schedule-deletion', { kid, version: '1', windowDays });
        expect([e.status, e.message]).to.deep.equal([400, 'windowDays must be a whole number of days from 7 to 30.']);
      }
    });
  });

  it('refuses every action with 403 naming --ui-actions when actions are off, and changes nothing', async () => {
    for (const action of CONSOLE_ACTIONS) {
      const error = await rejection(performAction(provider, readActionForm(action, versionFor(action, kid)), false));
      expect(error).to.be.instanceOf(ActionRefusedError);
      expect((error as ActionRefusedError).status).to.equal(403);
      expect((error as Error).message).to.equal(ACTIONS_OFF_MESSAGE).and.contain('--ui-actions');
    }
    expect(await provider.listVersions(kid)).to.deep.equal([1]);
    expect((await provider.getKey(kid)).version).to.equal(1);
  });

  it('rotate, pre-publish, activate, retire, reinstate: the provider calls of the CLI', async () => {
    expect(await performAction(provider, readActionForm('rotate', form({ kid })), true)).to.equal(`Rotated ${kid}: v2 is the latest.`);
    expect((await provider.getKey(kid)).version).to.equal(2);
    expect(await performAction(provider, readActionForm('rotate', form({ kid, prePublish: 'on' })), true)).to.match(/v3 is pre-published/);
    expect((await provider.getKey(kid)).version).to.equal(2);
    expect(await performAction(provider, readActionForm('activate', form({ kid, version: '3' })), true)).to.match(/Activated v3/);
    expect((await provider.getKey(kid)).version).to.equal(3);
    await performAction(provider, readActionForm('retire', form({ kid, version: '1' })), true);
    expect(await rejection(provider.getKey(kid, 1))).to.be.instanceOf(InvalidKeyStateError);
    await performAction(provider, readActionForm('reinstate', form({ kid, version: '1' })), true);
    expect((await provider.getKey(kid, 1)).version).to.equal(1);
  });

  it('schedule deletion (with its window) and cancel it', async () => {
    await provider.rotateKey(kid);
    const scheduled = await performAction(provider, readActionForm('schedule-deletion', form({ kid, version: '1', windowDays: '7' })), true);
    expect(scheduled).to.equal(`Scheduled the deletion of v1 of ${kid} in 7 days.`);
    const v1 = (await kms.describeKey({ KeyId: `alias/swarmauri/${kid}/v1` })).KeyMetadata;
    expect(v1.KeyState).to.equal('PendingDeletion');
    expect(Math.round((v1.DeletionDate!.getTime() - Date.now()) / 86_400_000)).to.equal(7);
    expect(await performAction(provider, readActionForm('cancel-deletion', form({ kid, version: '1' })), true)).to.equal(`Cancelled the deletion of v1 of ${kid}.`);
    expect((await kms.describeKey({ KeyId: `alias/swarmauri/${kid}/v1` })).KeyMetadata.KeyState).to.not.equal('PendingDeletion');
  });
});

function versionFor(action: string, kid: string): URLSearchParams {
  return form(action === 'rotate' ? { kid } : { kid, version: '1' });
}
