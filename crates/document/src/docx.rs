//! The report as a Word document in the layout of Nghị định 30/2020/NĐ-CP (DOMAIN.md
//! §5): A4 portrait, margins 20/20/30/15 mm, Times New Roman 14 pt, the two-column
//! header with its short rules, the type and subject, "Kính gửi", numbered headings,
//! justified body with a first-line indent, real footnotes, tables whose header rows
//! repeat on every page, page numbers centred at the top from page 2, the closing "./.",
//! "Nơi nhận" and the signature block, and appendices on their own pages.

use std::io::Cursor;

use docx_rs::{
    AlignmentType, BreakType, Docx, Footnote, Header, HeightRule, LineSpacing, LineSpacingType,
    PageMargin, PageNum, Paragraph, ParagraphBorder, ParagraphBorderPosition, ParagraphBorders,
    Pic, Run, RunFonts, Shading, SpecialIndentType, Style, StyleType, Table, TableCell,
    TableLayoutType, TableRow, VertAlignType, WidthType,
};
use tiendo_report::{Block, Document, Inline};

use crate::settings::ReportSettings;
use crate::{DocumentError, chart, fonts, official_parts};

/// Page and margins in twentieths of a point (twips).
pub mod layout {
    /// A4: 210 × 297 mm.
    pub const PAGE_WIDTH: u32 = 11906;
    pub const PAGE_HEIGHT: u32 = 16838;
    /// 20 mm.
    pub const MARGIN_TOP: i32 = 1134;
    /// 20 mm.
    pub const MARGIN_BOTTOM: i32 = 1134;
    /// 30 mm.
    pub const MARGIN_LEFT: i32 = 1701;
    /// 15 mm.
    pub const MARGIN_RIGHT: i32 = 851;
    /// Distance of the page number from the top edge: 10 mm.
    pub const HEADER_DISTANCE: i32 = 567;
    /// The width of the text.
    pub const TEXT_WIDTH: i32 = PAGE_WIDTH as i32 - MARGIN_LEFT - MARGIN_RIGHT;
    /// First-line indent of body paragraphs: 1 cm.
    pub const FIRST_LINE_INDENT: i32 = 567;
    /// Body text size in half-points: 14 pt.
    pub const BODY_SIZE: usize = 28;
    /// Table text size: 12 pt.
    pub const TABLE_SIZE: usize = 24;
    /// Footnote text size: 11 pt.
    pub const FOOTNOTE_SIZE: usize = 22;
    /// Width of the left column of the header and footer tables.
    pub const LEFT_COLUMN: i32 = 3800;
}

use layout::*;

fn fonts_named() -> RunFonts {
    RunFonts::new()
        .ascii(fonts::DOCX_FAMILY)
        .hi_ansi(fonts::DOCX_FAMILY)
        .cs(fonts::DOCX_FAMILY)
        .east_asia(fonts::DOCX_FAMILY)
}

fn spacing(before: u32, after: u32) -> LineSpacing {
    LineSpacing::new()
        .before(before)
        .after(after)
        .line(264)
        .line_rule(LineSpacingType::Auto)
}

fn tight() -> LineSpacing {
    LineSpacing::new()
        .before(0)
        .after(0)
        .line(240)
        .line_rule(LineSpacingType::Auto)
}

fn run(text: &str, size: usize) -> Run {
    Run::new().add_text(text).size(size)
}

fn centred(text: &str, size: usize) -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Center)
        .line_spacing(tight())
        .add_run(run(text, size))
}

/// A short horizontal rule: an empty paragraph with a top border, narrowed by indents.
fn rule(width_available: i32, length: i32) -> Paragraph {
    let side = ((width_available - length) / 2).max(0);
    let mut p = Paragraph::new()
        .align(AlignmentType::Center)
        .indent(Some(side), None, Some(side), None)
        .line_spacing(
            LineSpacing::new()
                .before(40)
                .after(0)
                .line(120)
                .line_rule(LineSpacingType::Exact),
        )
        .add_run(Run::new().size(4));
    p.property = p.property.set_borders(
        ParagraphBorders::with_empty().set(
            ParagraphBorder::new(ParagraphBorderPosition::Top)
                .size(6)
                .space(0)
                .color("000000"),
        ),
    );
    p
}

