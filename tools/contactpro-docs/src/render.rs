//! Renders a schema as the "## Schema" section of a page, in the layout tfplugindocs produces, and
//! parses such a section back into (path, section, type) entries for the checker.

use std::collections::BTreeMap;

use super::model::{DocAttribute, DocBlock, Section};

const SECTIONS: [Section; 3] = [Section::Required, Section::Optional, Section::ReadOnly];

/// What one list entry of a page says about an attribute or nested block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub section: Section,
    /// The text in parentheses, e.g. `String, Sensitive`, `String, Write-only` or `Block List, Max: 1`.
    pub kind: String,
}

/// As tfplugindocs: `String`, `String, Sensitive`, `String, Write-only`.
fn kind(a: &DocAttribute) -> String {
    let mut kind = a.type_name.clone();
    if a.sensitive {
        kind.push_str(", Sensitive");
    }
    if a.write_only {
        kind.push_str(", Write-only");
    }
    kind
}

fn anchor(path: &str) -> String {
    format!("nestedblock--{}", path.replace('.', "--"))
}

fn entry_lines(block: &DocBlock, prefix: &str, section: Section) -> Vec<String> {
    // Attributes and blocks share one alphabetical list, as in tfplugindocs.
    let mut lines: BTreeMap<&str, String> = BTreeMap::new();
    for (name, a) in block
        .attributes
        .iter()
        .filter(|(_, a)| a.section == section)
    {
        let kind = kind(a);
        lines.insert(name, format!("- `{name}` ({kind}) {}", a.description));
    }
    for (name, b) in block.blocks.iter().filter(|(_, b)| b.section == section) {
        let path = format!("{prefix}{name}");
        lines.insert(
            name,
            format!(
                "- `{name}` ({}) {} (see [below for nested schema](#{}))",
                b.kind,
                b.block.description,
                anchor(&path)
            ),
        );
    }
    lines
        .into_values()
        .map(|l| l.trim_end().replace("  ", " "))
        .collect()
}

fn render_block(out: &mut String, block: &DocBlock, path: Option<&str>) {
    for section in SECTIONS {
        let prefix = path.map(|p| format!("{p}.")).unwrap_or_default();
        let lines = entry_lines(block, &prefix, section);
        if lines.is_empty() {
            continue;
        }
        match path {
            None => out.push_str(&format!("### {}\n\n", section.title())),
            Some(_) => out.push_str(&format!("{}:\n\n", section.title())),
        }
        for line in lines {
            out.push_str(&line);
            out.push('\n');
        }
        out.push('\n');
    }
    for (name, nested) in &block.blocks {
        let child = match path {
            None => name.clone(),
            Some(p) => format!("{p}.{name}"),
        };
        out.push_str(&format!(
            "<a id=\"{}\"></a>\n### Nested Schema for `{child}`\n\n",
            anchor(&child)
        ));
        render_block(out, &nested.block, Some(&child));
    }
}

/// The text that goes between the schema markers.
pub fn render_schema(block: &DocBlock) -> String {
    let mut out = String::from("## Schema\n\n");
    render_block(&mut out, block, None);
    out
}

/// Every attribute and nested block of a schema, by dotted path, as a page should list it.
pub fn expected_entries(block: &DocBlock) -> BTreeMap<String, Entry> {
    let mut out = BTreeMap::new();
    collect(block, "", &mut out);
    out
}

fn collect(block: &DocBlock, prefix: &str, out: &mut BTreeMap<String, Entry>) {
    for (name, a) in &block.attributes {
        let kind = kind(a);
        out.insert(
            format!("{prefix}{name}"),
            Entry {
                section: a.section,
                kind,
            },
        );
    }
    for (name, b) in &block.blocks {
        let path = format!("{prefix}{name}");
        out.insert(
            path.clone(),
            Entry {
                section: b.section,
                kind: b.kind.clone(),
            },
        );
        collect(&b.block, &format!("{path}."), out);
    }
}

fn section_of(heading: &str) -> Option<Section> {
    SECTIONS.into_iter().find(|s| s.title() == heading)
}

/// Reads the entries a page's schema section documents. Lines it does not understand are ignored;
/// what matters is which attributes are listed, where, and as what.
pub fn parse_entries(markdown: &str) -> BTreeMap<String, Entry> {
    let mut out = BTreeMap::new();
    let mut prefix = String::new();
    let mut section = None;
    for line in markdown.lines() {
        let line = line.trim_end();
        if let Some(rest) = line.strip_prefix("### Nested Schema for `") {
            prefix = format!("{}.", rest.trim_end_matches('`'));
            section = None;
        } else if let Some(heading) = line.strip_prefix("### ") {
            if let Some(s) = section_of(heading) {
                prefix.clear();
                section = Some(s);
            }
        } else if let Some(s) = line.strip_suffix(':').and_then(section_of) {
            section = Some(s);
        } else if let (Some(rest), Some(section)) = (line.strip_prefix("- `"), section) {
            let Some((name, rest)) = rest.split_once('`') else {
                continue;
            };
            let kind = rest
                .trim_start()
                .strip_prefix('(')
                .and_then(|r| r.split_once(')'))
                .map(|(k, _)| k.to_string())
                .unwrap_or_default();
            out.insert(format!("{prefix}{name}"), Entry { section, kind });
        }
    }
    out
}
