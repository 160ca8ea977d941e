// Human-readable rendering of a failed validation, one line per error, e.g.
//   Application "my-app": spec.syncPolicy.automated.prune: must be boolean (got string "yes")
import type { FieldError } from './field-error.ts';

export interface ValidationErrorSubject {
  kind?: string;
  name?: string;
  errors: readonly FieldError[];
}

const MAX_SHOWN = 60;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string') {
    const json = JSON.stringify(value);
    return `string ${json.length > MAX_SHOWN ? `${json.slice(0, MAX_SHOWN)}…"` : json}`;
  }
  if (typeof value === 'number') return `${Number.isInteger(value) ? 'integer' : 'number'} ${value}`;
  if (typeof value === 'boolean') return `boolean ${value}`;
  return typeof value;
}

function subject(kind: string | undefined, name: string | undefined): string {
  const what = kind ?? 'resource';
  return name === undefined ? `${what} (unnamed)` : `${what} ${JSON.stringify(name)}`;
}

export function formatValidationErrors(failure: ValidationErrorSubject): string {
  const prefix = subject(failure.kind, failure.name);
  return failure.errors
    .map((error) => {
      const where = error.path === '' ? '' : `${error.path}: `;
      const got = 'value' in error ? ` (got ${describe(error.value)})` : '';
      return `${prefix}: ${where}${error.message}${got}`;
    })
    .join('\n');
}
