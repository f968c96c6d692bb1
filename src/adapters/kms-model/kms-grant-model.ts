/**
 * The KMS model of the grant operations (docs/kms-behaviour.md §22), spread into KMS_MODEL: members and
 * constraints as the KMS API reference gives them.
 */
import { GRANT_OPERATIONS } from './kms-enums.js';
import { GRANT_TOKENS, KEY_ID, LIMIT, MARKER, OPTIONAL_KEY_ID, modelPattern } from './kms-members.js';
import { boolean, list, string } from './member-shape.js';
import { GRANT_CONSTRAINTS, GRANT_LIST_ENTRY, PAGE_TAIL } from './kms-structures.js';

/** A principal of a grant: 1–256 characters of the model pattern. */
const PRINCIPAL = string({ min: 1, max: 256, pattern: modelPattern('^[\\w+=,.@:/-]+$') });

export const GRANT_MODEL = {
  createGrant: {
    input: {
      KeyId: KEY_ID, GranteePrincipal: { ...PRINCIPAL, required: true }, RetiringPrincipal: PRINCIPAL,
      Operations: list(string({ enum: GRANT_OPERATIONS }), { required: true }), Constraints: GRANT_CONSTRAINTS,
      GrantTokens: GRANT_TOKENS, Name: string({ min: 1, max: 256, pattern: modelPattern('^[a-zA-Z0-9:/_-]+$') }), DryRun: boolean(),
    },
    output: { GrantToken: string(), GrantId: string() },
  },
  listGrants: {
    input: { Limit: LIMIT, Marker: MARKER, KeyId: KEY_ID, GrantId: string({ min: 1, max: 128 }), GranteePrincipal: PRINCIPAL },
    output: { Grants: list(GRANT_LIST_ENTRY), ...PAGE_TAIL },
  },
  listRetirableGrants: {
    input: { Limit: LIMIT, Marker: MARKER, RetiringPrincipal: { ...PRINCIPAL, required: true } },
    output: { Grants: list(GRANT_LIST_ENTRY), ...PAGE_TAIL },
  },
  retireGrant: {
    input: { GrantToken: string({ min: 1, max: 8192 }), KeyId: OPTIONAL_KEY_ID, GrantId: string({ min: 1, max: 128 }), DryRun: boolean() },
    output: undefined,
  },
  revokeGrant: { input: { KeyId: KEY_ID, GrantId: string({ required: true, min: 1, max: 128 }), DryRun: boolean() }, output: undefined },
} as const;
