import { InvalidValue, type VarSpec } from './var-spec.ts';

export type ConfigSpec = Readonly<Record<string, VarSpec<unknown>>>;
export type ConfigOf<S extends ConfigSpec> = {
  readonly [K in keyof S]: S[K] extends VarSpec<infer T> ? T : never;
};
export type Env = Readonly<Record<string, string | undefined>>;

/** A configuration problem, phrased as one line a human can act on. */
export class ConfigError extends Error {
  readonly variable: string;

  constructor(variable: string, message: string) {
    super(message);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

function show(raw: string): string {
  return raw.length > 60 ? `${JSON.stringify(raw.slice(0, 60))}…` : JSON.stringify(raw);
}

/**
 * Reads a typed configuration from an environment object (process.env in services, a literal in tests).
 * The first invalid or missing variable aborts with a ConfigError naming it and its expected form.
 */
export function loadConfig<S extends ConfigSpec>(spec: S, env: Env): ConfigOf<S> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(spec)) {
    const raw = env[v.name];
    if (raw === undefined || raw === '') {
      if (v.default === undefined) {
        throw new ConfigError(v.name, `${v.name} is required: set it to ${v.expected}`);
      }
      out[key] = v.default;
      continue;
    }
    try {
      out[key] = v.parse(raw);
    } catch (err) {
      if (!(err instanceof InvalidValue)) throw err;
      const got = v.secret ? 'a value that does not parse' : show(raw);
      throw new ConfigError(v.name, `${v.name} must be ${v.expected}, got ${got}`);
    }
  }
  return out as ConfigOf<S>;
}

function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password === '' && url.username === '') return value;
    if (url.password !== '') url.password = '***';
    else url.username = '***';
    return url.toString();
  } catch {
    return '***';
  }
}

/** The configuration as it may be logged: secrets masked (URLs keep their host so logs stay useful). */
export function redactConfig<S extends ConfigSpec>(spec: S, config: ConfigOf<S>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(spec)) {
    const value = (config as Record<string, unknown>)[key];
    if (!v.secret) out[key] = value;
    else out[key] = typeof value === 'string' && value.includes('://') ? redactUrl(value) : '***';
  }
  return out;
}

/** CAPSTAN_* variables that no spec names: most likely typos, worth a warning at startup. */
export function unknownVariables(specs: readonly ConfigSpec[], env: Env): string[] {
  const names = new Set(specs.flatMap((s) => Object.values(s).map((v) => v.name)));
  return Object.keys(env).filter((k) => k.startsWith('CAPSTAN_') && !names.has(k));
}
