/** Raw HTTP helpers for the KMS wire endpoint tests: exact control over method, path, headers and body bytes. */
import { type Agent, type IncomingHttpHeaders, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { expect } from 'chai';
import { KmsException } from '../../../src/adapters/kms-exception.js';
import type { KmsPort } from '../../../src/ports/kms.port.js';

export const AMZ_JSON = 'application/x-amz-json-1.1';
/** The headers of a well-formed ListKeys request. */
export const LIST_KEYS_HEADERS = { 'Content-Type': AMZ_JSON, 'X-Amz-Target': 'TrentService.ListKeys' } as const;

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface RawRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string | number>;
  body?: string | Uint8Array;
  agent?: Agent | false;
}

export function send(url: string, req: RawRequest = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const r = request(
      new URL(req.path ?? '/', url),
      { method: req.method ?? 'POST', headers: req.headers ?? {}, agent: req.agent ?? false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    r.end(req.body);
  });
}

/** `POST /` with the KMS headers; `body` an object is sent as JSON, a string or bytes as they are. */
export function call(
  url: string,
  target: string | undefined,
  body: unknown = {},
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const payload = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
  return send(url, {
    headers: { 'Content-Type': AMZ_JSON, ...(target === undefined ? {} : { 'X-Amz-Target': target }), ...headers },
    body: payload,
  });
}

/** Asserts a well-formed KMS error answer and returns its message. */
export function expectError(res: RawResponse, status: number, type: string): string {
  expect(res.status, res.text).to.equal(status);
  expect(res.headers['content-type']).to.equal(AMZ_JSON);
  expect(res.headers['x-amzn-errortype']).to.equal(type);
  expect(res.headers['x-amzn-requestid']).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const body = JSON.parse(res.text) as Record<string, unknown>;
  expect(Object.keys(body).sort()).to.deep.equal(['__type', 'message']);
  expect(body['__type']).to.equal(type);
  expect(body['message']).to.be.a('string');
  return body['message'] as string;
}

export function expectOk(res: RawResponse): Record<string, unknown> {
  expect(res.status, res.text).to.equal(200);
  expect(res.headers['content-type']).to.equal(AMZ_JSON);
  expect(res.headers['x-amzn-requestid']).to.match(/^[0-9a-f-]{36}$/);
  expect(res.headers['x-amzn-errortype']).to.equal(undefined);
  return JSON.parse(res.text) as Record<string, unknown>;
}

/** A raw TCP connection to the endpoint, collecting everything the server sends until it closes. */
export interface RawConnection {
  socket: Socket;
  write(data: string | Uint8Array): Promise<void>;
  /** Everything received, once the server has closed the connection. */
  closed: Promise<string>;
}

export async function openRaw(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  const closed = new Promise<string>((resolve) => {
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
  });
  return {
    socket,
    write: (data) => new Promise((resolve, reject) => socket.write(data, (e) => (e ? reject(e) : resolve()))),
    closed,
  };
}

/** A KmsPort whose every method runs `impl` (by method name); for faults the simulator never produces. */
export type StubMethod = (method: string, input: unknown, options: { abortSignal?: AbortSignal } | undefined) => Promise<unknown>;

export function stubPort(impl: StubMethod): KmsPort {
  return new Proxy({ region: 'us-east-1' } as KmsPort, {
    get(target, property) {
      if (property === 'region') return target.region;
      if (typeof property !== 'string' || property === 'then') return undefined;
      return (input: unknown, options?: { abortSignal?: AbortSignal }) => impl(property, input, options);
    },
  });
}

export function serverFault(name: string, message: string): KmsException {
  return new KmsException(name, message, 'server');
}
