/**
 * Encrypt, Decrypt and GenerateDataKey (docs/kms-behaviour.md §3, §5, §6, §7, §9). RSA_2048 only, one key
 * generated per file. Replay a property failure with FC_SEED=<seed>.
 */
import { constants, createPrivateKey, createPublicKey, privateDecrypt, publicEncrypt } from 'node:crypto';
import { expect } from 'chai';
import fc from 'fast-check';
import { rsaOaepMaxPlaintext } from '../../../src/adapters/simulator/crypto/rsa-oaep.js';
import type { SimulatedKms } from '../../../src/adapters/simulator/simulated-kms.js';
import { InMemorySimulatorStore } from '../../../src/adapters/simulator/store/in-memory-store.js';
import type { DecryptRequest, EncryptRequest, GenerateDataKeyRequest, KeyMetadata } from '../../../src/ports/kms.port.js';
import { DAY_MS, ManualClock, bytes, createKey, expectKmsError, newKms } from './simulator-test-kit.js';

const INCORRECT_KEY = 'The key ID in the request does not identify a CMK that can perform this operation.';
const DRY_RUN = 'The request would have succeeded, but the DryRun option is set.';

/** Encryption contexts, keys and values of any code units (lone surrogates included). */
const contextArb = fc.dictionary(fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 24 }), {
  maxKeys: 6,
});
const plaintextArb = fc.uint8Array({ minLength: 1, maxLength: 4096 });

/** The same map with its keys inserted in reverse order. */
const reversed = (context: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(context).reverse());

const flipBit = (blob: Uint8Array, index: number, bit = 0): Uint8Array => {
  const copy = Uint8Array.from(blob);
  copy[index] = (copy[index] as number) ^ (1 << bit);
  return copy;
};

