// The function maps Argo CD puts beside `app` when it evaluates triggers and templates: `time`,
// `strings`, `repo` (and the documented-but-unregistered `sync`). Expressions see them as Go maps of
// Go functions; a namespace is just an environment variable holding such a map.
import { DURATION_UNITS, GO_LAYOUTS, GoDuration, GoTime, parseTime, RFC3339 } from './go-time.ts';
import { GoError, GoFunc, GoStruct, isPlainMap, readOwn, toNullProto, type GoFuncSpec } from './values.ts';

export type Namespace = Readonly<Record<string, unknown>>;

/** A namespace map: functions (GoFunc) and constants, read-only, with no prototype. */
export function defineNamespace(members: Record<string, unknown>): Namespace {
  return Object.freeze(toNullProto(members));
}

export function goFunc(spec: GoFuncSpec): GoFunc {
  return new GoFunc(spec);
}

const timeNamespaces = new WeakMap<() => Date | number, Namespace>();

/** Argo CD's `time` namespace: Now (from the injected clock), Parse (RFC3339 only), durations, layouts. */
export function timeNamespace(now: () => Date | number): Namespace {
  const cached = timeNamespaces.get(now);
  if (cached) return cached;
  const members: Record<string, unknown> = {
    Now: goFunc({
      name: 'Now',
      params: [],
      type: 'func() time.Time',
      call: () => {
        const t = now();
        return GoTime.fromMillis(typeof t === 'number' ? t : t.getTime());
      },
    }),
    Parse: goFunc({
      name: 'Parse',
      params: ['string'],
      type: 'func(string) time.Time',
      call: ([s]) => parseTime(RFC3339, s as string),
    }),
  };
  for (const [name, ns] of Object.entries(DURATION_UNITS)) members[name] = new GoDuration(ns);
  for (const [name, layout] of Object.entries(GO_LAYOUTS)) members[name] = layout;
  const ns = defineNamespace(members);
  timeNamespaces.set(now, ns);
  return ns;
}

const str1 = (name: string, f: (s: string) => string): GoFunc =>
  goFunc({ name, params: ['string'], type: 'func(string) string', call: ([s]) => f(s as string) });

function mapRunes(s: string, f: (c: string) => string): string {
  let out = '';
  for (const ch of s) {
    const m = f(ch);
    out += [...m].length === 1 ? m : ch;
  }
  return out;
}

/** Argo CD's `strings` namespace. */
export const stringsNamespace: Namespace = defineNamespace({
  ReplaceAll: goFunc({
    name: 'ReplaceAll',
    params: ['string', 'string', 'string'],
    type: 'func(string, string, string) string',
    call: ([s, old, repl]) => {
      const [a, b, c] = [s as string, old as string, repl as string];
      if (b === '') return [...a].map((ch) => c + ch).join('') + c;
      return a.split(b).join(c);
    },
  }),
  ToUpper: str1('ToUpper', (s) => mapRunes(s, (c) => c.toUpperCase())),
  ToLower: str1('ToLower', (s) => mapRunes(s, (c) => c.toLowerCase())),
});

/** url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

interface GitURL {
  scheme: string;
  user: string;
  host: string;
  path: string;
}

const TRANSPORTS = new Set(['ssh', 'git', 'git+ssh', 'http', 'https', 'ftp', 'ftps', 'rsync', 'file']);
const SCP = /^(?:([^@]+)@)?([^:\s]+):(?:([0-9]{1,5})\/)?([^\\].*)$/;

/** giturls.Parse: a transport URL, else scp-like `user@host:path`, else a local path. */
function parseGitURL(raw: string): GitURL {
  const t = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/.exec(raw);
  if (t && TRANSPORTS.has((t[1] as string).toLowerCase())) {
    const authority = t[2] as string;
    const at = authority.lastIndexOf('@');
    return {
      scheme: (t[1] as string).toLowerCase(),
      user: at >= 0 ? authority.slice(0, at) : '',
      host: at >= 0 ? authority.slice(at + 1) : authority,
      path: t[3] as string,
    };
  }
  if (t) throw new GoError(`scheme "${t[1]}" is not a valid transport`);
  const m = SCP.exec(raw);
  if (m) {
    const port = m[3] ? `:${m[3]}` : '';
    return {
      scheme: 'ssh',
      user: m[1] ?? '',
      host: `${m[2]}${port}`,
      path: `/${(m[4] as string).replace(/^\//, '')}`,
    };
  }
  return { scheme: 'file', user: '', host: '', path: raw };
}

export function repoURLToHTTPS(raw: string): string {
  const u = parseGitURL(raw);
  const path = u.path !== '' && !u.path.startsWith('/') && u.host !== '' ? `/${u.path}` : u.path;
  return `https://${u.host}${path}`;
}

export function fullNameByRepoURL(raw: string): string {
  const path = parseGitURL(raw).path.replace(/\.git$/, '');
  const parts = path.split('/').filter((p) => p !== '');
  return parts.length >= 2 ? parts.slice(0, 2).join('/') : path;
}

