import { DEFAULT_SCOPES } from './rbac-config.ts';

/** Decoded token claims (JSON): any shape, read defensively. */
export type TokenClaims = Readonly<Record<string, unknown>>;

function own(claims: TokenClaims, key: string): unknown {
  return Object.hasOwn(claims, key) ? claims[key] : undefined;
}

/**
 * Who a token speaks for, as Argo CD reads it: the subject is `federated_claims.user_id` when Dex
 * provides one, else `sub`; the groups are the values of each claim named in `scopes` (a list of
 * strings contributes its strings, a string itself, anything else nothing).
 */
export function subjectsFromClaims(
  claims: TokenClaims,
  scopes: readonly string[] = DEFAULT_SCOPES,
): { subject: string; groups: string[] } {
  const sub = own(claims, 'sub');
  let subject = typeof sub === 'string' ? sub : '';
  const federated = own(claims, 'federated_claims');
  if (typeof federated === 'object' && federated !== null && !Array.isArray(federated)) {
    const userId = own(federated as TokenClaims, 'user_id');
    if (typeof userId === 'string' && userId !== '') subject = userId;
  }
  const groups: string[] = [];
  for (const scope of scopes) {
    const value = own(claims, scope);
    if (typeof value === 'string') groups.push(value);
    else if (Array.isArray(value))
      for (const v of value as unknown[]) if (typeof v === 'string') groups.push(v);
  }
  return { subject, groups };
}
