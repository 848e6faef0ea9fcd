#!/usr/bin/env bash
# Regenerates completions/ and man/ from the command definitions; with --check, fails when they are stale.
source "$(dirname "$0")/lib.sh"
BIN="${WEBEX_BIN:-$ROOT/.build/debug/webex}"
[ -x "$BIN" ] || build --product webex
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/completions" "$tmp/man"
"$BIN" --generate-completion-script bash >"$tmp/completions/webex.bash"
"$BIN" --generate-completion-script zsh >"$tmp/completions/_webex"
"$BIN" --generate-completion-script fish >"$tmp/completions/webex.fish"
"$BIN" --experimental-dump-help | python3 "$ROOT/scripts/manpage.py" >"$tmp/man/webex.1"
if [ "${1:-}" = "--check" ]; then
    if diff -r "$tmp/completions" "$ROOT/completions" >/dev/null && diff -r "$tmp/man" "$ROOT/man" >/dev/null; then
        step "completions/ and man/ are up to date"
    else
        diff -ru "$ROOT/completions" "$tmp/completions" | head -40 >&2 || true
        diff -ru "$ROOT/man" "$tmp/man" | head -40 >&2 || true
        echo "completions/ or man/ are stale: run scripts/gen-docs.sh and commit the result" >&2
        exit 1
    fi
else
    rm -rf "$ROOT/completions" "$ROOT/man"
    cp -r "$tmp/completions" "$tmp/man" "$ROOT/"
    step "wrote completions/ and man/"
fi
