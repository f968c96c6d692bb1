import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidArgumentError } from '../../domain/errors.js';
import type { KmsPort } from '../../ports/kms.port.js';
import { exposureCheck } from './host-guard.js';
import type { KmsCaller } from './kms-caller.js';
import type { KmsRequestObserver } from './served-request.js';
import type { SigV4Credentials } from './sigv4-verifier.js';
import type { InternalErrorReporter } from './wire-error.js';

/**
 * The options of the KMS wire endpoint, their defaults and their validation. The messages name `startKmsServer`,
 * the public entry point (src/kms-endpoint.ts) through which users reach this adapter.
 */

/** Everything about the endpoint but the KMS behind it. */
export interface KmsEndpointOptions {
  /**
   * Default `127.0.0.1` (loopback only). On a loopback address only loopback `Host` headers are served (403
   * AccessDeniedException otherwise: a DNS-rebinding guard); any other address needs `credentials` or
   * `insecureNoAuth: true` (host-guard.ts).
   */
  host?: string;
  /** Default 0: a free port, reported in `url` and `port`. */
  port?: number;
  /** The largest request body accepted, in bytes; default 1 MiB. Larger bodies get 413 without being read. */
  maxBodyBytes?: number;
  /** A request (headers and body) must arrive within this time, else 408 and the connection closes; default 30 s. */
  requestTimeoutMs?: number;
  /** The request headers must arrive within this time; default 10 s (at most `requestTimeoutMs`). */
  headersTimeoutMs?: number;
  /**
   * How long a keep-alive connection may wait idle for its next request before the server closes it; default
   * 60 s. Announced in every answer as `Keep-Alive: timeout=<seconds>` (rounded down).
   */
  keepAliveTimeoutMs?: number;
  /** How long `close()` lets in-flight requests finish before it drops their connections; default 5 s. */
  closeTimeoutMs?: number;
  /** The most connections open at once (node's `server.maxConnections`); more are dropped on accept. Default 256. */
  maxConnections?: number;
  /**
   * Lets the endpoint listen on a non-loopback address (such as `0.0.0.0`) without `credentials`, which it
   * otherwise refuses to (InvalidArgumentError): anyone who reaches it can then use every key. It warns once
   * (`onWarning`) when it starts so. Default false.
   */
  insecureNoAuth?: boolean;
  /** Receives the endpoint's warnings (one line each, such as an `insecureNoAuth` start); default stderr. */
  onWarning?: (message: string) => void;
  /**
   * When given, every request must carry a valid AWS Signature Version 4 by these credentials, or by one of them
   * when a list is given (see sigv4-verifier.ts for exactly what is checked). Default: signatures are accepted
   * without any check.
   */
  credentials?: SigV4Credentials | readonly SigV4Credentials[];
  /**
   * Called with anything the port throws that is not a KMS error (a bug) — the client only sees a generic
   * KMSInternalException — and with the server's own failures. `context` is the request's X-Amz-Target, or
   * what failed. Default: written to stderr with `console.error`.
   */
  onInternalError?: (error: unknown, context: string) => void;
}

/**
 * The KmsPort that answers a caller (kms-caller.ts: the Region and access key ID of its SigV4 credential scope,
 * both undefined for an unsigned request). Called once per request, after the signature (when verified), the
 * content type and the target were checked. A KMS error it throws is the request's answer (say
 * `InvalidSignatureException` for a Region it does not serve); anything else becomes a 500 KMSInternalException
 * and goes to `onInternalError`.
 */
export type KmsResolver = (caller: KmsCaller) => KmsPort | Promise<KmsPort>;

/**
 * Answers a GET or HEAD on its path (see `getRoutes`): it writes the whole response itself. If it rejects before
 * writing, the client gets 500 with a JSON error body and the error goes to `onInternalError`.
 */
