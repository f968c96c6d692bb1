/**
 * jwks({ x5c: true }): every signing key version's JWK carries a self-signed X.509 certificate of exactly that
 * public key, signed by KMS (`x5c`), and its SHA-256 thumbprint (`x5t#S256`); issued once per key and cached.
 * node:crypto reads and verifies the certificate (ML-DSA: Node 20's OpenSSL cannot, so @peculiar/x509 reads it
 * and @noble/post-quantum checks the key), jose imports it as the verification key of the JWK's alg.
 */
import 'reflect-metadata';
import { expect } from 'chai';
import { X509Certificate as NodeCertificate, createHash, createPublicKey } from 'node:crypto';
import { X509Certificate } from '@peculiar/x509';
import { importX509 } from 'jose';
import { AwsKmsKeyProvider, InvalidArgumentError, SimulatedKms, type Jwk } from '../../src/index.js';
import { SIGNING_ALGS, keyClassFor } from '../../src/domain/spec-mapping.js';
import { instrument, type InstrumentedKms, type KmsOperation } from '../support/instrumented-kms.js';

const pem = (base64: string): string => `-----BEGIN CERTIFICATE-----\n${base64.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
const rsa = (alg: string): { sizeBits?: number } => (alg.startsWith('RSA') ? { sizeBits: 2048 } : {});

async function counted(kms: InstrumentedKms, call: () => Promise<unknown>): Promise<Partial<Record<KmsOperation, number>>> {
  kms.reset();
  await call();
  const by: Partial<Record<KmsOperation, number>> = {};
  for (const op of kms.operations()) by[op] = (by[op] ?? 0) + 1;
  return by;
}

/** The certificate of a JWK checked against it: thumbprint, subject, key, self-signature. */
async function checkCertificate(jwk: Jwk): Promise<void> {
  expect(jwk.x5c).to.have.length(1);
  const der = Buffer.from(jwk.x5c![0], 'base64');
  expect(jwk['x5t#S256']).to.equal(createHash('sha256').update(der).digest('base64url'));
  const certificate = new X509Certificate(new Uint8Array(der));
  expect(certificate.subject).to.equal(`CN=${jwk.kid}`);
  if (jwk.kty === 'AKP') {
    const spki = Buffer.from(certificate.publicKey.rawData);
    expect(spki.subarray(spki.length - Buffer.from(jwk.pub, 'base64url').length).toString('base64url')).to.equal(jwk.pub);
    return;
  }
  const node = new NodeCertificate(der);
  expect(node.verify(node.publicKey)).to.equal(true);
  const { kid: _k, alg: _a, use: _u, x5c: _c, 'x5t#S256': _t, ...members } = jwk;
  expect(node.publicKey.export({ format: 'jwk' })).to.deep.equal(createPublicKey({ key: members, format: 'jwk' }).export({ format: 'jwk' }));
  if (jwk.alg !== 'ES256K') await importX509(pem(jwk.x5c![0]), jwk.alg); // jose takes it as the key of the JWK's alg
}

describe('jwks({ x5c: true }): a KMS-signed certificate per signing key version', function () {
  this.timeout(120_000);
  let sim: SimulatedKms;
  let counting: InstrumentedKms;
  let provider: AwsKmsKeyProvider;
  before(async () => {
    sim = new SimulatedKms();
    counting = instrument(sim);
    provider = new AwsKmsKeyProvider({ kms: counting.kms, aliasPrefix: 'x5c' });
    for (const alg of SIGNING_ALGS) await provider.createKey({ klass: keyClassFor(alg), alg, ...rsa(alg) });
    await provider.createKey({ klass: 'asym', alg: 'RSA_OAEP_SHA256', sizeBits: 2048 });
    await provider.createKey({ klass: 'sym', alg: 'HMAC_SHA256' });
  });

  it('every signing alg: x5c and x5t#S256 of exactly that public key; encryption keys have none', async () => {
    const plain = await provider.jwks();
    const certified = await provider.jwks({ x5c: true });
    expect(certified.keys.map((k) => k.kid)).to.deep.equal(plain.keys.map((k) => k.kid));
    for (const [i, jwk] of certified.keys.entries()) {
      const { x5c: _c, 'x5t#S256': _t, ...rest } = jwk;
      expect(rest).to.deep.equal(plain.keys[i]); // the JWK itself unchanged
      expect(plain.keys[i]).not.to.have.property('x5c');
      if (jwk.use === 'enc') expect(jwk).not.to.have.property('x5c');
      else await checkCertificate(jwk);
    }
    expect(certified.keys.filter((k) => k.x5c).map((k) => k.alg).sort()).to.have.length(SIGNING_ALGS.length);
  });

  it('KMS requests: one Sign per certificate, once; the next JWKS asks for the pages only', async () => {
    const local = instrument(new SimulatedKms());
    const p = new AwsKmsKeyProvider({ kms: local.kms, aliasPrefix: 'x5c-budget' });
    for (let i = 0; i < 3; i++) await p.createKey({ klass: 'asym', alg: 'ECDSA_P256_SHA256' });
    await p.createKey({ klass: 'asym', alg: 'RSA_OAEP_SHA256', sizeBits: 2048 });
    const cold = await counted(local, () => new AwsKmsKeyProvider({ kms: local.kms, aliasPrefix: 'x5c-budget' }).jwks({ x5c: true }));
    expect(cold).to.deep.equal({ listAliases: 1, getPublicKey: 4, sign: 3 });
    const first = await p.jwks({ x5c: true }); // this provider's writer cached the public keys: Sign only
    const warm = await counted(local, () => p.jwks({ x5c: true }));
    expect(warm).to.deep.equal({ listAliases: 1 });
    expect((await p.jwks({ x5c: true })).keys).to.deep.equal(first.keys); // the same certificates
  });

  it('include enabled: each version its own certificate; a rotation adds one, the older stay as they were', async () => {
    const { kid } = await provider.createKey({ klass: 'asym', alg: 'ED25519' });
    const before = (await provider.jwks({ prefixKids: kid, include: 'enabled', x5c: true })).keys;
    await provider.rotateKey(kid);
    const after = (await provider.jwks({ prefixKids: kid, include: 'enabled', x5c: true })).keys;
    expect(after.map((k) => k.kid)).to.deep.equal([`${kid}.1`, `${kid}.2`]);
    expect(after[0]).to.deep.equal(before[0]);
    expect(after[1]!['x5t#S256']).not.to.equal(after[0]!['x5t#S256']);
    for (const jwk of after) await checkCertificate(jwk);
  });

  it('cache: false issues a certificate for every JWKS (one Sign each time)', async () => {
    const local = instrument(new SimulatedKms());
    const p = new AwsKmsKeyProvider({ kms: local.kms, aliasPrefix: 'x5c-nocache', cache: false });
    await p.createKey({ klass: 'asym', alg: 'ED25519' });
    for (let i = 0; i < 2; i++) expect((await counted(local, () => p.jwks({ x5c: true }))).sign).to.equal(1);
  });

  it('x5c must be a boolean, refused before any KMS call', async () => {
    counting.reset();
    const error = await provider.jwks({ x5c: 'yes' } as never).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(InvalidArgumentError);
    expect((error as Error).message).to.equal("options.x5c must be a boolean; got 'yes'");
    expect(counting.calls).to.have.length(0);
  });
});
