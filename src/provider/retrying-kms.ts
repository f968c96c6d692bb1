/**
 * The provider's KMS with the retry policy applied to every operation it calls — unless the port retries
 * transient failures itself (`retriesTransientErrors`, the AWS SDK adapter) or the policy allows one attempt.
 */
import { PROVIDER_KMS_OPERATIONS, type ProviderKms } from './provider-kms.js';
import { withRetries, type RetryPolicy } from './retry-policy.js';

export function retryingKms(kms: ProviderKms, policy: RetryPolicy): ProviderKms {
  if (kms.retriesTransientErrors === true || policy.maxAttempts <= 1) return kms;
  const wrapped: Record<string, unknown> = {};
  for (const op of PROVIDER_KMS_OPERATIONS) {
    const call = (kms[op] as (input: unknown, options?: unknown) => Promise<unknown>).bind(kms);
    wrapped[op] = (input: unknown, options?: unknown) => withRetries(policy, () => call(input, options));
  }
  Object.defineProperty(wrapped, 'region', { get: () => kms.region, enumerable: true });
  return wrapped as unknown as ProviderKms;
}
