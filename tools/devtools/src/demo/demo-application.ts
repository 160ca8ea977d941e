import type { KubernetesObject } from '@kubernetes/client-node';
import type { Application } from '@capstan/crds';
import type { ResourceClient } from '@capstan/kube';

/** Argo CD's name for the cluster the controller runs in; the controller's own kubeconfig reaches it. */
const inClusterServer = 'https://kubernetes.default.svc';

export interface DemoApplicationSpec {
  readonly name: string;
  /** The control-plane namespace the Application lives in (argocd). */
  readonly namespace: string;
  readonly repoUrl: string;
  readonly path: string;
  readonly targetRevision: string;
  /** Where its resources go on the in-cluster destination. */
  readonly destinationNamespace: string;
}

/** An auto-synced Application of the default project that creates its namespace, as in the seed's examples. */
export function demoApplication(spec: DemoApplicationSpec): KubernetesObject & Record<string, unknown> {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: spec.name, namespace: spec.namespace },
    spec: {
      project: 'default',
      source: { repoURL: spec.repoUrl, targetRevision: spec.targetRevision, path: spec.path },
      destination: { server: inClusterServer, namespace: spec.destinationNamespace },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['CreateNamespace=true'],
      },
    },
  };
}

export interface WaitSyncedHealthyOptions {
  /** The commit it must be synced to, so a status left by an earlier start does not count. */
  readonly revision: string;
  readonly repoUrl: string;
  readonly timeoutMs: number;
  /** Called with a one-line summary whenever the status changes. */
  readonly progress: (line: string) => void;
  readonly signal?: AbortSignal;
}

/** One line: sync, health, the operation's phase and message — what `argocd app get` leads with. */
export function summarizeApplication(app: Application | undefined): string {
  if (app === undefined) return 'not found';
  const s = app.status;
  const op = s?.operationState;
  const parts = [`sync=${s?.sync?.status ?? '-'}`, `health=${s?.health?.status ?? '-'}`];
  if (op !== undefined) parts.push(`operation=${op.phase}${op.message ? ` (${op.message})` : ''}`);
  const failing = s?.conditions?.map((c) => `${c.type}: ${c.message}`) ?? [];
  if (failing.length > 0) parts.push(`conditions=[${failing.join('; ')}]`);
  return parts.join(' ');
}

const done = (app: Application, o: WaitSyncedHealthyOptions): boolean => {
  const s = app.status;
  return (
    s?.sync?.status === 'Synced' &&
    s.health?.status === 'Healthy' &&
    s.sync.revision === o.revision &&
    s.sync.comparedTo?.source?.repoURL === o.repoUrl &&
    app.operation === undefined &&
    s.operationState?.phase !== 'Running'
  );
};

/** Polls the Application until it is Synced and Healthy at `revision`; throws with its last status on timeout. */
export async function waitSyncedHealthy(
  kube: ResourceClient,
  ref: { readonly name: string; readonly namespace: string },
  o: WaitSyncedHealthyOptions,
): Promise<Application> {
  const obj = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { ...ref } };
  const deadline = Date.now() + o.timeoutMs;
  let last = '';
  for (;;) {
    o.signal?.throwIfAborted();
    const app = (await kube.get(obj)) as unknown as Application | undefined;
    const line = summarizeApplication(app);
    if (line !== last) o.progress(line);
    last = line;
    if (app !== undefined && done(app, o)) return app;
    if (Date.now() > deadline)
      throw new Error(
        `application ${ref.name} not Synced and Healthy after ${o.timeoutMs / 1000} s: ${line}`,
      );
    await new Promise((r) => setTimeout(r, 500));
  }
}
