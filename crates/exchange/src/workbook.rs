//! The Excel data request's layout (`tiendo template` writes it, in the document crate)
//! and the reading of a filled one (`tiendo import FILE.xlsx`, the web entry page's
//! upload).
//!
//! Reading turns the filled rows into typed entries ([`read_filled`]), which the
//! application stages in the agency's submission like entries typed on the form; every
//! error names the file, the sheet, the cell and the reason. Sheets are bounded before their cells are
//! laid out ([`WORKBOOK_ROWS`] × [`WORKBOOK_COLUMNS`], [`WORKBOOK_TEXT_BYTES`]).

use std::io::Cursor;

use calamine::{Cell, Data, DataRef, Range, Xlsx, XlsxError, open_workbook_from_rs};
use chrono::NaiveDate;
use tiendo_core::format;
use tiendo_core::limits::{WORKBOOK_COLUMNS, WORKBOOK_ROWS};
use tiendo_core::model::{Dataset, ReportedStatus};
use tiendo_core::period::Period;

use crate::import::ImportError;

/// The name and version written in the instructions sheet and checked on import.
pub const FORMAT: &str = "tiendo-xlsx 1";

pub const INSTRUCTIONS: &str = "Hướng dẫn";
pub const TASKS: &str = "Nhiệm vụ";
pub const INDICATORS: &str = "Chỉ tiêu";
pub const CHECKLIST: &str = "Yêu cầu";

/// Rows of the data sheets: title, subtitle, blank, header, then data (0-based).
pub const HEADER_ROW: u32 = 3;
pub const FIRST_ROW: u32 = 4;

/// Where the instructions sheet keeps what the workbook is for (column B, 0-based rows).
pub const AGENCY_CELL: (u32, u16) = (2, 1);
pub const PERIOD_CELL: (u32, u16) = (3, 1);
pub const PROGRAMME_CELL: (u32, u16) = (4, 1);
pub const FORMAT_CELL: (u32, u16) = (5, 1);

/// Task statuses as offered in the drop-down list: the words of the entry form.
pub const STATUSES: [(&str, ReportedStatus); 4] = [
    (ReportedStatus::Done.label_vi(), ReportedStatus::Done),
    (
        ReportedStatus::InProgress.label_vi(),
        ReportedStatus::InProgress,
    ),
    (
        ReportedStatus::NotStarted.label_vi(),
        ReportedStatus::NotStarted,
    ),
    (
        ReportedStatus::NotApplicable.label_vi(),
        ReportedStatus::NotApplicable,
    ),
];
pub const DONE: &str = "Đã thực hiện";
pub const NOT_DONE: &str = "Chưa thực hiện";

/// Columns of each data sheet: (header, the exchange column it fills, entry column).
pub const TASK_COLUMNS: [(&str, Option<&str>, bool); 8] = [
    ("Mã nhiệm vụ", Some("task_id"), false),
    ("TT", None, false),
    ("Nhiệm vụ", None, false),
    ("Thời hạn", None, false),
    ("Tình trạng trước kỳ này", None, false),
    ("Trạng thái", Some("status"), true),
    ("Ngày hoàn thành (dd/mm/yyyy)", Some("completed_on"), true),
    ("Kết quả thực hiện", Some("result"), true),
];
pub const INDICATOR_COLUMNS: [(&str, Option<&str>, bool); 9] = [
    ("Mã chỉ tiêu", Some("indicator_id"), false),
    ("Số hiệu", None, false),
    ("Chỉ tiêu", None, false),
    ("Đơn vị", None, false),
    ("Số liệu gần nhất", None, false),
    ("Giá trị kỳ này", Some("value"), true),
    ("Tử số", Some("numerator"), true),
    ("Mẫu số", Some("denominator"), true),
    ("Ghi chú", Some("note"), true),
];
pub const CHECKLIST_COLUMNS: [(&str, Option<&str>, bool); 7] = [
    ("Mã yêu cầu", Some("requirement_id"), false),
    ("Yêu cầu", None, false),
    ("Thời hạn", None, false),
    ("Tình trạng trước kỳ này", None, false),
    ("Kết quả", Some("done"), true),
    ("Ngày thực hiện (dd/mm/yyyy)", Some("done_on"), true),
    (
        "Minh chứng (số, ký hiệu văn bản, đường dẫn)",
        Some("evidence"),
        true,
    ),
];

