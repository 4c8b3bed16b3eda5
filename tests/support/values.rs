//! DynamicValue <-> serde_json conversions. Terraform speaks MessagePack, where an
//! unknown value ("known after apply") is extension type 0; JSON has no such thing,
//! so tests see it as the marker string [`UNKNOWN`].
use serde_json::{Map, Number, Value as Json};

use super::proto::DynamicValue;

/// How an unknown value appears in decoded JSON, and how to send one.
pub const UNKNOWN: &str = "<unknown>";

/// MessagePack `nil`: what Terraform sends for an absent object (e.g. provider_meta).
pub fn null_dynamic() -> DynamicValue {
    DynamicValue {
        msgpack: vec![0xc0],
        json: Vec::new(),
    }
}

pub fn to_dynamic(value: &Json) -> DynamicValue {
    DynamicValue {
        msgpack: to_msgpack(value),
        json: Vec::new(),
    }
}

/// Decodes what the provider sent; a missing value decodes as null.
pub fn from_dynamic(value: Option<&DynamicValue>) -> Json {
    match value {
        None => Json::Null,
        Some(v) if !v.msgpack.is_empty() => from_msgpack(&v.msgpack),
        Some(v) if !v.json.is_empty() => {
            serde_json::from_slice(&v.json).expect("DynamicValue.json is not JSON")
        }
        Some(_) => Json::Null,
    }
}

pub fn to_msgpack(value: &Json) -> Vec<u8> {
    let mut out = Vec::new();
    rmpv::encode::write_value(&mut out, &json_to_rmpv(value)).expect("msgpack encode");
    out
}

pub fn from_msgpack(bytes: &[u8]) -> Json {
    let mut slice = bytes;
    let value = rmpv::decode::read_value(&mut slice)
        .unwrap_or_else(|e| panic!("provider sent invalid msgpack ({e}): {bytes:02x?}"));
    rmpv_to_json(&value)
}

fn json_to_rmpv(value: &Json) -> rmpv::Value {
    match value {
        Json::Null => rmpv::Value::Nil,
        Json::Bool(b) => rmpv::Value::Boolean(*b),
        Json::Number(n) => {
            if let Some(i) = n.as_i64() {
                rmpv::Value::from(i)
            } else if let Some(u) = n.as_u64() {
                rmpv::Value::from(u)
            } else {
                rmpv::Value::F64(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        Json::String(s) if s == UNKNOWN => rmpv::Value::Ext(0, vec![0]),
        Json::String(s) => rmpv::Value::from(s.as_str()),
        Json::Array(items) => rmpv::Value::Array(items.iter().map(json_to_rmpv).collect()),
        Json::Object(map) => rmpv::Value::Map(
            map.iter()
                .map(|(k, v)| (rmpv::Value::from(k.as_str()), json_to_rmpv(v)))
                .collect(),
        ),
    }
}

fn rmpv_to_json(value: &rmpv::Value) -> Json {
    use rmpv::Value as M;
    match value {
        M::Nil => Json::Null,
        M::Boolean(b) => Json::Bool(*b),
        M::Integer(i) => match (i.as_i64(), i.as_u64()) {
            (Some(v), _) => Json::from(v),
            (None, Some(v)) => Json::from(v),
            _ => Json::Null,
        },
        M::F32(f) => Number::from_f64(f64::from(*f)).map_or(Json::Null, Json::Number),
        M::F64(f) => Number::from_f64(*f).map_or(Json::Null, Json::Number),
        M::String(s) => Json::String(s.as_str().unwrap_or_default().to_string()),
        M::Binary(b) => Json::String(String::from_utf8_lossy(b).into_owned()),
        M::Array(items) => Json::Array(items.iter().map(rmpv_to_json).collect()),
        M::Map(entries) => {
            let mut map = Map::new();
            for (k, v) in entries {
                let key = match k {
                    M::String(s) => s.as_str().unwrap_or_default().to_string(),
                    other => other.to_string(),
                };
                map.insert(key, rmpv_to_json(v));
            }
            Json::Object(map)
        }
        // Terraform's unknown value; other extension types are not used by the protocol.
        M::Ext(0, _) => Json::String(UNKNOWN.to_string()),
        M::Ext(t, _) => panic!("unexpected msgpack extension type {t}"),
    }
}
