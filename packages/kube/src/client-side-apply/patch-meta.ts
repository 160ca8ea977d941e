/**
 * How strategic merge treats one field of a built-in kind, read from the API server's published schema
 * (`x-kubernetes-patch-strategy`, `x-kubernetes-patch-merge-key`). A node per field, walked alongside the
 * object being diffed: `field('spec').field('template').field('spec').field('containers')`.
 */
export interface PatchMeta {
  /**
   * `merge` (a list merged item by item, or a primitive list merged as a set), `retainKeys` (a map whose
   * keys absent from the manifest are cleared), `replace` (a map replaced whole). Empty for the default:
   * maps merge key by key, lists are replaced whole.
   */
  readonly strategies: readonly string[];
  /** For a list of maps with the `merge` strategy: the item field that identifies an item. */
  readonly mergeKey: string | undefined;
  /**
   * The field `name` of this map, of this map's values (a `map[string]T`), or of this list's items.
   * Undefined when the schema does not know it: maps are then merged key by key and lists replaced.
   */
  field(name: string): PatchMeta | undefined;
}
