import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidArgumentError } from '../../domain/errors.js';
import type { KmsCallOptions, KmsPort } from '../../ports/kms.port.js';
import { isKmsError } from '../kms-exception.js';
import { SimulatedKms } from '../simulator/simulated-kms.js';
import {
  TARGET_PREFIX,
  type WireOperation,
  WireSerializationError,
  decodeMembers,
  encodeMembers,
  operationForTarget,
} from './kms-wire-codec.js';
import { type SigV4Credentials, SigV4Verifier } from './sigv4-verifier.js';

/**
 * An HTTP endpoint speaking the AWS KMS JSON 1.1 protocol (`POST /`, `X-Amz-Target: TrentService.<Operation>`)
 * in front of any KmsPort, so that AWS SDKs, boto3 and the aws CLI can use the simulator (or any port) over the
 * wire. node:http only. The protocol decisions are documented on `startKmsServer`.
 */

export interface KmsServerOptions {
  /** The KMS behind the endpoint; default a fresh `new SimulatedKms()`. */
  kms?: KmsPort;
  /** Default `127.0.0.1` (loopback only). */
  host?: string;
  /** Default 0: a free port, reported in `url` and `port`. */
  port?: number;
  /** The largest request body accepted, in bytes; default 1 MiB. Larger bodies get 413 without being read. */
  maxBodyBytes?: number;
  /** A request (headers and body) must arrive within this time, else 408 and the connection closes; default 30 s. */
  requestTimeoutMs?: number;
  /** The request headers must arrive within this time; default 10 s (at most `requestTimeoutMs`). */
  headersTimeoutMs?: number;
  /** How long `close()` lets in-flight requests finish before it drops their connections; default 5 s. */
  closeTimeoutMs?: number;
  /**
   * When given, every request must carry a valid AWS Signature Version 4 by these credentials (see
   * sigv4-verifier.ts for exactly what is checked). Default: signatures are accepted without any check.
   */
  credentials?: SigV4Credentials;
  /**
   * Called with anything the port throws that is not a KMS error (a bug) — the client only sees a generic
   * KMSInternalException — and with the server's own failures. `context` is the request's X-Amz-Target, or
   * what failed. Default: written to stderr with `console.error`.
   */
  onInternalError?: (error: unknown, context: string) => void;
}

export interface KmsServer {
  /** `http://<host>:<port>`: the endpoint to give an SDK (`new KMSClient({ endpoint: url, … })`). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The KMS behind the endpoint (the default SimulatedKms when none was given). */
  readonly kms: KmsPort;
  /**
   * Stops accepting connections, closes idle keep-alive connections at once, lets in-flight requests finish
   * (their responses close the connection) for up to `closeTimeoutMs`, then drops whatever is left. Resolves
   * when every connection is closed; calling it again returns the same promise.
   */
  close(): Promise<void>;
}

export const AMZ_JSON_1_1 = 'application/x-amz-json-1.1';
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const INTERNAL_MESSAGE = 'The request was rejected because an internal exception occurred. The request can be retried.';
/** A KMS exception name: it goes into a header, so nothing else may pass. */
const EXCEPTION_NAME = /^[A-Za-z][A-Za-z0-9]{0,127}$/;
/** Server faults whose status is not 500 (the KMS model's httpError). */
const SERVER_FAULT_STATUS: Readonly<Record<string, number>> = { DependencyTimeoutException: 503 };

/** An error answer: status, `__type` (also sent as `X-Amzn-ErrorType`) and message. */
class WireError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** The client went away while its request was read: there is nobody to answer. */
const CLIENT_GONE = Symbol('client gone');

/**
 * Starts the endpoint and resolves once it listens.
 *
 * Protocol decisions (AWS's behaviour where known, reference/kms-behaviour.md §13):
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
 *   error itself going to `onInternalError` only.
 * - SigV4 headers are accepted unchecked unless `credentials` is given.
 * - A client that disconnects aborts the port call (`abortSignal`); slow clients meet `headersTimeoutMs` and
 *   `requestTimeoutMs` (408 from node:http, connection closed).
 */
