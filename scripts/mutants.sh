#!/usr/bin/env bash
# `make mutants`: mutation testing with cargo-mutants over the RCI client, the tenant's rules and the
# provider's plan-time validation, each mutant against its own package's fast tests only (never the
# Terraform suite). Installs cargo-mutants into .tools/ on first use; `make setup` does not.
#
#   MUTANTS_SCOPE=default  the client's request core (redaction, retry, create adoption, paging:
#                          http.rs, retry.rs, redact.rs, body.rs), the rules, and the provider's settings and write-only
#                          checks (the validation its unit tests reach)
#   MUTANTS_SCOPE=full     also the rest of the client, the user's plan checks and every resource
#                          function whose name says it validates (reached only by the slow suites)
#   MUTANTS_AREAS="client rules provider"   which areas to run, in this order
#   MUTANTS_FILE=GLOB      only this file (e.g. after a new test: crates/contactpro-rci/src/retry.rs)
#   MUTANTS_JOBS=1         parallel builds; keep 1 on a shared 2-core machine
#   MUTANTS_ARGS="..."     more cargo-mutants options (e.g. --list, --shard 1/4)
# Results: mutants.out/<area>/mutants.out/ (outcomes.json, missed.txt, caught.txt, ...).
set -euo pipefail

version=27.1.0
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="$root/.tools/cargo-mutants-$version"
bin="$prefix/bin/cargo-mutants"

say() { echo "mutants: $*"; }

if [[ ! -x "$bin" ]] || ! "$bin" mutants --version 2>/dev/null | grep -qF "$version"; then
  say "installing cargo-mutants $version into .tools/ (once)"
  nice -n 10 cargo install --locked --quiet --root "$prefix" --version "$version" cargo-mutants
fi

scope="${MUTANTS_SCOPE:-default}"
areas="${MUTANTS_AREAS:-client rules provider}"
jobs="${MUTANTS_JOBS:-1}"
# Its own target dir: kept between runs (only the first run builds the dependencies) and apart from
# the one `make test` uses, so neither invalidates the other.
target_dir="${CARGO_TARGET_DIR:-$root/target}/mutants"

case "$scope" in
default) client_files=(crates/contactpro-rci/src/http.rs crates/contactpro-rci/src/retry.rs
  crates/contactpro-rci/src/redact.rs crates/contactpro-rci/src/body.rs) ;;
full) client_files=('crates/contactpro-rci/src/**/*.rs') ;;
*) echo "mutants: MUTANTS_SCOPE must be default or full, not $scope" >&2; exit 2 ;;
esac

# The provider's plan-time validation. Each of its mutants rebuilds the provider crate, so the
# default takes the files its unit tests reach; full adds the user's plan checks and every resource
# function whose name says it validates (mutant names carry the function's name).
case "$scope" in
default)
  provider_files=(src/provider/settings.rs src/resources/write_only.rs)
  provider_re='src/provider/settings\.rs|write_only\.rs'
  ;;
full)
  provider_files=(src/provider/settings.rs src/resources/write_only.rs src/resources/user_requirements.rs
    'src/resources/*.rs')
  provider_re='src/provider/settings\.rs|user_requirements\.rs|write_only\.rs|validate'
  ;;
esac

run_area() { # AREA
  local area="$1" args=()
  case "$area" in
  client)
    args+=(--package contactpro-rci)
    for f in "${client_files[@]}"; do args+=(--file "$f"); done
    ;;
  rules) args+=(--package contactpro-rules --file crates/contactpro-rules/src/lib.rs) ;;
  provider)
    args+=(--package terraform-provider-contactpro)
    for f in "${provider_files[@]}"; do args+=(--file "$f"); done
    args+=(--re "$provider_re")
    ;;
  *) echo "mutants: unknown area $area (client, rules, provider)" >&2; exit 2 ;;
  esac
  if [[ -n "${MUTANTS_FILE:-}" ]]; then
    args=("${args[0]}" "${args[1]}" --file "$MUTANTS_FILE")
    [[ "$area" == provider ]] && args+=(--re "$provider_re")
  fi
  # The provider's tests/ are Terraform and gRPC runs against the emulator: only its unit tests.
  local test_args=()
  [[ "$area" == provider ]] && test_args=(-- --lib)
  say "$area: scope $scope"
  local started=$SECONDS status=0
  mkdir -p "$root/mutants.out/$area"
  # shellcheck disable=SC2086 # MUTANTS_ARGS is a list of options
  (cd "$root" && nice -n 10 "$bin" mutants --jobs "$jobs" --cargo-arg="--target-dir=$target_dir" \
    --output "mutants.out/$area" "${args[@]}" ${MUTANTS_ARGS:-} "${test_args[@]}") || status=$?
  # Exit 2 (some missed) and 3 (some timed out) are findings, reported below, not failures.
  if [[ $status -ne 0 && $status -ne 2 && $status -ne 3 ]]; then
    echo "mutants: cargo-mutants failed on $area (exit $status)" >&2
    exit "$status"
  fi
  [[ " ${MUTANTS_ARGS:-} " == *" --list "* ]] || summary "$area" $((SECONDS - started))
}

summary() { # AREA SECONDS
  local outcomes="$root/mutants.out/$1/mutants.out/outcomes.json"
  [[ -f "$outcomes" ]] || return 0
  python3 - "$outcomes" "$1" "$2" <<'EOF'
import json, sys
data = json.load(open(sys.argv[1]))
keys = ["caught", "missed", "unviable", "timeout"]
counts = ", ".join(f"{k} {data.get(k, 0)}" for k in keys)
print(f"mutants: {sys.argv[2]}: {data.get('total_mutants', '?')} mutants: {counts}; {int(sys.argv[3]) // 60} min")
EOF
}

for area in $areas; do
  run_area "$area"
done
