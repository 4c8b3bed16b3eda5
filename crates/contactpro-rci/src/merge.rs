//! Bodies of full-object PUTs. A PUT replaces the whole object (documented), so it starts from what
//! the server holds and changes only the fields the caller manages; everything else goes back as received.

use super::error::{ClientError, ClientResult};
use serde::Serialize;
use serde_json::{Map, Value};

/// `current` with every field of `managed` overwritten. `not_sent_back` fields are never taken from
/// `current`: write-only ones (a server could echo a mask; they are sent only when `managed` carries
/// them), and the read-only ones of this project's own endpoints, whose contract refuses them in a
/// PUT (docs/api/contract.md). The documented `users/{id}` takes back everything GET returned.
pub(crate) fn merged<T: Serialize>(
    mut current: Map<String, Value>,
    managed: &T,
    not_sent_back: &[&str],
) -> ClientResult<Value> {
    for key in not_sent_back {
        current.remove(*key);
    }
    // serde_json's error text never contains the serialized values.
    match serde_json::to_value(managed) {
        Ok(Value::Object(fields)) => {
            current.extend(fields);
            Ok(Value::Object(current))
        }
        Ok(_) => Err(ClientError::Decode(
            "request body is not a JSON object".into(),
        )),
        Err(e) => Err(ClientError::Decode(format!(
            "cannot encode request body: {e}"
        ))),
    }
}
