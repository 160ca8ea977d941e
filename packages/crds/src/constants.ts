// Names of the argoproj.io API exactly as Argo CD spells them: clients, kubectl and existing
// manifests address our objects by these strings, so they are part of the contract.

export const GROUP = 'argoproj.io';
export const VERSION = 'v1alpha1';
export const API_VERSION = 'argoproj.io/v1alpha1';

export const APPLICATION_KIND = 'Application';
export const APP_PROJECT_KIND = 'AppProject';
export const APPLICATION_SET_KIND = 'ApplicationSet';

export const APPLICATION_PLURAL = 'applications';
export const APP_PROJECT_PLURAL = 'appprojects';
export const APPLICATION_SET_PLURAL = 'applicationsets';

export const APPLICATION_SHORT_NAMES = ['app', 'apps'] as const;
export const APP_PROJECT_SHORT_NAMES = ['appproj', 'appprojs'] as const;
export const APPLICATION_SET_SHORT_NAMES = ['appset', 'appsets'] as const;

export const Finalizers = {
  /** Cascade-deletes the app's managed resources before the Application goes away. */
  resources: 'resources-finalizer.argocd.argoproj.io',
  resourcesForeground: 'resources-finalizer.argocd.argoproj.io/foreground',
  resourcesBackground: 'resources-finalizer.argocd.argoproj.io/background',
  preDelete: 'pre-delete-finalizer.argocd.argoproj.io',
  postDelete: 'post-delete-finalizer.argocd.argoproj.io',
} as const;

export const Annotations = {
  syncWave: 'argocd.argoproj.io/sync-wave',
  hook: 'argocd.argoproj.io/hook',
  hookDeletePolicy: 'argocd.argoproj.io/hook-delete-policy',
  syncOptions: 'argocd.argoproj.io/sync-options',
  compareOptions: 'argocd.argoproj.io/compare-options',
  deletionApproved: 'argocd.argoproj.io/deletion-approved',
  refresh: 'argocd.argoproj.io/refresh',
  hydrate: 'argocd.argoproj.io/hydrate',
  skipReconcile: 'argocd.argoproj.io/skip-reconcile',
  manifestGeneratePaths: 'argocd.argoproj.io/manifest-generate-paths',
  trackingId: 'argocd.argoproj.io/tracking-id',
  managedByUrl: 'argocd.argoproj.io/managed-by-url',
  applicationSetRefresh: 'argocd.argoproj.io/application-set-refresh',
  ignoreHealthCheck: 'argocd.argoproj.io/ignore-healthcheck',
  /** Written by the notifications controller; the ApplicationSet controller must carry it over. */
  notified: 'notified.notifications.argoproj.io',
} as const;

export const Labels = {
  secretType: 'argocd.argoproj.io/secret-type',
} as const;

export const RefreshType = { normal: 'normal', hard: 'hard' } as const;

export const DEFAULT_PROJECT_NAME = 'default';
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';
export const IN_CLUSTER_NAME = 'in-cluster';
