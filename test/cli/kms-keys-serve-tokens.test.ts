/**
 * Tokens over `kms-keys serve`: the CLI's server (another process, a state directory) signs through the KMS wire
 * protocol for every signing algorithm, and a verifier that knows only the JWKS `serve` publishes at
 * `/.well-known/jwks.json` verifies them — jose's createRemoteJWKSet for the algs jose has on this runtime,
 * node:crypto for ES256K and @noble/post-quantum for ML-DSA (the signer tests' verifier), from the JWK fetched from the same endpoint;
 * with `--jwks-x5c`, the served JWKs carry certificates signed by KMS.
 */
import { X509Certificate, createHash } from 'node:crypto';
import { expect } from 'chai';
import { createRemoteJWKSet, decodeProtectedHeader, importX509, jwtVerify } from 'jose';
import { AwsKmsKeyProvider, AwsSdkKms, KmsJwtSigner, type Jwk } from '../../src/index.js';
import { SIGNING_ALGS, joseFor, signingFor } from '../../src/domain/spec-mapping.js';
import { ensureBuilt, serveCli, type ServedCli } from './cli-harness.js';
import { verifyWithoutJose } from '../signer/signer-round-trip.js';

const NOT_IN_JOSE_HERE = new Set(['ES256K', 'ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87']);

describe('kms-keys serve: a JWT of every signing algorithm verifies against the JWKS it serves', function () {
  this.timeout(180_000);
  let served: ServedCli;
  let jwksUrl: URL;
  let kms: AwsSdkKms;
  let provider: AwsKmsKeyProvider;

  before(async () => {
    ensureBuilt();
    // The JWKS answers for the provider prefix 'swarmauri' (serve's default), fresh after every write.
    served = await serveCli('kms-serve-tokens-', ['--jwks-max-age', '0', '--jwks-x5c']);
    jwksUrl = new URL(served.jwksUrl);
    kms = new AwsSdkKms({ region: 'us-east-1', endpoint: served.url, credentials: { accessKeyId: 'AKIDSERVETOKENS', secretAccessKey: 's' } });
    provider = new AwsKmsKeyProvider({ kms });
  });

  after(async () => {
    kms?.destroy();
    await served?.stop();
  });

  it('--jwks-x5c: each served signing JWK carries its KMS-signed certificate, which jose takes as that key', async () => {
    const { kid } = await provider.createKey({ klass: 'asym', alg: 'ECDSA_P384_SHA384' });
    const served = (await (await fetch(jwksUrl)).json()) as { keys: Jwk[] };
    const jwk = served.keys.find((key) => key.kid === `${kid}.1`)!;
    const der = Buffer.from(jwk.x5c![0], 'base64');
    expect(jwk['x5t#S256']).to.equal(createHash('sha256').update(der).digest('base64url'));
    const certificate = new X509Certificate(der);
    expect(certificate.subject).to.equal(`CN=${kid}.1`);
    expect(certificate.verify(certificate.publicKey)).to.equal(true);
    const token = await new KmsJwtSigner({ provider }).signJwt(kid, { sub: 'x5c' }, { expiresIn: 60 });
    const pem = `-----BEGIN CERTIFICATE-----\n${jwk.x5c![0].match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
    expect((await jwtVerify(token, await importX509(pem, 'ES384'))).payload.sub).to.equal('x5c');
  });

  for (const alg of SIGNING_ALGS) {
    const joseAlg = joseFor(alg)!.alg;
    // Over KMS's 4 096-byte RAW limit as well, where KMS can sign the digest (or ML-DSA's μ); EdDSA cannot.
    const sizes = signingFor(alg)!.kmsAlgorithm === 'ED25519_SHA_512' ? [10] : [10, 600];
    const what = sizes.length > 1 ? 'a small and a large token' : 'a token (KMS signs no EdDSA input over 4 096 bytes)';
    it(`${alg} (${joseAlg}): ${what}, verified with only the served JWKS`, async () => {
      const { kid } = await provider.createKey({ klass: 'asym', alg, ...(alg.startsWith('RSA') ? { sizeBits: 2048 } : {}) });
      const signer = new KmsJwtSigner({ provider });
      for (const roles of sizes) {
        const claims = { sub: 'alice', roles: Array.from({ length: roles }, (_, i) => `role-${i}`) };
        const token = await signer.signJwt(kid, claims, { expiresIn: '5m' });
        expect(decodeProtectedHeader(token)).to.deep.equal({ alg: joseAlg, kid: `${kid}.1`, typ: 'JWT' });
        if (NOT_IN_JOSE_HERE.has(joseAlg)) {
          const served = (await (await fetch(jwksUrl)).json()) as { keys: Jwk[] };
          const jwk = served.keys.find((key) => key.kid === `${kid}.1`);
          expect(jwk, 'the served JWKS has the version that signed').to.not.equal(undefined);
          expect(verifyWithoutJose(token, jwk!, jwk!.kty === 'AKP' ? 'noble' : 'node')).to.equal(true);
        } else {
          const { payload } = await jwtVerify(token, createRemoteJWKSet(jwksUrl, { cacheMaxAge: 0 }), { algorithms: [joseAlg] });
          expect(payload).to.include({ sub: 'alice' });
          expect(payload.roles).to.have.length(roles);
        }
      }
    });
  }
});
