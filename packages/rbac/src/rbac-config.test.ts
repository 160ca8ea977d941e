import { describe, expect, it } from 'vitest';
import { parseRbacConfig } from './rbac-config.ts';

describe('parseRbacConfig', () => {
  it('has Argo CD defaults', () => {
    expect(parseRbacConfig({})).toEqual({
      policies: [],
      defaultRole: '',
      scopes: ['groups'],
      matchMode: 'glob',
      diagnostics: [],
    });
  });

  it('orders policy.csv first, then overlays by key; ignores other keys', () => {
    const config = parseRbacConfig(
      new Map([
        ['policy.overlay.csv', 'o'],
        ['policy.A.csv', 'A'],
        ['policy.csv', 'main'],
        ['policy.default', 'role:readonly'],
        ['policy.csv.bak', 'no'],
        ['xpolicy.y.csv', 'no'],
      ]),
    );
    expect(config.policies.map((p) => p.source)).toEqual([
      'policy.csv',
      'policy.A.csv',
      'policy.overlay.csv',
    ]);
    expect(config.defaultRole).toBe('role:readonly');
  });

  it.each([
    ['[groups, email]', ['groups', 'email']],
    ["['cognito:groups']", ['cognito:groups']],
    ['- groups\n- email', ['groups', 'email']],
    ['email', ['email']],
    ['', ['groups']],
    ['[]', []],
  ])('reads scopes %j', (scopes, want) => {
    const config = parseRbacConfig({ scopes });
    expect(config.scopes).toEqual(want);
    expect(config.diagnostics).toEqual([]);
  });

  it.each(['[groups', '{a: b}', '[1, 2]'])('rejects scopes %j and counts no claim as a group', (scopes) => {
    const config = parseRbacConfig({ scopes });
    expect(config.scopes).toEqual([]);
    expect(config.diagnostics[0]).toMatchObject({ severity: 'error', source: 'scopes' });
  });

  it.each([
    ['regex', 'regex', 0],
    ['glob', 'glob', 0],
    ['', 'glob', 0],
    ['Regex', 'glob', 1],
  ])('match mode %j', (value, mode, warnings) => {
    const config = parseRbacConfig({ 'policy.matchMode': value });
    expect(config.matchMode).toBe(mode);
    expect(config.diagnostics).toHaveLength(warnings);
  });

  it('keeps a default role with white space as Argo CD does, and warns', () => {
    const config = parseRbacConfig({ 'policy.default': 'role:readonly\n' });
    expect(config.defaultRole).toBe('role:readonly\n');
    expect(config.diagnostics[0]!.message).toContain('white space');
  });
});
