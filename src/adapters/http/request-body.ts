import type { IncomingMessage } from 'node:http';
import { serialization, tooLarge } from './wire-error.js';

/** The request body of the KMS wire endpoint: read within a byte limit, then parsed as JSON text. */

/** The client went away while its request was read (or its call ran): there is nobody to answer. */
export const CLIENT_GONE = Symbol('client gone');

/**
 * The whole body. Past `limit` bytes it rejects with a 413 WireError (connection closed) and stops reading: a
 * declared `Content-Length` is refused before any byte is read, a streamed body once it passes the limit.
 * Rejects with CLIENT_GONE when the client disconnects first.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
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

/**
 * The body as JSON: an empty or whitespace body is `{}`. Not UTF-8 or not JSON → 400 SerializationException.
 * Whether it is an object is the codec's check (decodeMembers).
 */
export function parseJsonBody(body: Buffer): unknown {
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
