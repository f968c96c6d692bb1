/**
 * What kms-keys prints on stdout, in the two formats of `--output`:
 *
 * - `json`: stable and machine-readable, one JSON document per command (2-space indented, trailing newline): the
 *   KeyRef, JWK and JWKS objects exactly as the provider returns them, versions as an array of numbers, and for
 *   destroy / cancel-deletion / seed / serve the small objects documented on each formatter below.
 * - `text` (default): readable lines for a terminal.
 *
 * Nothing printed ever contains private key material: KeyRefs never carry it (their `material` member is
 * dropped even if present) and JWKs keep only public members.
 */
import type { Jwk, Jwks, KeyRef, SeedReport, SeedStatus } from '../index.js';

export type OutputFormat = 'json' | 'text';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json'];

/** Where the CLI writes; `isTTY` decides whether progress is shown. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean | undefined;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Readonly<Record<string, string | undefined>>;
}

/** What a command hands to the printer: the JSON value and its text rendering. */
export interface Printable {
  json: unknown;
  text: string;
}

export function render(output: Printable, format: OutputFormat): string {
  if (format === 'json') return `${JSON.stringify(output.json, null, 2)}\n`;
  return output.text.endsWith('\n') || output.text === '' ? output.text : `${output.text}\n`;
}

// ---- KeyRefs --------------------------------------------------------------------------------------------------

/** A KeyRef without any `material` member (KMS keys never have one; this makes sure nothing leaks). */
export function publicKeyRef(ref: KeyRef): KeyRef {
  const { material: _material, ...rest } = ref;
  return rest;
}

export function keyRefOutput(ref: KeyRef): Printable {
  const safe = publicKeyRef(ref);
  const rows: Array<[string, string]> = [
    ['kid', safe.kid],
    ['version', String(safe.version)],
    ['type', safe.type],
    ['uses', safe.uses.join(', ')],
    ['export policy', safe.exportPolicy],
    ['fingerprint', safe.fingerprint],
  ];
  const tags = Object.entries(safe.tags).filter((entry): entry is [string, string] => entry[1] !== undefined);
  const lines = table(rows);
  lines.push('tags:');
  lines.push(...table(tags).map((line) => `  ${line}`));
  if (safe.public !== undefined) {
    lines.push('public key:');
    lines.push(...safe.public.trimEnd().split('\n').map((line) => `  ${line}`));
  }
  return { json: safe, text: lines.join('\n') };
}

/** `versions`: JSON `[1, 2, 3]`; text one version a line. */
export function versionsOutput(versions: readonly number[]): Printable {
  return { json: [...versions], text: versions.join('\n') };
}

// ---- JWK / JWKS -----------------------------------------------------------------------------------------------

const CERTIFICATE_MEMBERS = ['x5c', 'x5t#S256'];
const PUBLIC_JWK_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  RSA: ['kty', 'kid', 'alg', 'use', 'n', 'e', ...CERTIFICATE_MEMBERS],
  EC: ['kty', 'kid', 'alg', 'use', 'crv', 'x', 'y', ...CERTIFICATE_MEMBERS],
  OKP: ['kty', 'kid', 'alg', 'use', 'crv', 'x', ...CERTIFICATE_MEMBERS],
  AKP: ['kty', 'kid', 'alg', 'use', 'pub', ...CERTIFICATE_MEMBERS],
};

/** The JWK with its public members only, in the provider's member order. */
export function publicJwk(jwk: Jwk): Jwk {
  const allowed = PUBLIC_JWK_MEMBERS[jwk.kty] ?? ['kty', 'kid', 'alg', 'use'];
  return Object.fromEntries(Object.entries(jwk).filter(([name]) => allowed.includes(name))) as unknown as Jwk;
}

export function jwkOutput(jwk: Jwk): Printable {
  const safe = publicJwk(jwk);
  return { json: safe, text: table(Object.entries(safe).map(([name, value]) => [name, String(value)])).join('\n') };
}

