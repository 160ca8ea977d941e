import type { Server, ServerDuplexStream, ServiceDefinition } from '@grpc/grpc-js';
import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { withDependencies, type DescriptorIndex } from './descriptor-index.ts';

/** One request of ServerReflectionInfo, reduced to the question asked. */
type Question =
  | { readonly kind: 'list' }
  | { readonly kind: 'file'; readonly name: string }
  | { readonly kind: 'symbol'; readonly name: string }
  | { readonly kind: 'unsupported' };

interface Request {
  readonly raw: Uint8Array;
  readonly question: Question;
}

const utf8 = new TextDecoder();

/** ServerReflectionRequest: host=1, file_by_filename=3, file_containing_symbol=4, …, list_services=7. */
function decodeRequest(bytes: Buffer): Request {
  const r = new BinaryReader(bytes);
  let question: Question = { kind: 'unsupported' };
  while (r.pos < r.len) {
    const [no, type] = r.tag();
    if (type !== WireType.LengthDelimited) {
      r.skip(type, no);
      continue;
    }
    const v = r.bytes();
    if (no === 3) question = { kind: 'file', name: utf8.decode(v) };
    else if (no === 4) question = { kind: 'symbol', name: utf8.decode(v) };
    else if (no === 7) question = { kind: 'list' };
    else if (no === 5 || no === 6) question = { kind: 'unsupported' };
  }
  return { raw: bytes, question };
}

/**
 * The answer to one question, as ServerReflectionResponse bytes: original_request=2,
 * file_descriptor_response=4 {repeated bytes=1}, list_services_response=6 {repeated ServiceResponse{name=1}},
 * error_response=7 {int32 code=1, string message=2}.
 */
function answer(index: DescriptorIndex, services: readonly string[], req: Request): Buffer {
  const w = new BinaryWriter();
  w.uint32((2 << 3) | 2).bytes(req.raw);
  const q = req.question;
  const notFound = (what: string): void => {
    w.uint32((7 << 3) | 2).fork();
    w.uint32(1 << 3).int32(5);
    w.uint32((2 << 3) | 2).string(`${what} not found`);
    w.join();
  };
  switch (q.kind) {
    case 'list':
      w.uint32((6 << 3) | 2).fork();
      for (const name of services)
        w.uint32((1 << 3) | 2)
          .fork()
          .uint32((1 << 3) | 2)
          .string(name)
          .join();
      w.join();
      break;
    case 'file':
    case 'symbol': {
      const file = q.kind === 'file' ? q.name : index.fileBySymbol.get(q.name);
      const protos = file === undefined ? [] : withDependencies(index, file);
      if (protos.length === 0) {
        notFound(q.kind === 'file' ? `file ${q.name}` : `symbol ${q.name}`);
        break;
      }
      w.uint32((4 << 3) | 2).fork();
      for (const p of protos) w.uint32((1 << 3) | 2).bytes(p);
      w.join();
      break;
    }
    case 'unsupported':
      w.uint32((7 << 3) | 2)
        .fork()
        .uint32(1 << 3)
        .int32(12)
        .uint32((2 << 3) | 2)
        .string('extensions are not supported')
        .join();
      break;
  }
  return Buffer.from(w.finish());
}

function definition(pkg: string): ServiceDefinition {
  return {
    ServerReflectionInfo: {
      path: `/${pkg}.ServerReflection/ServerReflectionInfo`,
      requestStream: true,
      responseStream: true,
      requestSerialize: (v: Buffer) => v,
      requestDeserialize: decodeRequest,
      responseSerialize: (v: Buffer) => v,
      responseDeserialize: (v: Buffer) => v,
    },
  };
}

/**
 * gRPC server reflection (v1 and v1alpha, what grpcurl speaks), answered from a descriptor index with
 * the original descriptor bytes.
 */
export function addReflection(server: Server, index: DescriptorIndex, services: readonly string[]): void {
  const handler = (call: ServerDuplexStream<Request, Buffer>): void => {
    call.on('data', (req: Request) => call.write(answer(index, services, req)));
    call.on('end', () => call.end());
  };
  for (const pkg of ['grpc.reflection.v1', 'grpc.reflection.v1alpha']) {
    server.addService(definition(pkg), { ServerReflectionInfo: handler });
  }
}
