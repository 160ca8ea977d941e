import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@capstan/testkit';

// The fixtures are deliberately bad code, kept outside every tsconfig and ignored by the normal lint run.
const fixtures = join(repoRoot, 'test', 'e2e', 'lint-fixtures');

async function ruleIds(file: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: repoRoot,
    ignore: false,
    overrideConfig: {
      languageOptions: {
        parserOptions: { projectService: { allowDefaultProject: ['test/e2e/lint-fixtures/*.ts'] } },
      },
    },
  });
  const [result] = await eslint.lintFiles([join(fixtures, file)]);
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('the lint policy', () => {
  it('rejects deep imports into another package', async () => {
    expect(await ruleIds('deep-import.ts')).toContain('no-restricted-imports');
  });

  it('rejects import cycles', async () => {
    expect(await ruleIds('cycle-a.ts')).toContain('import-x/no-cycle');
  });

  it('rejects floating promises and non-exhaustive switches', async () => {
    const ids = await ruleIds('floating.ts');
    expect(ids).toContain('@typescript-eslint/no-floating-promises');
    expect(ids).toContain('@typescript-eslint/switch-exhaustiveness-check');
  });
});
