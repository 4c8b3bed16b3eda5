//! The Registry manifest and the SHA256SUMS file (the one GPG signs).

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::hashes::sha256_hex;

pub fn write_manifest(protocols: &[String], out: &Path) -> Result<()> {
    let manifest = serde_json::json!({
        "version": 1,
        "metadata": { "protocol_versions": protocols },
    });
    let text = serde_json::to_string_pretty(&manifest)? + "\n";
    std::fs::write(out, text).with_context(|| format!("cannot write {}", out.display()))
}

/// `sha256sum` format, sorted by name; the sums and their signatures are not listed.
pub fn write_sums(dir: &Path, prefix: &str) -> Result<PathBuf> {
    let sums_name = format!("{prefix}_SHA256SUMS");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let listed = name.starts_with(&format!("{prefix}_"))
            && !name.starts_with(&sums_name)
            && entry.file_type()?.is_file();
        if listed {
            names.push(name);
        }
    }
    if names.is_empty() {
        bail!("no {prefix}_* files in {}", dir.display());
    }
    names.sort();
    let mut text = String::new();
    for name in names {
        let bytes = std::fs::read(dir.join(&name))?;
        text.push_str(&format!("{}  {name}\n", sha256_hex(&bytes)));
    }
    let path = dir.join(sums_name);
    std::fs::write(&path, text)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_list_the_prefixed_files_only() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        std::fs::write(dir.join("p_1_b.zip"), b"b").unwrap();
        std::fs::write(dir.join("p_1_a.zip"), b"a").unwrap();
        std::fs::write(dir.join("other_1_a.zip"), b"o").unwrap();
        std::fs::write(dir.join("p_1_SHA256SUMS.sig"), b"old").unwrap();
        let path = write_sums(dir, "p_1").unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        let expected = format!(
            "{}  p_1_a.zip\n{}  p_1_b.zip\n",
            sha256_hex(b"a"),
            sha256_hex(b"b")
        );
        assert_eq!(text, expected);
    }
}
