//! contactpro-release: the file work of `make release` (scripts/release.sh runs the builds and GPG).
//!
//! - `zip`: one binary into a zip whose entry is executable (Terraform keeps the zip's file mode).
//! - `manifest`: terraform-registry-manifest content (protocol versions).
//! - `sums`: `<prefix>_SHA256SUMS` over every `<prefix>_*` file of a directory.
//! - `mirror`: the network-mirror tree (index.json, <version>.json with h1: and zh: hashes).

mod archive;
mod hashes;
mod mirror;
mod sums;

use std::path::PathBuf;

use anyhow::Result;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about = "Packages release binaries the way the Terraform Registry and mirrors expect")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Writes OUT, a zip holding BINARY as ENTRY with mode 0755.
    Zip {
        #[arg(long)]
        binary: PathBuf,
        #[arg(long)]
        entry: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Writes the Registry manifest (`{"version":1,"metadata":{"protocol_versions":[...]}}`).
    Manifest {
        #[arg(long, value_delimiter = ',', default_value = "6.0")]
        protocols: Vec<String>,
        #[arg(long)]
        out: PathBuf,
    },
    /// Writes DIR/PREFIX_SHA256SUMS over DIR/PREFIX_* (not the sums or signatures themselves).
    Sums {
        #[arg(long)]
        dir: PathBuf,
        #[arg(long)]
        prefix: String,
    },
    /// Writes OUT/HOSTNAME/NAMESPACE/TYPE/{index.json,VERSION.json} and copies the zips beside them.
    Mirror {
        /// Where terraform-provider-TYPE_VERSION_OS_ARCH.zip are.
        #[arg(long)]
        dist: PathBuf,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value = "registry.terraform.io")]
        hostname: String,
        #[arg(long, default_value = "contactpro")]
        namespace: String,
        #[arg(long = "type", default_value = "contactpro")]
        type_name: String,
        #[arg(long)]
        version: String,
    },
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Zip { binary, entry, out } => archive::zip_binary(&binary, &entry, &out),
        Command::Manifest { protocols, out } => sums::write_manifest(&protocols, &out),
        Command::Sums { dir, prefix } => {
            let path = sums::write_sums(&dir, &prefix)?;
            println!("{}", path.display());
            Ok(())
        }
        Command::Mirror {
            dist,
            out,
            hostname,
            namespace,
            type_name,
            version,
        } => {
            let provider = mirror::Provider {
                hostname,
                namespace,
                type_name,
                version,
            };
            for (platform, hashes) in mirror::write_mirror(&dist, &out, &provider)? {
                println!("{platform} {}", hashes.join(" "));
            }
            Ok(())
        }
    }
}
