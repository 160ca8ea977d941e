import { describe, expect, it } from 'vitest';
import {
  applicationRbacName,
  applicationResourceActions,
  fineGrainedInheritanceDisabled,
  resourceCustomAction,
  resourceVerbAction,
  rollbackAction,
} from './application-actions.ts';

describe('application RBAC helpers', () => {
  it('names applications as Argo CD does', () => {
    expect(applicationRbacName({ project: 'p', name: 'a' }, 'argocd')).toBe('p/a');
    expect(applicationRbacName({ project: 'p', namespace: 'argocd', name: 'a' }, 'argocd')).toBe('p/a');
    expect(applicationRbacName({ project: 'p', namespace: 'team', name: 'a' }, 'argocd')).toBe('p/team/a');
    expect(applicationRbacName({ project: '', namespace: 'team', name: 'a' }, '')).toBe('default/a');
  });

  it('builds fine-grained actions', () => {
    const pod = { group: '', kind: 'Pod', namespace: 'ns', name: 'web-1' };
    expect(resourceVerbAction('delete', pod)).toBe('delete//Pod/ns/web-1');
    expect(resourceCustomAction('extensions', 'DaemonSet', 'restart')).toBe(
      'action/extensions/DaemonSet/restart',
    );
    expect(applicationResourceActions('update', pod, { fineGrainedInheritanceDisabled: true })).toEqual([
      'update//Pod/ns/web-1',
    ]);
    expect(applicationResourceActions('update', pod, { fineGrainedInheritanceDisabled: false })).toEqual([
      'update',
      'update//Pod/ns/web-1',
    ]);
    expect(applicationResourceActions('get', pod, { fineGrainedInheritanceDisabled: true })).toEqual(['get']);
  });

  it('reads the argocd-cm switches with Go boolean syntax', () => {
    expect(fineGrainedInheritanceDisabled({})).toBe(true);
    expect(
      fineGrainedInheritanceDisabled({ 'server.rbac.disableApplicationFineGrainedRBACInheritance': 'false' }),
    ).toBe(false);
    expect(
      fineGrainedInheritanceDisabled({ 'server.rbac.disableApplicationFineGrainedRBACInheritance': 'T' }),
    ).toBe(true);
    expect(() =>
      fineGrainedInheritanceDisabled({ 'server.rbac.disableApplicationFineGrainedRBACInheritance': 'yes' }),
    ).toThrow(/invalid boolean/);
    expect(rollbackAction({})).toBe('sync');
    expect(rollbackAction({ 'server.rbac.rollback.enforce.enable': 'true' })).toBe('rollback');
    expect(rollbackAction({ 'server.rbac.rollback.enforce.enable': '0' })).toBe('sync');
  });
});