/// An Excel column's letters ("A", "Z", "AA"), from its 0-based number.
pub fn column_letter(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut s = String::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.insert(0, char::from(b'A' + r as u8));
        n = (n - 1) / 26;
    }
    s
}

/// A cell as Excel names it ("F5"), from its 0-based row and column.
pub fn cell_name(row: u32, col: u16) -> String {
    cell_at((row, u32::from(col)))
}

/// A cell as Excel names it ("F5"), from its 0-based row and column, wherever it is.
pub fn cell_at((row, col): (u32, u32)) -> String {
    format!("{}{}", column_letter(col), u64::from(row) + 1)
}
struct SheetReader<'a> {
    file: &'a str,
    sheet: &'static str,
    range: Range<Data>,
    errors: Vec<ImportError>,
}

fn error(file: &str, sheet: &str, cell: Option<String>, reason: impl Into<String>) -> ImportError {
    let at = cell.map(|c| format!(", ô {c}")).unwrap_or_default();
    ImportError {
        file: format!("{file}, trang “{sheet}”{at}"),
        line: None,
        field: None,
        reason: reason.into(),
    }
}

/// An Excel serial day number as a date (the 1900 date system).
fn excel_date(serial: f64) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(1899, 12, 30)?
        .checked_add_signed(chrono::Duration::days(serial.floor() as i64))
}

/// A date typed as text: "09/5/2024" or "2024-05-09".
impl SheetReader<'_> {
    fn value(&self, row: u32, col: u16) -> Option<&Data> {
        self.range.get_value((row, u32::from(col))).filter(|d| {
            !matches!(d, Data::Empty) && !matches!(d, Data::String(s) if s.trim().is_empty())
        })
    }

    fn text(&self, row: u32, col: u16) -> Option<String> {
        self.value(row, col).map(|d| match d {
            Data::Float(f) => format::en_number(*f, 0).replace(',', ""),
            other => other.to_string().trim().to_string(),
        })
    }

    fn number(&mut self, row: u32, col: u16) -> Option<f64> {
        let value = match self.value(row, col)? {
            Data::Float(f) => Some(*f),
            Data::Int(i) => Some(*i as f64),
            Data::String(s) => {
                match tiendo_core::format::parse_typed_number(s.trim().trim_end_matches('%')) {
                    Ok(v) => Some(v),
                    Err(why) => {
                        self.errors.push(error(
                            self.file,
                            self.sheet,
                            Some(cell_name(row, col)),
                            &why,
                        ));
                        return None;
                    }
                }
            }
            _ => None,
        };
        if value.is_none() {
            self.errors.push(error(
                self.file,
                self.sheet,
                Some(cell_name(row, col)),
                "không phải là số",
            ));
        }
        value
    }

    fn date(&mut self, row: u32, col: u16) -> Option<NaiveDate> {
        let value = match self.value(row, col)? {
            Data::DateTime(d) => excel_date(d.as_f64()),
            Data::Float(f) => excel_date(*f),
            Data::Int(i) => excel_date(*i as f64),
            Data::String(s) | Data::DateTimeIso(s) => {
                format::parse_typed_date(s.get(..10).unwrap_or(s)).ok()
            }
            _ => None,
        };
        if value.is_none() {
            self.errors.push(error(
                self.file,
                self.sheet,
                Some(cell_name(row, col)),
                "không phải là ngày (dd/mm/yyyy)",
            ));
        }
        value
    }

    fn choice<T: Copy>(&mut self, row: u32, col: u16, options: &[(&str, T)]) -> Option<T> {
        let text = self.text(row, col)?;
        let found = options
            .iter()
            .find(|(label, _)| label.to_lowercase() == text.to_lowercase())
            .map(|(_, v)| *v);
        if found.is_none() {
            let labels: Vec<&str> = options.iter().map(|(l, _)| *l).collect();
            self.errors.push(error(
                self.file,
                self.sheet,
                Some(cell_name(row, col)),
                format!("“{text}” không có trong danh sách ({})", labels.join(", ")),
            ));
        }
        found
    }

    fn rows(&self) -> impl Iterator<Item = u32> + '_ {
        FIRST_ROW..self.range.end().map_or(FIRST_ROW, |(r, _)| r + 1)
    }

    fn any_entry(&self, row: u32, columns: &[(&str, Option<&str>, bool)]) -> bool {
        columns
            .iter()
            .enumerate()
            .any(|(c, (_, _, entry))| *entry && self.value(row, c as u16).is_some())
    }
}

