//! Helpers shared by the document tests (and the application's template tests): the demo
//! data, reading DOCX/XLSX parts, filling an Excel template's cells as a spreadsheet
//! program would, and the external tools (LibreOffice, poppler) the checks use.

#![allow(dead_code)]

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Reader, Xlsx, open_workbook_from_rs};
use chrono::NaiveDate;
use tiendo_core::model::Dataset;
use tiendo_document::ReportSettings;
use tiendo_document::template::{TemplateRequest, template};
use tiendo_exchange::import::{plan, read_sources};
use tiendo_report::{Document, ReportRequest, progress_report};

pub fn demo() -> Dataset {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/demo");
    let dirs: Vec<PathBuf> = ["reference", "kh2024", "cl942", "tb2024"]
        .iter()
        .map(|d| root.join(d))
        .collect();
    let sources = read_sources(&dirs).expect("demo files readable");
    plan(&sources, &Dataset::default())
        .expect("demo data valid")
        .result
}

pub fn report(data: &Dataset, programme: &str, period: &str) -> Document {
    let request = ReportRequest {
        programme_id: programme.to_string(),
        period: Some(period.parse().expect("period")),
        as_of: None,
        known_on: Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("date")),
        structure_date: None,
    };
    progress_report(data, &request).expect("report")
}

pub fn settings(data: &Dataset, doc: &Document) -> ReportSettings {
    ReportSettings::defaults(data, doc.letterhead.as_ref().expect("letterhead"))
}

/// The settings a secretariat keeps for the national programme (as the demo's
/// `report_settings.csv`): addressed to the Prime Minister, signed by a deputy minister.
pub fn signed_settings(data: &Dataset, doc: &Document) -> ReportSettings {
    settings(data, doc).with(tiendo_document::SettingsOverrides {
        addressees: vec!["Thủ tướng Chính phủ".into()],
        signer_authority: Some("KT. BỘ TRƯỞNG".into()),
        signer_title: Some("THỨ TRƯỞNG".into()),
        signer_name: Some("Phạm Đức Long".into()),
        recipients: vec![
            "Thủ tướng Chính phủ (để b/c)".into(),
            "Văn phòng Chính phủ".into(),
            "Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ".into(),
        ],
        archive_unit: Some("CĐSQG (CSS)".into()),
        ..tiendo_document::SettingsOverrides::default()
    })
}

/// One part of a zip package as text.
pub fn part(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut file = archive
        .by_name(name)
        .unwrap_or_else(|_| panic!("no part {name}"));
    let mut text = String::new();
    file.read_to_string(&mut text).expect("utf-8 part");
    text
}

/// A copy of a zip package with some parts replaced.
pub fn replace_parts(bytes: &[u8], replace: &[(&str, String)]) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).expect("entry");
        let name = file.name().expect("entry name").to_string();
        let mut data = Vec::new();
        file.read_to_end(&mut data).expect("read entry");
        if let Some((_, text)) = replace.iter().find(|(n, _)| *n == name) {
            data = text.clone().into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("start");
        out.write_all(&data).expect("write");
    }
    out.finish().expect("finish").into_inner()
}

/// Unescape the five XML entities.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The text of each paragraph of a WordprocessingML part, one line per paragraph.
pub fn paragraphs(xml: &str) -> Vec<String> {
    xml.split("</w:p>")
        .map(|p| {
            let mut text = String::new();
            let mut rest = p;
            while let Some(start) = rest.find("<w:t") {
                let after = &rest[start..];
                let Some(open_end) = after.find('>') else {
                    break;
                };
                let tag = &after[..open_end];
                if !(tag == "<w:t" || tag.starts_with("<w:t ")) || tag.ends_with('/') {
                    rest = &after[open_end + 1..];
                    continue;
                }
                let body = &after[open_end + 1..];
                let close = body.find("</w:t>").unwrap_or(body.len());
                text.push_str(&unescape(&body[..close]));
                rest = &body[close..];
            }
            text
        })
        .filter(|t| !t.trim().is_empty())
        .collect()
}

/// Whether an external tool runs. Missing tools fail loudly under CI (`CI=true`, where
/// `.ci/run` installs them) and skip the check elsewhere.
pub fn tool(name: &str) -> bool {
    let found = Command::new(name)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success() || !o.stdout.is_empty() || !o.stderr.is_empty());
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{name} is missing: .ci/run installs it (apt-get install libreoffice-writer-nogui poppler-utils)"
        );
        eprintln!("skipped: {name} is not installed");
    }
    found
}

