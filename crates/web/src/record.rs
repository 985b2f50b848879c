//! A stored row as JSON, for conflicts, staged entries and the reviewer's view.

use tiendo_exchange::records::{Entity, Row};

/// A stored row as a JSON object of column → value; secret columns (password and token
/// hashes) are left out.
pub fn row_object(entity: &Entity, row: &Row) -> serde_json::Value {
    serde_json::Value::Object(
        entity
            .column_names()
            .zip(row)
            .filter(|(c, _)| !tiendo_store::workflow::SECRET_COLUMNS.contains(c))
            .map(|(c, v)| {
                (
                    c.to_string(),
                    v.clone()
                        .map_or(serde_json::Value::Null, serde_json::Value::String),
                )
            })
            .collect(),
    )
}
