/**
 * Test helper: a compact JWS signed through KmsPort.sign directly, with any KeyId KMS accepts (a key id, an ARN,
 * a version alias) — for tests of KMS signing below the provider. Applications use KmsJwtSigner (src/signer/),
 * which signs with the kid's latest version. ECDSA signatures come back DER-encoded and JOSE wants fixed-width
 * r‖s, so they are converted.
 */
import type { KmsMessageType, KmsPort, KmsSigningAlgorithm } from '../../src/index.js';
import { ecdsaDerToRaw } from '../../src/codec/ecdsa-signature.js';

const JOSE_TO_KMS: Record<string, { algorithm: KmsSigningAlgorithm; ecSize?: number }> = {
  PS256: { algorithm: 'RSASSA_PSS_SHA_256' },
  ES256: { algorithm: 'ECDSA_SHA_256', ecSize: 32 },
};

const b64url = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString('base64url');

/**
 * `header.payload.signature` signed by KMS. `keyId` is anything KMS accepts (key id, ARN, alias name);
 * `kid` goes into the protected header (use the JWK kid `<kid>.<version>`). With messageType DIGEST the
 * SHA-256 of the signing input is sent instead of the input itself (the same signature).
 */
export async function signCompactJws(
  kms: KmsPort,
  keyId: string,
  options: { alg: 'PS256' | 'ES256'; kid: string; payload: Record<string, unknown>; messageType?: KmsMessageType },
): Promise<string> {
  const mapping = JOSE_TO_KMS[options.alg]!;
  const signingInput = `${b64url(JSON.stringify({ alg: options.alg, kid: options.kid, typ: 'JWT' }))}.${b64url(
    JSON.stringify(options.payload),
  )}`;
  const input = new TextEncoder().encode(signingInput);
  const message =
    options.messageType === 'DIGEST' ? new Uint8Array(await crypto.subtle.digest('SHA-256', input)) : input;
  const { Signature } = await kms.sign({
    KeyId: keyId,
    Message: message,
    MessageType: options.messageType ?? 'RAW',
    SigningAlgorithm: mapping.algorithm,
  });
  const signature = mapping.ecSize ? ecdsaDerToRaw(Signature, mapping.ecSize) : Signature;
  return `${signingInput}.${b64url(signature)}`;
}
