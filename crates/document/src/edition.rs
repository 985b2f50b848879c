//! The files of an issued edition: the report in every format, each with its SHA-256.

use sha2::{Digest, Sha256};
use tiendo_report::Document;

use crate::{DocumentError, ReportSettings};

/// The formats every edition is issued in, in the order they are listed.
pub const FORMATS: [&str; 5] = ["md", "html", "docx", "pdf", "xlsx"];

/// The report in every format of [`FORMATS`].
pub fn render_all(
    doc: &Document,
    settings: &ReportSettings,
) -> Result<Vec<(&'static str, Vec<u8>)>, DocumentError> {
    Ok(vec![
        ("md", tiendo_report::to_markdown(doc).into_bytes()),
        ("html", tiendo_report::to_html(doc).into_bytes()),
        ("docx", crate::docx::render(doc, settings)?),
        ("pdf", crate::pdf::render(doc, settings)?),
        ("xlsx", crate::xlsx::render(doc)?),
    ])
}

/// The SHA-256 of a file, in lowercase hexadecimal.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The media type of a format.
pub fn content_type(format: &str) -> &'static str {
    match format {
        "md" => "text/markdown; charset=utf-8",
        "html" => "text/html; charset=utf-8",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pdf" => "application/pdf",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sha256_of_a_known_text() {
        assert_eq!(
            super::sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
