#!/usr/bin/env bash
# Packages the provider and the emulator the way the Terraform Registry and provider mirrors expect
# (docs/guides/installation.md). Into dist/:
#   terraform-provider-contactpro_<v>_<os>_<arch>.zip   holds terraform-provider-contactpro_v<v>[.exe]
#   terraform-provider-contactpro_<v>_manifest.json     protocol versions (also as terraform-registry-manifest.json)
#   terraform-provider-contactpro_<v>_SHA256SUMS[.sig]  the zips and the manifest; detached GPG signature
#   contactpro-emulator_<v>_<os>_<arch>.zip, contactpro-emulator_<v>_SHA256SUMS[.sig]
#   signing-key.asc, or THROWAWAY-KEY-NOT-FOR-PUBLISHING.asc   the public key the .sig files verify with
#   mirror/<hostname>/contactpro/contactpro/   the network-mirror tree (index.json, <v>.json, the zips)
#
# Platforms: linux_amd64 linux_arm64 darwin_amd64 darwin_arm64 windows_amd64, each cross-built once
# with cargo-zigbuild (`make setup-release` installs it into .tools/), profile `dist`.
#
# Environment:
#   RELEASE_PLATFORMS  the platforms to build (default: all five)
#   PROVIDER_BINARY    package this binary as the host platform instead of building (tests use the
#   EMULATOR_BINARY    debug build); the emulator is packaged only when EMULATOR_BINARY is set too
#   DIST_DIR           output directory (default: <repo>/dist)
#   MIRROR_HOSTNAME    the registry hostname of the mirror tree (default: registry.terraform.io)
#   GPG_PRIVATE_KEY    ASCII-armoured secret key to sign with (GPG_PASSPHRASE if it has one);
#   GPG_KEY_ID         or a key of the caller's GnuPG keyring. Neither: a throwaway key is made.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
name="terraform-provider-contactpro"
emulator="contactpro-emulator"
cargo="${CARGO:-cargo}"
say() { echo "release.sh: $*"; }
die() { echo "release.sh: $*" >&2; exit 1; }

# The workspace's version (the provider package inherits it): `version = "..."` in [workspace.package].
version="$(awk '/^\[workspace\.package\]/{p=1; next} /^\[/{p=0} p && /^version *=/{gsub(/.*= *"|".*/, ""); print; exit}' "$root/Cargo.toml")"
[[ -n "$version" ]] || die "cannot read the version from Cargo.toml"

rust_target() { # PLATFORM
  case "$1" in
    # musl: static binaries that run on any Linux, Alpine-based CI images included.
    linux_amd64) echo x86_64-unknown-linux-musl ;;
    linux_arm64) echo aarch64-unknown-linux-musl ;;
    darwin_amd64) echo x86_64-apple-darwin ;;
    darwin_arm64) echo aarch64-apple-darwin ;;
    windows_amd64) echo x86_64-pc-windows-gnu ;;
    *) die "unknown platform $1" ;;
  esac
}

exe_suffix() { [[ "$1" == windows_* ]] && echo .exe || true; }

host_platform() {
  case "$(uname -s)/$(uname -m)" in
    Linux/x86_64) echo linux_amd64 ;;
    Linux/aarch64) echo linux_arm64 ;;
    Darwin/x86_64) echo darwin_amd64 ;;
    Darwin/arm64) echo darwin_arm64 ;;
    *) die "unsupported platform $(uname -s)/$(uname -m)" ;;
  esac
}

dist="${DIST_DIR:-$root/dist}"
hostname="${MIRROR_HOSTNAME:-registry.terraform.io}"
mkdir -p "$dist"
# Only what this script writes: DIST_DIR may be a directory of the caller's.
rm -rf "$dist/mirror"
rm -f "$dist/${name}_"* "$dist/${emulator}_"* "$dist/terraform-registry-manifest.json" \
  "$dist/signing-key.asc" "$dist/THROWAWAY-KEY-NOT-FOR-PUBLISHING.asc"

# The file work (zips, hashes, JSON) is tools/contactpro-release, a host build.
(cd "$root" && "$cargo" build --quiet --locked -p contactpro-release)
tool="${CARGO_TARGET_DIR:-$root/target}/debug/contactpro-release"

package() { # PLATFORM PROVIDER_BIN [EMULATOR_BIN]
  local platform="$1" suffix
  suffix="$(exe_suffix "$platform")"
  "$tool" zip --binary "$2" --entry "${name}_v${version}${suffix}" \
    --out "$dist/${name}_${version}_${platform}.zip"
  if [[ -n "${3:-}" ]]; then
    "$tool" zip --binary "$3" --entry "${emulator}${suffix}" \
      --out "$dist/${emulator}_${version}_${platform}.zip"
  fi
}

