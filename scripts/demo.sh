#!/usr/bin/env bash
# Starts the emulator in the background for the demo, data under .demo/.
# (The Terraform part of the demo comes later.)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
demo="$root/.demo"
emulator="${EMULATOR_BIN:-${CARGO_TARGET_DIR:-$root/target}/debug/contactpro-emulator}"
listen="${DEMO_LISTEN:-127.0.0.1:0}"
mkdir -p "$demo"

# Stop the emulator a previous demo started, and only that process.
if [[ -f "$demo/emulator.pid" ]]; then
  old="$(cat "$demo/emulator.pid")"
  if [[ -r "/proc/$old/cmdline" ]] && tr '\0' ' ' <"/proc/$old/cmdline" | grep -q contactpro-emulator; then
    kill "$old" 2>/dev/null || true
    for _ in $(seq 50); do [[ -d "/proc/$old" ]] || break; sleep 0.1; done
    echo "demo: stopped the previous emulator (pid $old)"
  fi
  rm -f "$demo/emulator.pid"
fi

[[ -x "$emulator" ]] || { echo "demo: $emulator not built; run make build" >&2; exit 1; }

: >"$demo/emulator.log"
nohup "$emulator" --listen "$listen" --data "$demo/db.sqlite" >"$demo/emulator.log" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$demo/emulator.pid"

# Its first line says where it listens.
url=""
for _ in $(seq 100); do
  url="$(sed -n 's/^listening on \(http[^ ]*\).*/\1/p' "$demo/emulator.log" | head -n1)"
  [[ -n "$url" ]] && break
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "demo: the emulator exited; its log:" >&2
    cat "$demo/emulator.log" >&2
    rm -f "$demo/emulator.pid"
    exit 1
  fi
  sleep 0.1
done
[[ -n "$url" ]] || { echo "demo: the emulator printed no URL within 10 s; see $demo/emulator.log" >&2; exit 1; }
echo "$url" >"$demo/emulator.url"

echo "demo: emulator (pid $pid) listening on $url, data in .demo/db.sqlite, log in .demo/emulator.log"
echo "demo: stop it with: kill \$(cat .demo/emulator.pid)"
