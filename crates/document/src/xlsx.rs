//! The report as a workbook: its text (headings, paragraphs, the narrative, the closing;
//! footnotes at the end) on a first sheet "Báo cáo", then one sheet per table, named
//! after its appendix ("Phụ lục I"), with the appendix title above the header row.
//!
//! A table cell whose whole text is a number as Vietnamese writes it ("1.086", "53,88",
//! "-5", "81,13%", "08") is written as a number, so it can be summed and sorted, with a
//! display format that shows it as the text did: the Vietnamese locale tag `[$-42A]`
//! (`.` for thousands, `,` for decimals), the decimals as written, a percentage as a
//! percentage and a leading zero kept. Every other cell stays text.
//!
//! The workbook's properties come from the edition: the title, and for an issued edition
//! the issuing body as author and the issue date (at midnight) as creation date, so the
//! file says when the report was issued rather than when it was exported; the subject is
//! the dates of its figures.

use chrono::Datelike;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook};
use tiendo_report::{Block, Document, Inline};

use crate::DocumentError;

fn cell_text(items: &[Inline]) -> String {
    items
        .iter()
        .filter_map(|i| match i {
            Inline::Text(t) | Inline::Bold(t) | Inline::Figure { text: t, .. } => Some(t.as_str()),
            Inline::Footnote(_) => None,
        })
        .collect()
}

/// The most significant digits a cell keeps as a number: Excel shows 15, so a longer
/// string of digits (an account or ID number) stays text rather than being rounded.
const MAX_DIGITS: usize = 15;

