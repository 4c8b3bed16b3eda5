#!/usr/bin/env bash
# Ctrl-C, repeated: interrupts `terraform apply` of 30 users RUNS times per Terraform and mode, and
# counts orphans (users in the tenant that the state does not know). Modes: `plain` sends SIGINT to
# the apply's process group, as a terminal's Ctrl-C does; `pause` also stops Terraform's own
# processes (not the provider) for 0.5 s right after its trace log shows `GRPCProvider.v6: Stop`,
# the window in which a provider that exits on StopProvider loses replies (docs/reliability.md).
#
#   scripts/interrupted-applies.sh [RUNS]            # default 100, both modes, 1.0.3 and PATH's
#
# Env: TERRAFORMS (space-separated binaries), MODES ("plain pause"), PROVIDER_BIN, EMULATOR_BIN,
# OUT (work and log folder, default .interrupted). Prints one line per run and a summary table;
# exits 1 when any run left an orphan or could not be judged.
set -euo pipefail
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-100}"
target="${CARGO_TARGET_DIR:-$root/target}"
provider="${PROVIDER_BIN:-$target/debug/terraform-provider-contactpro}"
emulator="${EMULATOR_BIN:-$target/debug/contactpro-emulator}"
out="${OUT:-$root/.interrupted}"
modes="${MODES:-plain pause}"
users=30
auth=(-u admin:Emulator-Admin-Password-1 -H 'x-api-key: demo-api-key')

for tool in curl python3 setsid pgrep; do
  command -v "$tool" >/dev/null || { echo "interrupted-applies: needs $tool on PATH" >&2; exit 2; }
done
[[ -x "$provider" && -x "$emulator" ]] || { echo "interrupted-applies: run make build first" >&2; exit 2; }
if [[ -z "${TERRAFORMS:-}" ]]; then
  TERRAFORMS="$root/.tools/terraform-1.0.3/terraform"
  newest="$(command -v terraform || true)"
  [[ -n "$newest" ]] && TERRAFORMS+=" $newest"
fi

version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n1)"
mkdir -p "$out/mirror/registry.terraform.io/contactpro/contactpro/$version/linux_amd64"
install -m 0755 "$provider" \
  "$out/mirror/registry.terraform.io/contactpro/contactpro/$version/linux_amd64/terraform-provider-contactpro_v$version"
cat >"$out/terraform.rc" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "$out/mirror"
    include = ["registry.terraform.io/contactpro/*"]
  }
  direct {
    exclude = ["registry.terraform.io/contactpro/*"]
  }
}
EOF
export TF_CLI_CONFIG_FILE="$out/terraform.rc"

emulator_pid=""
stop_emulator() {
  [[ -n "$emulator_pid" ]] || return 0
  kill "$emulator_pid" 2>/dev/null || true
  wait "$emulator_pid" 2>/dev/null || true
  emulator_pid=""
}
trap stop_emulator EXIT

# A fresh in-memory tenant per run, 100 ms per request so that creates are in flight at the Ctrl-C.
start_emulator() {
  : >"$out/emulator.log" # here, not in the child: the loop below must not read the last run's URL
  "$emulator" --listen 127.0.0.1:0 --data :memory: --tenant demo --latency-ms 100 >>"$out/emulator.log" 2>&1 &
  emulator_pid=$!
  url=""
  for _ in $(seq 100); do
    url="$(sed -n 's/^listening on \(http[^ ]*\).*/\1/p' "$out/emulator.log" | head -n1)"
    [[ -n "$url" ]] && return 0
    sleep 0.1
  done
  echo "interrupted-applies: the emulator printed no URL" >&2
  exit 2
}

post_users() {
  curl -s --max-time 5 "${auth[@]}" "$url/_emulator/stats" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["byRoute"].get("POST users", 0))' 2>/dev/null ||
    echo 0
}

# Users whose login starts with `cc.`, in the tenant and not in the state: one login per line.
orphans() { # WORKDIR
  curl -s --max-time 10 "${auth[@]}" "$url/demo/RI/rci/users?login=cc.*&limit=1000" >"$1/tenant.json"
  python3 - "$1/tenant.json" "$1/terraform.tfstate" <<'EOF'
import json, os, sys
tenant = {u["login"] for u in json.load(open(sys.argv[1]))}
state = set()
if os.path.exists(sys.argv[2]):
    for r in json.load(open(sys.argv[2])).get("resources", []):
        if r["type"] == "contactpro_user":
            state |= {i["attributes"]["login"] for i in r["instances"]}
for login in sorted(tenant - state):
    print(login)
EOF
}

