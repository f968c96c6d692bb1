import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { expect } from 'chai';
import type { SimulatedKms } from '../../../src/adapters/simulator/simulated-kms.js';
import type { KeyMetadata, SignRequest, VerifyRequest } from '../../../src/ports/kms.port.js';
import { bytes, createKey, expectKmsError, newKms } from './simulator-test-kit.js';

const sha = (name: string, data: Uint8Array): Uint8Array => createHash(name).update(data).digest();

describe('adapters/simulator/SimulatedKms — GetPublicKey, Sign, Verify', () => {
  let kms: SimulatedKms;
  let p256: KeyMetadata;
  let rsa: KeyMetadata;
  let symmetric: KeyMetadata;
  const message = bytes('the message');

  before(async () => {
    kms = newKms();
    p256 = await createKey(kms, 'ECC_NIST_P256');
    rsa = await createKey(kms, 'RSA_2048');
    symmetric = await createKey(kms);
    await kms.createAlias({ AliasName: 'alias/p256', TargetKeyId: p256.KeyId });
  });

  describe('GetPublicKey', () => {
    it('returns the DER SPKI with the key ARN, both spec members, the usage and one algorithm list', async () => {
      const result = await kms.getPublicKey({ KeyId: 'alias/p256' });
      expect(result).to.deep.equal({
        KeyId: p256.Arn,
        PublicKey: result.PublicKey,
        CustomerMasterKeySpec: 'ECC_NIST_P256',
        KeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
        SigningAlgorithms: ['ECDSA_SHA_256'],
      });
      const key = createPublicKey({ key: Buffer.from(result.PublicKey), format: 'der', type: 'spki' });
      expect(key.asymmetricKeyDetails?.namedCurve).to.equal('prime256v1');
    });

    it('lists EncryptionAlgorithms for an RSA encryption key and KeyAgreementAlgorithms for an ECDH key', async () => {
      const rsaEncrypt = await createKey(kms, 'RSA_2048', 'ENCRYPT_DECRYPT');
      const encrypting = await kms.getPublicKey({ KeyId: rsaEncrypt.KeyId });
      expect(encrypting.EncryptionAlgorithms).to.deep.equal(['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']);
      expect(encrypting).not.to.have.property('SigningAlgorithms');
      const ecdh = await createKey(kms, 'ECC_NIST_P256', 'KEY_AGREEMENT');
      const agreeing = await kms.getPublicKey({ KeyId: ecdh.Arn });
      expect(agreeing.KeyAgreementAlgorithms).to.deep.equal(['ECDH']);
      expect(agreeing.KeyUsage).to.equal('KEY_AGREEMENT');
      expect(agreeing).not.to.have.property('SigningAlgorithms');
    });

    it('refuses symmetric and HMAC keys as unsupported', async () => {
      await expectKmsError(
        kms.getPublicKey({ KeyId: symmetric.KeyId }),
        'UnsupportedOperationException',
        `${symmetric.Arn} key spec is SYMMETRIC_DEFAULT which is not valid for GetPublicKey.`,
      );
      const hmac = await createKey(kms, 'HMAC_384');
      await expectKmsError(
        kms.getPublicKey({ KeyId: hmac.KeyId }),
        'UnsupportedOperationException',
        `${hmac.Arn} key spec is HMAC_384 which is not valid for GetPublicKey.`,
      );
    });

    it('follows the key-state table: Disabled → DisabledException, PendingDeletion → KMSInvalidStateException', async () => {
      const key = await createKey(kms, 'ECC_NIST_P256');
      await kms.disableKey({ KeyId: key.KeyId });
      await expectKmsError(kms.getPublicKey({ KeyId: key.KeyId }), 'DisabledException', `${key.Arn} is disabled.`);
      await kms.scheduleKeyDeletion({ KeyId: key.KeyId });
      await expectKmsError(kms.getPublicKey({ KeyId: key.KeyId }), 'KMSInvalidStateException', `${key.Arn} is pending deletion.`);
    });

    it('knows no grant tokens', async () => {
      await expectKmsError(kms.getPublicKey({ KeyId: p256.KeyId, GrantTokens: ['token'] }), 'InvalidGrantTokenException');
      await expectKmsError(
        kms.getPublicKey({ KeyId: p256.KeyId, GrantTokens: Array.from({ length: 11 }, () => 't') }),
        'ValidationException',
        /at 'grantTokens' failed to satisfy constraint: Member must have length less than or equal to 10$/,
      );
    });
  });

  describe('Sign and Verify', () => {
    it('signs ECDSA as DER that node:crypto verifies with the published key; outputs carry the key ARN', async () => {
      const signed = await kms.sign({ KeyId: 'alias/p256', Message: message, SigningAlgorithm: 'ECDSA_SHA_256' });
      expect(signed.KeyId).to.equal(p256.Arn);
      expect(signed.SigningAlgorithm).to.equal('ECDSA_SHA_256');
      expect(signed.Signature[0]).to.equal(0x30);
      const { PublicKey } = await kms.getPublicKey({ KeyId: p256.KeyId });
      const publicKey = createPublicKey({ key: Buffer.from(PublicKey), format: 'der', type: 'spki' });
      expect(nodeVerify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, signed.Signature)).to.equal(true);
      const verified = await kms.verify({
        KeyId: p256.Arn,
        Message: message,
        Signature: signed.Signature,
        SigningAlgorithm: 'ECDSA_SHA_256',
      });
      expect(verified).to.deep.equal({ KeyId: p256.Arn, SignatureValid: true, SigningAlgorithm: 'ECDSA_SHA_256' });
    });

    it('signs a DIGEST as given: RAW and DIGEST signatures verify either way', async () => {
      for (const [key, algorithm, hash] of [
        [p256, 'ECDSA_SHA_256', 'sha256'],
        [rsa, 'RSASSA_PSS_SHA_384', 'sha384'],
        [rsa, 'RSASSA_PKCS1_V1_5_SHA_512', 'sha512'],
      ] as const) {
        const digest = sha(hash, message);
        const overDigest = await kms.sign({ KeyId: key.KeyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: algorithm });
        const overRaw = await kms.sign({ KeyId: key.KeyId, Message: message, MessageType: 'RAW', SigningAlgorithm: algorithm });
        await kms.verify({ KeyId: key.KeyId, Message: message, Signature: overDigest.Signature, SigningAlgorithm: algorithm });
        await kms.verify({
          KeyId: key.KeyId,
          Message: digest,
          MessageType: 'DIGEST',
          Signature: overRaw.Signature,
          SigningAlgorithm: algorithm,
        });
      }
    });

    it('signs with Ed25519 (RAW only) and Ed25519ph (DIGEST only)', async () => {
      const ed = await createKey(kms, 'ECC_NIST_EDWARDS25519');
      const raw = await kms.sign({ KeyId: ed.KeyId, Message: message, SigningAlgorithm: 'ED25519_SHA_512' });
      await kms.verify({ KeyId: ed.KeyId, Message: message, Signature: raw.Signature, SigningAlgorithm: 'ED25519_SHA_512' });
      const digest = sha('sha512', message);
      const ph = await kms.sign({ KeyId: ed.KeyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: 'ED25519_PH_SHA_512' });
      await kms.verify({
        KeyId: ed.KeyId,
        Message: digest,
        MessageType: 'DIGEST',
        Signature: ph.Signature,
        SigningAlgorithm: 'ED25519_PH_SHA_512',
      });
      await expectKmsError(
        kms.sign({ KeyId: ed.KeyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: 'ED25519_SHA_512' }),
        'ValidationException',
        'MessageType DIGEST is not valid for signing algorithm ED25519_SHA_512.',
      );
      await expectKmsError(
        kms.sign({ KeyId: ed.KeyId, Message: message, SigningAlgorithm: 'ED25519_PH_SHA_512' }),
        'ValidationException',
        'MessageType RAW is not valid for signing algorithm ED25519_PH_SHA_512.',
      );
    });

    it('signs ML-DSA messages RAW and as a 64-byte external mu', async () => {
      const ml = await createKey(kms, 'ML_DSA_44');
      const raw = await kms.sign({ KeyId: ml.KeyId, Message: message, SigningAlgorithm: 'ML_DSA_SHAKE_256' });
      await kms.verify({ KeyId: ml.KeyId, Message: message, Signature: raw.Signature, SigningAlgorithm: 'ML_DSA_SHAKE_256' });
      const mu = new Uint8Array(64).fill(3);
      const external = await kms.sign({ KeyId: ml.KeyId, Message: mu, MessageType: 'EXTERNAL_MU', SigningAlgorithm: 'ML_DSA_SHAKE_256' });
      await kms.verify({
        KeyId: ml.KeyId,
        Message: mu,
        MessageType: 'EXTERNAL_MU',
        Signature: external.Signature,
        SigningAlgorithm: 'ML_DSA_SHAKE_256',
      });
      await expectKmsError(
        kms.sign({ KeyId: ml.KeyId, Message: mu.subarray(1), MessageType: 'EXTERNAL_MU', SigningAlgorithm: 'ML_DSA_SHAKE_256' }),
        'ValidationException',
        /^External mu is invalid length/,
      );
      await expectKmsError(
        kms.sign({ KeyId: ml.KeyId, Message: new Uint8Array(32), MessageType: 'DIGEST', SigningAlgorithm: 'ML_DSA_SHAKE_256' }),
        'ValidationException',
        'MessageType DIGEST is not valid for signing algorithm ML_DSA_SHAKE_256.',
      );
    });

    it('checks the digest length and the message type', async () => {
      await expectKmsError(
        kms.sign({ KeyId: p256.KeyId, Message: new Uint8Array(31), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }),
        'ValidationException',
        'Digest is invalid length for algorithm ECDSA_SHA_256.',
      );
      await expectKmsError(
        kms.verify({
          KeyId: rsa.KeyId,
          Message: new Uint8Array(32),
          MessageType: 'DIGEST',
          Signature: new Uint8Array(256),
          SigningAlgorithm: 'RSASSA_PSS_SHA_512',
        }),
        'ValidationException',
        'Digest is invalid length for algorithm RSASSA_PSS_SHA_512.',
      );
      await expectKmsError(
        kms.sign({ KeyId: p256.KeyId, Message: new Uint8Array(64), MessageType: 'EXTERNAL_MU', SigningAlgorithm: 'ECDSA_SHA_256' }),
        'ValidationException',
        'MessageType EXTERNAL_MU is not valid for signing algorithm ECDSA_SHA_256.',
      );
      await expectKmsError(
        kms.sign({ KeyId: p256.KeyId, Message: message, MessageType: 'HASHED' as 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' }),
        'ValidationException',
        "1 validation error detected: Value 'HASHED' at 'messageType' failed to satisfy constraint: Member must satisfy enum value set: [RAW, DIGEST, EXTERNAL_MU]",
      );
    });

    it('validates Message (1–4096, never echoed), Signature (1–6144) and the required members', async () => {
      await expectKmsError(
        kms.sign({ KeyId: p256.KeyId, Message: new Uint8Array(0), SigningAlgorithm: 'ECDSA_SHA_256' }),
        'ValidationException',
        "1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length greater than or equal to 1",
      );
      await expectKmsError(
        kms.sign({ KeyId: p256.KeyId, Message: new Uint8Array(4097), SigningAlgorithm: 'ECDSA_SHA_256' }),
        'ValidationException',
        "1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length less than or equal to 4096",
      );
      await kms.sign({ KeyId: p256.KeyId, Message: new Uint8Array(4096), SigningAlgorithm: 'ECDSA_SHA_256' });
      const verify = (signature: Uint8Array) =>
        kms.verify({ KeyId: p256.KeyId, Message: message, Signature: signature, SigningAlgorithm: 'ECDSA_SHA_256' });
      await expectKmsError(verify(new Uint8Array(0)), 'ValidationException', /Value at 'signature' .*greater than or equal to 1$/);
      await expectKmsError(verify(new Uint8Array(6145)), 'ValidationException', /Value at 'signature' .*less than or equal to 6144$/);
      await expectKmsError(
        kms.sign({} as SignRequest),
        'ValidationException',
        "3 validation errors detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null; " +
          "Value null at 'message' failed to satisfy constraint: Member must not be null; " +
          "Value null at 'signingAlgorithm' failed to satisfy constraint: Member must not be null",
      );
      await expectKmsError(
        kms.sign({ KeyId: p256.KeyId, Message: 'text', SigningAlgorithm: 'ECDSA_SHA_256' } as unknown as SignRequest),
        'ValidationException',
        "1 validation error detected: Value at 'message' failed to satisfy constraint: Member must be a Uint8Array",
      );
      await expectKmsError(
        kms.verify({ KeyId: p256.KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' } as VerifyRequest),
        'ValidationException',
        "1 validation error detected: Value null at 'signature' failed to satisfy constraint: Member must not be null",
      );
      await kms.sign({ KeyId: p256.KeyId, Message: Buffer.from('a Buffer is a Uint8Array'), SigningAlgorithm: 'ECDSA_SHA_256' });
    });

    it('throws KMSInvalidSignatureException with an empty message for a signature that does not verify', async () => {
      const { Signature } = await kms.sign({ KeyId: p256.KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' });
      const tampered = Uint8Array.from(Signature);
      tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 1;
      for (const [msg, sig] of [
        [bytes('another message'), Signature],
        [message, tampered],
        [message, Uint8Array.of(1, 2, 3)],
      ] as const) {
        await expectKmsError(
          kms.verify({ KeyId: p256.KeyId, Message: msg, Signature: sig, SigningAlgorithm: 'ECDSA_SHA_256' }),
          'KMSInvalidSignatureException',
          '',
        );
      }
      const pss = await kms.sign({ KeyId: rsa.KeyId, Message: message, SigningAlgorithm: 'RSASSA_PSS_SHA_256' });
      await expectKmsError(
        kms.verify({ KeyId: rsa.KeyId, Message: message, Signature: pss.Signature, SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' }),
        'KMSInvalidSignatureException',
        '',
      );
    });

    it('refuses keys of another usage and algorithms the key spec does not offer', async () => {
      await expectKmsError(
        kms.sign({ KeyId: symmetric.KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }),
        'InvalidKeyUsageException',
        `${symmetric.Arn} key usage is ENCRYPT_DECRYPT which is not valid for Sign.`,
      );
      await expectKmsError(
        kms.verify({ KeyId: symmetric.KeyId, Message: message, Signature: Uint8Array.of(1), SigningAlgorithm: 'ECDSA_SHA_256' }),
        'InvalidKeyUsageException',
        `${symmetric.Arn} key usage is ENCRYPT_DECRYPT which is not valid for Verify.`,
      );
      await expectKmsError(
        kms.sign({ KeyId: p256.KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_384' }),
        'InvalidKeyUsageException',
        'Algorithm ECDSA_SHA_384 is incompatible with key spec ECC_NIST_P256.',
      );
      await expectKmsError(
        kms.sign({ KeyId: rsa.KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }),
        'InvalidKeyUsageException',
        'Algorithm ECDSA_SHA_256 is incompatible with key spec RSA_2048.',
      );
      await expectKmsError(
        kms.sign({ KeyId: p256.KeyId, Message: message, SigningAlgorithm: 'ECDSA' as 'ECDSA_SHA_256' }),
        'ValidationException',
        /^1 validation error detected: Value 'ECDSA' at 'signingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: \[RSASSA_PSS_SHA_256, /,
      );
    });

    it('follows the key-state table', async () => {
      const key = await createKey(kms, 'ECC_NIST_P256');
      const { Signature } = await kms.sign({ KeyId: key.KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' });
      const sign = () => kms.sign({ KeyId: key.KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' });
      const verify = () => kms.verify({ KeyId: key.KeyId, Message: message, Signature, SigningAlgorithm: 'ECDSA_SHA_256' });
      await kms.disableKey({ KeyId: key.KeyId });
      await expectKmsError(sign(), 'DisabledException', `${key.Arn} is disabled.`);
      await expectKmsError(verify(), 'DisabledException', `${key.Arn} is disabled.`);
      await kms.scheduleKeyDeletion({ KeyId: key.KeyId });
      await expectKmsError(sign(), 'KMSInvalidStateException', `${key.Arn} is pending deletion.`);
      await expectKmsError(verify(), 'KMSInvalidStateException', `${key.Arn} is pending deletion.`);
      await kms.cancelKeyDeletion({ KeyId: key.KeyId });
      await kms.enableKey({ KeyId: key.KeyId });
      await verify();
    });

    it('answers DryRun with DryRunOperationException when the call would succeed, and with the real error otherwise', async () => {
      await expectKmsError(
        kms.sign({ KeyId: p256.KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256', DryRun: true }),
        'DryRunOperationException',
        'The request would have succeeded, but the DryRun option is set.',
      );
      await expectKmsError(
        kms.verify({ KeyId: p256.KeyId, Message: message, Signature: Uint8Array.of(1), SigningAlgorithm: 'ECDSA_SHA_256', DryRun: true }),
        'DryRunOperationException',
      );
      await expectKmsError(
        kms.sign({ KeyId: symmetric.KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256', DryRun: true }),
        'InvalidKeyUsageException',
      );
      const signed = await kms.sign({ KeyId: p256.KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256', DryRun: false });
      expect(signed.Signature.length).to.be.greaterThan(8);
    });

    it('knows no grant tokens', async () => {
      await expectKmsError(
        kms.sign({ KeyId: p256.KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256', GrantTokens: ['g'] }),
        'InvalidGrantTokenException',
      );
    });

    it('does not keep a reference to the caller\'s message', async () => {
      const input = bytes('mutable');
      const pending = kms.sign({ KeyId: p256.KeyId, Message: input, SigningAlgorithm: 'ECDSA_SHA_256' });
      input.fill(0);
      const { Signature } = await pending;
      await kms.verify({ KeyId: p256.KeyId, Message: bytes('mutable'), Signature, SigningAlgorithm: 'ECDSA_SHA_256' });
    });
  });
});
