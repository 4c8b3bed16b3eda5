//! The pages of docs/ in the Terraform Registry layout: which page documents which schema, the
//! generated regions inside them (schema and embedded examples), and the checks.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::model::{DocBlock, DocSchema};
use super::render::{expected_entries, parse_entries, render_schema};

pub const PROVIDER_NAME: &str = "contactpro";
pub const PROVIDER_ADDRESS: &str = "registry.terraform.io/contactpro/contactpro";
const SCHEMA_BEGIN: &str = "<!-- schema:begin -->";
const SCHEMA_END: &str = "<!-- schema:end -->";
const EXAMPLE_BEGIN: &str = "<!-- example:begin path=";
const EXAMPLE_END: &str = "<!-- example:end -->";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Provider,
    Resource,
    DataSource,
    EphemeralResource,
}

pub struct Page<'a> {
    pub kind: Kind,
    /// `contactpro` for the provider, else the full type name such as `contactpro_user`.
    pub type_name: String,
    /// Relative to the repository root, e.g. `docs/resources/user.md`.
    pub path: PathBuf,
    pub block: &'a DocBlock,
}

fn short(type_name: &str) -> &str {
    type_name
        .strip_prefix(&format!("{PROVIDER_NAME}_"))
        .unwrap_or(type_name)
}

pub fn pages(schema: &DocSchema) -> Vec<Page<'_>> {
    let mut out = vec![Page {
        kind: Kind::Provider,
        type_name: PROVIDER_NAME.into(),
        path: "docs/index.md".into(),
        block: &schema.provider,
    }];
    static NONE: BTreeMap<String, DocBlock> = BTreeMap::new();
    for (kind, dir, map) in [
        (Kind::Resource, "resources", &schema.resources),
        (Kind::DataSource, "data-sources", &schema.data_sources),
        (
            Kind::EphemeralResource,
            "ephemeral-resources",
            schema.ephemeral_resources.as_ref().unwrap_or(&NONE),
        ),
    ] {
        for (name, block) in map {
            out.push(Page {
                kind,
                type_name: name.clone(),
                path: format!("docs/{dir}/{}.md", short(name)).into(),
                block,
            });
        }
    }
    out
}

/// Replaces what lies between `begin` and the next `end` with `inner`; `None` without markers.
fn replace_between(content: &str, begin: &str, end: &str, inner: &str) -> Option<String> {
    let start = content.find(begin)? + begin.len();
    let stop = start + content[start..].find(end)?;
    Some(format!(
        "{}\n{}{}",
        &content[..start],
        inner,
        &content[stop..]
    ))
}

fn fenced_example(root: &Path, rel: &str) -> Result<String, String> {
    let text = fs::read_to_string(root.join(rel)).map_err(|e| format!("{rel}: {e}"))?;
    let lang = if rel.ends_with(".sh") {
        "shell"
    } else {
        "terraform"
    };
    Ok(format!("```{lang}\n{}\n```\n", text.trim_end()))
}

/// Rewrites every generated region of a page's text: the schema and each embedded example.
pub fn regenerate(root: &Path, content: &str, block: &DocBlock) -> Result<String, String> {
    let mut out = replace_between(content, SCHEMA_BEGIN, SCHEMA_END, &render_schema(block))
        .ok_or_else(|| format!("no {SCHEMA_BEGIN} ... {SCHEMA_END} markers"))?;
    let mut from = 0;
    while let Some(found) = out[from..].find(EXAMPLE_BEGIN) {
        let at = from + found;
        let rest = &out[at + EXAMPLE_BEGIN.len()..];
        let rel = rest
            .split_once(" -->")
            .map(|(p, _)| p.trim().to_string())
            .ok_or("unterminated example:begin marker")?;
        let marker = format!("{EXAMPLE_BEGIN}{rel} -->");
        let tail = replace_between(
            &out[at..],
            &marker,
            EXAMPLE_END,
            &fenced_example(root, &rel)?,
        )
        .ok_or_else(|| format!("example {rel} has no {EXAMPLE_END}"))?;
        out = format!("{}{}", &out[..at], tail);
        from = at + marker.len();
    }
    Ok(out)
}

fn example_path(page: &Page, file: &str) -> String {
    match page.kind {
        Kind::Provider => format!("examples/provider/{file}"),
        Kind::Resource => format!("examples/resources/{}/{file}", page.type_name),
        Kind::DataSource => format!("examples/data-sources/{}/{file}", page.type_name),
        Kind::EphemeralResource => {
            format!("examples/ephemeral-resources/{}/{file}", page.type_name)
        }
    }
}

