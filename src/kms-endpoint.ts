/**
 * The KMS wire endpoint as the package offers it: the HTTP adapter (src/adapters/http/) in front of the given
 * KmsPort, or of a fresh SimulatedKms when none is given. The one place that picks that default, so the adapter
 * itself never depends on the simulator.
 */
import { type KmsServer, serveKms } from './adapters/http/kms-server.js';
import { type KmsEndpointOptions, requireOptionsObject } from './adapters/http/server-options.js';
import { SimulatedKms } from './adapters/simulator/simulated-kms.js';
import type { KmsPort } from './ports/kms.port.js';

export type { KmsServer } from './adapters/http/kms-server.js';

export interface KmsServerOptions extends KmsEndpointOptions {
  /** The KMS behind the endpoint; default a fresh `new SimulatedKms()`. */
  kms?: KmsPort;
}

/**
 * Starts an AWS KMS JSON 1.1 endpoint (`POST /`, `X-Amz-Target: TrentService.<Operation>`) on
 * `http://127.0.0.1:<free port>` by default and resolves once it listens, so that AWS SDKs, boto3 and the aws
 * CLI can use `options.kms` (default: a fresh SimulatedKms) over the wire.
 *
 * It answers as AWS does (docs/kms-behaviour.md §13): 200 with the output as JSON; errors as
 * `{"__type","message"}` with `X-Amzn-ErrorType`, 400 for client faults, 500/503 for server faults, a generic
 * 500 KMSInternalException (the error going to `onInternalError`) for anything else thrown; 404/405 off
 * `POST /`; 400 UnknownOperationException for another content type or an unknown target; 400
 * SerializationException for a malformed body; 413 past `maxBodyBytes`. SigV4 is checked only when
 * `credentials` is given. A disconnecting client aborts its port call. Connections are kept alive between
 * requests until idle for `keepAliveTimeoutMs` (default 60 s; docs/serve.md, connections and timeouts), at
 * most `maxConnections` at once. On a loopback `host` only loopback `Host` headers are served (403
 * AccessDeniedException otherwise); a non-loopback `host` needs `credentials` or `insecureNoAuth: true`
 * (docs/serve.md, security). No CORS headers are sent.
 *
 * Rejects with InvalidArgumentError for bad options, and with the listen error (such as EADDRINUSE).
 */
export async function startKmsServer(options: KmsServerOptions = {}): Promise<KmsServer> {
  requireOptionsObject(options);
  return serveKms({ ...options, kms: options.kms ?? new SimulatedKms() });
}
