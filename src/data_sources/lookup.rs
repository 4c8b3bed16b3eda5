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
