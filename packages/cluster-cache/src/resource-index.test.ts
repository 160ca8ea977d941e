import { describe, expect, it } from 'vitest';
import type { KubeObject } from './kube-object.ts';
import { ResourceIndex, type NodeDraft } from './resource-index.ts';

function draft(kind: string, name: string, uid: string, extra: Partial<NodeDraft> = {}): NodeDraft {
  return {
    group: kind === 'Deployment' || kind === 'ReplicaSet' ? 'apps' : '',
    version: 'v1',
    kind,
    namespace: 'ns',
    name,
    uid,
    resourceVersion: '1',
    ownerUids: [],
    ...extra,
  };
}

const obj = (name: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, managedFields: [{ manager: 'argocd-controller' }] },
});

const names = (nodes: readonly { name: string }[]): string[] => nodes.map((n) => n.name).sort();

describe('ResourceIndex', () => {
  it('keeps full objects only for managed roots and resolves descendants to the root app', () => {
    const ix = new ResourceIndex();
    ix.upsert(draft('Deployment', 'web', 'd1'), 'app', obj('web'));
    ix.upsert(draft('ReplicaSet', 'web-1', 'r1', { ownerUids: ['d1'] }), undefined, undefined);
    ix.upsert(draft('Pod', 'web-1-a', 'p1', { ownerUids: ['r1'] }), undefined, undefined);
    ix.upsert(draft('ConfigMap', 'other', 'c1'), undefined, { kind: 'ConfigMap' });

    expect(names(ix.tree('app'))).toEqual(['web', 'web-1', 'web-1-a']);
    expect(ix.managedObjects('app')).toEqual([obj('web')]);
    expect(
      ix.object({ group: 'apps', kind: 'Deployment', namespace: 'ns', name: 'web' })?.metadata?.managedFields,
    ).toHaveLength(1);
    expect(ix.object({ group: 'apps', kind: 'ReplicaSet', namespace: 'ns', name: 'web-1' })).toBeUndefined();
    expect(ix.object({ group: '', kind: 'ConfigMap', namespace: 'ns', name: 'other' })).toBeUndefined();
    expect(ix.get({ group: '', kind: 'Pod', namespace: 'ns', name: 'web-1-a' })?.appName).toBe('app');
    expect(ix.get({ group: '', kind: 'ConfigMap', namespace: 'ns', name: 'other' })?.appName).toBeUndefined();
    expect(ix.size).toBe(4);
  });

  it('adopts children that arrived before their parent', () => {
    const ix = new ResourceIndex();
    ix.upsert(draft('Pod', 'p', 'p1', { ownerUids: ['r1'] }), undefined, undefined);
    ix.upsert(draft('ReplicaSet', 'rs', 'r1', { ownerUids: ['d1'] }), undefined, undefined);
    expect(ix.tree('app')).toEqual([]);
    ix.takeMoved();
    ix.upsert(draft('Deployment', 'web', 'd1'), 'app', obj('web'));
    expect(names(ix.tree('app'))).toEqual(['p', 'rs', 'web']);
    // Listeners learn that the early children now belong to the app.
    expect(ix.takeMoved().map((m) => [m.node.name, m.previousAppName, m.node.appName])).toEqual([
      ['web', undefined, 'app'],
      ['rs', undefined, 'app'],
      ['p', undefined, 'app'],
    ]);
    expect(ix.takeMoved()).toEqual([]);
  });

  it('moves the whole subtree when the root changes tracking, and drops it when tracking goes', () => {
    const ix = new ResourceIndex();
    ix.upsert(draft('Deployment', 'web', 'd1'), 'a', obj('web'));
    ix.upsert(draft('ReplicaSet', 'rs', 'r1', { ownerUids: ['d1'] }), undefined, undefined);
    ix.upsert(draft('Pod', 'p', 'p1', { ownerUids: ['r1'] }), undefined, undefined);
    ix.upsert({ ...draft('Deployment', 'web', 'd1'), resourceVersion: '2' }, 'b', obj('web'));
    expect(ix.tree('a')).toEqual([]);
    expect(ix.managedObjects('a')).toEqual([]);
    expect(names(ix.tree('b'))).toEqual(['p', 'rs', 'web']);
    ix.upsert({ ...draft('Deployment', 'web', 'd1'), resourceVersion: '3' }, undefined, obj('web'));
    expect(ix.tree('b')).toEqual([]);
    expect(ix.object({ group: 'apps', kind: 'Deployment', namespace: 'ns', name: 'web' })).toBeUndefined();
    expect(ix.appNames()).toEqual([]);
  });

  it("lets a descendant's own tracking win over its ancestor's", () => {
    const ix = new ResourceIndex();
    ix.upsert(draft('Deployment', 'web', 'd1'), 'a', obj('web'));
    ix.upsert(draft('ReplicaSet', 'rs', 'r1', { ownerUids: ['d1'] }), 'b', obj('rs'));
    ix.upsert(draft('Pod', 'p', 'p1', { ownerUids: ['r1'] }), undefined, undefined);
    expect(names(ix.tree('a'))).toEqual(['web']);
    expect(names(ix.tree('b'))).toEqual(['p', 'rs']);
  });

  it('re-resolves descendants when a parent is removed', () => {
    const ix = new ResourceIndex();
    ix.upsert(draft('Deployment', 'web', 'd1'), 'a', obj('web'));
    ix.upsert(draft('ReplicaSet', 'rs', 'r1', { ownerUids: ['d1'] }), undefined, undefined);
    const removed = ix.remove('d1');
    expect(removed?.appName).toBe('a');
    expect(ix.tree('a')).toEqual([]);
    expect(
      ix.get({ group: 'apps', kind: 'ReplicaSet', namespace: 'ns', name: 'rs' })?.appName,
    ).toBeUndefined();
    expect(ix.remove('d1')).toBeUndefined();
  });

  it('links Endpoints to the Service of their name, whichever arrives first', () => {
    const ix = new ResourceIndex();
    const svcKey = { group: '', kind: 'Service', namespace: 'ns', name: 'web' };
    ix.upsert(draft('Endpoints', 'web', 'e1', { inferredParent: svcKey }), undefined, undefined);
    ix.upsert(draft('Service', 'web', 's1'), 'a', { kind: 'Service' });
    expect(ix.getByUid('e1')?.parentUids).toEqual(['s1']);
    expect(names(ix.tree('a'))).toEqual(['web', 'web']);
    ix.upsert(
      draft('Endpoints', 'web2', 'e2', { inferredParent: { ...svcKey, name: 'web2' } }),
      undefined,
      undefined,
    );
    expect(ix.getByUid('e2')?.parentUids).toEqual([]);
    ix.remove('s1');
    expect(ix.getByUid('e1')?.parentUids).toEqual([]);
    expect(ix.tree('a')).toEqual([]);
  });

  it('reconciles a relist: drops only the vanished objects of that type (and namespace)', () => {
    const ix = new ResourceIndex();
    ix.upsert(draft('ConfigMap', 'keep', 'c1'), 'a', { kind: 'ConfigMap' });
    ix.upsert(draft('ConfigMap', 'gone', 'c2'), 'a', { kind: 'ConfigMap' });
    ix.upsert({ ...draft('ConfigMap', 'elsewhere', 'c3'), namespace: 'other' }, undefined, undefined);
    ix.upsert(draft('Secret', 's', 's1'), undefined, undefined);
    const removed = ix.retainType('', 'ConfigMap', 'ns', new Set(['c1']));
    expect(removed.map((r) => r.node.name)).toEqual(['gone']);
    expect(removed[0]).toMatchObject({ managedRoot: true, node: { appName: 'a' } });
    expect(names(ix.tree('a'))).toEqual(['keep']);
    expect(ix.typeSize('', 'ConfigMap')).toBe(2);
    expect(ix.typeSize('', 'Secret')).toBe(1);
    expect(ix.retainType('', 'ConfigMap', undefined, new Set(['c1']))).toMatchObject([
      { managedRoot: false, node: { name: 'elsewhere' } },
    ]);
    expect(ix.removeType('', 'ConfigMap').map((r) => r.node.name)).toEqual(['keep']);
    expect(ix.size).toBe(1);
  });

  it('replaces an object recreated under the same name with a new uid', () => {
    const ix = new ResourceIndex();
    ix.upsert(draft('ConfigMap', 'c', 'old'), 'a', { kind: 'ConfigMap' });
    const { node, replaced } = ix.upsert(draft('ConfigMap', 'c', 'new'), 'a', { kind: 'ConfigMap' });
    expect(replaced?.uid).toBe('old');
    expect(node.uid).toBe('new');
    expect(ix.size).toBe(1);
    expect(ix.tree('a').map((n) => n.uid)).toEqual(['new']);
  });

  it('survives ownership cycles', () => {
    const ix = new ResourceIndex();
    ix.upsert(draft('ConfigMap', 'x', 'x', { ownerUids: ['y'] }), undefined, undefined);
    ix.upsert(draft('ConfigMap', 'y', 'y', { ownerUids: ['x'] }), 'a', { kind: 'ConfigMap' });
    expect(names(ix.tree('a'))).toEqual(['x', 'y']);
    ix.upsert(
      { ...draft('ConfigMap', 'y', 'y', { ownerUids: ['x'] }), resourceVersion: '2' },
      undefined,
      undefined,
    );
    expect(ix.tree('a')).toEqual([]);
    expect(ix.getByUid('x')?.appName).toBeUndefined();
  });
});
