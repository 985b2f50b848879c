//! A filled Excel template goes into its agency's submission like entries typed on the
//! form (the same checks, all or nothing, every refusal naming the file, the sheet and the
//! row), and reaches the report only when the secretariat accepts it. On SQLite, with the
//! demo data.

#[path = "../../document/tests/common/mod.rs"]
mod common;

use chrono::NaiveDate;
use common::*;
use tiendo_app::accounts::{Account, Caller};
use tiendo_app::entry::{self, StagedTemplate};
use tiendo_app::error::ErrorKind;
use tiendo_app::records::Records;
use tiendo_core::access::{Credential, Role};
use tiendo_core::period::Period;
use tiendo_document::template::{TemplateRequest, template};
use tiendo_exchange::import::{plan, read_sources};
use tiendo_report::to_markdown;
use tiendo_store::{Database, Store};

fn caller(id: &str, role: Role, agency_id: Option<&str>) -> Caller {
    Caller::new(
        Account {
            id: id.into(),
            display_name: id.into(),
            role,
            agency_id: agency_id.map(Into::into),
            programme_id: None,
            password_hash: String::new(),
            active: true,
        },
        Credential::Session,
    )
}

fn june() -> Period {
    "2024-06".parse().expect("period")
}

/// The demo records in a new SQLite database, June 2024 open for entry in `programmes`.
async fn demo_records(dir: &tempfile::TempDir, programmes: &[&str]) -> Records {
    let store = Database::open(dir.path().join("t.db").to_str().expect("path"))
        .await
        .expect("database");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/demo");
    let dirs: Vec<_> = ["reference", "kh2024", "cl942", "tb2024"]
        .iter()
        .map(|d| root.join(d))
        .collect();
    let sources = read_sources(&dirs).expect("demo files");
    let demo = plan(&sources, &Default::default()).expect("demo plan");
    store
        .apply(&demo.changes, "kiểm thử", "dữ liệu mẫu")
        .await
        .expect("demo stored");
    let records = Records::new(store, std::time::Duration::ZERO);
    let secretariat = caller("thuky", Role::Secretariat, None);
    for programme in programmes {
        entry::set_period(&records, &secretariat, programme, june(), false, "")
            .await
            .expect("period opened");
    }
    records
}

async fn report_after_acceptance(records: &Records, agency: &str, programme: &str) -> String {
    let reporter = caller(&format!("{agency}-bc"), Role::Reporter, Some(agency));
    entry::submit(records, &reporter, agency, programme, june())
        .await
        .expect("sent");
    let secretariat = caller("thuky", Role::Secretariat, None);
    entry::review(records, &secretariat, agency, programme, june(), true, "")
        .await
        .expect("accepted");
    let data = records.data().await.expect("records");
    to_markdown(&report(&data, programme, "2024-06"))
}

#[tokio::test]
async fn a_filled_province_template_is_reviewed_before_it_reaches_the_report() {
    let dir = tempfile::tempdir().expect("dir");
    let records = demo_records(&dir, &["cdsqg"]).await;
    let (data, bytes) = province_template();
    let before = to_markdown(&report(&data, "cdsqg", "2024-06"));
    assert!(before.contains("60/63 địa phương"), "{before}");
    let requirement = row_of(&bytes, "Yêu cầu", "cdsqg-yc-mien-giam-phi-dvctt");
    let indicator = row_of(&bytes, "Chỉ tiêu", "cdsqg-hscv-dien-tu");
    let filled = edit(
        &bytes,
        &[
            (
                "Yêu cầu",
                format!("E{requirement}"),
                Value::Text("Đã thực hiện"),
            ),
            (
                "Yêu cầu",
                format!("F{requirement}"),
                Value::Date(NaiveDate::from_ymd_opt(2024, 6, 10).expect("date")),
            ),
            ("Chỉ tiêu", format!("F{indicator}"), Value::Number(85.5)),
            ("Chỉ tiêu", format!("G{indicator}"), Value::Number(171.0)),
            ("Chỉ tiêu", format!("H{indicator}"), Value::Number(200.0)),
            (
                "Chỉ tiêu",
                format!("I{indicator}"),
                Value::Text("Sở TT&amp;TT tổng hợp"),
            ),
        ],
    );
    let reporter = caller("tay-ninh-bc", Role::Reporter, Some("tay-ninh"));
    let other = caller("yen-bai-bc", Role::Reporter, Some("yen-bai"));
    let refused = entry::stage_template(&records, &other, "tn.xlsx", &filled, None)
        .await
        .expect_err("another agency's reporter may not send Tây Ninh's template");
    assert_eq!(refused.kind, ErrorKind::Forbidden, "{refused:?}");

    let staged = entry::stage_template(&records, &reporter, "tn.xlsx", &filled, None)
        .await
        .expect("staged");
    assert_eq!(
        staged,
        StagedTemplate {
            agency_id: "tay-ninh".into(),
            programme_id: "cdsqg".into(),
            period: june(),
            staged: 2,
        }
    );
    let staged_only = to_markdown(&report(
        &records.data().await.expect("records"),
        "cdsqg",
        "2024-06",
    ));
    assert!(
        staged_only.contains("60/63 địa phương"),
        "a staged template changes no figure"
    );
    let again = entry::stage_template(&records, &reporter, "tn.xlsx", &filled, None)
        .await
        .expect("the same file again replaces the province's own entries");
    assert_eq!(again.staged, 2);

    let after = report_after_acceptance(&records, "tay-ninh", "cdsqg").await;
    assert!(
        after.contains("61/63 địa phương"),
        "the province counts as done: {after}"
    );
    assert!(
        after.contains("02 cơ quan chưa thực hiện: Kiên Giang, Cần Thơ."),
        "and leaves the footnote: {after}"
    );
    assert!(
        after.contains("85,5%"),
        "the share reported by the province is in the report: {after}"
    );
}

