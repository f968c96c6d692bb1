/**
 * Compact JWS tokens signed through the provider (provider.signingKey + provider.sign, KMS Sign with exactly the
 * latest alias's key, RAW), for tests that verify them with jose against a published JWKS. Ed25519 signatures
 * are used as KMS returns them; ECDSA ones are converted from DER to JOSE's r‖s.
 */
import { compactVerify, createLocalJWKSet } from 'jose';
import type { AwsKmsKeyProvider, Jwks } from '../../src/index.js';
import { ecdsaDerToRaw } from '../../src/codec/ecdsa-signature.js';

export interface SignedToken {
  token: string;
  kid: string;
  version: number;
  jwkKid: string;
}

const base64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

/** A JWS signed by the key the kid's latest alias targets now (as this provider sees it). */
export async function signToken(provider: AwsKmsKeyProvider, kid: string, payload: Record<string, unknown>): Promise<SignedToken> {
  const key = await provider.signingKey(kid);
  const header = base64url(Buffer.from(JSON.stringify({ alg: key.joseAlg, kid: key.jwkKid, typ: 'JWT' })));
  const body = base64url(Buffer.from(JSON.stringify(payload)));
  const input = new TextEncoder().encode(`${header}.${body}`);
  let signature = await provider.sign(key, input, { messageType: 'RAW' });
  if (key.signing.ecdsaBytes !== undefined) signature = ecdsaDerToRaw(signature, key.signing.ecdsaBytes);
  return { token: `${header}.${body}.${base64url(signature)}`, kid, version: key.version, jwkKid: key.jwkKid };
}

/** Whether jose verifies the token with nothing but this JWKS. */
export async function verifies(token: string, jwks: Jwks): Promise<boolean> {
  try {
    await compactVerify(token, createLocalJWKSet(jwks as never));
    return true;
  } catch {
    return false;
  }
}
