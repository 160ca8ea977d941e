import { fileURLToPath } from 'node:url';

/** The monorepo root, from this file's place in it (packages/testkit/src). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The seed article's examples (manifests and commands), vendored from the project's shared/seed so a
 * fresh clone tests against them without anything outside the repository.
 */
export const seedDir = fileURLToPath(new URL('../../../test/seed/', import.meta.url));
