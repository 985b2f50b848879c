//! End-to-end tests of the official documents on the command line: the demo writes DOCX
//! and PDF, `report --format docx|pdf|xlsx`, `template`, and a filled workbook sent for
//! review by `import`.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use tempfile::TempDir;

#[path = "../../document/tests/common/mod.rs"]
mod common;

fn tiendo(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .current_dir(dir)
        .arg("--database")
        .arg(dir.join("t.db"))
        .args(args)
        .output()
        .expect("tiendo runs")
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = tiendo(dir, args);
    assert!(
        out.status.success(),
        "tiendo {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// One part of a DOCX package as text.
fn docx_part(path: &Path, name: &str) -> String {
    let mut archive = zip::ZipArchive::new(fs::File::open(path).expect("docx")).expect("zip");
    let mut text = String::new();
    std::io::Read::read_to_string(&mut archive.by_name(name).expect("part"), &mut text)
        .expect("utf-8");
    text
}

/// The text of each paragraph of a DOCX body, runs joined.
fn docx_paragraphs(xml: &str) -> Vec<String> {
    xml.split("</w:p>")
        .map(|p| {
            p.split("<w:t")
                .skip(1)
                .filter_map(|t| {
                    t.split_once('>')
                        .filter(|(attrs, _)| attrs.is_empty() || attrs.starts_with(' '))
                        .map(|(_, rest)| rest.split("</w:t>").next().unwrap_or_default())
                })
                .collect::<String>()
        })
        .filter(|p| !p.is_empty())
        .collect()
}

fn pdf_text(path: &Path) -> Option<String> {
    let out = Command::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .arg(path)
        .arg("-")
        .output()
        .ok()?;
    Some(
        String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// `tiendo demo` writes reports a văn thư can sign: recipients, signer and name, the
/// opening naming the legal basis, the closing addressed to the Prime Minister, Word
/// headings and footnotes; the same in the PDF's text.
#[test]
fn the_demo_documents_can_be_signed_and_sent() {
    let tmp = TempDir::new().expect("tempdir");
    let dir = tmp.path();
    ok(dir, &["demo", "--no-serve", "--reports", "reports"]);
    let docx = dir.join("reports/cdsqg-2024-05.docx");
    let body = docx_paragraphs(&docx_part(&docx, "word/document.xml"));
    for line in [
        "Kính gửi: Thủ tướng Chính phủ.",
        "- Thủ tướng Chính phủ (để b/c);",
        "- Lưu: VT, CĐSQG (CSS).",
        "KT. BỘ TRƯỞNG",
        "THỨ TRƯỞNG",
        "Phạm Đức Long",
    ] {
        assert!(
            body.iter().any(|p| p == line),
            "the DOCX lacks the line {line:?}"
        );
    }
    assert!(
        !body.iter().any(|p| p == "- Như trên;"),
        "the Prime Minister is named once in \"Nơi nhận\""
    );
    let opening = body
        .iter()
        .find(|p| p.starts_with("Thực hiện Quyết định số 749/QĐ-TTg"))
        .expect("an opening naming the legal basis");
    assert!(
        opening.ends_with(
            "Bộ Thông tin và Truyền thông báo cáo kết quả thực hiện tháng 5/2024 như sau:"
        ),
        "{opening}"
    );
    let closing = body
        .iter()
        .position(|p| {
            p.ends_with("Bộ Thông tin và Truyền thông kính báo cáo Thủ tướng Chính phủ./.")
        })
        .expect("the closing formula");
    assert!(
        body[closing].starts_with("Trên đây là báo cáo tình hình thực hiện"),
        "{}",
        body[closing]
    );
    assert!(
        body.iter()
            .position(|p| p == "Nơi nhận:")
            .expect("recipients")
            > closing,
        "the closing ends the body"
    );
    assert_eq!(
        body.iter().filter(|p| p.contains("./.")).count(),
        1,
        "one closing mark"
    );
    let xml = docx_part(&docx, "word/document.xml");
    assert!(
        xml.contains(r#"<w:pStyle w:val="Heading1" />"#)
            && xml.contains(r#"<w:pStyle w:val="Heading2" />"#),
        "Word headings"
    );
    let notes = docx_part(&docx, "word/footnotes.xml");
    assert!(
        notes.matches("<w:footnoteRef />").count() >= 3,
        "lists of agencies in footnotes"
    );
    assert!(
        docx_part(&docx, "docProps/core.xml")
            .contains("<dc:creator>Bộ Thông tin và Truyền thông</dc:creator>")
    );

    let Some(pdf) = pdf_text(&dir.join("reports/cdsqg-2024-05.pdf")) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "pdftotext is needed under CI"
        );
        return;
    };
    for needle in [
        "Kính gửi: Thủ tướng Chính phủ",
        "Thực hiện Quyết định số 749/QĐ-TTg",
        "kính báo cáo Thủ tướng Chính phủ./.",
        "Nơi nhận:",
        "- Lưu: VT, CĐSQG (CSS).",
        "KT. BỘ TRƯỞNG",
        "Phạm Đức Long",
    ] {
        assert!(pdf.contains(needle), "the PDF lacks {needle:?}");
    }
}

/// `tiendo settings` keeps a programme's settings for every later document; a number or
/// date is refused there (they belong to one edition).
#[test]
fn programme_settings_are_kept_and_used() {
    let tmp = TempDir::new().expect("tempdir");
    let dir = tmp.path();
    ok(dir, &["demo", "--no-serve", "--reports", "reports"]);
    let shown = ok(dir, &["settings", "--programme", "cl942"]);
    assert!(shown.contains("Người ký: Nguyễn Huy Dũng"), "{shown}");
    ok(
        dir,
        &[
            "settings",
            "--programme",
            "cl942",
            "--signer-name",
            "Lê Văn B",
            "--recipient",
            "Văn phòng Chính phủ",
        ],
    );
    ok(
        dir,
        &[
            "report",
            "--programme",
            "cl942",
            "--period",
            "2023",
            "--format",
            "docx",
            "-o",
            "cl942.docx",
        ],
    );
    let body = docx_paragraphs(&docx_part(&dir.join("cl942.docx"), "word/document.xml"));
    assert!(
        body.iter().any(|p| p == "Lê Văn B") && body.iter().any(|p| p == "- Văn phòng Chính phủ;"),
        "the stored settings are used"
    );
    assert!(
        body.iter().any(|p| p == "KT. BỘ TRƯỞNG"),
        "the fields not given are kept"
    );
    let out = tiendo(dir, &["settings", "--programme", "cl942", "--number", "5"]);
    assert!(
        !out.status.success() && String::from_utf8_lossy(&out.stderr).contains("ban hành"),
        "a number belongs to an edition"
    );
}

#[test]
fn demo_report_and_template_write_official_files() {
    let tmp = TempDir::new().expect("tempdir");
    let dir = tmp.path();
    let listing = ok(dir, &["demo", "--no-serve", "--reports", "reports"]);
    for stem in [
        "kh2024-2024-05",
        "cdsqg-2024-05",
        "cl942-2023",
        "tb2024-2024-H2",
    ] {
        assert!(
            listing.contains(&format!("{stem}.docx")) && listing.contains(&format!("{stem}.pdf")),
            "{listing}"
        );
        assert!(
            fs::read(dir.join(format!("reports/{stem}.docx")))
                .expect("docx")
                .starts_with(b"PK")
        );
        assert!(
            fs::read(dir.join(format!("reports/{stem}.pdf")))
                .expect("pdf")
                .starts_with(b"%PDF-")
        );
    }

    let out = tiendo(
        dir,
        &[
            "report",
            "--programme",
            "kh2024",
            "--period",
            "2024-05",
            "--format",
            "docx",
        ],
    );
    assert!(
        !out.status.success() && String::from_utf8_lossy(&out.stderr).contains("--output"),
        "binary formats need a file"
    );

    let args = [
        "report",
        "--programme",
        "cdsqg",
        "--period",
        "2024-05",
        "--number",
        "15",
        "--signer-name",
        "Nguyễn Văn A",
        "--to",
        "Thủ tướng Chính phủ",
    ];
    for format in ["docx", "pdf", "xlsx"] {
        let file = format!("r.{format}");
        ok(
            dir,
            &[&args[..], &["--format", format, "-o", &file]].concat(),
        );
        assert!(fs::metadata(dir.join(&file)).expect("written").len() > 1000);
    }

    ok(
        dir,
        &[
            "template",
            "--agency",
            "tay-ninh",
            "--period",
            "2024-06",
            "--programme",
            "cdsqg",
            "-o",
            "tn.xlsx",
        ],
    );
    let unfilled = tiendo(dir, &["import", "tn.xlsx"]);
    assert!(
        !unfilled.status.success()
            && String::from_utf8_lossy(&unfilled.stderr).contains(
                "Không nhập được tn.xlsx: biểu mẫu chưa điền mục nào; không có gì để gửi."
            ),
        "an unfilled template sends nothing: {}",
        String::from_utf8_lossy(&unfilled.stderr)
    );
    // Filled, it goes into Tây Ninh's submission for review, as from the entry page.
    let bytes = fs::read(dir.join("tn.xlsx")).expect("template");
    let share = common::row_of(&bytes, "Chỉ tiêu", "cdsqg-hscv-dien-tu");
    let filled = common::edit(
        &bytes,
        &[("Chỉ tiêu", format!("F{share}"), common::Value::Number(85.5))],
    );
    fs::write(dir.join("tn-filled.xlsx"), filled).expect("written");
    let sent = ok(dir, &["import", "tn-filled.xlsx"]);
    assert!(
        sent.contains("tn-filled.xlsx: đã gửi 01 mục của ")
            && sent.contains("tháng 6/2024, để cơ quan tổng hợp duyệt."),
        "{sent}"
    );
    let again = tiendo(dir, &["import", "tn-filled.xlsx"]);
    assert!(
        String::from_utf8_lossy(&again.stderr)
            .contains("Báo cáo đã gửi hoặc đã được chấp nhận; không sửa được nữa."),
        "a sent submission waits for the secretariat: {}",
        String::from_utf8_lossy(&again.stderr)
    );
    let mixed = tiendo(dir, &["import", "tn-filled.xlsx", "x.csv"]);
    assert!(
        String::from_utf8_lossy(&mixed.stderr).contains("biểu mẫu Excel (.xlsx) được nhập riêng"),
        "{}",
        String::from_utf8_lossy(&mixed.stderr)
    );
    let out = tiendo(
        dir,
        &[
            "template", "--agency", "nope", "--period", "2024-06", "-o", "x.xlsx",
        ],
    );
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("nope"));
}
