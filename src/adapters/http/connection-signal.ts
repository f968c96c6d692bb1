import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { KmsCallOptions } from '../../ports/kms.port.js';

/**
 * The `abortSignal` the KMS wire endpoint gives each port call: it fires when the client's connection closes.
 * One per connection, not per request: an HTTP/1.1 connection carries its requests one after another, and every
 * request still running when the connection closes has lost its client. So a keep-alive connection makes one
 * AbortController (which costs more than the rest of a small request's own work) for all its requests, and one
 * `close` listener. A port should, as the AWS SDK does, remove any `abort` listener it adds once its call is over.
 */

type CallOptions = KmsCallOptions & { readonly abortSignal: AbortSignal };

const OPTIONS = Symbol('kms-call-options');
type TrackedSocket = Socket & { [OPTIONS]?: CallOptions };

/** The call options of a request on `req`'s connection (already aborted when the connection is closed). */
export function connectionCallOptions(req: IncomingMessage): CallOptions {
  const socket = req.socket as TrackedSocket;
  const known = socket[OPTIONS];
  if (known !== undefined) return known;
  const controller = new AbortController();
  const options: CallOptions = Object.freeze({ abortSignal: controller.signal });
  if (socket.destroyed) controller.abort(disconnected());
  else socket.once('close', () => controller.abort(disconnected()));
  socket[OPTIONS] = options;
  return options;
}

function disconnected(): Error {
  return new Error('The client disconnected.');
}
