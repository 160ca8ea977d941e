/** One problem with one field of a resource. */
export interface FieldError {
  /** Kubernetes-style path, e.g. `spec.syncPolicy.automated.prune`; empty for the whole object. */
  path: string;
  /** What is wrong, e.g. `must be boolean`. */
  message: string;
  /** The offending value, present when showing it helps (wrong type, bad format). */
  value?: unknown;
}
