#!/usr/bin/env bash
# npm test: install what is missing, run the static checks (generated code, format, lint, typecheck),
# then every test against real Redis, Git and Kubernetes. The last line counts checks and tests:
# "N passed, N failed".
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/bootstrap.sh || { echo "0 passed, 1 failed"; exit 1; }
export PATH="$root/node_modules/.bin:$PATH"

passed=0
failed=0
check() { # name command...
  local name=$1; shift
  local started=$SECONDS
  if "$@" >/tmp/capstan-check.$$ 2>&1; then
    passed=$((passed + 1)); echo "✓ $name ($((SECONDS - started)) s)"
  else
    failed=$((failed + 1)); echo "✗ $name ($((SECONDS - started)) s)"; tail -n 60 /tmp/capstan-check.$$
  fi
  rm -f /tmp/capstan-check.$$
}
check "generated proto code is up to date" bash proto/generate.sh --check
check "generated Dockerfiles are up to date" node --conditions=@capstan/source tools/devtools/src/cli/dockerfiles.ts --check
check "formatting (prettier)" prettier --check .
check "lint (eslint, zero warnings)" turbo run lint --output-logs=errors-only
check "typecheck (tsc, strict)" turbo run typecheck --output-logs=errors-only

report=$(mktemp)
vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@"
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const p = Number(process.argv[2]) + r.numPassedTests;
  const broken = r.success === false && r.numFailedTests === 0 ? Math.max(1, r.numFailedTestSuites) : 0;
  const f = Number(process.argv[3]) + r.numFailedTests + broken;
  console.log(`${p} passed, ${f} failed`);
  process.exit(f === 0 ? 0 : 1);
' "$report" "$passed" "$failed"
status=$?
rm -f "$report"
exit $status
