import { describe, expect, it } from 'vitest';
import { formatValidationErrors } from './format-validation-errors.ts';

describe('formatValidationErrors', () => {
  it('writes one line per error with the offending value', () => {
    const text = formatValidationErrors({
      kind: 'Application',
      name: 'my-app',
      errors: [
        { path: 'spec.syncPolicy.automated.prune', message: 'must be boolean', value: 'yes' },
        { path: 'spec.destination', message: 'is required' },
        { path: 'spec.revisionHistoryLimit', message: 'must be integer', value: 1.5 },
        { path: 'spec.info[0].value', message: 'must be string', value: 10 },
        { path: 'spec.source', message: 'must be object', value: ['x'] },
        { path: 'spec.project', message: 'must be string', value: null },
        { path: 'spec.syncPolicy.automated', message: 'must be object', value: false },
      ],
    });
    expect(text.split('\n')).toEqual([
      'Application "my-app": spec.syncPolicy.automated.prune: must be boolean (got string "yes")',
      'Application "my-app": spec.destination: is required',
      'Application "my-app": spec.revisionHistoryLimit: must be integer (got number 1.5)',
      'Application "my-app": spec.info[0].value: must be string (got integer 10)',
      'Application "my-app": spec.source: must be object (got array)',
      'Application "my-app": spec.project: must be string (got null)',
      'Application "my-app": spec.syncPolicy.automated: must be object (got boolean false)',
    ]);
  });

  it('names unnamed and unknown resources and shortens long values', () => {
    const text = formatValidationErrors({
      errors: [
        { path: '', message: 'must be an object', value: 'x'.repeat(100) },
        { path: 'kind', message: 'is required' },
      ],
    });
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^resource \(unnamed\): must be an object \(got string "x{59}…"\)$/);
    expect(lines[1]).toBe('resource (unnamed): kind: is required');
    expect(formatValidationErrors({ kind: 'AppProject', errors: [] })).toBe('');
  });
});
