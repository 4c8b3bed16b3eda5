//! Runs a real Terraform CLI in a throw-away directory against the built provider,
//! offline: the provider comes from a filesystem mirror in the temp dir.
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

use serde_json::Value as Json;

use super::bins::PROVIDER_VERSION;
use super::process;

/// The provider's registry address as configurations write it.
pub const PROVIDER_SOURCE: &str = "registry.terraform.io/contactpro/contactpro";

#[derive(Debug, Clone)]
pub struct Terraform {
    pub path: PathBuf,
    /// e.g. "1.0.3"
    pub version: String,
}

impl Terraform {
    /// Terraform v1.0.3 installed by `make setup` (the oldest version we support).
    pub fn v1_0_3() -> Terraform {
        let path = repo_root().join(".tools/terraform-1.0.3/terraform");
        if !path.is_file() {
            panic!(
                "{} is missing: run `make setup` (scripts/setup.sh) first",
                path.display()
            );
        }
        let version = version_of(&path)
            .unwrap_or_else(|| panic!("{} does not run `version`", path.display()));
        Terraform { path, version }
    }

    /// The `terraform` on PATH, when it is >= 1.0 and not the same as v1.0.3.
    pub fn from_path() -> Option<Terraform> {
        let path = std::env::var_os("PATH")?;
        let path = std::env::split_paths(&path)
            .map(|dir| dir.join("terraform"))
            .find(|p| p.is_file())?;
        let version = version_of(&path)?;
        let major: u32 = version.split('.').next()?.parse().ok()?;
        (major >= 1 && version != "1.0.3").then_some(Terraform { path, version })
    }

    /// Whether this is Terraform `major.minor` or newer.
    pub fn is_at_least(&self, major: u32, minor: u32) -> bool {
        let mut parts = self
            .version
            .split('.')
            .map(|p| p.parse::<u32>().unwrap_or(0));
        (parts.next().unwrap_or(0), parts.next().unwrap_or(0)) >= (major, minor)
    }

    /// The Terraform on PATH when it is `major.minor` or newer (ephemeral resources: 1.10,
    /// write-only arguments: 1.11).
    pub fn from_path_at_least(major: u32, minor: u32) -> Option<Terraform> {
        Terraform::from_path().filter(|t| t.is_at_least(major, minor))
    }

    /// Every Terraform to test against: v1.0.3, then the one on PATH if any.
    pub fn all() -> Vec<Terraform> {
        let mut all = vec![Terraform::v1_0_3()];
        all.extend(Terraform::from_path());
        all
    }
}

/// "1.0.3" from the first line of `terraform version` ("Terraform v1.0.3"). Each path is asked
/// once per test process, which prints the answer: a failure report shows what ran.
fn version_of(path: &Path) -> Option<String> {
    static SEEN: Mutex<BTreeMap<PathBuf, Option<String>>> = Mutex::new(BTreeMap::new());
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(version) = seen.get(path) {
        return version.clone();
    }
    let mut cmd = Command::new(path);
    cmd.arg("version")
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_CLI_CONFIG_FILE", "/dev/null");
    let what = format!("{} version", path.display());
    let out = process::output_within(&mut cmd, &what, process::QUICK);
    let text = String::from_utf8_lossy(&out.stdout);
    let version = text
        .lines()
        .next()
        .and_then(|first| first.strip_prefix("Terraform v"))
        .map(|v| v.trim().to_string());
    eprintln!(
        "terraform {}: v{}",
        path.display(),
        version.as_deref().unwrap_or("?")
    );
    seen.insert(path.to_path_buf(), version.clone());
    version
}

/// Terraform's name for this machine's platform, e.g. `linux_amd64` or `linux_arm64`.
pub fn platform() -> String {
    let os = std::env::consts::OS;
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        other => other,
    };
    format!("{os}_{arch}")
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A temp dir with its own CLI config and provider mirror; `dir()` holds main.tf.
pub struct TfWorkdir {
    tmp: tempfile::TempDir,
    terraform: Terraform,
    env: Vec<(String, String)>,
    /// Provider sources served from the mirror (and so excluded from `direct`).
    mirrored: Vec<String>,
    /// Where Terraform runs, below `<tmp>/work` (see `use_subdir`).
    subdir: PathBuf,
}

