import { fileURLToPath } from 'node:url';

/** The monorepo root, from this file's place in it (tools/devtools/src). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
