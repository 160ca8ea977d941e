import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

function capture(): { lines: () => Record<string, unknown>[]; stream: PassThrough } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString()));
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  it('writes JSON lines with level, message, base and child fields', () => {
    const out = capture();
    const log = createLogger({ level: 'info', base: { service: 'repo-server' }, destination: out.stream });
    log.child({ component: 'git' }).info('fetched', { repo: 'https://git.example/r.git' });
    log.debug('hidden');
    const [line] = out.lines();
    expect(out.lines()).toHaveLength(1);
    expect(line).toMatchObject({
      level: 'info',
      msg: 'fetched',
      service: 'repo-server',
      component: 'git',
      repo: 'https://git.example/r.git',
    });
    expect(typeof line?.['time']).toBe('string');
  });

  it('masks secret-looking fields even when a caller logs them by mistake', () => {
    const out = capture();
    const log = createLogger({ level: 'info', destination: out.stream });
    log.info('repo', {
      password: 'hunter2',
      creds: { sshPrivateKey: 'KEY', username: 'git' },
      headers: { authorization: 'Bearer t' },
    });
    const text = JSON.stringify(out.lines());
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('KEY');
    expect(text).not.toContain('Bearer t');
    expect(text).toContain('"username":"git"');
  });
});
