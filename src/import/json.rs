//! JSON arrays of records from an export, split without building a tree of the whole
//! file: each record is a borrowed slice of the file's bytes, parsed on its own, and the
//! count is capped ([`limits::MAX_JSON_RECORDS`]), so the shape of a hostile file cannot
//! make memory grow past the file's own size.

use std::fmt;

use serde::de::{Deserializer, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::error::ImportError;
use crate::limits;

struct Capped;

impl<'de> Visitor<'de> for Capped {
    type Value = Vec<&'de RawValue>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "an array of at most {} records",
            limits::MAX_JSON_RECORDS
        )
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(item) = seq.next_element::<&'de RawValue>()? {
            if out.len() == limits::MAX_JSON_RECORDS {
                return Err(serde::de::Error::custom(format!(
                    "more than {} records in one file",
                    limits::MAX_JSON_RECORDS
                )));
            }
            out.push(item);
        }
        Ok(out)
    }
}

/// The records of the JSON array in `bytes`, each still unparsed; `label` names the file
/// and `expected` what it should hold, in the error.
pub fn records<'a>(
    bytes: &'a [u8],
    label: &str,
    expected: &str,
) -> Result<Vec<&'a RawValue>, ImportError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let out = de
        .deserialize_seq(Capped)
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| ImportError::json(label, &e, expected))?;
    Ok(out)
}

/// For `#[serde(deserialize_with)]`: a JSON array of records inside a document, split like
/// [`records`] and capped the same way.
pub fn capped<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<&'de RawValue>, D::Error> {
    d.deserialize_seq(Capped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_split_without_parsing_and_capped() {
        let got = records(br#"[{"a":1}, 2, "x"]"#, "f.json", "records").unwrap();
        assert_eq!(
            got.iter().map(|r| r.get()).collect::<Vec<_>>(),
            [r#"{"a":1}"#, "2", r#""x""#]
        );
        let mut many = String::from("[");
        many.push_str(&"0,".repeat(limits::MAX_JSON_RECORDS));
        many.push_str("0]");
        let err = records(many.as_bytes(), "day.json", "messages")
            .unwrap_err()
            .to_string();
        assert!(err.contains("more than 2000000 records"), "{err}");
        assert!(err.starts_with("day.json line 1"), "{err}");
        assert!(records(b"[1, 2", "cut.json", "records").is_err());
    }
}
