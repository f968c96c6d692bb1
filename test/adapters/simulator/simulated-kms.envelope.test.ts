/**
 * ReEncrypt, GenerateDataKeyWithoutPlaintext, GenerateDataKeyPair(WithoutPlaintext) and DryRun on every operation
 * of the model that takes it (docs/kms-behaviour.md §3.2, §9.1).
 */
import { constants, createPrivateKey, createPublicKey, generateKeyPairSync, publicEncrypt, sign, verify, type KeyObject } from 'node:crypto';
import { expect } from 'chai';
import { ml_kem512, ml_kem768, ml_kem1024 } from '@noble/post-quantum/ml-kem.js';
import { KMS_MODEL, type PortMethod } from '../../../src/adapters/kms-model/kms-operations.js';
import { DATA_KEY_PAIR_SPECS } from '../../../src/adapters/kms-model/kms-enums.js';
import type { SimulatedKms } from '../../../src/adapters/simulator/simulated-kms.js';
import type { KeyMetadata, KmsDataKeyPairSpec, KmsPort } from '../../../src/ports/kms.port.js';
import { DAY_MS, ManualClock, bytes, createKey, expectKmsError, keyArn, newKms } from './simulator-test-kit.js';

const INCORRECT_KEY = 'The key ID in the request does not identify a CMK that can perform this operation.';
const DRY_RUN = 'The request would have succeeded, but the DryRun option is set.';
/** The specs this simulator makes in us-east-1 (SM2: China only; ML-KEM: not yet, §9.1). */
const MADE_HERE = DATA_KEY_PAIR_SPECS.filter((s) => s !== 'SM2' && !s.startsWith('ML_KEM'));

/** Proves a private and a public key belong together: a signature of the one verifies with the other. */
function expectMatchingPair(spec: KmsDataKeyPairSpec, pkcs8: Uint8Array, spki: Uint8Array): void {
  const privateKey: KeyObject = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  const publicKey: KeyObject = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  expect(Buffer.from(createPublicKey(privateKey).export({ type: 'spki', format: 'der' })), spec).to.deep.equal(Buffer.from(spki));
  const digest = spec === 'ECC_NIST_EDWARDS25519' ? null : spec === 'SM2' ? 'sm3' : 'sha256'; // SM2DSA hashes with SM3
  const message = bytes(`data key pair ${spec}`);
  const signature = sign(digest, message, privateKey);
  expect(verify(digest, message, publicKey, signature), spec).to.equal(true);
  expect(verify(digest, bytes('another message'), publicKey, signature), spec).to.equal(false);
}

