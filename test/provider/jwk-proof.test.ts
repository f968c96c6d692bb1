/**
 * End-to-end JWK proof: what the provider publishes is enough for a verifier that knows nothing else.
 * Signatures are made by the simulator's KMS Sign; verification uses only the published JWK/JWKS, with jose.
 */
import { expect } from 'chai';
import { createHash, createPublicKey } from 'node:crypto';
import {
  CompactEncrypt,
  compactVerify,
  createLocalJWKSet,
  importJWK,
  importSPKI,
  jwtVerify,
} from 'jose';
import { AwsKmsKeyProvider, SimulatedKms, type Jwk, type KeyRef } from '../../src/index.js';
import { signCompactJws } from '../../examples/kms-jws.js';

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

  it('RSA-OAEP-256: the JWK equals node:crypto’s and jose can encrypt to it', async () => {
    const ref = await provider.createKey({ klass: 'asym', alg: 'RSA_OAEP_SHA256', sizeBits: 2048 });
    const jwk = await provider.getPublicJwk(ref.kid);
    expect(jwk).to.deep.equal({ ...nodeJwk(ref.public!), kid: `${ref.kid}.1`, alg: 'RSA-OAEP-256', use: 'enc' });
    const jwe = await new CompactEncrypt(new TextEncoder().encode('hi'))
      .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: jwk.kid })
      .encrypt(await importJWK(jwk, 'RSA-OAEP-256'));
    expect(jwe.split('.')).to.have.length(5);
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
