//! Helpers shared by the docs and examples tests: find a Terraform, and let it install the
//! provider under test from a throw-away filesystem mirror, offline.
// TODO(merge): use support::terraform (the harness's locator) once tests/support lands on main.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const PROVIDER_ADDRESS: &str = "registry.terraform.io/contactpro/contactpro";
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

/// Every Terraform to test with: the pinned 1.0.3 of the setup script (our minimum version), then
/// the one on PATH if it is another file. Panics when there is none: a docs test that silently
/// skips would prove nothing.
pub fn terraforms() -> Vec<PathBuf> {
    let mut found = Vec::new();
    let pinned = repo_root().join("tools/terraform-1.0.3/terraform");
    if pinned.is_file() {
        found.push(pinned);
    }
    if let Some(path) = on_path("terraform") {
        if !found.iter().any(|f| same_file(f, &path)) {
            found.push(path);
        }
    }
    assert!(
        !found.is_empty(),
        "no Terraform: run the setup script (tools/terraform-1.0.3/terraform) or put terraform on PATH"
    );
    found
}

fn same_file(a: &Path, b: &Path) -> bool {
    a.canonicalize().ok() == b.canonicalize().ok()
}

/// A filesystem mirror holding the provider binary under test, and a CLI config that installs
/// `contactpro/*` only from it (everything else is out of reach offline anyway).
pub struct Mirror {
    pub dir: tempfile::TempDir,
    pub cli_config: PathBuf,
}

impl Mirror {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let mirror = dir.path().join("mirror");
        let target = mirror.join(format!("{PROVIDER_ADDRESS}/{VERSION}/linux_amd64"));
        std::fs::create_dir_all(&target).expect("mirror dir");
        std::fs::copy(
            env!("CARGO_BIN_EXE_terraform-provider-contactpro"),
            target.join(format!("terraform-provider-contactpro_v{VERSION}")),
        )
        .expect("copy the provider binary into the mirror");
        let cli_config = dir.path().join("terraform.tfrc");
        let config = format!(
            "provider_installation {{\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = [\"registry.terraform.io/contactpro/*\"]\n  }}\n  direct {{\n    exclude = [\"registry.terraform.io/contactpro/*\"]\n  }}\n}}\n",
            mirror.display()
        );
        std::fs::write(&cli_config, config).expect("CLI config");
        Mirror { dir, cli_config }
    }

    /// A Terraform command in `workdir` that sees only this mirror's CLI config.
    pub fn command(&self, terraform: &Path, workdir: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new(terraform);
        cmd.args(args)
            .current_dir(workdir)
            .env("TF_CLI_CONFIG_FILE", &self.cli_config)
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1")
            .env_remove("TF_PLUGIN_CACHE_DIR")
            .env_remove("TF_DATA_DIR")
            .env_remove("TF_CLI_ARGS");
        cmd
    }

    /// `terraform init` without a backend; removes a stale lock file first (its hashes would not
    /// match a rebuilt provider).
    pub fn init(&self, terraform: &Path, workdir: &Path) -> Output {
        let _ = std::fs::remove_file(workdir.join(".terraform.lock.hcl"));
        run(self.command(
            terraform,
            workdir,
            &["init", "-backend=false", "-input=false", "-no-color"],
        ))
    }
}

pub fn run(mut cmd: Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}

pub fn describe(output: &Output) -> String {
    format!(
        "status {}\n--- stdout\n{}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Copies a directory tree (examples only: small, no symlinks), skipping Terraform's own files.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let name = entry.file_name();
        if name == ".terraform" || name == ".terraform.lock.hcl" || name == "terraform.tfstate" {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(&name));
        } else {
            std::fs::copy(&path, to.join(&name)).expect("copy file");
        }
    }
}
