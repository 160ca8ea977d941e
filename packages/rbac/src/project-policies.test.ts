import { describe, expect, it } from 'vitest';
import { projectPolicies, type AppProjectLike } from './project-policies.ts';

const proj = (
  roles: NonNullable<NonNullable<AppProjectLike['spec']>['roles']>,
  name = 'my-proj',
): AppProjectLike => ({
  metadata: { name },
  spec: { roles },
});

describe('projectPolicies', () => {
  it("turns roles into lines: get on the project, the role's policies, its groups", () => {
    const { lines, diagnostics } = projectPolicies(
      proj([
        {
          name: 'my-role',
          policies: [
            'p, proj:my-proj:my-role, applications, sync, my-proj/*, allow',
            'p,proj:my-proj:my-role,  logs ,get,my-proj/ns/app,deny',
          ],
          groups: ['my-org:my-team', '"team,with,commas"'],
        },
      ]),
    );
    expect(diagnostics).toEqual([]);
    expect(
      lines.map((l) =>
        l.kind === 'p' ? [l.subject, l.resource, l.action, l.object, l.effect] : [l.member, l.role],
      ),
    ).toEqual([
      ['proj:my-proj:my-role', 'projects', 'get', 'my-proj', 'allow'],
      ['proj:my-proj:my-role', 'applications', 'sync', 'my-proj/*', 'allow'],
      ['proj:my-proj:my-role', 'logs', 'get', 'my-proj/ns/app', 'deny'],
      ['my-org:my-team', 'proj:my-proj:my-role'],
      ['team,with,commas', 'proj:my-proj:my-role'],
    ]);
  });

  it.each([
    ['p, proj:my-proj:my-role, applications, get, other/*, allow', 'object must be'],
    ['p, proj:my-proj:my-role, applications, get, */*, allow', 'object must be'],
    ['p, proj:my-proj:my-role, applications, get, *, allow', 'object must be'],
    ['p, proj:my-proj:my-role, applications, get, my-proj, allow', 'object must be'],
    ['p, proj:my-proj:my-role, applications, get, my-proj/a/b/c, allow', 'object must be'],
    ['p, proj:my-proj:my-role, applications, get, my-proj-2/app, allow', 'object must be'],
    ['p, proj:my-proj:my-role, applications, get, my-proj/{a,b}, allow', 'form'],
    ['p, proj:other:my-role, applications, get, my-proj/*, allow', "subject must be 'proj:my-proj:my-role'"],
    ['p, role:admin, applications, get, my-proj/*, allow', 'subject must be'],
    ['p, proj:my-proj:my-role, accounts, get, my-proj/*, allow', 'project resource must be'],
    ['p, proj:my-proj:my-role, projects, get, my-proj/*, allow', 'project resource must be'],
    ['p, proj:my-proj:my-role, applications, destroy, my-proj/*, allow', "invalid action 'destroy'"],
    ['p, proj:my-proj:my-role, applications, get, my-proj/*, maybe', 'effect'],
    ['p, proj:my-proj:my-role, applications, get, my-proj/*', 'form'],
    ['g, someone, proj:my-proj:my-role', 'form'],
    ['p, proj:my-proj:my-role, applications, get, "my-proj/*", allow', 'quotes'],
    ['p, proj:my-proj:my-role, applications, get, my-proj/*, allow\ng, x, role:admin', 'one line'],
  ])('rejects %j', (policy, message) => {
    const { lines, diagnostics } = projectPolicies(proj([{ name: 'my-role', policies: [policy] }]));
    expect(lines).toHaveLength(1); // only the implicit `get` on the project
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      severity: 'error',
      source: 'AppProject my-proj',
      path: 'spec.roles[0].policies[0]',
    });
    expect(diagnostics[0]!.message).toContain(message);
  });

  it.each([
    'action/*',
    'action/apps/Deployment/restart',
    'update/*',
    'delete/*/Pod/*/*',
    '*',
    'override',
    'rollback',
  ])('accepts action %s', (action) => {
    const { diagnostics } = projectPolicies(
      proj([{ name: 'r', policies: [`p, proj:my-proj:r, applications, ${action}, my-proj/*, allow`] }]),
    );
    expect(diagnostics).toEqual([]);
  });

  it.each([
    ['a,b', 'must be quoted'],
    ['', 'empty'],
    ['""', 'empty'],
    ['a\tb', 'invalid characters'],
    [' leading', 'leading space'],
    ['trailing ', 'trailing space'],
  ])('rejects group %j', (group, message) => {
    const { lines, diagnostics } = projectPolicies(proj([{ name: 'r', groups: [group] }]));
    expect(lines.filter((l) => l.kind === 'g')).toEqual([]);
    expect(diagnostics[0]!.message).toContain(message);
  });

  it('rejects invalid role names, keeps duplicate roles (they add up) with a warning', () => {
    const { lines, diagnostics } = projectPolicies(
      proj([
        { name: '-bad', policies: ['p, proj:my-proj:-bad, applications, get, my-proj/*, allow'] },
        { name: 'r', groups: ['a'] },
        { name: 'r', groups: ['b'] },
      ]),
    );
    expect(diagnostics.map((d) => [d.severity, d.path])).toEqual([
      ['error', 'spec.roles[0].name'],
      ['warning', 'spec.roles[2].name'],
    ]);
    expect(lines.filter((l) => l.kind === 'g').map((l) => (l.kind === 'g' ? l.member : ''))).toEqual([
      'a',
      'b',
    ]);
  });

  it('ignores a project without a name', () => {
    const { lines, diagnostics } = projectPolicies({ metadata: {}, spec: { roles: [{ name: 'r' }] } });
    expect(lines).toEqual([]);
    expect(diagnostics[0]!.message).toContain('no name');
  });

  it('quotes the project name in the object check', () => {
    const { diagnostics } = projectPolicies(
      proj([{ name: 'r', policies: ['p, proj:a.b:r, applications, get, aXb/app, allow'] }], 'a.b'),
    );
    expect(diagnostics[0]!.message).toContain('object must be');
  });
});
