import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The absolute path of an executable on PATH, or undefined. */
export function which(name: string, path = process.env['PATH'] ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

/** Like which, but a missing program is a test failure that says how to get it. */
export function requireProgram(name: string, howToInstall: string): string {
  const found = which(name);
  if (found === undefined) throw new Error(`${name} is not on PATH; ${howToInstall}`);
  return found;
}
