import { expect } from 'chai';
import {
  constants,
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPublicKey,
  generateKeyPairSync,
  publicEncrypt,
  randomBytes,
  verify as nodeVerify,
} from 'node:crypto';
import type { KmsKeySpec, KmsKeyUsage, KmsWrappingAlgorithm, SimulatedKms } from '../../../src/index.js';
import { SimulatedKms as Engine } from '../../../src/adapters/simulator/simulated-kms.js';
import { DAY_MS, ManualClock, bytes, expectKmsError, keyArn, newKms } from './simulator-test-kit.js';
import { TempRoot } from './store/durable/durable-test-kit.js';

/** What a KMS user does with node:crypto: wrap the material with the public key GetParametersForImport gave. */
function wrap(algorithm: KmsWrappingAlgorithm, publicKeyDer: Uint8Array, material: Uint8Array): Uint8Array {
  const key = createPublicKey({ key: Buffer.from(publicKeyDer), format: 'der', type: 'spki' });
  const oaepHash = algorithm.endsWith('SHA_256') ? 'sha256' : 'sha1';
  const oaep = (data: Uint8Array) => publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, data);
  if (algorithm.startsWith('RSAES_OAEP')) return oaep(material);
  const aesKey = randomBytes(32);
  const cipher = createCipheriv('id-aes256-wrap-pad', aesKey, Buffer.from('a65959a6', 'hex'));
  return Buffer.concat([oaep(aesKey), cipher.update(material), cipher.final()]);
}

const YEAR_FROM = (clock: ManualClock) => new Date(clock.now().getTime() + 30 * DAY_MS);

async function externalKey(kms: SimulatedKms, spec: KmsKeySpec = 'SYMMETRIC_DEFAULT', usage?: KmsKeyUsage): Promise<string> {
  const { KeyMetadata } = await kms.createKey({ Origin: 'EXTERNAL', KeySpec: spec, ...(usage === undefined ? {} : { KeyUsage: usage }) });
  return KeyMetadata.KeyId;
}

async function importInto(
  kms: SimulatedKms,
  keyId: string,
  material: Uint8Array,
  algorithm: KmsWrappingAlgorithm = 'RSA_AES_KEY_WRAP_SHA_256',
  extra: { ValidTo?: Date; ExpirationModel?: 'KEY_MATERIAL_EXPIRES' | 'KEY_MATERIAL_DOES_NOT_EXPIRE' } = {
    ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
  },
) {
  const params = await kms.getParametersForImport({ KeyId: keyId, WrappingAlgorithm: algorithm, WrappingKeySpec: 'RSA_2048' });
  return kms.importKeyMaterial({
    KeyId: keyId,
    ImportToken: params.ImportToken,
    EncryptedKeyMaterial: wrap(algorithm, params.PublicKey, material),
    ...extra,
  });
}

const SECRET_ALGORITHMS: KmsWrappingAlgorithm[] = ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_1', 'RSA_AES_KEY_WRAP_SHA_256'];
const KEY_WRAP: KmsWrappingAlgorithm[] = ['RSA_AES_KEY_WRAP_SHA_1', 'RSA_AES_KEY_WRAP_SHA_256'];

