import { randomUUID } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { KmsPort } from '../../ports/kms.port.js';
import { connectionCallOptions } from './connection-signal.js';
import { refusedHostMessage } from './host-guard.js';
import { type ServedOperation, TARGET_PREFIX, operationForTarget } from './kms-wire-codec.js';
import { type KmsCaller, UNSIGNED, callerOf } from './kms-caller.js';
import { CLIENT_GONE, parseJsonBody, readBody } from './request-body.js';
import type { GetRoute, KmsResolver, PrefixRoute } from './server-options.js';
import { type KmsRequestObserver, requestKeyOf } from './served-request.js';
import type { SigV4Verifier } from './sigv4-verifier.js';
import { type InternalErrorReporter, type WireFault, accessDenied, toWireError, unknownOperation } from './wire-error.js';

export const AMZ_JSON_1_1 = 'application/x-amz-json-1.1';

export interface KmsRequestHandlerOptions {
  /** The KmsPort of each request's caller (one KmsPort for every caller: `() => kms`). */
  readonly kmsFor: KmsResolver;
  /**
   * The one KmsPort that `kmsFor` always resolves to, when there is one: the caller is then not worked out from
   * the request (unless a verifier checks it) and `kmsFor` is not called.
   */
  readonly kms?: KmsPort | undefined;
  /** GET/HEAD resources by exact path (server-options.ts, `getRoutes`); default none. */
  readonly getRoutes?: ReadonlyMap<string, GetRoute>;
  /** The largest request body accepted, in bytes. */
  readonly maxBodyBytes: number;
  /** Checks each request's SigV4 signature; absent: signatures are accepted unchecked. */
  readonly verifier: SigV4Verifier | undefined;
  readonly report: InternalErrorReporter;
  /** Whether a request's `Host` header is served (host-guard.ts); absent: every Host is. */
  readonly hostAllowed?: ((host: string | undefined) => boolean) | undefined;
  /** Resources under a path prefix, any method (server-options.ts, `routes`); default none. */
  readonly routes?: ReadonlyMap<string, PrefixRoute>;
  /** Told about every KMS request answered (served-request.ts); default nobody. */
  readonly onKmsRequest?: KmsRequestObserver | undefined;
}

/** What is known of a KMS request as it is answered, for the observer. */
interface Trace {
  readonly time: Date;
  readonly started: number;
  caller: KmsCaller | undefined;
  operation: string | undefined;
  input: unknown;
  output: unknown;
}

/**
 * One HTTP request → one KMS JSON 1.1 answer, in front of a KmsPort.
 *
 * Protocol decisions (AWS's behaviour where known, docs/kms-behaviour.md §13):
 * - Only `POST /` (any query string is ignored): another path → 404, another method → 405 with `Allow: POST`, both
 *   with a JSON `UnknownOperationException` body, since AWS routes nothing else there.
 * - `Content-Type` must be `application/x-amz-json-1.1` (parameters such as `charset` allowed). Anything else,
 *   `application/json` included, → 400 `UnknownOperationException`: AWS dispatches on the content type and
 *   answers an unrecognised one as an unknown operation, so code proven here also works against AWS.
 * - A missing, malformed or unknown `X-Amz-Target` → 400 `UnknownOperationException`; so is an operation the
 *   port does not implement.
 * - The body is a JSON object, `{}` or empty when there are no members. Not UTF-8, not JSON, not an object, or a
 *   member of the wrong JSON type (a blob that is not a base64 string, a timestamp that is not a number, …)
 *   → 400 `SerializationException` naming the member. Members the KMS model does not know are ignored, as AWS
 *   does, so newer SDKs keep working; JSON `null` members count as absent.
 * - Bodies over `maxBodyBytes` → 413 `RequestEntityTooLargeException` and `Connection: close`: a declared
 *   `Content-Length` is refused before any byte is read; a streamed body once it passes the limit. Reading stops.
 * - Success: 200, `Content-Type: application/x-amz-json-1.1`, `x-amzn-RequestId`, the output as JSON; `{}` for
 *   operations without output (SDKs, boto3 and the CLI accept it, and naive JSON clients too).
 * - Errors: `{"__type":"<Name>","message":"…"}` and `X-Amzn-ErrorType: <Name>`; a port error with
 *   `$fault: 'client'` → 400 (what AWS sends for every KMS client error), `'server'` → 500 (503 for
 *   DependencyTimeoutException). Anything else thrown → 500 `KMSInternalException` with a generic message, the
 *   error itself going to `report` only (wire-error.ts).
 * - SigV4 headers are accepted unchecked unless a verifier is given. The KmsPort is resolved per request from the
 *   caller (`kmsFor`): the verified credential scope, or the scope as written (kms-caller.ts) without a verifier.
 * - GET and HEAD on a path of `getRoutes` go to that route (no SigV4 check; a failing route → 500 JSON); another
 *   method on such a path → 405 with `Allow: GET, HEAD`. Nothing else changes for other paths.
 * - A client that disconnects aborts the port call (`abortSignal`) and gets no answer. The signal is that of the
 *   connection (connection-signal.ts): requests of one keep-alive connection share it, one after another.
 * - Once `closeConnections()` was called (the server is closing), every answer carries `Connection: close`.
 * - With `hostAllowed` (a loopback endpoint), a request whose `Host` it refuses gets, before anything else (GET
 *   routes included), 403 `AccessDeniedException` naming the accepted hosts, with `Connection: close`.
 * - No CORS: no `Access-Control-*` header is ever sent (an OPTIONS preflight gets 405 like any other method).
 * - A path under a prefix of `routes` (after the Host check) goes to that route whatever the method; it answers
 *   itself (a failing route → 500 JSON). With `onKmsRequest`, every `POST /` answered is reported to it.
 *
 * Everything fixed is computed once: operations by their whole target, their compiled codecs, the answer's
 * header names; a request costs a header lookup or two, the body's JSON parse and the output's JSON text.
 */
