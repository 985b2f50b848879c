//! The Excel data request: generated for an agency, filled (by editing the workbook's
//! cells, as a spreadsheet program would), imported all or nothing, seen in the next report.

mod common;

use calamine::{Reader, Xlsx, open_workbook_from_rs};
use chrono::NaiveDate;
use common::*;
use tiendo_document::template::{TemplateRequest, template};
use tiendo_exchange::workbook::plan_import;
use tiendo_report::to_markdown;

/// The sheets in workbook order.
const SHEETS: [&str; 4] = ["Hướng dẫn", "Nhiệm vụ", "Chỉ tiêu", "Yêu cầu"];

fn sheet_part(sheet: &str) -> String {
    format!(
        "xl/worksheets/sheet{}.xml",
        SHEETS.iter().position(|s| *s == sheet).expect("sheet") + 1
    )
}

/// The Excel row number (1-based) of the record whose key is in column A.
fn row_of(bytes: &[u8], sheet: &str, key: &str) -> u32 {
    let mut book: Xlsx<_> =
        open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("open");
    let range = book.worksheet_range(sheet).expect("sheet");
    let (row, _, _) = range
        .cells()
        .find(|(_, c, v)| *c == 0 && *v == key)
        .unwrap_or_else(|| panic!("{key} not in {sheet}"));
    row as u32 + range.start().expect("start").0 + 1
}

enum Value<'a> {
    Text(&'a str),
    Number(f64),
    Date(NaiveDate),
}