describe('adapters/simulator/SimulatedKms — Encrypt, Decrypt, GenerateDataKey', () => {
  let kms: SimulatedKms;
  let store: InMemorySimulatorStore;
  let symmetric: KeyMetadata;
  let other: KeyMetadata;
  let rsa: KeyMetadata;
  let rsaSpki: Buffer;
  let signing: KeyMetadata;
  let hmac: KeyMetadata;
  const plaintext = bytes('attack at dawn');

  before(async () => {
    store = new InMemorySimulatorStore();
    kms = newKms({ store });
    symmetric = await createKey(kms);
    other = await createKey(kms);
    rsa = await createKey(kms, 'RSA_2048', 'ENCRYPT_DECRYPT');
    rsaSpki = Buffer.from((await kms.getPublicKey({ KeyId: rsa.KeyId })).PublicKey);
    signing = await createKey(kms, 'ECC_NIST_P256');
    hmac = await createKey(kms, 'HMAC_256');
    await kms.createAlias({ AliasName: 'alias/data', TargetKeyId: symmetric.KeyId });
  });

  describe('symmetric Encrypt and Decrypt', () => {
    it('round-trips with the key ARN, the algorithm and the KeyMaterialId of DescribeKey in the outputs', async () => {
      const encrypted = await kms.encrypt({ KeyId: 'alias/data', Plaintext: plaintext });
      expect(encrypted).to.deep.equal({
        CiphertextBlob: encrypted.CiphertextBlob,
        KeyId: symmetric.Arn,
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      });
      expect(encrypted.CiphertextBlob).to.be.instanceOf(Uint8Array);
      expect(Buffer.from(encrypted.CiphertextBlob).includes(Buffer.from(plaintext))).to.equal(false);
      const decrypted = await kms.decrypt({ CiphertextBlob: encrypted.CiphertextBlob });
      expect(decrypted).to.deep.equal({
        KeyId: symmetric.Arn,
        Plaintext: plaintext,
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        KeyMaterialId: symmetric.CurrentKeyMaterialId,
      });
      expect(decrypted.KeyMaterialId).to.match(/^[0-9a-f]{64}$/);
    });

    it('accepts the key in every KeyId form in Encrypt and Decrypt', async () => {
      const forms = [symmetric.KeyId, symmetric.Arn, 'alias/data', `${symmetric.Arn.split(':key/')[0]}:alias/data`];
      for (const KeyId of forms) {
        const { CiphertextBlob, KeyId: arn } = await kms.encrypt({ KeyId, Plaintext: plaintext });
        expect(arn).to.equal(symmetric.Arn);
        for (const decryptWith of forms) {
          const { Plaintext } = await kms.decrypt({ CiphertextBlob, KeyId: decryptWith, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
          expect(Plaintext).to.deep.equal(plaintext);
        }
      }
    });

    it('round-trips any plaintext of 1–4096 bytes under any context, given in any key order (property)', async () => {
      await fc.assert(
        fc.asyncProperty(plaintextArb, contextArb, async (data, context) => {
          const { CiphertextBlob } = await kms.encrypt({ KeyId: symmetric.KeyId, Plaintext: data, EncryptionContext: context });
          expect(CiphertextBlob.length).to.be.at.most(6144);
          const { Plaintext } = await kms.decrypt({ CiphertextBlob, EncryptionContext: reversed(context) });
          expect(Plaintext).to.deep.equal(data);
        }),
        { numRuns: 150 },
      );
    });

    it('refuses any other context with an empty InvalidCiphertextException (property)', async () => {
      await fc.assert(
        fc.asyncProperty(contextArb, contextArb, async (context, otherContext) => {
          fc.pre(JSON.stringify(Object.entries(context).sort()) !== JSON.stringify(Object.entries(otherContext).sort()));
          const { CiphertextBlob } = await kms.encrypt({ KeyId: symmetric.KeyId, Plaintext: plaintext, EncryptionContext: context });
          await expectKmsError(kms.decrypt({ CiphertextBlob, EncryptionContext: otherContext }), 'InvalidCiphertextException', '');
        }),
        { numRuns: 150 },
      );
    });

    it('binds each pair exactly: no concatenation, split or swap of keys and values decrypts', async () => {
      const context = { ab: 'c', d: 'e' };
      const { CiphertextBlob } = await kms.encrypt({ KeyId: symmetric.KeyId, Plaintext: plaintext, EncryptionContext: context });
      for (const wrong of [{ a: 'bc', d: 'e' }, { ab: 'c' }, { ab: 'c', d: 'e', f: '' }, { c: 'ab', d: 'e' }, { ab: 'e', d: 'c' }, {}]) {
        await expectKmsError(kms.decrypt({ CiphertextBlob, EncryptionContext: wrong }), 'InvalidCiphertextException', '');
      }
      const { Plaintext } = await kms.decrypt({ CiphertextBlob, EncryptionContext: { d: 'e', ab: 'c' } });
      expect(Plaintext).to.deep.equal(plaintext);
    });

    it('treats an absent context and an empty one alike', async () => {
      const bare = await kms.encrypt({ KeyId: symmetric.KeyId, Plaintext: plaintext });
      const empty = await kms.encrypt({ KeyId: symmetric.KeyId, Plaintext: plaintext, EncryptionContext: {} });
      expect((await kms.decrypt({ CiphertextBlob: bare.CiphertextBlob, EncryptionContext: {} })).Plaintext).to.deep.equal(plaintext);
      expect((await kms.decrypt({ CiphertextBlob: empty.CiphertextBlob })).Plaintext).to.deep.equal(plaintext);
    });

    it('encrypts the same plaintext to a different blob each time (random IV)', async () => {
      const blobs = new Set<string>();
      for (let i = 0; i < 20; i += 1) {
        blobs.add(Buffer.from((await kms.encrypt({ KeyId: symmetric.KeyId, Plaintext: plaintext })).CiphertextBlob).toString('hex'));
      }
      expect(blobs.size).to.equal(20);
    });

    it('refuses a blob with any single bit changed, truncated or extended', async () => {
      const { CiphertextBlob } = await kms.encrypt({ KeyId: symmetric.KeyId, Plaintext: plaintext, EncryptionContext: { p: 'q' } });
      const variants: Uint8Array[] = [
        CiphertextBlob.subarray(0, CiphertextBlob.length - 1),
        CiphertextBlob.subarray(1),
        Uint8Array.from([...CiphertextBlob, 0]),
      ];
      for (let i = 0; i < CiphertextBlob.length; i += 1) variants.push(flipBit(CiphertextBlob, i, i % 8));
      for (const blob of variants) {
        await expectKmsError(kms.decrypt({ CiphertextBlob: blob, EncryptionContext: { p: 'q' } }), 'InvalidCiphertextException', '');
      }
    });

    it('refuses any garbage blob with InvalidCiphertextException, never a crash (property)', async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 6144 }), fc.option(fc.constant(symmetric.KeyId), { nil: undefined }), async (blob, KeyId) => {
          await expectKmsError(kms.decrypt({ CiphertextBlob: blob, ...(KeyId === undefined ? {} : { KeyId }) }), 'InvalidCiphertextException', '');
        }),
        { numRuns: 200 },
      );
    });

    it('refuses a blob whose header names a key of another kind or no key at all', async () => {
      const { CiphertextBlob } = await kms.encrypt({ KeyId: symmetric.KeyId, Plaintext: plaintext });
      for (const keyId of [rsa.KeyId, hmac.KeyId, '00000000-0000-4000-8000-000000000000']) {
        const forged = Uint8Array.from(CiphertextBlob);
        forged.set(Buffer.from(keyId.replaceAll('-', ''), 'hex'), 1);
        await expectKmsError(kms.decrypt({ CiphertextBlob: forged }), 'InvalidCiphertextException', '');
      }
    });

    it('throws IncorrectKeyException when KeyId names another key than the ciphertext\'s', async () => {
      const { CiphertextBlob } = await kms.encrypt({ KeyId: symmetric.KeyId, Plaintext: plaintext });
      await expectKmsError(kms.decrypt({ CiphertextBlob, KeyId: other.Arn }), 'IncorrectKeyException', INCORRECT_KEY);
      await expectKmsError(kms.decrypt({ CiphertextBlob, KeyId: other.KeyId }), 'IncorrectKeyException', INCORRECT_KEY);
    });

    it('decrypts nothing of another simulator, even with the same key ID', async () => {
      const { CiphertextBlob } = await kms.encrypt({ KeyId: symmetric.KeyId, Plaintext: plaintext });
      await expectKmsError(newKms().decrypt({ CiphertextBlob }), 'InvalidCiphertextException', '');
    });

    it('validates Plaintext (1–4096, never echoed), CiphertextBlob (1–6144) and the other members', async () => {
      await expectKmsError(
        kms.encrypt({ KeyId: symmetric.KeyId, Plaintext: new Uint8Array(4097) }),
        'ValidationException',
        "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096",
      );
      await expectKmsError(
        kms.encrypt({ KeyId: symmetric.KeyId, Plaintext: new Uint8Array(0) }),
        'ValidationException',
        "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length greater than or equal to 1",
      );
      const max = await kms.encrypt({ KeyId: symmetric.KeyId, Plaintext: new Uint8Array(4096).fill(7) });
      expect((await kms.decrypt({ CiphertextBlob: max.CiphertextBlob })).Plaintext).to.deep.equal(new Uint8Array(4096).fill(7));
      await expectKmsError(
        kms.decrypt({ CiphertextBlob: new Uint8Array(6145) }),
        'ValidationException',
        "1 validation error detected: Value at 'ciphertextBlob' failed to satisfy constraint: Member must have length less than or equal to 6144",
      );
      await expectKmsError(
        kms.decrypt({ CiphertextBlob: new Uint8Array(0) }),
        'ValidationException',
        /Value at 'ciphertextBlob' failed to satisfy constraint: Member must have length greater than or equal to 1$/,
      );
      await expectKmsError(
        kms.encrypt({} as EncryptRequest),
        'ValidationException',
        "2 validation errors detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null; " +
          "Value null at 'plaintext' failed to satisfy constraint: Member must not be null",
      );
      await expectKmsError(
        kms.decrypt({} as DecryptRequest),
        'ValidationException',
        "1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null",
      );
      await expectKmsError(
        kms.encrypt({ KeyId: symmetric.KeyId, Plaintext: plaintext, EncryptionAlgorithm: 'AES_GCM' as 'SYMMETRIC_DEFAULT' }),
        'ValidationException',
        "1 validation error detected: Value 'AES_GCM' at 'encryptionAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [SYMMETRIC_DEFAULT, RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256, SM2PKE]",
      );
      for (const EncryptionContext of [{ n: 1 }, ['a'], 'a=b', new Map([['a', 'b']])]) {
        await expectKmsError(
          kms.encrypt({ KeyId: symmetric.KeyId, Plaintext: plaintext, EncryptionContext } as unknown as EncryptRequest),
          'ValidationException',
          "1 validation error detected: Value at 'encryptionContext' failed to satisfy constraint: Member must be a map of string keys to string values",
        );
      }
    });

    it('refuses keys of another usage, and algorithms the key spec does not offer', async () => {
      for (const [key, usage] of [
        [signing, 'SIGN_VERIFY'],
        [hmac, 'GENERATE_VERIFY_MAC'],
      ] as const) {
        await expectKmsError(
          kms.encrypt({ KeyId: key.KeyId, Plaintext: plaintext }),
          'InvalidKeyUsageException',
          `${key.Arn} key usage is ${usage} which is not valid for Encrypt.`,
        );
        await expectKmsError(
          kms.decrypt({ KeyId: key.KeyId, CiphertextBlob: plaintext }),
          'InvalidKeyUsageException',
          `${key.Arn} key usage is ${usage} which is not valid for Decrypt.`,
        );
      }
      const agreement = await createKey(kms, 'ECC_NIST_P256', 'KEY_AGREEMENT');
      await expectKmsError(
        kms.encrypt({ KeyId: agreement.KeyId, Plaintext: plaintext }),
        'InvalidKeyUsageException',
        `${agreement.Arn} key usage is KEY_AGREEMENT which is not valid for Encrypt.`,
      );
      await expectKmsError(
        kms.encrypt({ KeyId: symmetric.KeyId, Plaintext: plaintext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }),
        'InvalidKeyUsageException',
        'Algorithm RSAES_OAEP_SHA_256 is incompatible with key spec SYMMETRIC_DEFAULT.',
      );
      const { CiphertextBlob } = await kms.encrypt({ KeyId: symmetric.KeyId, Plaintext: plaintext });
      await expectKmsError(
        kms.decrypt({ CiphertextBlob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' }),
        'InvalidKeyUsageException',
        'Algorithm RSAES_OAEP_SHA_1 is incompatible with key spec SYMMETRIC_DEFAULT.',
      );
    });
  });

  describe('RSA Encrypt and Decrypt', () => {
    it('round-trips with both OAEP algorithms; the blob is the raw OAEP ciphertext', async () => {
      for (const EncryptionAlgorithm of ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] as const) {
        const encrypted = await kms.encrypt({ KeyId: rsa.KeyId, Plaintext: plaintext, EncryptionAlgorithm });
        expect(encrypted).to.deep.equal({ CiphertextBlob: encrypted.CiphertextBlob, KeyId: rsa.Arn, EncryptionAlgorithm });
        expect(encrypted.CiphertextBlob.length).to.equal(256);
        const decrypted = await kms.decrypt({ CiphertextBlob: encrypted.CiphertextBlob, KeyId: rsa.Arn, EncryptionAlgorithm });
        expect(decrypted).to.deep.equal({ KeyId: rsa.Arn, Plaintext: plaintext, EncryptionAlgorithm });
      }
    });

    it('decrypts what node:crypto encrypts with the published key (MGF1 with the same hash, empty label)', async () => {
      for (const [EncryptionAlgorithm, oaepHash] of [
        ['RSAES_OAEP_SHA_1', 'sha1'],
        ['RSAES_OAEP_SHA_256', 'sha256'],
      ] as const) {
        const key = createPublicKey({ key: rsaSpki, format: 'der', type: 'spki' });
        const CiphertextBlob = publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, plaintext);
        const { Plaintext } = await kms.decrypt({ CiphertextBlob, KeyId: rsa.KeyId, EncryptionAlgorithm });
        expect(Plaintext).to.deep.equal(plaintext);
      }
    });

    it('encrypts what node:crypto decrypts with the private key from the store', async () => {
      const material = await store.getKeyMaterial(rsa.KeyId);
      const privateKey = createPrivateKey({ key: Buffer.from(material?.secret ?? []), format: 'der', type: 'pkcs8' });
      const { CiphertextBlob } = await kms.encrypt({ KeyId: rsa.KeyId, Plaintext: plaintext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
      const decrypted = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, CiphertextBlob);
      expect(new Uint8Array(decrypted)).to.deep.equal(plaintext);
    });

    it('takes plaintexts up to the OAEP limit of the key spec, exactly (RSA_2048: 214 / 190 bytes)', async () => {
      for (const [EncryptionAlgorithm, max] of [
        ['RSAES_OAEP_SHA_1', 214],
        ['RSAES_OAEP_SHA_256', 190],
      ] as const) {
        const data = new Uint8Array(max).fill(0xa5);
        const { CiphertextBlob } = await kms.encrypt({ KeyId: rsa.KeyId, Plaintext: data, EncryptionAlgorithm });
        expect((await kms.decrypt({ CiphertextBlob, KeyId: rsa.KeyId, EncryptionAlgorithm })).Plaintext).to.deep.equal(data);
        await expectKmsError(
          kms.encrypt({ KeyId: rsa.KeyId, Plaintext: new Uint8Array(max + 1), EncryptionAlgorithm }),
          'ValidationException',
          `Algorithm ${EncryptionAlgorithm} and key spec RSA_2048 cannot encrypt data larger than ${max} bytes.`,
        );
      }
    });

    it('computes the recorded limits of every RSA spec', () => {
      expect(
        [2048, 3072, 4096].map((bits) => [rsaOaepMaxPlaintext(bits, 'RSAES_OAEP_SHA_1'), rsaOaepMaxPlaintext(bits, 'RSAES_OAEP_SHA_256')]),
      ).to.deep.equal([
        [214, 190],
        [342, 318],
        [470, 446],
      ]);
    });

    it('requires an OAEP algorithm and refuses an EncryptionContext', async () => {
      await expectKmsError(
        kms.encrypt({ KeyId: rsa.KeyId, Plaintext: plaintext }),
        'InvalidKeyUsageException',
        'Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.',
      );
      await expectKmsError(
        kms.encrypt({ KeyId: rsa.KeyId, Plaintext: plaintext, EncryptionAlgorithm: 'SM2PKE' }),
        'InvalidKeyUsageException',
        'Algorithm SM2PKE is incompatible with key spec RSA_2048.',
      );
      const { CiphertextBlob } = await kms.encrypt({ KeyId: rsa.KeyId, Plaintext: plaintext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
      await expectKmsError(
        kms.decrypt({ CiphertextBlob, KeyId: rsa.KeyId }),
        'InvalidKeyUsageException',
        'Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.',
      );
      const noContext = 'EncryptionContext is not supported when encrypting/decrypting with asymmetric CMKs.';
      await expectKmsError(
        kms.encrypt({ KeyId: rsa.KeyId, Plaintext: plaintext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256', EncryptionContext: { a: 'b' } }),
        'ValidationException',
        noContext,
      );
      await expectKmsError(
        kms.decrypt({ CiphertextBlob, KeyId: rsa.KeyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256', EncryptionContext: { a: 'b' } }),
        'ValidationException',
        noContext,
      );
      const empty = await kms.encrypt({ KeyId: rsa.KeyId, Plaintext: plaintext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_1', EncryptionContext: {} });
      expect(empty.CiphertextBlob.length).to.equal(256);
    });

    it('needs the KeyId to decrypt, and refuses a wrong algorithm or a changed ciphertext', async () => {
      const { CiphertextBlob } = await kms.encrypt({ KeyId: rsa.KeyId, Plaintext: plaintext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
      await expectKmsError(kms.decrypt({ CiphertextBlob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }), 'InvalidCiphertextException', '');
      await expectKmsError(kms.decrypt({ CiphertextBlob, KeyId: rsa.KeyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' }), 'InvalidCiphertextException', '');
      for (const blob of [flipBit(CiphertextBlob, 0), flipBit(CiphertextBlob, 100, 3), flipBit(CiphertextBlob, 255, 7), CiphertextBlob.subarray(0, -1)]) {
        // (not subarray(1): a ciphertext whose first byte is 0x00 — 1 in 256 — is the same integer without it)
        await expectKmsError(
          kms.decrypt({ CiphertextBlob: blob, KeyId: rsa.KeyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }),
          'InvalidCiphertextException',
          '',
        );
      }
      const symmetricBlob = (await kms.encrypt({ KeyId: symmetric.KeyId, Plaintext: plaintext })).CiphertextBlob;
      await expectKmsError(
        kms.decrypt({ CiphertextBlob: symmetricBlob, KeyId: rsa.KeyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }),
        'InvalidCiphertextException',
        '',
      );
    });
  });

  describe('GenerateDataKey', () => {
    it('returns a data key of either KeySpec, or NumberOfBytes, that Decrypt gives back under the same context', async () => {
      const context = { purpose: 'test', tenant: 't-1' };
      for (const [request, length] of [
        [{ KeySpec: 'AES_256' }, 32],
        [{ KeySpec: 'AES_128' }, 16],
        [{ NumberOfBytes: 1 }, 1],
        [{ NumberOfBytes: 1024 }, 1024],
      ] as const) {
        const dataKey = await kms.generateDataKey({ KeyId: 'alias/data', EncryptionContext: context, ...request });
        expect(dataKey).to.deep.equal({
          CiphertextBlob: dataKey.CiphertextBlob,
          Plaintext: dataKey.Plaintext,
          KeyId: symmetric.Arn,
          KeyMaterialId: symmetric.CurrentKeyMaterialId,
        });
        expect(dataKey.Plaintext.length).to.equal(length);
        const decrypted = await kms.decrypt({ CiphertextBlob: dataKey.CiphertextBlob, EncryptionContext: reversed(context) });
        expect(decrypted.Plaintext).to.deep.equal(dataKey.Plaintext);
        await expectKmsError(kms.decrypt({ CiphertextBlob: dataKey.CiphertextBlob }), 'InvalidCiphertextException', '');
      }
    });

    it('returns a fresh key each time', async () => {
      const a = await kms.generateDataKey({ KeyId: symmetric.KeyId, KeySpec: 'AES_256' });
      const b = await kms.generateDataKey({ KeyId: symmetric.KeyId, KeySpec: 'AES_256' });
      expect(a.Plaintext).not.to.deep.equal(b.Plaintext);
    });

    it('wants exactly one of KeySpec and NumberOfBytes, each within its constraints', async () => {
      const either = 'Please specify either number of bytes or key spec.';
      await expectKmsError(kms.generateDataKey({ KeyId: symmetric.KeyId }), 'ValidationException', either);
      await expectKmsError(kms.generateDataKey({ KeyId: symmetric.KeyId, KeySpec: 'AES_128', NumberOfBytes: 16 }), 'ValidationException', either);
      await expectKmsError(
        kms.generateDataKey({ KeyId: symmetric.KeyId, NumberOfBytes: 0 }),
        'ValidationException',
        "1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1",
      );
      await expectKmsError(
        kms.generateDataKey({ KeyId: symmetric.KeyId, NumberOfBytes: 1025 }),
        'ValidationException',
        "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024",
      );
      await expectKmsError(
        kms.generateDataKey({ KeyId: symmetric.KeyId, KeySpec: 'AES_512' as 'AES_256' }),
        'ValidationException',
        "1 validation error detected: Value 'AES_512' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [AES_256, AES_128]",
      );
      await expectKmsError(
        kms.generateDataKey({ KeySpec: 'AES_256' } as GenerateDataKeyRequest),
        'ValidationException',
        "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null",
      );
    });

    it('takes symmetric encryption keys only', async () => {
      await expectKmsError(
        kms.generateDataKey({ KeyId: rsa.KeyId, KeySpec: 'AES_256' }),
        'InvalidKeyUsageException',
        `${rsa.Arn} key KeySpec is RSA_2048 which is not valid for GenerateDataKey.`,
      );
      await expectKmsError(
        kms.generateDataKey({ KeyId: signing.KeyId, KeySpec: 'AES_256' }),
        'InvalidKeyUsageException',
        `${signing.Arn} key usage is SIGN_VERIFY which is not valid for GenerateDataKey.`,
      );
      await expectKmsError(
        kms.generateDataKey({ KeyId: hmac.KeyId, NumberOfBytes: 8 }),
        'InvalidKeyUsageException',
        `${hmac.Arn} key usage is GENERATE_VERIFY_MAC which is not valid for GenerateDataKey.`,
      );
    });
  });

  describe('every operation', () => {
    it('follows the key-state table: Disabled → DisabledException, PendingDeletion → KMSInvalidStateException', async () => {
      const key = await createKey(kms);
      const { CiphertextBlob } = await kms.encrypt({ KeyId: key.KeyId, Plaintext: plaintext });
      const rsaBlob = (await kms.encrypt({ KeyId: rsa.KeyId, Plaintext: plaintext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' })).CiphertextBlob;
      const symmetricCalls = (): Array<() => Promise<unknown>> => [
        () => kms.encrypt({ KeyId: key.KeyId, Plaintext: plaintext }),
        () => kms.decrypt({ CiphertextBlob }),
        () => kms.decrypt({ CiphertextBlob, KeyId: key.Arn }),
        () => kms.generateDataKey({ KeyId: key.KeyId, KeySpec: 'AES_256' }),
      ];
      const rsaCalls = (): Array<() => Promise<unknown>> => [
        () => kms.encrypt({ KeyId: rsa.KeyId, Plaintext: plaintext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' }),
        () => kms.decrypt({ CiphertextBlob: rsaBlob, KeyId: rsa.KeyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' }),
      ];
      for (const keyId of [key.KeyId, rsa.KeyId]) await kms.disableKey({ KeyId: keyId });
      for (const call of symmetricCalls()) await expectKmsError(call(), 'DisabledException', `${key.Arn} is disabled.`);
      for (const call of rsaCalls()) await expectKmsError(call(), 'DisabledException', `${rsa.Arn} is disabled.`);
      for (const keyId of [key.KeyId, rsa.KeyId]) await kms.scheduleKeyDeletion({ KeyId: keyId });
      for (const call of symmetricCalls()) await expectKmsError(call(), 'KMSInvalidStateException', `${key.Arn} is pending deletion.`);
      for (const call of rsaCalls()) await expectKmsError(call(), 'KMSInvalidStateException', `${rsa.Arn} is pending deletion.`);
      for (const keyId of [key.KeyId, rsa.KeyId]) {
        await kms.cancelKeyDeletion({ KeyId: keyId });
        await kms.enableKey({ KeyId: keyId });
      }
      await Promise.all([...symmetricCalls(), ...rsaCalls()].map((call) => call()));
      expect((await kms.decrypt({ CiphertextBlob })).Plaintext).to.deep.equal(plaintext);
    });

    it('cannot decrypt once the key is deleted: the blob names no key any more', async () => {
      const clock = new ManualClock();
      const local = newKms({ clock: clock.now });
      const key = await createKey(local);
      const { CiphertextBlob } = await local.encrypt({ KeyId: key.KeyId, Plaintext: plaintext });
      await local.scheduleKeyDeletion({ KeyId: key.KeyId, PendingWindowInDays: 7 });
      clock.advance(7 * DAY_MS);
      await expectKmsError(local.decrypt({ CiphertextBlob }), 'InvalidCiphertextException', '');
      await expectKmsError(local.decrypt({ CiphertextBlob, KeyId: key.KeyId }), 'NotFoundException', `Key '${key.Arn}' does not exist`);
    });

    it('answers DryRun with DryRunOperationException when the call would succeed, and with the real error otherwise', async () => {
      const { CiphertextBlob } = await kms.encrypt({ KeyId: symmetric.KeyId, Plaintext: plaintext, EncryptionContext: { a: 'b' } });
      for (const call of [
        () => kms.encrypt({ KeyId: symmetric.KeyId, Plaintext: plaintext, DryRun: true }),
        () => kms.encrypt({ KeyId: rsa.KeyId, Plaintext: plaintext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256', DryRun: true }),
        () => kms.decrypt({ CiphertextBlob, EncryptionContext: { a: 'b' }, DryRun: true }),
        () => kms.generateDataKey({ KeyId: symmetric.KeyId, KeySpec: 'AES_256', DryRun: true }),
      ]) {
        await expectKmsError(call(), 'DryRunOperationException', DRY_RUN);
      }
      await expectKmsError(kms.decrypt({ CiphertextBlob, DryRun: true }), 'InvalidCiphertextException', '');
      await expectKmsError(kms.encrypt({ KeyId: signing.KeyId, Plaintext: plaintext, DryRun: true }), 'InvalidKeyUsageException');
      await expectKmsError(
        kms.encrypt({ KeyId: rsa.KeyId, Plaintext: new Uint8Array(191), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256', DryRun: true }),
        'ValidationException',
      );
      await expectKmsError(kms.generateDataKey({ KeyId: rsa.KeyId, KeySpec: 'AES_256', DryRun: true }), 'InvalidKeyUsageException');
      const done = await kms.decrypt({ CiphertextBlob, EncryptionContext: { a: 'b' }, DryRun: false });
      expect(done.Plaintext).to.deep.equal(plaintext);
    });

    it('knows no grant tokens', async () => {
      const { CiphertextBlob } = await kms.encrypt({ KeyId: symmetric.KeyId, Plaintext: plaintext });
      for (const call of [
        () => kms.encrypt({ KeyId: symmetric.KeyId, Plaintext: plaintext, GrantTokens: ['g'] }),
        () => kms.decrypt({ CiphertextBlob, GrantTokens: ['g'] }),
        () => kms.generateDataKey({ KeyId: symmetric.KeyId, NumberOfBytes: 4, GrantTokens: ['g'] }),
      ]) {
        await expectKmsError(call(), 'InvalidGrantTokenException', 'The grant token is not valid.');
      }
    });

    it('answers NotFoundException for an unknown key or alias', async () => {
      const absent = '11111111-2222-4333-8444-555555555555';
      await expectKmsError(kms.encrypt({ KeyId: absent, Plaintext: plaintext }), 'NotFoundException', /does not exist$/);
      await expectKmsError(kms.generateDataKey({ KeyId: 'alias/none', KeySpec: 'AES_256' }), 'NotFoundException', /^Alias .*alias\/none is not found\.$/);
      await expectKmsError(kms.decrypt({ CiphertextBlob: plaintext, KeyId: 'not-a-key' }), 'NotFoundException', "Invalid keyId 'not-a-key'");
    });

    it('keeps no reference to the caller\'s buffers and returns none of its own', async () => {
      const input = bytes('mutable plaintext');
      const context = { k: 'v' };
      const pending = kms.encrypt({ KeyId: symmetric.KeyId, Plaintext: input, EncryptionContext: context });
      input.fill(0);
      context.k = 'changed';
      const { CiphertextBlob } = await pending;
      const blob = Uint8Array.from(CiphertextBlob);
      const decrypting = kms.decrypt({ CiphertextBlob: blob, EncryptionContext: { k: 'v' } });
      blob.fill(0);
      const first = await decrypting;
      expect(first.Plaintext).to.deep.equal(bytes('mutable plaintext'));
      first.Plaintext.fill(0);
      expect((await kms.decrypt({ CiphertextBlob, EncryptionContext: { k: 'v' } })).Plaintext).to.deep.equal(bytes('mutable plaintext'));
    });

    it('honours an aborted signal', async () => {
      const controller = new AbortController();
      controller.abort();
      for (const call of [
        () => kms.encrypt({ KeyId: symmetric.KeyId, Plaintext: plaintext }, { abortSignal: controller.signal }),
        () => kms.decrypt({ CiphertextBlob: plaintext }, { abortSignal: controller.signal }),
        () => kms.generateDataKey({ KeyId: symmetric.KeyId, KeySpec: 'AES_256' }, { abortSignal: controller.signal }),
      ]) {
        let thrown: unknown;
        try {
          await call();
        } catch (e) {
          thrown = e;
        }
        expect(thrown).to.have.property('name', 'AbortError');
      }
    });

    it('never shows a plaintext, a data key or key material in an error message', async () => {
      const secret = bytes('SECRET-PLAINTEXT-0123456789');
      const material = await store.getKeyMaterial(symmetric.KeyId);
      const { CiphertextBlob } = await kms.encrypt({ KeyId: symmetric.KeyId, Plaintext: secret, EncryptionContext: { ctx: 'SECRET-CONTEXT' } });
      const messages: string[] = [];
      for (const call of [
        () => kms.encrypt({ KeyId: signing.KeyId, Plaintext: secret }),
        () => kms.encrypt({ KeyId: rsa.KeyId, Plaintext: new Uint8Array(300).fill(65), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }),
        () => kms.encrypt({ KeyId: symmetric.KeyId, Plaintext: new Uint8Array(5000).fill(65) }),
        () => kms.decrypt({ CiphertextBlob, EncryptionContext: { ctx: 'OTHER' } }),
        () => kms.decrypt({ CiphertextBlob, KeyId: other.KeyId }),
        () => kms.decrypt({ CiphertextBlob: new Uint8Array(7000).fill(65) }),
      ]) {
        try {
          await call();
        } catch (e) {
          messages.push(String(e), JSON.stringify(e));
        }
      }
      expect(messages).to.have.length(12);
      const hex = Buffer.from(material?.secret ?? []).toString('hex');
      for (const text of messages) {
        for (const forbidden of ['SECRET', 'AAAA', hex, Buffer.from(material?.secret ?? []).toString('base64')]) {
          expect(text).not.to.include(forbidden);
        }
      }
    });
  });
});