if [[ -n "${PROVIDER_BINARY:-}" ]]; then
  [[ -x "$PROVIDER_BINARY" ]] || die "$PROVIDER_BINARY is not an executable file"
  package "$(host_platform)" "$PROVIDER_BINARY" "${EMULATOR_BINARY:-}"
else
  # cargo-zigbuild and zig live in .tools/release-venv (make setup-release).
  export PATH="$root/.tools/release-venv/bin:$PATH"
  command -v cargo-zigbuild >/dev/null || die "cargo-zigbuild is missing: run make setup-release"
  target_dir="${CARGO_TARGET_DIR:-$root/target}"
  for platform in ${RELEASE_PLATFORMS:-linux_amd64 linux_arm64 darwin_amd64 darwin_arm64 windows_amd64}; do
    triple="$(rust_target "$platform")"
    suffix="$(exe_suffix "$platform")"
    say "building $platform ($triple)"
    # Both packages in one build: their shared dependencies compile once per target.
    (cd "$root" && nice -n 10 "$cargo" zigbuild --locked --profile dist --target "$triple" \
      -p "$name" -p "$emulator" --bins)
    out="$target_dir/$triple/dist"
    package "$platform" "$out/$name$suffix" "$out/$emulator$suffix"
  done
fi

"$tool" manifest --protocols 6.0 --out "$dist/${name}_${version}_manifest.json"
cp "$dist/${name}_${version}_manifest.json" "$dist/terraform-registry-manifest.json"
sums=("$("$tool" sums --dir "$dist" --prefix "${name}_${version}")")
if compgen -G "$dist/${emulator}_${version}_*.zip" >/dev/null; then
  sums+=("$("$tool" sums --dir "$dist" --prefix "${emulator}_${version}")")
fi

# Signing happens in a GnuPG home of its own unless the caller names a key of theirs.
gpg_args=(--batch --yes --trust-model always --pinentry-mode loopback --passphrase "${GPG_PASSPHRASE:-}")
if [[ -n "${GPG_PRIVATE_KEY:-}" || -z "${GPG_KEY_ID:-}" ]]; then
  GNUPGHOME="$(mktemp -d)"
  export GNUPGHOME
  trap 'gpgconf --kill gpg-agent >/dev/null 2>&1 || true; rm -rf "$GNUPGHOME"' EXIT
fi
if [[ -n "${GPG_PRIVATE_KEY:-}" ]]; then
  gpg "${gpg_args[@]}" --import <<<"$GPG_PRIVATE_KEY" 2>/dev/null || die "GPG_PRIVATE_KEY does not import"
  key="${GPG_KEY_ID:-$(gpg --batch --with-colons --list-secret-keys 2>/dev/null | awk -F: '/^fpr:/{print $10; exit}')}"
  key_file="$dist/signing-key.asc"
elif [[ -n "${GPG_KEY_ID:-}" ]]; then
  key="$GPG_KEY_ID"
  key_file="$dist/signing-key.asc"
else
  # RSA: the Registry and Terraform's OpenPGP code accept RSA and DSA keys only.
  gpg "${gpg_args[@]}" --quick-generate-key "contactpro throwaway release key (NOT FOR PUBLISHING)" \
    rsa3072 sign 7d 2>/dev/null
  key="$(gpg --batch --with-colons --list-secret-keys 2>/dev/null | awk -F: '/^fpr:/{print $10; exit}')"
  key_file="$dist/THROWAWAY-KEY-NOT-FOR-PUBLISHING.asc"
  say "no GPG_PRIVATE_KEY or GPG_KEY_ID: signed with a throwaway key, $(basename "$key_file")"
fi
for file in "${sums[@]}"; do
  gpg "${gpg_args[@]}" --local-user "$key" --detach-sign --output "$file.sig" "$file"
done
gpg --batch --armor --export "$key" >"$key_file" 2>/dev/null
[[ -s "$key_file" ]] || die "GnuPG exported no public key for $key"

say "mirror tree for $hostname/contactpro/contactpro (h1: and zh: per platform):"
"$tool" mirror --dist "$dist" --out "$dist/mirror" --hostname "$hostname" --version "$version"

say "packaged $name $version in $dist:"
(cd "$dist" && ls -l -- *.zip *.json *SHA256SUMS* *.asc)
