import { describe, expect, it } from 'vitest';
import { subjectsFromClaims } from './claims.ts';

describe('subjectsFromClaims', () => {
  it('uses sub and the groups claim by default', () => {
    expect(subjectsFromClaims({ sub: 'alice', groups: ['a', 'b'] })).toEqual({
      subject: 'alice',
      groups: ['a', 'b'],
    });
  });

  it("prefers Dex's federated user id", () => {
    expect(
      subjectsFromClaims({ sub: 'CiQwOG', federated_claims: { connector_id: 'github', user_id: 'bob' } }),
    ).toEqual({ subject: 'bob', groups: [] });
    expect(subjectsFromClaims({ sub: 'CiQwOG', federated_claims: { user_id: '' } }).subject).toBe('CiQwOG');
  });

  it('collects strings from each scope, skipping other values', () => {
    const claims = {
      sub: 1,
      groups: ['a', 2, null, 'b'],
      email: 'e@x',
      'cognito:groups': 'c',
      other: { x: 1 },
    };
    expect(subjectsFromClaims(claims, ['groups', 'email', 'cognito:groups', 'other', 'missing'])).toEqual({
      subject: '',
      groups: ['a', 'b', 'e@x', 'c'],
    });
  });
});
