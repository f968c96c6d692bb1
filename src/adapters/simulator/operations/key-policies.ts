import type {
  GetKeyPolicyRequest,
  GetKeyPolicyResponse,
  KmsCallOptions,
  ListKeyPoliciesRequest,
  ListKeyPoliciesResponse,
  PutKeyPolicyRequest,
  UpdateKeyDescriptionRequest,
} from '../../../ports/kms.port.js';
import type { EngineContext } from '../engine-context.js';
import { cutPage, pageTail } from '../model/pagination.js';
import { DEFAULT_POLICY_NAME, checkPolicy, checkPolicyName } from '../rules/policy-rules.js';
import { readRequest } from '../../kms-model/request-reader.js';

/**
 * Key policies and the description (docs/kms-behaviour.md §3.1, §3.3): GetKeyPolicy, ListKeyPolicies,
 * PutKeyPolicy, UpdateKeyDescription. Every key has exactly one policy, named `default`.
 */

/** The page size of ListKeyPolicies without `Limit` (the model's documentation). */
const LIST_KEY_POLICIES_PAGE = 100;

export async function getKeyPolicy(
  ctx: EngineContext,
  input: GetKeyPolicyRequest,
  options: KmsCallOptions | undefined,
): Promise<GetKeyPolicyResponse> {
  const { KeyId: keyId, PolicyName: policyName } = readRequest('getKeyPolicy', input);

  await ctx.beforeRead(options);
  const { record } = await ctx.keyFor('GetKeyPolicy', keyId);
  checkPolicyName(policyName);
  return { Policy: record.policy, PolicyName: DEFAULT_POLICY_NAME };
}

/** `["default"]`, paginated like every listing: a Marker is only one this listing gave out. */
export async function listKeyPolicies(
  ctx: EngineContext,
  input: ListKeyPoliciesRequest,
  options: KmsCallOptions | undefined,
): Promise<ListKeyPoliciesResponse> {
  const { KeyId: keyId, Limit: limit = LIST_KEY_POLICIES_PAGE, Marker: marker } = readRequest('listKeyPolicies', input);

  await ctx.beforeRead(options);
  const { record } = await ctx.keyFor('ListKeyPolicies', keyId);
  const scope = `ListKeyPolicies:${record.keyId}`;
  const after = marker === undefined ? undefined : ctx.markers.decode(scope, marker);
  const names = [DEFAULT_POLICY_NAME].filter((name) => after === undefined || name > after);
  const page = cutPage(names.slice(0, limit + 1), limit, (last) => ctx.markers.encode(scope, last));
  return { PolicyNames: page.items, ...pageTail(page) };
}

/**
 * Replaces the key's policy, in every key state. After the key: the policy name, then the policy's quota, grammar
 * and lockout safety check against the account root (§3.1).
 */
export async function putKeyPolicy(
  ctx: EngineContext,
  input: PutKeyPolicyRequest,
  options: KmsCallOptions | undefined,
): Promise<void> {
  const {
    KeyId: keyId,
    PolicyName: policyName,
    Policy: policy,
    BypassPolicyLockoutSafetyCheck: bypass,
  } = readRequest('putKeyPolicy', input);

  await ctx.write(options, async (tx) => {
    const { record, arn } = await tx.keyFor('PutKeyPolicy', keyId);
    checkPolicyName(policyName);
    checkPolicy(policy, { partition: tx.arns.partition, accountId: tx.accountId, keyArn: arn }, bypass);
    if (record.policy !== policy) await tx.store.updateKey({ ...record, policy });
  });
}

/** Sets the Description (0–8192 characters; `""` clears it); refused while the key is pending deletion. */
export async function updateKeyDescription(
  ctx: EngineContext,
  input: UpdateKeyDescriptionRequest,
  options: KmsCallOptions | undefined,
): Promise<void> {
  const { KeyId: keyId, Description: description } = readRequest('updateKeyDescription', input);

  await ctx.write(options, async (tx) => {
    const { record } = await tx.keyFor('UpdateKeyDescription', keyId);
    if (record.description !== description) await tx.store.updateKey({ ...record, description });
  });
}
