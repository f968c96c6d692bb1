/**
 * DeriveSharedSecret (ECDH), Encapsulate and Decapsulate (ML-KEM) on the simulator, each result checked against a
 * second implementation: node:crypto's ECDH from the peer's side, @noble/post-quantum's ML-KEM against the public
 * key GetPublicKey returns.
 */
import { createECDH, createPublicKey, diffieHellman, generateKeyPairSync } from 'node:crypto';
import { expect } from 'chai';
import { p256 } from '@noble/curves/nist.js';
import { ml_kem512, ml_kem768, ml_kem1024 } from '@noble/post-quantum/ml-kem.js';
import type { SimulatedKms } from '../../../src/adapters/simulator/simulated-kms.js';
import type { KeyMetadata } from '../../../src/ports/kms.port.js';
import { bytes, createKey, expectKmsError, keyArn, newKms } from './simulator-test-kit.js';

const CURVES = [
  ['ECC_NIST_P256', 'prime256v1', 32],
  ['ECC_NIST_P384', 'secp384r1', 48],
  ['ECC_NIST_P521', 'secp521r1', 66],
] as const;
const KEMS = [
  ['ML_KEM_512', ml_kem512, 800, 768],
  ['ML_KEM_768', ml_kem768, 1184, 1088],
  ['ML_KEM_1024', ml_kem1024, 1568, 1568],
] as const;

const spkiOf = (key: ReturnType<typeof generateKeyPairSync>['publicKey']): Uint8Array =>
  new Uint8Array(key.export({ format: 'der', type: 'spki' }));
/** The raw public key of an ML-KEM SubjectPublicKeyInfo: its last `length` bytes (the BIT STRING contents). */
const rawKemKey = (spki: Uint8Array, length: number): Uint8Array => spki.subarray(spki.length - length);

