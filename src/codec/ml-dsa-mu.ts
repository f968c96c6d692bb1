/**
 * ML-DSA's message representative μ (FIPS 204), what KMS Sign takes with MessageType EXTERNAL_MU so a message
 * of any size can be signed without sending it: for pure ML-DSA (Algorithm 2) with context `ctx` (empty by
 * default), M′ = 0x00 ‖ len(ctx) ‖ ctx ‖ M, and (Algorithm 7) tr = SHAKE256(pk, 64 bytes), μ = SHAKE256(tr ‖ M′,
 * 64 bytes). The signature KMS makes over μ is the ML-DSA signature of M: verifiers check it over M as usual.
 * Pure: SHAKE256 is the caller's (`Shake256`), so this runs anywhere and carries no hash implementation.
 */

/** SHAKE256 of `data`, `outputLength` bytes (e.g. @noble/hashes' `(d, n) => shake256(d, { dkLen: n })`). */
export type Shake256 = (data: Uint8Array, outputLength: number) => Uint8Array;

/** μ and tr are 64 bytes (FIPS 204 §3.7: H(·, 64)). */
export const ML_DSA_MU_BYTES = 64;

/** Public key sizes of the three parameter sets (FIPS 204 Table 2). */
export const ML_DSA_PUBLIC_KEY_BYTES: Readonly<Record<'ML-DSA-44' | 'ML-DSA-65' | 'ML-DSA-87', number>> = {
  'ML-DSA-44': 1312,
  'ML-DSA-65': 1952,
  'ML-DSA-87': 2592,
};

/**
 * μ of `message` under `publicKey` (the raw ML-DSA public key, as the AKP JWK's `pub`), with `context` (at most
 * 255 bytes, default empty: what KMS and JOSE use). Throws a plain Error for a public key of no ML-DSA size, a
 * context over 255 bytes, or a hash that does not return what was asked.
 */
export function mlDsaExternalMu(
  publicKey: Uint8Array,
  message: Uint8Array,
  shake256: Shake256,
  context: Uint8Array = new Uint8Array(0),
): Uint8Array {
  if (!Object.values(ML_DSA_PUBLIC_KEY_BYTES).includes(publicKey.length)) {
    throw new Error(
      `ML-DSA public key must be ${Object.entries(ML_DSA_PUBLIC_KEY_BYTES).map(([set, n]) => `${n} (${set})`).join(', ')} bytes; got ${publicKey.length}`,
    );
  }
  if (context.length > 255) throw new Error(`ML-DSA context must be at most 255 bytes; got ${context.length}`);
  const tr = xof(shake256, publicKey);
  const input = new Uint8Array(ML_DSA_MU_BYTES + 2 + context.length + message.length);
  input.set(tr, 0);
  input[ML_DSA_MU_BYTES] = 0; // pure ML-DSA (1 would be HashML-DSA)
  input[ML_DSA_MU_BYTES + 1] = context.length;
  input.set(context, ML_DSA_MU_BYTES + 2);
  input.set(message, ML_DSA_MU_BYTES + 2 + context.length);
  return xof(shake256, input);
}

function xof(shake256: Shake256, data: Uint8Array): Uint8Array {
  const out = shake256(data, ML_DSA_MU_BYTES);
  if (!(out instanceof Uint8Array) || out.length !== ML_DSA_MU_BYTES) {
    throw new Error(`the SHAKE256 function must return ${ML_DSA_MU_BYTES} bytes`);
  }
  return out;
}
