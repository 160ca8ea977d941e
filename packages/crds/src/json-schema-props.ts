// The subset of Kubernetes' apiextensions/v1 JSONSchemaProps that our CRDs use. Keeping it narrow
// means a keyword the structural-schema rules would reject cannot sneak in unnoticed.

export type JSONSchemaType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';

export interface JSONSchemaProps {
  type?: JSONSchemaType;
  format?: string;
  description?: string;
  enum?: string[];
  properties?: Record<string, JSONSchemaProps>;
  required?: string[];
  items?: JSONSchemaProps;
  additionalProperties?: JSONSchemaProps;
  'x-kubernetes-preserve-unknown-fields'?: true;
  'x-kubernetes-int-or-string'?: true;
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
}
