//! The one rule every data source shares: exactly one match by an exact key.

use tf_provider::{AttributePath, Diagnostics};

use crate::tf::diag::api_error;
use contactpro_rci::ClientResult;

/// Picks the single item whose key equals `wanted`; reports none or several as an error on `attribute`.
pub fn exactly_one<T>(
    diags: &mut Diagnostics,
    data_source: &str,
    attribute: &'static str,
    wanted: &str,
    listed: ClientResult<Vec<T>>,
    key: impl Fn(&T) -> &str,
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
    let mut matches: Vec<T> = items
        .into_iter()
        .filter(|item| key(item) == wanted)
        .collect();
    match matches.len() {
        1 => matches.pop(),
        0 => {
            diags.error(
                format!("{data_source}: no object has {attribute} {wanted:?}"),
                format!("Nothing in the tenant matches {attribute} = {wanted:?} exactly (the match is case-sensitive). Check the spelling in System Configurator."),
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
