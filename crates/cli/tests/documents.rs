//! End-to-end tests of the official documents on the command line: the demo writes DOCX
//! and PDF, `report --format docx|pdf|xlsx`, `template` and importing a workbook.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use tempfile::TempDir;

fn tiendo(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tiendo")).current_dir(dir).arg("--database").arg(dir.join("t.db")).args(args).output().expect("tiendo runs")
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = tiendo(dir, args);
    assert!(out.status.success(), "tiendo {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).to_string()
}

#[test]
fn demo_report_and_template_write_official_files() {
    let tmp = TempDir::new().expect("tempdir");
    let dir = tmp.path();
    let listing = ok(dir, &["demo", "--no-serve", "--reports", "reports"]);
    for stem in ["kh2024-2024-05", "cdsqg-2024-05", "cl942-2023", "tb2024-2024-H2"] {
        assert!(listing.contains(&format!("{stem}.docx")) && listing.contains(&format!("{stem}.pdf")), "{listing}");
        assert!(fs::read(dir.join(format!("reports/{stem}.docx"))).expect("docx").starts_with(b"PK"));
        assert!(fs::read(dir.join(format!("reports/{stem}.pdf"))).expect("pdf").starts_with(b"%PDF-"));
    }

    let out = tiendo(dir, &["report", "--programme", "kh2024", "--period", "2024-05", "--format", "docx"]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("--output"), "binary formats need a file");

    let args = ["report", "--programme", "cdsqg", "--period", "2024-05", "--number", "15", "--signer-name", "Nguyễn Văn A", "--to", "Thủ tướng Chính phủ"];
    for format in ["docx", "pdf", "xlsx"] {
        let file = format!("r.{format}");
        ok(dir, &[&args[..], &["--format", format, "-o", &file]].concat());
        assert!(fs::metadata(dir.join(&file)).expect("written").len() > 1000);
    }

    ok(dir, &["template", "--agency", "tay-ninh", "--period", "2024-06", "--programme", "cdsqg", "-o", "tn.xlsx"]);
    let imported = ok(dir, &["import", "tn.xlsx"]);
    assert!(imported.contains("thêm 0 và cập nhật 0"), "an unfilled template changes nothing: {imported}");
    let out = tiendo(dir, &["template", "--agency", "nope", "--period", "2024-06", "-o", "x.xlsx"]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("nope"));
}
