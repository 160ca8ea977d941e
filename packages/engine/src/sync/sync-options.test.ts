import { describe, expect, it } from 'vitest';
import { annotationCsv } from './annotation-csv.ts';
import { effectiveDelete, effectivePrune, parseAppSyncOptions, resourceSyncOptions } from './sync-options.ts';
import { cm } from './__tests__/sync-fixtures.ts';

describe('sync options', () => {
  it('reads annotation CSVs trimmed, without empties and deduplicated', () => {
    const o = cm('a', { syncOptions: ' Prune=false ,, Replace=true,Prune=false , ' });
    expect(annotationCsv(o, 'argocd.argoproj.io/sync-options')).toEqual(['Prune=false', 'Replace=true']);
    expect(annotationCsv(cm('b'), 'argocd.argoproj.io/sync-options')).toEqual([]);
  });

  it.each([
    ['CreateNamespace=true', 'createNamespace', true],
    ['CreateNamespace=True', 'createNamespace', false],
    [' CreateNamespace=true', 'createNamespace', false],
    ['ServerSideApply=true', 'serverSideApply', true],
    ['Replace=true', 'replace', true],
    ['Validate=false', 'validate', false],
    ['Validate=true', 'validate', true],
    ['SkipDryRunOnMissingResource=true', 'skipDryRunOnMissingResource', true],
    ['ApplyOutOfSyncOnly=true', 'applyOutOfSyncOnly', true],
    ['RespectIgnoreDifferences=true', 'respectIgnoreDifferences', true],
    ['PruneLast=true', 'pruneLast', true],
    ['FailOnSharedResource=true', 'failOnSharedResource', true],
    ['ClientSideApplyMigration=false', 'clientSideApplyMigration', false],
    ['Prune=confirm', 'prune', 'confirm'],
    ['Prune=false', 'prune', 'false'],
    ['Delete=confirm', 'delete', 'confirm'],
    ['PrunePropagationPolicy=orphan', 'prunePropagationPolicy', 'orphan'],
  ] as const)('§10.17 app option %j is matched as an exact string → %s = %j', (option, field, value) => {
    expect(parseAppSyncOptions([option])[field]).toBe(value);
  });

  it('defaults: validate, foreground propagation, client-side-apply migration on, everything else off', () => {
    expect(parseAppSyncOptions(undefined)).toEqual({
      createNamespace: false,
      serverSideApply: false,
      replace: false,
      validate: true,
      skipDryRunOnMissingResource: false,
      applyOutOfSyncOnly: false,
      respectIgnoreDifferences: false,
      pruneLast: false,
      prune: undefined,
      delete: undefined,
      prunePropagationPolicy: 'foreground',
      failOnSharedResource: false,
      clientSideApplyMigration: true,
    });
  });

  it('takes background over foreground over orphan when several propagation policies are listed', () => {
    const policy = (...o: string[]): string => parseAppSyncOptions(o).prunePropagationPolicy;
    expect(policy('PrunePropagationPolicy=orphan', 'PrunePropagationPolicy=background')).toBe('background');
    expect(policy('PrunePropagationPolicy=orphan', 'PrunePropagationPolicy=foreground')).toBe('foreground');
    expect(policy('PrunePropagationPolicy=Orphan')).toBe('foreground');
  });

  it('reads resource options from the annotation; ServerSideApply=false beats =true', () => {
    expect(
      resourceSyncOptions(cm('a', { syncOptions: 'ServerSideApply=true,Force=true,Validate=false' })),
    ).toMatchObject({ serverSideApply: true, force: true, validate: false, replace: false });
    expect(
      resourceSyncOptions(cm('a', { syncOptions: 'ServerSideApply=true,ServerSideApply=false' })),
    ).toMatchObject({
      serverSideApply: false,
    });
    expect(resourceSyncOptions(cm('a')).serverSideApply).toBeUndefined();
    expect(resourceSyncOptions(undefined).prune).toBeUndefined();
  });

  it.each([
    [[], undefined, 'true'],
    [['Prune=false'], undefined, 'false'],
    [['Prune=false'], 'Prune=true', 'true'],
    [['Prune=confirm'], 'Prune=false', 'false'],
    [[], 'Prune=confirm', 'confirm'],
    [['Prune=true'], ' Prune=confirm ', 'confirm'],
  ] as const)(
    '§10.17 resource annotations override app defaults for Prune: app %j, resource %j → %s',
    (app, res, want) => {
      const live = cm('x', res === undefined ? {} : { syncOptions: res });
      expect(effectivePrune(parseAppSyncOptions(app), live)).toBe(want);
    },
  );

  it('§10.17 resource annotations override app defaults for Delete', () => {
    expect(effectiveDelete(parseAppSyncOptions(['Delete=false']), cm('x'))).toBe('false');
    expect(
      effectiveDelete(parseAppSyncOptions(['Delete=false']), cm('x', { syncOptions: 'Delete=true' })),
    ).toBe('true');
    expect(effectiveDelete(parseAppSyncOptions([]), cm('x', { syncOptions: 'Delete=confirm' }))).toBe(
      'confirm',
    );
  });
});
