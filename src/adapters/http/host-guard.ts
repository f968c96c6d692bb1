import { isIPv4, isIPv6 } from 'node:net';
import { InvalidArgumentError } from '../../domain/errors.js';

/**
 * Who may reach the endpoint, by where it listens:
 *
 * - Bound to a loopback address (127.0.0.0/8, ::1, localhost), only loopback `Host` header values are served
 *   (`127.0.0.1[:port]`, `localhost[:port]`, `[::1][:port]`, or the bound address itself): a DNS-rebinding
 *   guard, since a web page whose name an attacker points at 127.0.0.1 sends its own name as the Host.
 * - Bound to any other address, every Host is served, but only with SigV4 verification (`credentials`) or an
 *   explicit `insecureNoAuth: true` (exposureCheck).
 */

/** The Host names (without a port) always accepted on a loopback endpoint. */
export const LOOPBACK_HOST_NAMES: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];

/** Whether `host` (a listen address or a host name) is a loopback one. */
export function isLoopbackHost(host: string): boolean {
  const name = unbracket(host.toLowerCase());
  if (name === 'localhost') return true;
  if (isIPv4(name)) return name.startsWith('127.');
  if (isIPv6(name)) return name === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(name) || /^::ffff:127\./.test(name);
  return false;
}

/**
 * The Host check of an endpoint bound to `boundHost` (the listening address): undefined when every Host is
 * served (a non-loopback address), else a predicate over the request's `Host` header.
 */
export function hostGuardFor(boundHost: string): ((host: string | undefined) => boolean) | undefined {
  if (!isLoopbackHost(boundHost)) return undefined;
  const accepted = new Set(['127.0.0.1', 'localhost', '::1', unbracket(boundHost.toLowerCase())]);
  return (host) => {
    const name = hostName(host);
    return name !== undefined && accepted.has(name);
  };
}

/** The message of a refused Host. */
export function refusedHostMessage(): string {
  return (
    `This endpoint listens on a loopback address and serves only the Host names ${LOOPBACK_HOST_NAMES.join(', ')} ` +
    '(with any port): connect to it as http://127.0.0.1:<port>.'
  );
}

/**
 * Throws InvalidArgumentError (naming `api`) for an endpoint on a non-loopback address without `credentials`
 * unless `insecureNoAuth` is true; returns whether the endpoint is exposed without authentication (so that its
 * starter warns).
 */
export function exposureCheck(api: string, host: string, hasCredentials: boolean, insecureNoAuth: unknown): boolean {
  if (insecureNoAuth !== undefined && typeof insecureNoAuth !== 'boolean') {
    throw new InvalidArgumentError(`${api}: insecureNoAuth must be a boolean`);
  }
  if (isLoopbackHost(host) || hasCredentials) return false;
  if (insecureNoAuth !== true) {
    throw new InvalidArgumentError(
      `${api}: host ${JSON.stringify(host)} is not a loopback address, so anyone who reaches it could use every key: ` +
        'give credentials (every request must then be SigV4-signed by them), or insecureNoAuth: true to serve it ' +
        'without authentication anyway',
    );
  }
  return true;
}

/** The host name of a `Host` header value (lower case, IPv6 without brackets), or undefined when malformed. */
function hostName(header: string | undefined): string | undefined {
  if (header === undefined || header === '') return undefined;
  const value = header.toLowerCase();
  let name: string;
  let rest: string;
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    if (end === -1) return undefined;
    name = value.slice(1, end);
    rest = value.slice(end + 1);
  } else {
    const colon = value.indexOf(':');
    name = colon === -1 ? value : value.slice(0, colon);
    rest = colon === -1 ? '' : value.slice(colon);
  }
  if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return undefined;
  return name;
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
