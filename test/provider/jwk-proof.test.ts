/**
 * End-to-end JWK proof: what the provider publishes is enough for a verifier that knows nothing else.
 * Signatures are made by the simulator's KMS Sign; verification uses only the published JWK/JWKS, with jose.
 */
import { expect } from 'chai';
import { createHash, createPublicKey, webcrypto } from 'node:crypto';
import {
  CompactEncrypt,
  compactVerify,
  createLocalJWKSet,
  importJWK,
  importSPKI,
  jwtVerify,
} from 'jose';
import { AwsKmsKeyProvider, SimulatedKms, type Jwk, type KeyRef } from '../../src/index.js';
import { signCompactJws } from '../support/kms-jws.js';

const SIGNING = [
  { alg: 'RSA_PSS_SHA256', jose: 'PS256', sizes: [2048, 3072, 4096] },
  { alg: 'ECDSA_P256_SHA256', jose: 'ES256', sizes: [undefined] },
] as const;

function nodeJwk(pem: string): Record<string, unknown> {
  return createPublicKey(pem).export({ format: 'jwk' }) as Record<string, unknown>;
}

describe('end-to-end JWK proof (simulator Sign → jose verify with the published JWK only)', () => {
  const kms = new SimulatedKms();
  const provider = new AwsKmsKeyProvider({ kms, aliasPrefix: 'proof' });

  for (const { alg, jose, sizes } of SIGNING) {
    for (const sizeBits of sizes) {
      const name = `${alg}${sizeBits ? ` ${sizeBits}` : ''}`;
      describe(name, () => {
        let ref: KeyRef;
        let jwk: Jwk;
        before(async () => {
          ref = await provider.createKey({ klass: 'asym', alg, ...(sizeBits ? { sizeBits } : {}) });
          jwk = await provider.getPublicJwk(ref.kid);
        });

        it('fingerprint = sha256 of the PEM; JWK = what node:crypto derives from the PEM, plus kid/alg/use', () => {
          expect(ref.fingerprint).to.equal(createHash('sha256').update(ref.public!).digest('hex'));
          expect(jwk).to.deep.equal({ ...nodeJwk(ref.public!), kid: `${ref.kid}.1`, alg: jose, use: 'sig' });
        });

        for (const messageType of ['RAW', 'DIGEST'] as const) {
          it(`a ${messageType} KMS signature verifies with jose using only the JWK and the JWKS`, async () => {
            const token = await signCompactJws(kms, `alias/proof/${ref.kid}`, {
              alg: jose,
              kid: jwk.kid,
              payload: { sub: 'alice', messageType },
              messageType,
            });
            const { payload } = await compactVerify(token, await importJWK(jwk, jose));
            expect(JSON.parse(new TextDecoder().decode(payload))).to.deep.equal({ sub: 'alice', messageType });
            const jwks = await provider.jwks({ prefixKids: ref.kid });
            const verified = await jwtVerify(token, createLocalJWKSet(jwks));
            expect(verified.protectedHeader.kid).to.equal(`${ref.kid}.1`);
            // the PEM in the KeyRef verifies it too
            await compactVerify(token, await importSPKI(ref.public!, jose));
          });
        }

        it('a tampered token does not verify', async () => {
          const token = await signCompactJws(kms, ref.tags['kms:key_id'], { alg: jose, kid: jwk.kid, payload: { sub: 'a' } });
          const [h, , s] = token.split('.');
          const forged = `${h}.${Buffer.from(JSON.stringify({ sub: 'mallory' })).toString('base64url')}.${s}`;
          let failed = false;
          await compactVerify(forged, await importJWK(jwk, jose)).catch(() => (failed = true));
          expect(failed).to.equal(true);
        });
      });
    }
  }

  it('after rotation the JWKS publishes the new version, and tokens of both versions verify by kid', async () => {
    const v1 = await provider.createKey({ klass: 'asym', alg: 'ECDSA_P256_SHA256' });
    const jwk1 = await provider.getPublicJwk(v1.kid);
    const old = await signCompactJws(kms, `alias/proof/${v1.kid}/v1`, { alg: 'ES256', kid: jwk1.kid, payload: { n: 1 } });
    await provider.rotateKey(v1.kid);
    const jwk2 = await provider.getPublicJwk(v1.kid);
    expect(jwk2.kid).to.equal(`${v1.kid}.2`);
    const fresh = await signCompactJws(kms, `alias/proof/${v1.kid}`, { alg: 'ES256', kid: jwk2.kid, payload: { n: 2 } });
    const jwks = await provider.jwks({ prefixKids: v1.kid });
    expect(jwks.keys.map((k) => k.kid)).to.deep.equal([`${v1.kid}.2`]);
    await jwtVerify(fresh, createLocalJWKSet(jwks));
    // the old token verifies against the v1 JWK, which getPublicJwk(kid, 1) still serves
    await compactVerify(old, await importJWK(await provider.getPublicJwk(v1.kid, 1), 'ES256'));
  });

  describe('RSA-OAEP-256 (JWE to the published JWK, CEK unwrapped by KMS Decrypt)', () => {
    let ref: KeyRef;
    let jwk: Jwk;
    before(async () => {
      ref = await provider.createKey({ klass: 'asym', alg: 'RSA_OAEP_SHA256', sizeBits: 2048 });
      jwk = await provider.getPublicJwk(ref.kid);
    });

    /** Decrypts a compact JWE (RSA-OAEP-256 + A256GCM): KMS unwraps the CEK, WebCrypto opens the content. */
    async function decryptThroughKms(jwe: string): Promise<string> {
      const [protectedHeader, encryptedKey, iv, ciphertext, tag] = jwe.split('.') as [string, string, string, string, string];
      const { Plaintext: cek } = await kms.decrypt({
        KeyId: ref.tags['kms:key_id'],
        CiphertextBlob: Buffer.from(encryptedKey, 'base64url'),
        EncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
      });
      expect(cek).to.have.length(32); // an A256GCM content key
      const key = await webcrypto.subtle.importKey('raw', cek, 'AES-GCM', false, ['decrypt']);
      const plaintext = await webcrypto.subtle.decrypt(
        {
          name: 'AES-GCM',
          iv: Buffer.from(iv, 'base64url'),
          additionalData: new TextEncoder().encode(protectedHeader), // RFC 7516 §5.2: AAD = ASCII(BASE64URL(header))
          tagLength: 128,
        },
        key,
        Buffer.concat([Buffer.from(ciphertext, 'base64url'), Buffer.from(tag, 'base64url')]),
      );
      return new TextDecoder().decode(plaintext);
    }

    const encryptTo = async (message: string): Promise<string> =>
      new CompactEncrypt(new TextEncoder().encode(message))
        .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: jwk.kid })
        .encrypt(await importJWK(jwk, 'RSA-OAEP-256'));

    it('the JWK equals node:crypto’s, with kid/alg/use', () => {
      expect(jwk).to.deep.equal({ ...nodeJwk(ref.public!), kid: `${ref.kid}.1`, alg: 'RSA-OAEP-256', use: 'enc' });
    });

    it('a JWE jose encrypts to the JWK decrypts through KMS to the same plaintext', async () => {
      const message = 'hello, KMS — ünïcödé';
      const jwe = await encryptTo(message);
      expect(JSON.parse(Buffer.from(jwe.split('.')[0]!, 'base64url').toString('utf8'))).to.deep.equal({
        alg: 'RSA-OAEP-256',
        enc: 'A256GCM',
        kid: `${ref.kid}.1`,
      });
      expect(await decryptThroughKms(jwe)).to.equal(message);
    });

    it('a tampered ciphertext, tag or header fails to decrypt; a tampered encrypted key is refused by KMS', async () => {
      const jwe = await encryptTo('attack at dawn');
      const parts = jwe.split('.');
      const flip = (segment: string): string => {
        const bytes = Buffer.from(segment, 'base64url');
        bytes[0] = bytes[0]! ^ 0x01;
        return bytes.toString('base64url');
      };
      for (const index of [3, 4, 0]) {
        const tampered = parts.map((p, i) => (i === index ? flip(p) : p)).join('.');
        const error = await decryptThroughKms(tampered).catch((e: unknown) => e);
        expect(error, `segment ${index}`).to.be.instanceOf(Error);
        expect((error as Error).name, `segment ${index}`).to.equal('OperationError');
      }
      const badKey = parts.map((p, i) => (i === 1 ? flip(p) : p)).join('.');
      const error = await decryptThroughKms(badKey).catch((e: unknown) => e);
      expect(error).to.have.property('name', 'InvalidCiphertextException');
    });
  });

  it('no published object carries private members or PKCS#8 material', async () => {
    const refs = await Promise.all([
      provider.createKey({ klass: 'asym', alg: 'ECDSA_P256_SHA256' }),
      provider.createKey({ klass: 'sym', alg: 'AES256_GCM' }),
    ]);
    const outputs = JSON.stringify([refs, await provider.jwks(), await provider.getKey(refs[1]!.kid, 1, { includeSecret: true })]);
    expect(outputs).not.to.match(/"(d|p|q|dp|dq|qi|k|material)":/);
    expect(outputs).not.to.contain('PRIVATE KEY');
  });
});