/** What `repo.GetCommitMetadata(sha)` returns (Go field names). */
export interface CommitMetadata {
  readonly Message: string;
  readonly Author: string;
  /** RFC3339 or a Date/epoch millis. */
  readonly Date: string | Date | number;
  readonly Tags: readonly string[];
}

/** What `repo.GetAppDetails()` returns: source 0's type and its Helm/Kustomize/Directory details. */
export interface AppDetails {
  readonly Type: string;
  readonly Helm?: unknown;
  readonly Kustomize?: unknown;
  readonly Directory?: unknown;
}

/**
 * The repo-server lookups behind `repo.*`, supplied by the caller (they need I/O). They are
 * synchronous because expressions are: resolve what the app needs beforehand.
 */
export interface RepoProvider {
  getCommitMetadata(sha: string): CommitMetadata;
  getAppDetails(): AppDetails;
}

function toTime(d: string | Date | number): GoTime {
  if (typeof d === 'string') return parseTime(RFC3339, d);
  return GoTime.fromMillis(typeof d === 'number' ? d : d.getTime());
}

let pureRepoNamespace: Namespace | undefined;

/** Argo CD's `repo` namespace; GetCommitMetadata/GetAppDetails need a provider. */
export function repoNamespace(provider?: RepoProvider): Namespace {
  if (!provider && pureRepoNamespace) return pureRepoNamespace;
  const members: Record<string, unknown> = {
    RepoURLToHTTPS: str1('RepoURLToHTTPS', repoURLToHTTPS),
    FullNameByRepoURL: str1('FullNameByRepoURL', fullNameByRepoURL),
    QueryEscape: str1('QueryEscape', queryEscape),
  };
  if (provider) {
    members['GetCommitMetadata'] = goFunc({
      name: 'GetCommitMetadata',
      params: ['string'],
      type: 'func(string) interface {}',
      call: ([sha]) => {
        const m = provider.getCommitMetadata(sha as string);
        return new GoStruct('*shared.CommitMetadata', {
          Message: m.Message,
          Author: m.Author,
          Date: toTime(m.Date),
          Tags: [...m.Tags],
        });
      },
    });
    members['GetAppDetails'] = goFunc({
      name: 'GetAppDetails',
      params: [],
      type: 'func() interface {}',
      call: () => {
        const d = provider.getAppDetails();
        return new GoStruct('*shared.AppDetail', {
          Type: d.Type,
          Helm: d.Helm ?? null,
          Kustomize: d.Kustomize ?? null,
          Directory: d.Directory ?? null,
        });
      },
    });
  }
  const ns = defineNamespace(members);
  if (!provider) pureRepoNamespace = ns;
  return ns;
}

/** The legacy `sync.GetInfoItem(app, name)`: the value of the app's operation info item `name`. */
export const syncNamespace: Namespace = defineNamespace({
  GetInfoItem: goFunc({
    name: 'GetInfoItem',
    params: ['map', 'string'],
    type: 'func(map[string]interface {}, string) string',
    call: ([app, name]) => {
      const meta = isPlainMap(app) ? readOwn(app, 'metadata') : null;
      const appName = isPlainMap(meta) ? readOwn(meta, 'name') : null;
      const operation = isPlainMap(app) ? readOwn(app, 'operation') : null;
      const info = isPlainMap(operation) ? readOwn(operation, 'info') : null;
      if (Array.isArray(info)) {
        for (const item of info) {
          if (isPlainMap(item) && readOwn(item, 'name') === name) {
            const v = readOwn(item, 'value');
            return typeof v === 'string' ? v : '';
          }
        }
      }
      throw new GoError(
        `application '${typeof appName === 'string' ? appName : ''}' has no info item with name '${name as string}'`,
      );
    },
  }),
});

export interface NotificationEnvInput {
  /** The Application as unstructured JSON. */
  readonly app: unknown;
  /** Its AppProject, or `{}` when there is none. */
  readonly appProject?: unknown;
  /** The ConfigMap's `context` (argocdUrl…); `notificationType` is added as "" for triggers. */
  readonly context?: Readonly<Record<string, string>>;
  /** The clock behind `time.Now()`. */
  readonly now: () => Date | number;
  readonly repo?: RepoProvider;
  /** Register the legacy `sync` namespace, which Argo CD documents but does not register. */
  readonly legacySync?: boolean;
  /** Extra namespaces or variables to register. */
  readonly namespaces?: Readonly<Record<string, Namespace>>;
}

/** The variables Argo CD gives a trigger's `when`/`oncePer`. */
export function notificationEnv(input: NotificationEnvInput): Record<string, unknown> {
  const env = Object.create(null) as Record<string, unknown>;
  env['app'] = input.app;
  env['appProject'] = input.appProject ?? Object.create(null);
  env['context'] = defineNamespace({ ...input.context, notificationType: '' });
  env['time'] = timeNamespace(input.now);
  env['strings'] = stringsNamespace;
  env['repo'] = repoNamespace(input.repo);
  if (input.legacySync) env['sync'] = syncNamespace;
  for (const [name, ns] of Object.entries(input.namespaces ?? {})) env[name] = ns;
  return env;
}
