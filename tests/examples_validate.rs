//! Every example under examples/ is formatted and valid against the provider under test, on every
//! Terraform found (the pinned 1.0.3 and the one on PATH): `terraform init` from a filesystem
//! mirror, then `terraform validate`. Examples with ephemeral resources or write-only arguments
//! only on a Terraform that has them (1.11 or newer).

mod support;

use support::terraform::{copy_tree, describe, repo_root};
use support::{bins, Terraform, TfWorkdir};

/// Example directories, relative to examples/. Snippet directories (resources/*, data-sources/*)
/// are found by listing, so a new one is validated without touching this test.
fn example_dirs() -> Vec<String> {
    let mut dirs = vec![
        "provider".to_string(),
        "chat-attachment-upload".to_string(),
        "chat-attachment-upload/modules/chat-attachment-upload-write-only".to_string(),
        "multi-tenant".to_string(),
    ];
    for parent in ["resources", "data-sources", "ephemeral-resources"] {
        let mut found: Vec<String> = std::fs::read_dir(repo_root().join("examples").join(parent))
            .unwrap_or_else(|e| panic!("examples/{parent}: {e}"))
            .flatten()
            .filter(|e| e.path().is_dir())
            .map(|e| format!("{parent}/{}", e.file_name().to_string_lossy()))
            .collect();
        found.sort();
        dirs.extend(found);
    }
    dirs
}

/// A work dir for the example. Snippets have no `terraform` block, so they get the provider
/// example next to them, as a reader would combine them; module examples keep their relative
/// module sources.
fn prepare(terraform: &Terraform, example: &str) -> TfWorkdir {
    let mut wd = TfWorkdir::new(terraform, &bins::provider_binary());
    if ["resources/", "data-sources/", "ephemeral-resources/"]
        .iter()
        .any(|parent| example.starts_with(parent))
    {
        wd.use_subdir("snippet");
        copy_tree(&repo_root().join("examples").join(example), &wd.dir());
        std::fs::copy(
            repo_root().join("examples/provider/provider.tf"),
            wd.dir().join("provider.tf"),
        )
        .unwrap();
    } else {
        wd.use_example(example);
    }
    wd
}

/// Ephemeral resources came with Terraform 1.10, write-only arguments with 1.11: older versions
/// cannot even read a configuration that has them.
fn runs_on(terraform: &Terraform, example: &str) -> bool {
    let needs_1_11 =
        example.starts_with("ephemeral-resources/") || example.ends_with("-write-only");
    !needs_1_11 || terraform.is_at_least(1, 11)
}

fn assert_valid(wd: &TfWorkdir, what: &str) {
    wd.init();
    let validate = wd.run(&["validate", "-no-color"]);
    assert!(
        validate.status.success(),
        "{what}: terraform validate (v{}) failed: {}",
        wd.terraform().version,
        describe(&validate)
    );
}

#[test]
fn every_example_is_valid() {
    let dirs = example_dirs();
    for expected in [
        "resources/contactpro_user",
        "resources/contactpro_user_rights",
        "resources/contactpro_secret",
        "data-sources/contactpro_user_group",
        "data-sources/contactpro_queue",
        "data-sources/contactpro_queue_group",
        "data-sources/contactpro_secret",
        "data-sources/contactpro_user",
    ] {
        assert!(
            dirs.iter().any(|d| d == expected),
            "examples/{expected} is missing"
        );
    }
    assert!(dirs
        .iter()
        .any(|d| d == "ephemeral-resources/contactpro_password"));
    for terraform in Terraform::all() {
        for example in dirs.iter().filter(|d| runs_on(&terraform, d)) {
            assert_valid(&prepare(&terraform, example), example);
        }
    }
}

#[test]
fn examples_are_formatted() {
    for terraform in Terraform::all() {
        let mut wd = TfWorkdir::new(&terraform, &bins::provider_binary());
        wd.use_example("");
        let out = wd.run(&["fmt", "-check", "-recursive", "-diff", "-no-color"]);
        assert!(
            out.status.success(),
            "terraform fmt -check (v{}): {}",
            terraform.version,
            describe(&out)
        );
    }
}

/// Guards the test above against passing vacuously: a configuration the schema rejects must fail.
#[test]
fn an_invalid_configuration_fails_validation() {
    let wd = prepare(&Terraform::v1_0_3(), "provider");
    std::fs::write(
        wd.dir().join("broken.tf"),
        "resource \"contactpro_user\" \"x\" {\n  first_name = \"A\"\n  no_such_attribute = 1\n}\n",
    )
    .unwrap();
    wd.init();
    let validate = wd.run(&["validate", "-no-color"]);
    assert!(
        !validate.status.success(),
        "validate accepted an unknown attribute: {}",
        describe(&validate)
    );
    let text = String::from_utf8_lossy(&validate.stderr);
    assert!(
        text.contains("no_such_attribute"),
        "unexpected error: {text}"
    );
}
