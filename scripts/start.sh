#!/usr/bin/env bash
# npm start: install what is missing, then run the local system in the foreground (Ctrl-C stops it).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root/scripts/bootstrap.sh"
exec "$root/node_modules/.bin/node" --conditions=@capstan/source "$root/tools/devtools/src/cli/start.ts"
