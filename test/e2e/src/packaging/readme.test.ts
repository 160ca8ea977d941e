import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { env } from '@capstan/runtime';
import { repoRoot } from '@capstan/testkit';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};

describe('README', () => {
  it('documents every environment variable the services read', () => {
    for (const v of Object.values(env)) {
      const documented =
        readme.includes(`\`${v.name}\``) ||
        readme.includes(`\`${v.name.replace(/_(GRPC|METRICS)_PORT$/, '_GRPC_PORT')}\``);
      expect(documented, `${v.name} is missing from README.md`).toBe(true);
    }
  });

  it('gives exactly the two set-up commands, and .ci/run runs the test one', () => {
    const setup = /## Set up and run[^\n]*\n\n```bash\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(
      setup
        .trim()
        .split('\n')
        .map((l) => l.split('#')[0]!.trim()),
    ).toEqual(['npm start', 'npm test']);
    expect(readFileSync(join(repoRoot, '.ci', 'run'), 'utf8')).toMatch(/^npm test$/m);
    expect(pkg.scripts['start']).toBeDefined();
    expect(pkg.scripts['test']).toBeDefined();
  });

  it('mentions only npm scripts that exist', () => {
    for (const [, script] of readme.matchAll(/`npm run ([a-z:-]+)/g))
      expect(pkg.scripts[script!], `npm run ${script}`).toBeDefined();
  });
});
