import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { SigV4Credentials } from '../adapters/http/sigv4-verifier.js';

/**
 * The console's defences (docs/serve.md, "Console"):
 * - every answer carries SECURITY_HEADERS: a Content-Security-Policy that allows only the console's own script and
 *   stylesheet (no inline script or style, no other origin), no framing, no MIME sniffing, no referrer;
 * - every POST (an action) must carry the server's CSRF token (a random value made at start, embedded in each page)
 *   in the `X-CSRF-Token` header or the `csrf` form field, and, when the browser says where it comes from
 *   (`Origin`, `Sec-Fetch-Site`), come from the console's own origin (CsrfGuard);
 * - with credentials configured (the endpoint then requires SigV4 signatures), every console request must carry
 *   HTTP Basic credentials: an access key ID and its secret access key, compared in constant time (BasicAuth);
 * - the Host check is the endpoint's own (it runs before any route), and a console on a non-loopback address
 *   without credentials is refused (consoleExposure).
 */

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export const SECURITY_HEADERS: Readonly<OutgoingHttpHeaders> = Object.freeze({
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
});

export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = 'csrf';

function sameText(a: string, b: string): boolean {
  // Hashes of equal length: the comparison takes the same time whatever the lengths and contents.
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** The CSRF token of one server, and the check of each POST. */
export class CsrfGuard {
  readonly token: string;

  constructor(token: string = randomBytes(32).toString('base64url')) {
    this.token = token;
  }

  /**
   * Why a POST is refused (a message for a 403 answer), or undefined when it may proceed: `formToken` is the
   * `csrf` field of its form, if any.
   */
  refusal(req: IncomingMessage, formToken: string | undefined): string | undefined {
    const site = header(req, 'sec-fetch-site');
    if (site !== undefined && site !== 'same-origin') {
      return `The console refuses actions sent from another site (Sec-Fetch-Site: ${site}).`;
    }
    const origin = header(req, 'origin');
    // `Origin: null` is what a browser sends for a form of a no-referrer page: then Sec-Fetch-Site must vouch.
    if (origin === 'null' && site !== 'same-origin') {
      return 'The console refuses actions from an opaque origin (Origin: null without Sec-Fetch-Site: same-origin).';
    }
    if (origin !== undefined && origin !== 'null') {
      const host = header(req, 'host');
      if (host === undefined || origin.toLowerCase() !== `http://${host.toLowerCase()}`) {
        return `The console refuses actions sent from another origin (${origin}).`;
      }
    }
    const given = header(req, CSRF_HEADER) ?? formToken;
    if (given === undefined || !sameText(given, this.token)) {
      return 'The action lacks the console\'s CSRF token (the X-CSRF-Token header or the csrf form field of its page): reload the page and try again.';
    }
    return undefined;
  }
}

/** HTTP Basic authentication of console requests against the endpoint's SigV4 credentials. */
export class BasicAuth {
  readonly #credentials: readonly SigV4Credentials[];

  constructor(credentials: readonly SigV4Credentials[]) {
    this.#credentials = credentials;
  }

  /** Whether the request's `Authorization: Basic …` names one of the credentials (access key ID : secret key). */
  allows(req: IncomingMessage): boolean {
    const value = header(req, 'authorization');
    const match = value === undefined ? null : /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(value);
    if (match === null) return false;
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) return false;
    const id = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    let allowed = false;
    for (const c of this.#credentials) {
      // Every entry compared, both members (no `&&` short cut): no early exit tells which part was wrong.
      const idMatches = sameText(id, c.accessKeyId);
      const secretMatches = sameText(secret, c.secretAccessKey);
      allowed = (idMatches && secretMatches) || allowed;
    }
    return allowed;
  }
}

export const BASIC_CHALLENGE = 'Basic realm="kms-keys console", charset="UTF-8"';

/**
 * Whether the console may be served: on a loopback address always (with credentials asked when configured);
 * elsewhere only when credentials are configured (then always asked). Returns the refusal message, or undefined.
 */
export function consoleExposure(loopback: boolean, hasCredentials: boolean): string | undefined {
  if (loopback || hasCredentials) return undefined;
  return (
    'The console is served only on a loopback address (such as 127.0.0.1) unless the endpoint has credentials ' +
    'configured, which the console then asks for: this server listens on another address without them.'
  );
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}
