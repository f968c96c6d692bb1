import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { serialization, tooLarge } from './wire-error.js';

/** The request body of the KMS wire endpoint: read within a byte limit, then parsed as JSON text. */

/** The client went away while its request was read (or its call ran): there is nobody to answer. */
export const CLIENT_GONE = Symbol('client gone');

/**
 * The whole body. Past `limit` bytes it rejects with a 413 WireError (connection closed) and stops reading: a
 * declared `Content-Length` is refused before any byte is read, a streamed body once it passes the limit.
 * Rejects with CLIENT_GONE when the client disconnects first. A body that arrives in one chunk (the usual case)
 * is that chunk, not a copy.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const length = req.headers['content-length'];
  if (length !== undefined && Number(length) > limit) {
    req.pause();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => new BodyReader(req, limit, resolve, reject).start());
}

/** One body being read: the listeners are its methods, bound once, so a request allocates no closures. */
class BodyReader {
  readonly #chunks: Buffer[] = [];
  #size = 0;
  readonly #onData = this.#data.bind(this);
  readonly #onEnd = this.#end.bind(this);
  readonly #onClose = this.#close.bind(this);

  constructor(
    readonly req: IncomingMessage,
    readonly limit: number,
    readonly resolve: (body: Buffer) => void,
    readonly reject: (reason: unknown) => void,
  ) {}

  start(): void {
    this.req.on('data', this.#onData);
    this.req.on('end', this.#onEnd);
    this.req.on('close', this.#onClose);
  }

  #stop(): void {
    this.req.off('data', this.#onData);
    this.req.off('end', this.#onEnd);
    this.req.off('close', this.#onClose);
  }

  #data(chunk: Buffer): void {
    this.#size += chunk.length;
    if (this.#size > this.limit) {
      this.#stop();
      this.req.pause();
      this.reject(tooLarge(this.limit));
    } else {
      this.#chunks.push(chunk);
    }
  }

  #end(): void {
    this.#stop();
    const chunks = this.#chunks;
    this.resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, this.#size));
  }

  #close(): void {
    this.#stop();
    this.reject(CLIENT_GONE);
  }
}

/**
 * The body as JSON: an empty or whitespace body is `{}`. Not UTF-8 or not JSON → 400 SerializationException.
 * Whether it is an object is the codec's check (decodeMembers).
 */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  if (!isUtf8(body)) throw serialization('The request body is not valid UTF-8.');
  // A leading byte order mark is dropped, as TextDecoder does.
  const text = body.toString('utf8', body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw serialization('The request body is not valid JSON.');
  }
}
