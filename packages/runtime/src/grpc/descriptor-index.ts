import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';

/**
 * An index of a FileDescriptorSet: each file's serialized bytes, its dependencies, and the fully
 * qualified symbols it defines. Reflection answers with the original bytes, so nothing is re-encoded
 * and only names are kept in memory (decoding whole descriptors into objects cost ~100 MB).
 */
export interface DescriptorIndex {
  readonly files: ReadonlyMap<string, { readonly bytes: Uint8Array; readonly deps: readonly string[] }>;
  readonly fileBySymbol: ReadonlyMap<string, string>;
}

const utf8 = new TextDecoder();

/** Calls `onField` for each field of a message; length-delimited fields get their raw bytes. */
function fields(bytes: Uint8Array, onField: (no: number, value: Uint8Array) => void): void {
  const r = new BinaryReader(bytes);
  while (r.pos < r.len) {
    const [no, type] = r.tag();
    if (type === WireType.LengthDelimited) onField(no, r.bytes());
    else r.skip(type, no);
  }
}

function nameOf(bytes: Uint8Array): string {
  let name = '';
  fields(bytes, (no, v) => {
    if (no === 1) name = utf8.decode(v);
  });
  return name;
}

/** DescriptorProto: name=1, nested_type=3, enum_type=4. */
function indexMessage(bytes: Uint8Array, scope: string, out: (symbol: string) => void): void {
  const name = `${scope}${nameOf(bytes)}`;
  out(name);
  fields(bytes, (no, v) => {
    if (no === 3) indexMessage(v, `${name}.`, out);
    else if (no === 4) out(`${name}.${nameOf(v)}`);
  });
}

export function indexDescriptorSet(set: Uint8Array): DescriptorIndex {
  const files = new Map<string, { bytes: Uint8Array; deps: string[] }>();
  const fileBySymbol = new Map<string, string>();
  // FileDescriptorSet: repeated FileDescriptorProto file = 1.
  fields(set, (no, fileBytes) => {
    if (no !== 1) return;
    let fileName = '';
    let pkg = '';
    const deps: string[] = [];
    const children: [number, Uint8Array][] = [];
    // FileDescriptorProto: name=1, package=2, dependency=3, message_type=4, enum_type=5, service=6.
    fields(fileBytes, (fno, v) => {
      if (fno === 1) fileName = utf8.decode(v);
      else if (fno === 2) pkg = utf8.decode(v);
      else if (fno === 3) deps.push(utf8.decode(v));
      else if (fno >= 4 && fno <= 6) children.push([fno, v]);
    });
    const scope = pkg === '' ? '' : `${pkg}.`;
    const add = (symbol: string): void => void fileBySymbol.set(symbol, fileName);
    for (const [fno, v] of children) {
      if (fno === 4) indexMessage(v, scope, add);
      else if (fno === 5) add(`${scope}${nameOf(v)}`);
      else {
        // ServiceDescriptorProto: name=1, method=2 (MethodDescriptorProto name=1).
        const service = `${scope}${nameOf(v)}`;
        add(service);
        fields(v, (sno, m) => {
          if (sno === 2) add(`${service}.${nameOf(m)}`);
        });
      }
    }
    files.set(fileName, { bytes: fileBytes, deps });
  });
  return { files, fileBySymbol };
}

/** A file and everything it imports, transitively, dependencies first. */
export function withDependencies(index: DescriptorIndex, fileName: string): Uint8Array[] {
  const seen = new Set<string>();
  const out: Uint8Array[] = [];
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const file = index.files.get(name);
    if (file === undefined) return;
    for (const dep of file.deps) visit(dep);
    out.push(file.bytes);
  };
  visit(fileName);
  return out;
}
