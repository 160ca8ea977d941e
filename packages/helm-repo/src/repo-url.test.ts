import { describe, expect, it } from 'vitest';
import { displayUrl, indexUrl, parseRepoUrl, resolveChartUrl } from './repo-url.ts';

const repo = (url: string): URL => parseRepoUrl(url).url;

describe('parseRepoUrl', () => {
  it('drops a trailing slash and fragment, keeps path and query', () => {
    expect(repo('https://charts.example.com/stable/?token=x#frag').href).toBe(
      'https://charts.example.com/stable?token=x',
    );
  });

  it('takes userinfo out of the URL as credentials', () => {
    const parsed = parseRepoUrl('https://al%40ice:p%3Ass@charts.example.com/');
    expect(parsed.userinfo).toEqual({ username: 'al@ice', password: 'p:ss' });
    expect(parsed.url.href).not.toContain('p%3Ass');
  });

  it('refuses OCI, other schemes and garbage without echoing a password', () => {
    expect(() => parseRepoUrl('oci://registry.example.com/charts')).toThrow(/OCI/);
    expect(() => parseRepoUrl('ftp://host/charts')).toThrow(
      expect.objectContaining({ code: 'InvalidArgument' }),
    );
    try {
      parseRepoUrl('http://user:hunter2@[bad');
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).not.toContain('hunter2');
    }
  });
});

describe('indexUrl', () => {
  it('appends index.yaml to the repository path', () => {
    expect(indexUrl(repo('https://h.example/')).href).toBe('https://h.example/index.yaml');
    expect(indexUrl(repo('https://h.example/a/b/')).href).toBe('https://h.example/a/b/index.yaml');
    expect(indexUrl(repo('https://h.example/a?sig=1')).href).toBe('https://h.example/a/index.yaml?sig=1');
  });
});

describe('resolveChartUrl', () => {
  it('resolves a relative URL against the repository URL taken as a directory', () => {
    expect(resolveChartUrl(repo('https://h.example/charts'), 'nginx-1.0.0.tgz').href).toBe(
      'https://h.example/charts/nginx-1.0.0.tgz',
    );
    expect(resolveChartUrl(repo('https://h.example/charts/'), 'sub/nginx-1.0.0.tgz').href).toBe(
      'https://h.example/charts/sub/nginx-1.0.0.tgz',
    );
    expect(resolveChartUrl(repo('https://h.example'), 'nginx-1.0.0.tgz').href).toBe(
      'https://h.example/nginx-1.0.0.tgz',
    );
  });

  it('resolves root-relative and parent-relative URLs like a browser', () => {
    expect(resolveChartUrl(repo('https://h.example/a/b'), '/x.tgz').href).toBe('https://h.example/x.tgz');
    expect(resolveChartUrl(repo('https://h.example/a/b'), '../x.tgz').href).toBe('https://h.example/a/x.tgz');
  });

  it("keeps the repository's query on relative URLs (Helm's ResolveReferenceURL)", () => {
    expect(resolveChartUrl(repo('https://h.example/c?sig=abc'), 'x-1.tgz').href).toBe(
      'https://h.example/c/x-1.tgz?sig=abc',
    );
  });

  it('uses absolute URLs as they are, on any origin, without userinfo', () => {
    expect(resolveChartUrl(repo('https://h.example/c'), 'https://cdn.example/x-1.tgz?a=1').href).toBe(
      'https://cdn.example/x-1.tgz?a=1',
    );
    expect(resolveChartUrl(repo('https://h.example/c'), 'https://u:p@cdn.example/x.tgz').href).toBe(
      'https://cdn.example/x.tgz',
    );
  });

  it('refuses chart URLs that are not http(s)', () => {
    expect(() => resolveChartUrl(repo('https://h.example'), 'file:///etc/passwd')).toThrow(
      /not http or https/,
    );
  });
});

describe('displayUrl', () => {
  it('shows neither userinfo nor query', () => {
    expect(displayUrl(new URL('https://u:secret@h.example/a/?token=secret'))).toBe('https://h.example/a');
  });
});
