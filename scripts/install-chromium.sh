#!/usr/bin/env bash
# Installs Chromium for the report browser test (test/reports/report.browser.test.ts), idempotently.
# Uses the distribution's package manager only (apt). CI runs as root; elsewhere sudo is used if present.
# Re-running is a no-op once /usr/bin/chromium exists.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
log() { printf '[install-chromium] %s\n' "$*"; }

if [[ -x "$CHROMIUM" ]]; then
  log "$CHROMIUM already installed: $("$CHROMIUM" --version 2>/dev/null || echo 'version unknown') (skipped)"
  exit 0
fi

SUDO=""
if [[ "$(id -u)" != 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { log "not root and no sudo: run as root"; exit 1; }
  SUDO=sudo
fi
command -v apt-get >/dev/null 2>&1 || { log "apt-get not found: install Chromium at $CHROMIUM by hand"; exit 1; }

log "installing chromium with apt-get ..."
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y chromium
[[ -x "$CHROMIUM" ]] || { log "apt-get finished but $CHROMIUM is missing"; exit 1; }
log "installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
