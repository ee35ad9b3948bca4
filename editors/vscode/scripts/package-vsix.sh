#!/usr/bin/env bash
# Packages a platform-specific .vsix with the outreach-lsp server inside (server/outreach-lsp), the way
# ruff, typos and harper ship theirs: users install one extension and need no Rust toolchain.
#
#   bash editors/vscode/scripts/package-vsix.sh TARGET BINARY [OUT.vsix]
#
# TARGET is a VS Code platform; BINARY the server built for it. CI builds linux-x64 (the e2e test installs
# it). A release builds every target on a machine or runner that can, then publishes each .vsix
# (`vsce publish --packagePath outreach-lsp-TARGET.vsix`); the Marketplace serves each user the one for
# their platform:
#
#   TARGET         Rust target                      how to build the binary
#   linux-x64      x86_64-unknown-linux-musl        cargo build --release --target x86_64-unknown-linux-musl
#                                                   (static, runs on any distribution; -gnu works on glibc ones)
#   linux-arm64    aarch64-unknown-linux-musl       cross build --release --target aarch64-unknown-linux-musl
#   alpine-x64     x86_64-unknown-linux-musl        the linux-x64 binary again
#   alpine-arm64   aarch64-unknown-linux-musl       the linux-arm64 binary again
#   darwin-x64     x86_64-apple-darwin              cargo build --release --target x86_64-apple-darwin (on macOS)
#   darwin-arm64   aarch64-apple-darwin             cargo build --release --target aarch64-apple-darwin (on macOS)
#   win32-x64      x86_64-pc-windows-msvc           cargo build --release (on Windows); BINARY is outreach-lsp.exe
#   win32-arm64    aarch64-pc-windows-msvc          cargo build --release --target aarch64-pc-windows-msvc
#
# A .vsix without a binary (`npm run package`) still works where outreach-lsp is on PATH or
# `outreach.path` names it (the web and unsupported platforms).
set -euo pipefail

TARGET=${1:?usage: package-vsix.sh TARGET BINARY [OUT.vsix]}
BINARY=${2:?usage: package-vsix.sh TARGET BINARY [OUT.vsix]}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
EXT_DIR=$(cd "$HERE/.." && pwd)
OUT=${3:-$EXT_DIR/outreach-lsp-$TARGET.vsix}
case "$OUT" in /*) ;; *) OUT="$PWD/$OUT" ;; esac

[ -x "$BINARY" ] || { echo "error: $BINARY is not an executable file" >&2; exit 2; }
case "$TARGET" in
  win32-*) NAME=outreach-lsp.exe ;;
  linux-*|alpine-*|darwin-*) NAME=outreach-lsp ;;
  *) echo "error: unknown target $TARGET (see the table in this script)" >&2; exit 2 ;;
esac

cd "$EXT_DIR"
rm -rf server
mkdir server
cp "$BINARY" "server/$NAME"
chmod 755 "server/$NAME"
# The binary must be the server: a wrong file would only fail on the user's machine.
if [ "$NAME" = outreach-lsp ] && [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] && [ "$TARGET" = linux-x64 ]; then
  "server/$NAME" --version >/dev/null || { echo "error: $BINARY --version failed" >&2; exit 2; }
fi
trap 'rm -rf "$EXT_DIR/server"' EXIT
npx --no-install vsce package --no-dependencies --target "$TARGET" --out "$OUT"
echo "packaged $OUT ($(du -h "$OUT" | cut -f1)) with $(basename "$BINARY") for $TARGET"
