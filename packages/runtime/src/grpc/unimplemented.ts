import { UnimplementedError } from '@capstan/errors';
import type { ServiceBinding, ServiceDefinitionLike } from './handler-types.ts';

/**
 * Serves a contract whose implementation has not landed yet: every method answers UNIMPLEMENTED,
 * naming itself, so clients and reflection see the whole surface and nobody mistakes it for a result.
 */
export function unimplementedService(name: string, definition: ServiceDefinitionLike): ServiceBinding {
  const implementation = Object.fromEntries(
    Object.entries(definition).map(([key, def]) => {
      const fail = (): never => {
        throw new UnimplementedError(`${def.path.slice(1)} is not implemented yet`);
      };
      const handler = def.responseStream
        ? async function* () {
            fail();
          }
        : async () => fail();
      return [key, handler];
    }),
  );
  return { name, definition, implementation };
}
