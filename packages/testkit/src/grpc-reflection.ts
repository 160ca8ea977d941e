import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  credentials,
  loadPackageDefinition,
  type GrpcObject,
  type ServiceClientConstructor,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

const require = createRequire(import.meta.url);

/** The services a server lists through grpc.reflection.v1 — what `grpcurl list` prints. */
export async function listServicesByReflection(address: string, timeoutMs = 5000): Promise<string[]> {
  const protoPath = join(
    dirname(require.resolve('@grpc/reflection')),
    '..',
    'proto',
    'grpc',
    'reflection',
    'v1',
    'reflection.proto',
  );
  const pkg = loadPackageDefinition(loadSync(protoPath, { keepCase: true }));
  const Reflection = ((pkg['grpc'] as GrpcObject)['reflection'] as GrpcObject)['v1'] as GrpcObject;
  const Ctor = Reflection['ServerReflection'] as ServiceClientConstructor;
  const client = new Ctor(address, credentials.createInsecure());
  try {
    return await new Promise<string[]>((resolve, reject) => {
      const call = (client as unknown as Record<string, (o: object) => NodeJS.ReadWriteStream>)[
        'ServerReflectionInfo'
      ]!({
        deadline: Date.now() + timeoutMs,
      });
      call.on(
        'data',
        (res: {
          list_services_response?: { service: { name: string }[] };
          error_response?: { error_message: string };
        }) => {
          if (res.error_response !== undefined && res.error_response !== null)
            reject(new Error(res.error_response.error_message));
          else resolve((res.list_services_response?.service ?? []).map((s) => s.name).sort());
          call.end();
        },
      );
      call.on('error', reject);
      call.write({ list_services: '' } as never);
    });
  } finally {
    client.close();
  }
}