export type GetRoute = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * Answers every request under its path prefix (see `routes`), whatever the method: it writes the whole response
 * itself (a long-lived one, such as server-sent events, is its owner's to end before the server closes). If it
 * rejects before writing, the client gets 500 with a JSON error body and the error goes to `onInternalError`.
 */
export type PrefixRoute = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

interface ServeOptionsBase extends KmsEndpointOptions {
  /**
   * Extra read-only resources beside the KMS API, by exact path (`/.well-known/jwks.json`; the query string is
   * ignored): GET and HEAD on such a path go to its route, without SigV4 verification (they are public); another
   * method there → 405 with `Allow: GET, HEAD`. The path `/` cannot be a route. Every other request is a KMS
   * request, answered as without routes (a GET elsewhere still gets 404, a GET on `/` 405).
   */
  getRoutes?: Readonly<Record<string, GetRoute>>;
  /**
   * Resources beside the KMS API by path prefix (`/ui`: the prefix itself and every path under `/ui/`), any
   * method, after the Host check and without SigV4 verification (the route authenticates if it must). The KMS
   * `POST /` is never a route. The longest matching prefix wins; `getRoutes` are looked up first.
   */
  routes?: Readonly<Record<string, PrefixRoute>>;
  /** Told about every KMS request (`POST /`) answered: served-request.ts. */
  onKmsRequest?: KmsRequestObserver;
}

/** Serving one KmsPort, whoever calls. */
export interface ServeOneKmsOptions extends ServeOptionsBase {
  /** The KMS behind the endpoint. */
  kms: KmsPort;
  kmsFor?: undefined;
}

/**
 * Serving a KmsPort per caller (one per Region and account, say). With `credentials`, the credential scope may
 * name any Region, and the signature is checked for that Region.
 */
export interface ServeRoutedKmsOptions extends ServeOptionsBase {
  /** Picks the KmsPort of each request's caller. */
  kmsFor: KmsResolver;
  kms?: undefined;
}

/** The adapter's options: the endpoint's, and the KMS to serve (`kms`, or `kmsFor` per caller), which it requires. */
export type ServeKmsOptions = ServeOneKmsOptions | ServeRoutedKmsOptions;

/** The options with every default filled in. */
export interface ServerSettings {
  /** The one KmsPort served (`kms`), or undefined when each caller's is resolved (`kmsFor`). */
  readonly kms: KmsPort | undefined;
  readonly kmsFor: KmsResolver;
  readonly getRoutes: ReadonlyMap<string, GetRoute>;
  readonly routes: ReadonlyMap<string, PrefixRoute>;
  readonly onKmsRequest: KmsRequestObserver | undefined;
  readonly host: string;
  readonly port: number;
  readonly maxBodyBytes: number;
  readonly requestTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly closeTimeoutMs: number;
  readonly maxConnections: number;
  /** Whether the endpoint listens on a non-loopback address without authentication (`insecureNoAuth`). */
  readonly exposedWithoutAuth: boolean;
  /** `onWarning`, made safe like `report`. */
  readonly warn: (message: string) => void;
  readonly credentials: readonly SigV4Credentials[] | undefined;
  /** `onInternalError`, made safe: a failing hook must not take the server down. */
  readonly report: InternalErrorReporter;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_MAX_CONNECTIONS = 256;
/**
 * Long enough that clients reusing connections across pauses (a test suite between files, a CLI between commands)
 * keep them (60 s is also the default idle timeout of AWS load balancers); Node's default (5 s) would
 * make them reconnect, and makes the race of a request sent as the server closes the idle socket more likely.
 */
const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 60_000;

/** Throws InvalidArgumentError unless `options` is an object. */
export function requireOptionsObject(options: unknown): asserts options is object {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('startKmsServer: options must be an object');
  }
}

/** The settings of `options`, or InvalidArgumentError naming the first option that is wrong. */
export function readServerOptions(options: ServeKmsOptions): ServerSettings {
  requireOptionsObject(options);
  const kms = options.kms as KmsPort | null | undefined;
  const kmsFor = options.kmsFor as KmsResolver | null | undefined;
  if (kms != null && kmsFor != null) {
    throw new InvalidArgumentError('serveKms: give options.kms (one KmsPort) or options.kmsFor (one per caller), not both');
  }
  if (kmsFor != null && typeof kmsFor !== 'function') {
    throw new InvalidArgumentError('serveKms: options.kmsFor must be a function (caller) => KmsPort');
  }
  if (kms == null && kmsFor == null) {
    throw new InvalidArgumentError(
      'serveKms: options.kms is required (the KmsPort to serve); to serve a new SimulatedKms, ' +
        'call startKmsServer() from the package instead',
    );
  }
  const requestTimeoutMs = positiveInteger('requestTimeoutMs', options.requestTimeoutMs, 30_000);
  const headersTimeoutMs = positiveInteger(
    'headersTimeoutMs',
    options.headersTimeoutMs,
    Math.min(10_000, requestTimeoutMs),
  );
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new InvalidArgumentError('startKmsServer: headersTimeoutMs must not exceed requestTimeoutMs');
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidArgumentError('startKmsServer: port must be an integer 0–65535');
  }
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string') throw new InvalidArgumentError('startKmsServer: host must be a string');
  const credentials = readCredentials(options.credentials);
  const exposedWithoutAuth = exposureCheck('startKmsServer', host, credentials !== undefined, options.insecureNoAuth);
  if (options.onWarning !== undefined && typeof options.onWarning !== 'function') {
    throw new InvalidArgumentError('startKmsServer: onWarning must be a function (message) => void');
  }
  const onWarning = options.onWarning ?? ((message: string) => void process.stderr.write(`${message}\n`));
  return {
    kms: kms ?? undefined,
    kmsFor: kms == null ? (kmsFor as KmsResolver) : () => kms,
    getRoutes: readGetRoutes(options.getRoutes),
    routes: readPrefixRoutes(options.routes),
    onKmsRequest: readObserver(options.onKmsRequest),
    host,
    port,
    maxBodyBytes: positiveInteger('maxBodyBytes', options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES),
    requestTimeoutMs,
    headersTimeoutMs,
    keepAliveTimeoutMs: positiveInteger('keepAliveTimeoutMs', options.keepAliveTimeoutMs, DEFAULT_KEEP_ALIVE_TIMEOUT_MS),
    closeTimeoutMs: positiveInteger('closeTimeoutMs', options.closeTimeoutMs, 5000),
    maxConnections: positiveInteger('maxConnections', options.maxConnections, DEFAULT_MAX_CONNECTIONS),
    exposedWithoutAuth,
    warn: (message) => {
      try {
        onWarning(message);
      } catch {
        // a failing warning hook must not take the server down
      }
    },
    credentials,
    report: safeReporter(options.onInternalError ?? writeToStderr),
  };
}

