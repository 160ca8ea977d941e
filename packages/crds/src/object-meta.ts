// The slice of Kubernetes' meta/v1 types that the argoproj.io kinds embed. Only what Capstan reads or
// writes is spelled out; the API server owns the rest of ObjectMeta and we pass it through untouched.

/** An RFC 3339 timestamp as Kubernetes serialises `metav1.Time` (e.g. `2026-01-02T03:04:05Z`). */
export type Time = string;

/** Kubernetes `intstr.IntOrString`: either form is legal wherever it appears. */
export type IntOrString = number | string;

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: Time;
  deletionTimestamp?: Time;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  /** Opaque to Capstan; kept so round-trips do not drop it. */
  managedFields?: unknown[];
}

export interface LabelSelectorRequirement {
  key: string;
  /** In, NotIn, Exists or DoesNotExist. */
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}
