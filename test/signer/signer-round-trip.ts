/**
 * The round trip of KmsJwtSigner for one setup (a provider over the simulator in process, or over the wire):
 * a key per alg, a token signed through KMS, and a verifier that only knows the provider's JWKS — jose where it
 * implements the alg on this runtime, node:crypto for ES256K (jose 6 has none), @noble/post-quantum for ML-DSA
 * (jose needs WebCrypto ML-DSA, Node ≥ 24.7). Inputs up to KMS's 4 096 bytes go RAW; larger ones as DIGEST
 * (RSA, ECDSA) or EXTERNAL_MU (ML-DSA); EdDSA refuses them.
 */
import { expect } from 'chai';
import { createPublicKey, verify as nodeVerify, webcrypto, type JsonWebKey } from 'node:crypto';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWK } from 'jose';
import {
  InvalidArgumentError,
  KmsJwtSigner,
  SimulatedKms,
  type AkpPublicJwk,
  type AwsKmsKeyProvider,
  type Jwk,
  type SignRequest,
} from '../../src/index.js';

export interface SignerSetup {
  provider: AwsKmsKeyProvider;
  /** Every Sign request the KMS got: its MessageType and message length. */
  signRequests: Array<{ messageType: string; length: number }>;
  close(): Promise<void>;
}

/** A SimulatedKms whose Sign requests are recorded (MessageType and length; never anything else). */
export function recordingSimulator(kms = new SimulatedKms()): { kms: SimulatedKms; signRequests: SignerSetup['signRequests'] } {
  const signRequests: SignerSetup['signRequests'] = [];
  const sign = kms.sign.bind(kms);
  kms.sign = (input: SignRequest, options) => {
    signRequests.push({ messageType: input.MessageType ?? 'RAW', length: input.Message.length });
    return sign(input, options);
  };
  return { kms, signRequests };
}

interface AlgCase {
  alg: string;
  jose: string;
  verifier: 'jose' | 'node' | 'noble';
  /** RSA keys at 2048 bits (the fastest to make); the size does not change the signing path. */
  sizeBits?: number;
  /** Over the RAW limit: DIGEST, EXTERNAL_MU or refused. */
  large: 'DIGEST' | 'EXTERNAL_MU' | 'refused';
}

export const ALG_CASES: readonly AlgCase[] = [
  { alg: 'RSA_PSS_SHA256', jose: 'PS256', verifier: 'jose', sizeBits: 2048, large: 'DIGEST' },
  { alg: 'RSA_PSS_SHA384', jose: 'PS384', verifier: 'jose', sizeBits: 2048, large: 'DIGEST' },
  { alg: 'RSA_PSS_SHA512', jose: 'PS512', verifier: 'jose', sizeBits: 2048, large: 'DIGEST' },
  { alg: 'RSA_PKCS1_SHA256', jose: 'RS256', verifier: 'jose', sizeBits: 2048, large: 'DIGEST' },
  { alg: 'RSA_PKCS1_SHA384', jose: 'RS384', verifier: 'jose', sizeBits: 2048, large: 'DIGEST' },
  { alg: 'RSA_PKCS1_SHA512', jose: 'RS512', verifier: 'jose', sizeBits: 2048, large: 'DIGEST' },
  { alg: 'ECDSA_P256_SHA256', jose: 'ES256', verifier: 'jose', large: 'DIGEST' },
  { alg: 'ECDSA_P384_SHA384', jose: 'ES384', verifier: 'jose', large: 'DIGEST' },
  { alg: 'ECDSA_P521_SHA512', jose: 'ES512', verifier: 'jose', large: 'DIGEST' },
  { alg: 'ECDSA_SECP256K1_SHA256', jose: 'ES256K', verifier: 'node', large: 'DIGEST' },
  { alg: 'ED25519', jose: 'EdDSA', verifier: 'jose', large: 'refused' },
  { alg: 'ML_DSA_44', jose: 'ML-DSA-44', verifier: 'noble', large: 'EXTERNAL_MU' },
  { alg: 'ML_DSA_65', jose: 'ML-DSA-65', verifier: 'noble', large: 'EXTERNAL_MU' },
  { alg: 'ML_DSA_87', jose: 'ML-DSA-87', verifier: 'noble', large: 'EXTERNAL_MU' },
];

