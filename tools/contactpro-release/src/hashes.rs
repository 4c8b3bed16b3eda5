//! The two package hashes Terraform records in `.terraform.lock.hcl`:
//! - `h1:` Go's dirhash "Hash1" over the files in the zip (so it also matches an unpacked copy);
//! - `zh:` the SHA-256 of the zip file itself (legacy, what SHA256SUMS lists).

use std::fs::File;
use std::io::Read;
use std::path::Path;

use anyhow::{bail, Context, Result};
use base64::Engine;
use sha2::{Digest, Sha256};

pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

pub fn zh(zip_path: &Path) -> Result<String> {
    let bytes =
        std::fs::read(zip_path).with_context(|| format!("cannot read {}", zip_path.display()))?;
    Ok(format!("zh:{}", sha256_hex(&bytes)))
}

/// Hash1: the SHA-256 of the lines `<sha256 hex>  <name>\n` of every entry, sorted by name,
/// base64-encoded. Entry names are taken as the zip stores them, as Go's dirhash.HashZip does.
pub fn h1(zip_path: &Path) -> Result<String> {
    let file =
        File::open(zip_path).with_context(|| format!("cannot open {}", zip_path.display()))?;
    let mut zip = zip::ZipArchive::new(file)
        .with_context(|| format!("{} is not a zip", zip_path.display()))?;
    let mut lines = Vec::with_capacity(zip.len());
    for index in 0..zip.len() {
        let mut entry = zip.by_index(index)?;
        let name = entry.name()?.into_owned();
        if name.contains('\n') {
            bail!("{}: entry name {name:?} has a newline", zip_path.display());
        }
        let mut content = Vec::new();
        entry.read_to_end(&mut content)?;
        lines.push((name, sha256_hex(&content)));
    }
    lines.sort();
    let mut summary = Sha256::new();
    for (name, hash) in &lines {
        summary.update(format!("{hash}  {name}\n"));
    }
    let encoded = base64::engine::general_purpose::STANDARD.encode(summary.finalize());
    Ok(format!("h1:{encoded}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    use zip::CompressionMethod;

    fn write_zip(path: &Path, method: CompressionMethod, files: &[(&str, &[u8])]) {
        let mut zip = zip::ZipWriter::new(File::create(path).unwrap());
        for (name, content) in files {
            let options = SimpleFileOptions::default().compression_method(method);
            zip.start_file(*name, options).unwrap();
            zip.write_all(content).unwrap();
        }
        zip.finish().unwrap();
    }

    #[test]
    fn h1_depends_on_names_and_contents_not_on_packing() {
        let tmp = tempfile::tempdir().unwrap();
        let path = |n: &str| tmp.path().join(n);
        let files: &[(&str, &[u8])] = &[("b", b"two"), ("a", b"one")];
        write_zip(&path("deflated.zip"), CompressionMethod::Deflated, files);
        write_zip(&path("stored.zip"), CompressionMethod::Stored, files);
        let reordered: &[(&str, &[u8])] = &[("a", b"one"), ("b", b"two")];
        write_zip(&path("reordered.zip"), CompressionMethod::Stored, reordered);
        let renamed: &[(&str, &[u8])] = &[("a", b"one"), ("c", b"two")];
        write_zip(&path("renamed.zip"), CompressionMethod::Stored, renamed);
        let changed: &[(&str, &[u8])] = &[("a", b"one"), ("b", b"tw0")];
        write_zip(&path("changed.zip"), CompressionMethod::Stored, changed);

        let h = |n: &str| h1(&path(n)).unwrap();
        assert!(h("deflated.zip").starts_with("h1:"));
        assert_eq!(h("deflated.zip"), h("stored.zip"));
        assert_eq!(h("deflated.zip"), h("reordered.zip"));
        assert_ne!(h("deflated.zip"), h("renamed.zip"));
        assert_ne!(h("deflated.zip"), h("changed.zip"));
        // zh is about the bytes of the zip: packing changes it.
        assert_ne!(
            zh(&path("deflated.zip")).unwrap(),
            zh(&path("stored.zip")).unwrap()
        );
    }

    #[test]
    fn h1_is_the_hash_of_the_summary_lines() {
        let tmp = tempfile::tempdir().unwrap();
        let zip_path = tmp.path().join("one.zip");
        write_zip(
            &zip_path,
            CompressionMethod::Deflated,
            &[("x_v1", b"payload")],
        );
        // The summary spelled out by hand: one line, two spaces, a trailing newline.
        let line = format!("{}  x_v1\n", sha256_hex(b"payload"));
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(line));
        assert_eq!(h1(&zip_path).unwrap(), format!("h1:{expected}"));
    }
}
