/**
 * The console's actions on a provider kid — Rotate, Activate, Retire, Reinstate, Schedule deletion, Cancel
 * deletion — each exactly the provider call of its `kms-keys` command (rotate, activate, retire, reinstate,
 * destroy, cancel-deletion), so the console can do nothing the CLI cannot. Off unless the server was started with
 * `--ui-actions` (`uiActions: true`): then every action is refused with 403.
 */
import { isKid } from '../domain/alias-names.js';
import type { KmsKeyProvider } from '../provider/kms-key-provider.js';

export const CONSOLE_ACTIONS = ['rotate', 'activate', 'retire', 'reinstate', 'schedule-deletion', 'cancel-deletion'] as const;
export type ConsoleAction = (typeof CONSOLE_ACTIONS)[number];

/** The button label of each action (the kid page, the confirmation page). */
export const ACTION_LABELS: Readonly<Record<ConsoleAction, string>> = {
  rotate: 'Rotate',
  activate: 'Activate',
  retire: 'Retire',
  reinstate: 'Reinstate',
  'schedule-deletion': 'Schedule deletion',
  'cancel-deletion': 'Cancel deletion',
};

/** Actions that need a version (rotate makes the next one; deletion and its cancellation without one: every version). */
const NEEDS_VERSION: ReadonlySet<ConsoleAction> = new Set(['activate', 'retire', 'reinstate']);
export const MIN_WINDOW_DAYS = 7;
export const MAX_WINDOW_DAYS = 30;

export const ACTIONS_OFF_MESSAGE =
  'The console is read-only: start the server with --ui-actions (kms-keys serve --ui-actions; startSimulatorServer({ uiActions: true })) to enable actions.';

/** An action the console will not perform: 403 (actions off), 400 (a wrong form) or 404 (unknown action). */
export class ActionRefusedError extends Error {
  override readonly name = 'ActionRefusedError';
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export interface ActionRequest {
  readonly action: ConsoleAction;
  readonly kid: string;
  /** Absent: rotate, or deletion / its cancellation of every version. */
  readonly version: number | undefined;
  /** schedule-deletion: the KMS waiting period, 7–30 days (default 30). */
  readonly windowDays: number;
  /** rotate: pre-publish the new version (`rotate --no-activate`) instead of making it the latest. */
  readonly prePublish: boolean;
}

export function isConsoleAction(name: string): name is ConsoleAction {
  return (CONSOLE_ACTIONS as readonly string[]).includes(name);
}

/** The action a form asks for, checked: ActionRefusedError (400/404) naming the valid choices otherwise. */
export function readActionForm(name: string, form: URLSearchParams): ActionRequest {
  if (!isConsoleAction(name)) {
    throw new ActionRefusedError(404, `Unknown action ${JSON.stringify(name.slice(0, 40))}: one of ${CONSOLE_ACTIONS.join(', ')}.`);
  }
  const kid = form.get('kid') ?? '';
  if (!isKid(kid)) throw new ActionRefusedError(400, 'kid must be 16 lowercase hex characters.');
  const versionText = form.get('version') ?? '';
  let version: number | undefined;
  if (versionText !== '') {
    version = /^[1-9]\d{0,15}$/.test(versionText) ? Number(versionText) : Number.NaN;
    if (!Number.isSafeInteger(version)) throw new ActionRefusedError(400, 'version must be a whole number from 1.');
  }
  if (version === undefined && NEEDS_VERSION.has(name)) throw new ActionRefusedError(400, `${ACTION_LABELS[name]} needs a version.`);
  if (name === 'rotate' && version !== undefined) throw new ActionRefusedError(400, 'Rotate takes no version: it makes the next one.');
  const windowText = form.get('windowDays') ?? '';
  const windowDays = windowText === '' ? MAX_WINDOW_DAYS : /^\d{1,2}$/.test(windowText) ? Number(windowText) : Number.NaN;
  if (!(windowDays >= MIN_WINDOW_DAYS && windowDays <= MAX_WINDOW_DAYS)) {
    throw new ActionRefusedError(400, `windowDays must be a whole number of days from ${MIN_WINDOW_DAYS} to ${MAX_WINDOW_DAYS}.`);
  }
  return { action: name, kid, version, windowDays, prePublish: form.get('prePublish') === 'on' };
}

/** Performs an action through the provider (when `enabled`) and resolves with what it did, in a sentence. */
export async function performAction(provider: KmsKeyProvider, request: ActionRequest, enabled: boolean): Promise<string> {
  if (!enabled) throw new ActionRefusedError(403, ACTIONS_OFF_MESSAGE);
  const { kid, version } = request;
  const which = version === undefined ? 'every version' : `v${version}`;
  switch (request.action) {
    case 'rotate': {
      const ref = await provider.rotateKey(kid, request.prePublish ? { activate: false } : undefined);
      return request.prePublish
        ? `Rotated ${kid}: v${ref.version} is pre-published (Activate it once verifiers have it).`
        : `Rotated ${kid}: v${ref.version} is the latest.`;
    }
    case 'activate': {
      const ref = await provider.activateVersion(kid, version!);
      return `Activated v${ref.version} of ${kid}: it is the latest (it signs).`;
    }
    case 'retire':
      await provider.retireVersion(kid, version!);
      return `Retired v${version} of ${kid} (disabled, out of the JWKS).`;
    case 'reinstate':
      await provider.reinstateVersion(kid, version!);
      return `Reinstated v${version} of ${kid} (enabled again).`;
    case 'schedule-deletion': {
      const pending = await provider.destroyKey(kid, version, { pendingWindowInDays: request.windowDays });
      return `Scheduled the deletion of ${which} of ${kid} in ${request.windowDays} days${pending ? '' : ' (some versions were not scheduled)'}.`;
    }
    case 'cancel-deletion': {
      const restored = await provider.cancelKeyDeletion(kid, version);
      return restored.length === 0
        ? `No version of ${kid} was pending deletion.`
        : `Cancelled the deletion of ${restored.map((v) => `v${v}`).join(', ')} of ${kid}.`;
    }
  }
}
