import type { ToolResult } from '../exec/run-tool.ts';

/** What a renderer needs to run a tool: everything but the command and its arguments is decided once. */
export interface ToolContext {
  /** Runs `command args` in `cwd` with the render's environment, limits and redactions. */
  run(label: string, command: string, args: readonly string[], cwd: string): Promise<ToolResult>;
  /** A fresh private directory for this render (removed when the render ends). */
  tempDir(name: string): Promise<string>;
  /** ARGOCD_APP_* and friends, also used for `$VAR` substitution in parameters. */
  readonly appEnv: Readonly<Record<string, string>>;
  /** Tool invocations so far, as shown to users (`commands` in the response). */
  readonly commands: string[];
  /** Milliseconds spent inside tool processes, for the overhead figure. */
  toolMs: number;
}

/** `$NAME` and `${NAME}` replaced from `env`; unknown names are left as written (as Argo CD does). */
export function substituteEnv(value: string, env: Readonly<Record<string, string>>): string {
  return value.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (whole, a: string | undefined, b: string | undefined) => {
      const name = a ?? b ?? '';
      return env[name] ?? whole;
    },
  );
}
