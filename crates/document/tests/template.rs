//! The Excel data request: generated for an agency, filled (by editing the workbook's
//! cells, as a spreadsheet program would) and read back, every error naming the sheet and
//! the cell. Staging a filled template in the agency's submission is tested in the
//! application crate (`crates/app/tests/template.rs`).

mod common;

use calamine::{Reader, Xlsx, open_workbook_from_rs};
use chrono::NaiveDate;
use common::*;
use tiendo_document::template::{TemplateRequest, template};
use tiendo_exchange::workbook::{FilledRow, read_filled};

#[test]
fn the_template_locks_keys_and_validates_entries() {
    let (_, bytes) = province_template();
    let mut book: Xlsx<_> =
        open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).expect("open");
    assert_eq!(book.sheet_names(), SHEETS.map(String::from).to_vec());
    for sheet in SHEETS {
        assert!(
            part(&bytes, &sheet_part(sheet)).contains("<sheetProtection"),
            "{sheet} is protected"
        );
    }
    let checklist = part(&bytes, &sheet_part("Yêu cầu"));
    assert!(
        checklist.contains(r#"type="list""#) && checklist.contains("Đã thực hiện,Chưa thực hiện"),
        "drop-down of results"
    );
    assert!(checklist.contains(r#"type="date""#), "dates validated");
    let indicators = part(&bytes, &sheet_part("Chỉ tiêu"));
    assert!(
        indicators.contains(r#"type="decimal""#),
        "numbers validated"
    );
    let styles = part(&bytes, "xl/styles.xml");
    assert!(
        styles.contains(r#"<protection locked="0"/>"#),
        "entry cells unlocked"
    );
    let row = row_of(&bytes, "Yêu cầu", "cdsqg-yc-mien-giam-phi-dvctt");
    let range = book.worksheet_range("Yêu cầu").expect("sheet");
    assert_eq!(
        range.get_value((row - 1, 3)).map(|v| v.to_string()),
        Some("Chưa thực hiện".to_string()),
        "the previous answer is shown"
    );
    let instructions = book.worksheet_range("Hướng dẫn").expect("sheet");
    assert!(
        instructions
            .cells()
            .any(|(_, _, v)| v.to_string().starts_with("1. Trang “Nhiệm vụ”")),
        "Vietnamese instructions"
    );
}

/// A filled template reads as the province's typed entries, with the sheet and row of each;
/// the application stages them in its submission (tested through the web in
/// `tests/browser` and on the command line).
#[test]
fn a_filled_province_template_reads_as_the_province_entries() {
    let (data, bytes) = province_template();
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
            (
                "Yêu cầu",
                format!("G{requirement}"),
                Value::Text("Nghị quyết số 15/2024/NQ-HĐND"),
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
    let read = read_filled("tay-ninh-2024-06.xlsx", &filled, &data).expect("reads");
    assert_eq!(read.agency_id, "tay-ninh");
    assert_eq!(read.period, "2024-06".parse().expect("period"));
    assert_eq!(read.programme_id.as_deref(), Some("cdsqg"));
    assert_eq!(
        read.rows,
        vec![
            (
                "Chỉ tiêu",
                indicator,
                FilledRow::Indicator {
                    indicator_id: "cdsqg-hscv-dien-tu".into(),
                    value: 85.5,
                    numerator: Some(171.0),
                    denominator: Some(200.0),
                    note: "Sở TT&TT tổng hợp".into(),
                },
            ),
            (
                "Yêu cầu",
                requirement,
                FilledRow::Checklist {
                    requirement_id: "cdsqg-yc-mien-giam-phi-dvctt".into(),
                    done: true,
                    done_on: NaiveDate::from_ymd_opt(2024, 6, 10),
                    evidence: "Nghị quyết số 15/2024/NQ-HĐND".into(),
                },
            ),
        ]
    );
}

#[test]
fn errors_name_sheet_cell_and_reason_and_nothing_is_read() {
    let (data, bytes) = province_template();
    let requirement = row_of(&bytes, "Yêu cầu", "cdsqg-yc-mien-giam-phi-dvctt");
    let indicator = row_of(&bytes, "Chỉ tiêu", "cdsqg-hscv-dien-tu");
    for national in [
        "cdsqg-hgd-cap-quang",
        "cdsqg-attt-tan-cong",
        "cdsqg-dm-csdl",
        "cdsqg-dm-csdl-dp",
    ] {
        assert!(
            std::panic::catch_unwind(|| row_of(&bytes, "Chỉ tiêu", national)).is_err(),
            "a province's template has no national indicator ({national})"
        );
    }
    let filled = edit(
        &bytes,
        &[
            ("Yêu cầu", format!("E{requirement}"), Value::Text("Có lẽ")),
            ("Chỉ tiêu", format!("F{indicator}"), Value::Text("nhiều")),
        ],
    );
    let errors = read_filled("tn.xlsx", &filled, &data).expect_err("rejected");
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(messages.contains(&format!("tn.xlsx, trang “Yêu cầu”, ô E{requirement}: “Có lẽ” không có trong danh sách (Đã thực hiện, Chưa thực hiện)")), "{messages:?}");
    assert!(
        messages.contains(&format!(
            "tn.xlsx, trang “Chỉ tiêu”, ô F{indicator}: “nhiều” không phải là số"
        )),
        "{messages:?}"
    );
}

/// Issue 27: one rule on every way in. A task marked done needs its completion date, as
/// on the entry form, and the statuses are offered in the form's words.
#[test]
fn a_done_task_without_its_date_is_refused_as_on_the_form() {
    let data = demo();
    let request = TemplateRequest {
        agency_id: "BTTTT".into(),
        period: "2024-06".parse().expect("period"),
        programme_id: Some("kh2024".into()),
    };
    let bytes = template(&data, &request).expect("template");
    let tasks = part(&bytes, &sheet_part("Nhiệm vụ"));
    assert!(
        tasks.contains("Hoàn thành,Đang thực hiện,Chưa triển khai,Không còn áp dụng"),
        "the form's words in the list: {tasks}"
    );
    let mut book: Xlsx<_> =
        open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).expect("open");
    let first = book
        .worksheet_range("Nhiệm vụ")
        .expect("sheet")
        .get_value((4, 0))
        .map(|v| v.to_string())
        .expect("a task row");
    let row = row_of(&bytes, "Nhiệm vụ", &first);
    let filled = edit(
        &bytes,
        &[("Nhiệm vụ", format!("F{row}"), Value::Text("Hoàn thành"))],
    );
    let errors = read_filled("bttt.xlsx", &filled, &data).expect_err("refused");
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        vec![format!(
            "bttt.xlsx, trang “Nhiệm vụ”, ô G{row}: Nhiệm vụ hoàn thành cần ngày hoàn thành"
        )]
    );
}