fn borderless_cell(width: i32) -> TableCell {
    TableCell::new()
        .width(width as usize, WidthType::Dxa)
        .clear_all_border()
}

fn two_columns(left: TableCell, right: TableCell) -> TableRow {
    TableRow::new(vec![left, right])
}

fn borderless(rows: Vec<TableRow>) -> Table {
    Table::without_borders(rows)
        .set_grid(vec![
            LEFT_COLUMN as usize,
            (TEXT_WIDTH - LEFT_COLUMN) as usize,
        ])
        .layout(TableLayoutType::Fixed)
        .width(TEXT_WIDTH as usize, WidthType::Dxa)
}

struct Writer {
    docx: Docx,
    charts: usize,
}

impl Writer {
    fn runs(&self, mut p: Paragraph, items: &[Inline], size: usize, italic: bool) -> Paragraph {
        let styled = |r: Run| if italic { r.italic() } else { r };
        for item in items {
            p = match item {
                Inline::Text(t) | Inline::Figure { text: t, .. } => p.add_run(styled(run(t, size))),
                Inline::Bold(t) => p.add_run(styled(run(t, size).bold())),
                Inline::Footnote(note) => {
                    let content = Paragraph::new()
                        .align(AlignmentType::Both)
                        .line_spacing(tight())
                        .add_run(run(note, FOOTNOTE_SIZE));
                    p.add_run(
                        Run::new().add_footnote_reference(Footnote::new().add_content(content)),
                    )
                }
            };
        }
        p
    }

    fn body_paragraph(&self, items: &[Inline]) -> Paragraph {
        let p = Paragraph::new()
            .align(AlignmentType::Both)
            .indent(
                None,
                Some(SpecialIndentType::FirstLine(FIRST_LINE_INDENT)),
                None,
                None,
            )
            .line_spacing(spacing(0, 120));
        self.runs(p, items, BODY_SIZE, false)
    }

    fn add(&mut self, p: Paragraph) {
        let docx = std::mem::take(&mut self.docx);
        self.docx = docx.add_paragraph(p);
    }

    fn add_table(&mut self, t: Table) {
        let docx = std::mem::take(&mut self.docx);
        self.docx = docx.add_table(t);
    }

