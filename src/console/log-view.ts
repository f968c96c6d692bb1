/** The Request log page: the ring buffer newest first, filters, and the live updates console.js adds. */
import { type LoggedRequest, STATUS_FILTERS, type StatusFilter } from './request-log.js';
import { type Html, html } from './html.js';
import { type PageContext, UI, page } from './console-layout.js';

const STATUS_LABELS: Readonly<Record<StatusFilter, string>> = {
  all: 'All',
  success: 'Success (2xx)',
  'client-error': 'Client error (4xx)',
  'server-error': 'Server error (5xx)',
};

export function logRow(e: LoggedRequest): Html {
  return html`<tr data-id="${e.id}" data-operation="${e.operation}" data-status="${e.status}">
<td><time datetime="${e.time}">${e.time.replace('T', ' ')}</time></td><td>${e.accountId}</td><td>${e.region}</td>
<td>${e.operation}</td><td class="mono">${e.key}</td><td>${e.status}</td><td>${e.errorName}</td><td>${e.durationMs.toFixed(1)}</td>
</tr>`;
}

export function logPage(
  context: PageContext,
  entries: readonly LoggedRequest[],
  filters: { operation: string; status: StatusFilter },
  capacity: number,
  operations: readonly string[],
): Html {
  const body = html`<h1>Request log</h1>
<p class="muted">Every KMS request the endpoint answered, every account and Region, newest first; the last ${capacity} are kept. Payloads (plaintext, ciphertext, messages, signatures, key material) are never recorded.</p>
<form class="toolbar" method="get" action="${UI}/log" id="log-filters">
<span class="field"><label for="log-operation">Operation</label><select id="log-operation" name="operation">
<option value="">All</option>${operations.map((o) => html`<option value="${o}"${o === filters.operation ? html` selected` : ''}>${o}</option>`)}
</select></span>
<span class="field"><label for="log-status">Status</label><select id="log-status" name="status">${STATUS_FILTERS.map(
    (s) => html`<option value="${s}"${s === filters.status ? html` selected` : ''}>${STATUS_LABELS[s]}</option>`,
  )}</select></span>
<button type="submit">Filter</button>
<span id="log-live" class="muted" role="status" aria-live="polite">Live updates need JavaScript: reload for new requests.</span>
</form>
<table id="request-log" data-events="${UI}/log/events" data-capacity="${capacity}">
<thead><tr><th scope="col">Time (UTC)</th><th scope="col">Account</th><th scope="col">Region</th><th scope="col">Operation</th><th scope="col">Key</th><th scope="col">Status</th><th scope="col">Error</th><th scope="col">ms</th></tr></thead>
<tbody>${entries.map(logRow)}</tbody>
</table>
<p id="log-empty" class="muted"${entries.length === 0 ? '' : html` hidden`}>No request yet.</p>`;
  return page(context, 'log', 'Request log', `${UI}/log`, body);
}