/** `jwks`: JSON `{ "keys": [...] }` (as published); text a table kid / kty / alg / use, or a note when empty. */
export function jwksOutput(jwks: Jwks): Printable {
  const keys = jwks.keys.map(publicJwk);
  if (keys.length === 0) return { json: { keys }, text: '(no keys)' };
  const rows = keys.map((key) => [key.kid, key.kty, key.alg, key.use]);
  return { json: { keys }, text: columns([['KID', 'KTY', 'ALG', 'USE'], ...rows]).join('\n') };
}

// ---- deletion -------------------------------------------------------------------------------------------------

export interface DestroyResult {
  kid: string;
  /** The version destroyed; `null` for every version not already pending deletion. */
  version: number | null;
  pendingWindowInDays: number;
  /** Whether every targeted version is pending deletion afterwards (what the provider returned). */
  pendingDeletion: boolean;
}

/** `destroy`: JSON `{ kid, version, pendingWindowInDays, pendingDeletion }`. */
export function destroyOutput(result: DestroyResult): Printable {
  const target = result.version === null ? 'every version' : `version ${result.version}`;
  const text = result.pendingDeletion
    ? `Scheduled deletion of kid ${result.kid}, ${target}, in ${result.pendingWindowInDays} days`
    : `Kid ${result.kid}, ${target}: not every targeted version is pending deletion`;
  return { json: result, text };
}

/** `cancel-deletion`: JSON `{ kid, restored: [versions] }`. */
export function cancelDeletionOutput(kid: string, restored: readonly number[]): Printable {
  const text =
    restored.length === 0
      ? `Kid ${kid}: no version was pending deletion`
      : `Cancelled deletion of kid ${kid}: version${restored.length === 1 ? '' : 's'} ${restored.join(', ')} restored`;
  return { json: { kid, restored: [...restored] }, text };
}

// ---- rotation ---------------------------------------------------------------------------------------------------

/** `retire` / `reinstate`: JSON `{ kid, version, state }` (`retired`: Disabled, out of every JWKS; `enabled`). */
export function versionStateOutput(kid: string, version: number, state: 'retired' | 'enabled'): Printable {
  const text =
    state === 'retired'
      ? `Retired version ${version} of kid ${kid}: disabled, out of every JWKS (reinstate enables it again)`
      : `Reinstated version ${version} of kid ${kid}: Enabled, published by jwks --include enabled`;
  return { json: { kid, version, state }, text };
}

// ---- seed / serve ---------------------------------------------------------------------------------------------

/** `seed`: JSON `{ file, report }` (the simulator's SeedReport: entries with their status, never material); text a summary and one line an entry. */
export function seedOutput(file: string, report: SeedReport): Printable {
  const count = (status: SeedStatus): number => report.entries.filter((e) => e.status === status).length;
  const statuses: SeedStatus[] = ['created', 'updated', 'unchanged', 'skipped'];
  const summary = statuses.map((status) => `${count(status)} ${status}`).join(', ');
  const rows = report.entries.map((e) => [e.status, e.entry, e.keyId ?? e.reason ?? '']);
  const text = [`Seeded ${file}: ${summary}`, ...(rows.length === 0 ? [] : columns(rows).map((line) => `  ${line}`))].join('\n');
  return { json: { file, report }, text };
}

/** `serve`: JSON one line `{"url","jwksUrl"}` (a consumer reads it as soon as it appears); text two lines. */
export function serveOutput(url: string, jwksUrl: string, format: OutputFormat, consoleUrl?: string): string {
  if (format === 'json') return `${JSON.stringify({ url, jwksUrl, ...(consoleUrl === undefined ? {} : { consoleUrl }) })}\n`;
  return `KMS endpoint: ${url}\nJWKS:         ${jwksUrl}\n${consoleUrl === undefined ? '' : `Console:      ${consoleUrl}\n`}`;
}

// ---- layout ---------------------------------------------------------------------------------------------------

/** `name:  value` lines, names padded to one column. */
function table(rows: ReadonlyArray<readonly [string, string]>): string[] {
  const width = Math.max(0, ...rows.map(([name]) => name.length + 1));
  return rows.map(([name, value]) => `${`${name}:`.padEnd(width)}  ${value}`);
}

/** Space-separated columns, each as wide as its widest cell. */
function columns(rows: ReadonlyArray<readonly string[]>): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
}