/// Put a value in a cell of a sheet's XML, keeping the cell's style.
fn fill(xml: &str, cell: &str, value: Value) -> String {
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

fn edit(bytes: &[u8], edits: &[(&str, String, Value)]) -> Vec<u8> {
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

fn province_template() -> (tiendo_core::model::Dataset, Vec<u8>) {
    let data = demo();
    let request = TemplateRequest {
        agency_id: "tay-ninh".into(),
        period: "2024-06".parse().expect("period"),
        programme_id: Some("cdsqg".into()),
    };
    let bytes = template(&data, &request).expect("template");
    (data, bytes)
}

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

#[test]
fn a_filled_province_template_imports_and_shows_in_the_next_report() {
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
    let plan = plan_import(
        Vec::new(),
        &[("tay-ninh-2024-06.xlsx".to_string(), filled.clone())],
        &data,
    )
    .expect("imports");
    assert_eq!(
        (plan.inserted(), plan.updated()),
        (2, 0),
        "one checklist item and one observation"
    );
    let after = to_markdown(&report(&plan.result, "cdsqg", "2024-06"));
    assert!(
        after.contains("61/63 địa phương"),
        "the province counts as done: {after}"
    );
    assert!(
        after.contains("02 cơ quan chưa thực hiện: Kiên Giang, Cần Thơ."),
        "and leaves the footnote"
    );
    assert!(
        after.contains("85,5%"),
        "the share reported by the province is in the report: {after}"
    );
    let observation = plan
        .result
        .observations
        .iter()
        .find(|o| {
            o.indicator_id == "cdsqg-hscv-dien-tu" && o.agency_id.as_deref() == Some("tay-ninh")
        })
        .expect("observation");
    assert_eq!(observation.note, "Sở TT&TT tổng hợp");
    assert!(
        observation
            .provenance
            .contains("tay-ninh-2024-06.xlsx, trang “Chỉ tiêu”, dòng")
    );
    let again = plan_import(
        Vec::new(),
        &[("tay-ninh-2024-06.xlsx".to_string(), filled)],
        &plan.result,
    )
    .expect("imports again");
    assert!(
        again.changes.is_empty(),
        "importing the same file twice changes nothing"
    );
}

#[test]
fn errors_name_sheet_cell_and_reason_and_nothing_is_imported() {
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
    // The indicator's row, its code changed to one the template does not ask for.
    let other = indicator;
    let filled = edit(
        &bytes,
        &[
            ("Yêu cầu", format!("E{requirement}"), Value::Text("Có lẽ")),
            ("Chỉ tiêu", format!("F{indicator}"), Value::Text("nhiều")),
        ],
    );
    let errors = plan_import(
        Vec::new(),
        &[("tn.xlsx".to_string(), filled.clone())],
        &data,
    )
    .expect_err("rejected");
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(messages.contains(&format!("tn.xlsx, trang “Yêu cầu”, ô E{requirement}: “Có lẽ” không có trong danh sách (Đã thực hiện, Chưa thực hiện)")), "{messages:?}");
    assert!(
        messages.contains(&format!(
            "tn.xlsx, trang “Chỉ tiêu”, ô F{indicator}: “nhiều” không phải là số"
        )),
        "{messages:?}"
    );
    let fixed = edit(
        &filled,
        &[
            (
                "Yêu cầu",
                format!("E{requirement}"),
                Value::Text("Chưa thực hiện"),
            ),
            ("Chỉ tiêu", format!("A{other}"), Value::Text("khong-co")),
            ("Chỉ tiêu", format!("F{indicator}"), Value::Number(3.0)),
        ],
    );
    let errors = plan_import(Vec::new(), &[("tn.xlsx".to_string(), fixed)], &data)
        .expect_err("unknown indicator rejected by the import plan");
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(
        messages.iter().any(
            |m| m.starts_with(&format!("tn.xlsx, trang “Chỉ tiêu”, ô A{other}: "))
                && m.contains("khong-co")
        ),
        "{messages:?}"
    );
    let national = edit(
        &bytes,
        &[
            (
                "Chỉ tiêu",
                format!("A{other}"),
                Value::Text("cdsqg-hgd-cap-quang"),
            ),
            ("Chỉ tiêu", format!("F{other}"), Value::Number(50.0)),
        ],
    );
    let errors = plan_import(Vec::new(), &[("tn.xlsx".to_string(), national)], &data)
        .expect_err("a national indicator typed into a province's template is refused");
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(
        messages.iter().any(
            |m| m.starts_with(&"tn.xlsx, trang “Chỉ tiêu”, ô ".to_string())
                && m.contains("số liệu toàn quốc")
        ),
        "{messages:?}"
    );
}

#[test]
fn a_ministry_reports_its_tasks() {
    let data = demo();
    let request = TemplateRequest {
        agency_id: "BTTTT".into(),
        period: "2024-06".parse().expect("period"),
        programme_id: Some("kh2024".into()),
    };
    let bytes = template(&data, &request).expect("template");
    let mut book: Xlsx<_> =
        open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).expect("open");
    let range = book.worksheet_range("Nhiệm vụ").expect("sheet");
    let first = range
        .get_value((4, 0))
        .map(|v| v.to_string())
        .expect("a task row");
    assert!(first.starts_with("kh2024-t"), "{first}");
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
    let plan =
        plan_import(Vec::new(), &[("bttt.xlsx".to_string(), filled)], &data).expect("imports");
    let update = plan
        .result
        .task_updates
        .iter()
        .find(|u| u.task_id == first && u.period.code() == "2024-06")
        .expect("update");
    assert_eq!(
        (update.completed_on, update.result.as_str()),
        (NaiveDate::from_ymd_opt(2024, 6, 12), "Đã trình Chính phủ")
    );
    let after = to_markdown(&report(&plan.result, "kh2024", "2024-06"));
    assert!(
        after.contains("Đã trình Chính phủ"),
        "the result is in the task appendix"
    );
}

/// Issue 12: bad values are refused on the template's path as on every other, with the
/// sheet, the cell and the reason: a percentage below 0 or above 100.
#[test]
fn bad_values_in_a_template_are_refused_with_their_reason() {
    let (data, bytes) = province_template();
    let share = row_of(&bytes, "Chỉ tiêu", "cdsqg-hscv-dien-tu");
    for (value, shown) in [(Value::Number(-5.0), "-5"), (Value::Text("100,5"), "100.5")] {
        let filled = edit(&bytes, &[("Chỉ tiêu", format!("F{share}"), value)]);
        let errors = plan_import(Vec::new(), &[("tn.xlsx".to_string(), filled)], &data)
            .expect_err("refused");
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("tn.xlsx, trang “Chỉ tiêu”")
                    && m.contains(&format!(
                        "{shown} không hợp lệ: tỷ lệ phần trăm phải từ 0 đến 100"
                    ))),
            "{shown}: {messages:?}"
        );
    }
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
    let errors =
        plan_import(Vec::new(), &[("bttt.xlsx".to_string(), filled)], &data).expect_err("refused");
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        vec![format!(
            "bttt.xlsx, trang “Nhiệm vụ”, ô G{row}: Nhiệm vụ hoàn thành cần ngày hoàn thành"
        )]
    );
}