const NOBLE = { 'ML-DSA-44': ml_dsa44, 'ML-DSA-65': ml_dsa65, 'ML-DSA-87': ml_dsa87 } as const;
const NOW_MS = 1_800_000_000_123;
/** When the verifiers check the tokens: after nbf (iat + 5 s), before exp (iat + 60 s at the least). */
const VERIFY_AT = new Date(NOW_MS + 10_000);

const decodeJson = (part: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

/** Verifies a compact JWS against the JWKS the way a relying party without jose support for the alg would. */
export function verifyWithoutJose(token: string, jwk: Jwk, verifier: 'node' | 'noble'): boolean {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const input = Buffer.from(`${header}.${payload}`, 'ascii');
  const sig = Buffer.from(signature, 'base64url');
  if (verifier === 'node') {
    const key = createPublicKey({ key: jwk as unknown as JsonWebKey, format: 'jwk' });
    return nodeVerify('sha256', input, { key, dsaEncoding: 'ieee-p1363' }, sig);
  }
  const akp = jwk as AkpPublicJwk;
  return NOBLE[akp.alg as keyof typeof NOBLE].verify(sig, input, Buffer.from(akp.pub, 'base64url'));
}

/** Whether this runtime's WebCrypto implements ML-DSA (Node ≥ 24.7), which jose needs to verify ML-DSA JWS. */
export async function webCryptoHasMlDsa(): Promise<boolean> {
  try {
    await webcrypto.subtle.generateKey({ name: 'ML-DSA-44' } as unknown as webcrypto.AlgorithmIdentifier, false, ['sign', 'verify']);
    return true;
  } catch {
    return false;
  }
}

/** A payload whose JWT signing input is well over 4 096 bytes. */
const largeClaims = (): Record<string, unknown> => ({ sub: 'alice', roles: Array.from({ length: 500 }, (_, i) => `role-${i}`) });

export function signerRoundTrip(name: string, start: () => Promise<SignerSetup>, algs: readonly string[]): void {
  describe(`KmsJwtSigner round trip: ${name}`, () => {
    let setup: SignerSetup;
    let signer: KmsJwtSigner;
    before(async () => {
      setup = await start();
      signer = new KmsJwtSigner({ provider: setup.provider, now: () => NOW_MS });
    });
    after(async () => setup.close());

    for (const c of ALG_CASES.filter((entry) => algs.includes(entry.alg))) {
      describe(`${c.alg} (${c.jose})`, () => {
        let kid: string;
        let jwk: Jwk;
        before(async () => {
          const ref = await setup.provider.createKey({ klass: 'asym', alg: c.alg, ...(c.sizeBits ? { sizeBits: c.sizeBits } : {}) } as never);
          kid = ref.kid;
          jwk = (await setup.provider.jwks({ prefixKids: kid })).keys[0]!;
          expect(jwk).to.include({ kid: `${kid}.1`, alg: c.jose });
        });

        const verifyToken = async (token: string): Promise<Record<string, unknown>> => {
          const jwks = await setup.provider.jwks();
          if (c.verifier === 'jose') {
            const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks as { keys: JWK[] }), {
              algorithms: [c.jose],
              currentDate: VERIFY_AT,
            });
            expect(protectedHeader).to.deep.equal({ alg: c.jose, kid: `${kid}.1`, typ: 'JWT' });
            return payload as Record<string, unknown>;
          }
          const published = jwks.keys.find((key) => key.kid === decodeProtectedHeader(token).kid);
          expect(published, 'the header kid is in the JWKS').to.not.equal(undefined);
          expect(verifyWithoutJose(token, published!, c.verifier)).to.equal(true);
          const [header, payload] = token.split('.') as [string, string];
          expect(decodeJson(header)).to.deep.equal({ alg: c.jose, kid: `${kid}.1`, typ: 'JWT' });
          return decodeJson(payload);
        };

        it('signJwt: a token whose header names the JOSE alg and JWK kid, verified against the JWKS (RAW)', async () => {
          const before = setup.signRequests.length;
          const token = await signer.signJwt(kid, { sub: 'alice', aud: ['api'], scope: 'read' }, { expiresIn: '10m', notBefore: 5 });
          const iat = Math.floor(NOW_MS / 1000);
          expect(await verifyToken(token)).to.deep.equal({ sub: 'alice', aud: ['api'], scope: 'read', iat, nbf: iat + 5, exp: iat + 600 });
          expect(setup.signRequests.slice(before).map((r) => r.messageType)).to.deep.equal(['RAW']);
          // a tampered claims set does not verify
          const [h, , s] = token.split('.');
          const forged = `${h}.${Buffer.from(JSON.stringify({ sub: 'mallory', iat, exp: iat + 600 })).toString('base64url')}.${s}`;
          const ok = await verifyToken(forged).then(() => true, () => false);
          expect(ok).to.equal(false);
        });

        if (c.large === 'refused') {
          it('a signing input over 4 096 bytes is an InvalidArgumentError naming the size and the limit, and KMS is not asked', async () => {
            const before = setup.signRequests.length;
            const error = await signer.signJwt(kid, largeClaims(), { expiresIn: 60 }).catch((e: unknown) => e);
            expect(error).to.be.instanceOf(InvalidArgumentError);
            expect((error as Error).message).to.match(/signing input is \d{4,} bytes; KMS signs EdDSA \(ED25519_SHA_512\) over at most 4096 bytes/);
            expect(setup.signRequests.length).to.equal(before);
          });
        } else {
          it(`a signing input over 4 096 bytes is signed as ${c.large} and verifies the same way`, async () => {
            const before = setup.signRequests.length;
            const token = await signer.signJwt(kid, largeClaims(), { expiresIn: 60 });
            expect(token.split('.').slice(0, 2).join('.').length).to.be.greaterThan(4096);
            expect(await verifyToken(token)).to.deep.include({ sub: 'alice', exp: Math.floor(NOW_MS / 1000) + 60 });
            expect(setup.signRequests.slice(before).map((r) => r.messageType)).to.deep.equal([c.large]);
          });
        }

        it('signJws over arbitrary bytes: header { alg, kid } and the exact payload bytes', async () => {
          const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 37) & 0xff);
          const token = await signer.signJws(kid, bytes, { headers: { cty: 'application/octet-stream' } });
          const [header, payload] = token.split('.') as [string, string];
          expect(decodeJson(header)).to.deep.equal({ alg: c.jose, kid: `${kid}.1`, cty: 'application/octet-stream' });
          expect(new Uint8Array(Buffer.from(payload, 'base64url'))).to.deep.equal(bytes);
          if (c.verifier === 'jose') {
            const jwks = createLocalJWKSet((await setup.provider.jwks()) as { keys: JWK[] });
            expect(new Uint8Array((await compactVerify(token, jwks)).payload)).to.deep.equal(bytes);
          } else {
            expect(verifyWithoutJose(token, jwk, c.verifier)).to.equal(true);
          }
        });

        if (c.verifier === 'noble') {
          it('jose verifies it too (skipped when the runtime\'s WebCrypto lacks ML-DSA, as Node < 24.7 does)', async function () {
            if (!(await webCryptoHasMlDsa())) {
              // .ci/node24.sh runs this on Node 24, where the skip is a failure.
              if (process.env.REQUIRE_WEBCRYPTO_ML_DSA === '1') expect.fail(`WebCrypto of Node ${process.version} has no ML-DSA`);
              this.skip();
            }
            for (const claims of [{ sub: 'alice' }, largeClaims()]) {
              const token = await signer.signJwt(kid, claims, { expiresIn: 60 });
              const jwks = createLocalJWKSet((await setup.provider.jwks()) as { keys: JWK[] });
              const { payload } = await jwtVerify(token, jwks, { algorithms: [c.jose], currentDate: VERIFY_AT });
              expect(payload.sub).to.equal('alice');
            }
          });
        }
      });
    }
  });
}
