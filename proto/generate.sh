#!/usr/bin/env bash
# Regenerates packages/proto/src/gen from proto/ (ts-proto via buf, plus a descriptor set for gRPC
# reflection). With --check, generates into a scratch folder and fails if the committed code differs.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root/proto"
bin=$root/node_modules/.bin
[ -x "$bin/buf" ] || { echo "proto: run 'npm ci' first (buf and ts-proto come from devDependencies)" >&2; exit 1; }

# google/api/{annotations,http}.proto come from the npm package google-proto-files (buf's registry is out of reach).
rm -rf .deps && mkdir -p .deps/google/api .deps/grpc/health/v1
cp "$root/node_modules/google-proto-files/google/api/annotations.proto" \
   "$root/node_modules/google-proto-files/google/api/http.proto" .deps/google/api/
# grpc.health.v1 goes into the descriptor set too, so reflection can describe the health service.
cp "$root/node_modules/grpc-health-check/proto/health/v1/health.proto" .deps/grpc/health/v1/

"$bin/buf" lint
target=$root/packages/proto/src/gen
out=$target
[ "${1:-}" = "--check" ] && out=$(mktemp -d)
rm -rf "$out" && mkdir -p "$out"
"$bin/buf" generate --template buf.gen.yaml -o "$out" --path capstan
# Imported option protos generate nothing useful to TypeScript callers.
rm -rf "$out/google/api"
# One descriptor set of every service, for gRPC server reflection.
"$bin/buf" build --path capstan --path .deps/grpc/health/v1/health.proto --as-file-descriptor-set -o "$out/descriptors.binpb"
"$root/node_modules/.bin/prettier" --log-level warn --no-config --print-width 110 --write "$out" >/dev/null 2>&1 || true

if [ "$out" != "$target" ]; then
  if ! diff -r "$target" "$out" >/dev/null; then
    diff -r "$target" "$out" | head -40 >&2
    echo "proto: packages/proto/src/gen is out of date with proto/; run 'npm run proto:gen' and commit the result" >&2
    rm -rf "$out"; exit 1
  fi
  rm -rf "$out"
  echo "proto: generated code is up to date"
fi