describe('adapters/simulator/SimulatedKms — imported key material (§24)', function () {
  this.timeout(120_000);

  it('creates an EXTERNAL key PendingImport without material; every cryptographic operation refuses it', async () => {
    const kms = newKms();
    const keyId = await externalKey(kms);
    const { KeyMetadata: meta } = await kms.describeKey({ KeyId: keyId });
    expect(meta).to.include({ Origin: 'EXTERNAL', KeyState: 'PendingImport', Enabled: false });
    expect(meta).to.not.have.any.keys('ExpirationModel', 'ValidTo', 'CurrentKeyMaterialId');
    const pending = `${keyArn(keyId)} is pending import.`;
    await expectKmsError(kms.encrypt({ KeyId: keyId, Plaintext: bytes('x') }), 'KMSInvalidStateException', pending);
    await expectKmsError(kms.generateDataKey({ KeyId: keyId, KeySpec: 'AES_256' }), 'KMSInvalidStateException', pending);
    await expectKmsError(kms.enableKey({ KeyId: keyId }), 'KMSInvalidStateException', pending);
    const hmac = await externalKey(kms, 'HMAC_256', 'GENERATE_VERIFY_MAC');
    await expectKmsError(kms.generateMac({ KeyId: hmac, Message: bytes('m'), MacAlgorithm: 'HMAC_SHA_256' }), 'KMSInvalidStateException');
    const rsa = await externalKey(kms, 'RSA_2048', 'SIGN_VERIFY');
    await expectKmsError(kms.getPublicKey({ KeyId: rsa }), 'KMSInvalidStateException');
    await expectKmsError(kms.sign({ KeyId: rsa, Message: bytes('m'), SigningAlgorithm: 'RSASSA_PSS_SHA_256' }), 'KMSInvalidStateException');
    await expectKmsError(kms.createKey({ Origin: 'EXTERNAL', KeySpec: 'ML_DSA_44', KeyUsage: 'SIGN_VERIFY' }), 'UnsupportedOperationException');
  });

  it('gives parameters: the key ARN, a fresh RSA wrapping key of the spec, a token, 24 hours of validity', async () => {
    const clock = new ManualClock();
    const kms = newKms({ clock: clock.now });
    const keyId = await externalKey(kms);
    for (const [spec, bits] of [['RSA_2048', 2048], ['RSA_3072', 3072], ['RSA_4096', 4096]] as const) {
      const p = await kms.getParametersForImport({ KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: spec });
      expect(p.KeyId).to.equal(keyArn(keyId));
      expect(createPublicKey({ key: Buffer.from(p.PublicKey), format: 'der', type: 'spki' }).asymmetricKeyDetails?.modulusLength).to.equal(bits);
      expect(p.ParametersValidTo.getTime()).to.equal(clock.now().getTime() + 86_400_000);
      expect(p.ImportToken.length).to.be.greaterThan(0);
    }
  });

  it('refuses wrapping algorithms AWS refuses, keys of another origin, and OAEP alone for private keys', async () => {
    const kms = newKms();
    const keyId = await externalKey(kms);
    const get = (KeyId: string, WrappingAlgorithm: KmsWrappingAlgorithm, WrappingKeySpec: 'RSA_2048' | 'SM2' = 'RSA_2048') =>
      kms.getParametersForImport({ KeyId, WrappingAlgorithm, WrappingKeySpec });
    await expectKmsError(get(keyId, 'RSAES_PKCS1_V1_5'), 'ValidationException', /RSAES_PKCS1_V1_5/);
    await expectKmsError(get(keyId, 'SM2PKE', 'SM2'), 'UnsupportedOperationException', /China/);
    const { KeyMetadata: own } = await kms.createKey({});
    await expectKmsError(get(own.KeyId, 'RSAES_OAEP_SHA_256'), 'UnsupportedOperationException', `${own.Arn} origin is AWS_KMS which is not valid for this operation.`);
    const rsa = await externalKey(kms, 'RSA_2048', 'SIGN_VERIFY');
    await expectKmsError(get(rsa, 'RSAES_OAEP_SHA_256'), 'ValidationException', /RSA_AES_KEY_WRAP/);
    await expectKmsError(get('alias/none', 'RSAES_OAEP_SHA_256'), 'NotFoundException');
  });

  for (const algorithm of SECRET_ALGORITHMS) {
    it(`imports a symmetric key wrapped with ${algorithm}: Enabled, and its ciphertexts are AES-GCM under that material`, async () => {
      const kms = newKms();
      const keyId = await externalKey(kms);
      const material = randomBytes(32);
      const res = await importInto(kms, keyId, material, algorithm);
      expect(res.KeyId).to.equal(keyArn(keyId));
      const { KeyMetadata: meta } = await kms.describeKey({ KeyId: keyId });
      expect(meta).to.include({ KeyState: 'Enabled', ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', CurrentKeyMaterialId: res.KeyMaterialId });
      const { CiphertextBlob: blob } = await kms.encrypt({ KeyId: keyId, Plaintext: bytes('hello') });
      // The blob's layout (crypto/symmetric-blob.ts): 49-byte header, IV, ciphertext, tag; the AAD is the header
      // and the empty encryption context (a 4-byte zero count).
      const decipher = createDecipheriv('aes-256-gcm', material, blob.subarray(49, 61));
      decipher.setAAD(Buffer.concat([blob.subarray(0, 49), Buffer.alloc(4)]));
      decipher.setAuthTag(blob.subarray(blob.length - 16));
      const plain = Buffer.concat([decipher.update(blob.subarray(61, blob.length - 16)), decipher.final()]);
      expect(plain.toString()).to.equal('hello');
    });
  }

  for (const [spec, length, alg] of [['HMAC_224', 28, 'sha224'], ['HMAC_256', 32, 'sha256'], ['HMAC_384', 48, 'sha384'], ['HMAC_512', 64, 'sha512']] as const) {
    it(`imports ${spec} material with every wrapping algorithm: its MACs are node:crypto's HMACs`, async () => {
      for (const algorithm of SECRET_ALGORITHMS) {
        const kms = newKms();
        const keyId = await externalKey(kms, spec, 'GENERATE_VERIFY_MAC');
        const material = randomBytes(length);
        await importInto(kms, keyId, material, algorithm);
        const macAlgorithm = `HMAC_SHA_${spec.slice(5)}` as 'HMAC_SHA_256';
        const { Mac } = await kms.generateMac({ KeyId: keyId, Message: bytes('msg'), MacAlgorithm: macAlgorithm });
        expect(Buffer.from(Mac).equals(createHmac(alg, material).update('msg').digest())).to.equal(true);
      }
    });
  }

  const ASYMMETRIC = [
    ['RSA_2048', { modulusLength: 2048 }, 'rsa', 'RSASSA_PKCS1_V1_5_SHA_256'],
    ['RSA_3072', { modulusLength: 3072 }, 'rsa', 'RSASSA_PKCS1_V1_5_SHA_256'],
    ['ECC_NIST_P256', { namedCurve: 'P-256' }, 'ec', 'ECDSA_SHA_256'],
    ['ECC_NIST_P384', { namedCurve: 'P-384' }, 'ec', 'ECDSA_SHA_384'],
    ['ECC_SECG_P256K1', { namedCurve: 'secp256k1' }, 'ec', 'ECDSA_SHA_256'],
  ] as const;
  for (const [spec, options, type, signing] of ASYMMETRIC) {
    it(`imports a ${spec} PKCS#8 private key with both key-wrap algorithms: its signatures verify with node:crypto`, async () => {
      for (const algorithm of KEY_WRAP) {
        const kms = newKms();
        const keyId = await externalKey(kms, spec, 'SIGN_VERIFY');
        const pair = generateKeyPairSync(type as 'rsa', options as { modulusLength: number });
        const pkcs8 = pair.privateKey.export({ type: 'pkcs8', format: 'der' });
        await importInto(kms, keyId, pkcs8, algorithm);
        const { PublicKey } = await kms.getPublicKey({ KeyId: keyId });
        expect(Buffer.from(PublicKey).equals(pair.publicKey.export({ type: 'spki', format: 'der' }))).to.equal(true);
        const { Signature } = await kms.sign({ KeyId: keyId, Message: bytes('msg'), SigningAlgorithm: signing });
        const hash = signing.endsWith('384') ? 'sha384' : 'sha256';
        expect(nodeVerify(hash, Buffer.from('msg'), pair.publicKey, Signature)).to.equal(true);
      }
    });
  }

  it('imports an RSA encryption key: node:crypto encrypts, the simulator decrypts', async () => {
    const kms = newKms();
    const keyId = await externalKey(kms, 'RSA_2048', 'ENCRYPT_DECRYPT');
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await importInto(kms, keyId, pair.privateKey.export({ type: 'pkcs8', format: 'der' }));
    const ct = publicEncrypt({ key: pair.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from('secret'));
    const { Plaintext } = await kms.decrypt({ KeyId: keyId, CiphertextBlob: ct, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
    expect(Buffer.from(Plaintext ?? []).toString()).to.equal('secret');
  });

  it('refuses material that does not fit the key, a token of another key, an expired token, and a broken wrapping', async () => {
    const clock = new ManualClock();
    const kms = newKms({ clock: clock.now });
    const keyId = await externalKey(kms);
    await expectKmsError(importInto(kms, keyId, randomBytes(16)), 'IncorrectKeyMaterialException', /32 bytes/);
    const rsa = await externalKey(kms, 'RSA_2048', 'SIGN_VERIFY');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'der' });
    await expectKmsError(importInto(kms, rsa, ec), 'IncorrectKeyMaterialException');
    await expectKmsError(importInto(kms, rsa, randomBytes(100)), 'IncorrectKeyMaterialException');

    const other = await externalKey(kms);
    const p = await kms.getParametersForImport({ KeyId: other, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' });
    const request = { ImportToken: p.ImportToken, EncryptedKeyMaterial: wrap('RSAES_OAEP_SHA_256', p.PublicKey, randomBytes(32)), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' as const };
    await expectKmsError(kms.importKeyMaterial({ KeyId: keyId, ...request }), 'InvalidImportTokenException');
    await expectKmsError(kms.importKeyMaterial({ KeyId: other, ...request, ImportToken: randomBytes(64) }), 'InvalidImportTokenException');
    await expectKmsError(kms.importKeyMaterial({ KeyId: other, ...request, EncryptedKeyMaterial: randomBytes(256) }), 'InvalidCiphertextException');
    clock.advance(86_400_000);
    await expectKmsError(kms.importKeyMaterial({ KeyId: other, ...request }), 'ExpiredImportTokenException');
  });

  it('checks the expiration model: ValidTo required, in the future, within 365 days; none without expiry', async () => {
    const clock = new ManualClock();
    const kms = newKms({ clock: clock.now });
    const keyId = await externalKey(kms);
    const m = randomBytes(32);
    const at = (days: number) => new Date(clock.now().getTime() + days * DAY_MS);
    await expectKmsError(importInto(kms, keyId, m, 'RSAES_OAEP_SHA_256', {}), 'ValidationException', /ValidTo is required/);
    await expectKmsError(importInto(kms, keyId, m, 'RSAES_OAEP_SHA_256', { ValidTo: at(-1) }), 'ValidationException', /future/);
    await expectKmsError(importInto(kms, keyId, m, 'RSAES_OAEP_SHA_256', { ValidTo: at(366) }), 'ValidationException', /365 days/);
    await expectKmsError(importInto(kms, keyId, m, 'RSAES_OAEP_SHA_256', { ValidTo: at(1), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }), 'ValidationException', /must not be set/);
    await importInto(kms, keyId, m, 'RSAES_OAEP_SHA_256', { ValidTo: at(365) });
    const { KeyMetadata: meta } = await kms.describeKey({ KeyId: keyId });
    expect(meta).to.include({ KeyState: 'Enabled', ExpirationModel: 'KEY_MATERIAL_EXPIRES' });
    expect(meta.ValidTo?.getTime()).to.equal(at(365).getTime());
  });

  it('expires the material when ValidTo passes (lazily): PendingImport, ciphertexts fail until the same material returns', async () => {
    const clock = new ManualClock();
    const kms = newKms({ clock: clock.now });
    const keyId = await externalKey(kms);
    const m = randomBytes(32);
    await importInto(kms, keyId, m, 'RSAES_OAEP_SHA_1', { ValidTo: YEAR_FROM(clock) });
    const { CiphertextBlob } = await kms.encrypt({ KeyId: keyId, Plaintext: bytes('kept') });
    clock.advance(30 * DAY_MS);
    const { KeyMetadata: meta } = await kms.describeKey({ KeyId: keyId });
    expect(meta.KeyState).to.equal('PendingImport');
    expect(meta).to.not.have.any.keys('ExpirationModel', 'ValidTo');
    await expectKmsError(kms.decrypt({ CiphertextBlob }), 'KMSInvalidStateException', `${keyArn(keyId)} is pending import.`);
    await kms.tagResource({ KeyId: keyId, Tags: [{ TagKey: 'k', TagValue: 'v' }] }); // a write: the material is dropped
    await expectKmsError(importInto(kms, keyId, randomBytes(32)), 'IncorrectKeyMaterialException');
    await importInto(kms, keyId, m);
    const { Plaintext } = await kms.decrypt({ CiphertextBlob });
    expect(Buffer.from(Plaintext ?? []).toString()).to.equal('kept');
  });

  it('deletes imported material (PendingImport, ciphertexts refused), re-imports only the same, keeps Disabled on re-import', async () => {
    const kms = newKms();
    const keyId = await externalKey(kms);
    const m = randomBytes(32);
    const first = await importInto(kms, keyId, m);
    const { CiphertextBlob } = await kms.encrypt({ KeyId: keyId, Plaintext: bytes('x') });
    const deleted = await kms.deleteImportedKeyMaterial({ KeyId: keyId });
    expect(deleted).to.deep.equal({ KeyId: keyArn(keyId), KeyMaterialId: first.KeyMaterialId });
    expect((await kms.describeKey({ KeyId: keyId })).KeyMetadata.KeyState).to.equal('PendingImport');
    await expectKmsError(kms.decrypt({ CiphertextBlob }), 'KMSInvalidStateException', /pending import/);
    await expectKmsError(importInto(kms, keyId, randomBytes(32)), 'IncorrectKeyMaterialException', /imported into this KMS key before/);
    await importInto(kms, keyId, m);
    await kms.disableKey({ KeyId: keyId });
    await importInto(kms, keyId, m, 'RSA_AES_KEY_WRAP_SHA_1');
    expect((await kms.describeKey({ KeyId: keyId })).KeyMetadata.KeyState).to.equal('Disabled');
    await kms.enableKey({ KeyId: keyId });
    expect(Buffer.from((await kms.decrypt({ CiphertextBlob })).Plaintext ?? []).toString()).to.equal('x');
    await expectKmsError(kms.deleteImportedKeyMaterial({ KeyId: keyId, KeyMaterialId: '0'.repeat(64) }), 'ValidationException');
    const { KeyMetadata: own } = await kms.createKey({});
    await expectKmsError(kms.deleteImportedKeyMaterial({ KeyId: own.KeyId }), 'UnsupportedOperationException', /origin is AWS_KMS/);
    await kms.scheduleKeyDeletion({ KeyId: keyId, PendingWindowInDays: 7 });
    await expectKmsError(kms.deleteImportedKeyMaterial({ KeyId: keyId }), 'KMSInvalidStateException', /pending deletion/);
  });

  it('CancelKeyDeletion returns a key without material to PendingImport, one with material to Disabled', async () => {
    const kms = newKms();
    const bare = await externalKey(kms);
    const full = await externalKey(kms);
    await importInto(kms, full, randomBytes(32));
    for (const KeyId of [bare, full]) {
      await kms.scheduleKeyDeletion({ KeyId, PendingWindowInDays: 7 });
      await kms.cancelKeyDeletion({ KeyId });
    }
    expect((await kms.describeKey({ KeyId: bare })).KeyMetadata.KeyState).to.equal('PendingImport');
    expect((await kms.describeKey({ KeyId: full })).KeyMetadata.KeyState).to.equal('Disabled');
  });

  it('refuses rotation of an EXTERNAL key by the rotation rules', async () => {
    const kms = newKms();
    const keyId = await externalKey(kms);
    await importInto(kms, keyId, randomBytes(32));
    await expectKmsError(kms.enableKeyRotation({ KeyId: keyId }), 'UnsupportedOperationException', /origin is EXTERNAL/);
    await expectKmsError(kms.rotateKeyOnDemand({ KeyId: keyId }), 'UnsupportedOperationException', /origin is EXTERNAL/);
  });

  describe('over a state directory', () => {
    const root = new TempRoot();
    after(() => root.remove());

    it('keeps the imported material, its expiry and its ID across a reopen; import tokens do not survive it', async () => {
      const dir = root.dir();
      const first = new Engine({ stateDir: dir });
      const keyId = await externalKey(first);
      const m = randomBytes(32);
      const validTo = new Date(Date.now() + 10 * DAY_MS);
      const imported = await importInto(first, keyId, m, 'RSAES_OAEP_SHA_256', { ValidTo: validTo });
      const { CiphertextBlob } = await first.encrypt({ KeyId: keyId, Plaintext: bytes('durable') });
      const pending = await first.getParametersForImport({ KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' });
      const other = await externalKey(first);
      await first.close();

      const second = new Engine({ stateDir: dir });
      const { KeyMetadata: meta } = await second.describeKey({ KeyId: keyId });
      expect(meta).to.include({ KeyState: 'Enabled', Origin: 'EXTERNAL', ExpirationModel: 'KEY_MATERIAL_EXPIRES', CurrentKeyMaterialId: imported.KeyMaterialId });
      expect(meta.ValidTo?.getTime()).to.equal(validTo.getTime());
      expect(Buffer.from((await second.decrypt({ CiphertextBlob })).Plaintext ?? []).toString()).to.equal('durable');
      expect((await second.describeKey({ KeyId: other })).KeyMetadata.KeyState).to.equal('PendingImport');
      await expectKmsError(
        second.importKeyMaterial({ KeyId: keyId, ImportToken: pending.ImportToken, EncryptedKeyMaterial: wrap('RSAES_OAEP_SHA_256', pending.PublicKey, m), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }),
        'InvalidImportTokenException',
      );
      await second.deleteImportedKeyMaterial({ KeyId: keyId });
      await expectKmsError(importInto(second, keyId, randomBytes(32)), 'IncorrectKeyMaterialException');
      await second.close();
    });
  });
});
