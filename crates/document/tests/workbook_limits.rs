//! M4: a filled-in template is refused, quickly and with little memory, when a
//! sheet reaches past [`WORKBOOK_ROWS`] rows or [`WORKBOOK_COLUMNS`] columns, whether
//! the sheet declares that dimension or only has a cell there. A 10 KB workbook with cells
//! at A1 and XFD1048576 once made the import ask for 512 GiB (and abort); A1 and ZZ200000
//! took 4,35 GB.
//!
//! Each test measures the peak resident memory of this test process while it imports
//! (reset through `/proc/self/clear_refs`, read as `VmHWM`), one test at a time.

mod common;

use std::sync::{Mutex, MutexGuard, PoisonError};

use common::{demo, part, replace_parts};
use rust_xlsxwriter::Workbook;
use tiendo_core::limits::{WORKBOOK_COLUMNS, WORKBOOK_ROWS};
use tiendo_core::model::Dataset;
use tiendo_document::template::{TemplateRequest, template};
use tiendo_exchange::import::ImportError;
use tiendo_exchange::workbook::read_filled;

/// The most memory reading a refused workbook may take, above what the process held.
const EXPECTED: u64 = 64 << 20;

/// The tests of this file run one at a time: each measures the whole process.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn alone() -> MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner)
}

fn status_bytes(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let line = status
        .lines()
        .find(|l| l.starts_with(field))
        .unwrap_or_else(|| panic!("{field} in /proc/self/status"));
    line.split_whitespace()
        .nth(1)
        .and_then(|kb| kb.parse::<u64>().ok())
        .expect("a size in kB")
        * 1024
}

/// What `work` returns and the memory it took at its peak above what the process held.
fn measured<T>(work: impl FnOnce() -> T) -> (T, u64) {
    std::fs::write("/proc/self/clear_refs", "5").expect("the peak resident memory can be reset");
    let before = status_bytes("VmRSS:");
    let out = work();
    (out, status_bytes("VmHWM:").saturating_sub(before))
}

/// The sheets of a template, in order.
const SHEETS: [&str; 4] = ["Hướng dẫn", "Nhiệm vụ", "Chỉ tiêu", "Yêu cầu"];

/// A workbook with the four sheets of a template, each with a cell at A1, and the given
/// cells (sheet, row, column, 0-based) holding text.
fn workbook(cells: &[(&str, u32, u16, &str)]) -> Vec<u8> {
    let mut book = Workbook::new();
    for name in SHEETS {
        let sheet = book.add_worksheet();
        sheet.set_name(name).expect("sheet name");
        sheet.write_string(0, 0, "tiendo").expect("A1");
        for (_, row, col, text) in cells.iter().filter(|(s, ..)| *s == name) {
            sheet.write_string(*row, *col, *text).expect("cell");
        }
    }
    book.save_to_buffer().expect("xlsx")
}

fn sheet_part(sheet: &str) -> String {
    format!(
        "xl/worksheets/sheet{}.xml",
        SHEETS.iter().position(|s| *s == sheet).expect("sheet") + 1
    )
}

/// The same workbook without the `<dimension>` element of a sheet: calamine then finds
/// the sheet's extent from its cells.
fn without_dimension(bytes: &[u8], sheet: &str) -> Vec<u8> {
    let name = sheet_part(sheet);
    let xml = part(bytes, &name);
    let start = xml.find("<dimension ").expect("a dimension");
    let end = start + xml[start..].find("/>").expect("its end") + 2;
    let stripped = format!("{}{}", &xml[..start], &xml[end..]);
    assert!(!stripped.contains("<dimension"));
    replace_parts(bytes, &[(&name, stripped)])
}

fn import(bytes: Vec<u8>) -> Result<(), Vec<ImportError>> {
    read_filled("phieu.xlsx", &bytes, &Dataset::default()).map(|_| ())
}

/// The import refuses the workbook with one error naming the file, the sheet, the cell
/// and the limit, and no allocation on the way is large.
fn assert_refused(bytes: Vec<u8>, sheet: &str, cell: &str) {
    assert!(
        bytes.len() < 64 * 1024,
        "a small file: {} bytes",
        bytes.len()
    );
    let errors = import(bytes).expect_err("refused");
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    let message = &messages[0];
    assert!(
        message.starts_with(&format!("phieu.xlsx, trang “{sheet}”, ô {cell}")),
        "{message}"
    );
    assert!(
        message.contains(&format!(
            "tối đa {} dòng và {} cột (đến ô BL20000)",
            tiendo_core::format::count(u64::from(WORKBOOK_ROWS)),
            WORKBOOK_COLUMNS
        )),
        "{message}"
    );
}

