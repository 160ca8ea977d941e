/** A cluster as policy sees it: its API server URL and its name (either may be unknown). */
export interface ClusterRef {
  readonly server?: string | undefined;
  readonly name?: string | undefined;
}
