/** Seeding again after the state moved on (a rotation re-pointed a seeded alias) changes nothing and fails nothing. */
import { expect } from 'chai';
import { AwsKmsKeyProvider } from '../../../../src/aws-kms-key-provider.js';
import { SimulatedKms } from '../../../../src/adapters/simulator/simulated-kms.js';
import { ConflictError } from '../../../../src/domain/errors.js';

const KID = '5eed5eed5eed00aa';
const KEY_ID = '5eed0000-0000-4000-8000-0000000000aa';
const SEED = [
  'Keys:',
  `  - KeyId: ${KEY_ID}`,
  '    KeySpec: ECC_NIST_P256',
  '    KeyUsage: SIGN_VERIFY',
  `    Tags: { saur:kid: "${KID}", saur:version: "1", saur:alg: ECDSA_P256_SHA256 }`,
  `    Aliases: [alias/swarmauri/${KID}, alias/swarmauri/${KID}/v1]`,
  '',
].join('\n');

describe('seeding again after a rotation', () => {
  it('keeps the latest alias where the rotation moved it, and reports the entry unchanged', async () => {
    const kms = new SimulatedKms();
    expect((await kms.seed(SEED)).entries.map((e) => e.status)).to.deep.equal(['created']);
    const provider = new AwsKmsKeyProvider({ kms });
    expect((await provider.rotateKey(KID)).version).to.equal(2);
    const again = await kms.seed(SEED);
    expect(again.entries.map((e) => e.status)).to.deep.equal(['unchanged']);
    expect((await provider.getKey(KID)).version).to.equal(2);
    expect((await kms.describeKey({ KeyId: `alias/swarmauri/${KID}/v1` })).KeyMetadata.KeyId).to.equal(KEY_ID);
  });

  it('still refuses a new key whose alias is taken by another key', async () => {
    const kms = new SimulatedKms();
    const { KeyMetadata } = await kms.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    await kms.createAlias({ AliasName: `alias/swarmauri/${KID}`, TargetKeyId: KeyMetadata.KeyId });
    const error = await kms.seed(SEED).then(
      () => expect.fail('expected a conflict'),
      (e: unknown) => e as Error,
    );
    expect(error).to.be.instanceOf(ConflictError);
    expect(error.message).to.contain(`alias alias/swarmauri/${KID} already targets another key, ${KeyMetadata.KeyId}`);
  });
});
