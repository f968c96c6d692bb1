/**
 * fixtures/seed/provider-kid.yaml: a key provider kid seeded by its aliases and saur:* tags, with a fixed P-256
 * private key, is a kid like any other to AwsKmsKeyProvider — and its signatures verify with the PEM's own key.
 */
import { readFileSync } from 'node:fs';
import { createPublicKey } from 'node:crypto';
import { expect } from 'chai';
import { compactVerify, createLocalJWKSet, importJWK, jwtVerify } from 'jose';
import { parse } from 'yaml';
import { AwsKmsKeyProvider, ConflictError, SimulatedKms } from '../../../../src/index.js';
import { signCompactJws } from '../../../support/kms-jws.js';

const FIXTURE = new URL('../../../../fixtures/seed/provider-kid.yaml', import.meta.url);
const KID = '5eedc0ffee000001';
const KEY_ID = '5eed0000-0000-4000-8000-000000000001';

describe('adapters/simulator/seed — a seeded provider kid (fixtures/seed/provider-kid.yaml)', () => {
  const text = readFileSync(FIXTURE, 'utf8');
  const pem = (parse(text) as { Keys: Array<{ PrivateKeyPem: string }> }).Keys[0]!.PrivateKeyPem;
  const ownPublicKey = createPublicKey(pem);
  const kms = new SimulatedKms({ seed: text, seedSource: 'provider-kid.yaml' });
  const provider = new AwsKmsKeyProvider({ kms });

  it('getKey returns the kid, version 1, ECDSA_P256_SHA256, the fixed key id and the PEM\'s public key', async () => {
    const ref = await provider.getKey(KID);
    expect([ref.kid, ref.version, ref.tags['alg'], ref.tags['kms:key_id']]).to.deep.equal([KID, 1, 'ECDSA_P256_SHA256', KEY_ID]);
    expect(ref.public).to.equal(ownPublicKey.export({ type: 'spki', format: 'pem' }));
    expect((await provider.getKey(KID, 1)).tags['kms:key_id']).to.equal(KEY_ID);
    expect((await provider.listVersions(KID))).to.deep.equal([1]);
  });

  it('getPublicJwk is the PEM\'s public JWK with kid and alg', async () => {
    const jwk = await provider.getPublicJwk(KID);
    expect(jwk).to.deep.equal({ ...ownPublicKey.export({ format: 'jwk' }), kid: `${KID}.1`, alg: 'ES256', use: 'sig' });
  });

  it('a JWS signed through KMS Sign verifies against jwks() and against the PEM\'s own public key', async () => {
    const token = await signCompactJws(kms, `alias/swarmauri/${KID}`, { alg: 'ES256', kid: `${KID}.1`, payload: { sub: 'seeded' } });
    const verified = await jwtVerify(token, createLocalJWKSet(await provider.jwks()));
    expect([verified.protectedHeader.kid, verified.payload['sub']]).to.deep.equal([`${KID}.1`, 'seeded']);
    await compactVerify(token, ownPublicKey);
    await compactVerify(token, await importJWK(ownPublicKey.export({ format: 'jwk' }), 'ES256'));
  });

  it('the provider can rotate a seeded kid like one it made; seeding again leaves the moved latest alias alone', async () => {
    const rotated = await provider.rotateKey(KID);
    expect(rotated.version).to.equal(2);
    const again = await kms.seed(text, { source: 'provider-kid.yaml' });
    expect(again.entries.map((e) => e.status)).to.deep.equal(['unchanged']);
    expect((await provider.getKey(KID)).version).to.equal(2);
    expect((await kms.describeKey({ KeyId: `alias/swarmauri/${KID}` })).KeyMetadata.KeyId).to.equal(rotated.tags['kms:key_id']);
  });
});
