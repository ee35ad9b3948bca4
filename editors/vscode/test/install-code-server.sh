#!/usr/bin/env bash
# Installs what the VS Code end-to-end test needs into a cache folder, skipping what is already there:
#   - Debian packages: build-essential pkg-config libkrb5-dev libsecret-1-dev ripgrep chromium fonts-dejavu-core
#   - code-server (a real VS Code, web build) + playwright-core, from npm, into $VSCODE_HEADLESS_ROOT
#
# Env: VSCODE_HEADLESS_ROOT (default <repo>/.vscode-headless), CODE_SERVER_VERSION (default 4.100.3)
#
# Only package registries are reachable here, so every step that would download a prebuilt binary from
# elsewhere is redirected to something Debian or npm already provides (see the comments below).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
ROOT=${VSCODE_HEADLESS_ROOT:-$REPO/.vscode-headless}
# 4.100.3 (VS Code 1.100.3) is the newest code-server whose engines.node is 20; later ones want Node 22+.
CS_VERSION=${CODE_SERVER_VERSION:-4.100.3}
PW_VERSION=${PLAYWRIGHT_CORE_VERSION:-1.65.1}
RG_PKG_VERSION=1.15.11        # @vscode/ripgrep version that code-server 4.100.3 depends on
RG_TAG=v13.0.0-10             # ripgrep release tag that @vscode/ripgrep 1.15.11 downloads

log() { printf '[install] %s\n' "$*" >&2; }

install_debian_packages() {
  local wanted=(build-essential pkg-config libkrb5-dev libsecret-1-dev ripgrep chromium fonts-dejavu-core)
  local missing=() p
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then log "debian packages present"; return; fi
  log "apt-get install ${missing[*]}"
  local sudo=(); [ "$(id -u)" = 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

code_server_ok() {
  local cs="$ROOT/node_modules/code-server"
  [ -f "$cs/package.json" ] && [ -f "$ROOT/node_modules/playwright-core/package.json" ] || return 1
  [ "$(node -p "require('$cs/package.json').version")" = "$CS_VERSION" ] || return 1
  [ -x "$cs/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ] || return 1
  [ -f "$ROOT/.install-complete" ]
}

seed_ripgrep_cache() {
  # @vscode/ripgrep's postinstall downloads rg from GitHub unless
  # <os.tmpdir()>/vscode-ripgrep-cache-<pkgver>/ripgrep-<tag>-<target>.tar.gz exists: seed it with Debian's rg.
  local tmp cache stage
  tmp=$(node -p 'require("os").tmpdir()')
  cache="$tmp/vscode-ripgrep-cache-$RG_PKG_VERSION"
  mkdir -p "$cache"
  stage=$(mktemp -d)
  cp "$(command -v rg)" "$stage/rg"
  tar czf "$cache/ripgrep-$RG_TAG-x86_64-unknown-linux-musl.tar.gz" -C "$stage" rg
  rm -rf "$stage"
}

install_code_server() {
  if code_server_ok; then log "code-server $CS_VERSION already installed in $ROOT"; return; fi
  log "installing code-server@$CS_VERSION and playwright-core@$PW_VERSION into $ROOT"
  mkdir -p "$ROOT"
  rm -f "$ROOT/.install-complete"
  [ -f "$ROOT/package.json" ] || printf '{ "name": "vscode-headless", "private": true }\n' > "$ROOT/package.json"
  seed_ripgrep_cache
  # node-gyp (argon2, kerberos, node-pty, ...) would download Node headers: Nodesource's nodejs package ships
  # them in /usr/include/node, so point nodedir at /usr. node-pty's postinstall runs `npx node-gyp`, which
  # refuses to prompt without a TTY unless yes=true. code-server's postinstall insists on unsafe-perm as root.
  (cd "$ROOT" && npm_config_nodedir=/usr npm_config_yes=true npm_config_fund=false npm_config_audit=false \
    npm install --no-save --unsafe-perm --loglevel=error \
    "code-server@$CS_VERSION" "playwright-core@$PW_VERSION")
  [ -x "$ROOT/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ] \
    || { log "code-server install is missing ripgrep"; exit 1; }
  touch "$ROOT/.install-complete"
  # --version writes a default config.yaml under $XDG_CONFIG_HOME: keep it inside the cache folder.
  log "installed: $(XDG_CONFIG_HOME="$ROOT/xdg-config" XDG_DATA_HOME="$ROOT/xdg-data" \
    "$ROOT/node_modules/.bin/code-server" --version | tail -1)"
}

t0=$SECONDS
install_debian_packages
install_code_server
log "done in $((SECONDS - t0))s"