    fn letterhead(&mut self, doc: &Document, s: &ReportSettings) {
        let right_width = TEXT_WIDTH - LEFT_COLUMN;
        let mut left = borderless_cell(LEFT_COLUMN);
        for line in s.parent_body_lines() {
            left = left.add_paragraph(centred(&line, 26));
        }
        for line in s.issuing_body_lines() {
            left = left.add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .line_spacing(tight())
                    .add_run(run(&line, 26).bold()),
            );
        }
        left = left.add_paragraph(rule(LEFT_COLUMN - 216, 1300));
        let right = borderless_cell(right_width)
            .add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .line_spacing(tight())
                    .add_run(run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 24).bold()),
            )
            .add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .line_spacing(tight())
                    .add_run(run("Độc lập - Tự do - Hạnh phúc", 26).bold()),
            )
            .add_paragraph(rule(right_width - 216, 3100));
        let mut number = borderless_cell(LEFT_COLUMN).add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .line_spacing(spacing(60, 0))
                .add_run(run(&s.number_line(), 26)),
        );
        if let Some(excerpt) = crate::letter_excerpt(doc) {
            number = number.add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .line_spacing(spacing(60, 0))
                    .add_run(run(&excerpt, 24)),
            );
        }
        let date = borderless_cell(right_width).add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .line_spacing(spacing(60, 0))
                .add_run(run(&s.place_and_date(), 28).italic()),
        );
        self.add_table(borderless(vec![
            two_columns(left, right),
            two_columns(number, date),
        ]));
        if crate::letter_excerpt(doc).is_none() {
            let kind = doc
                .letterhead
                .as_ref()
                .map_or("BÁO CÁO", |l| l.kind.as_str())
                .to_uppercase();
            self.add(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .line_spacing(spacing(360, 0))
                    .add_run(run(&kind, 28).bold()),
            );
            let subject = doc
                .letterhead
                .as_ref()
                .map_or(doc.title.as_str(), |l| l.subject.as_str());
            self.add(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .line_spacing(spacing(0, 0))
                    .add_run(run(subject, 28).bold()),
            );
            self.add(rule(TEXT_WIDTH, 2400));
        } else {
            self.add(
                Paragraph::new()
                    .line_spacing(spacing(240, 0))
                    .add_run(Run::new().size(BODY_SIZE)),
            );
        }
        match s.addressees.as_slice() {
            [] => {}
            [one] => self.add(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .line_spacing(spacing(120, 240))
                    .add_run(run(
                        &format!("Kính gửi: {}.", one.trim_end_matches('.')),
                        28,
                    )),
            ),
            many => {
                self.add(
                    Paragraph::new()
                        .indent(Some(1701), None, None, None)
                        .line_spacing(spacing(120, 0))
                        .add_run(run("Kính gửi:", 28)),
                );
                let last = many.len() - 1;
                for (i, a) in many.iter().enumerate() {
                    let end = if i == last { "." } else { ";" };
                    let p = Paragraph::new()
                        .indent(Some(3119), None, None, None)
                        .line_spacing(spacing(0, if i == last { 240 } else { 0 }));
                    self.add(p.add_run(run(
                        &format!("- {}{end}", a.trim_end_matches(['.', ';'])),
                        28,
                    )));
                }
            }
        }
        if s.addressees.is_empty() {
            self.add(
                Paragraph::new()
                    .line_spacing(spacing(0, 120))
                    .add_run(Run::new().size(BODY_SIZE)),
            );
        }
    }

    fn block(&mut self, block: &Block) -> Result<(), DocumentError> {
        match block {
            Block::Heading(level, t) if *level <= 2 => self.add(
                Paragraph::new()
                    .style(heading_style(*level))
                    .align(AlignmentType::Center)
                    .add_run(run(t, BODY_SIZE)),
            ),
            Block::Heading(level, t) => self.add(
                Paragraph::new()
                    .style(heading_style(*level))
                    .add_run(run(t, BODY_SIZE)),
            ),
            Block::Closing(summary) => {
                let p = self.body_paragraph(&[Inline::Text(summary.clone())]);
                self.add(p);
            }
            Block::Paragraph(items) => {
                let p = self.body_paragraph(items);
                let p = if items.iter().all(|i| matches!(i, Inline::Bold(_))) {
                    p.keep_next(true)
                } else {
                    p
                };
                self.add(p);
            }
            Block::Centered(items) => {
                let p = Paragraph::new()
                    .align(AlignmentType::Center)
                    .line_spacing(spacing(0, 120));
                let p = self.runs(p, items, BODY_SIZE, true);
                self.add(p);
            }
            Block::Bullets(items) => {
                for item in items {
                    let mut line = vec![Inline::Text("- ".to_string())];
                    line.extend(item.iter().cloned());
                    let p = self.body_paragraph(&line);
                    self.add(p);
                }
            }
            Block::Table { header, rows } => self.table(header, rows),
            Block::Appendix { .. } => {}
            Block::Chart(c) => self.chart(c)?,
        }
        Ok(())
    }

    fn table(&mut self, header: &[String], rows: &[tiendo_report::TableRow]) {
        let widths = column_widths(header, rows);
        let cell = |width: i32| TableCell::new().width(width as usize, WidthType::Dxa);
        let head = TableRow::new(
            header
                .iter()
                .zip(&widths)
                .map(|(h, w)| {
                    cell(*w)
                        .shading(Shading::new().fill("F2F2F2"))
                        .add_paragraph(
                            Paragraph::new()
                                .align(AlignmentType::Center)
                                .line_spacing(tight())
                                .add_run(run(h, TABLE_SIZE).bold()),
                        )
                })
                .collect(),
        )
        .cant_split();
        let mut table_rows = vec![head];
        for row in rows {
            let cells = row
                .cells
                .iter()
                .zip(&widths)
                .map(|(c, w)| {
                    let p = Paragraph::new()
                        .align(AlignmentType::Left)
                        .line_spacing(tight());
                    cell(*w).add_paragraph(self.runs(p, c, TABLE_SIZE, false))
                })
                .collect();
            table_rows.push(TableRow::new(cells));
        }
        let table = Table::new(table_rows)
            .set_grid(widths.iter().map(|w| *w as usize).collect())
            .layout(TableLayoutType::Fixed)
            .width(TEXT_WIDTH as usize, WidthType::Dxa);
        self.add_table(table);
        self.add(
            Paragraph::new()
                .line_spacing(spacing(0, 120))
                .add_run(Run::new().size(TABLE_SIZE)),
        );
    }

    fn chart(&mut self, c: &tiendo_report::Chart) -> Result<(), DocumentError> {
        self.charts += 1;
        let svg = chart::svg(c);
        let png = chart::png(&svg, 3.0)?;
        // 1 SVG unit = 1/96 inch = 9525 EMU; the chart is drawn at its natural size.
        let emu = |units: f64| (units * 9525.0).round() as u32;
        let pic =
            Pic::new_with_dimensions(png, (svg.width * 3.0) as u32, (svg.height * 3.0) as u32)
                .size(emu(svg.width), emu(svg.height));
        self.add(
            Paragraph::new()
                .align(AlignmentType::Center)
                .line_spacing(spacing(120, 0))
                .keep_next(true)
                .add_run(Run::new().add_image(pic)),
        );
        self.add(
            Paragraph::new()
                .align(AlignmentType::Center)
                .line_spacing(spacing(60, 180))
                .add_run(run(&format!("Biểu đồ {}. {}", self.charts, c.title), 26).italic()),
        );
        Ok(())
    }

    fn signature(&mut self, s: &ReportSettings) {
        let right_width = TEXT_WIDTH - LEFT_COLUMN;
        let mut left = borderless_cell(LEFT_COLUMN).add_paragraph(
            Paragraph::new()
                .line_spacing(spacing(240, 0))
                .add_run(run("Nơi nhận:", 24).bold().italic()),
        );
        for line in s.recipient_lines() {
            left = left.add_paragraph(
                Paragraph::new()
                    .line_spacing(tight())
                    .add_run(run(&line, 22)),
            );
        }
        let mut right = borderless_cell(right_width);
        for (i, line) in s.signer_lines().iter().enumerate() {
            right = right.add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .line_spacing(spacing(if i == 0 { 240 } else { 0 }, 0))
                    .add_run(run(line, 28).bold()),
            );
        }
        for _ in 0..4 {
            right = right.add_paragraph(
                Paragraph::new()
                    .line_spacing(tight())
                    .add_run(Run::new().size(BODY_SIZE)),
            );
        }
        right = right.add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .line_spacing(tight())
                .add_run(run(&s.signer_name, 28).bold()),
        );
        // The signature block never splits across pages. Its row carries an automatic
        // height besides `w:cantSplit`, so that `repeat_header_rows` does not take it for
        // a table's header row.
        let row = two_columns(left, right)
            .cant_split()
            .row_height(0.0)
            .height_rule(HeightRule::Auto);
        self.add_table(borderless(vec![row]));
    }

    /// An appendix starts on a new page with its label, its title and the line that ties
    /// it to the report; the label and title are one paragraph at the outline's first
    /// level, so that Word's navigation pane (and a PDF made from it) lists the appendix.
    fn appendix(&mut self, label: &str, title: &str, s: &ReportSettings) {
        self.add(
            Paragraph::new()
                .align(AlignmentType::Center)
                .line_spacing(tight())
                .outline_lvl(0)
                .keep_next(true)
                .add_run(Run::new().add_break(BreakType::Page))
                .add_run(run(label, 28).bold().add_break(BreakType::TextWrapping))
                .add_run(run(title, 28).bold()),
        );
        self.add(
            Paragraph::new()
                .align(AlignmentType::Center)
                .line_spacing(spacing(0, 240))
                .add_run(run(&s.appendix_reference(), 28).italic()),
        );
    }
}

