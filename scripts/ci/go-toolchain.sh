#!/usr/bin/env bash
# Makes sure the go on PATH can build and test the Go SDK (packages/sdk-go needs Go >= 1.22), installing the
# distribution's golang-go with apt-get when the machine has no go at all. Run it before `pnpm test`:
#
#   scripts/ci/go-toolchain.sh
#
# With CI set, the Go SDK's test script fails when go is missing, so this only turns that failure into an early,
# explained one (and an older go, which would fail later on the module's go directive, into a clear message).
set -euo pipefail

NEEDED_MINOR=22
say() { echo "go-toolchain.sh: $*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v go >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || { say "go is required and apt-get is not available: install Go >= 1.$NEEDED_MINOR from https://go.dev/dl/"; exit 1; }
  say "installing golang-go with apt-get"
  as_root apt-get update -qq
  as_root apt-get install -y -qq golang-go >/dev/null
fi

version=$(go env GOVERSION)
if [[ ! "$version" =~ ^go1\.([0-9]+) ]] || [ "${BASH_REMATCH[1]}" -lt "$NEEDED_MINOR" ]; then
  say "the Go SDK needs Go >= 1.$NEEDED_MINOR, found $version ($(command -v go)): install it from https://go.dev/dl/"
  exit 1
fi
say "$version at $(command -v go)"
