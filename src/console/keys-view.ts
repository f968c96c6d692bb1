/** The Keys pages: the table of a partition's KMS keys, and one key's page. */
import type { KeyDetails, KeyTable } from './console-data.js';
import { type Html, html } from './html.js';
import { type PageContext, UI, copyButton, notice, page, scopeQuery, time } from './console-layout.js';

export function keysPage(context: PageContext, table: KeyTable, filter: string): Html {
  const { scope } = context;
  const rows = table.rows.map(
    ({ metadata: m, aliases }) => html`<tr>
<td class="mono"><a href="${UI}/keys/${encodeURIComponent(m.KeyId)}${scopeQuery(context)}">${m.KeyId}</a></td>
<td>${aliases.length === 0 ? html`<span class="muted">none</span>` : aliases.map((a, i) => html`${i > 0 ? html`<br>` : ''}<span class="mono">${a}</span>`)}</td>
<td>${m.KeySpec}</td>
<td>${m.KeyUsage}</td>
<td class="state-${m.KeyState}">${m.KeyState}</td>
<td>${time(m.CreationDate)}</td>
<td>${time(m.DeletionDate)}</td>
</tr>`,
  );
  const body = html`<h1>Keys of ${scope.accountId} in ${scope.region}</h1>
<form class="toolbar" method="get" action="${UI}/" role="search">
<input type="hidden" name="account" value="${scope.accountId}"><input type="hidden" name="region" value="${scope.region}">
<span class="field"><label for="key-filter">Filter by alias or key id</label><input id="key-filter" name="filter" value="${filter}" data-filter-table="keys-table" autocomplete="off"></span>
<button type="submit">Filter</button>
</form>
${table.truncated ? notice('info', 'Only the first keys are listed: filter to find others.') : ''}
<table id="keys-table">
<caption class="muted">${table.rows.length} key${table.rows.length === 1 ? '' : 's'}${filter === '' ? '' : html` matching “${filter}”`}</caption>
<thead><tr><th scope="col">Key id</th><th scope="col">Aliases</th><th scope="col">Spec</th><th scope="col">Usage</th><th scope="col">State</th><th scope="col">Created</th><th scope="col">Pending deletion until</th></tr></thead>
<tbody>${rows.length === 0 ? html`<tr><td colspan="7" class="muted">No keys.</td></tr>` : rows}</tbody>
</table>`;
  return page(context, 'keys', 'Keys', `${UI}/`, body);
}

export function keyPage(context: PageContext, details: KeyDetails): Html {
  const m = details.metadata;
  const meta: Array<[string, Html | string | undefined]> = [
    ['Key id', html`<span class="mono">${m.KeyId}</span>`],
    ['ARN', html`<span class="mono">${m.Arn}</span>`],
    ['Aliases', details.aliases.length === 0 ? 'none' : html`${details.aliases.map((a, i) => html`${i > 0 ? ', ' : ''}<span class="mono">${a}</span>`)}`],
    ['Description', m.Description === '' ? '—' : m.Description],
    ['Key spec', m.KeySpec],
    ['Key usage', m.KeyUsage],
    ['State', html`<span class="state-${m.KeyState}">${m.KeyState}</span>`],
    ['Created', time(m.CreationDate)],
    ['Pending deletion until', m.DeletionDate === undefined ? undefined : time(m.DeletionDate)],
    ['Origin', m.Origin],
    ['Key manager', m.KeyManager],
    ['Multi-Region', m.MultiRegion ? 'yes' : 'no'],
    ['Signing algorithms', m.SigningAlgorithms?.join(', ')],
    ['Encryption algorithms', m.EncryptionAlgorithms?.join(', ')],
    ['MAC algorithms', m.MacAlgorithms?.join(', ')],
    ['Key agreement algorithms', m.KeyAgreementAlgorithms?.join(', ')],
    ['Current key material', m.CurrentKeyMaterialId === undefined ? undefined : html`<span class="mono">${m.CurrentKeyMaterialId}</span>`],
  ];
  const tags =
    'unavailable' in details.tags
      ? notice('error', details.tags.unavailable)
      : details.tags.value.length === 0
        ? html`<p class="muted">No tags.</p>`
        : html`<table><thead><tr><th scope="col">Tag</th><th scope="col">Value</th></tr></thead><tbody>${details.tags.value.map(
            (t) => html`<tr><td class="mono">${t.TagKey}</td><td class="mono">${t.TagValue}</td></tr>`,
          )}</tbody></table>`;
  const body = html`<p><a href="${UI}/${scopeQuery(context)}">← Keys</a></p>
<h1>Key <span class="mono">${m.KeyId}</span></h1>
<dl class="meta">${meta.filter(([, v]) => v !== undefined).map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>
<h2>Tags</h2>
${tags}
${publicKeySection(details)}
${rotationSection(details)}`;
  return page(context, 'keys', `Key ${m.KeyId}`, `${UI}/`, body);
}

function publicKeySection(details: KeyDetails): Html {
  if (details.publicKey === undefined) return html``;
  if ('unavailable' in details.publicKey) return html`<h2>Public key</h2>${notice('error', details.publicKey.unavailable)}`;
  const { pem, jwk } = details.publicKey.value;
  return html`<h2>Public key</h2>
<div class="copy-row"><h3 id="pem-label">PEM (SubjectPublicKeyInfo)</h3>${copyButton('public-pem', 'Copy PEM')}</div>
<pre id="public-pem" aria-labelledby="pem-label">${pem}</pre>
<div class="copy-row"><h3 id="jwk-label">JWK</h3>${copyButton('public-jwk', 'Copy JWK')}</div>
<pre id="public-jwk" aria-labelledby="jwk-label">${JSON.stringify(jwk, null, 2)}</pre>`;
}

function rotationSection(details: KeyDetails): Html {
  if (details.rotation === undefined) return html``;
  if ('unavailable' in details.rotation) return html`<h2>Rotation</h2>${notice('error', details.rotation.unavailable)}`;
  const { status, rotations } = details.rotation.value;
  const history =
    rotations.length === 0
      ? html`<p class="muted">No key material: the key has not been rotated.</p>`
      : html`<table><thead><tr><th scope="col">Key material</th><th scope="col">State</th><th scope="col">Rotated</th><th scope="col">Type</th></tr></thead><tbody>${rotations.map(
          (r) => html`<tr><td class="mono">${r.KeyMaterialId ?? '—'}</td><td>${r.KeyMaterialState ?? '—'}</td><td>${time(r.RotationDate)}</td><td>${r.RotationType ?? 'original material'}</td></tr>`,
        )}</tbody></table>`;
  return html`<h2>Rotation</h2>
<dl class="meta">
<dt>Automatic rotation</dt><dd>${status.KeyRotationEnabled ? `enabled, every ${status.RotationPeriodInDays ?? '?'} days` : 'disabled'}</dd>
${status.NextRotationDate === undefined ? '' : html`<dt>Next rotation</dt><dd>${time(status.NextRotationDate)}</dd>`}
${status.OnDemandRotationStartDate === undefined ? '' : html`<dt>On-demand rotation started</dt><dd>${time(status.OnDemandRotationStartDate)}</dd>`}
</dl>
<h3>History</h3>
${history}`;
}
