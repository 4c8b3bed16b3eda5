//! The one rule every singular data source shares: exactly one match by an exact key.

use tf_provider::{AttributePath, Diagnostics};

use crate::tf::diag::api_error;
use contactpro_rci::ClientResult;

/// Picks the single item whose key equals `wanted` (case-sensitively); reports none or several
/// as an error on `attribute`.
pub fn exactly_one<T>(
    diags: &mut Diagnostics,
    data_source: &str,
    attribute: &'static str,
    wanted: &str,
    listed: ClientResult<Vec<T>>,
    key: impl Fn(&T) -> &str,
) -> Option<T> {
    pick(diags, data_source, attribute, wanted, listed, key, false)
}

/// As [`exactly_one`], for keys the tenant keeps unique regardless of case (logins).
pub fn exactly_one_ignoring_case<T>(
    diags: &mut Diagnostics,
    data_source: &str,
    attribute: &'static str,
    wanted: &str,
    listed: ClientResult<Vec<T>>,
    key: impl Fn(&T) -> &str,
) -> Option<T> {
    pick(diags, data_source, attribute, wanted, listed, key, true)
}

fn pick<T>(
    diags: &mut Diagnostics,
    data_source: &str,
    attribute: &'static str,
    wanted: &str,
    listed: ClientResult<Vec<T>>,
    key: impl Fn(&T) -> &str,
    ignore_case: bool,
) -> Option<T> {
    let items = match listed {
        Ok(items) => items,
        Err(e) => {
            api_error(
                diags,
                data_source,
                &format!("looking up {attribute} {wanted:?}"),
                &e,
                &[],
            );
            return None;
        }
    };
    let matches_key = |item: &T| {
        let found = key(item);
        if ignore_case {
            found.eq_ignore_ascii_case(wanted)
        } else {
            found == wanted
        }
    };
    let mut matches: Vec<T> = items.into_iter().filter(|i| matches_key(i)).collect();
    let how = if ignore_case {
        "ignoring case, as the tenant keeps it unique regardless of case"
    } else {
        "exactly (the match is case-sensitive; `*` and `?` are not wildcards here)"
    };
    match matches.len() {
        1 => matches.pop(),
        0 => {
            diags.error(
                format!("{data_source}: no object has {attribute} {wanted:?}"),
                format!("Nothing in the tenant matches {attribute} = {wanted:?} {how}. Check the spelling in System Configurator, or use the plural data source, which returns an empty result instead of failing."),
                AttributePath::new(attribute),
            );
            None
        }
        n => {
            diags.error(
                format!("{data_source}: {n} objects have {attribute} {wanted:?}"),
                "The name is not unique in the tenant; look the object up by a unique name or use its id directly.".to_string(),
                AttributePath::new(attribute),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick_name(items: &[&str], wanted: &str, ignore_case: bool) -> (Option<String>, Diagnostics) {
        let mut diags = Diagnostics::default();
        let listed: ClientResult<Vec<String>> = Ok(items.iter().map(|s| s.to_string()).collect());
        let found = if ignore_case {
            exactly_one_ignoring_case(
                &mut diags,
                "contactpro_user",
                "login",
                wanted,
                listed,
                |s| s,
            )
        } else {
            exactly_one(
                &mut diags,
                "contactpro_queue",
                "name",
                wanted,
                listed,
                |s| s,
            )
        };
        (found, diags)
    }

    #[test]
    fn none_found_is_an_error_that_names_the_key_and_the_plural_way_out() {
        let (found, diags) = pick_name(&["Chat Support", "Chat Sales"], "chat support", false);
        assert_eq!(found, None);
        assert_eq!(diags.errors.len(), 1);
        let error = &diags.errors[0];
        assert_eq!(
            error.summary,
            r#"contactpro_queue: no object has name "chat support""#
        );
        assert!(error.detail.contains("case-sensitive"), "{}", error.detail);
        assert!(
            error.detail.contains("plural data source"),
            "{}",
            error.detail
        );
        assert_eq!(error.attribute, AttributePath::new("name"));
    }

    #[test]
    fn several_found_is_an_error_that_counts_them() {
        let (found, diags) = pick_name(&["Sales", "Sales", "Support", "Sales"], "Sales", false);
        assert_eq!(found, None);
        assert_eq!(diags.errors.len(), 1);
        assert_eq!(
            diags.errors[0].summary,
            r#"contactpro_queue: 3 objects have name "Sales""#
        );
        assert!(diags.errors[0].detail.contains("not unique"));
        assert_eq!(diags.errors[0].attribute, AttributePath::new("name"));
    }

    #[test]
    fn exactly_one_is_returned_and_logins_ignore_case() {
        let (found, diags) = pick_name(&["Chat Support", "chat support x"], "Chat Support", false);
        assert_eq!(found.as_deref(), Some("Chat Support"));
        assert!(diags.errors.is_empty());
        let (found, diags) = pick_name(&["API.Attachments", "other"], "api.attachments", true);
        assert_eq!(found.as_deref(), Some("API.Attachments"));
        assert!(diags.errors.is_empty());
    }
}