describe('adapters/simulator/SimulatedKms — DeriveSharedSecret, Encapsulate, Decapsulate', () => {
  let kms: SimulatedKms;
  const agreement = new Map<string, KeyMetadata>();
  const kem = new Map<string, KeyMetadata>();
  let signingP256: KeyMetadata;

  before(async () => {
    kms = newKms();
    for (const [spec] of CURVES) agreement.set(spec, await createKey(kms, spec, 'KEY_AGREEMENT'));
    for (const [spec] of KEMS) kem.set(spec, await createKey(kms, spec, 'ENCAPSULATE_DECAPSULATE'));
    signingP256 = await createKey(kms, 'ECC_NIST_P256', 'SIGN_VERIFY');
    await kms.createAlias({ AliasName: 'alias/agree', TargetKeyId: agreement.get('ECC_NIST_P256')!.KeyId });
  });

  describe('DeriveSharedSecret', () => {
    it('on every NIST curve: the secret node:crypto computes from the peer private key and the KMS public key', async () => {
      for (const [spec, curve, length] of CURVES) {
        const key = agreement.get(spec)!;
        const peer = generateKeyPairSync('ec', { namedCurve: curve });
        const out = await kms.deriveSharedSecret({ KeyId: key.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: spkiOf(peer.publicKey) });
        const kmsPublic = (await kms.getPublicKey({ KeyId: key.KeyId })).PublicKey;
        const expected = diffieHellman({
          privateKey: peer.privateKey,
          publicKey: createPublicKey({ key: Buffer.from(kmsPublic), format: 'der', type: 'spki' }),
        });
        expect(out.SharedSecret, spec).to.have.length(length);
        expect(Buffer.from(out.SharedSecret!).equals(expected), spec).to.equal(true);
        expect(out).to.deep.include({ KeyId: key.Arn, KeyAgreementAlgorithm: 'ECDH', KeyOrigin: 'AWS_KMS' });
        expect(out).not.to.have.property('CiphertextForRecipient');
      }
    });

    it('agrees with createECDH and with @noble/curves (x-coordinate of the shared point) on P-256', async () => {
      const key = agreement.get('ECC_NIST_P256')!;
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const peer = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      const out = await kms.deriveSharedSecret({ KeyId: 'alias/agree', KeyAgreementAlgorithm: 'ECDH', PublicKey: spkiOf(peer.publicKey) });
      const kmsPublic = createPublicKey({ key: Buffer.from((await kms.getPublicKey({ KeyId: key.KeyId })).PublicKey), format: 'der', type: 'spki' });
      const point = Buffer.from(kmsPublic.export({ format: 'jwk' }).x!, 'base64url');
      const y = Buffer.from(kmsPublic.export({ format: 'jwk' }).y!, 'base64url');
      const peerScalar = Buffer.from(peer.privateKey.export({ format: 'jwk' }).d!, 'base64url');
      const nobleShared = p256.getSharedSecret(peerScalar, Buffer.concat([Buffer.of(4), point, y]), true).subarray(1);
      expect(Buffer.from(out.SharedSecret!).equals(Buffer.from(nobleShared))).to.equal(true);
      ecdh.setPrivateKey(peerScalar);
      expect(Buffer.from(out.SharedSecret!).equals(ecdh.computeSecret(Buffer.concat([Buffer.of(4), point, y])))).to.equal(true);
    });

    it('GetPublicKey and DescribeKey of a KEY_AGREEMENT key list KeyAgreementAlgorithms only', async () => {
      const key = agreement.get('ECC_NIST_P384')!;
      const pub = await kms.getPublicKey({ KeyId: key.KeyId });
      expect(pub).to.deep.include({ KeyUsage: 'KEY_AGREEMENT', KeyAgreementAlgorithms: ['ECDH'] });
      expect(pub).not.to.have.property('SigningAlgorithms');
      expect(key.KeyAgreementAlgorithms).to.deep.equal(['ECDH']);
    });

    it('a peer key on another curve, not EC, or not an SPKI is ValidationException', async () => {
      const KeyId = agreement.get('ECC_NIST_P256')!.KeyId;
      const other = spkiOf(generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey);
      await expectKmsError(
        kms.deriveSharedSecret({ KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: other }),
        'ValidationException',
        'PublicKey is on curve secp384r1, which does not match key spec ECC_NIST_P256.',
      );
      const ed = spkiOf(generateKeyPairSync('ed25519').publicKey);
      await expectKmsError(kms.deriveSharedSecret({ KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: ed }), 'ValidationException', /must be an elliptic curve public key/);
      await expectKmsError(
        kms.deriveSharedSecret({ KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: bytes('not der') }),
        'ValidationException',
        'PublicKey is not a valid DER-encoded X.509 SubjectPublicKeyInfo.',
      );
    });

    it('a key of another usage is InvalidKeyUsageException; the algorithm and PublicKey are required', async () => {
      const PublicKey = spkiOf(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey);
      await expectKmsError(
        kms.deriveSharedSecret({ KeyId: signingP256.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey }),
        'InvalidKeyUsageException',
        `${signingP256.Arn} key usage is SIGN_VERIFY which is not valid for DeriveSharedSecret.`,
      );
      const KeyId = agreement.get('ECC_NIST_P256')!.KeyId;
      await expectKmsError(kms.deriveSharedSecret({ KeyId, KeyAgreementAlgorithm: 'X' as 'ECDH', PublicKey }), 'ValidationException', /keyAgreementAlgorithm/);
      await expectKmsError(kms.deriveSharedSecret({ KeyId, KeyAgreementAlgorithm: 'ECDH' } as never), 'ValidationException', /publicKey/);
    });

    it('DryRun stops after every check; grant tokens, Disabled keys and a Recipient of the wrong type are refused', async () => {
      const key = agreement.get('ECC_NIST_P521')!;
      const PublicKey = spkiOf(generateKeyPairSync('ec', { namedCurve: 'secp521r1' }).publicKey);
      const request = { KeyId: key.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey } as const;
      await expectKmsError(kms.deriveSharedSecret({ ...request, DryRun: true }), 'DryRunOperationException');
      await expectKmsError(kms.deriveSharedSecret({ ...request, DryRun: true, PublicKey: bytes('x') }), 'ValidationException');
      await expectKmsError(kms.deriveSharedSecret({ ...request, GrantTokens: ['t'] }), 'InvalidGrantTokenException');
      await expectKmsError(kms.deriveSharedSecret({ ...request, Recipient: 'x' as never }), 'ValidationException');
      const made = await createKey(kms, 'ECC_NIST_P256', 'KEY_AGREEMENT');
      await kms.disableKey({ KeyId: made.KeyId });
      const p256Key = spkiOf(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey);
      await expectKmsError(
        kms.deriveSharedSecret({ KeyId: made.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: p256Key }),
        'DisabledException',
        `${keyArn(made.KeyId)} is disabled.`,
      );
    });

    it('ECC_SECG_P256K1 and RSA keys cannot be created for KEY_AGREEMENT', async () => {
      for (const spec of ['ECC_SECG_P256K1', 'RSA_2048'] as const) {
        await expectKmsError(
          kms.createKey({ KeySpec: spec, KeyUsage: 'KEY_AGREEMENT' }),
          'ValidationException',
          `KeyUsage KEY_AGREEMENT is not compatible with KeySpec ${spec}`,
        );
      }
    });
  });

  describe('Encapsulate and Decapsulate (ML-KEM)', () => {
    it('CreateKey, DescribeKey and GetPublicKey of ML_KEM_512/768/1024 keys', async () => {
      for (const [spec, , publicLength] of KEMS) {
        const key = kem.get(spec)!;
        expect(key).to.deep.include({ KeySpec: spec, KeyUsage: 'ENCAPSULATE_DECAPSULATE', EncapsulationAlgorithms: ['ML_KEM'] });
        const pub = await kms.getPublicKey({ KeyId: key.KeyId });
        expect(pub).to.deep.include({ KeyId: key.Arn, KeySpec: spec, KeyUsage: 'ENCAPSULATE_DECAPSULATE', EncapsulationAlgorithms: ['ML_KEM'] });
        expect(rawKemKey(pub.PublicKey, publicLength)).to.have.length(publicLength);
      }
      await expectKmsError(
        kms.createKey({ KeySpec: 'ML_KEM_768', KeyUsage: 'SIGN_VERIFY' }),
        'ValidationException',
        'KeyUsage SIGN_VERIFY is not compatible with KeySpec ML_KEM_768',
      );
    });

    it('a secret noble encapsulates to the public key is what Decapsulate recovers, on every parameter set', async () => {
      for (const [spec, impl, publicLength, ciphertextLength] of KEMS) {
        const key = kem.get(spec)!;
        const pub = (await kms.getPublicKey({ KeyId: key.KeyId })).PublicKey;
        const { cipherText, sharedSecret } = impl.encapsulate(rawKemKey(pub, publicLength));
        expect(cipherText).to.have.length(ciphertextLength);
        const out = await kms.decapsulate({ KeyId: key.KeyId, SharedSecretCiphertextBlob: cipherText, EncapsulationAlgorithm: 'ML_KEM' });
        expect(out).to.deep.equal({ KeyId: key.Arn, SharedSecret: sharedSecret, EncapsulationAlgorithm: 'ML_KEM' });
      }
    });

    it('Encapsulate returns a fresh 32-byte secret and its ciphertext, which Decapsulate turns back', async () => {
      for (const [spec, , , ciphertextLength] of KEMS) {
        const key = kem.get(spec)!;
        const a = await kms.encapsulate({ KeyId: key.KeyId, EncapsulationAlgorithm: 'ML_KEM' });
        const b = await kms.encapsulate({ KeyId: key.KeyId, EncapsulationAlgorithm: 'ML_KEM' });
        expect(a).to.include({ KeyId: key.Arn, EncapsulationAlgorithm: 'ML_KEM' });
        expect(a.SharedSecret).to.have.length(32);
        expect(a.SharedSecretCiphertextBlob).to.have.length(ciphertextLength);
        expect(a.SharedSecret).not.to.deep.equal(b.SharedSecret);
        const out = await kms.decapsulate({ KeyId: key.KeyId, SharedSecretCiphertextBlob: a.SharedSecretCiphertextBlob, EncapsulationAlgorithm: 'ML_KEM' });
        expect(out.SharedSecret).to.deep.equal(a.SharedSecret);
      }
    });

    it('implicit rejection: an altered ciphertext or one of another key yields another 32-byte value, no error', async () => {
      const key = kem.get('ML_KEM_768')!;
      const { SharedSecret, SharedSecretCiphertextBlob } = await kms.encapsulate({ KeyId: key.KeyId, EncapsulationAlgorithm: 'ML_KEM' });
      const altered = Uint8Array.from(SharedSecretCiphertextBlob);
      altered[0]! ^= 1;
      const out = await kms.decapsulate({ KeyId: key.KeyId, SharedSecretCiphertextBlob: altered, EncapsulationAlgorithm: 'ML_KEM' });
      expect(out.SharedSecret).to.have.length(32);
      expect(out.SharedSecret).not.to.deep.equal(SharedSecret);
      const other = await createKey(kms, 'ML_KEM_768', 'ENCAPSULATE_DECAPSULATE');
      const there = await kms.decapsulate({ KeyId: other.KeyId, SharedSecretCiphertextBlob, EncapsulationAlgorithm: 'ML_KEM' });
      expect(there.SharedSecret).to.have.length(32);
      expect(there.SharedSecret).not.to.deep.equal(SharedSecret);
    });

    it('a ciphertext whose length does not fit the key spec is InvalidCiphertextException', async () => {
      const key = kem.get('ML_KEM_512')!;
      const { SharedSecretCiphertextBlob } = await kms.encapsulate({ KeyId: kem.get('ML_KEM_768')!.KeyId, EncapsulationAlgorithm: 'ML_KEM' });
      await expectKmsError(
        kms.decapsulate({ KeyId: key.KeyId, SharedSecretCiphertextBlob, EncapsulationAlgorithm: 'ML_KEM' }),
        'InvalidCiphertextException',
        '',
      );
    });

    it('usage, algorithm, grant tokens, DryRun and key state are checked like the other cryptographic operations', async () => {
      const key = kem.get('ML_KEM_512')!;
      await expectKmsError(
        kms.encapsulate({ KeyId: signingP256.KeyId, EncapsulationAlgorithm: 'ML_KEM' }),
        'InvalidKeyUsageException',
        `${signingP256.Arn} key usage is SIGN_VERIFY which is not valid for Encapsulate.`,
      );
      await expectKmsError(
        kms.decapsulate({ KeyId: agreement.get('ECC_NIST_P256')!.KeyId, SharedSecretCiphertextBlob: new Uint8Array(768), EncapsulationAlgorithm: 'ML_KEM' }),
        'InvalidKeyUsageException',
        /key usage is KEY_AGREEMENT which is not valid for Decapsulate\.$/,
      );
      await expectKmsError(kms.encapsulate({ KeyId: key.KeyId, EncapsulationAlgorithm: 'RSA' as 'ML_KEM' }), 'ValidationException', /encapsulationAlgorithm/);
      await expectKmsError(kms.encapsulate({ KeyId: key.KeyId } as never), 'ValidationException', /encapsulationAlgorithm/);
      await expectKmsError(kms.encapsulate({ KeyId: key.KeyId, EncapsulationAlgorithm: 'ML_KEM', DryRun: true }), 'DryRunOperationException');
      await expectKmsError(
        kms.decapsulate({ KeyId: key.KeyId, SharedSecretCiphertextBlob: new Uint8Array(768), EncapsulationAlgorithm: 'ML_KEM', DryRun: true }),
        'DryRunOperationException',
      );
      await expectKmsError(
        kms.decapsulate({ KeyId: key.KeyId, SharedSecretCiphertextBlob: new Uint8Array(5), EncapsulationAlgorithm: 'ML_KEM', DryRun: true }),
        'InvalidCiphertextException',
      );
      await expectKmsError(kms.encapsulate({ KeyId: key.KeyId, EncapsulationAlgorithm: 'ML_KEM', GrantTokens: ['g'] }), 'InvalidGrantTokenException');
      const made = await createKey(kms, 'ML_KEM_1024', 'ENCAPSULATE_DECAPSULATE');
      await kms.scheduleKeyDeletion({ KeyId: made.KeyId, PendingWindowInDays: 7 });
      await expectKmsError(
        kms.encapsulate({ KeyId: made.KeyId, EncapsulationAlgorithm: 'ML_KEM' }),
        'KMSInvalidStateException',
        `${keyArn(made.KeyId)} is pending deletion.`,
      );
    });
  });
});
