/** The JWKS page: the set `/.well-known/jwks.json` serves now, its ETag and max-age, and the kids and versions in it. */
import { JWKS_PATH, type ServedJwks } from '../adapters/http/jwks-endpoint.js';
import { type Html, html } from './html.js';
import { type PageContext, UI, copyButton, page } from './console-layout.js';


/** The `kid.version` pairs of a served set, by kid (versions ascending). */
export function jwksContents(jwks: ServedJwks): Map<string, number[]> {
  const parsed = JSON.parse(jwks.bytes.toString('utf8')) as { keys?: Array<{ kid?: unknown }> };
  const byKid = new Map<string, number[]>();
  for (const key of parsed.keys ?? []) {
    const match = typeof key.kid === 'string' ? /^(.+)\.(\d+)$/.exec(key.kid) : null;
    if (match === null) continue;
    const list = byKid.get(match[1]!) ?? [];
    list.push(Number(match[2]));
    byKid.set(match[1]!, list.sort((a, b) => a - b));
  }
  return byKid;
}

export function jwksPage(context: PageContext, jwks: ServedJwks): Html {
  const contents = jwksContents(jwks);
  const maxAge = /max-age=(\d+)/.exec(jwks.cacheControl)?.[1] ?? '?';
  const pretty = JSON.stringify(JSON.parse(jwks.bytes.toString('utf8')), null, 2);
  const body = html`<h1>JWKS</h1>
<p>What <a href="${JWKS_PATH}">${JWKS_PATH}</a> serves now: the key provider's keys under <span class="mono">alias/${context.aliasPrefix}/</span> in account ${context.defaultScope.accountId}, ${context.defaultScope.region}.</p>
<dl class="meta">
<dt>ETag</dt><dd class="mono" id="jwks-etag">${jwks.etag}</dd>
<dt>Cache-Control</dt><dd class="mono">${jwks.cacheControl}</dd>
<dt>Max age</dt><dd>${maxAge} seconds</dd>
<dt>Keys</dt><dd>${[...contents.values()].reduce((n, v) => n + v.length, 0)}</dd>
</dl>
<h2>Kids and versions</h2>
<table id="jwks-contents">
<thead><tr><th scope="col">Kid</th><th scope="col">Versions published</th></tr></thead>
<tbody>${
    contents.size === 0
      ? html`<tr><td colspan="2" class="muted">The set is empty.</td></tr>`
      : [...contents].map(
          ([kid, versions]) =>
            html`<tr><td class="mono"><a href="${UI}/kids/${kid}">${kid}</a></td><td>${versions.map((v) => html`<span class="badge published">v${v}</span>`)}</td></tr>`,
        )
  }</tbody>
</table>
<div class="copy-row"><h2 id="jwks-json-label">The set</h2>${copyButton('jwks-json', 'Copy JWKS')}</div>
<pre id="jwks-json" aria-labelledby="jwks-json-label">${pretty}</pre>`;
  return page(context, 'jwks', 'JWKS', `${UI}/jwks`, body);
}
