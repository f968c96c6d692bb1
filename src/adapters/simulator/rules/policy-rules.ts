import { isRecord } from '../../../domain/validation.js';
import { limitExceeded, malformedPolicy } from '../model/exceptions.js';

/**
 * Key policies (docs/kms-behaviour.md §3, §5): the quota, the syntax check, and the policy a key gets when
 * CreateKey names none. The simulator does not evaluate policies: every caller is the account's root.
 */

/** The key policy quota (32 KB), stricter than the model's 131072 characters. */
export const POLICY_QUOTA_BYTES = 32_768;

/** The key policy quota (LimitExceededException) and JSON syntax (MalformedPolicyDocumentException). */
export function checkPolicy(policy: string): void {
  if (Buffer.byteLength(policy, 'utf8') > POLICY_QUOTA_BYTES) {
    throw limitExceeded(`The key policy exceeds the quota of ${POLICY_QUOTA_BYTES} bytes.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(policy);
  } catch {
    parsed = undefined;
  }
  if (!isRecord(parsed)) throw malformedPolicy();
}

/** The default key policy AWS gives a key created without one: the account may use the key through IAM. */
export function defaultKeyPolicy(partition: string, accountId: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  });
}
