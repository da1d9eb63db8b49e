//! Canonical JSON: one serialisation of a value whatever the order its
//! fields were written in, so that a digest of it (a verification code, a
//! framework's fingerprint) changes exactly when the content does.
//!
//! Object keys are sorted by their UTF-8 bytes and nothing insignificant is
//! written: no whitespace, no trailing zeros a number does not have.
//! Numbers and strings are written as serde_json writes them, which is one
//! fixed form for each.

use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// `value` as canonical JSON: sorted keys, no insignificant whitespace.
pub fn to_string(value: &Value) -> String {
    serde_json::to_string(&Sorted { value, leaving_out: None }).expect("a JSON value always serialises")
}

/// [`to_string`] of `value` with its top-level field `field` left out.
pub fn to_string_without(value: &Value, field: &str) -> String {
    serde_json::to_string(&Sorted { value, leaving_out: Some(field) }).expect("a JSON value always serialises")
}

/// A value written with its objects' keys sorted, as [`sorted`] would
/// give it, without making the sorted copy: a large certificate's data
/// is held once, not twice, while it is written.
struct Sorted<'a> {
    value: &'a Value,
    /// A field of the outermost object to leave out.
    leaving_out: Option<&'a str>,
}

impl Serialize for Sorted<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self.value {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().filter(|key| Some(key.as_str()) != self.leaving_out).collect();
                keys.sort();
                let mut out = serializer.serialize_map(Some(keys.len()))?;
                for key in keys {
                    out.serialize_entry(key, &Sorted { value: &map[key], leaving_out: None })?;
                }
                out.end()
            }
            Value::Array(items) => {
                let mut out = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    out.serialize_element(&Sorted { value: item, leaving_out: None })?;
                }
                out.end()
            }
            other => other.serialize(serializer),
        }
    }
}

/// `value` with every object's keys in sorted order, for a canonical
/// serialisation or a readable one that is the same on every run.
pub fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let sorted: Map<String, Value> = keys.into_iter().map(|key| (key.clone(), sorted(&map[key]))).collect();
            Value::Object(sorted)
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// `value` as pretty JSON with sorted keys and a closing newline: the form
/// kub writes files meant to be read and compared with `git diff`.
pub fn to_pretty(value: &Value) -> String {
    let mut text =
        serde_json::to_string_pretty(&Sorted { value, leaving_out: None }).expect("a JSON value always serialises");
    text.push('\n');
    text
}

/// Any serialisable value as a JSON value, for the functions above.
pub fn value_of<T: Serialize + ?Sized>(data: &T) -> Value {
    serde_json::to_value(data).expect("kub's data serialises to JSON")
}

/// The SHA-256 of `bytes` in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The fingerprint of a value: `sha256:` and the SHA-256 of its canonical JSON.
pub fn fingerprint(value: &Value) -> String {
    format!("sha256:{}", sha256_hex(to_string(value).as_bytes()))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn key_order_and_whitespace_do_not_matter() {
        let a: Value = serde_json::from_str(r#"{ "b": [1, {"y": 2, "x": "é"}], "a": null }"#).unwrap();
        let b = json!({"a": null, "b": [1, {"x": "é", "y": 2}]});
        assert_eq!(to_string(&a), r#"{"a":null,"b":[1,{"x":"é","y":2}]}"#);
        assert_eq!(fingerprint(&a), fingerprint(&b));
    }

    #[test]
    fn a_change_of_any_value_changes_the_fingerprint() {
        let a = json!({"a": [1, 2], "b": "x"});
        assert_ne!(fingerprint(&a), fingerprint(&json!({"a": [2, 1], "b": "x"})));
        assert_ne!(fingerprint(&a), fingerprint(&json!({"a": [1, 2], "b": "y"})));
    }

    #[test]
    fn pretty_text_reads_back_to_the_same_bytes() {
        let value = json!({"share": 0.75, "z": [1.5, -2], "a": {"c": "ü", "b": true}});
        let text = to_pretty(&value);
        let again: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(to_pretty(&again), text);
    }
}
