// OpenAPI schema of the Application kind. The pieces an ApplicationSet template reuses (the whole
// spec) and the status shapes shared with ApplicationSet are exported to the other schema modules
// only; the package index does not re-export this file.
import type { JSONSchemaProps } from './json-schema-props.ts';
import {
  arrayOf,
  boolean,
  dateTime,
  freeFormObject,
  int64,
  intOrString,
  mapOf,
  object,
  string,
  stringEnum,
  stringList,
  stringMap,
  withDescription,
} from './schema-builders.ts';

function helm(): JSONSchemaProps {
  return object({
    apiVersions: stringList(),
    fileParameters: arrayOf(object({ name: string(), path: string() })),
    ignoreMissingValueFiles: boolean(),
    kubeVersion: string(),
    namespace: string(),
    parameters: arrayOf(object({ forceString: boolean(), name: string(), value: string() })),
    passCredentials: boolean(),
    releaseName: string(),
    skipCrds: boolean(),
    skipSchemaValidation: boolean(),
    skipTests: boolean(),
    valueFiles: stringList(),
    values: string(),
    valuesObject: withDescription(freeFormObject(), 'Helm values as structured data; wins over values.'),
    version: string(),
  });
}

function kustomize(): JSONSchemaProps {
  return object({
    apiVersions: stringList(),
    commonAnnotations: stringMap(),
    commonAnnotationsEnvsubst: boolean(),
    commonLabels: stringMap(),
    components: stringList(),
    forceCommonAnnotations: boolean(),
    forceCommonLabels: boolean(),
    ignoreMissingComponents: boolean(),
    images: stringList(),
    kubeVersion: string(),
    labelIncludeTemplates: boolean(),
    labelWithoutSelector: boolean(),
    namePrefix: string(),
    nameSuffix: string(),
    namespace: string(),
    patches: arrayOf(
      object({
        options: mapOf(boolean()),
        patch: string(),
        path: string(),
        target: object({
          annotationSelector: string(),
          group: string(),
          kind: string(),
          labelSelector: string(),
          name: string(),
          namespace: string(),
          version: string(),
        }),
      }),
    ),
    replicas: arrayOf(object({ count: intOrString(), name: string() }, ['count', 'name'])),
    version: string(),
  });
}

function jsonnetVar(): JSONSchemaProps {
  return object({ code: boolean(), name: string(), value: string() }, ['name', 'value']);
}

function directory(): JSONSchemaProps {
  return object({
    disableExtensionFilter: boolean(),
    exclude: string(),
    include: string(),
    jsonnet: object({ extVars: arrayOf(jsonnetVar()), libs: stringList(), tlas: arrayOf(jsonnetVar()) }),
    recurse: boolean(),
  });
}

function plugin(): JSONSchemaProps {
  return object({
    env: arrayOf(object({ name: string(), value: string() }, ['name', 'value'])),
    name: string(),
    parameters: arrayOf(object({ array: stringList(), map: stringMap(), name: string(), string: string() })),
  });
}

export function applicationSource(): JSONSchemaProps {
  return object(
    {
      chart: string(),
      directory: directory(),
      helm: helm(),
      kustomize: kustomize(),
      name: string(),
      path: string(),
      plugin: plugin(),
      ref: string(),
      repoURL: string(),
      tagPrefix: string(),
      targetRevision: string(),
    },
    ['repoURL'],
  );
}

function sourceHydrator(): JSONSchemaProps {
  return object(
    {
      drySource: object(
        {
          directory: directory(),
          helm: helm(),
          kustomize: kustomize(),
          path: string(),
          plugin: plugin(),
          repoURL: string(),
          targetRevision: string(),
        },
        ['path', 'repoURL', 'targetRevision'],
      ),
      hydrateTo: object({ targetBranch: string() }, ['targetBranch']),
      syncSource: object({ path: string(), repoURL: string(), targetBranch: string() }, [
        'path',
        'targetBranch',
      ]),
    },
    ['drySource', 'syncSource'],
  );
}

function destination(): JSONSchemaProps {
  return object({ name: string(), namespace: string(), server: string() });
}

function retryStrategy(): JSONSchemaProps {
  return object({
    backoff: object({ duration: string(), factor: int64(), maxDuration: string() }),
    limit: int64(),
    refresh: boolean(),
  });
}

function managedNamespaceMetadata(): JSONSchemaProps {
  return object({ annotations: stringMap(), labels: stringMap() });
}

function ignoreDifferences(): JSONSchemaProps {
  return arrayOf(
    object(
      {
        group: string(),
        jqPathExpressions: stringList(),
        jsonPointers: stringList(),
        kind: string(),
        managedFieldsManagers: stringList(),
        name: string(),
        namespace: string(),
      },
      ['kind'],
    ),
  );
}

function info(): JSONSchemaProps {
  return arrayOf(object({ name: string(), value: string() }, ['name', 'value']));
}