/// The text of a PDF (pdftotext), whitespace collapsed to single spaces.
pub fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(
        out.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Convert a document with LibreOffice (headless) into `dir`; the path of the result.
pub fn libreoffice_convert(input: &Path, to: &str, dir: &Path) -> PathBuf {
    let profile = dir.join("lo-profile");
    let out = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--norestore", "--convert-to", to, "--outdir"])
        .arg(dir)
        .arg(input)
        .output()
        .expect("soffice runs");
    let stem = input
        .file_stem()
        .expect("stem")
        .to_string_lossy()
        .to_string();
    let ext = to.split(':').next().expect("extension");
    let result = dir.join(format!("{stem}.{ext}"));
    assert!(
        result.exists(),
        "LibreOffice did not convert {}: {}{}",
        input.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    result
}

/// The sheets in workbook order.
pub const SHEETS: [&str; 4] = ["Hướng dẫn", "Nhiệm vụ", "Chỉ tiêu", "Yêu cầu"];

pub fn sheet_part(sheet: &str) -> String {
    format!(
        "xl/worksheets/sheet{}.xml",
        SHEETS.iter().position(|s| *s == sheet).expect("sheet") + 1
    )
}

/// The Excel row number (1-based) of the record whose key is in column A.
pub fn row_of(bytes: &[u8], sheet: &str, key: &str) -> u32 {
    let mut book: Xlsx<_> =
        open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("open");
    let range = book.worksheet_range(sheet).expect("sheet");
    let (row, _, _) = range
        .cells()
        .find(|(_, c, v)| *c == 0 && *v == key)
        .unwrap_or_else(|| panic!("{key} not in {sheet}"));
    row as u32 + range.start().expect("start").0 + 1
}

pub enum Value<'a> {
    Text(&'a str),
    Number(f64),
    Date(NaiveDate),
}

/// Put a value in a cell of a sheet's XML, keeping the cell's style.
pub fn fill(xml: &str, cell: &str, value: Value) -> String {
    let start = xml
        .find(&format!("<c r=\"{cell}\""))
        .unwrap_or_else(|| panic!("no cell {cell}"));
    let open_end = start + xml[start..].find('>').expect("tag end");
    let end = if xml[..open_end].ends_with('/') {
        open_end + 1
    } else {
        start + xml[start..].find("</c>").expect("cell end") + 4
    };
    let style = xml[start..open_end]
        .split(' ')
        .find(|a| a.starts_with("s="))
        .map(|s| format!(" {}", s.trim_end_matches('/')))
        .unwrap_or_default();
    let new = match value {
        Value::Text(t) => format!("<c r=\"{cell}\"{style} t=\"inlineStr\"><is><t>{t}</t></is></c>"),
        Value::Number(n) => format!("<c r=\"{cell}\"{style}><v>{n}</v></c>"),
        Value::Date(d) => format!(
            "<c r=\"{cell}\"{style}><v>{}</v></c>",
            (d - NaiveDate::from_ymd_opt(1899, 12, 30).expect("epoch")).num_days()
        ),
    };
    format!("{}{new}{}", &xml[..start], &xml[end..])
}

pub fn edit(bytes: &[u8], edits: &[(&str, String, Value)]) -> Vec<u8> {
    let mut parts: Vec<(&str, String)> = Vec::new();
    for (sheet, cell, value) in edits {
        let name: &str = [
            "xl/worksheets/sheet1.xml",
            "xl/worksheets/sheet2.xml",
            "xl/worksheets/sheet3.xml",
            "xl/worksheets/sheet4.xml",
        ][SHEETS.iter().position(|s| s == sheet).expect("sheet")];
        let xml = match parts.iter().position(|(n, _)| *n == name) {
            Some(i) => parts.remove(i).1,
            None => part(bytes, &sheet_part(sheet)),
        };
        let value = match value {
            Value::Text(t) => Value::Text(t),
            Value::Number(n) => Value::Number(*n),
            Value::Date(d) => Value::Date(*d),
        };
        parts.push((name, fill(&xml, cell, value)));
    }
    replace_parts(bytes, &parts)
}

pub fn province_template() -> (tiendo_core::model::Dataset, Vec<u8>) {
    let data = demo();
    let request = TemplateRequest {
        agency_id: "tay-ninh".into(),
        period: "2024-06".parse().expect("period"),
        programme_id: Some("cdsqg".into()),
    };
    let bytes = template(&data, &request).expect("template");
    (data, bytes)
}
