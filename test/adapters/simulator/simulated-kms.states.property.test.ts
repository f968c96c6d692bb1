/**
 * Key states × operations as a fast-check model test: random sequences of state changes and operations on one
 * key, every outcome checked against the table of docs/kms-behaviour.md §6, written here as data.
 * Replay a failure with FC_SEED=<seed>.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { isKmsError } from '../../../src/adapters/kms-exception.js';
import type { SimulatedKms } from '../../../src/adapters/simulator/simulated-kms.js';
import type { KeyMetadata } from '../../../src/ports/kms.port.js';
import { bytes, createKey, newKms } from './simulator-test-kit.js';

type State = 'Enabled' | 'Disabled' | 'PendingDeletion';
/** ok, or the §6 letters: D = DisabledException, P = pending deletion, N = not pending deletion. */
type Outcome = 'ok' | 'D' | 'P' | 'N';

const OPERATIONS = [
  'DescribeKey',
  'ListAliases',
  'ListResourceTags',
  'DeleteAlias',
  'CreateAlias',
  'UpdateAliasToKey',
  'UpdateAliasFromKey',
  'TagResource',
  'UntagResource',
  'EnableKey',
  'DisableKey',
  'ScheduleKeyDeletion',
  'CancelKeyDeletion',
  'Sign',
  'Verify',
  'GetPublicKey',
] as const;
type Operation = (typeof OPERATIONS)[number];

const ALWAYS: Record<State, Outcome> = { Enabled: 'ok', Disabled: 'ok', PendingDeletion: 'ok' };
const NOT_PENDING: Record<State, Outcome> = { Enabled: 'ok', Disabled: 'ok', PendingDeletion: 'P' };
const ENABLED_ONLY: Record<State, Outcome> = { Enabled: 'ok', Disabled: 'D', PendingDeletion: 'P' };

/** §6, for the key under test (UpdateAliasToKey: it is the new target; UpdateAliasFromKey: the current one). */
const TABLE: Record<Operation, Record<State, Outcome>> = {
  DescribeKey: ALWAYS,
  ListAliases: ALWAYS,
  ListResourceTags: ALWAYS,
  DeleteAlias: ALWAYS,
  CreateAlias: NOT_PENDING,
  UpdateAliasToKey: NOT_PENDING,
  UpdateAliasFromKey: ALWAYS,
  TagResource: NOT_PENDING,
  UntagResource: NOT_PENDING,
  EnableKey: NOT_PENDING,
  DisableKey: NOT_PENDING,
  ScheduleKeyDeletion: NOT_PENDING,
  CancelKeyDeletion: { Enabled: 'N', Disabled: 'N', PendingDeletion: 'ok' },
  Sign: ENABLED_ONLY,
  Verify: ENABLED_ONLY,
  GetPublicKey: ENABLED_ONLY,
};

/** The state a successful operation leaves the key in. */
const NEXT_STATE: Partial<Record<Operation, State>> = {
  EnableKey: 'Enabled',
  DisableKey: 'Disabled',
  ScheduleKeyDeletion: 'PendingDeletion',
  CancelKeyDeletion: 'Disabled',
};

interface Model {
  state: State;
  /** Aliases created on the key (DeleteAlias needs one). */
  aliases: number;
  /** Whether alias/mover targets the key (else the other key). */
  moverOnKey: boolean;
}

interface Real {
  kms: SimulatedKms;
  key: KeyMetadata;
  other: KeyMetadata;
  signature: Uint8Array;
  aliasNames: string[];
  created: number;
}

const message = bytes('state model');

