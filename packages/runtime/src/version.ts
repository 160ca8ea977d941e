import { readFileSync } from 'node:fs';

// Read at runtime rather than imported: the same relative path works from src/ and from dist/.
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** Capstan's version: all workspace packages share one version and are released together. */
export const capstanVersion: string = pkg.version;