impl TfWorkdir {
    pub fn new(terraform: &Terraform, provider_binary: &Path) -> TfWorkdir {
        let tmp = tempfile::tempdir().expect("temp dir");
        fs::create_dir_all(tmp.path().join("work")).unwrap();
        let mut wd = TfWorkdir {
            tmp,
            terraform: terraform.clone(),
            env: Vec::new(),
            mirrored: Vec::new(),
            subdir: PathBuf::new(),
        };
        wd.add_mirror_provider(PROVIDER_SOURCE, PROVIDER_VERSION, provider_binary);
        wd
    }

    /// Serves another provider binary from the mirror (e.g. hashicorp/null for the benchmark).
    /// `source` is `registry.terraform.io/NAMESPACE/TYPE`.
    pub fn add_mirror_provider(&mut self, source: &str, version: &str, binary: &Path) {
        let type_name = source.rsplit('/').next().unwrap();
        let dir = self
            .mirror_dir()
            .join(source)
            .join(version)
            .join(platform());
        fs::create_dir_all(&dir).unwrap();
        let link = dir.join(format!("terraform-provider-{type_name}_v{version}"));
        let _ = fs::remove_file(&link);
        // A symlink: no copy of a large debug binary per test; Terraform hashes the target.
        std::os::unix::fs::symlink(binary, &link)
            .unwrap_or_else(|e| panic!("cannot link {} into the mirror: {e}", binary.display()));
        self.mirrored.push(source.to_string());
        self.write_cli_config();
    }

    fn mirror_dir(&self) -> PathBuf {
        self.tmp.path().join("mirror")
    }

    fn cli_config_path(&self) -> PathBuf {
        self.tmp.path().join("terraform.rc")
    }

    fn write_cli_config(&self) {
        let sources: Vec<String> = self.mirrored.iter().map(|s| format!("{s:?}")).collect();
        let sources = sources.join(", ");
        let text = format!(
            "provider_installation {{\n  filesystem_mirror {{\n    path    = {:?}\n    include = [{sources}]\n  }}\n  direct {{\n    exclude = [{sources}]\n  }}\n}}\n",
            self.mirror_dir().display().to_string()
        );
        fs::write(self.cli_config_path(), text).unwrap();
    }

    /// The directory Terraform runs in.
    pub fn dir(&self) -> PathBuf {
        self.tmp.path().join("work").join(&self.subdir)
    }

    /// Copies the repository's examples/ into the work dir (module sources stay relative) and
    /// runs Terraform in `examples/<example>` from then on.
    pub fn use_example(&mut self, example: &str) -> &mut Self {
        let root = self.tmp.path().join("work");
        if !root.join("examples").is_dir() {
            copy_tree(&repo_root().join("examples"), &root.join("examples"));
        }
        self.subdir = PathBuf::from("examples").join(example);
        self
    }

    /// Runs Terraform in `rel`, a directory below the work dir (created when missing).
    pub fn use_subdir(&mut self, rel: &str) -> &mut Self {
        self.subdir = PathBuf::from(rel);
        fs::create_dir_all(self.dir()).unwrap();
        self
    }

    pub fn terraform(&self) -> &Terraform {
        &self.terraform
    }

