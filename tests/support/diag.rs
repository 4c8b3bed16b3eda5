//! Diagnostics in a form tests can assert on.
use std::fmt;

use super::proto;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Invalid,
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diag {
    pub severity: Severity,
    pub summary: String,
    pub detail: String,
    /// One string per step: attribute names, map keys, and list indexes in decimal,
    /// e.g. `["tag", "0", "key"]`.
    pub attribute_path: Vec<String>,
}

impl Diag {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl From<&proto::Diagnostic> for Diag {
    fn from(d: &proto::Diagnostic) -> Self {
        use proto::attribute_path::step::Selector;
        let severity = match proto::diagnostic::Severity::try_from(d.severity) {
            Ok(proto::diagnostic::Severity::Error) => Severity::Error,
            Ok(proto::diagnostic::Severity::Warning) => Severity::Warning,
            _ => Severity::Invalid,
        };
        let attribute_path = d
            .attribute
            .iter()
            .flat_map(|p| p.steps.iter())
            .filter_map(|s| s.selector.as_ref())
            .map(|s| match s {
                Selector::AttributeName(n) => n.clone(),
                Selector::ElementKeyString(k) => k.clone(),
                Selector::ElementKeyInt(i) => i.to_string(),
            })
            .collect();
        Diag {
            severity,
            summary: d.summary.clone(),
            detail: d.detail.clone(),
            attribute_path,
        }
    }
}

impl fmt::Display for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.severity, self.summary)?;
        if !self.attribute_path.is_empty() {
            write!(f, " (at {})", self.attribute_path.join("."))?;
        }
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

pub fn convert(diags: &[proto::Diagnostic]) -> Vec<Diag> {
    diags.iter().map(Diag::from).collect()
}

pub fn has_errors(diags: &[Diag]) -> bool {
    diags.iter().any(Diag::is_error)
}

/// Panics with every diagnostic when any is an error: for steps that must succeed.
pub fn assert_no_errors(what: &str, diags: &[Diag]) {
    if has_errors(diags) {
        let all: Vec<String> = diags.iter().map(ToString::to_string).collect();
        panic!("{what} failed:\n  {}", all.join("\n  "));
    }
}
