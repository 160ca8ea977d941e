import { formatJsonPointer } from './json-pointer.ts';
import { hasOwn, isPlainObject } from './json-value.ts';

/** One difference between the normalized live object and the predicted one; values are left out on purpose. */
export interface DiffChange {
  readonly op: 'add' | 'remove' | 'replace';
  /** RFC 6901 pointer. */
  readonly path: string;
}

function walk(before: unknown, after: unknown, path: (string | number)[], out: DiffChange[]): void {
  // Predictions share untouched subtrees with the live object, so equal references end the walk early.
  if (before === after) return;
  if (isPlainObject(before) && isPlainObject(after)) {
    for (const key in before) {
      path.push(key);
      if (!hasOwn(after, key)) out.push({ op: 'remove', path: formatJsonPointer(path) });
      else walk(before[key], after[key], path, out);
      path.pop();
    }
    for (const key in after) {
      if (!hasOwn(before, key)) out.push({ op: 'add', path: formatJsonPointer([...path, key]) });
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    for (let i = 0; i < before.length; i++) {
      path.push(i);
      walk(before[i], after[i], path, out);
      path.pop();
    }
    return;
  }
  if (typeof before === 'object' || typeof after === 'object' || before !== after) {
    out.push({ op: 'replace', path: formatJsonPointer(path) });
  }
}

/** The paths where `after` differs from `before`, as JSON Patch operations without values. */
export function listChanges(before: unknown, after: unknown): DiffChange[] {
  const out: DiffChange[] = [];
  walk(before, after, [], out);
  return out;
}
