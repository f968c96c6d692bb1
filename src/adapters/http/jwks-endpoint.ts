import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidArgumentError } from '../../domain/errors.js';
import type { GetRoute } from './server-options.js';

/** Where the JWKS is served (the well-known path of `kms-keys serve`; the console links to it). */
export const JWKS_PATH = '/.well-known/jwks.json';

/**
 * A JSON Web Key Set over HTTP (RFC 7517 §8.5, `application/jwk-set+json`), as a GET route of the KMS endpoint
 * (`getRoutes` in server-options.ts), generic over where the set comes from:
 * - GET → 200, `Content-Type: application/jwk-set+json`, `Cache-Control: public, max-age=<maxAgeSeconds>`, a strong
 *   `ETag` (the quoted hex SHA-256 of the body bytes), `Content-Length`, and the set as JSON;
 * - HEAD → the same headers, no body;
 * - a request whose `If-None-Match` matches the ETag (one of a list, weak or strong; `*` matches) → 304 with the
 *   ETag and Cache-Control, no body (RFC 9110 §13.1.2);
 * - `load()` failing → 500 `{"message":"The key set is unavailable."}` with `Cache-Control: no-store`; the error
 *   goes to `report` (never to the client).
 *
 * The body is cached while the version is unchanged: with `currentVersion` (cheap: a write counter, a store
 * generation), each request first asks it, and `load()` runs only when it differs from the version of the cached
 * body — so the set is recomputed only after a write. Requests arriving while a load started at the same
 * version is under way share it; after a write they start a new one (never answered by a load older than their
 * own arrival). Without `currentVersion`, every request loads, concurrent ones sharing (the ETag still spares
 * clients the body).
 */

export type JwksVersion = string | number | bigint;

export interface JwksEndpointOptions {
  /**
   * The key set and the version it reflects. To stay correct under concurrent writes, read the version *before*
   * computing the body: a write in between then only causes one more load later, never a stale cache.
   */
  load: () => Promise<{ body: object; version: JwksVersion }>;
  /** The current version, without computing the set; when absent, every request calls `load()`. */
  currentVersion?: () => JwksVersion | Promise<JwksVersion>;
  /** `Cache-Control: public, max-age=<n>`; a non-negative integer. */
  maxAgeSeconds: number;
  /** Receives load failures; default `console.error`. Must not throw. */
  report?: (error: unknown, context: string) => void;
}

export const JWK_SET_JSON = 'application/jwk-set+json';

interface Cached {
  readonly version: JwksVersion;
  readonly bytes: Buffer;
  readonly etag: string;
}

/** The set as the route serves it now: its bytes and the two caching headers. */
export interface ServedJwks {
  readonly bytes: Buffer;
  readonly etag: string;
  readonly cacheControl: string;
}

/** The route, and what it would answer now (for a page showing the served set: the same cache, the same load). */
export type JwksRoute = GetRoute & { current(): Promise<ServedJwks> };

/** The route answering GET and HEAD with the key set (see above). */
export function jwksEndpoint(options: JwksEndpointOptions): JwksRoute {
  const { load, currentVersion, maxAgeSeconds } = readOptions(options);
  const report = options.report ?? ((error: unknown) => console.error('jwks endpoint: could not load the key set:', error));
  const cacheControl = `public, max-age=${maxAgeSeconds}`;
  let cached: Cached | undefined;
  /** The load under way, and the current version when it started (undefined without currentVersion). */
  let loading: { readonly since: JwksVersion | undefined; readonly result: Promise<Cached> } | undefined;
  let latestLoad: symbol | undefined;

  const startLoad = (since: JwksVersion | undefined): Promise<Cached> => {
    const started = Symbol('load');
    const result = (async () => {
      await undefined; // `loading` is assigned before anything below runs, even if load throws at once
      try {
        const { body, version } = await load();
        const bytes = Buffer.from(JSON.stringify(body), 'utf8');
        const next: Cached = { version, bytes, etag: strongEtag(bytes) };
        if (latestLoad === started) cached = next; // a later load, started for a newer version, wins
        return next;
      } finally {
        if (latestLoad === started) loading = undefined;
      }
    })();
    latestLoad = started;
    loading = { since, result };
    return result;
  };

  const fresh = async (): Promise<Cached> => {
    if (currentVersion === undefined) return loading?.result ?? startLoad(undefined);
    const version = await currentVersion();
    if (cached !== undefined && version === cached.version) return cached;
    // Join a load started at this version; a load started before a later write would answer stale.
    if (loading !== undefined && loading.since === version) return loading.result;
    return startLoad(version);
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let set: Cached;
    try {
      set = await fresh();
    } catch (error) {
      safely(report, error, `${req.method ?? 'GET'} ${req.url ?? ''}`);
      const text = JSON.stringify({ message: 'The key set is unavailable.' });
      res.writeHead(500, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
      res.end(text);
      return;
    }
    const headers = { ETag: set.etag, 'Cache-Control': cacheControl };
    if (matchesIfNoneMatch(req.headers['if-none-match'], set.etag)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': JWK_SET_JSON, 'Content-Length': set.bytes.length });
    res.end(req.method === 'HEAD' ? undefined : set.bytes);
  };
  const current = async (): Promise<ServedJwks> => {
    const set = await fresh();
    return { bytes: set.bytes, etag: set.etag, cacheControl };
  };
  return Object.assign(route, { current });
}

/** `"<hex SHA-256 of the bytes>"`: a strong validator, equal exactly when the bytes are. */
export function strongEtag(bytes: Uint8Array): string {
  return `"${createHash('sha256').update(bytes).digest('hex')}"`;
}

/**
 * Whether an `If-None-Match` header matches `etag` (RFC 9110 §13.1.2: weak comparison, a list of entity tags,
 * or `*`). A malformed header matches nothing.
 */
export function matchesIfNoneMatch(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  for (const match of value.matchAll(/(?:W\/)?("[^"]*")/g)) {
    if (match[1] === opaque) return true;
  }
  return false;
}

function readOptions(options: JwksEndpointOptions): JwksEndpointOptions {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('jwksEndpoint: options must be an object');
  if (typeof options.load !== 'function') throw new InvalidArgumentError('jwksEndpoint: load must be a function');
  if (options.currentVersion !== undefined && typeof options.currentVersion !== 'function') {
    throw new InvalidArgumentError('jwksEndpoint: currentVersion must be a function');
  }
  if (!Number.isSafeInteger(options.maxAgeSeconds) || options.maxAgeSeconds < 0) {
    throw new InvalidArgumentError('jwksEndpoint: maxAgeSeconds must be a non-negative integer');
  }
  return options;
}

function safely(report: (error: unknown, context: string) => void, error: unknown, context: string): void {
  try {
    report(error, context);
  } catch {
    // a failing hook must not take the endpoint down
  }
}
