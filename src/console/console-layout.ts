/** The page shell every console page shares: head (CSP-safe assets only), navigation, the partition picker. */
import { type Html, type HtmlValue, html, query } from './html.js';

export interface Scope {
  readonly accountId: string;
  readonly region: string;
}

export type Section = 'keys' | 'kids' | 'jwks' | 'log';

export interface PageContext {
  readonly scope: Scope;
  /** The serve's own partition (the picker's default, and the JWKS's). */
  readonly defaultScope: Scope;
  /** Partitions the server has opened (offered by the picker). */
  readonly partitions: readonly Scope[];
  readonly csrfToken: string;
  readonly actionsEnabled: boolean;
  readonly aliasPrefix: string;
}

export const UI = '/ui';

/** `?account=…&region=…` unless they are the defaults, plus `extra`. */
export function scopeQuery(context: PageContext, extra: Record<string, string | number | undefined> = {}): string {
  const { scope, defaultScope } = context;
  return query({
    account: scope.accountId === defaultScope.accountId ? undefined : scope.accountId,
    region: scope.region === defaultScope.region ? undefined : scope.region,
    ...extra,
  });
}

const SECTIONS: ReadonlyArray<{ section: Section; label: string; path: string }> = [
  { section: 'keys', label: 'Keys', path: `${UI}/` },
  { section: 'kids', label: 'Provider kids', path: `${UI}/kids` },
  { section: 'jwks', label: 'JWKS', path: `${UI}/jwks` },
  { section: 'log', label: 'Request log', path: `${UI}/log` },
];

/** A whole page. `path` is where the partition picker submits to (the current page). */
export function page(context: PageContext, section: Section, title: string, path: string, body: HtmlValue): Html {
  const nav = SECTIONS.map(
    (s) => html`<li><a href="${s.path}${scopeQuery(context)}"${s.section === section ? html` aria-current="page"` : ''}>${s.label}</a></li>`,
  );
  const accounts = [...new Set(context.partitions.map((p) => p.accountId))].sort();
  const regions = [...new Set(context.partitions.map((p) => p.region))].sort();
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${context.csrfToken}">
<title>${title} — kms-keys console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${UI}/assets/console.css">
<script type="module" src="${UI}/assets/console.js"></script>
</head>
<body>
<a class="skip" href="#main">Skip to the content</a>
<header>
<p class="brand">kms-keys console</p>
<nav aria-label="Sections"><ul>${nav}</ul></nav>
<form class="scope" method="get" action="${path}" aria-label="Partition">
<label for="scope-account">Account</label>
<input id="scope-account" name="account" value="${context.scope.accountId}" list="scope-accounts" inputmode="numeric" pattern="[0-9]{12}" required>
<datalist id="scope-accounts">${accounts.map((a) => html`<option value="${a}"></option>`)}</datalist>
<label for="scope-region">Region</label>
<input id="scope-region" name="region" value="${context.scope.region}" list="scope-regions" required>
<datalist id="scope-regions">${regions.map((r) => html`<option value="${r}"></option>`)}</datalist>
<button type="submit" class="secondary">Show</button>
</form>
<p class="mode">${context.actionsEnabled ? 'Actions enabled' : 'Read-only'}</p>
</header>
<main id="main" tabindex="-1">
${body}
</main>
</body>
</html>
`;
}

/** A date as `<time>`: ISO 8601 to the second, UTC. */
export function time(date: Date | undefined): Html {
  if (date === undefined) return html`<span class="muted">—</span>`;
  const iso = date.toISOString();
  return html`<time datetime="${iso}">${iso.replace('T', ' ').replace(/\.\d{3}Z$/, 'Z')}</time>`;
}

/** A notice paragraph (`role=status` for results, `role=alert` for errors). */
export function notice(kind: 'info' | 'done' | 'error', text: HtmlValue): Html {
  return html`<p class="notice ${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${text}</p>`;
}

/** A button that copies the text of the element `targetId` (console.js does the copying). */
export function copyButton(targetId: string, label: string): Html {
  return html`<button type="button" class="secondary" data-copy="${targetId}">${label}</button>`;
}

/** A page of its own for an error: the status's reason and the message. */
export function errorPage(context: PageContext, section: Section, path: string, title: string, message: string): Html {
  return page(context, section, title, path, html`<h1>${title}</h1>${notice('error', message)}`);
}
