//! Writing a dataset in the exchange format.

use std::fs;
use std::io;
use std::path::Path;

use tiendo_core::model::Dataset;

use crate::records::{ENTITIES, Row, to_rows};
use crate::{FORMAT_NAME, FORMAT_VERSION, MANIFEST};

/// Write every entity's CSV file and the manifest into `dir` (created if needed).
/// Rows are sorted by key and columns are in the documented order.
pub fn export(data: &Dataset, dir: &Path) -> io::Result<Vec<String>> {
    fs::create_dir_all(dir)?;
    let rows = to_rows(data);
    let mut written = Vec::new();
    for entity in ENTITIES {
        let file = format!("{}.csv", entity.name);
        let body = csv_text(entity.column_names(), rows[entity.name].values())?;
        fs::write(dir.join(&file), body)?;
        written.push(file);
    }
    let manifest = serde_json::json!({ "format": FORMAT_NAME, "version": FORMAT_VERSION });
    fs::write(dir.join(MANIFEST), format!("{}\n", serde_json::to_string_pretty(&manifest).map_err(io::Error::other)?))?;
    written.push(MANIFEST.to_string());
    Ok(written)
}

/// A CSV document with a header row and the given rows.
pub fn csv_text<'a>(header: impl Iterator<Item = &'static str>, rows: impl Iterator<Item = &'a Row>) -> io::Result<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    writer.write_record(header).map_err(io::Error::other)?;
    for row in rows {
        writer.write_record(row.iter().map(|c| c.as_deref().unwrap_or(""))).map_err(io::Error::other)?;
    }
    writer.into_inner().map_err(|e| io::Error::other(e.to_string()))
}
