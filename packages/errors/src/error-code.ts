/**
 * The closed set of domain error codes. Each maps to exactly one gRPC status and one HTTP status,
 * so an error keeps its meaning from the engine to the CLI without string matching.
 */
export type ErrorCode =
  | 'InvalidArgument'
  | 'NotFound'
  | 'AlreadyExists'
  | 'PermissionDenied'
  | 'Unauthenticated'
  | 'FailedPrecondition'
  | 'Aborted'
  | 'ResourceExhausted'
  | 'DeadlineExceeded'
  | 'Unavailable'
  | 'Unimplemented'
  | 'Internal';

/** gRPC status numbers (grpc/status.proto), kept here so pure packages need not import grpc-js. */
export const grpcStatusByCode: Readonly<Record<ErrorCode, number>> = {
  InvalidArgument: 3,
  DeadlineExceeded: 4,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Aborted: 10,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
  Unauthenticated: 16,
};

export const httpStatusByCode: Readonly<Record<ErrorCode, number>> = {
  InvalidArgument: 400,
  Unauthenticated: 401,
  PermissionDenied: 403,
  NotFound: 404,
  AlreadyExists: 409,
  Aborted: 409,
  FailedPrecondition: 412,
  ResourceExhausted: 429,
  Internal: 500,
  Unimplemented: 501,
  Unavailable: 503,
  DeadlineExceeded: 504,
};

const codeByGrpcStatus = new Map<number, ErrorCode>(
  Object.entries(grpcStatusByCode).map(([code, status]) => [status, code as ErrorCode]),
);

/** The domain code for a gRPC status number; unknown statuses (OK, CANCELLED, UNKNOWN, DATA_LOSS…) are Internal. */
export function errorCodeFromGrpcStatus(status: number): ErrorCode {
  return codeByGrpcStatus.get(status) ?? 'Internal';
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(grpcStatusByCode, value);
}
