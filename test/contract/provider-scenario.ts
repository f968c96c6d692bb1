/**
 * The provider's end-to-end scenario over any KmsPort: create → rotate → getKey → listVersions → jwks, a JWT
 * signed through KMS Sign verified by jose with the JWKS only → destroy.
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { AwsKmsKeyProvider, type KmsPort } from '../../src/index.js';
import { signCompactJws } from '../support/kms-jws.js';

export interface ScenarioTarget {
  name: string;
  start(): Promise<{ kms: KmsPort; stop(): Promise<void> }>;
  /** Why PS256 tokens cannot be checked on this target (an emulator deviation), if so. */
  pssDeviation?: string;
}

export function providerScenario(target: ScenarioTarget): void {
  describe(`provider scenario: ${target.name}`, function () {
    this.timeout(120_000);
    let kms: KmsPort;
    let stop: () => Promise<void>;
    before(async () => {
      ({ kms, stop } = await target.start());
    });
    after(async () => {
      await stop?.();
    });

    it('create → rotate → getKey → listVersions → jwks → JWT verified with the JWKS → destroy', async () => {
      const provider = new AwsKmsKeyProvider({ kms, aliasPrefix: `scenario-${Date.now()}` });
      const ec = await provider.createKey({ klass: 'asym', alg: 'ECDSA_P256_SHA256', label: 'es', tags: { team: 'id' } });
      const rsa = await provider.createKey({ klass: 'asym', alg: 'RSA_PSS_SHA256', sizeBits: 2048 });
      const sym = await provider.createKey({ klass: 'sym', alg: 'AES256_GCM' });
      expect(ec.fingerprint).to.equal(createHash('sha256').update(ec.public!).digest('hex'));
      expect(ec.tags['kms:region']).to.equal(kms.region);

      const ec2 = await provider.rotateKey(ec.kid);
      expect(ec2).to.deep.include({ kid: ec.kid, version: 2 });
      expect(ec2.tags).to.deep.include({ label: 'es', team: 'id' });
      expect(await provider.getKey(ec.kid)).to.deep.equal(ec2);
      expect(await provider.getKey(ec.kid, 1)).to.deep.equal(ec);
      expect(await provider.listVersions(ec.kid)).to.deep.equal([1, 2]);

      const jwks = await provider.jwks();
      expect(jwks.keys.map((k) => k.kid).sort()).to.deep.equal([`${ec.kid}.2`, `${rsa.kid}.1`].sort());
      const tokens: Array<[string, 'ES256' | 'PS256', string]> = [['ES256', 'ES256', ec.kid]];
      if (!target.pssDeviation) tokens.push(['PS256', 'PS256', rsa.kid]);
      for (const [, alg, kid] of tokens) {
        const jwk = await provider.getPublicJwk(kid);
        const token = await signCompactJws(kms, `alias/${provider.aliasPrefix}/${kid}`, { alg, kid: jwk.kid, payload: { sub: alg } });
        const { payload } = await jwtVerify(token, createLocalJWKSet(jwks));
        expect(payload.sub).to.equal(alg);
      }

      for (const kid of [ec.kid, rsa.kid, sym.kid]) expect(await provider.destroyKey(kid, undefined, { pendingWindowInDays: 7 })).to.equal(true);
      expect((await provider.jwks()).keys).to.deep.equal([]);
    });
  });
}