/// The value and the display format of a cell whose whole text (trimmed) is a number as
/// Vietnamese writes it: an optional `-`, an integer part either plain ("1086", "08") or
/// grouped by `.` in threes ("1.086", "12.345.678"), optionally `,` and decimals, optionally
/// `%` right after. The format shows the number exactly as written — the decimals as
/// written, thousands grouped when they were, a leading zero kept, a percentage as a
/// percentage — in the Vietnamese locale (`[$-42A]`), whatever the reader's locale.
/// Anything else (text, "19/21", "31/5/2024", "1.5", ".") is `None`.
fn vietnamese_number(text: &str) -> Option<(f64, String)> {
    let s = text.trim();
    let (negative, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (percent, s) = match s.strip_suffix('%') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (int, frac) = match s.split_once(',') {
        Some((int, frac)) => (int, Some(frac)),
        None => (s, None),
    };
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if let Some(frac) = frac
        && !all_digits(frac)
    {
        return None;
    }
    let groups: Vec<&str> = int.split('.').collect();
    let grouped = groups.len() > 1;
    if grouped {
        let (first, rest) = groups.split_first()?;
        if !all_digits(first)
            || first.len() > 3
            || first.starts_with('0')
            || !rest.iter().all(|g| g.len() == 3 && all_digits(g))
        {
            return None;
        }
    } else if !all_digits(int) {
        return None;
    }
    let digits: String = groups.concat();
    let frac = frac.unwrap_or("");
    if digits.trim_start_matches('0').len() + frac.len() > MAX_DIGITS {
        return None;
    }
    // Parsed from its decimal text, so "81,13%" is exactly the f64 nearest 0.8113.
    let value: f64 = format!("{digits}.{frac}0e{}", if percent { -2 } else { 0 })
        .parse()
        .ok()?;
    if negative && value == 0.0 {
        // "-0" would show as "0".
        return None;
    }
    let int_format = if digits.len() > 1 && digits.starts_with('0') {
        "0".repeat(digits.len())
    } else if grouped || (digits.len() <= 3 && !percent) {
        "#,##0".to_string()
    } else {
        "0".to_string()
    };
    let frac_format = if frac.is_empty() {
        String::new()
    } else {
        format!(".{}", "0".repeat(frac.len()))
    };
    let value = if negative { -value } else { value };
    Some((
        value,
        format!(
            "[$-42A]{int_format}{frac_format}{}",
            if percent { "%" } else { "" }
        ),
    ))
}

/// The workbook's properties from the edition: its title and the dates of its figures;
/// for an issued edition, the issuing body and the issue date.
fn properties(doc: &Document) -> DocProperties {
    let mut properties = DocProperties::new()
        .set_title(&doc.title)
        .set_subject(&doc.dates);
    if let Some(letterhead) = &doc.letterhead {
        properties = properties.set_author(&letterhead.issuer);
        let date = &letterhead.date;
        let issued = u16::try_from(date.year()).ok().and_then(|year| {
            ExcelDateTime::from_ymd(year, date.month() as u8, date.day() as u8).ok()
        });
        if let Some(issued) = issued {
            properties = properties.set_creation_datetime(&issued);
        }
    }
    properties
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(label: &str) -> String {
    label
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect()
}

/// The text of the body, one line per row: headings in bold, bullets with "- ", the
/// footnotes numbered at the end.
fn body_lines(doc: &Document) -> Vec<(String, bool)> {
    let mut lines = Vec::new();
    let mut notes = Vec::new();
    let text = |items: &[Inline], notes: &mut Vec<String>| -> String {
        let mut s = String::new();
        for i in items {
            match i {
                Inline::Text(t) | Inline::Bold(t) | Inline::Figure { text: t, .. } => s.push_str(t),
                Inline::Footnote(note) => {
                    notes.push(note.clone());
                    s.push_str(&format!("({})", notes.len()));
                }
            }
        }
        s
    };
    for block in doc
        .blocks
        .iter()
        .take_while(|b| !matches!(b, Block::Appendix { .. }))
    {
        match block {
            Block::Heading(_, t) => lines.push((t.clone(), true)),
            Block::Paragraph(items) => lines.push((
                text(items, &mut notes),
                items.iter().all(|i| matches!(i, Inline::Bold(_))),
            )),
            Block::Centered(items) => lines.push((text(items, &mut notes), false)),
            Block::Bullets(items) => lines.extend(
                items
                    .iter()
                    .map(|item| (format!("- {}", text(item, &mut notes)), false)),
            ),
            Block::Closing(summary) => lines.push((format!("{summary}./."), false)),
            Block::Table { .. } | Block::Chart(_) | Block::Appendix { .. } => {}
        }
    }
    lines.extend(
        notes
            .iter()
            .enumerate()
            .map(|(n, note)| (format!("({}) {note}", n + 1), false)),
    );
    lines
}

/// Write the report's text and every table of it.
pub fn render(doc: &Document) -> Result<Vec<u8>, DocumentError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(&properties(doc));
    let title = Format::new().set_bold().set_font_size(13);
    let lines = body_lines(doc);
    if !lines.is_empty() {
        let sheet = workbook.add_worksheet();
        sheet.set_name("Báo cáo")?;
        sheet.set_column_width(0, 110)?;
        let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        let bold = wrap.clone().set_bold();
        sheet.write_string_with_format(0, 0, &doc.title, &title)?;
        sheet.write_string(1, 0, &doc.dates)?;
        for (r, (line, strong)) in lines.iter().enumerate() {
            sheet.write_string_with_format(
                3 + r as u32,
                0,
                line,
                if *strong { &bold } else { &wrap },
            )?;
        }
    }
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin)
        .set_background_color("F2F2F2");
    let body = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let mut appendix: Option<(&str, &str)> = None;
    let mut n = 0;
    for block in &doc.blocks {
        match block {
            Block::Appendix { label, title } => appendix = Some((label, title)),
            Block::Table { header, rows } => {
                n += 1;
                let (name, caption) = appendix.take().map_or_else(
                    || (format!("Bảng {n}"), doc.title.clone()),
                    |(l, t)| (sheet_name(l), format!("{l}. {t}")),
                );
                let sheet = workbook.add_worksheet();
                sheet.set_name(&name)?;
                sheet.write_string_with_format(0, 0, &caption, &title)?;
                sheet.write_string(1, 0, &doc.title)?;
                sheet.write_string(2, 0, &doc.dates)?;
                for (c, h) in header.iter().enumerate() {
                    let col = c as u16;
                    sheet.write_string_with_format(3, col, h, &head)?;
                    let longest = rows
                        .iter()
                        .filter_map(|r| r.cells.get(c))
                        .map(|cell| cell_text(cell).chars().count())
                        .chain([h.chars().count()])
                        .max()
                        .unwrap_or(8);
                    sheet.set_column_width(col, (longest as f64 * 1.1).clamp(6.0, 60.0))?;
                }
                for (r, row) in rows.iter().enumerate() {
                    for (c, cell) in row.cells.iter().enumerate() {
                        let (row, col, text) = (4 + r as u32, c as u16, cell_text(cell));
                        match vietnamese_number(&text) {
                            Some((value, format)) => {
                                let format = body.clone().set_num_format(format);
                                sheet.write_number_with_format(row, col, value, &format)?;
                            }
                            None => {
                                sheet.write_string_with_format(row, col, text, &body)?;
                            }
                        }
                    }
                }
                sheet.set_freeze_panes(4, 0)?;
            }
            _ => {}
        }
    }
    if n == 0 && lines.is_empty() {
        let sheet = workbook.add_worksheet();
        sheet.set_name("Báo cáo")?;
        sheet.write_string(0, 0, &doc.title)?;
        sheet.write_string(1, 0, "Báo cáo không có bảng số liệu.")?;
    }
    Ok(workbook.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, DataType, Reader, Xlsx, open_workbook_from_rs};
    use tiendo_report::doc::text;
    use tiendo_report::{Letterhead, TableRow};

    #[test]
    fn each_table_is_a_sheet_named_after_its_appendix() {
        let doc = Document {
            title: "Báo cáo thử".into(),
            dates: "tính đến ngày 31/5/2024, theo số liệu nhận đến ngày 05/6/2024".into(),
            letterhead: None,
            blocks: vec![
                Block::Appendix {
                    label: "Phụ lục I".into(),
                    title: "CHỈ TIÊU".into(),
                },
                Block::Table {
                    header: vec!["TT".into(), "Chỉ tiêu".into()],
                    rows: vec![TableRow {
                        anchor: None,
                        cells: vec![vec![text("1")], vec![text("Tỷ lệ "), text("81,2%")]],
                    }],
                },
            ],
        };
        let bytes = render(&doc).expect("xlsx");
        let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("open");
        assert_eq!(book.sheet_names(), vec!["Phụ lục I".to_string()]);
        let range = book.worksheet_range("Phụ lục I").expect("sheet");
        assert_eq!(
            range.get_value((0, 0)).map(|d| d.to_string()),
            Some("Phụ lục I. CHỈ TIÊU".to_string())
        );
        assert_eq!(
            range.get_value((4, 1)).map(|d| d.to_string()),
            Some("Tỷ lệ 81,2%".to_string())
        );
        assert_eq!(
            range.get_value((2, 0)).map(|d| d.to_string()),
            Some("tính đến ngày 31/5/2024, theo số liệu nhận đến ngày 05/6/2024".to_string()),
            "the dates of its figures"
        );
    }

    #[test]
    fn vietnamese_numbers_are_read_with_the_format_that_shows_them_as_written() {
        let cases: &[(&str, f64, &str)] = &[
            ("81,13%", 0.8113, "[$-42A]0.00%"),
            ("97,6%", 0.976, "[$-42A]0.0%"),
            ("100%", 1.0, "[$-42A]0%"),
            ("-2,5%", -0.025, "[$-42A]0.0%"),
            ("1.234,5%", 12.345, "[$-42A]#,##0.0%"),
            ("08", 8.0, "[$-42A]00"),
            ("01", 1.0, "[$-42A]00"),
            ("0", 0.0, "[$-42A]#,##0"),
            ("5", 5.0, "[$-42A]#,##0"),
            ("-5", -5.0, "[$-42A]#,##0"),
            ("1.086", 1086.0, "[$-42A]#,##0"),
            ("12.345.678", 12_345_678.0, "[$-42A]#,##0"),
            ("-1.086", -1086.0, "[$-42A]#,##0"),
            ("1086", 1086.0, "[$-42A]0"),
            ("53,88", 53.88, "[$-42A]#,##0.00"),
            ("0,5", 0.5, "[$-42A]#,##0.0"),
            ("1.234,567", 1234.567, "[$-42A]#,##0.000"),
            ("  21  ", 21.0, "[$-42A]#,##0"),
        ];
        for &(text, value, format) in cases {
            assert_eq!(
                vietnamese_number(text),
                Some((value, format.to_string())),
                "{text:?} is a number"
            );
        }
    }

    #[test]
    fn anything_but_a_whole_vietnamese_number_stays_text() {
        for text in [
            "",
            " ",
            "-",
            "%",
            ".",
            ",",
            "1.5",
            "1.",
            ".5",
            "1,",
            ",5",
            "1.08",
            "1.0860",
            "01.086",
            "1234.567",
            "1,5,3",
            "1.086.5",
            "19/21",
            "31/5/2024",
            "Tỷ lệ 81,2%",
            "81,2 %",
            "+5",
            "- 5",
            "5-",
            "1 086",
            "-0",
            "-0,00%",
            "12a",
            "١٢",
            "1234567890123456",
        ] {
            assert_eq!(vietnamese_number(text), None, "{text:?} is not a number");
        }
    }

    #[test]
    fn table_numbers_are_numbers_and_the_rest_text() {
        let doc = Document {
            title: "Báo cáo thử".into(),
            dates: String::new(),
            letterhead: None,
            blocks: vec![Block::Table {
                header: vec![
                    "Tỷ lệ".into(),
                    "Số".into(),
                    "Tổng".into(),
                    "Đạt".into(),
                    "Ghi chú".into(),
                ],
                rows: vec![TableRow {
                    anchor: None,
                    cells: vec![
                        vec![text("81,13%")],
                        vec![text("08")],
                        vec![text("1.086")],
                        vec![text("19/21")],
                        vec![text("Tỷ lệ "), text("81,2%")],
                    ],
                }],
            }],
        };
        let bytes = render(&doc).expect("xlsx");
        let mut styles = String::new();
        std::io::Read::read_to_string(
            &mut zip::ZipArchive::new(std::io::Cursor::new(bytes.clone()))
                .expect("zip")
                .by_name("xl/styles.xml")
                .expect("styles.xml"),
            &mut styles,
        )
        .expect("read");
        for format in ["[$-42A]0.00%", "[$-42A]00", "[$-42A]#,##0"] {
            assert!(
                styles.contains(&format!("formatCode=\"{format}\"")),
                "{format} in {styles}"
            );
        }
        let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("open");
        let range = book.worksheet_range("Bảng 1").expect("sheet");
        for (col, expected) in [(0, 0.8113), (1, 8.0), (2, 1086.0)] {
            let cell = range.get_value((4, col)).expect("cell");
            assert!(
                matches!(cell, Data::Float(_) | Data::Int(_)),
                "column {col} is a number: {cell:?}"
            );
            assert_eq!(cell.as_f64(), Some(expected), "column {col}");
        }
        assert_eq!(range.get_value((4, 3)), Some(&Data::String("19/21".into())));
        assert_eq!(
            range.get_value((4, 4)),
            Some(&Data::String("Tỷ lệ 81,2%".into()))
        );
    }

    #[test]
    fn workbook_properties_come_from_the_edition() {
        let doc = Document {
            title: "Báo cáo tiến độ".into(),
            dates: "tính đến ngày 31/5/2024".into(),
            letterhead: Some(Letterhead {
                issuer_id: "btttt".into(),
                issuer: "Bộ Thông tin và Truyền thông".into(),
                issuer_code: "BTTTT".into(),
                place: "Hà Nội".into(),
                date: chrono::NaiveDate::from_ymd_opt(2024, 6, 5).expect("date"),
                kind: "BÁO CÁO".into(),
                subject: "Tiến độ".into(),
            }),
            blocks: vec![Block::Paragraph(vec![text("Nội dung")])],
        };
        let core = |doc: &Document| {
            let bytes = render(doc).expect("xlsx");
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
            let mut xml = String::new();
            std::io::Read::read_to_string(
                &mut zip.by_name("docProps/core.xml").expect("core.xml"),
                &mut xml,
            )
            .expect("read");
            xml
        };
        let xml = core(&doc);
        assert!(
            xml.contains("<dc:title>Báo cáo tiến độ</dc:title>"),
            "{xml}"
        );
        assert!(
            xml.contains("<dc:creator>Bộ Thông tin và Truyền thông</dc:creator>"),
            "{xml}"
        );
        assert!(
            xml.contains("<dc:subject>tính đến ngày 31/5/2024</dc:subject>"),
            "{xml}"
        );
        assert!(
            xml.contains(">2024-06-05T00:00:00Z</dcterms:created>"),
            "{xml}"
        );

        let draft = Document {
            letterhead: None,
            ..doc
        };
        let xml = core(&draft);
        assert!(
            xml.contains("<dc:title>Báo cáo tiến độ</dc:title>"),
            "{xml}"
        );
        assert!(
            !xml.contains("Bộ Thông tin"),
            "no author without a letterhead: {xml}"
        );
    }

    #[test]
    fn the_text_of_the_report_is_the_first_sheet() {
        let doc = Document {
            title: "Báo cáo thử".into(),
            dates: String::new(),
            letterhead: None,
            blocks: vec![
                Block::Heading(3, "I. KẾT QUẢ".into()),
                Block::Paragraph(vec![
                    text("Đã kích hoạt "),
                    Inline::Figure {
                        text: "trên 53,88 triệu".into(),
                        sources: vec![],
                    },
                    text(" tài khoản"),
                    Inline::Footnote("Theo Bộ Công an.".into()),
                ]),
                Block::Bullets(vec![vec![text("một")]]),
                Block::Closing("Trên đây là báo cáo".into()),
                Block::Appendix {
                    label: "Phụ lục I".into(),
                    title: "A".into(),
                },
                Block::Table {
                    header: vec!["TT".into()],
                    rows: vec![],
                },
            ],
        };
        let mut book: Xlsx<_> =
            open_workbook_from_rs(std::io::Cursor::new(render(&doc).expect("xlsx"))).expect("open");
        assert_eq!(
            book.sheet_names(),
            vec!["Báo cáo".to_string(), "Phụ lục I".to_string()]
        );
        let range = book.worksheet_range("Báo cáo").expect("sheet");
        let column: Vec<String> = (3..8)
            .map(|r| {
                range
                    .get_value((r, 0))
                    .map(|d| d.to_string())
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(
            column,
            [
                "I. KẾT QUẢ",
                "Đã kích hoạt trên 53,88 triệu tài khoản(1)",
                "- một",
                "Trên đây là báo cáo./.",
                "(1) Theo Bộ Công an."
            ]
        );
    }
}
