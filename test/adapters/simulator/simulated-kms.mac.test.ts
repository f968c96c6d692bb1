/**
 * GenerateMac and VerifyMac over HMAC_224/256/384/512 keys. Replay a property failure with FC_SEED=<seed>.
 */
import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import fc from 'fast-check';
import type { SimulatedKms } from '../../../src/adapters/simulator/simulated-kms.js';
import { InMemorySimulatorStore } from '../../../src/adapters/simulator/store/in-memory-store.js';
import type { GenerateMacRequest, KeyMetadata, KmsMacAlgorithm, VerifyMacRequest } from '../../../src/ports/kms.port.js';
import { bytes, createKey, expectKmsError, newKms } from './simulator-test-kit.js';

const SPECS = [
  ['HMAC_224', 'HMAC_SHA_224', 'sha224', 28],
  ['HMAC_256', 'HMAC_SHA_256', 'sha256', 32],
  ['HMAC_384', 'HMAC_SHA_384', 'sha384', 48],
  ['HMAC_512', 'HMAC_SHA_512', 'sha512', 64],
] as const;

describe('adapters/simulator/SimulatedKms — GenerateMac, VerifyMac', () => {
  let kms: SimulatedKms;
  let store: InMemorySimulatorStore;
  const keys = new Map<KmsMacAlgorithm, KeyMetadata>();
  let hmac256: KeyMetadata;
  let symmetric: KeyMetadata;
  let signing: KeyMetadata;
  const message = bytes('the message');

  before(async () => {
    store = new InMemorySimulatorStore();
    kms = newKms({ store });
    for (const [spec, algorithm] of SPECS) keys.set(algorithm, await createKey(kms, spec));
    hmac256 = keys.get('HMAC_SHA_256') as KeyMetadata;
    symmetric = await createKey(kms);
    signing = await createKey(kms, 'ECC_NIST_P256');
    await kms.createAlias({ AliasName: 'alias/mac', TargetKeyId: hmac256.KeyId });
  });

  it('computes HMAC per RFC 2104 with the key\'s own bytes, for every spec (node:crypto agrees)', async () => {
    for (const [, algorithm, hash, length] of SPECS) {
      const key = keys.get(algorithm) as KeyMetadata;
      const generated = await kms.generateMac({ KeyId: key.KeyId, Message: message, MacAlgorithm: algorithm });
      expect(generated).to.deep.equal({ Mac: generated.Mac, MacAlgorithm: algorithm, KeyId: key.Arn });
      expect(generated.Mac).to.have.length(length);
      const material = await store.getKeyMaterial(key.KeyId);
      const expected = createHmac(hash, material?.secret ?? new Uint8Array()).update(message).digest();
      expect(Buffer.from(generated.Mac).equals(expected)).to.equal(true);
      const verified = await kms.verifyMac({ KeyId: key.Arn, Message: message, Mac: generated.Mac, MacAlgorithm: algorithm });
      expect(verified).to.deep.equal({ KeyId: key.Arn, MacValid: true, MacAlgorithm: algorithm });
    }
  });

  it('accepts the key in every KeyId form', async () => {
    const aliasArn = `${hmac256.Arn.split(':key/')[0]}:alias/mac`;
    const macs = new Set<string>();
    for (const KeyId of [hmac256.KeyId, hmac256.Arn, 'alias/mac', aliasArn]) {
      const { Mac, KeyId: arn } = await kms.generateMac({ KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' });
      expect(arn).to.equal(hmac256.Arn);
      macs.add(Buffer.from(Mac).toString('hex'));
      await kms.verifyMac({ KeyId, Message: message, Mac, MacAlgorithm: 'HMAC_SHA_256' });
    }
    expect(macs.size).to.equal(1);
  });

  it('is deterministic, and VerifyMac accepts what GenerateMac made, for any message of 1–4096 bytes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 4096 }), fc.constantFrom(...SPECS), async (data, [, algorithm]) => {
        const KeyId = (keys.get(algorithm) as KeyMetadata).KeyId;
        const first = await kms.generateMac({ KeyId, Message: data, MacAlgorithm: algorithm });
        const second = await kms.generateMac({ KeyId, Message: data, MacAlgorithm: algorithm });
        expect(second.Mac).to.deep.equal(first.Mac);
        const { MacValid } = await kms.verifyMac({ KeyId, Message: data, Mac: first.Mac, MacAlgorithm: algorithm });
        expect(MacValid).to.equal(true);
      }),
      { numRuns: 150 },
    );
  });

  it('refuses any other MAC or message with an empty KMSInvalidMacException (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 256 }),
        fc.uint8Array({ minLength: 1, maxLength: 6144 }),
        async (data, mac) => {
          const { Mac } = await kms.generateMac({ KeyId: hmac256.KeyId, Message: data, MacAlgorithm: 'HMAC_SHA_256' });
          fc.pre(!Buffer.from(Mac).equals(mac));
          await expectKmsError(
            kms.verifyMac({ KeyId: hmac256.KeyId, Message: data, Mac: mac, MacAlgorithm: 'HMAC_SHA_256' }),
            'KMSInvalidMacException',
            '',
          );
        },
      ),
      { numRuns: 150 },
    );
    const { Mac } = await kms.generateMac({ KeyId: hmac256.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' });
    const variants = [Mac.subarray(1), Mac.subarray(0, 31), Uint8Array.from([...Mac, 0])];
    for (let i = 0; i < Mac.length; i += 1) {
      const flipped = Uint8Array.from(Mac);
      flipped[i] = (flipped[i] as number) ^ (1 << (i % 8));
      variants.push(flipped);
    }
    for (const mac of variants) {
      await expectKmsError(
        kms.verifyMac({ KeyId: hmac256.KeyId, Message: message, Mac: mac, MacAlgorithm: 'HMAC_SHA_256' }),
        'KMSInvalidMacException',
        '',
      );
    }
    await expectKmsError(
      kms.verifyMac({ KeyId: hmac256.KeyId, Message: bytes('the messagf'), Mac, MacAlgorithm: 'HMAC_SHA_256' }),
      'KMSInvalidMacException',
      '',
    );
  });

  it('gives each key its own MACs: another key of the same spec does not verify them', async () => {
    const twin = await createKey(kms, 'HMAC_256');
    const mine = await kms.generateMac({ KeyId: hmac256.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' });
    const theirs = await kms.generateMac({ KeyId: twin.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' });
    expect(theirs.Mac).not.to.deep.equal(mine.Mac);
    await expectKmsError(
      kms.verifyMac({ KeyId: twin.KeyId, Message: message, Mac: mine.Mac, MacAlgorithm: 'HMAC_SHA_256' }),
      'KMSInvalidMacException',
      '',
    );
  });

  it('refuses a MacAlgorithm that does not match the key spec', async () => {
    await expectKmsError(
      kms.generateMac({ KeyId: hmac256.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_224' }),
      'InvalidKeyUsageException',
      'Algorithm HMAC_SHA_224 is incompatible with key spec HMAC_256.',
    );
    const hmac224 = keys.get('HMAC_SHA_224') as KeyMetadata;
    await expectKmsError(
      kms.verifyMac({ KeyId: hmac224.KeyId, Message: message, Mac: new Uint8Array(28), MacAlgorithm: 'HMAC_SHA_256' }),
      'InvalidKeyUsageException',
      'Algorithm HMAC_SHA_256 is incompatible with key spec HMAC_224.',
    );
  });

  it('refuses keys of another usage', async () => {
    for (const [key, usage] of [
      [symmetric, 'ENCRYPT_DECRYPT'],
      [signing, 'SIGN_VERIFY'],
    ] as const) {
      await expectKmsError(
        kms.generateMac({ KeyId: key.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' }),
        'InvalidKeyUsageException',
        `${key.Arn} key usage is ${usage} which is not valid for GenerateMac.`,
      );
      await expectKmsError(
        kms.verifyMac({ KeyId: key.KeyId, Message: message, Mac: new Uint8Array(32), MacAlgorithm: 'HMAC_SHA_256' }),
        'InvalidKeyUsageException',
        `${key.Arn} key usage is ${usage} which is not valid for VerifyMac.`,
      );
    }
  });

  it('validates Message (1–4096, never echoed), Mac (1–6144), MacAlgorithm and the required members', async () => {
    const generate = (Message: Uint8Array) => kms.generateMac({ KeyId: hmac256.KeyId, Message, MacAlgorithm: 'HMAC_SHA_256' });
    await expectKmsError(
      generate(new Uint8Array(0)),
      'ValidationException',
      "1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    await expectKmsError(
      generate(new Uint8Array(4097)),
      'ValidationException',
      "1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length less than or equal to 4096",
    );
    await generate(new Uint8Array(4096));
    const verify = (Mac: Uint8Array) => kms.verifyMac({ KeyId: hmac256.KeyId, Message: message, Mac, MacAlgorithm: 'HMAC_SHA_256' });
    await expectKmsError(verify(new Uint8Array(0)), 'ValidationException', /Value at 'mac' .*greater than or equal to 1$/);
    await expectKmsError(verify(new Uint8Array(6145)), 'ValidationException', /Value at 'mac' .*less than or equal to 6144$/);
    await expectKmsError(verify(new Uint8Array(6144)), 'KMSInvalidMacException', '');
    await expectKmsError(
      kms.generateMac({ KeyId: hmac256.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_1' as 'HMAC_SHA_256' }),
      'ValidationException',
      "1 validation error detected: Value 'HMAC_SHA_1' at 'macAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [HMAC_SHA_224, HMAC_SHA_256, HMAC_SHA_384, HMAC_SHA_512]",
    );
    await expectKmsError(
      kms.generateMac({} as GenerateMacRequest),
      'ValidationException',
      "3 validation errors detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'message' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'macAlgorithm' failed to satisfy constraint: Member must not be null",
    );
    await expectKmsError(
      kms.verifyMac({ KeyId: hmac256.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' } as VerifyMacRequest),
      'ValidationException',
      "1 validation error detected: Value null at 'mac' failed to satisfy constraint: Member must not be null",
    );
  });

  it('follows the key-state table: Disabled → DisabledException, PendingDeletion → KMSInvalidStateException', async () => {
    const key = await createKey(kms, 'HMAC_384');
    const { Mac } = await kms.generateMac({ KeyId: key.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_384' });
    const calls = [
      () => kms.generateMac({ KeyId: key.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_384' }),
      () => kms.verifyMac({ KeyId: key.KeyId, Message: message, Mac, MacAlgorithm: 'HMAC_SHA_384' }),
    ];
    await kms.disableKey({ KeyId: key.KeyId });
    for (const call of calls) await expectKmsError(call(), 'DisabledException', `${key.Arn} is disabled.`);
    await kms.scheduleKeyDeletion({ KeyId: key.KeyId });
    for (const call of calls) await expectKmsError(call(), 'KMSInvalidStateException', `${key.Arn} is pending deletion.`);
    await kms.cancelKeyDeletion({ KeyId: key.KeyId });
    await kms.enableKey({ KeyId: key.KeyId });
    for (const call of calls) await call();
  });

  it('answers DryRun with DryRunOperationException when the call would succeed, and with the real error otherwise', async () => {
    const dryRun = 'The request would have succeeded, but the DryRun option is set.';
    await expectKmsError(
      kms.generateMac({ KeyId: hmac256.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256', DryRun: true }),
      'DryRunOperationException',
      dryRun,
    );
    await expectKmsError(
      kms.verifyMac({ KeyId: hmac256.KeyId, Message: message, Mac: Uint8Array.of(1), MacAlgorithm: 'HMAC_SHA_256', DryRun: true }),
      'DryRunOperationException',
      dryRun,
    );
    await expectKmsError(
      kms.generateMac({ KeyId: hmac256.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_512', DryRun: true }),
      'InvalidKeyUsageException',
    );
    const { Mac } = await kms.generateMac({ KeyId: hmac256.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256', DryRun: false });
    expect(Mac).to.have.length(32);
  });

  it('knows no grant tokens, and honours an aborted signal', async () => {
    await expectKmsError(
      kms.generateMac({ KeyId: hmac256.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256', GrantTokens: ['g'] }),
      'InvalidGrantTokenException',
    );
    const controller = new AbortController();
    controller.abort();
    let thrown: unknown;
    try {
      await kms.verifyMac(
        { KeyId: hmac256.KeyId, Message: message, Mac: Uint8Array.of(1), MacAlgorithm: 'HMAC_SHA_256' },
        { abortSignal: controller.signal },
      );
    } catch (e) {
      thrown = e;
    }
    expect(thrown).to.have.property('name', 'AbortError');
  });

  it('keeps no reference to the caller\'s message or MAC', async () => {
    const input = bytes('mutable');
    const pending = kms.generateMac({ KeyId: hmac256.KeyId, Message: input, MacAlgorithm: 'HMAC_SHA_256' });
    input.fill(0);
    const { Mac } = await pending;
    const mac = Uint8Array.from(Mac);
    const verifying = kms.verifyMac({ KeyId: hmac256.KeyId, Message: bytes('mutable'), Mac: mac, MacAlgorithm: 'HMAC_SHA_256' });
    mac.fill(0);
    expect((await verifying).MacValid).to.equal(true);
  });
});