/// A page for a type that has none yet: front matter, markers, and a place for prose.
pub fn skeleton(root: &Path, page: &Page) -> String {
    let (label, example) = match page.kind {
        Kind::Provider => ("Provider", example_path(page, "provider.tf")),
        Kind::Resource => ("Resource", example_path(page, "resource.tf")),
        Kind::DataSource => ("Data Source", example_path(page, "data-source.tf")),
        Kind::EphemeralResource => (
            "Ephemeral Resource",
            example_path(page, "ephemeral-resource.tf"),
        ),
    };
    let title = match page.kind {
        Kind::Provider => format!("{PROVIDER_NAME} Provider"),
        _ => format!(
            "{} {label} - terraform-provider-{PROVIDER_NAME}",
            page.type_name
        ),
    };
    // YAML block scalar: indent every line, but leave blank lines empty (no trailing spaces).
    let description = page
        .block
        .description
        .lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("  {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = format!(
        "---\npage_title: \"{title}\"\nsubcategory: \"\"\ndescription: |-\n{description}\n---\n\n# {} ({label})\n\n{}\n\n## Example Usage\n\n{EXAMPLE_BEGIN}{example} -->\n{EXAMPLE_END}\n\n{SCHEMA_BEGIN}\n{SCHEMA_END}\n",
        page.type_name, page.block.description
    );
    let import = example_path(page, "import.sh");
    if root.join(&import).exists() {
        out.push_str(&format!(
            "\n## Import\n\nImport is supported using the following syntax:\n\n{EXAMPLE_BEGIN}{import} -->\n{EXAMPLE_END}\n"
        ));
    }
    out
}

/// Writes skeletons for missing pages and regenerates every page; returns the files it changed.
pub fn generate(root: &Path, schema: &DocSchema) -> Result<Vec<PathBuf>, String> {
    let mut changed = Vec::new();
    for page in pages(schema) {
        let file = root.join(&page.path);
        let old = fs::read_to_string(&file).unwrap_or_else(|_| skeleton(root, &page));
        let new = regenerate(root, &old, page.block)
            .map_err(|e| format!("{}: {e}", page.path.display()))?;
        if fs::read_to_string(&file).ok().as_deref() != Some(new.as_str()) {
            if let Some(dir) = file.parent() {
                fs::create_dir_all(dir).map_err(|e| e.to_string())?;
            }
            fs::write(&file, new).map_err(|e| format!("{}: {e}", file.display()))?;
            changed.push(page.path.clone());
        }
    }
    Ok(changed)
}

/// Mismatches between one page's text and its schema: attributes missing from the page,
/// documented but not in the schema, or listed in the wrong section or with the wrong type.
pub fn check_page(rel: &str, content: &str, block: &DocBlock) -> Vec<String> {
    let Some(start) = content.find(SCHEMA_BEGIN) else {
        return vec![format!("{rel}: no {SCHEMA_BEGIN} marker")];
    };
    let section = &content[start..];
    let section = &section[..section.find(SCHEMA_END).unwrap_or(section.len())];
    let documented = parse_entries(section);
    let expected = expected_entries(block);
    let mut problems = Vec::new();
    for (path, want) in &expected {
        match documented.get(path) {
            None => problems.push(format!(
                "{rel}: `{path}` is in the schema but missing from the page"
            )),
            Some(got) if got != want => problems.push(format!(
                "{rel}: `{path}` is documented as {} ({}) but the schema says {} ({})",
                got.section.title(),
                got.kind,
                want.section.title(),
                want.kind
            )),
            Some(_) => {}
        }
    }
    for path in documented.keys().filter(|p| !expected.contains_key(*p)) {
        problems.push(format!(
            "{rel}: `{path}` is documented but the schema has no such attribute"
        ));
    }
    problems
}

fn stray_pages(root: &Path, schema: &DocSchema) -> Vec<String> {
    let known: Vec<PathBuf> = pages(schema).into_iter().map(|p| p.path).collect();
    let mut out = Vec::new();
    let mut dirs = vec!["docs/resources", "docs/data-sources"];
    // Only a source that reports ephemeral resources can tell a stray page of them.
    if schema.ephemeral_resources.is_some() {
        dirs.push("docs/ephemeral-resources");
    }
    for dir in dirs {
        let Ok(entries) = fs::read_dir(root.join(dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            let rel = Path::new(dir).join(entry.file_name());
            if rel.extension().is_some_and(|e| e == "md") && !known.contains(&rel) {
                out.push(format!(
                    "{}: documents a type the provider does not have",
                    rel.display()
                ));
            }
        }
    }
    out
}

/// Every problem with docs/ against the schema; empty when the docs are true and up to date.
pub fn check(root: &Path, schema: &DocSchema) -> Vec<String> {
    let mut problems = Vec::new();
    for page in pages(schema) {
        let rel = page.path.display().to_string();
        let Ok(content) = fs::read_to_string(root.join(&page.path)) else {
            problems.push(format!("{rel}: page missing for {}", page.type_name));
            continue;
        };
        let mismatches = check_page(&rel, &content, page.block);
        if !mismatches.is_empty() {
            problems.extend(mismatches);
            continue;
        }
        // The structure matches; descriptions or embedded examples may still be stale.
        match regenerate(root, &content, page.block) {
            Ok(fresh) if fresh != content => problems.push(format!(
                "{rel}: generated text is out of date (descriptions or examples); run the generator"
            )),
            Ok(_) => {}
            Err(e) => problems.push(format!("{rel}: {e}")),
        }
    }
    problems.extend(stray_pages(root, schema));
    problems
}
