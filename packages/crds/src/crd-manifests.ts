// The three CustomResourceDefinitions Capstan installs. Names, short names, printer columns and
// subresources match Argo CD's so that kubectl output and RBAC rules written for Argo CD still apply.
import { applicationSchema } from './application-schema.ts';
import { appProjectSchema } from './app-project-schema.ts';
import { applicationSetSchema } from './application-set-schema.ts';
import {
  APP_PROJECT_KIND,
  APP_PROJECT_PLURAL,
  APP_PROJECT_SHORT_NAMES,
  APPLICATION_KIND,
  APPLICATION_PLURAL,
  APPLICATION_SET_KIND,
  APPLICATION_SET_PLURAL,
  APPLICATION_SET_SHORT_NAMES,
  APPLICATION_SHORT_NAMES,
  GROUP,
  VERSION,
} from './constants.ts';
import type { JSONSchemaProps } from './json-schema-props.ts';

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  priority?: number;
}

export interface CustomResourceDefinitionVersion {
  name: string;
  served: boolean;
  storage: boolean;
  schema: { openAPIV3Schema: JSONSchemaProps };
  additionalPrinterColumns?: PrinterColumn[];
  subresources?: { status?: Record<string, never> };
}

export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; labels: Record<string, string> };
  spec: {
    group: string;
    names: {
      kind: string;
      listKind: string;
      plural: string;
      singular: string;
      shortNames: string[];
      categories: string[];
    };
    scope: 'Namespaced';
    versions: CustomResourceDefinitionVersion[];
  };
}

/** `kubectl get argocd` lists all three kinds at once. */
const CATEGORIES = ['argocd'];

interface CrdInput {
  kind: string;
  plural: string;
  shortNames: readonly string[];
  schema: JSONSchemaProps;
  printerColumns?: PrinterColumn[];
  statusSubresource: boolean;
}

function crd(input: CrdInput): CustomResourceDefinition {
  const name = `${input.plural}.${GROUP}`;
  const version: CustomResourceDefinitionVersion = {
    name: VERSION,
    served: true,
    storage: true,
    schema: { openAPIV3Schema: input.schema },
  };
  if (input.printerColumns) version.additionalPrinterColumns = input.printerColumns;
  if (input.statusSubresource) version.subresources = { status: {} };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    // Argo CD's labels, so selectors written against an Argo CD install keep matching.
    metadata: {
      name,
      labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'argocd' },
    },
    spec: {
      group: GROUP,
      names: {
        kind: input.kind,
        listKind: `${input.kind}List`,
        plural: input.plural,
        singular: input.kind.toLowerCase(),
        shortNames: [...input.shortNames],
        categories: [...CATEGORIES],
      },
      scope: 'Namespaced',
      versions: [version],
    },
  };
}

/**
 * The Application, AppProject and ApplicationSet CRDs, in that order.
 *
 * Only ApplicationSet has a status subresource. The application-controller writes an Application's
 * status and its `operation` in one ordinary update (that is how it clears `operation` while
 * recording `status.operationState`), which a status subresource would split into two writes; the
 * API server likewise records a project's token ids in AppProject status together with its roles.
 */
export function crdManifests(): CustomResourceDefinition[] {
  return [
    crd({
      kind: APPLICATION_KIND,
      plural: APPLICATION_PLURAL,
      shortNames: APPLICATION_SHORT_NAMES,
      schema: applicationSchema(),
      printerColumns: [
        { name: 'Sync Status', type: 'string', jsonPath: '.status.sync.status' },
        { name: 'Health Status', type: 'string', jsonPath: '.status.health.status' },
        { name: 'Revision', type: 'string', jsonPath: '.status.sync.revision', priority: 10 },
        { name: 'Project', type: 'string', jsonPath: '.spec.project', priority: 10 },
      ],
      statusSubresource: false,
    }),
    crd({
      kind: APP_PROJECT_KIND,
      plural: APP_PROJECT_PLURAL,
      shortNames: APP_PROJECT_SHORT_NAMES,
      schema: appProjectSchema(),
      statusSubresource: false,
    }),
    crd({
      kind: APPLICATION_SET_KIND,
      plural: APPLICATION_SET_PLURAL,
      shortNames: APPLICATION_SET_SHORT_NAMES,
      schema: applicationSetSchema(),
      statusSubresource: true,
    }),
  ];
}
