//! `tiendo report --structure-date` and agencies imported by code, on the real binary.

use std::path::Path;
use std::process::{Command, Output};

use tempfile::TempDir;

fn tiendo(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .current_dir(dir)
        .env_remove("TIENDO_DATABASE")
        .arg("--database")
        .arg(dir.join("t.db"))
        .args(args)
        .output()
        .expect("tiendo runs")
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn the_same_report_in_the_structure_of_2024_and_of_2025() {
    let tmp = TempDir::new().unwrap();
    let reports = tmp.path().join("reports");
    let demo = stdout(&tiendo(
        tmp.path(),
        &["demo", "--no-serve", "--reports", reports.to_str().unwrap()],
    ));
    assert!(
        demo.contains("mh2025-2025-H2.md") && demo.contains("cdsqg-2024-05-co-cau-2025-07-01.md"),
        "{demo}"
    );
    let as_of_2024 = stdout(&tiendo(
        tmp.path(),
        &["report", "--programme", "cdsqg", "--period", "2024-05"],
    ));
    assert!(as_of_2024.contains("22/22 bộ, cơ quan ngang bộ và 63/63 địa phương"));
    let as_of_2025 = stdout(&tiendo(
        tmp.path(),
        &[
            "report",
            "--programme",
            "cdsqg",
            "--period",
            "2024-05",
            "--structure-date",
            "2025-07-01",
        ],
    ));
    assert!(as_of_2025.contains("17/17 bộ, cơ quan ngang bộ và 34/34 địa phương"));
    assert!(as_of_2025.contains("Cơ cấu tổ chức theo ngày 01/7/2025"));
    let h2 = std::fs::read_to_string(reports.join("mh2025-2025-H2.md")).unwrap();
    assert!(h2.contains("/17 bộ, cơ quan ngang bộ và ") && h2.contains("/34 địa phương"));
}

#[test]
fn an_agency_code_that_names_nothing_on_the_records_date_fails_the_import() {
    let tmp = TempDir::new().unwrap();
    stdout(&tiendo(
        tmp.path(),
        &[
            "demo",
            "--no-serve",
            "--reports",
            tmp.path().join("reports").to_str().unwrap(),
        ],
    ));
    let file = tmp.path().join("checklist_items.csv");
    std::fs::write(
        &file,
        "requirement_id,agency_id,reported_on,done,done_on,evidence,provenance\n\
         mh2025-yc-kh-cds-2025,code:15,2025-11-30,true,,,test\n\
         mh2025-yc-kh-cds-2025,code:10,2025-11-30,true,,,test\n",
    )
    .unwrap();
    let out = tiendo(tmp.path(), &["import", file.to_str().unwrap(), "--dry-run"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("checklist_items.csv, dòng 3, cột agency_id: không có cơ quan mang mã \"10\" có hiệu lực ngày 2025-11-30"), "{stderr}");
    assert!(
        !stderr.contains("dòng 2"),
        "code 15 on 30/11/2025 is the new Lào Cai: {stderr}"
    );
}