/// The most text (bytes of strings) the cells of one workbook may hold together. The
/// cells of a sheet within [`WORKBOOK_ROWS`] × [`WORKBOOK_COLUMNS`] may all refer to one
/// long shared string, each decoded into a copy of it: a few kilobytes of workbook
/// would then ask for terabytes. A filled template holds some hundred kilobytes; 20 000
/// rows of results of a kilobyte each hold 20 MB.
pub const WORKBOOK_TEXT_BYTES: usize = 32 << 20;

/// Why a cell (or a sheet's declared dimension) lies beyond the sheets tiendo reads.
fn too_large(file: &str, name: &str, at: (u32, u32), what: &str) -> ImportError {
    error(
        file,
        name,
        Some(cell_at(at)),
        format!(
            "{what} nằm ngoài giới hạn của một trang: tối đa {} dòng và {} cột (đến ô {}); hãy xoá các dòng, cột thừa rồi gửi lại",
            format::count(u64::from(WORKBOOK_ROWS)),
            format::count(u64::from(WORKBOOK_COLUMNS)),
            cell_at((WORKBOOK_ROWS - 1, WORKBOOK_COLUMNS - 1))
        ),
    )
}

fn within_limits((row, col): (u32, u32)) -> bool {
    row < WORKBOOK_ROWS && col < WORKBOOK_COLUMNS
}

