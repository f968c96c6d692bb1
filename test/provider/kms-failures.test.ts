/**
 * The provider's answers to KMS failures and races that a plain simulator run never produces, injected through
 * the instrumented KmsPort: a taken version alias (version bump), bumps exhausted, a deletion KMS refuses for a
 * key that is not pending, a key deleted between a listing and its GetPublicKey, a failing alias lookup.
 */
import { expect } from 'chai';
import {
  AwsKmsKeyProvider,
  ConflictError,
  InvalidKeyStateError,
  KmsError,
  SimulatedKms,
  type KeySpec,
} from '../../src/index.js';
import { instrument } from '../support/instrumented-kms.js';

const EC: KeySpec = { klass: 'asym', alg: 'ECDSA_P256_SHA256' };

function setup() {
  const sim = new SimulatedKms();
  const kms = instrument(sim);
  return {
    sim,
    kms,
    provider: new AwsKmsKeyProvider({ kms: kms.kms, retry: false }),
    /** A provider with nothing cached, so that every lookup reaches the injected faults. */
    fresh: () => new AwsKmsKeyProvider({ kms: kms.kms, retry: false }),
  };
}

async function aliasNames(sim: SimulatedKms): Promise<string[]> {
  const { Aliases } = await sim.listAliases({ Limit: 100 });
  return Aliases.map((a) => a.AliasName).filter((name) => name.startsWith('alias/swarmauri/')).sort();
}

describe('AwsKmsKeyProvider: KMS failures and races', () => {
  it('a rotation whose /vN alias is taken bumps to N+1 and re-tags its key saur:version', async () => {
    const { sim, kms, provider } = setup();
    const v1 = await provider.createKey(EC);
    kms.faults.push({ operation: 'createAlias', when: (i) => String(i.AliasName).endsWith('/v2'), name: 'AlreadyExistsException' });
    const ref = await provider.rotateKey(v1.kid);
    expect(ref.version).to.equal(3);
    const { Tags } = await sim.listResourceTags({ KeyId: ref.tags['kms:key_id'] });
    expect(Tags.find((t) => t.TagKey === 'saur:version')?.TagValue).to.equal('3');
    expect(await aliasNames(sim)).to.deep.equal([`alias/swarmauri/${v1.kid}`, `alias/swarmauri/${v1.kid}/v1`, `alias/swarmauri/${v1.kid}/v3`]);
    expect(kms.calls.filter((c) => c.operation === 'tagResource')).to.have.length(1);
  });

  it('after 16 bumps the rotation gives up with a ConflictError and rolls its key back', async () => {
    const { sim, kms, provider } = setup();
    const v1 = await provider.createKey(EC);
    kms.faults.push({ operation: 'createAlias', when: (i) => /\/v\d+$/.test(String(i.AliasName)), name: 'AlreadyExistsException', times: 17 });
    const error = await provider.rotateKey(v1.kid).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConflictError);
    expect((error as Error).message).to.match(new RegExp(`^Could not rotate kid ${v1.kid} \\(AlreadyExistsException: `));
    expect(kms.calls.filter((c) => c.operation === 'tagResource')).to.have.length(16);
    expect(await aliasNames(sim)).to.deep.equal([`alias/swarmauri/${v1.kid}`, `alias/swarmauri/${v1.kid}/v1`]);
    const { Keys } = await sim.listKeys({});
    const states = await Promise.all(Keys.map(async (k) => (await sim.describeKey({ KeyId: k.KeyId })).KeyMetadata.KeyState));
    expect(states.sort()).to.deep.equal(['Enabled', 'PendingDeletion']);
  });

  it('createKey never bumps: a taken /v1 is a ConflictError', async () => {
    const { kms, provider } = setup();
    kms.faults.push({ operation: 'createAlias', when: (i) => String(i.AliasName).endsWith('/v1'), name: 'AlreadyExistsException' });
    expect(await provider.createKey(EC).catch((e: unknown) => e)).to.be.instanceOf(ConflictError);
    expect(kms.operations().filter((op) => op === 'createAlias')).to.have.length(1);
  });

  it('KMSInvalidStateException from ScheduleKeyDeletion counts as done only when the key is pending', async () => {
    const { sim, kms, provider } = setup();
    const ref = await provider.createKey(EC);
    kms.faults.push({ operation: 'scheduleKeyDeletion', name: 'KMSInvalidStateException', fault: 'client' });
    const error = await provider.destroyKey(ref.kid).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(InvalidKeyStateError);
    expect((error as Error).cause).to.have.property('name', 'KMSInvalidStateException');
    expect((await sim.describeKey({ KeyId: ref.tags['kms:key_id'] })).KeyMetadata.KeyState).to.equal('Enabled');
  });

  it('jwks: a version deleted between the listing and its GetPublicKey is passed over; other GetPublicKey errors fail it', async () => {
    const { kms, provider, fresh } = setup();
    const v1 = await provider.createKey(EC);
    const v2 = await provider.rotateKey(v1.kid);
    const v2Key = v2.tags['kms:key_id'];
    kms.faults.push({ operation: 'getPublicKey', when: (i) => i.KeyId === v2Key, name: 'NotFoundException', fault: 'client' });
    expect((await fresh().jwks()).keys.map((k) => k.kid)).to.deep.equal([`${v1.kid}.1`]);
    kms.faults.push({ operation: 'getPublicKey', when: (i) => i.KeyId === v2Key, name: 'ThrottlingException' });
    const error = await fresh().jwks().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(KmsError);
    expect((error as Error).message).to.match(/^Could not build the JWKS \(ThrottlingException: /);
  });

  it('an alias lookup that fails for another reason than NotFound keeps its KMS error as cause', async () => {
    const { kms, provider, fresh } = setup();
    const ref = await provider.createKey(EC);
    kms.faults.push({ operation: 'describeKey', name: 'ThrottlingException' });
    const error = await fresh().getKey(ref.kid).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(KmsError);
    expect((error as Error).cause).to.have.property('name', 'ThrottlingException');
    expect((error as Error).message).to.match(new RegExp(`^Could not get kid ${ref.kid} \\(ThrottlingException: `));
  });
});