    /// Extra environment for every Terraform run (and so for the provider it starts).
    pub fn env(&mut self, key: &str, value: &str) -> &mut Self {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    /// Turns on Terraform's and the provider's logs into `<tmp>/terraform.log`.
    pub fn enable_log(&mut self, level: &str) -> PathBuf {
        let log = self.tmp.path().join("terraform.log");
        self.env("TF_LOG", level);
        self.env("TF_LOG_PATH", &log.display().to_string());
        log
    }

    pub fn write_main_tf(&self, text: &str) {
        self.write_file("main.tf", text);
    }

    pub fn write_file(&self, name: &str, text: &str) {
        fs::write(self.dir().join(name), text).unwrap();
    }

    /// Runs `terraform ARGS` and returns whatever happened.
    pub fn run(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(&self.terraform.path);
        cmd.args(args).current_dir(self.dir());
        // The caller's environment must not steer these runs.
        for var in [
            "TF_LOG",
            "TF_LOG_PATH",
            "TF_PLUGIN_CACHE_DIR",
            "TF_REATTACH_PROVIDERS",
            "TF_CLI_ARGS",
            "TF_DATA_DIR",
            "TF_WORKSPACE",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("TF_CLI_CONFIG_FILE", self.cli_config_path())
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1")
            .env("TF_INPUT", "0");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let what = format!("terraform {} (v{})", args.join(" "), self.terraform.version);
        process::output_within(&mut cmd, &what, process::TERRAFORM)
    }

    /// Runs and panics with the full output unless the exit code is one of `ok_codes`.
    pub fn run_expect(&self, args: &[&str], ok_codes: &[i32]) -> Output {
        let out = self.run(args);
        let code = out.status.code().unwrap_or(-1);
        if !ok_codes.contains(&code) {
            panic!(
                "terraform {} (v{}) exited {code}, expected {ok_codes:?}\n{}",
                args.join(" "),
                self.terraform.version,
                describe(&out)
            );
        }
        out
    }

    pub fn run_ok(&self, args: &[&str]) -> Output {
        self.run_expect(args, &[0])
    }

    /// `terraform init`, offline from the mirror. The lock file is removed first: a
    /// rebuilt provider no longer matches its recorded hash.
    pub fn init(&self) -> Output {
        let _ = fs::remove_file(self.dir().join(".terraform.lock.hcl"));
        self.run_ok(&["init", "-input=false", "-no-color"])
    }

    pub fn apply(&self) -> Output {
        self.run_ok(&["apply", "-auto-approve", "-input=false", "-no-color"])
    }

    /// Apply that is expected to fail; returns its output for assertions.
    pub fn apply_expect_error(&self) -> Output {
        self.run_expect(
            &["apply", "-auto-approve", "-input=false", "-no-color"],
            &[1],
        )
    }

    /// 0 = no changes, 2 = changes; anything else panics.
    pub fn plan_detailed_exitcode(&self) -> i32 {
        let args = ["plan", "-detailed-exitcode", "-input=false", "-no-color"];
        let out = self.run_expect(&args, &[0, 2]);
        out.status.code().unwrap()
    }

    pub fn destroy(&self) -> Output {
        self.run_ok(&["destroy", "-auto-approve", "-input=false", "-no-color"])
    }

    pub fn import(&self, addr: &str, id: &str) -> Output {
        self.run_ok(&["import", "-input=false", "-no-color", addr, id])
    }

    pub fn state_show(&self, addr: &str) -> String {
        stdout(&self.run_ok(&["state", "show", "-no-color", addr]))
    }

    pub fn output_json(&self) -> Json {
        parse_json(&self.run_ok(&["output", "-json"]))
    }

    /// `terraform show -json`: the state with every attribute.
    pub fn state_json(&self) -> Json {
        parse_json(&self.run_ok(&["show", "-json"]))
    }
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Exit status, stdout and stderr, for failure messages.
/// Terraform's error output with its box drawing and line wrapping undone.
pub fn flat(text: &str) -> String {
    text.replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn describe(out: &Output) -> String {
    format!(
        "status: {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status,
        stdout(out),
        stderr(out)
    )
}

fn parse_json(out: &Output) -> Json {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("terraform printed no JSON ({e})\n{}", describe(out)))
}

/// Copies a small directory tree (examples), skipping Terraform's own working files.
pub fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create dir");
    for entry in fs::read_dir(from).expect("read dir").flatten() {
        let name = entry.file_name();
        if name == ".terraform" || name == ".terraform.lock.hcl" || name == "terraform.tfstate" {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(&name));
        } else {
            fs::copy(&path, to.join(&name)).expect("copy file");
        }
    }
}
