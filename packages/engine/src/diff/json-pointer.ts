import type { CopyOnWrite } from './copy-on-write.ts';
import { hasOwn, isPlainObject, type JsonObject } from './json-value.ts';

/** RFC 6901 reference tokens of a pointer, or undefined when it is not a valid pointer ("" is the whole document). */
export function parseJsonPointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  const tokens = pointer.slice(1).split('/');
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    if (/~[^01]|~$/.test(token)) return undefined;
    tokens[i] = token.replace(/~1/g, '/').replace(/~0/g, '~');
  }
  return tokens;
}

export function formatJsonPointer(tokens: readonly (string | number)[]): string {
  let out = '';
  for (const token of tokens) out += '/' + String(token).replace(/~/g, '~0').replace(/\//g, '~1');
  return out;
}

function arrayIndex(token: string, length: number): number | undefined {
  // JSON Patch `remove` accepts only canonical indexes of existing elements (no "-", no leading zeros).
  if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
  const index = Number(token);
  return index < length ? index : undefined;
}

function exists(root: JsonObject, tokens: readonly string[]): boolean {
  let node: unknown = root;
  for (const token of tokens) {
    if (Array.isArray(node)) {
      const index = arrayIndex(token, node.length);
      if (index === undefined) return false;
      node = node[index];
    } else if (isPlainObject(node)) {
      if (!hasOwn(node, token)) return false;
      node = node[token];
    } else {
      return false;
    }
  }
  return true;
}

/**
 * Applies a JSON Patch `remove` at the pointer. A path that does not exist leaves the document as it is, which
 * is what an ignore rule means for an object that lacks the field (Argo CD logs and skips the failed patch).
 * Removing the whole document is refused the same way.
 */
export function removeAtPointer(root: JsonObject, tokens: readonly string[], cow: CopyOnWrite): JsonObject {
  if (tokens.length === 0 || !exists(root, tokens)) return root;
  const last = tokens[tokens.length - 1] ?? '';
  if (tokens.length === 1) return cow.omit(root, last);
  const out = cow.own(root);
  // Own every container down to the grandparent; the parent itself is replaced by a copy without the member.
  let node: JsonObject | unknown[] = out;
  for (let i = 0; i < tokens.length - 2; i++) {
    const token = tokens[i] ?? '';
    const child = cow.ownChild(node, Array.isArray(node) ? Number(token) : token);
    if (child === undefined) return out;
    node = child;
  }
  const parentToken = tokens[tokens.length - 2] ?? '';
  const slot = (Array.isArray(node) ? Number(parentToken) : parentToken) as string;
  const holder = node as Record<string, unknown>;
  const parent = holder[slot];
  if (Array.isArray(parent)) {
    const owned = cow.own(parent);
    owned.splice(Number(last), 1);
    holder[slot] = owned;
  } else if (isPlainObject(parent)) {
    holder[slot] = cow.omit(parent, last);
  }
  return out;
}
