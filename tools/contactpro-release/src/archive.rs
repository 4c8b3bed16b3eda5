//! The release zips: one executable each, reproducible (fixed timestamp, fixed mode).

use std::fs::File;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// Terraform extracts the mode stored in the zip: without 0755 the provider cannot start.
const EXECUTABLE: u32 = 0o755;

pub fn zip_binary(binary: &Path, entry: &str, out: &Path) -> Result<()> {
    let bytes =
        std::fs::read(binary).with_context(|| format!("cannot read {}", binary.display()))?;
    let file = File::create(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut zip = ZipWriter::new(file);
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(EXECUTABLE);
    zip.start_file(entry, options)?;
    zip.write_all(&bytes)?;
    zip.finish()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn the_entry_keeps_its_bytes_and_is_executable() {
        let tmp = tempfile::tempdir().unwrap();
        let binary = tmp.path().join("bin");
        std::fs::write(&binary, b"\x7fELF and more").unwrap();
        let out = tmp.path().join("a.zip");
        zip_binary(&binary, "tool_v1", &out).unwrap();

        let mut zip = zip::ZipArchive::new(File::open(&out).unwrap()).unwrap();
        assert_eq!(zip.len(), 1);
        let mut entry = zip.by_name("tool_v1").unwrap();
        assert_eq!(entry.unix_mode().map(|m| m & 0o777), Some(EXECUTABLE));
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        assert_eq!(content, b"\x7fELF and more");
    }

    #[test]
    fn the_same_binary_gives_the_same_zip() {
        let tmp = tempfile::tempdir().unwrap();
        let binary = tmp.path().join("bin");
        std::fs::write(&binary, vec![7u8; 4096]).unwrap();
        let (a, b) = (tmp.path().join("a.zip"), tmp.path().join("b.zip"));
        zip_binary(&binary, "x", &a).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1100));
        zip_binary(&binary, "x", &b).unwrap();
        assert_eq!(std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
    }
}