describe('adapters/simulator/SimulatedKms — envelope encryption', () => {
  let kms: SimulatedKms;
  let clock: ManualClock;
  let source: KeyMetadata;
  let destination: KeyMetadata;
  let rsa: KeyMetadata;
  let signing: KeyMetadata;
  let hmac: KeyMetadata;

  before(async () => {
    clock = new ManualClock();
    kms = newKms({ clock: clock.now });
    [source, destination, rsa, signing, hmac] = await Promise.all([
      createKey(kms),
      createKey(kms),
      createKey(kms, 'RSA_2048', 'ENCRYPT_DECRYPT'),
      createKey(kms, 'ECC_NIST_P256', 'SIGN_VERIFY'),
      createKey(kms, 'HMAC_256', 'GENERATE_VERIFY_MAC'),
    ]);
    await kms.createAlias({ AliasName: 'alias/envelope-destination', TargetKeyId: destination.KeyId });
  });

  const fresh = async (spec: Parameters<typeof createKey>[1] = 'SYMMETRIC_DEFAULT', usage?: Parameters<typeof createKey>[2]) =>
    createKey(kms, spec, usage);

  describe('ReEncrypt', () => {
    it('a ciphertext re-encrypted to another key decrypts there, under the new context, and not under the source', async () => {
      const { CiphertextBlob } = await kms.encrypt({ KeyId: source.KeyId, Plaintext: bytes('secret'), EncryptionContext: { a: '1' } });
      const out = await kms.reEncrypt({
        CiphertextBlob,
        SourceEncryptionContext: { a: '1' },
        DestinationKeyId: 'alias/envelope-destination',
        DestinationEncryptionContext: { b: '2' },
      });
      expect(out).to.deep.equal({
        CiphertextBlob: out.CiphertextBlob,
        SourceKeyId: source.Arn,
        KeyId: destination.Arn,
        SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        SourceKeyMaterialId: source.CurrentKeyMaterialId,
        DestinationKeyMaterialId: destination.CurrentKeyMaterialId,
      });
      const there = await kms.decrypt({ CiphertextBlob: out.CiphertextBlob, EncryptionContext: { b: '2' } });
      expect(there.KeyId).to.equal(destination.Arn);
      expect(new TextDecoder().decode(there.Plaintext)).to.equal('secret');
      await expectKmsError(kms.decrypt({ CiphertextBlob: out.CiphertextBlob, KeyId: source.KeyId, EncryptionContext: { b: '2' } }), 'IncorrectKeyException', INCORRECT_KEY);
      await expectKmsError(kms.decrypt({ CiphertextBlob: out.CiphertextBlob, EncryptionContext: { a: '1' } }), 'InvalidCiphertextException', '');
      // the original still decrypts under the source: ReEncrypt changes nothing stored
      expect((await kms.decrypt({ CiphertextBlob, EncryptionContext: { a: '1' } })).KeyId).to.equal(source.Arn);
    });

    it('a data key from GenerateDataKey re-encrypts with SourceKeyId in any form; the same key as destination works', async () => {
      const dk = await kms.generateDataKey({ KeyId: source.KeyId, NumberOfBytes: 24 });
      const out = await kms.reEncrypt({ CiphertextBlob: dk.CiphertextBlob, SourceKeyId: source.Arn, DestinationKeyId: source.KeyId });
      expect([out.SourceKeyId, out.KeyId]).to.deep.equal([source.Arn, source.Arn]);
      expect(out.CiphertextBlob).not.to.deep.equal(dk.CiphertextBlob);
      expect((await kms.decrypt({ CiphertextBlob: out.CiphertextBlob })).Plaintext).to.deep.equal(dk.Plaintext);
    });

    it('refuses a SourceKeyId other than the ciphertext key, and a wrong source context', async () => {
      const { CiphertextBlob } = await kms.encrypt({ KeyId: source.KeyId, Plaintext: bytes('x'), EncryptionContext: { a: '1' } });
      await expectKmsError(
        kms.reEncrypt({ CiphertextBlob, SourceKeyId: destination.KeyId, SourceEncryptionContext: { a: '1' }, DestinationKeyId: destination.KeyId }),
        'IncorrectKeyException',
        INCORRECT_KEY,
      );
      await expectKmsError(kms.reEncrypt({ CiphertextBlob, SourceEncryptionContext: { a: '2' }, DestinationKeyId: destination.KeyId }), 'InvalidCiphertextException', '');
      await expectKmsError(kms.reEncrypt({ CiphertextBlob, DestinationKeyId: destination.KeyId }), 'InvalidCiphertextException', '');
      await expectKmsError(kms.reEncrypt({ CiphertextBlob: Uint8Array.of(1, 2, 3), DestinationKeyId: destination.KeyId }), 'InvalidCiphertextException', '');
    });

    it('refuses an unusable destination: disabled, pending deletion, wrong usage, RSA without its algorithm', async () => {
      const { CiphertextBlob } = await kms.encrypt({ KeyId: source.KeyId, Plaintext: bytes('x') });
      const disabled = await fresh();
      await kms.disableKey({ KeyId: disabled.KeyId });
      await expectKmsError(kms.reEncrypt({ CiphertextBlob, DestinationKeyId: disabled.KeyId }), 'DisabledException', `${disabled.Arn} is disabled.`);
      const pending = await fresh();
      await kms.scheduleKeyDeletion({ KeyId: pending.KeyId, PendingWindowInDays: 7 });
      await expectKmsError(kms.reEncrypt({ CiphertextBlob, DestinationKeyId: pending.KeyId }), 'KMSInvalidStateException', `${pending.Arn} is pending deletion.`);
      await expectKmsError(
        kms.reEncrypt({ CiphertextBlob, DestinationKeyId: signing.KeyId }),
        'InvalidKeyUsageException',
        `${signing.Arn} key usage is SIGN_VERIFY which is not valid for ReEncrypt.`,
      );
      await expectKmsError(
        kms.reEncrypt({ CiphertextBlob, DestinationKeyId: hmac.KeyId }),
        'InvalidKeyUsageException',
        `${hmac.Arn} key usage is GENERATE_VERIFY_MAC which is not valid for ReEncrypt.`,
      );
      await expectKmsError(
        kms.reEncrypt({ CiphertextBlob, DestinationKeyId: rsa.KeyId }),
        'InvalidKeyUsageException',
        'Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.',
      );
      await expectKmsError(
        kms.reEncrypt({ CiphertextBlob, DestinationKeyId: rsa.KeyId, DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', DestinationEncryptionContext: { a: 'b' } }),
        'ValidationException',
        'EncryptionContext is not supported when encrypting/decrypting with asymmetric CMKs.',
      );
      await expectKmsError(kms.reEncrypt({ CiphertextBlob, DestinationKeyId: 'alias/none' }), 'NotFoundException', /^Alias arn:aws:kms:.*:alias\/none is not found\.$/);
    });

    it('refuses an unusable source key the same way (state, usage), named as ReEncrypt', async () => {
      const key = await fresh();
      const { CiphertextBlob } = await kms.encrypt({ KeyId: key.KeyId, Plaintext: bytes('x') });
      await kms.disableKey({ KeyId: key.KeyId });
      await expectKmsError(kms.reEncrypt({ CiphertextBlob, DestinationKeyId: destination.KeyId }), 'DisabledException', `${key.Arn} is disabled.`);
      await expectKmsError(
        kms.reEncrypt({ CiphertextBlob, SourceKeyId: signing.KeyId, DestinationKeyId: destination.KeyId }),
        'InvalidKeyUsageException',
        `${signing.Arn} key usage is SIGN_VERIFY which is not valid for ReEncrypt.`,
      );
    });

    it('symmetric → RSA and RSA → symmetric: algorithms named, no key material id on the RSA side', async () => {
      const { CiphertextBlob } = await kms.encrypt({ KeyId: source.KeyId, Plaintext: bytes('to rsa') });
      const toRsa = await kms.reEncrypt({ CiphertextBlob, DestinationKeyId: rsa.KeyId, DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
      expect(toRsa).to.include({ KeyId: rsa.Arn, DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', SourceKeyMaterialId: source.CurrentKeyMaterialId });
      expect(toRsa).not.to.have.property('DestinationKeyMaterialId');
      const dec = await kms.decrypt({ CiphertextBlob: toRsa.CiphertextBlob, KeyId: rsa.KeyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
      expect(new TextDecoder().decode(dec.Plaintext)).to.equal('to rsa');

      const spki = (await kms.getPublicKey({ KeyId: rsa.KeyId })).PublicKey;
      const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
      const offline = publicEncrypt({ key, oaepHash: 'sha1', padding: constants.RSA_PKCS1_OAEP_PADDING }, Buffer.from('from rsa'));
      await expectKmsError(kms.reEncrypt({ CiphertextBlob: offline, DestinationKeyId: destination.KeyId }), 'InvalidCiphertextException', '');
      const fromRsa = await kms.reEncrypt({
        CiphertextBlob: offline,
        SourceKeyId: rsa.KeyId,
        SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_1',
        DestinationKeyId: destination.KeyId,
      });
      expect(fromRsa).to.include({ SourceKeyId: rsa.Arn, SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_1', DestinationKeyMaterialId: destination.CurrentKeyMaterialId });
      expect(fromRsa).not.to.have.property('SourceKeyMaterialId');
      expect(new TextDecoder().decode((await kms.decrypt({ CiphertextBlob: fromRsa.CiphertextBlob })).Plaintext)).to.equal('from rsa');
    });

    it('DryRun: after the ciphertext and both keys are checked, DryRunOperationException', async () => {
      const { CiphertextBlob } = await kms.encrypt({ KeyId: source.KeyId, Plaintext: bytes('x') });
      await expectKmsError(kms.reEncrypt({ CiphertextBlob, DestinationKeyId: destination.KeyId, DryRun: true }), 'DryRunOperationException', DRY_RUN);
      await expectKmsError(kms.reEncrypt({ CiphertextBlob: Uint8Array.of(9), DestinationKeyId: destination.KeyId, DryRun: true }), 'InvalidCiphertextException', '');
      await expectKmsError(kms.reEncrypt({ CiphertextBlob, DestinationKeyId: signing.KeyId, DryRun: true }), 'InvalidKeyUsageException');
      await expectKmsError(kms.reEncrypt({ CiphertextBlob, DestinationKeyId: destination.KeyId, GrantTokens: ['t'] }), 'InvalidGrantTokenException', 'The grant token is not valid.');
    });

    it('checks the shape first: DestinationKeyId and CiphertextBlob are required', async () => {
      await expectKmsError(
        kms.reEncrypt({} as never),
        'ValidationException',
        "2 validation errors detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null; " +
          "Value null at 'destinationKeyId' failed to satisfy constraint: Member must not be null",
      );
    });
  });

  describe('GenerateDataKeyWithoutPlaintext', () => {
    it('returns only the ciphertext of a fresh data key, which Decrypt opens under the same context', async () => {
      const out = await kms.generateDataKeyWithoutPlaintext({ KeyId: source.KeyId, KeySpec: 'AES_128', EncryptionContext: { k: 'v' } });
      expect(Object.keys(out).sort()).to.deep.equal(['CiphertextBlob', 'KeyId', 'KeyMaterialId']);
      expect(out).to.include({ KeyId: source.Arn, KeyMaterialId: source.CurrentKeyMaterialId });
      expect((await kms.decrypt({ CiphertextBlob: out.CiphertextBlob, EncryptionContext: { k: 'v' } })).Plaintext).to.have.length(16);
      await expectKmsError(kms.decrypt({ CiphertextBlob: out.CiphertextBlob }), 'InvalidCiphertextException', '');
      const big = await kms.generateDataKeyWithoutPlaintext({ KeyId: source.KeyId, NumberOfBytes: 1024 });
      expect((await kms.decrypt({ CiphertextBlob: big.CiphertextBlob })).Plaintext).to.have.length(1024);
    });

    it('follows the rules of GenerateDataKey, named as its own operation', async () => {
      const both = kms.generateDataKeyWithoutPlaintext({ KeyId: source.KeyId, KeySpec: 'AES_256', NumberOfBytes: 32 });
      await expectKmsError(both, 'ValidationException', 'Please specify either number of bytes or key spec.');
      await expectKmsError(kms.generateDataKeyWithoutPlaintext({ KeyId: source.KeyId }), 'ValidationException', 'Please specify either number of bytes or key spec.');
      await expectKmsError(
        kms.generateDataKeyWithoutPlaintext({ KeyId: rsa.KeyId, KeySpec: 'AES_256' }),
        'InvalidKeyUsageException',
        `${rsa.Arn} key KeySpec is RSA_2048 which is not valid for GenerateDataKeyWithoutPlaintext.`,
      );
      await expectKmsError(
        kms.generateDataKeyWithoutPlaintext({ KeyId: signing.KeyId, KeySpec: 'AES_256' }),
        'InvalidKeyUsageException',
        `${signing.Arn} key usage is SIGN_VERIFY which is not valid for GenerateDataKeyWithoutPlaintext.`,
      );
      await expectKmsError(
        kms.generateDataKeyWithoutPlaintext({ KeyId: source.KeyId, NumberOfBytes: 1025 }),
        'ValidationException',
        "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024",
      );
    });
  });

  describe('GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext', () => {
    for (const spec of MADE_HERE) {
      it(`${spec}: the public key and the private key (plaintext and decrypted) are one pair`, async () => {
        const out = await kms.generateDataKeyPair({ KeyId: source.KeyId, KeyPairSpec: spec, EncryptionContext: { pair: spec } });
        expect(Object.keys(out).sort()).to.deep.equal(
          ['KeyId', 'KeyMaterialId', 'KeyPairSpec', 'PrivateKeyCiphertextBlob', 'PrivateKeyPlaintext', 'PublicKey'],
        );
        expect(out).to.include({ KeyId: source.Arn, KeyPairSpec: spec, KeyMaterialId: source.CurrentKeyMaterialId });
        expectMatchingPair(spec, out.PrivateKeyPlaintext, out.PublicKey);
        const opened = await kms.decrypt({ CiphertextBlob: out.PrivateKeyCiphertextBlob, EncryptionContext: { pair: spec } });
        expect(opened.Plaintext).to.deep.equal(out.PrivateKeyPlaintext);
        await expectKmsError(kms.decrypt({ CiphertextBlob: out.PrivateKeyCiphertextBlob }), 'InvalidCiphertextException', '');

        const bare = await kms.generateDataKeyPairWithoutPlaintext({ KeyId: 'alias/envelope-destination', KeyPairSpec: spec });
        expect(Object.keys(bare).sort()).to.deep.equal(['KeyId', 'KeyMaterialId', 'KeyPairSpec', 'PrivateKeyCiphertextBlob', 'PublicKey']);
        expect(bare).to.include({ KeyId: destination.Arn, KeyPairSpec: spec });
        const privateKey = (await kms.decrypt({ CiphertextBlob: bare.PrivateKeyCiphertextBlob })).Plaintext;
        expectMatchingPair(spec, privateKey, bare.PublicKey);
        expect(bare.PublicKey).not.to.deep.equal(out.PublicKey);
      });
    }

    it('SM2 pairs exist only in the China Regions (as in AWS); there they are SM2 key pairs', async () => {
      await expectKmsError(
        kms.generateDataKeyPair({ KeyId: source.KeyId, KeyPairSpec: 'SM2' }),
        'UnsupportedOperationException',
        'KeyPairSpec SM2 is available only in the China Regions.',
      );
      const china = newKms({ region: 'cn-north-1' });
      const key = (await china.createKey({})).KeyMetadata;
      expect(key.Arn).to.match(/^arn:aws-cn:kms:cn-north-1:/);
      const out = await china.generateDataKeyPair({ KeyId: key.KeyId, KeyPairSpec: 'SM2' });
      // id-ecPublicKey with the SM2 curve, 1.2.156.10197.1.301
      expect(Buffer.from(out.PublicKey).includes(Buffer.from('06082a811ccf5501822d', 'hex'))).to.equal(true);
      expectMatchingPair('SM2', out.PrivateKeyPlaintext, out.PublicKey);
      const bare = await china.generateDataKeyPairWithoutPlaintext({ KeyId: key.KeyId, KeyPairSpec: 'SM2' });
      expectMatchingPair('SM2', (await china.decrypt({ CiphertextBlob: bare.PrivateKeyCiphertextBlob })).Plaintext, bare.PublicKey);
    });

    it('ML-KEM pairs: PKCS#8 (the 64-byte seed) and the SPKI of its encapsulation key; a secret encapsulated to the public key decapsulates', async () => {
      for (const spec of ['ML_KEM_512', 'ML_KEM_768', 'ML_KEM_1024'] as const) {
        const set = { ML_KEM_512: ml_kem512, ML_KEM_768: ml_kem768, ML_KEM_1024: ml_kem1024 }[spec];
        const out = await kms.generateDataKeyPair({ KeyId: source.KeyId, KeyPairSpec: spec });
        const seed = out.PrivateKeyPlaintext.subarray(out.PrivateKeyPlaintext.length - 64);
        const { publicKey, secretKey } = set.keygen(seed);
        expect(Buffer.from(out.PublicKey.subarray(out.PublicKey.length - publicKey.length)).equals(Buffer.from(publicKey))).to.equal(true);
        const { cipherText, sharedSecret } = set.encapsulate(publicKey);
        expect(set.decapsulate(cipherText, secretKey)).to.deep.equal(sharedSecret);
        const bare = await kms.generateDataKeyPairWithoutPlaintext({ KeyId: source.KeyId, KeyPairSpec: spec });
        const opened = (await kms.decrypt({ CiphertextBlob: bare.PrivateKeyCiphertextBlob })).Plaintext;
        expect(Buffer.from(set.keygen(opened.subarray(opened.length - 64)).publicKey).equals(Buffer.from(bare.PublicKey.subarray(bare.PublicKey.length - publicKey.length)))).to.equal(true);
      }
    });

    it('needs a symmetric encryption KMS key that is Enabled; the key is checked before the spec', async () => {
      await expectKmsError(
        kms.generateDataKeyPair({ KeyId: rsa.KeyId, KeyPairSpec: 'RSA_2048' }),
        'InvalidKeyUsageException',
        `${rsa.Arn} key KeySpec is RSA_2048 which is not valid for GenerateDataKeyPair.`,
      );
      await expectKmsError(
        kms.generateDataKeyPairWithoutPlaintext({ KeyId: signing.KeyId, KeyPairSpec: 'SM2' }),
        'InvalidKeyUsageException',
        `${signing.Arn} key usage is SIGN_VERIFY which is not valid for GenerateDataKeyPairWithoutPlaintext.`,
      );
      const key = await fresh();
      await kms.disableKey({ KeyId: key.KeyId });
      await expectKmsError(kms.generateDataKeyPair({ KeyId: key.KeyId, KeyPairSpec: 'ECC_NIST_P256' }), 'DisabledException', `${key.Arn} is disabled.`);
      await kms.scheduleKeyDeletion({ KeyId: key.KeyId, PendingWindowInDays: 7 });
      await expectKmsError(
        kms.generateDataKeyPairWithoutPlaintext({ KeyId: key.KeyId, KeyPairSpec: 'ECC_NIST_P256' }),
        'KMSInvalidStateException',
        `${key.Arn} is pending deletion.`,
      );
      clock.advance(8 * DAY_MS);
      await expectKmsError(kms.generateDataKeyPair({ KeyId: key.KeyId, KeyPairSpec: 'ECC_NIST_P256' }), 'NotFoundException', `Key '${keyArn(key.KeyId)}' does not exist`);
    });

    it('checks the shape: KeyPairSpec required and from the model, Recipient type-checked (and otherwise ignored)', async () => {
      await expectKmsError(
        kms.generateDataKeyPair({ KeyId: source.KeyId } as never),
        'ValidationException',
        "1 validation error detected: Value null at 'keyPairSpec' failed to satisfy constraint: Member must not be null",
      );
      await expectKmsError(
        kms.generateDataKeyPairWithoutPlaintext({ KeyId: source.KeyId, KeyPairSpec: 'RSA_1024' as never }),
        'ValidationException',
        "1 validation error detected: Value 'RSA_1024' at 'keyPairSpec' failed to satisfy constraint: Member must satisfy enum value set: " +
          '[RSA_2048, RSA_3072, RSA_4096, ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521, ECC_SECG_P256K1, SM2, ECC_NIST_EDWARDS25519, ML_KEM_512, ML_KEM_768, ML_KEM_1024]',
      );
      await expectKmsError(
        kms.generateDataKeyPair({ KeyId: source.KeyId, KeyPairSpec: 'ECC_NIST_P256', Recipient: 'x' as never }),
        'ValidationException',
        "1 validation error detected: Value at 'recipient' failed to satisfy constraint: Member must be a RecipientInfo object",
      );
      const out = await kms.generateDataKeyPair({
        KeyId: source.KeyId,
        KeyPairSpec: 'ECC_NIST_P256',
        Recipient: { KeyEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', AttestationDocument: Uint8Array.of(1) },
      });
      expect(out).not.to.have.property('CiphertextForRecipient');
      expectMatchingPair('ECC_NIST_P256', out.PrivateKeyPlaintext, out.PublicKey);
    });
  });

  describe('DryRun on every operation of the model that takes it', () => {
    /** A request of each operation that would succeed; the test adds DryRun: true. */
    const requests = async (): Promise<Partial<Record<PortMethod, object>>> => {
      const { CiphertextBlob } = await kms.encrypt({ KeyId: source.KeyId, Plaintext: bytes('x') });
      const { Signature } = await kms.sign({ KeyId: signing.KeyId, Message: bytes('m'), SigningAlgorithm: 'ECDSA_SHA_256' });
      const { Mac } = await kms.generateMac({ KeyId: hmac.KeyId, Message: bytes('m'), MacAlgorithm: 'HMAC_SHA_256' });
      const agreement = (await kms.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' })).KeyMetadata;
      const kem = (await kms.createKey({ KeySpec: 'ML_KEM_768', KeyUsage: 'ENCAPSULATE_DECAPSULATE' })).KeyMetadata;
      const peer = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ format: 'der', type: 'spki' });
      const { SharedSecretCiphertextBlob } = await kms.encapsulate({ KeyId: kem.KeyId, EncapsulationAlgorithm: 'ML_KEM' });
      const grantee = `arn:aws:iam::${source.AWSAccountId}:role/app`;
      const retired = await kms.createGrant({ KeyId: source.KeyId, GranteePrincipal: grantee, Operations: ['Encrypt'] });
      const revoked = await kms.createGrant({ KeyId: source.KeyId, GranteePrincipal: grantee, Operations: ['Decrypt'] });
      return {
        createGrant: { KeyId: source.KeyId, GranteePrincipal: grantee, Operations: ['Encrypt'] },
        retireGrant: { GrantToken: retired.GrantToken },
        revokeGrant: { KeyId: source.KeyId, GrantId: revoked.GrantId },
        deriveSharedSecret: { KeyId: agreement.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: new Uint8Array(peer) },
        encapsulate: { KeyId: kem.KeyId, EncapsulationAlgorithm: 'ML_KEM' },
        decapsulate: { KeyId: kem.KeyId, SharedSecretCiphertextBlob, EncapsulationAlgorithm: 'ML_KEM' },
        sign: { KeyId: signing.KeyId, Message: bytes('m'), SigningAlgorithm: 'ECDSA_SHA_256' },
        verify: { KeyId: signing.KeyId, Message: bytes('m'), Signature, SigningAlgorithm: 'ECDSA_SHA_256' },
        encrypt: { KeyId: source.KeyId, Plaintext: bytes('x') },
        decrypt: { CiphertextBlob },
        generateDataKey: { KeyId: source.KeyId, KeySpec: 'AES_256' },
        generateMac: { KeyId: hmac.KeyId, Message: bytes('m'), MacAlgorithm: 'HMAC_SHA_256' },
        verifyMac: { KeyId: hmac.KeyId, Message: bytes('m'), Mac, MacAlgorithm: 'HMAC_SHA_256' },
        reEncrypt: { CiphertextBlob, DestinationKeyId: destination.KeyId },
        generateDataKeyWithoutPlaintext: { KeyId: source.KeyId, NumberOfBytes: 8 },
        generateDataKeyPair: { KeyId: source.KeyId, KeyPairSpec: 'ECC_NIST_P256' },
        generateDataKeyPairWithoutPlaintext: { KeyId: source.KeyId, KeyPairSpec: 'ECC_NIST_P256' },
      };
    };

    it('every such operation refuses the request with DryRun: true, and answers it without', async () => {
      const takesDryRun = (Object.keys(KMS_MODEL) as PortMethod[]).filter((m) => 'DryRun' in KMS_MODEL[m].input);
      const cases = await requests();
      expect(Object.keys(cases).sort()).to.deep.equal(takesDryRun.sort());
      const port = kms as unknown as Record<PortMethod, (input: object) => Promise<unknown>>;
      for (const method of takesDryRun) {
        const request = cases[method] as object;
        // DryRun first: a retired or revoked grant is gone after the real call.
        await expectKmsError(port[method]({ ...request, DryRun: true }), 'DryRunOperationException', DRY_RUN);
        await port[method](request);
      }
    });
  });
});

// The port type is what the simulator implements: a compile-time check that nothing here widened it.
const _port: (kms: SimulatedKms) => KmsPort = (kms) => kms;
void _port;
