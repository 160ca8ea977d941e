import { grpcStatusByCode, isCapstanError, toCapstanError, type CapstanError } from '@capstan/errors';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';

export interface CallInfo {
  readonly service: string;
  readonly method: string;
  readonly type: 'unary' | 'client_stream' | 'server_stream' | 'bidi_stream';
  readonly peer: string;
}

/**
 * Wraps the execution of one call. `next` resolves when the handler completed and rejects with
 * whatever it threw; an interceptor may observe, transform or rethrow.
 */
export type Interceptor = (call: CallInfo, next: () => Promise<void>) => Promise<void>;

function codeName(err: unknown): string {
  return isCapstanError(err) ? err.code : err === undefined ? 'OK' : 'Internal';
}

export function loggingInterceptor(logger: Logger): Interceptor {
  return async (call, next) => {
    const started = performance.now();
    try {
      await next();
      logger.debug('grpc call', {
        method: `${call.service}/${call.method}`,
        code: 'OK',
        ms: elapsed(started),
      });
    } catch (err) {
      const code = codeName(err);
      const fields = {
        method: `${call.service}/${call.method}`,
        code,
        ms: elapsed(started),
        peer: call.peer,
      };
      if (code === 'Internal' || code === 'Unavailable') logger.error('grpc call failed', fields);
      else logger.info('grpc call refused', { ...fields, error: (err as Error).message });
      throw err;
    }
  };
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

export function metricsInterceptor(metrics: Metrics): Interceptor {
  return async (call, next) => {
    const labels = { grpc_service: call.service, grpc_method: call.method, grpc_type: call.type };
    const end = metrics.grpcHandlingSeconds.startTimer(labels);
    let code = 'OK';
    try {
      await next();
    } catch (err) {
      code = codeName(err);
      throw err;
    } finally {
      end();
      metrics.grpcHandled.inc({ ...labels, grpc_code: code });
    }
  };
}

/**
 * Domain errors pass through with their code and message; anything else becomes Internal with a generic
 * message. The original is logged here, server-side, because its text may hold paths or credentials.
 */
export function errorInterceptor(logger: Logger): Interceptor {
  return async (call, next) => {
    try {
      await next();
    } catch (err) {
      if (isCapstanError(err)) throw err;
      logger.error('unhandled exception in grpc handler', {
        method: `${call.service}/${call.method}`,
        err,
      });
      throw toCapstanError(err);
    }
  };
}

export function chain(
  interceptors: readonly Interceptor[],
  call: CallInfo,
  run: () => Promise<void>,
): Promise<void> {
  const step = (i: number): Promise<void> => {
    const interceptor = interceptors[i];
    return interceptor === undefined ? run() : interceptor(call, () => step(i + 1));
  };
  return step(0);
}

/** The status object grpc-js sends for a domain error. */
export function toServiceStatus(err: CapstanError): { code: number; details: string } {
  return { code: grpcStatusByCode[err.code], details: err.message };
}
