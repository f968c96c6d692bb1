import type { EngineContext, KeyAccess, KeyAuthorizer, ResolvedKey } from '../engine-context.js';
import { type Caller, accountRoot, currentCaller } from '../model/caller.js';
import { ArnScope } from '../model/identifiers.js';
import { policyDecision, refuseUnlessGranted } from '../rules/authorization-rules.js';
import type { KeyOperation } from '../rules/key-state-policy.js';
import { policyStatements } from '../rules/policy-rules.js';
import { collect } from './grants.js';

/**
 * The `enforcePolicies` option (docs/kms-behaviour.md §26): the engine side of the access decision. The caller is
 * the principal of the `as()` view the call came through, else the engine's own account root. Every key an
 * operation looks up (`keyFor`) is admitted only when its key policy or one of its grants allows the caller —
 * after the key is found, before its key state is checked. RetireGrant is decided by the grant (operations/grants.ts).
 */
export const POLICY_AUTHORIZER: KeyAuthorizer = {
  caller(arns: ArnScope): Caller {
    return currentCaller() ?? accountRoot(arns.partition, arns.accountId);
  },

  /**
   * A key ID or alias name names a key of the caller's account (as in KMS): when the caller is of another account
   * than this engine's, it is not here — NotFoundException with the ARN in the caller's account.
   */
  checkReference(arns: ArnScope, value: string): void {
    const caller = this.caller(arns);
    if (caller.accountId === arns.accountId || value.startsWith('arn:')) return;
    const ref = arns.parseKeyReference(value); // a malformed KeyId is refused as such
    const own = new ArnScope(arns.region, caller.accountId);
    throw ref.kind === 'alias' ? own.aliasNotFound(ref.aliasName) : own.keyNotFound({ keyId: ref.keyId });
  },

  async authorize(ctx: EngineContext, operation: KeyOperation, key: ResolvedKey, access: KeyAccess): Promise<void> {
    if (operation === 'RetireGrant') return; // decided by the grant
    const request = {
      caller: this.caller(ctx.arns),
      operation,
      permission: access.permission ?? operation,
      keyArn: key.arn,
      keyAccount: ctx.accountId,
      encryptionContext: access.encryptionContext,
    };
    // The grants are read only when the key policy alone does not allow the call.
    if (policyDecision(policyStatements(key.record.policy), request) === 'allowed') return;
    refuseUnlessGranted(await collect(ctx.store, key.record.keyId, undefined, Number.MAX_SAFE_INTEGER, () => true), request);
  },
};

