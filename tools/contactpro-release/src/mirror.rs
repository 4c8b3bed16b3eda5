//! Terraform's provider network mirror protocol, as static files:
//!   <host>/<namespace>/<type>/index.json      {"versions": {"<version>": {}}}
//!   <host>/<namespace>/<type>/<version>.json  {"archives": {"<os>_<arch>": {"url", "hashes"}}}
//! The archive URLs are relative, so the tree can be served from any base URL.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context, Result};
use serde_json::{json, Map, Value};

use crate::hashes::{h1, zh};

pub struct Provider {
    pub hostname: String,
    pub namespace: String,
    pub type_name: String,
    pub version: String,
}

/// Returns each platform's hashes (h1 first), as written to `<version>.json`.
pub fn write_mirror(
    dist: &Path,
    out: &Path,
    provider: &Provider,
) -> Result<BTreeMap<String, Vec<String>>> {
    let prefix = format!(
        "terraform-provider-{}_{}_",
        provider.type_name, provider.version
    );
    let dir = out
        .join(&provider.hostname)
        .join(&provider.namespace)
        .join(&provider.type_name);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;

    let mut platforms = BTreeMap::new();
    let mut archives = Map::new();
    for entry in
        std::fs::read_dir(dist).with_context(|| format!("cannot read {}", dist.display()))?
    {
        let name = entry?.file_name().to_string_lossy().into_owned();
        let Some(platform) = name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(".zip"))
        else {
            continue;
        };
        let zip = dist.join(&name);
        let hashes = vec![h1(&zip)?, zh(&zip)?];
        std::fs::copy(&zip, dir.join(&name))?;
        archives.insert(
            platform.to_string(),
            json!({ "url": name, "hashes": hashes }),
        );
        platforms.insert(platform.to_string(), hashes);
    }
    if platforms.is_empty() {
        bail!("no {prefix}<os>_<arch>.zip in {}", dist.display());
    }
    write_json(
        &dir.join(format!("{}.json", provider.version)),
        &json!({ "archives": archives }),
    )?;

    // Versions already in the mirror stay listed.
    let index_path = dir.join("index.json");
    let mut versions = match std::fs::read_to_string(&index_path) {
        Ok(text) => serde_json::from_str::<Value>(&text)
            .ok()
            .and_then(|index| index.get("versions")?.as_object().cloned())
            .unwrap_or_default(),
        Err(_) => Map::new(),
    };
    versions.insert(provider.version.clone(), json!({}));
    write_json(&index_path, &json!({ "versions": versions }))?;
    Ok(platforms)
}

fn write_json(path: &Path, value: &Value) -> Result<()> {
    let text = serde_json::to_string_pretty(value)? + "\n";
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::zip_binary;

    fn provider(version: &str) -> Provider {
        Provider {
            hostname: "example.test".into(),
            namespace: "ns".into(),
            type_name: "t".into(),
            version: version.into(),
        }
    }

    #[test]
    fn the_tree_lists_every_platform_and_keeps_older_versions() {
        let tmp = tempfile::tempdir().unwrap();
        let (dist, out) = (tmp.path().join("dist"), tmp.path().join("mirror"));
        std::fs::create_dir_all(&dist).unwrap();
        let binary = tmp.path().join("bin");
        std::fs::write(&binary, b"binary").unwrap();
        for (version, platform) in [
            ("1.0.0", "linux_amd64"),
            ("2.0.0", "linux_amd64"),
            ("2.0.0", "windows_amd64"),
        ] {
            let zip = dist.join(format!("terraform-provider-t_{version}_{platform}.zip"));
            zip_binary(&binary, &format!("terraform-provider-t_v{version}"), &zip).unwrap();
        }
        std::fs::write(dist.join("terraform-provider-t_2.0.0_SHA256SUMS"), "x").unwrap();

        write_mirror(&dist, &out, &provider("1.0.0")).unwrap();
        let written = write_mirror(&dist, &out, &provider("2.0.0")).unwrap();
        assert_eq!(
            written.keys().collect::<Vec<_>>(),
            ["linux_amd64", "windows_amd64"]
        );

        let dir = out.join("example.test/ns/t");
        let read = |name: &str| -> Value {
            serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap()
        };
        assert_eq!(
            read("index.json"),
            json!({"versions": {"1.0.0": {}, "2.0.0": {}}})
        );
        let version = read("2.0.0.json");
        let windows = &version["archives"]["windows_amd64"];
        let zip_name = "terraform-provider-t_2.0.0_windows_amd64.zip";
        assert_eq!(windows["url"], zip_name);
        let zip = dir.join(zip_name);
        assert_eq!(
            windows["hashes"],
            json!([h1(&zip).unwrap(), zh(&zip).unwrap()])
        );
        assert_eq!(version["archives"].as_object().unwrap().len(), 2);
    }
}
