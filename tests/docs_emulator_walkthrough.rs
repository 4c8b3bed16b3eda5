//! The curl walk-through in docs/emulator.md works as written: each command runs against a fresh
//! emulator (on a free port instead of 8787), and the output shown under it in `# ` lines appears
//! in what the command printed, in order (`…` stands for any text, as in the page).
mod support;

use std::process::Command;

use support::emulator::EmulatorProcess;
use support::terraform::repo_root;

/// One command of the walk-through and the lines the page says it prints.
struct Step {
    command: String,
    expected: Vec<String>,
}

fn walkthrough() -> String {
    let page = std::fs::read_to_string(repo_root().join("docs/emulator.md")).unwrap();
    let section = page
        .split("## Walk-through with curl")
        .nth(1)
        .expect("docs/emulator.md has a walk-through");
    let block = section
        .split("```sh\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the walk-through is a sh block");
    block.to_string()
}

/// Comments right under a command are its output; a blank line ends them, and comments after a
/// blank line describe the next command.
fn steps(block: &str) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    let mut in_command = false;
    let mut after_command = false;
    for line in block.lines() {
        if line.trim().is_empty() {
            in_command = false;
            after_command = false;
        } else if let Some(comment) = line.strip_prefix("# ") {
            if after_command {
                steps.last_mut().unwrap().expected.push(comment.to_string());
            }
            in_command = false;
        } else if in_command {
            let step = steps.last_mut().unwrap();
            step.command.push('\n');
            step.command.push_str(line);
            in_command = line.ends_with('\\');
        } else {
            steps.push(Step {
                command: line.to_string(),
                expected: Vec::new(),
            });
            in_command = line.ends_with('\\');
            after_command = true;
        }
    }
    steps
}

/// The page shortens ids to their first four characters and `…`; any id matches.
fn unshorten_ids(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let id_prefix = i + 4 < chars.len()
            && chars[i..i + 4]
                .iter()
                .all(|c| c.is_ascii_digit() || ('A'..='F').contains(c))
            && chars[i + 4] == '…'
            && (i == 0 || matches!(chars[i - 1], '"' | '/'));
        if id_prefix {
            i += 4;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Whether `line` matches `pattern`, where `…` matches any run of characters.
fn matches(pattern: &str, line: &str) -> bool {
    let pattern = unshorten_ids(pattern);
    let mut parts = pattern.split('…');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = line.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    for (i, part) in parts.iter().enumerate() {
        if i == parts.len() - 1 {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

#[test]
fn curl_walkthrough_works_as_written() {
    let block = walkthrough();
    let steps = steps(&block);
    let checked: usize = steps.iter().map(|s| s.expected.len()).sum();
    assert!(
        steps.len() >= 10 && checked >= 10,
        "walk-through not found or too short"
    );

    let emulator = EmulatorProcess::start();
    let mut script = String::from("set -euo pipefail\n");
    for (index, step) in steps.iter().enumerate() {
        script.push_str(&format!("echo '@@step {index}@@'\n"));
        script.push_str(&step.command.replace("127.0.0.1:8787", emulator.addr()));
        script.push('\n');
    }
    support::process::require_tool("bash", "install bash");
    support::process::require_tool("curl", "install curl (Debian: apt-get install curl)");
    let mut cmd = Command::new("bash");
    cmd.arg("-c").arg(&script);
    let out = support::process::output_within(
        &mut cmd,
        "the curl walk-through",
        support::process::TERRAFORM,
    );
    let stdout = String::from_utf8_lossy(&out.stdout).replace('\r', "");
    assert!(
        out.status.success(),
        "the walk-through failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );

    for (index, step) in steps.iter().enumerate() {
        let output = stdout
            .split(&format!("@@step {index}@@\n"))
            .nth(1)
            .and_then(|rest| rest.split("@@step ").next())
            .unwrap_or_default();
        let mut lines = output.lines();
        for expected in &step.expected {
            assert!(
                lines.any(|line| matches(expected, line)),
                "`{}` should print a line like\n  {expected}\nbut printed:\n{output}",
                step.command
            );
        }
    }
    println!(
        "walk-through: {} commands, {checked} output lines checked",
        steps.len()
    );
}

#[test]
fn the_matcher_can_fail() {
    assert!(matches(r#"{"id":"C8E7…"}"#, r#"{"id":"C8E7AB"}"#));
    assert!(matches("a…b…c", "a123b456c"));
    assert!(!matches("a…b…c", "a123b456"));
    assert!(!matches("HTTP/1.1 201 Created", "HTTP/1.1 409 Conflict"));
    assert!(matches(
        r#"/users/C8E7…/rights"#,
        "/users/0123456789ABCDEF0123456789ABCDEF/rights"
    ));
}
