/** How the console answers: pages, assets, redirects and refusals, each with the security headers; form bodies read. */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { CLIENT_GONE, readBody } from '../adapters/http/request-body.js';
import type { Html } from './html.js';
import { SECURITY_HEADERS } from './console-security.js';

export const MAX_FORM_BYTES = 16 * 1024;

function send(req: IncomingMessage, res: ServerResponse, status: number, type: string, body: Buffer, headers: OutgoingHttpHeaders = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { ...SECURITY_HEADERS, ...headers, 'Content-Type': type, 'Content-Length': body.length });
  res.end(req.method === 'HEAD' ? undefined : body);
}

export function sendHtml(req: IncomingMessage, res: ServerResponse, status: number, page: Html): void {
  send(req, res, status, 'text/html; charset=utf-8', Buffer.from(page.toString(), 'utf8'));
}

export function sendText(req: IncomingMessage, res: ServerResponse, status: number, text: string, headers: OutgoingHttpHeaders = {}): void {
  send(req, res, status, 'text/plain; charset=utf-8', Buffer.from(`${text}\n`, 'utf8'), headers);
}

export function sendAsset(req: IncomingMessage, res: ServerResponse, type: string, body: Buffer): void {
  // Assets are the same for the life of the process; pages are never cached (no-store in SECURITY_HEADERS).
  send(req, res, 200, type, body, { 'Cache-Control': 'private, max-age=300' });
}

/** 303 See Other to a path of this console (after an action: the browser then GETs the result page). */
export function redirect(res: ServerResponse, location: string, status = 303): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { ...SECURITY_HEADERS, Location: location, 'Content-Length': 0 });
  res.end();
}

/** The urlencoded form of a POST (at most MAX_FORM_BYTES), or undefined when it is too large or not a form. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  let body: Buffer;
  try {
    body = await readBody(req, MAX_FORM_BYTES);
  } catch (error) {
    if (error === CLIENT_GONE) throw error;
    req.resume(); // too large: drain it, the answer is a 400 page
    return undefined;
  }
  if (body.length === 0) return new URLSearchParams();
  if (type !== 'application/x-www-form-urlencoded') return undefined;
  return new URLSearchParams(body.toString('utf8'));
}
