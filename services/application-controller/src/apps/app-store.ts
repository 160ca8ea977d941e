import {
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  type V1ConfigMap,
  type V1Secret,
} from '@kubernetes/client-node';
import type { Application, AppProject } from '@capstan/crds';
import {
  repoCredsFromSecret,
  repositoryFromSecret,
  secretTypeLabel,
  type RepositoryRecord,
} from '@capstan/kube';
import type { Logger } from '@capstan/runtime';
import { parseControllerSettings, type ControllerSettings } from '../settings/controller-settings.ts';
import { collectionInformer, type CollectionEvent, type CollectionInformer } from './collection-informer.ts';

type AppObject = Application & KubernetesObject;
type ProjectObject = AppProject & KubernetesObject;

export interface AppStoreEvents {
  readonly onApp?: (type: CollectionEvent, app: Application, old?: Application) => void;
  readonly onProject?: (type: CollectionEvent, project: AppProject) => void;
  readonly onSettings?: (settings: ControllerSettings) => void;
}

/**
 * The controller's view of its own namespace: Applications, AppProjects, argocd-cm and repository
 * Secrets, each kept current by a watch, so a refresh reads them without an API request.
 */
export class AppStore {
  readonly #apps: CollectionInformer<AppObject>;
  readonly #projects: CollectionInformer<ProjectObject>;
  readonly #configMaps: CollectionInformer<V1ConfigMap>;
  readonly #secrets: CollectionInformer<V1Secret>;
  readonly #namespace: string;
  readonly #logger: Logger;
  #settings: ControllerSettings = parseControllerSettings(undefined);
  #settingsVersion = '';

  constructor(options: {
    kubeConfig: KubeConfig;
    namespace: string;
    logger: Logger;
    events?: AppStoreEvents;
  }) {
    const { kubeConfig: kc, namespace: ns, logger } = options;
    this.#namespace = ns;
    this.#logger = logger;
    const custom = kc.makeApiClient(CustomObjectsApi);
    const core = kc.makeApiClient(CoreV1Api);
    const events = options.events ?? {};
    const listCustom =
      <T extends KubernetesObject>(plural: string) =>
      async (): Promise<KubernetesListObject<T>> =>
        (await custom.listNamespacedCustomObject({
          group: 'argoproj.io',
          version: 'v1alpha1',
          namespace: ns,
          plural,
        })) as KubernetesListObject<T>;
    this.#apps = collectionInformer<AppObject>({
      kubeConfig: kc,
      path: `/apis/argoproj.io/v1alpha1/namespaces/${ns}/applications`,
      list: listCustom<AppObject>('applications'),
      logger,
      onEvent: (type, app, old) => events.onApp?.(type, app, old),
    });
    this.#projects = collectionInformer<ProjectObject>({
      kubeConfig: kc,
      path: `/apis/argoproj.io/v1alpha1/namespaces/${ns}/appprojects`,
      list: listCustom<ProjectObject>('appprojects'),
      logger,
      onEvent: (type, p) => events.onProject?.(type, p),
    });
    this.#configMaps = collectionInformer<V1ConfigMap>({
      kubeConfig: kc,
      path: `/api/v1/namespaces/${ns}/configmaps`,
      list: () => core.listNamespacedConfigMap({ namespace: ns }),
      logger,
      onEvent: (_type, cm) => {
        if (cm.metadata?.name !== 'argocd-cm') return;
        this.#reloadSettings();
        events.onSettings?.(this.#settings);
      },
    });
    this.#secrets = collectionInformer<V1Secret>({
      kubeConfig: kc,
      path: `/api/v1/namespaces/${ns}/secrets`,
      list: () =>
        core.listNamespacedSecret({
          namespace: ns,
          labelSelector: `${secretTypeLabel} in (repository,repo-creds)`,
        }),
      labelSelector: `${secretTypeLabel} in (repository,repo-creds)`,
      logger,
    });
  }

  get namespace(): string {
    return this.#namespace;
  }

  async start(): Promise<void> {
    await Promise.all([this.#configMaps.start(), this.#secrets.start(), this.#projects.start()]);
    this.#reloadSettings();
    await this.#apps.start();
  }

  async stop(): Promise<void> {
    await Promise.all([
      this.#apps.stop(),
      this.#projects.stop(),
      this.#configMaps.stop(),
      this.#secrets.stop(),
    ]);
  }

  #reloadSettings(): void {
    const cm = this.#configMaps.get('argocd-cm', this.#namespace);
    const version = cm?.metadata?.resourceVersion ?? '';
    if (version === this.#settingsVersion && version !== '') return;
    this.#settingsVersion = version;
    this.#settings = parseControllerSettings(cm?.data ?? {});
    for (const e of this.#settings.errors)
      this.#logger.warn('argocd-cm: ignoring a bad setting', { error: e });
  }

  settings(): ControllerSettings {
    return this.#settings;
  }

  apps(): Application[] {
    return this.#apps.list();
  }

  app(name: string): Application | undefined {
    return this.#apps.get(name, this.#namespace);
  }

  project(name: string): AppProject | undefined {
    return this.#projects.get(name, this.#namespace);
  }

  repositories(): { repos: RepositoryRecord[]; creds: RepositoryRecord[] } {
    const repos: RepositoryRecord[] = [];
    const creds: RepositoryRecord[] = [];
    for (const s of this.#secrets.list()) {
      try {
        if (s.metadata?.labels?.[secretTypeLabel] === 'repository') repos.push(repositoryFromSecret(s));
        else creds.push(repoCredsFromSecret(s));
      } catch (err) {
        this.#logger.warn('ignoring a malformed repository secret', { error: (err as Error).message });
      }
    }
    return { repos, creds };
  }
}
