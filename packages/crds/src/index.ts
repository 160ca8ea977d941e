// @capstan/crds: the argoproj.io/v1alpha1 kinds as TypeScript types, their CRDs and schemas,
// validation with Kubernetes semantics, manifest parsing and Argo CD's defaults.

export type * from './object-meta.ts';
export type * from './application.ts';
export type * from './app-project.ts';
export type * from './application-set.ts';
export type { JSONSchemaProps, JSONSchemaType } from './json-schema-props.ts';
export type { FieldError } from './field-error.ts';

export * from './constants.ts';

export {
  crdManifests,
  type CustomResourceDefinition,
  type CustomResourceDefinitionVersion,
  type PrinterColumn,
} from './crd-manifests.ts';

export {
  validateResource,
  validateResourceOrThrow,
  type ArgoResource,
  type ArgoResourceKind,
  type ValidationFailure,
  type ValidationResult,
  type ValidationSuccess,
} from './validate-resource.ts';
export { formatValidationErrors, type ValidationErrorSubject } from './format-validation-errors.ts';
export { InvalidResourceError } from './invalid-resource-error.ts';

export { parseManifests, type Manifest } from './parse-manifests.ts';
export { ManifestParseError } from './manifest-parse-error.ts';

export {
  DEFAULT_REVISION_HISTORY_LIMIT,
  DEFAULT_RETRY_BACKOFF,
  defaultAppProject,
  retryBackoff,
  revisionHistoryLimit,
} from './defaults.ts';