export class KmsRequestHandler {
  readonly #kmsFor: KmsResolver;
  readonly #kms: KmsPort | undefined;
  readonly #getRoutes: ReadonlyMap<string, GetRoute>;
  readonly #maxBodyBytes: number;
  readonly #verifier: SigV4Verifier | undefined;
  readonly #report: InternalErrorReporter;
  readonly #hostAllowed: ((host: string | undefined) => boolean) | undefined;
  readonly #routes: ReadonlyMap<string, PrefixRoute>;
  readonly #onKmsRequest: KmsRequestObserver | undefined;
  #closing = false;

  constructor(options: KmsRequestHandlerOptions) {
    this.#kmsFor = options.kmsFor;
    this.#kms = options.kms;
    this.#getRoutes = options.getRoutes ?? new Map();
    this.#maxBodyBytes = options.maxBodyBytes;
    this.#verifier = options.verifier;
    this.#report = options.report;
    this.#hostAllowed = options.hostAllowed;
    this.#routes = options.routes ?? new Map();
    this.#onKmsRequest = options.onKmsRequest;
  }

  /** From now on every answer closes its connection. */
  closeConnections(): void {
    this.#closing = true;
  }

  /** Answers `req` on `res`. Never rejects: a failure to write the answer goes to `report`. */
  async respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await this.#respond(req, res);
    } catch (error) {
      this.#report(error, 'writing a response');
    }
  }

  async #respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.on('error', noop);
    res.on('error', noop);
    if (this.#hostAllowed !== undefined && !this.#hostAllowed(req.headers.host)) {
      req.resume(); // the body is not read
      this.#answer(res, 403, null, accessDenied(refusedHostMessage()));
      return;
    }
    const path = pathOf(req);
    if (this.#getRoutes.size > 0) {
      const route = this.#getRoutes.get(path);
      if (route !== undefined) return this.#serveRoute(route, req, res);
    }
    if (this.#routes.size > 0) {
      const route = this.#prefixRouteOf(path);
      if (route !== undefined) return this.#servePrefixRoute(route, req, res);
    }
    const trace: Trace | undefined =
      this.#onKmsRequest !== undefined && path === '/' && req.method === 'POST'
        ? { time: new Date(), started: performance.now(), caller: undefined, operation: undefined, input: undefined, output: undefined }
        : undefined;
    let body: string | null = null;
    let fault: WireFault | undefined;
    try {
      body = await this.#output(req, path, trace);
    } catch (error) {
      if (error === CLIENT_GONE) return;
      fault = toWireError(error, () => operationContext(req), this.#report);
    }
    this.#answer(res, fault?.status ?? 200, body, fault);
    if (trace !== undefined) this.#observe(req, trace, fault);
  }

  /** Tells the observer about one answered KMS request (a failing observer is reported, never the client's). */
  #observe(req: IncomingMessage, trace: Trace, fault: WireFault | undefined): void {
    try {
      this.#onKmsRequest?.({
        time: trace.time,
        caller: trace.caller ?? callerOf(req),
        operation: trace.operation,
        key: trace.operation === undefined ? undefined : requestKeyOf(trace.operation, trace.input, trace.output),
        status: fault?.status ?? 200,
        errorName: fault?.type,
        durationMs: performance.now() - trace.started,
      });
    } catch (error) {
      this.#report(error, 'the KMS request observer');
    }
  }

  /** The route of the longest prefix `path` is (or is under), if any. */
  #prefixRouteOf(path: string): PrefixRoute | undefined {
    let found: { prefix: string; route: PrefixRoute } | undefined;
    for (const [prefix, route] of this.#routes) {
      if ((path === prefix || path.startsWith(`${prefix}/`)) && (found === undefined || prefix.length > found.prefix.length)) {
        found = { prefix, route };
      }
    }
    return found?.route;
  }

  /** A prefix route's answer (its own, any method); 500 JSON when it fails before answering. */
  async #servePrefixRoute(route: PrefixRoute, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.#closing) res.setHeader('Connection', 'close');
    await this.#runRoute(route, req, res, `${req.method ?? 'GET'} ${pathOf(req)}`);
  }

  /** Runs a route; when it fails: reported as `label`, 500 JSON if nothing was written yet, else the socket ends. */
  async #runRoute(route: GetRoute, req: IncomingMessage, res: ServerResponse, label: string): Promise<void> {
    try {
      await route(req, res);
    } catch (error) {
      this.#report(error, label);
      if (!res.headersSent) sendPlainJson(res, 500, { message: 'Internal error.' });
      else res.destroy();
    }
  }

  /** Writes a KMS answer: `body` (the output's JSON) when `fault` is undefined, else the fault's error body. */
  #answer(res: ServerResponse, status: number, output: string | null, fault: WireFault | undefined): void {
    if (res.headersSent || res.destroyed) return;
    const body = fault === undefined ? (output ?? '{}') : JSON.stringify({ __type: fault.type, message: fault.message });
    const headers: OutgoingHttpHeaders = fault === undefined ? {} : { ...fault.headers, 'X-Amzn-ErrorType': fault.type };
    if (this.#closing) headers['Connection'] = 'close';
    headers['Content-Type'] = AMZ_JSON_1_1;
    headers['Content-Length'] = Buffer.byteLength(body);
    headers['x-amzn-RequestId'] = randomUUID();
    res.writeHead(status, headers);
    res.end(body);
  }

  /** The JSON text of the operation's output; throws what becomes an error answer. */
  async #output(req: IncomingMessage, path: string, trace?: Trace): Promise<string> {
    const body = await readBody(req, this.#maxBodyBytes);
    if (path !== '/') throw unknownOperation(`No operation is served at ${truncate(path)}: use POST /.`, 404);
    if (req.method !== 'POST') {
      throw unknownOperation('Only POST is served.', 405, { Allow: 'POST' });
    }
    const caller = this.#verifier !== undefined ? await this.#verifier.verify(req, body) : this.#kms ? UNSIGNED : callerOf(req);
    if (trace !== undefined) trace.caller = caller;
    if (!isAmzJson(req.headers['content-type'])) throw unknownOperation(`Content-Type must be ${AMZ_JSON_1_1}.`);
    const operation = findOperation(req.headers['x-amz-target']);
    if (trace !== undefined) trace.operation = operation.name;
    const kms = this.#kms ?? (await this.#kmsFor(caller));
    const method = kms[operation.method] as unknown;
    if (typeof method !== 'function') throw unknownOperation(`${operation.name} is not supported by this endpoint.`);
    const input = operation.decodeInput(parseJsonBody(body));
    if (trace !== undefined) trace.input = input;
    const options = connectionCallOptions(req);
    let output: unknown;
    try {
      output = await (method as (input: unknown, options: unknown) => Promise<unknown>).call(kms, input, options);
    } catch (error) {
      // Whatever an aborted call throws, nobody is left to answer.
      throw options.abortSignal.aborted ? CLIENT_GONE : error;
    }
    if (trace !== undefined) trace.output = output;
    return operation.encodeOutput(output);
  }

  /** A GET route's answer (its own), 405 for another method, 500 JSON when the route fails before answering. */
  async #serveRoute(route: GetRoute, req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.resume(); // a body, if any, is not read
    if (this.#closing) res.setHeader('Connection', 'close');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendPlainJson(res, 405, { message: 'Only GET and HEAD are served here.' }, { Allow: 'GET, HEAD' });
      return;
    }
    await this.#runRoute(route, req, res, `GET ${pathOf(req)}`);
  }
}