/// Column widths in twips: each column at least as wide as its widest word, measured in
/// the font at 12 pt (bold in the header) plus the cell margins, so that no word (an
/// abbreviation such as "NN&PTNT", a status) is ever broken inside; the rest of the text
/// width shared in proportion to the square root of the average measured length of the
/// column's cells (long texts get more room without starving the others).
pub(crate) fn column_widths(header: &[String], rows: &[tiendo_report::TableRow]) -> Vec<i32> {
    let size = TABLE_SIZE as f64 / 2.0;
    // Word's default cell margins (0,08 inch each side) and a little room for rounding.
    let margins = 216.0 + 40.0;
    let pieces = |c: &[Inline]| -> Vec<(String, bool)> {
        c.iter()
            .filter_map(|i| match i {
                Inline::Text(t) | Inline::Figure { text: t, .. } => Some((t.clone(), false)),
                Inline::Bold(t) => Some((t.clone(), true)),
                Inline::Footnote(_) => None,
            })
            .collect()
    };
    let widest_word = |pieces: &[(String, bool)]| {
        pieces
            .iter()
            .flat_map(|(t, bold)| {
                t.split_whitespace()
                    .map(move |w| fonts::width_pt(w, size, *bold))
            })
            .fold(0.0, f64::max)
    };
    let length = |pieces: &[(String, bool)]| {
        pieces
            .iter()
            .map(|(t, bold)| fonts::width_pt(t, size, *bold))
            .sum::<f64>()
    };
    let mut mins = Vec::with_capacity(header.len());
    let mut weights = Vec::with_capacity(header.len());
    for (col, h) in header.iter().enumerate() {
        let cells: Vec<Vec<(String, bool)>> = rows
            .iter()
            .filter_map(|r| r.cells.get(col))
            .map(|c| pieces(c))
            .collect();
        let widest = cells
            .iter()
            .map(|c| widest_word(c))
            .fold(widest_word(&[(h.clone(), true)]), f64::max);
        mins.push(widest * 20.0 + margins);
        weights.push(
            (cells.iter().map(|c| length(c)).sum::<f64>() / cells.len().max(1) as f64)
                .max(1.0)
                .sqrt(),
        );
    }
    let text_width = f64::from(TEXT_WIDTH);
    let min_total: f64 = mins.iter().sum();
    let mut widths: Vec<i32> = if min_total >= text_width {
        mins.iter()
            .map(|m| (m * text_width / min_total).floor() as i32)
            .collect()
    } else {
        let total: f64 = weights.iter().sum();
        mins.iter()
            .zip(&weights)
            .map(|(m, w)| (m + (text_width - min_total) * w / total).floor() as i32)
            .collect()
    };
    let used: i32 = widths.iter().sum();
    if let Some(widest) = widths.iter_mut().max() {
        *widest += TEXT_WIDTH - used;
    }
    widths
}

