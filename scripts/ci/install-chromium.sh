#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (the console's end-to-end tests and the evaluation report's
# rendering test drive it with playwright-core). Does nothing when /usr/bin/chromium is already there.
set -euo pipefail

say() { echo "install-chromium.sh: $*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ -x /usr/bin/chromium ]; then
  say "$(/usr/bin/chromium --version 2>/dev/null || echo chromium) already installed"
  exit 0
fi
command -v apt-get >/dev/null 2>&1 || { say "apt-get is needed to install chromium"; exit 1; }
say "installing chromium with apt-get"
if ! as_root apt-get install -y -qq chromium >/dev/null 2>&1; then
  as_root apt-get update -qq
  as_root apt-get install -y -qq chromium >/dev/null
fi
say "$(/usr/bin/chromium --version)"
