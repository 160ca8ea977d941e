#!/usr/bin/env bash
# Builds the local Kubernetes toolchain (kube-apiserver, kube-controller-manager, kube-scheduler,
# kubectl, etcd, kwok, helm, kustomize) from Go modules into a cache folder outside the repository.
# Each tool carries a stamp with its pin, so only a changed pin rebuilds. Prints the bin folder last.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.env
. "$here/versions.env"

if ! command -v go >/dev/null 2>&1; then
  echo "capstan tools: the Go toolchain (go >= 1.26) is required to build the test cluster; install it from https://go.dev/dl or 'apt-get install golang'" >&2
  exit 1
fi

ROOT=${CAPSTAN_TOOLS_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/capstan-tools}
BIN=$ROOT/bin
export GOMODCACHE=$ROOT/gomod GOCACHE=$ROOT/gobuild CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS="-trimpath -buildvcs=false"
mkdir -p "$BIN" "$ROOT/src"
JOBS=${CAPSTAN_TOOLS_JOBS:-2}

# go's download chatter goes to a log; it is shown only when a step fails.
quiet() {
  local out; out=$(mktemp)
  if ! "$@" >"$out" 2>&1; then cat "$out" >&2; rm -f "$out"; return 1; fi
  rm -f "$out"
}
stamp_ok() { [ "$(cat "$BIN/.stamp-$1" 2>/dev/null)" = "$2" ]; }
stamp() { echo "$2" >"$BIN/.stamp-$1"; }
log() { echo "capstan tools: $*" >&2; }

# Kubernetes: k8s.io/kubernetes pins its staging modules at v0.0.0 with local replaces that dependents ignore,
# so a wrapper module replaces each of them with the published v0.<minor>.<patch>.
if ! stamp_ok k8s "$K8S_VERSION"; then
  log "building Kubernetes $K8S_VERSION (cold: about 10 min on 2 cores)"
  d=$ROOT/src/k8s-$K8S_VERSION; mkdir -p "$d"; cd "$d"
  [ -f go.mod ] || go mod init capstan.local/k8s >/dev/null 2>&1
  modf=$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\([^"]*\)".*/\1/p')
  staging=v0.${K8S_VERSION#v1.}
  for m in $(sed -n 's|^[[:space:]]*\(k8s.io/[^[:space:]]*\) => \./staging/.*|\1|p' "$modf"); do
    go mod edit -replace="$m=$m@$staging"
  done
  cmds="k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl"
  for c in $cmds; do quiet go get -tool "$c@$K8S_VERSION"; done
  minor=$(echo "${K8S_VERSION#v}" | cut -d. -f2)
  ldf="-s -w"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldf+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.buildDate=2000-01-01T00:00:00Z"
  done
  # shellcheck disable=SC2086
  quiet go build -p "$JOBS" -ldflags "$ldf" -o "$BIN/" $cmds
  stamp k8s "$K8S_VERSION"
fi

# etcd's server module has local replaces, so it too is built from a wrapper module.
if ! stamp_ok etcd "$ETCD_VERSION"; then
  log "building etcd $ETCD_VERSION"
  d=$ROOT/src/etcd-$ETCD_VERSION; mkdir -p "$d"; cd "$d"
  [ -f go.mod ] || go mod init capstan.local/etcd >/dev/null 2>&1
  quiet go get -tool "go.etcd.io/etcd/server/v3@$ETCD_VERSION"
  quiet go build -p "$JOBS" -ldflags "-s -w" -o "$BIN/etcd" go.etcd.io/etcd/server/v3
  stamp etcd "$ETCD_VERSION"
fi

install_tool() { # name version ldflags package
  local name=$1 ver=$2 ldf=$3 pkg=$4
  if ! stamp_ok "$name" "$ver $ldf"; then
    log "building $name $ver"
    GOBIN=$BIN quiet go install -p "$JOBS" -ldflags "-s -w $ldf" "$pkg@$ver"
    stamp "$name" "$ver $ldf"
  fi
}
install_tool kwok "$KWOK_VERSION" "" sigs.k8s.io/kwok/cmd/kwok
# helm: report its real version, and default .Capabilities.KubeVersion to our cluster's minor instead of 1.20.
k8s_minor=$(echo "${K8S_VERSION#v}" | cut -d. -f2)
install_tool helm "$HELM_VERSION" "-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$k8s_minor" helm.sh/helm/v3/cmd/helm
install_tool kustomize "$KUSTOMIZE_VERSION" "" sigs.k8s.io/kustomize/kustomize/v5

# kwok's stage definitions ship in its module; copy them beside the binaries for the test kit.
if [ ! -f "$BIN/kwok-stages/.stamp" ] || [ "$(cat "$BIN/kwok-stages/.stamp")" != "$KWOK_VERSION" ]; then
  dir=$(cd "$ROOT/src" && go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" | sed -n 's/.*"Dir": "\([^"]*\)".*/\1/p')
  rm -rf "$BIN/kwok-stages"; mkdir -p "$BIN/kwok-stages"
  cp -r "$dir/kustomize/stage/." "$BIN/kwok-stages/"; chmod -R u+w "$BIN/kwok-stages"
  echo "$KWOK_VERSION" >"$BIN/kwok-stages/.stamp"
fi
echo "$BIN"
