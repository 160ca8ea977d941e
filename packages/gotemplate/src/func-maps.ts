// The two function sets Argo CD builds on Sprig: ApplicationSet templates (Sprig minus env,
// expandenv and getHostByName, plus Argo's additions) and notification templates (Sprig minus
// env and expandenv, plus the Slack markers). Both get the builtins on top.

import { argoFuncs } from './argo-funcs.ts';
import { randomSource, type FuncEnv } from './func-env.ts';
import type { GoFunc } from './go-values.ts';
import { def, fail, S, type FuncTable } from './sprig-define.ts';
import { dateContext, dateFuncs } from './sprig-dates.ts';
import { listFuncs } from './sprig-lists.ts';
import { mathFuncs } from './sprig-math.ts';
import { miscFuncs } from './sprig-misc.ts';
import { stringFuncs } from './sprig-strings.ts';
import type { FuncMap } from './template.ts';

export type FuncMapFlavour = 'applicationset' | 'notifications';

/** Sprig v3.3.0's TxtFuncMap without env and expandenv (which read the process environment). */
export function sprigFuncs(env: FuncEnv = {}): FuncTable {
  const random = randomSource(env);
  return [
    ...stringFuncs(random),
    ...mathFuncs(random),
    ...listFuncs(),
    ...miscFuncs(random),
    ...dateFuncs(dateContext(env)),
  ];
}

function notificationExtras(env: FuncEnv): FuncTable {
  const random = randomSource(env);
  return [
    [
      'getHostByName',
      def([S], S, (name: string) => {
        if (env.lookupHost === undefined) fail('no host resolver is configured');
        const addrs = env.lookupHost(name);
        if (addrs.length === 0) fail('invalid argument to Intn');
        return addrs[Math.floor(random.next() * addrs.length)]!;
      }),
    ],
    ['slackUserByEmail', def([S], S, (email: string) => `__SLACK_USER_EMAIL__${email}__`)],
    ['slackChannel', def([S], S, (name: string) => `__SLACK_CHANNEL__${name}__`)],
    ['slackUserGroup', def([S], S, (name: string) => `__SLACK_USERGROUP__${name}__`)],
  ];
}

/** The function map of a flavour; build it once and share it between templates. */
export function createFuncMap(flavour: FuncMapFlavour, env: FuncEnv = {}): FuncMap {
  const table =
    flavour === 'applicationset'
      ? [...sprigFuncs(env), ...argoFuncs()]
      : [...sprigFuncs(env), ...notificationExtras(env)];
  return new Map<string, GoFunc>(table);
}

/** Argo CD's ApplicationSet function map (goTemplate: true). */
export function applicationSetFuncs(env: FuncEnv = {}): FuncMap {
  return createFuncMap('applicationset', env);
}

/** Argo CD notifications' function map; `time`, `strings` and `repo` are data, used with `call`. */
export function notificationsFuncs(env: FuncEnv = {}): FuncMap {
  return createFuncMap('notifications', env);
}
