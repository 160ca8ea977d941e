/** An owner reference as the API serves it; only the fields the cache reads. */
export interface OwnerReference {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly uid: string;
  readonly controller?: boolean;
}

/**
 * Any Kubernetes object as plain JSON. Deliberately minimal: the cache never needs a typed model, and
 * typed serializers drop fields they do not know (CRD bodies).
 */
export interface KubeObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly uid?: string;
    readonly resourceVersion?: string;
    readonly creationTimestamp?: string;
    readonly deletionTimestamp?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly ownerReferences?: readonly OwnerReference[];
    readonly managedFields?: readonly unknown[];
    readonly [field: string]: unknown;
  };
  readonly [field: string]: unknown;
}
