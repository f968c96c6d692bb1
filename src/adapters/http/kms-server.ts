import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KmsPort } from '../../ports/kms.port.js';
import { answerClientError } from './client-error.js';
import { hostGuardFor } from './host-guard.js';
import { KmsRequestHandler } from './kms-request-handler.js';
import {
  type ServeKmsOptions,
  type ServeOneKmsOptions,
  type ServeRoutedKmsOptions,
  type ServerSettings,
  readServerOptions,
} from './server-options.js';
import { SigV4Verifier } from './sigv4-verifier.js';

/**
 * An HTTP endpoint speaking the AWS KMS JSON 1.1 protocol (`POST /`, `X-Amz-Target: TrentService.<Operation>`)
 * in front of a given KmsPort, so that AWS SDKs, boto3 and the aws CLI can use the simulator (or any port) over
 * the wire. node:http only. This file is the server's lifecycle (options → listening server → close with grace);
 * what one request gets is kms-request-handler.ts.
 */

/** A listening endpoint: where it is, and how to stop it. */
export interface KmsEndpoint {
  /** `http://<host>:<port>`: the endpoint to give an SDK (`new KMSClient({ endpoint: url, … })`). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /**
   * Stops accepting connections, closes idle keep-alive connections at once, lets in-flight requests finish
   * (their responses close the connection) for up to `closeTimeoutMs`, then drops whatever is left. Resolves
   * when every connection is closed; calling it again returns the same promise.
   */
  close(): Promise<void>;
}

/** An endpoint serving one KmsPort. */
export interface KmsServer extends KmsEndpoint {
  /** The KMS behind the endpoint (the default SimulatedKms when none was given to `startKmsServer`). */
  readonly kms: KmsPort;
}

/**
 * Serves `options.kms` (or, with `options.kmsFor`, the KmsPort of each request's caller: its Region and access
 * key ID from the SigV4 credential scope) and resolves once the endpoint listens; rejects with
 * InvalidArgumentError for bad options (no `kms` nor `kmsFor` included) and with the listen error (such as
 * EADDRINUSE) when it cannot listen.
 *
 * Requests are answered by KmsRequestHandler (its documentation lists the protocol decisions). Connections are
 * kept alive between requests (HTTP/1.1 keep-alive, as every AWS SDK uses it) until idle for `keepAliveTimeoutMs`,
 * announced in each answer's `Keep-Alive: timeout=<s>` header (Node.js agents keep no socket announced for 1 s
 * or less). Slow clients meet `headersTimeoutMs` and `requestTimeoutMs` (408 RequestTimeoutException, connection closed;
 * client-error.ts answers what node:http cannot take in);
 * the time a connection waits idle for its next request counts against neither. Failures of the server
 * itself, such as accept errors once listening, go to `onInternalError` and never end the process. At most
 * `maxConnections` connections are open at once. On a loopback address only loopback `Host` headers are served
 * (403 AccessDeniedException otherwise); a non-loopback address needs `credentials` or `insecureNoAuth: true`
 * (host-guard.ts). No CORS headers are ever sent, so browsers give other origins no access to the answers.
 */
export async function serveKms(options: ServeOneKmsOptions): Promise<KmsServer>;
export async function serveKms(options: ServeRoutedKmsOptions): Promise<KmsEndpoint>;
export async function serveKms(options: ServeKmsOptions): Promise<KmsEndpoint | KmsServer>;
export async function serveKms(options: ServeKmsOptions): Promise<KmsEndpoint | KmsServer> {
  const settings = readServerOptions(options);
  const { kms, kmsFor, getRoutes, routes, onKmsRequest, report } = settings;
  // One KmsPort: requests must be scoped to its Region. Per caller: to any Region, each checked for its own.
  const verifier = settings.credentials === undefined ? undefined : new SigV4Verifier(settings.credentials, kms?.region);
  const handler = new KmsRequestHandler({
    kmsFor,
    kms,
    getRoutes,
    routes,
    onKmsRequest,
    maxBodyBytes: settings.maxBodyBytes,
    verifier,
    report,
    hostAllowed: hostGuardFor(settings.host),
  });
  const server = createServer(
    {
      requestTimeout: settings.requestTimeoutMs,
      headersTimeout: settings.headersTimeoutMs,
      // How often node:http enforces the two timeouts above (default 30 s, too coarse for short limits).
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(settings.headersTimeoutMs / 4))),
      keepAliveTimeout: settings.keepAliveTimeoutMs,
      noDelay: true, // an answer is one write: never wait for the client's ACK of the previous one
      // An HTTP/1.1 request without Host reaches the handler (node's own answer is a bare 400): the Host guard
      // of a loopback endpoint refuses it with a JSON 403; elsewhere the Host is not used.
      requireHostHeader: false,
    },
    (req, res) => void handler.respond(req, res),
  );
  server.maxConnections = settings.maxConnections; // more are dropped on accept
  // What node:http cannot parse (or times out) gets a JSON error too, not node's bare status line.
  server.on('clientError', (error, socket) => answerClientError(error, socket, settings.closeTimeoutMs));
  await listen(server, settings);
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  if (settings.exposedWithoutAuth) {
    settings.warn(
      `kms-server: warning: http://${urlHost}:${address.port} listens on a non-loopback address without SigV4 ` +
        'verification (insecureNoAuth): anyone who can reach it can use every key',
    );
  }

  let closed: Promise<void> | undefined;
  const endpoint: KmsEndpoint = {
    url: `http://${urlHost}:${address.port}`,
    host: address.address,
    port: address.port,
    close() {
      handler.closeConnections();
      closed ??= closeServer(server, settings.closeTimeoutMs);
      return closed;
    },
  };
  return kms === undefined ? endpoint : { ...endpoint, kms };
}

function listen(server: Server, settings: ServerSettings): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.off('error', reject);
      // Once listening, node:net reports accept failures (such as EMFILE) here: they must not end the process.
      server.on('error', (error) => settings.report(error, 'the server'));
      resolve();
    });
  });
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