#[test]
fn the_limits_are_the_columns_to_bl_and_twenty_thousand_rows() {
    assert_eq!((WORKBOOK_ROWS, WORKBOOK_COLUMNS), (20_000, 64));
}

/// A1 and XFD1048576 (the last cell Excel has): 512 GiB for calamine's dense range.
#[test]
fn a_sheet_reaching_the_last_cell_of_excel_is_refused() {
    let _alone = alone();
    let bytes = workbook(&[("Nhiệm vụ", 1_048_575, 16_383, "x")]);
    assert!(part(&bytes, &sheet_part("Nhiệm vụ")).contains("<dimension ref=\"A1:XFD1048576\"/>"));
    assert_refused(bytes.clone(), "Nhiệm vụ", "XFD1048576");
    // Without the declared dimension the cell itself is refused.
    assert_refused(
        without_dimension(&bytes, "Nhiệm vụ"),
        "Nhiệm vụ",
        "XFD1048576",
    );
}

/// A1 and ZZ200000: 4,35 GB.
#[test]
fn a_sheet_reaching_row_200000_and_column_zz_is_refused() {
    let _alone = alone();
    let bytes = workbook(&[("Hướng dẫn", 199_999, 701, "x")]);
    assert_refused(bytes.clone(), "Hướng dẫn", "ZZ200000");
    assert_refused(
        without_dimension(&bytes, "Hướng dẫn"),
        "Hướng dẫn",
        "ZZ200000",
    );
}

/// One row or one column past the limit is refused; the last cell within is read.
#[test]
fn the_limit_is_exact() {
    let _alone = alone();
    let bytes = workbook(&[("Chỉ tiêu", 20_000, 0, "x")]);
    assert_refused(without_dimension(&bytes, "Chỉ tiêu"), "Chỉ tiêu", "A20001");
    let bytes = workbook(&[("Yêu cầu", 0, 64, "x")]);
    assert_refused(without_dimension(&bytes, "Yêu cầu"), "Yêu cầu", "BM1");
    let within = workbook(&[("Yêu cầu", WORKBOOK_ROWS - 1, 63, "x")]);
    let errors = import(within).expect_err("not a template");
    assert!(
        errors
            .iter()
            .all(|e| !e.reason.contains("giới hạn của một trang")),
        "{errors:?}"
    );
}

/// Cells within the limits that all show one long shared string: each was decoded into
/// a copy of it (here 1 000 cells of 1 MB, 1 GB, from a file of some kilobytes). The
/// cells' text is refused past 32 MB.
#[test]
fn cells_repeating_a_long_text_are_refused() {
    let _alone = alone();
    let cells: Vec<(&str, u32, u16, &str)> = (0..1000)
        .map(|i| ("Nhiệm vụ", 4 + i / 8, (i % 8) as u16, "x"))
        .collect();
    let bytes = workbook(&cells);
    // Excel keeps a cell's text under 32 767 characters; a crafted file need not.
    let strings = part(&bytes, "xl/sharedStrings.xml");
    assert!(strings.contains("<t>x</t>"), "{strings}");
    let long = strings.replace("<t>x</t>", &format!("<t>{}</t>", "a".repeat(1 << 20)));
    let bytes = replace_parts(&bytes, &[("xl/sharedStrings.xml", long)]);
    assert!(bytes.len() < 64 * 1024, "{} bytes", bytes.len());
    let (result, memory) = measured(|| import(bytes));
    assert!(memory < 2 * EXPECTED, "{} MB of memory", memory >> 20);
    let errors = result.expect_err("refused");
    assert!(
        errors
            .iter()
            .any(|e| e.file.starts_with("phieu.xlsx, trang “Nhiệm vụ”")
                && e.reason.contains("hơn 32 MB văn bản")),
        "{errors:?}"
    );
}

/// A template of normal size still imports.
#[test]
fn a_template_of_normal_size_imports() {
    let _alone = alone();
    let data = demo();
    let request = TemplateRequest {
        agency_id: "tay-ninh".into(),
        period: "2024-06".parse().expect("period"),
        programme_id: Some("cdsqg".into()),
    };
    let bytes = template(&data, &request).expect("template");
    let filled = read_filled("tay-ninh.xlsx", &bytes, &data).expect("an unfilled template reads");
    assert!(filled.rows.is_empty(), "nothing filled, nothing read");
    assert_eq!(filled.programme_id.as_deref(), Some("cdsqg"));
}
