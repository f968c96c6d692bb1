/**
 * The console: a web view of the simulator served by `kms-keys serve` at `/ui/` (docs/serve.md, "Console"). A
 * composition of its own — it reads each partition through its KmsPort (console-data.ts), acts on provider kids
 * through the key provider exactly as the CLI does (console-actions.ts), shows the served JWKS and the request log
 * the endpoint reports (request-log.ts) — handed to the HTTP adapter as one prefix route. Pages are server-rendered
 * HTML (html.ts); one script adds copy buttons, filters and the live log.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServedJwks } from '../adapters/http/jwks-endpoint.js';
import { REGION_NAME } from '../adapters/http/kms-caller.js';
import { KMS_OPERATIONS } from '../adapters/http/kms-wire-codec.js';
import { CLIENT_GONE } from '../adapters/http/request-body.js';
import type { PrefixRoute } from '../adapters/http/server-options.js';
import type { ServedKmsRequest } from '../adapters/http/served-request.js';
import type { SigV4Credentials } from '../adapters/http/sigv4-verifier.js';
import { isKid } from '../domain/alias-names.js';
import { KeyProviderError } from '../domain/errors.js';
import type { KmsPort } from '../ports/kms.port.js';
import { KmsKeyProvider } from '../provider/kms-key-provider.js';
import { ACTIONS_OFF_MESSAGE, ActionRefusedError, performAction, readActionForm } from './console-actions.js';
import { consoleAsset } from './console-assets.js';
import { keyDetails, keyTable, kidViews } from './console-data.js';
import { readForm, redirect, sendAsset, sendHtml, sendText } from './console-http.js';
import { type PageContext, type Scope, type Section, UI, errorPage, scopeQuery } from './console-layout.js';
import type { Html } from './html.js';
import { BASIC_CHALLENGE, BasicAuth, CSRF_FIELD, CsrfGuard, SECURITY_HEADERS, consoleExposure } from './console-security.js';
import { jwksContents, jwksPage } from './jwks-view.js';
import { keyPage, keysPage } from './keys-view.js';
import { confirmPage, kidPage, kidsPage } from './kids-view.js';
import { logPage } from './log-view.js';
import { RequestLog, STATUS_FILTERS, type StatusFilter, matchesLogFilter } from './request-log.js';

export interface ConsoleOptions {
  /** The key provider's alias prefix (the Provider kids pages and the actions). */
  readonly aliasPrefix: string;
  /** The serve's own partition: the picker's default and the JWKS's. */
  readonly defaultScope: Scope;
  /** The KmsPort of a partition, opened if needed. */
  readonly kms: (accountId: string, region: string) => Promise<KmsPort>;
  /** The partitions opened so far (offered by the picker). */
  readonly partitions: () => readonly Scope[];
  /** The JWKS as its endpoint serves it now. */
  readonly jwks: () => Promise<ServedJwks>;
  /** Whether actions are allowed (`--ui-actions`); default false: read-only. */
  readonly actions: boolean;
  /** The endpoint's credentials: when given, the console asks for them (HTTP Basic). */
  readonly credentials: readonly SigV4Credentials[] | undefined;
  /** Whether the server listens on a loopback address (else the console needs credentials). */
  readonly loopback: boolean;
  /** The request log's ring buffer size. */
  readonly logSize: number;
  readonly report: (error: unknown, context: string) => void;
}

export interface ConsoleServer {
  /** The route of `/ui` and everything under it. */
  readonly route: PrefixRoute;
  readonly log: RequestLog;
  /** Records a KMS request the endpoint answered, with the partition it reached. */
  record(request: ServedKmsRequest, partition: Scope): void;
  /** Ends the live log streams (before the server closes: they would hold their connections open). */
  close(): void;
}

const ACCOUNT_ID = /^\d{12}$/;
const MAX_STREAMS = 32;
const MAX_FLASHES = 64;
const HEARTBEAT_MS = 15_000;
const OPERATION_NAMES = [...KMS_OPERATIONS.keys()].sort();

class PageError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
  ) {
    super(message);
  }
}

