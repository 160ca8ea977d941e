import { describe, expect, it } from 'vitest';
import {
  CapstanError,
  NotFoundError,
  errorCodeFromGrpcStatus,
  grpcStatusByCode,
  httpStatusByCode,
  isCapstanError,
  toCapstanError,
} from './index.ts';

describe('domain errors', () => {
  it('carry a code, a safe message and a name', () => {
    const err = new NotFoundError('application "guestbook" not found', { details: { name: 'guestbook' } });
    expect(err.code).toBe('NotFound');
    expect(err.name).toBe('NotFoundError');
    expect(err.details).toEqual({ name: 'guestbook' });
    expect(isCapstanError(err)).toBe(true);
    expect(err).toBeInstanceOf(CapstanError);
  });

  it('are recognised by brand, not only by instanceof', () => {
    const foreign = Object.assign(new Error('x'), { code: 'NotFound', [Symbol.for('capstan.error')]: true });
    expect(isCapstanError(foreign)).toBe(true);
    expect(isCapstanError(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe(false);
    expect(isCapstanError(null)).toBe(false);
  });

  it('hide the text of unknown throwables behind a generic Internal error', () => {
    const err = toCapstanError(new Error('git clone https://user:s3cret@host failed'));
    expect(err.code).toBe('Internal');
    expect(err.message).toBe('internal error');
    expect(err.message).not.toContain('s3cret');
    expect((err.cause as Error).message).toContain('s3cret');
  });

  it('map every code to a gRPC and an HTTP status, and back', () => {
    for (const [code, status] of Object.entries(grpcStatusByCode)) {
      expect(errorCodeFromGrpcStatus(status)).toBe(code);
      expect(httpStatusByCode[code as keyof typeof httpStatusByCode]).toBeGreaterThanOrEqual(400);
    }
    expect(errorCodeFromGrpcStatus(2)).toBe('Internal');
    expect(grpcStatusByCode.NotFound).toBe(5);
    expect(httpStatusByCode.PermissionDenied).toBe(403);
  });
});
