/** cancelKeyDeletion: the undo of destroyKey while KMS still holds the keys. */
import { expect } from 'chai';
import { AwsKmsKeyProvider } from '../../src/aws-kms-key-provider.js';
import { SimulatedKms } from '../../src/adapters/simulator/simulated-kms.js';
import { InvalidKeyStateError, KeyNotFoundError } from '../../src/domain/errors.js';
import { rejection } from '../support/rejection.js';

async function setup() {
  const kms = new SimulatedKms();
  const provider = new AwsKmsKeyProvider({ kms, aliasPrefix: 'cancel' });
  const ref = await provider.createKey({ klass: 'asym', alg: 'ECDSA_P256_SHA256' });
  await provider.rotateKey(ref.kid);
  await provider.rotateKey(ref.kid);
  return { kms, provider, kid: ref.kid };
}

describe('provider.cancelKeyDeletion', () => {
  it('restores one destroyed version, enabled, and moves the latest alias back to it', async () => {
    const { kms, provider, kid } = await setup();
    await provider.destroyKey(kid, 3);
    expect((await provider.getKey(kid)).version).to.equal(2);
    expect(await provider.cancelKeyDeletion(kid, 3)).to.deep.equal([3]);
    const latest = await provider.getKey(kid);
    expect(latest.version).to.equal(3);
    const { KeyMetadata } = await kms.describeKey({ KeyId: latest.tags['kms:key_id'] });
    expect([KeyMetadata.KeyState, KeyMetadata.Enabled]).to.deep.equal(['Enabled', true]);
    expect((await provider.jwks()).keys.map((k) => k.kid)).to.deep.equal([`${kid}.3`]);
  });

  it('restores every pending version of a destroyed kid, and [] when none is pending', async () => {
    const { provider, kid } = await setup();
    await provider.destroyKey(kid);
    expect(await provider.cancelKeyDeletion(kid)).to.deep.equal([1, 2, 3]);
    expect((await provider.getKey(kid)).version).to.equal(3);
    expect(await provider.cancelKeyDeletion(kid)).to.deep.equal([]);
    // a rotation afterwards continues the numbering
    expect((await provider.rotateKey(kid)).version).to.equal(4);
  });

  it('refuses a version that is not pending, an unknown version and an unknown kid with typed errors', async () => {
    const { provider, kid } = await setup();
    const notPending = await rejection(provider.cancelKeyDeletion(kid, 2));
    expect(notPending).to.be.instanceOf(InvalidKeyStateError);
    expect(notPending.message).to.equal(`Version 2 of kid ${kid} is not pending deletion`);
    const unknownVersion = await rejection(provider.cancelKeyDeletion(kid, 9));
    expect(unknownVersion).to.be.instanceOf(KeyNotFoundError);
    expect(unknownVersion.message).to.equal(`Unknown version 9 of kid ${kid}`);
    expect(await rejection(provider.cancelKeyDeletion('0123456789abcdef'))).to.be.instanceOf(KeyNotFoundError);
  });
});
