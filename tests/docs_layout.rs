//! docs/development.md's layout section names every top-level entry of the repository.

use std::path::Path;

#[allow(dead_code)]
#[path = "support/process.rs"]
mod process;

#[test]
fn development_layout_names_every_top_level_entry() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("docs/development.md")).expect("development.md");
    let section = text
        .split("## Layout")
        .nth(1)
        .and_then(|rest| rest.split("```").nth(1))
        .expect("a code block under ## Layout");
    let names: Vec<&str> = section
        .lines()
        .flat_map(|line| line.split_whitespace())
        .map(|word| word.trim_matches(|c| c == '`' || c == ','))
        .map(|word| word.trim_end_matches('/'))
        .collect();
    // Only what git tracks: target/, .tools/ and the like are a machine's, not the repository's.
    process::require_tool("git", "install git; the test reads `git ls-files`");
    let mut cmd = std::process::Command::new("git");
    cmd.args(["ls-files"]).current_dir(root);
    let listing = process::output_within(&mut cmd, "git ls-files", process::QUICK);
    let tracked = String::from_utf8(listing.stdout).expect("utf-8 paths");
    let mut top: Vec<&str> = tracked
        .lines()
        .filter_map(|path| path.split('/').next())
        .filter(|entry| !matches!(*entry, ".gitignore" | ".config"))
        .collect();
    top.sort();
    top.dedup();
    assert!(top.len() > 5, "git ls-files listed {top:?}");
    let named = |entry: &str| {
        names
            .iter()
            .any(|name| name.split('/').next() == Some(entry))
    };
    let missing: Vec<&&str> = top.iter().filter(|entry| !named(entry)).collect();
    assert!(
        missing.is_empty(),
        "docs/development.md's layout misses {missing:?}"
    );
    let paths = names
        .iter()
        .filter(|n| n.contains('/') && n.starts_with(char::is_lowercase));
    for name in paths {
        assert!(
            root.join(name).exists(),
            "docs/development.md's layout names {name}, which does not exist"
        );
    }
}
