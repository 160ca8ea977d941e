export interface AppEnvInput {
  readonly appName: string;
  readonly namespace: string;
  readonly project: string;
  readonly revision: string;
  readonly repoURL: string;
  readonly path: string;
  readonly targetRevision: string;
  readonly kubeVersion: string;
  readonly apiVersions: readonly string[];
}

/** The ARGOCD_APP_* variables Argo CD gives rendering tools (and `$VAR` substitution in parameters). */
export function appEnv(i: AppEnvInput): Record<string, string> {
  return {
    ARGOCD_APP_NAME: i.appName,
    ARGOCD_APP_NAMESPACE: i.namespace,
    ARGOCD_APP_PROJECT_NAME: i.project,
    ARGOCD_APP_REVISION: i.revision,
    ARGOCD_APP_REVISION_SHORT: i.revision.slice(0, 7),
    ARGOCD_APP_REVISION_SHORT_8: i.revision.slice(0, 8),
    ARGOCD_APP_SOURCE_REPO_URL: i.repoURL,
    ARGOCD_APP_SOURCE_PATH: i.path,
    ARGOCD_APP_SOURCE_TARGET_REVISION: i.targetRevision,
    KUBE_VERSION: i.kubeVersion,
    KUBE_API_VERSIONS: i.apiVersions.join(','),
  };
}
