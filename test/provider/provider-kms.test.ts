/**
 * PROVIDER_KMS_OPERATIONS is the one list of the KMS operations the provider calls: the constructor requires
 * each of them, a KmsPort cut down to them is enough, and running every provider method (failure paths
 * included) calls exactly them — no operation outside the list, none in the list left unused.
 */
import { expect } from 'chai';
import { AwsKmsKeyProvider, InvalidArgumentError, SimulatedKms, type KmsPort } from '../../src/index.js';
import {
  PROVIDER_KMS_OPERATIONS,
  type ProviderKms,
  type ProviderKmsOperation,
} from '../../src/provider/provider-kms.js';
import { instrument, type InstrumentedKms } from '../support/instrumented-kms.js';

/** A KmsPort cut down to `region` and the listed operations (minus `without`), bound to a simulator. */
function cutDown(sim: SimulatedKms, without?: ProviderKmsOperation): ProviderKms {
  const kms: Record<string, unknown> = { region: sim.region };
  for (const op of PROVIDER_KMS_OPERATIONS) if (op !== without) kms[op] = sim[op].bind(sim);
  return kms as unknown as ProviderKms;
}

/** Every provider method, its failure paths included (compensation, version bump, re-pointing, already pending). */
async function exerciseEveryMethod(provider: AwsKmsKeyProvider, kms: InstrumentedKms): Promise<void> {
  const ec = await provider.createKey({ klass: 'asym', alg: 'ECDSA_P256_SHA256', label: 'l', tags: { t: 'v' } });
  const aes = await provider.createKey({ klass: 'sym', alg: 'AES256_GCM' });
  await provider.rotateKey(ec.kid, { label: 'm' });
  await Promise.all([provider.rotateKey(ec.kid), provider.rotateKey(ec.kid)]); // one of them bumps its version
  await provider.getKey(ec.kid);
  await provider.getKey(ec.kid, 1, { includeSecret: true });
  await provider.getKey(aes.kid);
  await provider.listVersions(ec.kid);
  await provider.getPublicJwk(ec.kid);
  await provider.getPublicJwk(ec.kid, 2);
  await provider.jwks();
  await provider.jwks({ prefixKids: ec.kid.slice(0, 3) });
  await provider.jwks({ include: 'enabled' });
  await provider.sign(await provider.signingKey(ec.kid), new Uint8Array(32), { messageType: 'DIGEST' });
  const pre = await provider.rotateKey(ec.kid, { activate: false }); // v5, pre-published: v4 tagged saur:max_version
  await provider.activateVersion(ec.kid, pre.version); // the latest moves to v5
  await provider.activateVersion(ec.kid, 4); // a rollback: v4 tagged saur:max_version 5, the latest back on v4
  await provider.retireVersion(ec.kid, pre.version); // DisableKey of v5
  await provider.reinstateVersion(ec.kid, pre.version); // EnableKey of v5
  await provider.destroyKey(ec.kid, 4); // the latest: re-pointed to v3, tagged saur:max_version
  await provider.destroyKey(ec.kid, 4); // already pending counts as done
  await provider.destroyKey(aes.kid);
  await provider.cancelKeyDeletion(ec.kid, 4); // restored and enabled; the latest moves back to v4
  await provider.cancelKeyDeletion(aes.kid);
  kms.faults.push({ operation: 'createAlias', when: (i) => !String(i.AliasName).includes('/v'), name: 'LimitExceededException' });
  await provider.createKey({ klass: 'asym', alg: 'RSA_PSS_SHA256', sizeBits: 2048 }).then(
    () => expect.fail('the injected fault should fail createKey'),
    () => undefined, // compensated: /v1 deleted, key scheduled for deletion
  );
  await provider.randomBytes(16);
  await provider.hkdf(new Uint8Array(8), { salt: new Uint8Array(0), info: new Uint8Array(0), length: 16 });
  provider.supports();
  await provider.importKey().catch(() => undefined);
}

describe('PROVIDER_KMS_OPERATIONS: what the provider needs from KMS', () => {
  it('lists fourteen distinct KmsPort operations', () => {
    expect(new Set(PROVIDER_KMS_OPERATIONS).size).to.equal(PROVIDER_KMS_OPERATIONS.length);
    expect(PROVIDER_KMS_OPERATIONS).to.have.length(14);
    const sim = new SimulatedKms();
    for (const op of PROVIDER_KMS_OPERATIONS) expect(sim[op], op).to.be.a('function');
    // A full KmsPort is a ProviderKms (checked by the compiler).
    const full: KmsPort = sim;
    const accepted: ProviderKms = full;
    expect(accepted).to.equal(sim);
  });

  for (const op of PROVIDER_KMS_OPERATIONS) {
    it(`the constructor requires ${op}()`, () => {
      const kms = cutDown(new SimulatedKms(), op);
      let error: unknown;
      try {
        new AwsKmsKeyProvider({ kms });
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).code).to.equal('ERR_INVALID_ARGUMENT');
      expect((error as Error).message).to.equal(`options.kms must be a KmsPort: it has no ${op}()`);
    });
  }

  it('a kms that is not an object is refused before any operation is looked at', () => {
    for (const kms of [null, 5, 'kms']) {
      expect(() => new AwsKmsKeyProvider({ kms: kms as never })).to.throw(
        InvalidArgumentError,
        'options.kms must be a KmsPort (e.g. new SimulatedKms())',
      );
    }
  });

  it('every provider method calls exactly the listed operations, and a KmsPort cut down to them is enough', async () => {
    // Over the cut-down port, a call to any unlisted operation would throw (it is not there).
    const kms = instrument(cutDown(new SimulatedKms()) as unknown as KmsPort);
    const provider = new AwsKmsKeyProvider({ kms: kms.kms, aliasPrefix: 'ops' });
    await exerciseEveryMethod(provider, kms);
    const called = new Set(kms.operations());
    const listed = new Set<string>(PROVIDER_KMS_OPERATIONS);
    expect([...called].filter((op) => !listed.has(op)), 'called but not listed').to.deep.equal([]);
    expect([...listed].filter((op) => !called.has(op as never)), 'listed but never called').to.deep.equal([]);
  });

  it('over a full KmsPort the provider still calls only the listed operations', async () => {
    const kms = instrument(new SimulatedKms());
    await exerciseEveryMethod(new AwsKmsKeyProvider({ kms: kms.kms, aliasPrefix: 'full' }), kms);
    expect(new Set(kms.operations())).to.deep.equal(new Set(PROVIDER_KMS_OPERATIONS));
  });
});