/// A sheet of a workbook, its cells streamed one by one and refused past the limits
/// before any of them is kept: calamine's `worksheet_range` allocates a cell for every
/// position between the first and the last cell (cells at A1 and XFD1048576 asked for
/// 512 GiB). A sheet's declared dimension (`<dimension ref="A1:XFD1048576"/>`) is checked
/// first, then every cell's position (a sheet need not declare its dimension), the count
/// of cells (a cell may be repeated) and the text they hold together (`text`, for the
/// whole workbook, against [`WORKBOOK_TEXT_BYTES`]).
fn sheet<'a>(
    book: &mut Xlsx<Cursor<&[u8]>>,
    file: &'a str,
    name: &'static str,
    text: &mut usize,
) -> Result<SheetReader<'a>, ImportError> {
    let unreadable =
        |e: XlsxError| error(file, name, None, format!("không đọc được trang này: {e}"));
    let mut reader = match book.worksheet_cells_reader(name) {
        Ok(reader) => reader,
        // A chart sheet under the name: no cells.
        Err(XlsxError::NotAWorksheet(_)) => {
            return Ok(SheetReader {
                file,
                sheet: name,
                range: Range::empty(),
                errors: Vec::new(),
            });
        }
        Err(XlsxError::WorksheetNotFound(_)) => {
            return Err(error(
                file,
                name,
                None,
                "thiếu trang này (tệp không phải biểu mẫu của tiendo?)",
            ));
        }
        Err(e) => return Err(unreadable(e)),
    };
    let declared = reader.dimensions();
    for corner in [declared.start, declared.end] {
        if !within_limits(corner) {
            return Err(too_large(
                file,
                name,
                corner,
                &format!(
                    "vùng dữ liệu khai báo của trang ({}:{})",
                    cell_at(declared.start),
                    cell_at(declared.end)
                ),
            ));
        }
    }
    let most_cells = (WORKBOOK_ROWS as usize) * (WORKBOOK_COLUMNS as usize);
    let mut read = 0usize;
    let mut cells = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        let at = cell.get_position();
        if !within_limits(at) {
            return Err(too_large(file, name, at, "ô này"));
        }
        read += 1;
        if read > most_cells {
            return Err(error(
                file,
                name,
                None,
                format!(
                    "trang có hơn {} ô (các ô lặp lại): tệp không phải biểu mẫu của tiendo",
                    format::count(most_cells as u64)
                ),
            ));
        }
        *text += match cell.get_value() {
            DataRef::Empty => continue,
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.len(),
            DataRef::SharedString(s) => s.len(),
            _ => 0,
        };
        if *text > WORKBOOK_TEXT_BYTES {
            return Err(error(
                file,
                name,
                Some(cell_at(at)),
                format!(
                    "các ô của tệp chứa hơn {} MB văn bản, quá giới hạn của một tệp",
                    format::count((WORKBOOK_TEXT_BYTES >> 20) as u64)
                ),
            ));
        }
        cells.push(Cell::new(at, Data::from(cell.get_value().clone())));
    }
    Ok(SheetReader {
        file,
        sheet: name,
        // Every cell within the limits: at most WORKBOOK_ROWS × WORKBOOK_COLUMNS cells.
        range: Range::from_sparse(cells),
        errors: Vec::new(),
    })
}

/// The four sheets of a workbook, decoded by calamine. calamine panics on some malformed
/// workbooks (0.38: an arithmetic overflow on a sheet dimension whose end comes before its
/// start, found by fuzzing): a panic while decoding is an error of this file, never the
/// end of the server or of the import. Sheets beyond [`WORKBOOK_ROWS`] rows or
/// [`WORKBOOK_COLUMNS`] columns are refused before their cells are laid out ([`sheet`]).
fn open_sheets<'a>(file: &'a str, bytes: &[u8]) -> Result<[SheetReader<'a>; 4], Vec<ImportError>> {
    let decode = || {
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| {
            vec![error(
                file,
                INSTRUCTIONS,
                None,
                format!("không đọc được tệp Excel: {e}"),
            )]
        })?;
        let mut text = 0;
        match (
            sheet(&mut book, file, INSTRUCTIONS, &mut text),
            sheet(&mut book, file, TASKS, &mut text),
            sheet(&mut book, file, INDICATORS, &mut text),
            sheet(&mut book, file, CHECKLIST, &mut text),
        ) {
            (Ok(a), Ok(b), Ok(c), Ok(d)) => Ok([a, b, c, d]),
            (a, b, c, d) => Err([a.err(), b.err(), c.err(), d.err()]
                .into_iter()
                .flatten()
                .collect()),
        }
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(decode)).unwrap_or_else(|_| {
        Err(vec![error(
            file,
            INSTRUCTIONS,
            None,
            "tệp Excel hỏng: không đọc được nội dung của tệp",
        )])
    })
}

/// One filled row of a template, as the agency entered it.
#[derive(Debug, Clone, PartialEq)]
pub enum FilledRow {
    Task {
        task_id: String,
        status: ReportedStatus,
        completed_on: Option<NaiveDate>,
        result: String,
    },
    Indicator {
        indicator_id: String,
        value: f64,
        numerator: Option<f64>,
        denominator: Option<f64>,
        note: String,
    },
    Checklist {
        requirement_id: String,
        done: bool,
        done_on: Option<NaiveDate>,
        evidence: String,
    },
}

