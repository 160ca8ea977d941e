// OpenAPI schema of the AppProject kind.
import type { JSONSchemaProps } from './json-schema-props.ts';
import {
  arrayOf,
  boolean,
  int64,
  mapOf,
  object,
  string,
  stringList,
  withDescription,
} from './schema-builders.ts';

function groupKind(): JSONSchemaProps {
  return object({ group: string(), kind: string() }, ['group', 'kind']);
}

function clusterResourceItem(): JSONSchemaProps {
  return object({ group: string(), kind: string(), name: string() }, ['group', 'kind']);
}

function jwtToken(): JSONSchemaProps {
  return object({ exp: int64(), iat: int64(), id: string() }, ['iat']);
}

function appProjectSpec(): JSONSchemaProps {
  return object({
    clusterResourceBlacklist: arrayOf(clusterResourceItem()),
    clusterResourceWhitelist: arrayOf(clusterResourceItem()),
    description: string(),
    destinationServiceAccounts: arrayOf(
      object({ defaultServiceAccount: string(), namespace: string(), server: string() }, [
        'defaultServiceAccount',
        'server',
      ]),
    ),
    destinations: arrayOf(object({ name: string(), namespace: string(), server: string() })),
    namespaceResourceBlacklist: arrayOf(groupKind()),
    namespaceResourceWhitelist: arrayOf(groupKind()),
    orphanedResources: object({
      ignore: arrayOf(object({ group: string(), kind: string(), name: string() })),
      warn: boolean(),
    }),
    permitOnlyProjectScopedClusters: boolean(),
    roles: arrayOf(
      object(
        {
          description: string(),
          groups: stringList(),
          jwtTokens: arrayOf(jwtToken()),
          name: string(),
          policies: stringList(),
        },
        ['name'],
      ),
    ),
    signatureKeys: arrayOf(object({ keyID: string() }, ['keyID'])),
    sourceIntegrity: object(
      {
        git: object(
          {
            policies: arrayOf(
              object(
                {
                  gpg: object({ keys: stringList(), mode: string() }, ['keys', 'mode']),
                  repos: arrayOf(object({ url: string() }, ['url'])),
                },
                ['gpg', 'repos'],
              ),
            ),
          },
          ['policies'],
        ),
      },
      ['git'],
    ),
    sourceNamespaces: stringList(),
    sourceRepos: stringList(),
    syncWindows: arrayOf(
      object({
        andOperator: boolean(),
        applications: stringList(),
        clusters: stringList(),
        description: string(),
        duration: string(),
        kind: string(),
        manualSync: boolean(),
        namespaces: stringList(),
        schedule: string(),
        syncOverrun: boolean(),
        timeZone: string(),
      }),
    ),
  });
}

export function appProjectSchema(): JSONSchemaProps {
  return withDescription(
    object(
      {
        apiVersion: string(),
        kind: string(),
        metadata: { type: 'object' },
        spec: appProjectSpec(),
        status: object({
          jwtTokensByRole: mapOf(object({ items: arrayOf(jwtToken()) })),
        }),
      },
      ['metadata', 'spec'],
    ),
    'A group of Applications and the sources, destinations and kinds they may use.',
  );
}
