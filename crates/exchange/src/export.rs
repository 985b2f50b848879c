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
    fs::write(
        dir.join(MANIFEST),
        format!(
            "{}\n",
            serde_json::to_string_pretty(&manifest).map_err(io::Error::other)?
        ),
    )?;
    written.push(MANIFEST.to_string());
    Ok(written)
}

/// A CSV document with a header row and the given rows.
pub fn csv_text<'a>(
    header: impl Iterator<Item = &'static str>,
    rows: impl Iterator<Item = &'a Row>,
) -> io::Result<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    writer.write_record(header).map_err(io::Error::other)?;
    for row in rows {
        writer
            .write_record(
                row.iter()
                    .map(|c| escape_cell(c.as_deref().unwrap_or("")).into_owned()),
            )
            .map_err(io::Error::other)?;
    }
    writer
        .into_inner()
        .map_err(|e| io::Error::other(e.to_string()))
}

/// Characters that make a spreadsheet read a cell as a formula ("=HYPERLINK(…)",
/// "+1+cmd|…", "@SUM(…)"), and the apostrophe that marks an escaped cell.
const FORMULA_STARTS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\''];

/// A cell as written to CSV: one that a spreadsheet would take for a formula gets a
/// leading apostrophe (Excel shows it as text); numbers ("-5", "-0,5") stay as they are.
/// [`unescape_cell`] removes it again on import, so export and import round-trip.
pub fn escape_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    let is_number = cell.replace(',', ".").parse::<f64>().is_ok();
    match cell.chars().next() {
        Some(c) if FORMULA_STARTS.contains(&c) && !is_number => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// A cell as read from CSV: the apostrophe [`escape_cell`] added is removed.
pub fn unescape_cell(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest)
            if rest.starts_with(FORMULA_STARTS)
                && rest.replace(',', ".").parse::<f64>().is_err() =>
        {
            rest
        }
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_a_spreadsheet_would_run_are_escaped_and_read_back() {
        for (cell, written) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("-x", "'-x"),
            ("'=a", "''=a"),
            ("-5", "-5"),
            ("-0,5", "-0,5"),
            ("Bộ Công an", "Bộ Công an"),
            ("'a", "''a"),
        ] {
            assert_eq!(escape_cell(cell), written, "{cell}");
            assert_eq!(unescape_cell(written), cell, "{written}");
        }
    }
}
