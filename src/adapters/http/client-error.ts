import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';

/**
 * The answer to a request node:http could not take in (its `clientError`): a malformed request (bad request
 * line or headers, a body without framing followed by garbage), headers over node's size limit, or a request
 * that did not arrive within `headersTimeoutMs` / `requestTimeoutMs`. Node's own answer has no body; this one is
 * a KMS-shaped JSON error like every other answer of the endpoint:
 *
 * - 400 `SerializationException`, 431 `RequestHeaderFieldsTooLargeException`, 408 `RequestTimeoutException`,
 *   always with `Connection: close`; nothing is written once an answer to the request has begun (the connection
 *   is just dropped then), nor on a connection that is already gone.
 * - Between requests, the connection is ended, not destroyed at once: whatever the client still sends is read
 *   and discarded, so the answer is not lost to a TCP reset, and the socket is destroyed when the client closes
 *   its side (or after `graceMs`).
 * - Garbage after a request that arrived whole (a body sent without framing, say): that request's own answer,
 *   still to come, is the answer, and it closes the connection.
 * - A request that is not whole (a timeout, a broken chunked body): the error is written and the connection
 *   dropped at once, as node does (the request's handler then finds it gone).
 */

/** Sockets already answered (node reports every later parse error of the same connection too). */
const answered = new WeakSet<Duplex>();

interface HttpParseError extends Error {
  code?: string;
}

/** What node:http keeps of the response under way on a socket (`socket._httpMessage`, a ServerResponse). */
interface InFlightResponse {
  headersSent?: boolean;
  shouldKeepAlive: boolean;
  req?: { complete?: boolean };
}

export function answerClientError(error: HttpParseError, socket: Duplex, graceMs: number): void {
  if (answered.has(socket)) return;
  answered.add(socket);
  const inFlight = (socket as Duplex & { _httpMessage?: InFlightResponse | null })._httpMessage ?? undefined;
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent === true) {
    socket.destroy();
    return;
  }
  if (inFlight !== undefined && inFlight.req?.complete === true && error.code !== 'ERR_HTTP_REQUEST_TIMEOUT') {
    inFlight.shouldKeepAlive = false; // its answer says Connection: close, and node ends the socket after it
    return;
  }
  const [status, reason, type, message] = describe(error.code);
  const body = JSON.stringify({ __type: type, message });
  socket.write(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amzn-ErrorType: ${type}\r\n` +
      `x-amzn-RequestId: ${randomUUID()}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  if (inFlight !== undefined) {
    socket.destroy();
    return;
  }
  socket.end();
  socket.resume(); // keep reading (and discarding): unread data would turn the close into a reset
  const drop = setTimeout(() => socket.destroy(), graceMs);
  drop.unref();
  const done = (): void => {
    clearTimeout(drop);
    socket.destroy();
  };
  socket.once('end', done);
  socket.once('close', () => clearTimeout(drop));
}

function describe(code: string | undefined): [number, string, string, string] {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'Request Timeout', 'RequestTimeoutException', 'The request did not arrive in time.'];
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'Request Header Fields Too Large', 'RequestHeaderFieldsTooLargeException', 'The request headers are too large.'];
    default:
      return [400, 'Bad Request', 'SerializationException', `The request is not valid HTTP/1.1 (${code ?? 'malformed'}).`];
  }
}
