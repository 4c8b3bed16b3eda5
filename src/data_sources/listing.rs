//! What every plural data source shares: optional wildcard filters, a stable order, and results
//! as an `ids` list plus maps keyed by id (lists of objects would need nested attributes, which
//! tf-provider 0.2.2 cannot describe).

use std::collections::BTreeMap;

use tf_provider::value::Value;
use tf_provider::Diagnostics;

use crate::tf::diag::{api_error, FieldMap};
use crate::tf::values::{known, TfString};
use contactpro_rci::ClientError;

pub type TfList = Value<Vec<Value<String>>>;
pub type TfMap = Value<BTreeMap<String, Value<String>>>;

/// The description every filter attribute shares.
pub fn filter_doc(field: &str) -> String {
    format!("Only objects whose {field} matches this pattern, ignoring case: `*` matches any run of characters, `?` one character. Unset: no filter on the {field}.")
}

/// A set, non-empty filter value (`""` means no filter to the API as well).
pub fn filter_value(value: &TfString) -> Option<&str> {
    known(value).filter(|v| !v.is_empty())
}

/// Sorts by the natural key ignoring case, then by the key as stored, then by id.
pub fn sort_by_key<T>(items: &mut [T], key: impl Fn(&T) -> (&str, &str)) {
    items.sort_by(|a, b| {
        let (ka, ia) = key(a);
        let (kb, ib) = key(b);
        ka.to_lowercase()
            .cmp(&kb.to_lowercase())
            .then_with(|| ka.cmp(kb))
            .then_with(|| ia.cmp(ib))
    });
}

pub fn ids_list<'a>(ids: impl IntoIterator<Item = &'a str>) -> TfList {
    Value::Value(ids.into_iter().map(|i| Value::Value(i.into())).collect())
}

/// A map from id to value; objects without the value are left out.
pub fn by_id<'a>(entries: impl IntoIterator<Item = (&'a str, Option<&'a str>)>) -> TfMap {
    Value::Value(
        entries
            .into_iter()
            .filter_map(|(id, v)| v.map(|v| (id.to_string(), Value::Value(v.to_string()))))
            .collect(),
    )
}

/// `fields` maps the API's filter names to attributes, so a refused filter points at its attribute.
pub fn list_failed(
    diags: &mut Diagnostics,
    data_source: &str,
    what: &str,
    e: &ClientError,
    fields: FieldMap,
) {
    api_error(diags, data_source, &format!("listing {what}"), e, fields);
}
