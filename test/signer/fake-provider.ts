/**
 * A provider stand-in for KmsJwtSigner's own logic (no KMS): `signingKey` answers the keys given in turn, `sign`
 * records what it was asked and answers `signature`, `getPublicJwk` answers `jwk`; every call is counted.
 */
import { joseFor, signingFor, type SupportedAlg } from '../../src/domain/spec-mapping.js';
import type { Jwk, KmsJwtSignerProvider, KmsMessageType, SigningKey } from '../../src/index.js';

export const KID = '0123456789abcdef';

export function signingKeyOf(alg: SupportedAlg, version = 1, keyId = `key-${version}`): SigningKey {
  return {
    kid: KID,
    version,
    jwkKid: `${KID}.${version}`,
    alg,
    joseAlg: joseFor(alg)!.alg,
    signing: signingFor(alg)!,
    keyId,
    keyArn: `arn:aws:kms:us-east-1:111122223333:key/${keyId}`,
  };
}

export interface FakeProvider extends KmsJwtSignerProvider {
  calls: string[];
  signed: Array<{ key: SigningKey; message: Uint8Array; messageType: KmsMessageType | undefined }>;
}

export function fakeProvider(options: {
  keys: SigningKey[];
  signature?: (key: SigningKey, call: number) => Uint8Array | Promise<Uint8Array>;
  jwk?: Jwk;
}): FakeProvider {
  const calls: string[] = [];
  const signed: FakeProvider['signed'] = [];
  let resolutions = 0;
  return {
    calls,
    signed,
    async signingKey(kid, opts) {
      calls.push(`signingKey ${kid}${opts?.fresh ? ' fresh' : ''}`);
      return options.keys[Math.min(resolutions++, options.keys.length - 1)]!;
    },
    async sign(key, message, opts) {
      calls.push(`sign ${key.keyId}`);
      signed.push({ key, message, messageType: opts?.messageType });
      return options.signature ? options.signature(key, signed.length) : new Uint8Array(256).fill(7);
    },
    async getPublicJwk(kid, version) {
      calls.push(`getPublicJwk ${kid} ${String(version)}`);
      if (!options.jwk) throw new Error('no JWK in this fake');
      return options.jwk;
    },
  };
}
