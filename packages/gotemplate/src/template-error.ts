import { CapstanError } from '@capstan/errors';

export type TemplateErrorPhase = 'parse' | 'exec' | 'limit';

/**
 * A template that does not parse, fails while executing, or hits a sandbox limit. The message is
 * Go's text (`template: base:1:3: executing "base" at <.x>: map has no entry for key "x"`), so
 * callers can wrap it the way Argo CD does and users see the error they know.
 */
export class TemplateError extends CapstanError {
  readonly phase: TemplateErrorPhase;
  constructor(phase: TemplateErrorPhase, message: string) {
    super(phase === 'limit' ? 'ResourceExhausted' : 'InvalidArgument', message, { details: { phase } });
    this.phase = phase;
  }
}
