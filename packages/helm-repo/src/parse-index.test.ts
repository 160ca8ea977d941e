import { describe, expect, it } from 'vitest';
import { parseIndex } from './parse-index.ts';

const repo = 'https://charts.example.com';

describe('parseIndex', () => {
  it('reads entries with every scalar as written, newest version first', () => {
    const { charts, skipped } = parseIndex(
      `apiVersion: v1
entries:
  app:
  - name: app
    version: 1.9.0
    appVersion: 1.10
    digest: 0123
    urls: [app-1.9.0.tgz]
    maintainers: [{name: Ann, email: ann@example.com}, {email: bob@example.com}]
  - name: app
    version: 1.10.0
    created: "2024-01-02T03:04:05Z"
    urls: [https://cdn.example/app-1.10.0.tgz]
  - name: app
  - not-a-mapping
`,
      repo,
    );
    const app = charts.get('app') ?? [];
    expect(app.map((v) => v.version)).toEqual(['1.10.0', '1.9.0']);
    expect(app[1]).toMatchObject({
      appVersion: '1.10',
      digest: '0123',
      maintainers: ['Ann', 'bob@example.com'],
    });
    expect(app[0]?.created).toBe('2024-01-02T03:04:05Z');
    expect(skipped).toBe(2);
  });

  it('accepts an index without charts', () => {
    expect(parseIndex('apiVersion: v1\nentries: {}\n', repo).charts.size).toBe(0);
    expect(parseIndex('apiVersion: v1\nentries:\n', repo).charts.size).toBe(0);
  });

  it('calls malformed text, non-mappings and bad entries InvalidArgument naming the repository', () => {
    for (const text of [
      'entries: [unclosed',
      '<html>not found</html>',
      'entries: [1, 2]',
      'entries:\n  app: 3\n',
      '',
    ]) {
      expect(() => parseIndex(text, repo)).toThrow(
        expect.objectContaining({
          code: 'InvalidArgument',
          message: expect.stringContaining(repo) as unknown,
        }),
      );
    }
  });
});
