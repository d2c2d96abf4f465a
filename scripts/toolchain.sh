#!/usr/bin/env bash
# Builds the pinned Pulumi CLI, its language hosts, goreleaser and tsc into a per-user cache
# keyed by version. Each binary has a stamp, so a second run does nothing. These machines reach only
# the Go module proxy, npm and PyPI: see docs/toolchain.md for why each pin is what it is.
#
#   scripts/toolchain.sh            build what is missing, print the bin directory
#   scripts/toolchain.sh --env      print export lines for the offline environment (eval them)
#   scripts/toolchain.sh --bin      print the bin directory, building nothing
set -euo pipefail

PULUMI_VERSION=v3.259.0
YAML_VERSION=v1.38.3
NODEJS_HOST_SDK=v3.68.0   # last sdk/v3 that still carries cmd/pulumi-language-nodejs as a package
GO_HOST_SDK=v3.66.0       # likewise for pulumi-language-go
PYTHON_HOST_SDK=v3.79.0   # likewise for pulumi-language-python (+ its -exec script)
GORELEASER_VERSION=v2.12.0
TYPESCRIPT_VERSION=5.9.3

CACHE_ROOT="${PULUMI_FGS_TOOLCHAIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-fgs/toolchain}"
TOOLCHAIN_DIR="$CACHE_ROOT/$PULUMI_VERSION"
BIN="$TOOLCHAIN_DIR/bin"
STAMPS="$TOOLCHAIN_DIR/stamps"
WORK="$TOOLCHAIN_DIR/build"

if [ "${1:-}" = "--env" ]; then
  cat <<ENV
export PATH="$BIN:\$PATH"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_CONFIG_PASSPHRASE="\${PULUMI_CONFIG_PASSPHRASE:-fgs-local}"
ENV
  exit 0
fi

if [ "${1:-}" = "--bin" ]; then
  echo "$BIN"
  exit 0
fi

mkdir -p "$BIN" "$STAMPS" "$WORK"
export GOWORK=off GOFLAGS=-mod=mod GOTOOLCHAIN=local

log() { printf '[toolchain] %s\n' "$*" >&2; }

# stamped NAME VERSION: true when NAME was built at VERSION and the binary is still there.
stamped() { [ -x "$BIN/$1" ] && [ "$(cat "$STAMPS/$1" 2>/dev/null)" = "$2" ]; }
stamp() { echo "$2" >"$STAMPS/$1"; }

# module DIR GOVERSION [REPLACE...]: a throwaway module to build tools in, outside the repo.
module() {
  local name="$1" dir="$WORK/$1" gov="$2"; shift 2
  mkdir -p "$dir"
  if [ ! -f "$dir/go.mod" ]; then
    { echo "module toolchain/$name"; echo; echo "go $gov"; for r in "$@"; do echo "replace $r"; done; } >"$dir/go.mod"
  fi
  echo "$dir"
}

build_cli() {
  stamped pulumi "$PULUMI_VERSION" && stamped pulumi-language-yaml "$YAML_VERSION" && return 0
  local t0=$SECONDS dir
  dir=$(module cli 1.25.11 "github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e")
  log "building pulumi $PULUMI_VERSION and pulumi-language-yaml $YAML_VERSION (cold: ~6 min)"
  (cd "$dir" && go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@$PULUMI_VERSION" \
      "github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION" \
      "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@$YAML_VERSION" >/dev/null)
  (cd "$dir" && go build -o "$BIN/" \
      -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
      github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
  stamp pulumi "$PULUMI_VERSION"
  (cd "$dir" && go build -o "$BIN/" \
      -ldflags "-X github.com/pulumi/pulumi-yaml/pkg/version.Version=$YAML_VERSION" \
      github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml)
  stamp pulumi-language-yaml "$YAML_VERSION"
  log "pulumi + yaml host built in $((SECONDS - t0)) s"
}

# build_host NAME SDKVERSION PACKAGE
build_host() {
  local name="$1" sdk="$2" pkg="$3" dir t0=$SECONDS
  stamped "$name" "$sdk" && return 0
  dir=$(module "$name" 1.25)
  log "building $name from sdk/v3 $sdk"
  (cd "$dir" && go get "$pkg@$sdk" >/dev/null && go build -o "$BIN/" \
      -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$sdk" "$pkg")
  stamp "$name" "$sdk"
  log "$name built in $((SECONDS - t0)) s"
}

build_python_exec() {
  stamped pulumi-language-python-exec "$PYTHON_HOST_SDK" && return 0
  local moddir
  moddir=$(cd "$WORK/pulumi-language-python" && go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)
  install -m 0755 "$moddir/python/cmd/pulumi-language-python-exec" "$BIN/pulumi-language-python-exec"
  stamp pulumi-language-python-exec "$PYTHON_HOST_SDK"
}

build_goreleaser() {
  stamped goreleaser "$GORELEASER_VERSION" && return 0
  local dir t0=$SECONDS
  dir=$(module goreleaser 1.25)
  log "building goreleaser $GORELEASER_VERSION"
  (cd "$dir" && go get "github.com/goreleaser/goreleaser/v2@$GORELEASER_VERSION" >/dev/null && \
      go build -o "$BIN/" -ldflags "-X main.version=${GORELEASER_VERSION#v}" github.com/goreleaser/goreleaser/v2)
  stamp goreleaser "$GORELEASER_VERSION"
  log "goreleaser built in $((SECONDS - t0)) s"
}

build_tsc() {
  stamped tsc "$TYPESCRIPT_VERSION" && return 0
  log "installing typescript $TYPESCRIPT_VERSION from npm"
  npm install --silent --no-audit --no-fund --prefix "$TOOLCHAIN_DIR/node" "typescript@$TYPESCRIPT_VERSION" >/dev/null
  ln -sf "$TOOLCHAIN_DIR/node/node_modules/.bin/tsc" "$BIN/tsc"
  stamp tsc "$TYPESCRIPT_VERSION"
}

want="${TOOLS:-cli nodejs go python goreleaser tsc}"
for tool in $want; do
  case "$tool" in
    cli) build_cli ;;
    nodejs) build_host pulumi-language-nodejs "$NODEJS_HOST_SDK" github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs ;;
    go) build_host pulumi-language-go "$GO_HOST_SDK" github.com/pulumi/pulumi/sdk/v3/go/pulumi-language-go ;;
    python) build_host pulumi-language-python "$PYTHON_HOST_SDK" github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python
            build_python_exec ;;
    goreleaser) build_goreleaser ;;
    tsc) build_tsc ;;
    *) echo "unknown tool $tool" >&2; exit 2 ;;
  esac
done
echo "$BIN"
