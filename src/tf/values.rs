//! Conversions between Terraform values and plain Rust values.

use std::collections::BTreeSet;

use tf_provider::value::Value;

pub type TfString = Value<String>;
pub type TfSet = Value<BTreeSet<Value<String>>>;

/// The known, non-null string, if any.
pub fn known(value: &TfString) -> Option<&str> {
    match value {
        Value::Value(s) => Some(s.as_str()),
        _ => None,
    }
}

pub fn is_unknown<T>(value: &Value<T>) -> bool {
    matches!(value, Value::Unknown)
}

/// Null or empty string both mean "not set" to the API.
pub fn to_api(value: &TfString) -> Option<String> {
    known(value).filter(|s| !s.is_empty()).map(str::to_string)
}

pub fn from_api(value: Option<String>) -> TfString {
    value.map(Value::Value).unwrap_or(Value::Null)
}

/// A known set with every element known, as plain strings.
pub fn known_set(value: &TfSet) -> Option<BTreeSet<String>> {
    match value {
        Value::Value(items) => items
            .iter()
            .map(|item| match item {
                Value::Value(s) => Some(s.clone()),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

pub fn set_of(items: impl IntoIterator<Item = String>) -> TfSet {
    Value::Value(items.into_iter().map(Value::Value).collect())
}

/// True when the set itself or one of its elements is unknown.
pub fn set_has_unknown(value: &TfSet) -> bool {
    match value {
        Value::Unknown => true,
        Value::Value(items) => items.iter().any(|item| matches!(item, Value::Unknown)),
        Value::Null => false,
    }
}