/// A filled template: the agency, period and programme it was made for (none: every
/// programme running in the period), and its filled rows, each with the sheet and the row
/// (1-based, as Excel shows it) it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct FilledTemplate {
    pub agency_id: String,
    pub period: Period,
    pub programme_id: Option<String>,
    pub rows: Vec<(&'static str, u32, FilledRow)>,
}

/// Read a filled template: every error names the file, the sheet, the cell and the
/// reason, and nothing is read when there is one.
pub fn read_filled(
    file: &str,
    bytes: &[u8],
    existing: &Dataset,
) -> Result<FilledTemplate, Vec<ImportError>> {
    let [instructions, mut tasks, mut indicators, mut checklist] = open_sheets(file, bytes)?;
    let mut errors = Vec::new();
    if instructions.text(FORMAT_CELL.0, FORMAT_CELL.1).as_deref() != Some(FORMAT) {
        errors.push(error(
            file,
            INSTRUCTIONS,
            Some(cell_name(FORMAT_CELL.0, FORMAT_CELL.1)),
            format!("cần “{FORMAT}”"),
        ));
    }
    let agency = instructions
        .text(AGENCY_CELL.0, AGENCY_CELL.1)
        .unwrap_or_default();
    if existing.agency(&agency).is_none() {
        errors.push(error(
            file,
            INSTRUCTIONS,
            Some(cell_name(AGENCY_CELL.0, AGENCY_CELL.1)),
            format!("không có cơ quan “{agency}”"),
        ));
    }
    let period_text = instructions
        .text(PERIOD_CELL.0, PERIOD_CELL.1)
        .unwrap_or_default();
    let period: Option<Period> = period_text.parse().ok();
    if period.is_none() {
        errors.push(error(
            file,
            INSTRUCTIONS,
            Some(cell_name(PERIOD_CELL.0, PERIOD_CELL.1)),
            format!("kỳ báo cáo “{period_text}” không hợp lệ"),
        ));
    }
    let programme_id = instructions
        .text(PROGRAMME_CELL.0, PROGRAMME_CELL.1)
        .filter(|p| !p.trim().is_empty());
    if let Some(p) = &programme_id
        && existing.programme(p).is_none()
    {
        errors.push(error(
            file,
            INSTRUCTIONS,
            Some(cell_name(PROGRAMME_CELL.0, PROGRAMME_CELL.1)),
            format!("không có chương trình “{p}”"),
        ));
    }
    let Some(period) = period.filter(|_| errors.is_empty()) else {
        return Err(errors);
    };
    let mut rows = Vec::new();
    for row in tasks.rows().collect::<Vec<_>>() {
        if !tasks.any_entry(row, &TASK_COLUMNS) {
            continue;
        }
        let Some(task_id) = tasks.text(row, 0) else {
            tasks.errors.push(error(
                file,
                TASKS,
                Some(cell_name(row, 0)),
                "thiếu mã nhiệm vụ",
            ));
            continue;
        };
        let status = tasks.choice(row, 5, &STATUSES);
        if status.is_none() && tasks.value(row, 5).is_none() {
            tasks.errors.push(error(
                file,
                TASKS,
                Some(cell_name(row, 5)),
                "chưa chọn trạng thái",
            ));
        }
        let completed_on = tasks.date(row, 6);
        let result = tasks.text(row, 7).unwrap_or_default();
        let Some(status) = status else { continue };
        // An unreadable date has its own error already.
        if tasks.value(row, 6).is_none()
            && let Some(why) = tiendo_core::submission::task_entry_problem(status, completed_on)
        {
            tasks
                .errors
                .push(error(file, TASKS, Some(cell_name(row, 6)), why));
            continue;
        }
        rows.push((
            TASKS,
            row + 1,
            FilledRow::Task {
                task_id,
                status,
                completed_on,
                result,
            },
        ));
    }
    for row in indicators.rows().collect::<Vec<_>>() {
        if !indicators.any_entry(row, &INDICATOR_COLUMNS) {
            continue;
        }
        let Some(indicator_id) = indicators.text(row, 0) else {
            indicators.errors.push(error(
                file,
                INDICATORS,
                Some(cell_name(row, 0)),
                "thiếu mã chỉ tiêu",
            ));
            continue;
        };
        let value = indicators.number(row, 5);
        if indicators.value(row, 5).is_none() {
            indicators.errors.push(error(
                file,
                INDICATORS,
                Some(cell_name(row, 5)),
                "chưa ghi giá trị kỳ này",
            ));
        }
        let numerator = indicators.number(row, 6);
        let denominator = indicators.number(row, 7);
        let note = indicators.text(row, 8).unwrap_or_default();
        let Some(value) = value else { continue };
        rows.push((
            INDICATORS,
            row + 1,
            FilledRow::Indicator {
                indicator_id,
                value,
                numerator,
                denominator,
                note,
            },
        ));
    }
    for row in checklist.rows().collect::<Vec<_>>() {
        if !checklist.any_entry(row, &CHECKLIST_COLUMNS) {
            continue;
        }
        let Some(requirement_id) = checklist.text(row, 0) else {
            checklist.errors.push(error(
                file,
                CHECKLIST,
                Some(cell_name(row, 0)),
                "thiếu mã yêu cầu",
            ));
            continue;
        };
        let done = checklist.choice(row, 4, &[(DONE, true), (NOT_DONE, false)]);
        if checklist.value(row, 4).is_none() {
            checklist.errors.push(error(
                file,
                CHECKLIST,
                Some(cell_name(row, 4)),
                format!("chưa chọn “{DONE}” hoặc “{NOT_DONE}”"),
            ));
        }
        let done_on = checklist.date(row, 5);
        let evidence = checklist.text(row, 6).unwrap_or_default();
        let Some(done) = done else { continue };
        rows.push((
            CHECKLIST,
            row + 1,
            FilledRow::Checklist {
                requirement_id,
                done,
                done_on,
                evidence,
            },
        ));
    }
    errors.extend(tasks.errors);
    errors.extend(indicators.errors);
    errors.extend(checklist.errors);
    if errors.is_empty() {
        Ok(FilledTemplate {
            agency_id: agency,
            period,
            programme_id,
            rows,
        })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_in_excel() {
        assert_eq!(cell_name(4, 5), "F5");
        assert_eq!(cell_name(0, 25), "Z1");
        assert_eq!(cell_name(9, 26), "AA10");
        assert_eq!(cell_at((1_048_575, 16_383)), "XFD1048576");
        assert_eq!(cell_at((199_999, 701)), "ZZ200000");
        assert_eq!(cell_at((u32::MAX, u32::MAX)), "MWLQKWV4294967296");
    }

    #[test]
    fn typed_dates() {
        assert_eq!(
            format::parse_typed_date("09/5/2024").ok(),
            NaiveDate::from_ymd_opt(2024, 5, 9)
        );
        assert_eq!(
            format::parse_typed_date("2024-05-09").ok(),
            NaiveDate::from_ymd_opt(2024, 5, 9)
        );
        assert_eq!(format::parse_typed_date("31/2/2024").ok(), None);
        assert_eq!(excel_date(45421.0), NaiveDate::from_ymd_opt(2024, 5, 9));
    }

    /// Found by fuzzing (`import_xlsx`): a sheet whose dimension ends before it starts
    /// ("B2:A1") made calamine 0.38 panic on an arithmetic overflow.
    #[test]
    fn a_workbook_that_makes_the_decoder_panic_gives_an_error() {
        let bytes = include_bytes!("../testdata/calamine-dimension-overflow.xlsx").to_vec();
        let errors = read_filled("phieu.xlsx", &bytes, &Dataset::default())
            .expect_err("a malformed workbook");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].file.starts_with("phieu.xlsx") && errors[0].reason.contains("tệp Excel hỏng"),
            "{errors:?}"
        );
    }
}
