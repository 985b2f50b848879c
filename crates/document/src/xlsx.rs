//! The report as a workbook: its text (headings, paragraphs, the narrative, the closing;
//! footnotes at the end) on a first sheet "Báo cáo", then one sheet per table, named
//! after its appendix ("Phụ lục I"), with the appendix title above the header row.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
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
                        sheet.write_string_with_format(
                            4 + r as u32,
                            c as u16,
                            cell_text(cell),
                            &body,
                        )?;
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
    use calamine::{Reader, Xlsx, open_workbook_from_rs};
    use tiendo_report::TableRow;
    use tiendo_report::doc::text;

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
