import { isErrorCode, type ErrorCode } from './error-code.ts';

export interface CapstanErrorOptions {
  /** The underlying failure, kept for logs; never sent to clients. */
  readonly cause?: unknown;
  /** Structured context (names, kinds, paths) safe to log and to show to clients. */
  readonly details?: Readonly<Record<string, string | number | boolean>>;
}

const brand = Symbol.for('capstan.error');

/**
 * Base of every domain error. Its message is safe to show to a client: it must never contain secrets.
 * Recognised by a global symbol rather than `instanceof`, so two copies of this package still agree.
 */
export class CapstanError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, string | number | boolean>>;
  readonly [brand] = true;

  constructor(code: ErrorCode, message: string, options: CapstanErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = `${code}Error`;
    this.code = code;
    this.details = options.details ?? {};
  }
}

export function isCapstanError(value: unknown): value is CapstanError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[brand] === true &&
    isErrorCode((value as { code?: unknown }).code)
  );
}

type Ctor = new (message: string, options?: CapstanErrorOptions) => CapstanError;

function kind(code: ErrorCode): Ctor {
  return class extends CapstanError {
    constructor(message: string, options?: CapstanErrorOptions) {
      super(code, message, options);
    }
  };
}

export const InvalidArgumentError = kind('InvalidArgument');
export const NotFoundError = kind('NotFound');
export const AlreadyExistsError = kind('AlreadyExists');
export const PermissionDeniedError = kind('PermissionDenied');
export const UnauthenticatedError = kind('Unauthenticated');
export const FailedPreconditionError = kind('FailedPrecondition');
export const AbortedError = kind('Aborted');
export const ResourceExhaustedError = kind('ResourceExhausted');
export const DeadlineExceededError = kind('DeadlineExceeded');
export const UnavailableError = kind('Unavailable');
export const UnimplementedError = kind('Unimplemented');
export const InternalError = kind('Internal');

/**
 * Normalises anything thrown into a CapstanError. Unknown throwables become Internal with a generic
 * message: their text may carry paths, URLs with credentials or stack details, so it stays in `cause`.
 */
export function toCapstanError(thrown: unknown): CapstanError {
  if (isCapstanError(thrown)) return thrown;
  return new CapstanError('Internal', 'internal error', { cause: thrown });
}
