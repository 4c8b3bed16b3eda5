//! Checks of what scripts/release.sh writes to dist/, shared by tests/release_mirror.rs (host
//! platform, debug build, in `make test`) and tests/release_dist.rs (the five cross-built
//! platforms, `make release-test`). Include with `#[path = "support/release.rs"] mod release;`
//! next to `mod support;`, `mod tls;` and `mod https_files;`.
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use object::macho;
use object::read::macho::{MachHeader, MachOFile64};
use object::{Architecture, BinaryFormat, Endianness, Object};
use serde_json::Value as Json;

use crate::https_files::HttpsFiles;
use crate::support::terraform::describe;
use crate::support::Terraform;
use crate::tls::TestPki;

pub const PROVIDER: &str = "terraform-provider-contactpro";
pub const EMULATOR: &str = "contactpro-emulator";
pub const ALL_PLATFORMS: [&str; 5] = [
    "darwin_amd64",
    "darwin_arm64",
    "linux_amd64",
    "linux_arm64",
    "windows_amd64",
];

/// Runs `cmd`, killing it after `limit`; panics then with what it printed so far.
pub fn output_within(cmd: &mut Command, limit: Duration) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let status = child.wait().unwrap();
            let out = Output {
                status,
                stdout: stdout.join().unwrap(),
                stderr: stderr.join().unwrap(),
            };
            panic!(
                "{cmd:?} did not finish within {limit:?}\n{}",
                describe(&out)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Output {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

fn expected_kind(platform: &str) -> (BinaryFormat, Architecture) {
    match platform {
        "linux_amd64" => (BinaryFormat::Elf, Architecture::X86_64),
        "linux_arm64" => (BinaryFormat::Elf, Architecture::Aarch64),
        "darwin_amd64" => (BinaryFormat::MachO, Architecture::X86_64),
        "darwin_arm64" => (BinaryFormat::MachO, Architecture::Aarch64),
        "windows_amd64" => (BinaryFormat::Pe, Architecture::X86_64),
        other => panic!("unknown platform {other}"),
    }
}

/// The executable's header says the platform's format and CPU; an Apple Silicon binary must carry
/// a code signature (macOS kills unsigned arm64 code), an ad-hoc one will do.
pub fn check_binary(what: &str, platform: &str, bytes: &[u8]) {
    let file =
        object::File::parse(bytes).unwrap_or_else(|e| panic!("{what}: not an executable: {e}"));
    let (format, arch) = expected_kind(platform);
    assert_eq!(
        (file.format(), file.architecture()),
        (format, arch),
        "{what}: wrong format or architecture for {platform}"
    );
    if platform == "darwin_arm64" {
        let macho = MachOFile64::<Endianness>::parse(bytes).unwrap();
        let mut commands = macho
            .macho_header()
            .load_commands(macho.endian(), bytes, 0)
            .unwrap();
        let mut signed = false;
        while let Some(command) = commands.next().unwrap() {
            signed |= command.cmd() == macho::LC_CODE_SIGNATURE;
        }
        assert!(signed, "{what}: no LC_CODE_SIGNATURE");
    }
}

/// The zip holds exactly `entry`, executable, and the binary of `platform`.
pub fn check_zip(zip_path: &Path, entry: &str, platform: &str) {
    let what = zip_path.display().to_string();
    let file = std::fs::File::open(zip_path).unwrap_or_else(|e| panic!("{what}: {e}"));
    let mut zip = zip::ZipArchive::new(file).unwrap_or_else(|e| panic!("{what}: not a zip: {e}"));
    let names: Vec<String> = zip
        .file_names()
        .map(|name| name.map(|n| n.into_owned()))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{what}: entry names: {e}"));
    assert_eq!(names, [entry], "{what}: entries");
    let mut binary = zip.by_name(entry).unwrap();
    assert_eq!(
        binary.unix_mode().map(|mode| mode & 0o777),
        Some(0o755),
        "{what}: Terraform keeps the zip's mode, so the binary must be executable"
    );
    let mut bytes = Vec::new();
    binary.read_to_end(&mut bytes).unwrap();
    check_binary(&format!("{what}!{entry}"), platform, &bytes);
}

/// `<prefix>_SHA256SUMS` lists exactly `files`, each with the SHA-256 of its bytes.
pub fn check_sums(dist: &Path, prefix: &str, files: &[String]) {
    let sums_path = dist.join(format!("{prefix}_SHA256SUMS"));
    let text = std::fs::read_to_string(&sums_path)
        .unwrap_or_else(|e| panic!("{}: {e}", sums_path.display()));
    let mut listed = BTreeMap::new();
    for line in text.lines() {
        let (hash, name) = line
            .split_once("  ")
            .unwrap_or_else(|| panic!("not a sha256sum line: {line:?}"));
        listed.insert(name.to_string(), hash.to_string());
    }
    let mut expected: Vec<&String> = files.iter().collect();
    expected.sort();
    assert_eq!(
        listed.keys().collect::<Vec<_>>(),
        expected,
        "{}",
        sums_path.display()
    );
    for (name, hash) in &listed {
        let bytes = std::fs::read(dist.join(name)).unwrap();
        assert_eq!(&sha256_hex(&bytes), hash, "{name} does not match its sum");
    }
}

/// gpgv checks `<sums>.sig` with the public key in `key_file`, and refuses it for altered sums.
pub fn check_signature(sums: &Path, key_file: &Path) {
    let tmp = tempfile::tempdir().unwrap();
    let keyring = tmp.path().join("keyring.gpg");
    let dearmor = output_within(
        Command::new("gpg")
            .args(["--batch", "--dearmor", "--output"])
            .arg(&keyring)
            .arg(key_file),
        Duration::from_secs(30),
    );
    assert!(
        dearmor.status.success(),
        "gpg --dearmor: {}",
        describe(&dearmor)
    );
    let sig = PathBuf::from(format!("{}.sig", sums.display()));
    let verify = |data: &Path| {
        output_within(
            Command::new("gpgv")
                .arg("--keyring")
                .arg(&keyring)
                .arg(&sig)
                .arg(data)
                .env("GNUPGHOME", tmp.path()),
            Duration::from_secs(30),
        )
    };
    let good = verify(sums);
    assert!(
        good.status.success(),
        "gpgv {}: {}",
        sig.display(),
        describe(&good)
    );
    let altered = tmp.path().join("altered");
    let mut bytes = std::fs::read(sums).unwrap();
    bytes[0] ^= 1;
    std::fs::write(&altered, bytes).unwrap();
    assert!(
        !verify(&altered).status.success(),
        "gpgv accepted altered sums"
    );
}

/// The mirror tree for `hostname` lists `version` with exactly `platforms`, each archive next to
/// its JSON and its zh: the SHA-256 of that zip. Returns each platform's hashes.
pub fn check_mirror(
    dist: &Path,
    hostname: &str,
    version: &str,
    platforms: &[&str],
) -> BTreeMap<String, Vec<String>> {
    let dir = dist
        .join("mirror")
        .join(hostname)
        .join("contactpro/contactpro");
    let read = |name: &str| -> Json {
        let path = dir.join(name);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    assert_eq!(
        read("index.json"),
        serde_json::json!({"versions": {version: {}}})
    );
    let archives = read(&format!("{version}.json"))["archives"].clone();
    let archives = archives.as_object().expect("archives");
    assert_eq!(
        archives.keys().collect::<Vec<_>>(),
        platforms,
        "mirror platforms"
    );
    let mut hashes = BTreeMap::new();
    for (platform, archive) in archives {
        let url = archive["url"].as_str().expect("url");
        assert_eq!(url, format!("{PROVIDER}_{version}_{platform}.zip"));
        let bytes = std::fs::read(dir.join(url)).unwrap();
        assert_eq!(
            bytes,
            std::fs::read(dist.join(url)).unwrap(),
            "{url} differs from dist's"
        );
        let list: Vec<String> = archive["hashes"]
            .as_array()
            .expect("hashes")
            .iter()
            .map(|h| h.as_str().unwrap().to_string())
            .collect();
        assert!(
            list.iter().any(|h| h.starts_with("h1:")),
            "{platform}: no h1: in {list:?}"
        );
        assert!(
            list.contains(&format!("zh:{}", sha256_hex(&bytes))),
            "{platform}: {list:?}"
        );
        hashes.insert(platform.clone(), list);
    }
    hashes
}

/// Every `"h1:…"`/`"zh:…"` string of a `.terraform.lock.hcl`.
pub fn lock_hashes(lock: &str) -> Vec<String> {
    lock.split('"')
        .filter(|s| s.starts_with("h1:") || s.starts_with("zh:"))
        .map(str::to_string)
        .collect()
}

/// `terraform init` from the mirror served over HTTPS (trusted through the test CA only), then
/// `terraform providers lock` for `lock_platforms`; asserts the provider was installed and runs,
/// and returns the lock file. Tests run on linux_amd64 (as does `.tools/terraform-1.0.3`).
pub fn init_from_network_mirror(
    terraform: &Terraform,
    mirror: &HttpsFiles,
    pki: &TestPki,
    source: &str,
    version: &str,
    lock_platforms: &[&str],
) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let cli_config = tmp.path().join("terraform.rc");
    std::fs::write(
        &cli_config,
        format!(
            "provider_installation {{\n  network_mirror {{\n    url     = \"{}\"\n    include = [\"{source}\"]\n  }}\n}}\n",
            mirror.base_url()
        ),
    )
    .unwrap();
    std::fs::write(
        work.join("main.tf"),
        format!("terraform {{\n  required_providers {{\n    contactpro = {{\n      source  = \"{source}\"\n      version = \"{version}\"\n    }}\n  }}\n}}\n"),
    )
    .unwrap();
    let tf = |args: &[&str]| {
        let mut cmd = Command::new(&terraform.path);
        cmd.args(args).current_dir(&work);
        for var in [
            "TF_PLUGIN_CACHE_DIR",
            "TF_CLI_ARGS",
            "TF_DATA_DIR",
            "TF_LOG",
            "SSL_CERT_DIR",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("TF_CLI_CONFIG_FILE", &cli_config)
            .env("CHECKPOINT_DISABLE", "1")
            .env("SSL_CERT_FILE", pki.ca_path());
        let out = output_within(&mut cmd, Duration::from_secs(300));
        assert!(
            out.status.success(),
            "terraform {} (v{}): {}",
            args.join(" "),
            terraform.version,
            describe(&out)
        );
        out
    };
    // Lock first, as the installation guide says: after an `init`, which locks the host
    // platform's hash only, Terraform 1.0.3's `providers lock` refused the other platforms'
    // packages ("doesn't match any of the checksums previously recorded").
    let mut lock = vec!["providers", "lock", "-no-color"];
    let net_mirror = format!("-net-mirror={}", mirror.base_url());
    lock.push(&net_mirror);
    let platform_args: Vec<String> = lock_platforms
        .iter()
        .map(|p| format!("-platform={p}"))
        .collect();
    lock.extend(platform_args.iter().map(String::as_str));
    tf(&lock);
    let locked = std::fs::read_to_string(work.join(".terraform.lock.hcl")).expect("lock file");
    // Then init installs the host platform's package and checks it against the lock.
    // A partial release (RELEASE_PLATFORMS) may lack this machine's platform: then no init.
    if lock_platforms.contains(&"linux_amd64") {
        let init = tf(&["init", "-no-color", "-input=false"]);
        assert!(
            String::from_utf8_lossy(&init.stdout)
                .contains(&format!("Installed {}", short(source, version))),
            "v{}: {}",
            terraform.version,
            describe(&init)
        );
        // Starting the installed provider proves the zip kept the executable bit and the binary runs.
        let schema = tf(&["providers", "schema", "-json"]);
        assert!(
            String::from_utf8_lossy(&schema.stdout).contains(source),
            "v{}: {}",
            terraform.version,
            describe(&schema)
        );
    }
    locked
}

/// `contactpro/contactpro v0.1.0` as `terraform init` prints a registry.terraform.io provider.
fn short(source: &str, version: &str) -> String {
    let name = source
        .strip_prefix("registry.terraform.io/")
        .unwrap_or(source);
    format!("{name} v{version}")
}
