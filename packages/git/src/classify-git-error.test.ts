import { describe, expect, it } from 'vitest';
import { classifyGitError } from './classify-git-error.ts';
import { redact, splitUrlCredentials } from './redact.ts';

const url = 'https://git.example/org/repo.git';
const classify = (stderr: string, extra: { ref?: string; timeoutMs?: number; secrets?: string[] } = {}) =>
  classifyGitError({ operation: 'fetch', url, stderr, exitCode: 128, ...extra });

describe('classifyGitError', () => {
  it.each([
    ["fatal: Authentication failed for 'https://git.example/org/repo.git/'", 'Unauthenticated'],
    [
      "fatal: could not read Username for 'https://git.example': terminal prompts disabled",
      'Unauthenticated',
    ],
    [
      "fatal: unable to access 'https://git.example/org/repo.git/': The requested URL returned error: 401",
      'Unauthenticated',
    ],
    [
      'git@git.example: Permission denied (publickey).\nfatal: Could not read from remote repository.',
      'Unauthenticated',
    ],
    [
      "fatal: unable to access 'https://git.example/org/repo.git/': The requested URL returned error: 403",
      'PermissionDenied',
    ],
    ["fatal: unable to access 'https://git.example/': Could not resolve host: git.example", 'Unavailable'],
    [
      "fatal: unable to access 'http://127.0.0.1:1/x/': Failed to connect to 127.0.0.1 port 1: Connection refused",
      'Unavailable',
    ],
    [
      'ssh: connect to host 127.0.0.1 port 1: Connection refused\nfatal: Could not read from remote repository.',
      'Unavailable',
    ],
    ['ssh: connect to host git.example port 22: Connection timed out', 'Unavailable'],
    [
      "fatal: unable to access 'https://git.example/': SSL certificate problem: self-signed certificate",
      'Unavailable',
    ],
    [
      "remote: Repository not found.\nfatal: repository 'https://git.example/org/repo.git/' not found",
      'NotFound',
    ],
    ["fatal: 'org/repo.git' does not appear to be a git repository", 'NotFound'],
    ['something nobody expected', 'Internal'],
  ])('%s → %s', (stderr, code) => {
    expect(classify(stderr).code).toBe(code);
  });

  it('says so when the host key does not match', () => {
    const err = classify(
      '@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\nHost key verification failed.\nfatal: Could not read from remote repository.',
    );
    expect(err.code).toBe('Unauthenticated');
    expect(err.message).toContain('host key');
    expect(
      classify('No ED25519 host key is known for [127.0.0.1]:2222 and you have requested strict checking.')
        .code,
    ).toBe('Unauthenticated');
  });

  it('names the ref a missing-revision error is about', () => {
    const err = classify("fatal: couldn't find remote ref refs/heads/nope", { ref: 'nope' });
    expect(err.code).toBe('NotFound');
    expect(err.message).toBe(`revision 'nope' not found in repository ${url}`);
    expect(err.details).toEqual({ repo: url, revision: 'nope' });
    const sha = 'ab'.repeat(20);
    expect(classify(`fatal: remote error: upload-pack: not our ref ${sha}`, { ref: sha }).message).toContain(
      sha,
    );
    expect(classify(`fatal: not a valid object name ${sha}`, { ref: sha }).code).toBe('NotFound');
  });

  it('reports an ambiguous short SHA as an invalid argument', () => {
    const err = classify('error: short object ID ea44 is ambiguous\nfatal: Needed a single revision', {
      ref: 'ea44',
    });
    expect(err.code).toBe('InvalidArgument');
    expect(err.message).toContain("'ea44'");
  });

  it('turns a kill after the time limit into DeadlineExceeded, whatever git printed', () => {
    const err = classify('fatal: Authentication failed', { timeoutMs: 2500 });
    expect(err.code).toBe('DeadlineExceeded');
    expect(err.message).toBe(`git fetch of ${url} timed out after 2.5s`);
  });

  it('keeps credentials out of the message, details and cause', () => {
    const err = classifyGitError({
      operation: 'ls-remote',
      url: 'https://alice:pw-in-url@git.example/org/repo.git',
      stderr:
        "fatal: unable to access 'https://alice:pw-in-url@git.example/org/repo.git/': server said hunter2-secret is wrong",
      secrets: ['hunter2-secret'],
    });
    const everything = `${err.message} ${JSON.stringify(err.details)} ${String(err.cause)}`;
    expect(everything).not.toContain('pw-in-url');
    expect(everything).not.toContain('alice');
    expect(everything).not.toContain('hunter2-secret');
    expect(err.message).toContain('https://git.example/org/repo.git');
    expect(err.code).toBe('Unavailable');
  });

  it('never copies unrecognised output verbatim when it may hold a URL with credentials', () => {
    const err = classify('fatal: weird https://bob:tok3n@git.example/x thing');
    expect(err.code).toBe('Internal');
    expect(err.message).toContain('https://git.example/x');
    expect(err.message).not.toContain('tok3n');
  });
});

describe('redact', () => {
  it('drops HTTP userinfo, keeps SSH user names, masks secrets', () => {
    expect(redact('see https://u:p@h/x and http://tok@h/y')).toBe('see https://h/x and http://h/y');
    expect(redact('ssh://git:pw@h/x ssh://git@h/y')).toBe('ssh://git@h/x ssh://git@h/y');
    expect(redact('the key is abc123', ['abc123'])).toBe('the key is ***');
  });

  it('moves credentials out of an HTTP URL', () => {
    expect(splitUrlCredentials('https://alice:p%40ss@host/repo.git')).toEqual({
      url: 'https://host/repo.git',
      username: 'alice',
      password: 'p@ss',
    });
    expect(splitUrlCredentials('https://host/repo.git')).toEqual({ url: 'https://host/repo.git' });
    expect(splitUrlCredentials('ssh://git@host/repo.git')).toEqual({ url: 'ssh://git@host/repo.git' });
  });
});