/// The Word style of a heading: the report's sections "I." are Heading 1, "1." Heading 2
/// and "a)" or "1.1." Heading 3, so that Word's navigation pane and a table of contents
/// find them (levels 1 to 3 of the report model are titles, styled as Heading 1).
fn heading_style(level: u8) -> &'static str {
    match level {
        0..=3 => "Heading1",
        4 => "Heading2",
        _ => "Heading3",
    }
}

/// Heading 1–3: bold 14 pt like the body (NĐ 30 sets headings in the body's size), kept
/// with the next paragraph, with outline levels; Heading 3 bold italic.
fn heading_styles() -> Vec<Style> {
    [
        ("Heading1", "heading 1", 0),
        ("Heading2", "heading 2", 1),
        ("Heading3", "heading 3", 2),
    ]
    .into_iter()
    .map(|(id, name, level)| {
        let style = Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on("Normal")
            .next("Normal")
            .q_format(true)
            .bold()
            .size(BODY_SIZE)
            .fonts(fonts_named())
            .outline_lvl(level)
            .align(AlignmentType::Both)
            .indent(
                None,
                Some(SpecialIndentType::FirstLine(FIRST_LINE_INDENT)),
                None,
                None,
            )
            .line_spacing(spacing(120, 120));
        let mut style = if level == 2 { style.italic() } else { style };
        style.paragraph_property = style.paragraph_property.keep_next(true);
        style
    })
    .collect()
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The document's properties (docProps/core.xml): its title (type and subject), author
/// and last editor the issuing body, created and modified on the issue date.
fn core_properties(doc: &Document, s: &ReportSettings) -> Vec<u8> {
    let title = doc.letterhead.as_ref().map_or_else(
        || doc.title.clone(),
        |l| format!("{} {}", l.kind, l.subject),
    );
    let date = format!("{}T00:00:00Z", s.date.format("%Y-%m-%d"));
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>{title}</dc:title><dc:subject>{subject}</dc:subject><dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy><dc:language>vi-VN</dc:language><cp:revision>1</cp:revision><dcterms:created xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:modified></cp:coreProperties>",
        title = xml_escape(&title),
        subject = xml_escape(&s.number_line()),
        author = xml_escape(&s.issuing_body),
    )
    .into_bytes()
}

