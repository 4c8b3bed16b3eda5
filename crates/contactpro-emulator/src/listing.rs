//! List queries: `offset`, `limit`, `sort` and case-insensitive wildcard field filters.

use std::cmp::Ordering;
use std::collections::HashMap;

use serde_json::Value;

use super::error::ApiError;

pub const DEFAULT_LIMIT: usize = 100;
pub const MAX_LIMIT: usize = 1000;

/// Applies the query to `items` (already in creation order). `filterable` lists the fields that
/// may be filtered; any other query parameter is a 400.
pub fn apply(
    mut items: Vec<Value>,
    query: &HashMap<String, String>,
    filterable: &[&str],
) -> Result<Vec<Value>, ApiError> {
    let mut offset = 0;
    let mut limit = DEFAULT_LIMIT;
    let mut sort: Vec<(String, bool)> = Vec::new();
    let mut filters: Vec<(&str, Vec<char>)> = Vec::new();
    for (key, value) in query {
        match key.as_str() {
            "offset" => {
                offset = value
                    .parse()
                    .map_err(|_| ApiError::invalid("offset", "must be a number ≥ 0"))?
            }
            "limit" => {
                limit = value
                    .parse()
                    .ok()
                    .filter(|l| (1..=MAX_LIMIT).contains(l))
                    .ok_or_else(|| {
                        ApiError::invalid(
                            "limit",
                            format!("must be a number from 1 to {MAX_LIMIT}"),
                        )
                    })?
            }
            "sort" => {
                for part in sort_items(value) {
                    let (name, descending) = match part.strip_prefix('-') {
                        Some(name) => (name, true),
                        None => (part.strip_prefix('+').unwrap_or(part), false),
                    };
                    if !items.is_empty() && items[0].get(name).is_none() {
                        return Err(ApiError::invalid("sort", format!("unknown field {name:?}")));
                    }
                    sort.push((name.to_string(), descending));
                }
            }
            other => match filterable.iter().find(|f| **f == other) {
                Some(field) => filters.push((field, value.to_lowercase().chars().collect())),
                None => {
                    return Err(ApiError::invalid(
                        other,
                        format!(
                            "unknown query parameter; filters: {}",
                            filterable.join(", ")
                        ),
                    ))
                }
            },
        }
    }
    items.retain(|item| {
        filters
            .iter()
            .all(|(field, pattern)| match item.get(*field) {
                Some(Value::String(s)) => {
                    wildcard_match(pattern, &s.to_lowercase().chars().collect::<Vec<_>>())
                }
                _ => false,
            })
    });
    if !sort.is_empty() {
        items.sort_by(|a, b| {
            for (field, descending) in &sort {
                let order = compare(a.get(field), b.get(field));
                let order = if *descending { order.reverse() } else { order };
                if order != Ordering::Equal {
                    return order;
                }
            }
            Ordering::Equal
        });
    }
    Ok(items.into_iter().skip(offset).take(limit).collect())
}

/// The field items of a `sort` value: spaces after commas allowed, and a final `LOCALE-xx` item
/// (the collation, accepted and ignored beyond case-insensitive comparison) dropped [doc].
pub fn sort_items(value: &str) -> Vec<&str> {
    let mut items: Vec<&str> = value
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if items.last().is_some_and(|last| {
        last.get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case("LOCALE-"))
    }) {
        items.pop();
    }
    items
}

pub fn compare(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (Some(Value::String(a)), Some(Value::String(b))) => a
            .to_lowercase()
            .cmp(&b.to_lowercase())
            .then_with(|| a.cmp(b)),
        (Some(Value::Bool(a)), Some(Value::Bool(b))) => a.cmp(b),
        (Some(Value::Null) | None, Some(Value::Null) | None) => Ordering::Equal,
        (Some(Value::Null) | None, _) => Ordering::Less,
        (_, Some(Value::Null) | None) => Ordering::Greater,
        _ => Ordering::Equal,
    }
}

/// `*` matches any run of characters, `?` exactly one. Both sides are already lower-cased.
pub fn wildcard_match(pattern: &[char], text: &[char]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut backtrack: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            backtrack = Some((p, t));
            p += 1;
        } else if let Some((bp, bt)) = backtrack {
            p = bp + 1;
            t = bt + 1;
            backtrack = Some((bp, bt + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::wildcard_match;

    fn m(p: &str, t: &str) -> bool {
        wildcard_match(
            &p.chars().collect::<Vec<_>>(),
            &t.chars().collect::<Vec<_>>(),
        )
    }

    #[test]
    fn wildcards() {
        assert!(m("api.*", "api.attachments"));
        assert!(m("a?i", "api"));
        assert!(!m("a?i", "apii"));
        assert!(m("*ment*", "api.attachments"));
        assert!(!m("x*", "api"));
        assert!(m("*", ""));
    }
}