summary=()
failed=0
for terraform in $TERRAFORMS; do
  tf_version="$("$terraform" version)" # not piped to head: with pipefail, SIGPIPE would end the script
  tf_version="${tf_version%%$'\n'*}"
  work="$out/$(basename "$(dirname "$terraform")")-${tf_version##* }"
  mkdir -p "$work"
  cat >"$work/main.tf" <<EOF
terraform {
  required_providers {
    contactpro = { source = "contactpro/contactpro" }
  }
}
provider "contactpro" {}
resource "contactpro_user" "u" {
  count      = $users
  first_name = "Interrupted"
  last_name  = "User \${count.index}"
  login      = format("cc.user%02d", count.index)
  password   = format("Interrupted-Password-%02d", count.index)
}
EOF
  rm -rf "$work/.terraform" "$work/.terraform.lock.hcl"
  "$terraform" -chdir="$work" init -no-color >"$work/init.log" || { cat "$work/init.log" >&2; exit 2; }
  for mode in $modes; do
    orphaned_runs=0 orphan_users=0 unjudged=0 interrupted=0
    for run in $(seq "$runs"); do
      rm -f "$work"/terraform.tfstate* "$work/trace.log"
      start_emulator
      export CONTACTPRO_URL="$url/demo/RI" CONTACTPRO_API_KEY=demo-api-key \
        CONTACTPRO_USERNAME=admin CONTACTPRO_PASSWORD=Emulator-Admin-Password-1
      # Its own session, so that the group holds Terraform and its provider as at a terminal.
      # No `timeout` in that group: it would forward the SIGINT, and two interrupts make
      # Terraform exit at once without saving its state.
      TF_LOG=trace TF_LOG_PATH="$work/trace.log" \
        setsid "$terraform" -chdir="$work" apply -auto-approve -no-color >"$work/apply.log" 2>&1 &
      apply_pid=$!
      (sleep 300 && kill -KILL -- "-$apply_pid" 2>/dev/null) &
      watchdog=$!
      # Interrupt after 1 to 20 of the 30 creates, spread over the runs.
      after=$((1 + (run * 7) % 20))
      for _ in $(seq 600); do
        (($(post_users) >= after)) && break
        sleep 0.05
      done
      group="$apply_pid" # setsid's child leads its own group
      if [[ "$mode" == pause ]]; then
        # Found and followed before the SIGINT: polling the whole log after it comes too late on
        # a busy machine, when the old server has exited already.
        paused="$(pgrep -g "$group" -x terraform || true)"
        exec {stop_seen}< <(tail -n +1 -F "$work/trace.log" 2>/dev/null |
          grep --line-buffered -m1 'GRPCProvider.v6: Stop')
      fi
      kill -INT -- "-$group" 2>/dev/null || true
      if [[ "$mode" == pause ]]; then
        read -r -t 30 -u "$stop_seen" _ || true
        exec {stop_seen}<&-
        # `|| true`: a process may end between pgrep and kill, and set -e must not end the loop.
        [[ -z "$paused" ]] || kill -STOP $paused 2>/dev/null || true
        sleep 0.5
        [[ -z "$paused" ]] || kill -CONT $paused 2>/dev/null || true
      fi
      code=0
      wait "$apply_pid" || code=$?
      kill "$watchdog" 2>/dev/null || true
      wait "$watchdog" 2>/dev/null || true
      grep -q 'Interrupt received' "$work/apply.log" && interrupted=$((interrupted + 1))
      if ! lost="$(orphans "$work")"; then
        unjudged=$((unjudged + 1))
        echo "$tf_version $mode run $run: could not compare tenant and state" >&2
      elif [[ -n "$lost" ]]; then
        orphaned_runs=$((orphaned_runs + 1))
        orphan_users=$((orphan_users + $(wc -l <<<"$lost")))
        cp "$work/trace.log" "$work/orphan-$mode-$run.trace.log"
        echo "$tf_version $mode run $run: exit $code, ORPHANS: $(tr '\n' ' ' <<<"$lost")"
      else
        echo "$tf_version $mode run $run: exit $code after $after creates, no orphan"
      fi
      stop_emulator
    done
    summary+=("| $tf_version | $mode | $runs | $interrupted | $orphaned_runs | $orphan_users | $unjudged |")
    ((orphaned_runs + unjudged == 0)) || failed=1
  done
done

echo
echo "| Terraform | mode | runs | interrupted | runs with orphans | orphaned users | not judged |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${summary[@]}"
exit "$failed"