async function perform(operation: Operation, real: Real): Promise<void> {
  const { kms, key } = real;
  const KeyId = key.KeyId;
  switch (operation) {
    case 'DescribeKey':
      await kms.describeKey({ KeyId });
      return;
    case 'ListAliases':
      await kms.listAliases({ KeyId });
      return;
    case 'ListResourceTags':
      await kms.listResourceTags({ KeyId });
      return;
    case 'DeleteAlias':
      await kms.deleteAlias({ AliasName: real.aliasNames[real.aliasNames.length - 1] as string });
      real.aliasNames.pop();
      return;
    case 'CreateAlias': {
      const AliasName = `alias/state-${real.created++}`;
      await kms.createAlias({ AliasName, TargetKeyId: KeyId });
      real.aliasNames.push(AliasName);
      return;
    }
    case 'UpdateAliasToKey':
      await kms.updateAlias({ AliasName: 'alias/mover', TargetKeyId: KeyId });
      return;
    case 'UpdateAliasFromKey':
      await kms.updateAlias({ AliasName: 'alias/mover', TargetKeyId: real.other.KeyId });
      return;
    case 'TagResource':
      await kms.tagResource({ KeyId, Tags: [{ TagKey: 'k', TagValue: 'v' }] });
      return;
    case 'UntagResource':
      await kms.untagResource({ KeyId, TagKeys: ['k'] });
      return;
    case 'EnableKey':
      await kms.enableKey({ KeyId });
      return;
    case 'DisableKey':
      await kms.disableKey({ KeyId });
      return;
    case 'ScheduleKeyDeletion':
      await kms.scheduleKeyDeletion({ KeyId, PendingWindowInDays: 7 });
      return;
    case 'CancelKeyDeletion':
      await kms.cancelKeyDeletion({ KeyId });
      return;
    case 'Sign':
      await kms.sign({ KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' });
      return;
    case 'Verify':
      await kms.verify({ KeyId, Message: message, Signature: real.signature, SigningAlgorithm: 'ECDSA_SHA_256' });
      return;
    case 'GetPublicKey':
      await kms.getPublicKey({ KeyId });
      return;
  }
}

const EXPECTED_ERROR: Record<Exclude<Outcome, 'ok'>, (arn: string) => [string, string]> = {
  D: (arn) => ['DisabledException', `${arn} is disabled.`],
  P: (arn) => ['KMSInvalidStateException', `${arn} is pending deletion.`],
  N: (arn) => ['KMSInvalidStateException', `${arn} is not pending deletion.`],
};

class OperationCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly operation: Operation) {}

  check(model: Readonly<Model>): boolean {
    if (this.operation === 'DeleteAlias') return model.aliases > 0;
    if (this.operation === 'UpdateAliasFromKey') return model.moverOnKey;
    return true;
  }

  async run(model: Model, real: Real): Promise<void> {
    const outcome = TABLE[this.operation][model.state];
    let error: unknown;
    try {
      await perform(this.operation, real);
    } catch (e) {
      error = e;
    }
    if (outcome === 'ok') {
      expect(error, `${this.operation} in ${model.state}: ${String(error)}`).to.equal(undefined);
      model.state = NEXT_STATE[this.operation] ?? model.state;
      if (this.operation === 'CreateAlias') model.aliases += 1;
      if (this.operation === 'DeleteAlias') model.aliases -= 1;
      if (this.operation === 'UpdateAliasToKey') model.moverOnKey = true;
      if (this.operation === 'UpdateAliasFromKey') model.moverOnKey = false;
    } else {
      const [name, text] = EXPECTED_ERROR[outcome](real.key.Arn);
      expect(isKmsError(error, name), `${this.operation} in ${model.state}: ${String(error)}`).to.equal(true);
      expect((error as Error).message).to.equal(text);
    }
    const { KeyMetadata } = await real.kms.describeKey({ KeyId: real.key.KeyId });
    expect(KeyMetadata.KeyState).to.equal(model.state);
    expect(KeyMetadata.Enabled).to.equal(model.state === 'Enabled');
    expect('DeletionDate' in KeyMetadata).to.equal(model.state === 'PendingDeletion');
    const mover = (await real.kms.listAliases({ KeyId: real.key.KeyId })).Aliases.some((a) => a.AliasName === 'alias/mover');
    expect(mover).to.equal(model.moverOnKey);
  }

  toString(): string {
    return this.operation;
  }
}

describe('adapters/simulator/SimulatedKms — key states × operations (model)', () => {
  it('every outcome matches the state table of §6', async () => {
    const commands = fc.commands(
      OPERATIONS.map((operation) => fc.constant(new OperationCommand(operation))),
      { maxCommands: 30 },
    );
    await fc.assert(
      fc.asyncProperty(commands, async (cmds) => {
        const kms = newKms();
        const key = await createKey(kms, 'ECC_NIST_P256');
        const other = await createKey(kms, 'ECC_NIST_P256');
        await kms.createAlias({ AliasName: 'alias/mover', TargetKeyId: other.KeyId });
        const { Signature } = await kms.sign({ KeyId: key.KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' });
        const setup = () => ({
          model: { state: 'Enabled' as State, aliases: 0, moverOnKey: false },
          real: { kms, key, other, signature: Signature, aliasNames: [], created: 0 },
        });
        await fc.asyncModelRun(setup, cmds);
      }),
      { numRuns: 80 },
    );
  });
});
