#!/usr/bin/env bash
# Packages the provider the way the Terraform Registry and provider mirrors expect:
#   dist/terraform-provider-contactpro_<version>_<os>_<arch>.zip   (holds terraform-provider-contactpro_v<version>)
#   dist/terraform-provider-contactpro_<version>_manifest.json     (protocol 6.0)
#   dist/terraform-provider-contactpro_<version>_SHA256SUMS
#
# Environment:
#   PROVIDER_BINARY  package this binary instead of running `cargo build --release` (tests use the
#                    debug build, which is much faster)
#   DIST_DIR         output directory (default: <repo>/dist)
#   ZIP_TOOL         `zip` or `python` (default: zip when installed, else python3's zipfile)
# Not done here: signing SHA256SUMS with GPG (the public Registry requires a .sig).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
name="terraform-provider-contactpro"

# The workspace's version (the provider package inherits it): `version = "..."` in [workspace.package].
version="$(awk '/^\[workspace\.package\]/{p=1; next} /^\[/{p=0} p && /^version *=/{gsub(/.*= *"|".*/, ""); print; exit}' "$root/Cargo.toml")"
if [[ -z "$version" ]]; then
  echo "release.sh: cannot read the version from Cargo.toml" >&2
  exit 1
fi

case "$(uname -s)/$(uname -m)" in
  Linux/x86_64) platform="linux_amd64" ;;
  Linux/aarch64) platform="linux_arm64" ;;
  Darwin/x86_64) platform="darwin_amd64" ;;
  Darwin/arm64) platform="darwin_arm64" ;;
  *) echo "release.sh: unsupported platform $(uname -s)/$(uname -m)" >&2; exit 1 ;;
esac

binary="${PROVIDER_BINARY:-}"
if [[ -z "$binary" ]]; then
  (cd "$root" && cargo build --release --locked -p "$name" --bin "$name")
  binary="${CARGO_TARGET_DIR:-$root/target}/release/$name"
fi
if [[ ! -x "$binary" ]]; then
  echo "release.sh: $binary is not an executable file" >&2
  exit 1
fi

dist="${DIST_DIR:-$root/dist}"
mkdir -p "$dist"
zip_name="${name}_${version}_${platform}.zip"
manifest_name="${name}_${version}_manifest.json"
sums_name="${name}_${version}_SHA256SUMS"
inner="${name}_v${version}"

staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
cp "$binary" "$staging/$inner"
chmod 0755 "$staging/$inner"
rm -f "$dist/$zip_name"

tool="${ZIP_TOOL:-}"
if [[ -z "$tool" ]]; then
  if command -v zip >/dev/null 2>&1; then tool=zip; else tool=python; fi
fi
case "$tool" in
  zip) (cd "$staging" && zip -q -X "$dist/$zip_name" "$inner") ;;
  python)
    # Terraform keeps the file mode stored in the zip: without 0755 the provider cannot start.
    python3 - "$staging/$inner" "$dist/$zip_name" "$inner" <<'PY'
import sys, zipfile
source, target, arcname = sys.argv[1:4]
info = zipfile.ZipInfo(arcname, date_time=(1980, 1, 1, 0, 0, 0))
info.external_attr = (0o100755 & 0xFFFF) << 16
info.compress_type = zipfile.ZIP_DEFLATED
with open(source, "rb") as f, zipfile.ZipFile(target, "w") as z:
    z.writestr(info, f.read())
PY
    ;;
  *) echo "release.sh: ZIP_TOOL must be zip or python" >&2; exit 1 ;;
esac

printf '{\n  "version": 1,\n  "metadata": {\n    "protocol_versions": ["6.0"]\n  }\n}\n' > "$dist/$manifest_name"

(cd "$dist" && sha256sum "$manifest_name" "$zip_name" > "$sums_name")

echo "release.sh: packaged $name $version for $platform in $dist:"
(cd "$dist" && ls -l "$zip_name" "$manifest_name" "$sums_name")
