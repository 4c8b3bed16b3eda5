//! Every example under examples/ is formatted and valid against the provider under test, on every
//! Terraform found (the pinned 1.0.3 and the one on PATH): `terraform init` from a filesystem
//! mirror, then `terraform validate`.

mod docs_support;

use std::path::{Path, PathBuf};

use docs_support::{copy_tree, describe, repo_root, run, terraforms, Mirror};

/// Example directories, relative to examples/. Snippet directories (resources/*, data-sources/*)
/// are found by listing, so a new one is validated without touching this test.
fn example_dirs() -> Vec<String> {
    let mut dirs = vec![
        "provider".to_string(),
        "chat-attachment-upload".to_string(),
        "multi-tenant".to_string(),
    ];
    for parent in ["resources", "data-sources"] {
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

/// A copy of the example to run Terraform in. Snippets have no `terraform` block, so they get the
/// provider example next to them, as a reader would combine them; module examples are copied with
/// all of examples/ so their relative module sources resolve.
fn prepare(tmp: &Path, example: &str) -> PathBuf {
    let examples = repo_root().join("examples");
    if example.starts_with("resources/") || example.starts_with("data-sources/") {
        let work = tmp.join("snippet");
        copy_tree(&examples.join(example), &work);
        std::fs::copy(
            examples.join("provider/provider.tf"),
            work.join("provider.tf"),
        )
        .unwrap();
        work
    } else {
        copy_tree(&examples, &tmp.join("examples"));
        tmp.join("examples").join(example)
    }
}

fn assert_valid(terraform: &Path, mirror: &Mirror, work: &Path, what: &str) {
    let init = mirror.init(terraform, work);
    assert!(
        init.status.success(),
        "{what}: terraform init ({}) failed: {}",
        terraform.display(),
        describe(&init)
    );
    let validate = run(mirror.command(terraform, work, &["validate", "-no-color"]));
    assert!(
        validate.status.success(),
        "{what}: terraform validate ({}) failed: {}",
        terraform.display(),
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
    let mirror = Mirror::new();
    for terraform in terraforms() {
        for example in &dirs {
            let tmp = tempfile::tempdir().unwrap();
            let work = prepare(tmp.path(), example);
            assert_valid(&terraform, &mirror, &work, example);
        }
    }
}

#[test]
fn examples_are_formatted() {
    let mirror = Mirror::new();
    for terraform in terraforms() {
        let out = run(mirror.command(
            &terraform,
            &repo_root().join("examples"),
            &["fmt", "-check", "-recursive", "-diff", "-no-color"],
        ));
        assert!(
            out.status.success(),
            "terraform fmt -check ({}): {}",
            terraform.display(),
            describe(&out)
        );
    }
}

/// Guards the test above against passing vacuously: a configuration the schema rejects must fail.
#[test]
fn an_invalid_configuration_fails_validation() {
    let mirror = Mirror::new();
    let terraform = &terraforms()[0];
    let tmp = tempfile::tempdir().unwrap();
    let work = prepare(tmp.path(), "provider");
    std::fs::write(
        work.join("broken.tf"),
        "resource \"contactpro_user\" \"x\" {\n  first_name = \"A\"\n  no_such_attribute = 1\n}\n",
    )
    .unwrap();
    let init = mirror.init(terraform, &work);
    assert!(init.status.success(), "{}", describe(&init));
    let validate = run(mirror.command(terraform, &work, &["validate", "-no-color"]));
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
