import type { SimulatorStoreReader } from '../store/simulator-store.js';

/**
 * Grant tokens (docs/kms-behaviour.md §22): opaque to callers, base64url text naming the key, the grant and a
 * nonce (a new token on every CreateGrant, even when a Name makes it answer an existing grant).
 */
const TOKEN = /^sim-grant\/([0-9a-f-]{36})\/([0-9a-f]{64})\/[0-9a-f]{32}$/;

export function grantTokenOf(keyId: string, grantId: string, nonce: string): string {
  return Buffer.from(`sim-grant/${keyId}/${grantId}/${nonce}`, 'utf8').toString('base64url');
}

/**
 * The grant tokens of a request that name no existing grant: a token this simulator gave out stays valid until
 * its grant is retired, revoked or deleted with its key; anything else is refused by the operation's row of the
 * key-state policy table (InvalidGrantTokenException) as before.
 */
export async function unknownTokens(store: SimulatorStoreReader, tokens: readonly string[] = []): Promise<string[]> {
  const unknown: string[] = [];
  for (const token of tokens) {
    const named = parseGrantToken(token);
    if (named === undefined || (await store.getGrant(named.keyId, named.grantId)) === undefined) unknown.push(token);
  }
  return unknown;
}

export function parseGrantToken(token: string): { keyId: string; grantId: string } | undefined {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const match = TOKEN.exec(text);
  if (match === null || Buffer.from(text, 'utf8').toString('base64url') !== token) return undefined;
  const [, keyId = '', grantId = ''] = match;
  return { keyId, grantId };
}