#[tokio::test]
async fn a_ministry_reports_its_tasks_through_the_template() {
    let dir = tempfile::tempdir().expect("dir");
    let records = demo_records(&dir, &["kh2024"]).await;
    let data = records.data().await.expect("records");
    let request = TemplateRequest {
        agency_id: "BTTTT".into(),
        period: june(),
        programme_id: Some("kh2024".into()),
    };
    let bytes = template(&data, &request).expect("template");
    let first = first_task(&bytes);
    let row = row_of(&bytes, "Nhiệm vụ", &first);
    let filled = edit(
        &bytes,
        &[
            ("Nhiệm vụ", format!("F{row}"), Value::Text("Hoàn thành")),
            (
                "Nhiệm vụ",
                format!("G{row}"),
                Value::Date(NaiveDate::from_ymd_opt(2024, 6, 12).expect("date")),
            ),
            (
                "Nhiệm vụ",
                format!("H{row}"),
                Value::Text("Đã trình Chính phủ"),
            ),
        ],
    );
    let reporter = caller("BTTTT-bc", Role::Reporter, Some("BTTTT"));
    entry::stage_template(&records, &reporter, "bttt.xlsx", &filled, None)
        .await
        .expect("staged");
    let after = report_after_acceptance(&records, "BTTTT", "kh2024").await;
    assert!(
        after.contains("Đã trình Chính phủ"),
        "the result is in the task appendix"
    );
}

fn first_task(bytes: &[u8]) -> String {
    use calamine::{Reader, Xlsx, open_workbook_from_rs};
    let mut book: Xlsx<_> =
        open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("open");
    let first = book
        .worksheet_range("Nhiệm vụ")
        .expect("sheet")
        .get_value((4, 0))
        .map(|v| v.to_string())
        .expect("a task row");
    assert!(first.starts_with("kh2024-t"), "{first}");
    first
}

/// The checks of the form refuse a template's rows with the sheet and row: a code the
/// template does not ask for, a national figure typed into a province's template, a
/// percentage out of range. Nothing is staged.
#[tokio::test]
async fn a_templates_rows_are_refused_as_the_form_refuses_them() {
    let dir = tempfile::tempdir().expect("dir");
    let records = demo_records(&dir, &["cdsqg"]).await;
    let (_, bytes) = province_template();
    let indicator = row_of(&bytes, "Chỉ tiêu", "cdsqg-hscv-dien-tu");
    let reporter = caller("tay-ninh-bc", Role::Reporter, Some("tay-ninh"));
    let cases = [
        (
            vec![
                ("Chỉ tiêu", format!("A{indicator}"), Value::Text("khong-co")),
                ("Chỉ tiêu", format!("F{indicator}"), Value::Number(3.0)),
            ],
            "Không tìm thấy chỉ tiêu",
        ),
        (
            vec![
                (
                    "Chỉ tiêu",
                    format!("A{indicator}"),
                    Value::Text("cdsqg-hgd-cap-quang"),
                ),
                ("Chỉ tiêu", format!("F{indicator}"), Value::Number(50.0)),
            ],
            "số liệu toàn quốc",
        ),
        (
            vec![("Chỉ tiêu", format!("F{indicator}"), Value::Number(-5.0))],
            "tỷ lệ phần trăm phải từ 0 đến 100",
        ),
        (
            vec![("Chỉ tiêu", format!("F{indicator}"), Value::Text("100,5"))],
            "tỷ lệ phần trăm phải từ 0 đến 100",
        ),
    ];
    for (edits, reason) in cases {
        let filled = edit(&bytes, &edits);
        let e = entry::stage_template(&records, &reporter, "tn.xlsx", &filled, None)
            .await
            .expect_err(reason);
        let message = &e.body.message_vi;
        assert!(
            message.starts_with("Biểu mẫu chưa được nhập; không dòng nào được ghi.")
                && message.contains(&format!("tn.xlsx, trang “Chỉ tiêu”, dòng {indicator}: "))
                && message.contains(reason),
            "{reason}: {message}"
        );
    }
    let view = entry::submission(
        &records.store,
        "tay-ninh",
        "cdsqg",
        june(),
        tiendo_core::lang::Lang::Vi,
    )
    .await
    .expect("submission");
    assert!(view.items.is_empty(), "nothing was staged");
}
