#!/usr/bin/env bash
# The demo: start the emulator in the background (data under .demo/), then `terraform init` and
# `apply` of examples/chat-attachment-upload against it, print the outputs, and re-plan to show that
# nothing changes. Running it again restarts the emulator on the same data and reuses the state, so
# the apply finds nothing to do. `demo.sh --stop` stops the emulator it started.
set -euo pipefail
export CHECKPOINT_DISABLE=1 # no update check: this machine reaches package registries only

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
demo="${DEMO_DIR:-$root/.demo}"
emulator="${EMULATOR_BIN:-${CARGO_TARGET_DIR:-$root/target}/debug/contactpro-emulator}"
provider="${PROVIDER_BIN:-${CARGO_TARGET_DIR:-$root/target}/debug/terraform-provider-contactpro}"
mkdir -p "$demo"

# Stops the emulator a previous demo started, and only that process.
stop_previous() {
  [[ -f "$demo/emulator.pid" ]] || return 0
  local old
  old="$(cat "$demo/emulator.pid")"
  if [[ -r "/proc/$old/cmdline" ]] && tr '\0' ' ' <"/proc/$old/cmdline" | grep -q contactpro-emulator; then
    kill "$old" 2>/dev/null || true
    for _ in $(seq 50); do [[ -d "/proc/$old" ]] || break; sleep 0.1; done
    echo "demo: stopped the emulator (pid $old)"
  fi
  rm -f "$demo/emulator.pid"
}

if [[ "${1:-}" == "--stop" ]]; then
  stop_previous
  exit 0
fi
stop_previous

[[ -x "$emulator" ]] || { echo "demo: $emulator not built; run make build" >&2; exit 1; }
[[ -x "$provider" ]] || { echo "demo: $provider not built; run make build" >&2; exit 1; }

# Starts the emulator on $1 and sets $url from its first line; fails when it exits first.
start_emulator() {
  : >"$demo/emulator.log"
  nohup "$emulator" --listen "$1" --data "$demo/db.sqlite" --tenant demo >"$demo/emulator.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$demo/emulator.pid"
  url=""
  for _ in $(seq 100); do
    url="$(sed -n 's/^listening on \(http[^ ]*\).*/\1/p' "$demo/emulator.log" | head -n1)"
    [[ -n "$url" ]] && return 0
    kill -0 "$pid" 2>/dev/null || { rm -f "$demo/emulator.pid"; return 1; }
    sleep 0.1
  done
  echo "demo: the emulator printed no URL within 10 s; see .demo/emulator.log" >&2
  exit 1
}

# The examples' default URL uses port 8787; when it is taken, any free port will do.
listen="${DEMO_LISTEN:-127.0.0.1:8787}"
if ! start_emulator "$listen"; then
  echo "demo: $listen is not available ($(tail -n1 "$demo/emulator.log")); using a free port"
  start_emulator 127.0.0.1:0 || { cat "$demo/emulator.log" >&2; exit 1; }
fi
echo "$url" >"$demo/emulator.url"
echo "demo: emulator (pid $pid) listening on $url, data in .demo/db.sqlite, log in .demo/emulator.log"

# Terraform: the one on PATH when it is >= 1.0, else the v1.0.3 that `make setup` installed.
terraform="${TERRAFORM:-}"
if [[ -z "$terraform" ]] && command -v terraform >/dev/null 2>&1; then
  # Captured first: with pipefail, `| head` could make the pipeline fail by SIGPIPE.
  path_version="$(terraform version 2>/dev/null || true)"
  if [[ "$path_version" =~ ^Terraform\ v[1-9] ]]; then
    terraform="$(command -v terraform)"
  fi
fi
terraform="${terraform:-$root/.tools/terraform-1.0.3/terraform}"
[[ -x "$terraform" ]] || { echo "demo: no Terraform found; run make setup" >&2; exit 1; }

# Terraform installs the provider offline from a filesystem mirror, as users do after `make install`.
version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n1)"
platform="$(uname -s | tr '[:upper:]' '[:lower:]')_$(uname -m | sed -e 's/^x86_64$/amd64/' -e 's/^aarch64$/arm64/')"
mirror="$demo/mirror/registry.terraform.io/contactpro/contactpro/$version/$platform"
mkdir -p "$mirror"
install -m 0755 "$provider" "$mirror/terraform-provider-contactpro_v$version"
printf '%s\n' \
  'provider_installation {' \
  '  filesystem_mirror {' \
  "    path    = \"$demo/mirror\"" \
  '    include = ["registry.terraform.io/contactpro/*"]' \
  '  }' \
  '  direct {' \
  '    exclude = ["registry.terraform.io/contactpro/*"]' \
  '  }' \
  '}' >"$demo/terraform.rc"

# The example's files, refreshed; its state and .terraform stay between runs.
work="$demo/chat-attachment-upload"
mkdir -p "$work"
cp -R "$root/examples/chat-attachment-upload/." "$work/"
rm -f "$work/.terraform.lock.hcl" # a rebuilt provider no longer matches the recorded hash

export TF_CLI_CONFIG_FILE="$demo/terraform.rc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
export TF_VAR_contactpro_url="$url/demo/RI"
tf() { "$terraform" -chdir="$work" "$@"; }

tf_version="$("$terraform" version)"
echo "demo: ${tf_version%%$'\n'*}, working directory .demo/chat-attachment-upload"
tf init -input=false -no-color >"$demo/init.log" || { cat "$demo/init.log" >&2; exit 1; }
tf apply -auto-approve -input=false -no-color # prints the outputs
echo
echo "demo: a second plan, which must show no changes"
set +e
tf plan -detailed-exitcode -input=false -no-color
code=$?
set -e
if [[ $code -ne 0 ]]; then
  echo "demo: the second plan was not empty (exit $code)" >&2
  exit 1
fi

echo
echo "demo: look at the tenant with curl, for example:"
echo "  curl -s -H 'x-api-key: demo-api-key' -u admin:Emulator-Admin-Password-1 $url/demo/RI/rci/secrets"
echo "  curl -s -H 'x-api-key: demo-api-key' -u admin:Emulator-Admin-Password-1 '$url/demo/RI/rci/users?login=api.*'"
echo "  curl -s $url/_emulator/stats"
echo "demo: stop the emulator with: make demo-stop"
