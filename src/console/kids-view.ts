/**
 * The Provider kids pages: every kid under the alias prefix with its versions as a timeline (created, activated,
 * retired, pending deletion, deleted), which is the latest and which the JWKS publishes; the actions of a kid and
 * their confirmation page.
 */
import { ACTION_LABELS, type ActionRequest, type ConsoleAction, MAX_WINDOW_DAYS, MIN_WINDOW_DAYS } from './console-actions.js';
import type { KidView, VersionView } from './console-data.js';
import { type Html, type HtmlValue, html } from './html.js';
import { type PageContext, UI, notice, page, scopeQuery, time } from './console-layout.js';

/** `kid.version` of every JWK the served JWKS has (the serve's own partition only); undefined elsewhere. */
export type Published = ReadonlySet<string> | undefined;

function stateOf(v: VersionView): string {
  return v.metadata === undefined ? 'Deleted' : v.metadata.KeyState;
}

function badges(kid: string, v: VersionView, published: Published): Html {
  return html`${v.latest ? html`<span class="badge latest">latest</span>` : ''}${
    published?.has(`${kid}.${v.version}`) === true ? html`<span class="badge published">published</span>` : ''
  }${v.prePublished && !v.latest ? html`<span class="badge pre">pre-published</span>` : ''}`;
}

export function kidsPage(context: PageContext, kids: readonly KidView[], published: Published): Html {
  const rows = kids.map((k) => {
    const latest = k.versions.find((v) => v.latest);
    const alg = latest?.metadata?.KeySpec ?? k.versions.find((v) => v.metadata)?.metadata?.KeySpec ?? '—';
    return html`<tr>
<td class="mono"><a href="${UI}/kids/${k.kid}${scopeQuery(context)}">${k.kid}</a></td>
<td>${alg}</td>
<td>${latest === undefined ? html`<span class="muted">none</span>` : `v${latest.version}`}</td>
<td>${k.versions.map((v) => html`<span class="state-${stateOf(v)}">v${v.version} ${stateOf(v)}</span> ${badges(k.kid, v, published)}<br>`)}</td>
</tr>`;
  });
  const body = html`<h1>Provider kids under <span class="mono">alias/${context.aliasPrefix}/</span></h1>
${published === undefined ? notice('info', 'The JWKS is served for the serve\'s own partition only: published versions are marked there.') : ''}
<table>
<thead><tr><th scope="col">Kid</th><th scope="col">Key spec</th><th scope="col">Latest</th><th scope="col">Versions</th></tr></thead>
<tbody>${rows.length === 0 ? html`<tr><td colspan="4" class="muted">No kids: create one with <code>kms-keys create</code>.</td></tr>` : rows}</tbody>
</table>`;
  return page(context, 'kids', 'Provider kids', `${UI}/kids`, body);
}

/** A GET form leading to the confirmation page of one action. */
function actionButton(context: PageContext, kid: string, action: ConsoleAction, version?: number): Html {
  const label = ACTION_LABELS[action];
  return html`<form class="inline" method="get" action="${UI}/kids/${kid}/confirm">
<input type="hidden" name="account" value="${context.scope.accountId}"><input type="hidden" name="region" value="${context.scope.region}">
<input type="hidden" name="action" value="${action}">${version === undefined ? '' : html`<input type="hidden" name="version" value="${version}">`}
<button type="submit" class="${action === 'schedule-deletion' ? 'danger' : action === 'rotate' ? '' : 'secondary'}"${
    version === undefined ? '' : html` aria-label="${label} v${version}"`
  }${context.actionsEnabled ? '' : html` disabled title="Read-only: start the server with --ui-actions"`}>${label}</button>
</form>`;
}

function versionActions(v: VersionView): ConsoleAction[] {
  const state = stateOf(v);
  if (state === 'Enabled') return v.latest ? ['schedule-deletion'] : ['activate', 'retire', 'schedule-deletion'];
  if (state === 'Disabled') return ['reinstate', 'schedule-deletion'];
  if (state === 'PendingDeletion') return ['cancel-deletion'];
  return [];
}

function step(label: string, reached: boolean, detail: HtmlValue, bad = false): Html {
  return html`<li class="${reached ? 'reached' : 'todo'}${bad ? ' bad' : ''}"><span class="step">${label}</span>${
    reached ? detail : html`<span class="muted">—</span>`
  }<span class="visually-hidden">${reached ? '' : ' (not reached)'}</span></li>`;
}

function timeline(v: VersionView): Html {
  const state = stateOf(v);
  const m = v.metadata;
  // A version below the latest that was not pre-published was the latest once (a rotation made it so).
  const activated = v.latest || (!v.prePublished && m !== undefined) || state === 'Deleted';
  return html`<ol class="timeline" aria-label="Timeline of v${v.version}">
${step('Created', m !== undefined || state === 'Deleted', m === undefined ? 'yes' : time(m.CreationDate))}
${step('Activated', activated, v.activatedAt !== undefined ? time(v.activatedAt) : v.latest ? 'yes' : 'yes (KMS keeps no date)')}
${step('Retired', state === 'Disabled', 'disabled')}
${step('Pending deletion', state === 'PendingDeletion', html`until ${time(m?.DeletionDate)}`, true)}
${step('Deleted', state === 'Deleted', 'by KMS', true)}
</ol>`;
}

