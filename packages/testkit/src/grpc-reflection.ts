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

interface ReflectionResponse {
  list_services_response?: { service: { name: string }[] } | null;
  file_descriptor_response?: { file_descriptor_proto: Buffer[] } | null;
  error_response?: { error_code: number; error_message: string } | null;
}

/** One question to grpc.reflection.v1 — as grpcurl asks it — answered by the server. */
async function ask(
  address: string,
  request: Record<string, string>,
  timeoutMs: number,
): Promise<ReflectionResponse> {
  // The reference proto ships with @grpc/reflection; the client side is independent of our server code.
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
  const v1 = ((pkg['grpc'] as GrpcObject)['reflection'] as GrpcObject)['v1'] as GrpcObject;
  const Ctor = v1['ServerReflection'] as ServiceClientConstructor;
  const client = new Ctor(address, credentials.createInsecure());
  try {
    return await new Promise<ReflectionResponse>((resolve, reject) => {
      const call = (client as unknown as Record<string, (o: object) => NodeJS.ReadWriteStream>)[
        'ServerReflectionInfo'
      ]!({
        deadline: Date.now() + timeoutMs,
      });
      call.on('data', (res: ReflectionResponse) => {
        resolve(res);
        call.end();
      });
      call.on('error', reject);
      call.write(request as never);
    });
  } finally {
    client.close();
  }
}

/** The services a server lists through reflection — what `grpcurl list` prints. */
export async function listServicesByReflection(address: string, timeoutMs = 5000): Promise<string[]> {
  const res = await ask(address, { list_services: '' }, timeoutMs);
  if (res.error_response != null) throw new Error(res.error_response.error_message);
  return (res.list_services_response?.service ?? []).map((s) => s.name).sort();
}

/**
 * The file descriptors (the defining file last, its imports before it) reflection returns for a
 * symbol — what `grpcurl describe` needs. Throws with the server's message when the symbol is unknown.
 */
export async function describeSymbolByReflection(
  address: string,
  symbol: string,
  timeoutMs = 5000,
): Promise<Buffer[]> {
  const res = await ask(address, { file_containing_symbol: symbol }, timeoutMs);
  if (res.error_response != null) throw new Error(res.error_response.error_message);
  return res.file_descriptor_response?.file_descriptor_proto ?? [];
}
