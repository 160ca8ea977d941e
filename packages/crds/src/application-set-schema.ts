// OpenAPI schema of the ApplicationSet kind.
//
// Templates are typed exactly like an Application spec, as in Argo CD: Go-template or fasttemplate
// expressions ('{{.name}}') are ordinary strings, so they are accepted wherever the field is a string
// and rejected where it is a boolean or integer (templatePatch is the escape hatch for those).
// Generators nested inside a matrix/merge child are kept free-form, again as in Argo CD: the type
// is recursive and would otherwise have no finite schema.
import { applicationSpec, healthStatus, resourceStatus } from './application-schema.ts';
import type { JSONSchemaProps } from './json-schema-props.ts';
import {
  anyValue,
  arrayOf,
  boolean,
  dateTime,
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

function labelSelector(): JSONSchemaProps {
  const values = stringList();
  values['x-kubernetes-list-type'] = 'atomic';
  const matchExpressions = arrayOf(
    object({ key: string(), operator: string(), values }, ['key', 'operator']),
  );
  matchExpressions['x-kubernetes-list-type'] = 'atomic';
  const selector = object({ matchExpressions, matchLabels: stringMap() });
  selector['x-kubernetes-map-type'] = 'atomic';
  return selector;
}

function template(): JSONSchemaProps {
  return object(
    {
      metadata: object({
        annotations: stringMap(),
        finalizers: stringList(),
        labels: stringMap(),
        name: string(),
        namespace: string(),
      }),
      spec: applicationSpec(),
    },
    ['metadata', 'spec'],
  );
}

function secretRef(): JSONSchemaProps {
  return object({ key: string(), secretName: string() }, ['key', 'secretName']);
}

function configMapKeyRef(): JSONSchemaProps {
  return object({ configMapName: string(), key: string() }, ['configMapName', 'key']);
}

function basicAuth(): JSONSchemaProps {
  return object({ passwordRef: secretRef(), username: string() }, ['passwordRef', 'username']);
}

function bearerToken(): JSONSchemaProps {
  return object({ tokenRef: secretRef() }, ['tokenRef']);
}

function listGenerator(): JSONSchemaProps {
  return object({
    elements: arrayOf(anyValue()),
    elementsYaml: string(),
    template: template(),
  });
}

function clustersGenerator(): JSONSchemaProps {
  return object({
    flatList: boolean(),
    selector: labelSelector(),
    template: template(),
    values: stringMap(),
  });
}

function gitGenerator(): JSONSchemaProps {
  const item = (): JSONSchemaProps => object({ exclude: boolean(), path: string() }, ['path']);
  return object(
    {
      directories: arrayOf(item()),
      files: arrayOf(item()),
      pathParamPrefix: string(),
      repoURL: string(),
      requeueAfterSeconds: int64(),
      revision: string(),
      template: template(),
      values: stringMap(),
    },
    ['repoURL', 'revision'],
  );
}

function clusterDecisionResourceGenerator(): JSONSchemaProps {
  return object(
    {
      configMapRef: string(),
      labelSelector: labelSelector(),
      name: string(),
      requeueAfterSeconds: int64(),
      template: template(),
      values: stringMap(),
    },
    ['configMapRef'],
  );
}

function pluginGenerator(): JSONSchemaProps {
  return object(
    {
      configMapRef: object({ name: string() }, ['name']),
      input: object({ parameters: mapOf(anyValue()) }),
      requeueAfterSeconds: int64(),
      template: template(),
      values: stringMap(),
    },
    ['configMapRef'],
  );
}

function scmProviderGenerator(): JSONSchemaProps {
  return object({
    awsCodeCommit: object({
      allBranches: boolean(),
      region: string(),
      role: string(),
      tagFilters: arrayOf(object({ key: string(), value: string() }, ['key'])),
    }),
    azureDevOps: object(
      {
        accessTokenRef: secretRef(),
        allBranches: boolean(),
        api: string(),
        organization: string(),
        teamProject: string(),
      },
      ['accessTokenRef', 'organization', 'teamProject'],
    ),
    bitbucket: object(
      { allBranches: boolean(), appPasswordRef: secretRef(), owner: string(), user: string() },
      ['appPasswordRef', 'owner', 'user'],
    ),
    bitbucketServer: object(
      {
        allBranches: boolean(),
        api: string(),
        basicAuth: basicAuth(),
        bearerToken: bearerToken(),
        caRef: configMapKeyRef(),
        insecure: boolean(),
        project: string(),
      },
      ['api', 'project'],
    ),
    cloneProtocol: string(),
    filters: arrayOf(
      object({
        branchMatch: string(),
        labelMatch: string(),
        pathsDoNotExist: stringList(),
        pathsExist: stringList(),
        repositoryMatch: string(),
      }),
    ),
    gitea: object(
      {
        allBranches: boolean(),
        api: string(),
        excludeArchivedRepos: boolean(),
        insecure: boolean(),
        owner: string(),
        tokenRef: secretRef(),
      },
      ['api', 'owner'],
    ),
    github: object(
      {
        allBranches: boolean(),
        api: string(),
        appSecretName: string(),
        excludeArchivedRepos: boolean(),
        organization: string(),
        tokenRef: secretRef(),
      },
      ['organization'],
    ),
    gitlab: object(
      {
        allBranches: boolean(),
        api: string(),
        caRef: configMapKeyRef(),
        group: string(),
        includeArchivedRepos: boolean(),
        includeSharedProjects: boolean(),
        includeSubgroups: boolean(),
        insecure: boolean(),
        tokenRef: secretRef(),
        topic: string(),
      },
      ['group'],
    ),
    requeueAfterSeconds: int64(),
    template: template(),
    values: stringMap(),
  });
}

function pullRequestGenerator(): JSONSchemaProps {
  return object({
    azuredevops: object(
      {
        api: string(),
        labels: stringList(),
        organization: string(),
        project: string(),
        repo: string(),
        tokenRef: secretRef(),
      },
      ['organization', 'project', 'repo'],
    ),
    bitbucket: object(
      {
        api: string(),
        basicAuth: basicAuth(),
        bearerToken: bearerToken(),
        owner: string(),
        repo: string(),
      },
      ['owner', 'repo'],
    ),
    bitbucketServer: object(
      {
        api: string(),
        basicAuth: basicAuth(),
        bearerToken: bearerToken(),
        caRef: configMapKeyRef(),
        insecure: boolean(),
        project: string(),
        repo: string(),
      },
      ['api', 'project', 'repo'],
    ),
    continueOnRepoNotFoundError: boolean(),
    filters: arrayOf(object({ branchMatch: string(), targetBranchMatch: string(), titleMatch: string() })),
    gitea: object(
      {
        api: string(),
        insecure: boolean(),
        labels: stringList(),
        owner: string(),
        repo: string(),
        tokenRef: secretRef(),
      },
      ['api', 'owner', 'repo'],
    ),
    github: object(
      {
        api: string(),
        appSecretName: string(),
        labels: stringList(),
        owner: string(),
        repo: string(),
        tokenRef: secretRef(),
      },
      ['owner', 'repo'],
    ),
    gitlab: object(
      {
        api: string(),
        caRef: configMapKeyRef(),
        insecure: boolean(),
        labels: stringList(),
        project: string(),
        pullRequestState: string(),
        tokenRef: secretRef(),
      },
      ['project'],
    ),
    requeueAfterSeconds: int64(),
    template: template(),
    values: stringMap(),
  });
}

/** The generators every level may use; matrix and merge are added per level by the callers. */
function terminalGenerators(): Record<string, JSONSchemaProps> {
  return {
    clusterDecisionResource: clusterDecisionResourceGenerator(),
    clusters: clustersGenerator(),
    git: gitGenerator(),
    list: listGenerator(),
    plugin: pluginGenerator(),
    pullRequest: pullRequestGenerator(),
    scmProvider: scmProviderGenerator(),
    selector: labelSelector(),
  };
}

function nestedGenerators(): JSONSchemaProps {
  return arrayOf(object({ ...terminalGenerators(), matrix: anyValue(), merge: anyValue() }));
}

function generators(): JSONSchemaProps {
  return arrayOf(
    object({
      ...terminalGenerators(),
      matrix: object({ generators: nestedGenerators(), template: template() }, ['generators']),
      merge: object({ generators: nestedGenerators(), mergeKeys: stringList(), template: template() }, [
        'generators',
        'mergeKeys',
      ]),
    }),
  );
}

function applicationSetSpec(): JSONSchemaProps {
  return object(
    {
      applyNestedSelectors: boolean(),
      generators: generators(),
      goTemplate: boolean(),
      goTemplateOptions: stringList(),
      ignoreApplicationDifferences: arrayOf(
        object({ jqPathExpressions: stringList(), jsonPointers: stringList(), name: string() }),
      ),
      preservedFields: object({ annotations: stringList(), labels: stringList() }),
      strategy: object({
        deletionOrder: string(),
        rollingSync: object({
          steps: arrayOf(
            object({
              matchExpressions: arrayOf(object({ key: string(), operator: string(), values: stringList() })),
              maxUpdate: intOrString(),
            }),
          ),
        }),
        type: string(),
      }),
      syncPolicy: object({
        applicationsSync: stringEnum(['create-only', 'create-update', 'create-delete', 'sync']),
        preserveResourcesOnDeletion: boolean(),
      }),
      template: template(),
      templatePatch: withDescription(
        string(),
        'A templated YAML or JSON patch applied to every generated Application.',
      ),
    },
    ['generators', 'template'],
  );
}

function applicationSetStatus(): JSONSchemaProps {
  return object({
    applicationStatus: arrayOf(
      object(
        {
          application: string(),
          lastTransitionTime: dateTime(),
          message: string(),
          status: string(),
          step: string(),
          targetRevisions: stringList(),
        },
        ['application', 'message', 'status', 'step', 'targetRevisions'],
      ),
    ),
    conditions: arrayOf(
      object(
        {
          lastTransitionTime: dateTime(),
          message: string(),
          reason: string(),
          status: string(),
          type: string(),
        },
        ['message', 'reason', 'status', 'type'],
      ),
    ),
    health: healthStatus(),
    resources: arrayOf(resourceStatus()),
    resourcesCount: int64(),
  });
}

export function applicationSetSchema(): JSONSchemaProps {
  return withDescription(
    object(
      {
        apiVersion: string(),
        kind: string(),
        metadata: { type: 'object' },
        spec: applicationSetSpec(),
        status: applicationSetStatus(),
      },
      ['metadata', 'spec'],
    ),
    'Generates Applications from parameter sets (clusters, Git, lists, SCM, ...) and a template.',
  );
}
