// For callers that would rather throw than branch on a ValidationResult. As an InvalidArgument
// CapstanError it maps to gRPC INVALID_ARGUMENT / HTTP 400 without further handling.
import { CapstanError } from '@capstan/errors';
import type { FieldError } from './field-error.ts';
import { formatValidationErrors, type ValidationErrorSubject } from './format-validation-errors.ts';

export class InvalidResourceError extends CapstanError {
  readonly errors: readonly FieldError[];
  readonly kind: string | undefined;
  readonly resourceName: string | undefined;

  constructor(failure: ValidationErrorSubject) {
    const details: Record<string, string | number> = { errorCount: failure.errors.length };
    if (failure.kind !== undefined) details['kind'] = failure.kind;
    if (failure.name !== undefined) details['name'] = failure.name;
    super('InvalidArgument', formatValidationErrors(failure), { details });
    this.name = 'InvalidResourceError';
    this.errors = failure.errors;
    this.kind = failure.kind;
    this.resourceName = failure.name;
  }
}