export function applicationSpec(): JSONSchemaProps {
  return object(
    {
      destination: destination(),
      ignoreDifferences: ignoreDifferences(),
      info: info(),
      project: string(),
      revisionHistoryLimit: int64(),
      source: applicationSource(),
      sourceHydrator: sourceHydrator(),
      sources: arrayOf(applicationSource()),
      syncPolicy: object({
        automated: object({
          allowEmpty: boolean(),
          enabled: boolean(),
          prune: boolean(),
          selfHeal: boolean(),
        }),
        managedNamespaceMetadata: managedNamespaceMetadata(),
        retry: retryStrategy(),
        syncOptions: stringList(),
      }),
    },
    ['destination', 'project'],
  );
}

function initiatedBy(): JSONSchemaProps {
  return object({ automated: boolean(), username: string() });
}

function operation(): JSONSchemaProps {
  return object({
    info: info(),
    initiatedBy: initiatedBy(),
    retry: retryStrategy(),
    sync: object({
      autoHealAttemptsCount: int64(),
      dryRun: boolean(),
      manifests: stringList(),
      prune: boolean(),
      resources: arrayOf(
        object({ group: string(), kind: string(), name: string(), namespace: string() }, ['kind', 'name']),
      ),
      revision: string(),
      revisions: stringList(),
      source: applicationSource(),
      sources: arrayOf(applicationSource()),
      syncOptions: stringList(),
      syncStrategy: object({
        apply: object({ force: boolean() }),
        hook: object({ force: boolean() }),
      }),
    }),
  });
}

export function healthStatus(): JSONSchemaProps {
  return object({ lastTransitionTime: dateTime(), message: string(), status: string() });
}

export function resourceStatus(): JSONSchemaProps {
  return object({
    group: string(),
    health: healthStatus(),
    hook: boolean(),
    kind: string(),
    name: string(),
    namespace: string(),
    requiresDeletionConfirmation: boolean(),
    requiresPruning: boolean(),
    status: string(),
    syncWave: int64(),
    version: string(),
  });
}

function operationState(): JSONSchemaProps {
  return object(
    {
      finishedAt: dateTime(),
      message: string(),
      operation: operation(),
      phase: string(),
      retryCount: int64(),
      startedAt: dateTime(),
      syncResult: object(
        {
          managedNamespaceMetadata: managedNamespaceMetadata(),
          resources: arrayOf(
            object(
              {
                group: string(),
                hookPhase: string(),
                hookType: string(),
                images: stringList(),
                kind: string(),
                message: string(),
                name: string(),
                namespace: string(),
                status: string(),
                syncPhase: string(),
                version: string(),
              },
              ['group', 'kind', 'name', 'namespace', 'version'],
            ),
          ),
          revision: string(),
          revisions: stringList(),
          source: applicationSource(),
          sources: arrayOf(applicationSource()),
        },
        ['revision'],
      ),
    },
    ['operation', 'phase', 'startedAt'],
  );
}

function hydratorStatus(): JSONSchemaProps {
  return object({
    currentOperation: object(
      {
        drySHA: string(),
        finishedAt: dateTime(),
        hydratedSHA: string(),
        message: string(),
        phase: stringEnum(['Hydrating', 'Failed', 'Hydrated']),
        sourceHydrator: sourceHydrator(),
        startedAt: dateTime(),
      },
      ['message', 'phase'],
    ),
    lastComparedDryRevision: string(),
    lastSuccessfulOperation: object({
      drySHA: string(),
      hydratedSHA: string(),
      sourceHydrator: sourceHydrator(),
    }),
  });
}

function applicationStatus(): JSONSchemaProps {
  return object({
    conditions: arrayOf(
      object({ lastTransitionTime: dateTime(), message: string(), type: string() }, ['message', 'type']),
    ),
    controllerNamespace: string(),
    health: healthStatus(),
    history: arrayOf(
      object(
        {
          deployStartedAt: dateTime(),
          deployedAt: dateTime(),
          id: int64(),
          initiatedBy: initiatedBy(),
          revision: string(),
          revisions: stringList(),
          source: applicationSource(),
          sources: arrayOf(applicationSource()),
        },
        ['deployedAt', 'id'],
      ),
    ),
    observedAt: dateTime(),
    operationState: operationState(),
    reconciledAt: dateTime(),
    resourceHealthSource: string(),
    resources: arrayOf(resourceStatus()),
    sourceHydrator: hydratorStatus(),
    sourceType: string(),
    sourceTypes: stringList(),
    summary: object({ externalURLs: stringList(), images: stringList(), isAppOfApps: boolean() }),
    sync: object(
      {
        comparedTo: object(
          {
            destination: destination(),
            ignoreDifferences: ignoreDifferences(),
            source: applicationSource(),
            sources: arrayOf(applicationSource()),
          },
          ['destination'],
        ),
        revision: string(),
        revisions: stringList(),
        status: string(),
      },
      ['status'],
    ),
  });
}

export function applicationSchema(): JSONSchemaProps {
  return withDescription(
    object(
      {
        apiVersion: string(),
        kind: string(),
        metadata: { type: 'object' },
        operation: withDescription(operation(), 'Set to request a sync; cleared when the sync starts.'),
        spec: applicationSpec(),
        status: applicationStatus(),
      },
      ['metadata', 'spec'],
    ),
    'A set of Kubernetes resources rendered from Git or Helm and kept in sync with one destination.',
  );
}