function readCredentials(
  credentials: SigV4Credentials | readonly SigV4Credentials[] | undefined,
): readonly SigV4Credentials[] | undefined {
  if (credentials === undefined) return undefined;
  const list: readonly unknown[] = Array.isArray(credentials) ? credentials : [credentials];
  if (list.length === 0) throw new InvalidArgumentError('startKmsServer: credentials must not be an empty list');
  const ids = new Set<string>();
  for (const entry of list) {
    const c = entry as Partial<SigV4Credentials> | null;
    const nonEmpty = (value: unknown): boolean => typeof value === 'string' && value !== '';
    if (typeof c !== 'object' || c === null || !nonEmpty(c.accessKeyId) || !nonEmpty(c.secretAccessKey)) {
      throw new InvalidArgumentError('startKmsServer: credentials need a non-empty accessKeyId and secretAccessKey');
    }
    if (c.sessionToken !== undefined && !nonEmpty(c.sessionToken)) {
      throw new InvalidArgumentError('startKmsServer: credentials.sessionToken must be a non-empty string when given');
    }
    if (ids.has(c.accessKeyId as string)) {
      throw new InvalidArgumentError(`startKmsServer: credentials name the access key ID ${c.accessKeyId} twice`);
    }
    ids.add(c.accessKeyId as string);
  }
  return list as readonly SigV4Credentials[];
}

function readGetRoutes(routes: Readonly<Record<string, GetRoute>> | undefined): ReadonlyMap<string, GetRoute> {
  if (routes === undefined) return new Map();
  if (typeof routes !== 'object' || routes === null) {
    throw new InvalidArgumentError('serveKms: getRoutes must be an object of path → route');
  }
  const map = new Map<string, GetRoute>();
  for (const [path, route] of Object.entries(routes)) {
    if (!path.startsWith('/') || path === '/' || /[?#\s]/.test(path)) {
      throw new InvalidArgumentError(`serveKms: getRoutes path ${JSON.stringify(path)} must be an absolute path other than /`);
    }
    if (typeof route !== 'function') throw new InvalidArgumentError(`serveKms: getRoutes[${JSON.stringify(path)}] must be a function`);
    map.set(path, route);
  }
  return map;
}

function readPrefixRoutes(routes: Readonly<Record<string, PrefixRoute>> | undefined): ReadonlyMap<string, PrefixRoute> {
  if (routes === undefined) return new Map();
  if (typeof routes !== 'object' || routes === null) throw new InvalidArgumentError('serveKms: routes must be an object of path prefix → route');
  const map = new Map<string, PrefixRoute>();
  for (const [prefix, route] of Object.entries(routes)) {
    if (!/^(\/[^/?#\s]+)+$/.test(prefix)) {
      throw new InvalidArgumentError(`serveKms: routes prefix ${JSON.stringify(prefix)} must be an absolute path other than /, without a trailing /`);
    }
    if (typeof route !== 'function') throw new InvalidArgumentError(`serveKms: routes[${JSON.stringify(prefix)}] must be a function`);
    map.set(prefix, route);
  }
  return map;
}

function readObserver(observer: KmsRequestObserver | undefined): KmsRequestObserver | undefined {
  if (observer !== undefined && typeof observer !== 'function') {
    throw new InvalidArgumentError('serveKms: onKmsRequest must be a function (request) => void');
  }
  return observer;
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(`startKmsServer: ${name} must be a positive integer`);
  }
  return value;
}

function writeToStderr(error: unknown, context: string): void {
  console.error(`kms-server: internal error (${context}):`, error);
}

function safeReporter(hook: (error: unknown, context: string) => void): InternalErrorReporter {
  return (error, context) => {
    try {
      hook(error, context);
    } catch {
      // a failing error hook must not take the server down
    }
  };
}