export function createConsole(options: ConsoleOptions): ConsoleServer {
  const log = new RequestLog(options.logSize);
  const csrf = new CsrfGuard();
  const auth = options.credentials === undefined ? undefined : new BasicAuth(options.credentials);
  const exposure = consoleExposure(options.loopback, options.credentials !== undefined);
  const streams = new Set<() => void>();
  const flashes = new Map<string, string>();
  const providers = new Map<string, Promise<KmsKeyProvider>>();
  let flashCounter = 0;

  const contextOf = (scope: Scope): PageContext => ({
    scope,
    defaultScope: options.defaultScope,
    partitions: options.partitions(),
    csrfToken: csrf.token,
    actionsEnabled: options.actions,
    aliasPrefix: options.aliasPrefix,
  });

  const scopeOf = (params: URLSearchParams): Scope => {
    const accountId = params.get('account') || options.defaultScope.accountId;
    const region = params.get('region') || options.defaultScope.region;
    if (!ACCOUNT_ID.test(accountId)) throw new PageError(400, 'Bad account', 'The account must be 12 digits, such as 111122223333.');
    if (!REGION_NAME.test(region)) throw new PageError(400, 'Bad Region', "The Region must look like 'us-east-1'.");
    return { accountId, region };
  };

  const providerOf = (scope: Scope): Promise<KmsKeyProvider> => {
    const key = `${scope.accountId}/${scope.region}`;
    let provider = providers.get(key);
    if (provider === undefined) {
      // As `kms-keys` makes it, over the partition the endpoint serves; key states never cached (ttlMs 0).
      provider = options.kms(scope.accountId, scope.region).then((kms) => new KmsKeyProvider({ kms, aliasPrefix: options.aliasPrefix, cache: { ttlMs: 0 } }));
      providers.set(key, provider);
      provider.catch(() => providers.delete(key));
    }
    return provider;
  };

  const published = async (scope: Scope): Promise<ReadonlySet<string> | undefined> => {
    if (scope.accountId !== options.defaultScope.accountId || scope.region !== options.defaultScope.region) return undefined;
    try {
      const set = new Set<string>();
      for (const [kid, versions] of jwksContents(await options.jwks())) for (const v of versions) set.add(`${kid}.${v}`);
      return set;
    } catch {
      return undefined;
    }
  };

  const pageFor = async (sub: string, url: URL, context: PageContext): Promise<Html> => {
    const { scope } = context;
    if (sub === '/' || sub === '/keys') {
      const filter = (url.searchParams.get('filter') ?? '').slice(0, 256);
      return keysPage(context, await keyTable(await options.kms(scope.accountId, scope.region), filter), filter);
    }
    const key = /^\/keys\/([^/]+)$/.exec(sub);
    if (key !== null) {
      const keyId = decodeURIComponent(key[1]!);
      try {
        return keyPage(context, await keyDetails(await options.kms(scope.accountId, scope.region), keyId));
      } catch (error) {
        const e = error as { name?: string; message?: string };
        if (e.name === 'NotFoundException' || e.name === 'ValidationException') throw new PageError(404, 'No such key', `${e.name}: ${e.message ?? ''}`);
        throw error;
      }
    }
    if (sub === '/kids') {
      return kidsPage(context, await kidViews(await options.kms(scope.accountId, scope.region), options.aliasPrefix), await published(scope));
    }
    const kid = /^\/kids\/([0-9a-f]{16})(\/confirm)?$/.exec(sub);
    if (kid !== null && isKid(kid[1])) {
      if (kid[2] !== undefined) {
        const form = new URLSearchParams(url.searchParams);
        form.set('kid', kid[1]!);
        return confirmPage(context, actionOrPageError(url.searchParams.get('action') ?? '', form));
      }
      const [view] = await kidViews(await options.kms(scope.accountId, scope.region), options.aliasPrefix, kid[1]);
      if (view === undefined) throw new PageError(404, 'No such kid', `No kid ${kid[1]} under alias/${options.aliasPrefix}/ in ${scope.accountId}, ${scope.region}.`);
      return kidPage(context, view, await published(scope), flashes.get(url.searchParams.get('done') ?? ''));
    }
    if (sub === '/jwks') return jwksPage(context, await options.jwks());
    if (sub === '/log') {
      const operation = (url.searchParams.get('operation') ?? '').slice(0, 64);
      const statusText = url.searchParams.get('status') ?? 'all';
      const status: StatusFilter = (STATUS_FILTERS as readonly string[]).includes(statusText) ? (statusText as StatusFilter) : 'all';
      const entries = log.entries().filter((e) => matchesLogFilter(e, operation, status));
      return logPage(context, entries, { operation, status }, log.capacity, OPERATION_NAMES);
    }
    throw new PageError(404, 'Not found', `Nothing is served at ${UI}${sub.slice(0, 100)}.`);
  };

  const serveEvents = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    if (streams.size >= MAX_STREAMS) {
      sendText(req, res, 503, 'Too many live log streams are open: close a tab and reload.', { 'Retry-After': '5' });
      return;
    }
    const lastEventId = req.headers['last-event-id'];
    const after = Number((typeof lastEventId === 'string' ? lastEventId : undefined) ?? url.searchParams.get('after') ?? 0);
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', 'X-Accel-Buffering': 'no' });
    const write = (entry: object & { id: number }): void => void res.write(`id: ${entry.id}\ndata: ${JSON.stringify(entry)}\n\n`);
    res.write('retry: 2000\n\n');
    for (const entry of log.entries(Number.isSafeInteger(after) ? after : 0).reverse()) write(entry);
    const unsubscribe = log.subscribe(write);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    const end = (): void => {
      unsubscribe();
      clearInterval(heartbeat);
      streams.delete(end);
      if (!res.writableEnded) res.end();
    };
    streams.add(end);
    res.on('close', end); // the client went away (a request's own 'close' fires once its empty body is read)
    res.on('error', end);
  };

  const serveAction = async (req: IncomingMessage, res: ServerResponse, name: string): Promise<void> => {
    const form = await readForm(req);
    if (form === undefined) {
      throw new PageError(400, 'Bad request', 'An action is a form (application/x-www-form-urlencoded) of at most 16 KiB.');
    }
    const refusal = csrf.refusal(req, form.get(CSRF_FIELD) ?? undefined);
    if (refusal !== undefined) throw new PageError(403, 'Refused', refusal);
    const request = actionOrPageError(name, form);
    const scope = scopeOf(form);
    if (!options.actions) throw new PageError(403, 'Refused', ACTIONS_OFF_MESSAGE);
    let done: string;
    try {
      done = await performAction(await providerOf(scope), request, options.actions);
    } catch (error) {
      if (error instanceof ActionRefusedError) throw new PageError(error.status, 'Refused', error.message);
      if (error instanceof KeyProviderError) {
        const status = error.code === 'ERR_KEY_NOT_FOUND' ? 404 : error.code === 'ERR_INVALID_ARGUMENT' ? 400 : 409;
        throw new PageError(status, 'The action failed', error.message);
      }
      throw error;
    }
    const id = String(++flashCounter);
    flashes.set(id, done);
    if (flashes.size > MAX_FLASHES) flashes.delete(flashes.keys().next().value!);
    redirect(res, `${UI}/kids/${request.kid}${scopeQuery(contextOf(scope), { done: id })}`);
  };

  const route: PrefixRoute = async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://console.invalid');
    if (exposure !== undefined) {
      req.resume();
      sendText(req, res, 403, exposure);
      return;
    }
    if (auth !== undefined && !auth.allows(req)) {
      req.resume();
      sendText(req, res, 401, 'The console needs the credentials of this endpoint: access key ID as the user name, secret access key as the password.', {
        'WWW-Authenticate': BASIC_CHALLENGE,
      });
      return;
    }
    if (url.pathname === UI) return redirect(res, `${UI}/${url.search}`, 308);
    const sub = url.pathname.slice(UI.length);
    let section: Section = sectionOf(sub);
    let context = contextOf(options.defaultScope);
    try {
      if (req.method === 'POST') {
        const action = /^\/actions\/([a-z-]{1,40})$/.exec(sub);
        if (action === null) throw new PageError(405, 'Method not allowed', 'Only actions (/ui/actions/<action>) take POST.');
        section = 'kids';
        return await serveAction(req, res, action[1]!);
      }
      req.resume();
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendText(req, res, 405, 'The console serves GET and HEAD (and POST for actions).', { Allow: 'GET, HEAD, POST' });
        return;
      }
      if (sub.startsWith('/assets/')) {
        const asset = await consoleAsset(sub.slice('/assets/'.length));
        if (asset === undefined) sendText(req, res, 404, 'No such asset.');
        else sendAsset(req, res, asset.type, asset.body);
        return;
      }
      if (sub === '/log/events') return serveEvents(req, res, url);
      context = contextOf(scopeOf(url.searchParams));
      sendHtml(req, res, 200, await pageFor(sub, url, context));
    } catch (error) {
      if (error === CLIENT_GONE) return; // the client went away while its form was read: nobody to answer
      if (!(error instanceof PageError)) {
        options.report(error, `console ${req.method ?? 'GET'} ${url.pathname}`);
        const e = error as { name?: string; message?: string };
        sendHtml(req, res, 500, errorPage(context, section, url.pathname, 'Something failed', `${e.name ?? 'Error'}: ${e.message ?? String(error)}`));
        return;
      }
      sendHtml(req, res, error.status, errorPage(context, section, url.pathname, error.title, error.message));
    }
  };

  return {
    route,
    log,
    record: (request, partition) => void log.record(request, partition),
    close: () => {
      for (const end of [...streams]) end();
    },
  };
}

function actionOrPageError(name: string, form: URLSearchParams): ReturnType<typeof readActionForm> {
  try {
    return readActionForm(name, form);
  } catch (error) {
    if (error instanceof ActionRefusedError) throw new PageError(error.status, 'Refused', error.message);
    throw error;
  }
}

function sectionOf(sub: string): Section {
  if (sub.startsWith('/kids') || sub.startsWith('/actions')) return 'kids';
  if (sub.startsWith('/jwks')) return 'jwks';
  if (sub.startsWith('/log')) return 'log';
  return 'keys';
}