export async function startKmsServer(options: KmsServerOptions = {}): Promise<KmsServer> {
  const settings = readOptions(options);
  const kms = options.kms ?? new SimulatedKms();
  const verifier = options.credentials === undefined ? undefined : new SigV4Verifier(options.credentials, kms.region);
  const onInternalError =
    options.onInternalError ??
    ((error: unknown, context: string) => console.error(`kms-server: internal error (${context}):`, error));
  let closing = false;

  const server = createServer(
    {
      requestTimeout: settings.requestTimeoutMs,
      headersTimeout: settings.headersTimeoutMs,
      // How often node:http enforces the two timeouts above (default 30 s, too coarse for short limits).
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(settings.headersTimeoutMs / 4))),
    },
    (req, res) => {
      respond(req, res).catch((error: unknown) => report(error, 'writing a response'));
    },
  );

  function report(error: unknown, where: string): void {
    try {
      onInternalError(error, where);
    } catch {
      // a failing error hook must not take the server down
    }
  }

  async function respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.on('error', noop);
    res.on('error', noop);
    const requestId = randomUUID();
    let answered: { status: number; body: string; headers: Record<string, string> };
    try {
      answered = { status: 200, body: await answer(req, res), headers: {} };
    } catch (error) {
      if (error === CLIENT_GONE) return;
      const wire = toWireError(error, req, report);
      const body = JSON.stringify({ __type: wire.type, message: wire.message });
      answered = { status: wire.status, body, headers: { ...wire.headers, 'X-Amzn-ErrorType': wire.type } };
    }
    if (closing) answered.headers['Connection'] = 'close';
    send(res, answered.status, answered.body, requestId, answered.headers);
  }

  /** The JSON text of the operation's output; throws what becomes an error answer. */
  async function answer(req: IncomingMessage, res: ServerResponse): Promise<string> {
    const body = await readBody(req, settings.maxBodyBytes);
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/') throw unknownOperation(`No operation is served at ${truncate(path ?? '')}: use POST /.`, 404);
    if (req.method !== 'POST') {
      throw new WireError(405, 'UnknownOperationException', 'Only POST is served.', { Allow: 'POST' });
    }
    await verifier?.verify(req, body);
    const mediaType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (mediaType !== AMZ_JSON_1_1) {
      throw unknownOperation(`Content-Type must be ${AMZ_JSON_1_1}.`);
    }
    const operation = findOperation(req.headers['x-amz-target']);
    const method = kms[operation.method] as unknown;
    if (typeof method !== 'function') throw unknownOperation(`${operation.name} is not supported by this endpoint.`);
    const input = decodeMembers(operation.input, parseJsonObject(body));
    const options = abortOnDisconnect(res);
    let output: unknown;
    try {
      output = await method.call(kms, input, options);
    } catch (error) {
      // Whatever an aborted call throws, nobody is left to answer.
      throw options.abortSignal.aborted ? CLIENT_GONE : error;
    }
    return JSON.stringify(operation.output === undefined ? {} : encodeMembers(operation.output, output));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.off('error', reject);
      // Once listening, node:net reports accept failures (such as EMFILE) here: they must not end the process.
      server.on('error', (error) => report(error, 'the server'));
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closed: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}`,
    host: address.address,
    port: address.port,
    kms,
    close() {
      closing = true;
      closed ??= closeServer(server, settings.closeTimeoutMs);
      return closed;
    },
  };
}

function readOptions(options: KmsServerOptions) {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('startKmsServer: options must be an object');
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
  return {
    host: options.host ?? '127.0.0.1',
    port,
    maxBodyBytes: positiveInteger('maxBodyBytes', options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES),
    requestTimeoutMs,
    headersTimeoutMs,
    closeTimeoutMs: positiveInteger('closeTimeoutMs', options.closeTimeoutMs, 5000),
  };
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(`startKmsServer: ${name} must be a positive integer`);
  }
  return value;
}

/** The whole body, refusing (413, connection closed) past `limit` bytes; rejects with CLIENT_GONE on disconnect. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.pause();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        stop();
        req.pause();
        reject(tooLarge(limit));
      } else {
        chunks.push(chunk);
      }
    };
    const onEnd = (): void => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    const onClose = (): void => {
      stop();
      reject(CLIENT_GONE);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
  });
}

function tooLarge(limit: number): WireError {
  return new WireError(413, 'RequestEntityTooLargeException', `The request body exceeds the limit of ${limit} bytes.`, {
    Connection: 'close',
  });
}

function findOperation(target: string | string[] | undefined): WireOperation {
  if (typeof target !== 'string' || target === '') throw unknownOperation('Missing X-Amz-Target header.');
  const operation = operationForTarget(target);
  if (operation === undefined) {
    const expected = target.startsWith(TARGET_PREFIX) ? '' : ` (expected ${TARGET_PREFIX}<Operation>)`;
    throw unknownOperation(`Unknown operation ${truncate(target)}${expected}.`);
  }
  return operation;
}

function parseJsonObject(body: Buffer): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw serialization('The request body is not valid UTF-8.');
  }
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw serialization('The request body is not valid JSON.');
  }
}

/** An AbortSignal that fires when the client disconnects before its answer is sent. */
function abortOnDisconnect(res: ServerResponse): KmsCallOptions & { abortSignal: AbortSignal } {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new Error('The client disconnected.'));
  });
  return { abortSignal: controller.signal };
}

function toWireError(error: unknown, req: IncomingMessage, report: (error: unknown, where: string) => void): WireError {
  if (error instanceof WireError) return error;
  if (error instanceof WireSerializationError) return serialization(error.message);
  if (isKmsError(error) && EXCEPTION_NAME.test(error.name)) {
    const status = error.$fault === 'server' ? (SERVER_FAULT_STATUS[error.name] ?? 500) : 400;
    return new WireError(status, error.name, error.message);
  }
  const target = req.headers['x-amz-target'];
  report(error, typeof target === 'string' ? target : 'an unknown operation');
  return new WireError(500, 'KMSInternalException', INTERNAL_MESSAGE);
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  requestId: string,
  headers: Record<string, string>,
): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    ...headers,
    'Content-Type': AMZ_JSON_1_1,
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': requestId,
  });
  res.end(body);
}

function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

function unknownOperation(message: string, status = 400): WireError {
  return new WireError(status, 'UnknownOperationException', message);
}

function serialization(message: string): WireError {
  return new WireError(400, 'SerializationException', message);
}

function truncate(text: string): string {
  return JSON.stringify(text.length > 100 ? `${text.slice(0, 100)}…` : text);
}

function noop(): void {}
