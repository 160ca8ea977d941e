import { CapstanError, type ErrorCode } from '@capstan/errors';

export type ExprErrorPhase = 'compile' | 'run';

export interface ExprErrorInit {
  readonly phase: ExprErrorPhase;
  /** The bare message, as expr words it (`cannot fetch phase from <nil>`). */
  readonly reason: string;
  readonly source: string;
  /** Rune offset of the failing node in the source. */
  readonly offset: number;
  readonly code?: ErrorCode;
}

/**
 * A compile or run-time error of an expression. Its message has expr's shape: the reason, then the
 * line:column and a snippet with a caret (`reason (1:12)\n | source\n | ...........^`).
 */
export class ExprError extends CapstanError {
  readonly phase: ExprErrorPhase;
  readonly reason: string;
  readonly line: number;
  readonly column: number;
  readonly snippet: string;

  constructor(init: ExprErrorInit) {
    const { line, column, snippet } = locate(init.source, init.offset);
    const message = snippet === '' ? init.reason : `${init.reason} (${line}:${column + 1})${snippet}`;
    super(init.code ?? (init.phase === 'compile' ? 'InvalidArgument' : 'FailedPrecondition'), message, {
      details: { phase: init.phase, line, column: column + 1 },
    });
    this.phase = init.phase;
    this.reason = init.reason;
    this.line = line;
    this.column = column + 1;
    this.snippet = snippet;
  }
}

export function isExprError(e: unknown): e is ExprError {
  return e instanceof ExprError;
}

function locate(src: string, from: number): { line: number; column: number; snippet: string } {
  let line = 1;
  let column = 0;
  let lineStart = 0;
  let runes = 0;
  let i = 0;
  for (const ch of src) {
    if (runes === from) break;
    if (ch === '\n') {
      lineStart = i + 1;
      line++;
      column = 0;
    } else column++;
    runes++;
    i += ch.length;
  }
  let lineEnd = src.indexOf('\n', lineStart);
  if (lineEnd < 0) lineEnd = src.length;
  if (lineStart === lineEnd) return { line, column, snippet: '' };
  const text = src.slice(lineStart, lineEnd).replaceAll('\t', ' ');
  return { line, column, snippet: `\n | ${text}\n | ${'.'.repeat(column)}^` };
}