/** The request's path, without its query string. */
function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** Whether the media type is application/x-amz-json-1.1 (any letter case, parameters such as charset allowed). */
function isAmzJson(contentType: string | undefined): boolean {
  if (contentType === AMZ_JSON_1_1) return true; // what the SDKs send
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() === AMZ_JSON_1_1;
}

/** A small `application/json` answer of a GET route (not a KMS answer: no request id or error type). */
function sendPlainJson(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function findOperation(target: string | string[] | undefined): ServedOperation {
  if (typeof target !== 'string' || target === '') throw unknownOperation('Missing X-Amz-Target header.');
  const operation = operationForTarget(target);
  if (operation === undefined) {
    const expected = target.startsWith(TARGET_PREFIX) ? '' : ` (expected ${TARGET_PREFIX}<Operation>)`;
    throw unknownOperation(`Unknown operation ${truncate(target)}${expected}.`);
  }
  return operation;
}

/** What an internal error is reported with: the request's X-Amz-Target. */
function operationContext(req: IncomingMessage): string {
  const target = req.headers['x-amz-target'];
  return typeof target === 'string' ? target : 'an unknown operation';
}

function truncate(text: string): string {
  return JSON.stringify(text.length > 100 ? `${text.slice(0, 100)}…` : text);
}

function noop(): void {}
