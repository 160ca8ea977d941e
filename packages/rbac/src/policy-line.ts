/** Where a parsed line came from, kept for diagnostics and explanations. */
export interface LineOrigin {
  readonly source: string;
  readonly line: number;
  readonly path?: string;
}

/** `p, subject, resource, action, object, effect` after parsing (patterns not yet compiled). */
export interface PermissionLine {
  readonly kind: 'p';
  readonly subject: string;
  readonly resource: string;
  readonly action: string;
  readonly object: string;
  readonly effect: 'allow' | 'deny';
  readonly origin: LineOrigin;
}

/** `g, member, role`: the member (a user, group or role) inherits everything `role` is granted. */
export interface GroupingLine {
  readonly kind: 'g';
  readonly member: string;
  readonly role: string;
  readonly origin: LineOrigin;
}

export type PolicyLine = PermissionLine | GroupingLine;
