/**
 * One access check. `subject` is the user as Argo CD identifies them (`federated_claims.user_id`, else
 * `sub`; a local user's name; `proj:<project>:<role>` for a project token; '' when anonymous), and
 * `groups` the values of the token claims named by `scopes`.
 */
export interface RbacRequest {
  readonly subject: string;
  readonly groups?: readonly string[] | undefined;
  readonly resource: string;
  readonly action: string;
  readonly object: string;
}