/// Render the report as DOCX bytes.
pub fn render(doc: &Document, settings: &ReportSettings) -> Result<Vec<u8>, DocumentError> {
    let mut footnote_reference =
        Style::new("FootnoteReference", StyleType::Character).name("footnote reference");
    footnote_reference.run_property = footnote_reference
        .run_property
        .vert_align(VertAlignType::SuperScript);
    let page_number = Header::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_page_num(PageNum::new())
            .size(26),
    );
    let docx = Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(PageMargin {
            top: MARGIN_TOP,
            left: MARGIN_LEFT,
            bottom: MARGIN_BOTTOM,
            right: MARGIN_RIGHT,
            header: HEADER_DISTANCE,
            footer: HEADER_DISTANCE,
            gutter: 0,
        })
        .default_fonts(fonts_named())
        .default_size(BODY_SIZE)
        .add_style(footnote_reference)
        .header(page_number)
        .first_header(Header::new())
        .title_pg();
    let docx = heading_styles().into_iter().fold(docx, Docx::add_style);
    let mut w = Writer { docx, charts: 0 };
    w.letterhead(doc, settings);
    let (body, appendices) = official_parts(doc, settings);
    for (i, block) in body.iter().enumerate() {
        match block {
            // The last paragraph (the one ending "./.") stays on the page of the signature.
            Block::Paragraph(items) if i + 1 == body.len() => {
                let p = w.body_paragraph(items).keep_next(true);
                w.add(p);
            }
            _ => w.block(block)?,
        }
    }
    w.signature(settings);
    for appendix in appendices {
        w.appendix(appendix.label, appendix.title, settings);
        for block in appendix.blocks {
            w.block(block)?;
        }
    }
    let mut xml = w.docx.build();
    xml.document = repeat_header_rows(&xml.document);
    xml.footnotes = number_footnotes(&xml.footnotes);
    xml.doc_props.core = core_properties(doc, settings);
    let mut out = Cursor::new(Vec::new());
    xml.pack(&mut out)
        .map_err(|e| DocumentError::Docx(e.to_string()))?;
    Ok(out.into_inner())
}

/// docx-rs has no `w:tblHeader`: table header rows are the only rows written with
/// `w:cantSplit`, so mark exactly those as header rows repeated on every page.
fn repeat_header_rows(document: &[u8]) -> Vec<u8> {
    String::from_utf8_lossy(document)
        .replace(
            "<w:trPr><w:cantSplit /></w:trPr>",
            "<w:trPr><w:cantSplit /><w:tblHeader /></w:trPr>",
        )
        .into_bytes()
}

/// docx-rs writes footnote text without the `w:footnoteRef` mark that prints the
/// footnote's number in front of it; add the mark to the first paragraph of each note.
fn number_footnotes(footnotes: &[u8]) -> Vec<u8> {
    let xml = String::from_utf8_lossy(footnotes);
    let mark = "<w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\" /></w:rPr><w:footnoteRef /></w:r><w:r><w:t xml:space=\"preserve\"> </w:t></w:r>";
    let mut out = String::with_capacity(xml.len() + 256);
    let mut rest: &str = &xml;
    while let Some(start) = rest.find("<w:footnote ") {
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        let is_note = !from.starts_with("<w:footnote w:type=")
            && !from.starts_with("<w:footnote w:id=\"-")
            && !from.starts_with("<w:footnote w:id=\"0\"");
        match (is_note, from.find("</w:pPr>")) {
            (true, Some(end)) => {
                let end = end + "</w:pPr>".len();
                out.push_str(&from[..end]);
                out.push_str(mark);
                rest = &from[end..];
            }
            _ => {
                out.push_str(&from[.."<w:footnote ".len()]);
                rest = &from["<w:footnote ".len()..];
            }
        }
    }
    out.push_str(rest);
    out.into_bytes()
}