export function kidPage(context: PageContext, kid: KidView, published: Published, flash: string | undefined): Html {
  const versions = [...kid.versions].reverse().map(
    (v) => html`<li class="version" id="v${v.version}">
<h3><span>v${v.version}</span> ${badges(kid.kid, v, published)}<span class="state-${stateOf(v)}">${stateOf(v)}</span></h3>
${timeline(v)}
${v.metadata === undefined ? '' : html`<p class="muted">KMS key <a class="mono" href="${UI}/keys/${v.metadata.KeyId}${scopeQuery(context)}">${v.metadata.KeyId}</a></p>`}
<div class="actions">${versionActions(v).map((a) => actionButton(context, kid.kid, a, v.version))}</div>
</li>`,
  );
  const body = html`<p><a href="${UI}/kids${scopeQuery(context)}">← Provider kids</a></p>
<h1>Kid <span class="mono">${kid.kid}</span></h1>
${flash === undefined ? '' : notice('done', flash)}
${context.actionsEnabled ? '' : notice('info', 'Read-only: start the server with --ui-actions to rotate, activate, retire or delete versions here.')}
<div class="actions">${actionButton(context, kid.kid, 'rotate')}</div>
<h2>Versions</h2>
<ol class="versions" aria-label="Versions, newest first">${versions}</ol>`;
  return page(context, 'kids', `Kid ${kid.kid}`, `${UI}/kids/${kid.kid}`, body);
}

const CONSEQUENCES: Readonly<Record<ConsoleAction, string>> = {
  rotate: 'Creates the next version with the same algorithm and makes it the latest: it signs from now on. Older versions stay Enabled.',
  activate: 'Moves the latest alias to this version: it signs from now on. The others stay Enabled and published.',
  retire: 'Disables this version (KMS DisableKey): it leaves the JWKS and KMS refuses to sign with it. Reinstate undoes it.',
  reinstate: 'Enables this retired version again (KMS EnableKey); the latest stays where it is.',
  'schedule-deletion': 'Schedules the deletion of this version (KMS ScheduleKeyDeletion): after the waiting period KMS deletes the key for ever. Cancel deletion undoes it until then.',
  'cancel-deletion': 'Cancels the scheduled deletion and enables the version again; the latest alias returns to the highest live version.',
};

export function confirmPage(context: PageContext, request: ActionRequest): Html {
  const label = ACTION_LABELS[request.action];
  const what = request.version === undefined ? `kid ${request.kid}` : `v${request.version} of kid ${request.kid}`;
  const body = html`<p><a href="${UI}/kids/${request.kid}${scopeQuery(context)}">← Kid ${request.kid}</a></p>
<h1>${label} ${what}?</h1>
<p>${CONSEQUENCES[request.action]}</p>
<p class="muted">Through the key provider, as <code>kms-keys ${cliOf(request)}</code> does, in account ${context.scope.accountId}, ${context.scope.region}.</p>
${context.actionsEnabled ? '' : notice('error', 'Read-only: the server was started without --ui-actions, so it refuses this action.')}
<form method="post" action="${UI}/actions/${request.action}" class="toolbar">
<input type="hidden" name="csrf" value="${context.csrfToken}">
<input type="hidden" name="account" value="${context.scope.accountId}"><input type="hidden" name="region" value="${context.scope.region}">
<input type="hidden" name="kid" value="${request.kid}">${request.version === undefined ? '' : html`<input type="hidden" name="version" value="${request.version}">`}
${request.action === 'schedule-deletion' ? html`<span class="field"><label for="window-days">Waiting period (days, ${MIN_WINDOW_DAYS}–${MAX_WINDOW_DAYS})</label><input id="window-days" name="windowDays" type="number" min="${MIN_WINDOW_DAYS}" max="${MAX_WINDOW_DAYS}" value="${request.windowDays}" required></span>` : ''}
${request.action === 'rotate' ? html`<span class="check"><input id="pre-publish" name="prePublish" type="checkbox"><label for="pre-publish">Pre-publish only (do not activate)</label></span>` : ''}
<button type="submit" class="${request.action === 'schedule-deletion' ? 'danger' : ''}"${context.actionsEnabled ? '' : html` disabled`}>Confirm: ${label}</button>
<a href="${UI}/kids/${request.kid}${scopeQuery(context)}">Cancel</a>
</form>`;
  return page(context, 'kids', `${label} ${what}`, `${UI}/kids/${request.kid}`, body);
}

function cliOf(r: ActionRequest): string {
  const version = r.version === undefined ? '' : ` --version ${r.version}`;
  switch (r.action) {
    case 'rotate':
      return `rotate ${r.kid}`;
    case 'schedule-deletion':
      return `destroy ${r.kid}${version} --window-days ${r.windowDays}`;
    default:
      return `${r.action} ${r.kid}${version}`;
  }
}
