//! A small document model with two renderers (Markdown and HTML). Figures carry the
//! records they were computed from, so that the HTML can show them. The model also
//! carries what an official layout needs (the letterhead, appendix titles, charts);
//! `tiendo-document` renders it as DOCX, PDF and XLSX.

use std::fmt::Write as _;

use chrono::NaiveDate;
use tiendo_core::format;

/// A record a figure was computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// Anchor of the record's row in an appendix, if it has one.
    pub anchor: Option<String>,
    /// What to show: the record and its provenance.
    pub label: String,
}

/// Inline content.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Bold(String),
    /// A computed figure and the records behind it.
    Figure {
        text: String,
        sources: Vec<Source>,
    },
    /// A footnote (lists of agencies).
    Footnote(String),
}

pub fn text(s: impl Into<String>) -> Inline {
    Inline::Text(s.into())
}

pub fn figure(s: impl Into<String>, sources: Vec<Source>) -> Inline {
    Inline::Figure {
        text: s.into(),
        sources,
    }
}

/// Block content.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(u8, String),
    Paragraph(Vec<Inline>),
    Bullets(Vec<Vec<Inline>>),
    Table {
        header: Vec<String>,
        rows: Vec<TableRow>,
    },
    /// Right-aligned or centred lines such as the place and date.
    Centered(Vec<Inline>),
    /// The start of an appendix: "Phụ lục I" and its title in capitals.
    Appendix {
        label: String,
        title: String,
    },
    /// The closing sentence of the body, "Trên đây là báo cáo tình hình thực hiện …": the
    /// official layouts add "<issuing body> kính báo cáo <addressees>" when the report is
    /// addressed, and every format ends it with "./." (Nghị định 30/2020).
    Closing(String),
    /// A chart; drawn in DOCX and PDF, left out of Markdown and HTML (the same figures
    /// are in the text and tables).
    Chart(Chart),
}

/// How a chart draws its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// One line per series over the labels (periods), with the target as a reference line.
    Lines,
    /// One horizontal bar per label (agency), the series stacked, with the target as a
    /// reference line.
    StackedBars,
}

/// A named series of values, one per label of its chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

/// A chart computed from records: trend of indicators against their targets, or a
/// comparison between agencies.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub kind: ChartKind,
    pub title: String,
    /// The unit of the value axis ("%", "nhiệm vụ").
    pub unit: String,
    /// Category labels: periods for lines, agencies for bars.
    pub labels: Vec<String>,
    pub series: Vec<Series>,
    /// A reference value drawn across the chart, with its label ("Mục tiêu 80%").
    pub reference: Option<(f64, String)>,
    /// The decimals its values are written with, as the text writes them
    /// ([`tiendo_core::figure`]: a value two, an attainment one).
    pub decimals: usize,
}

/// The header of an official document (Nghị định 30/2020/NĐ-CP): the issuing body, the
/// place and date, the type and the subject.
#[derive(Debug, Clone, PartialEq)]
pub struct Letterhead {
    /// Id of the issuing agency.
    pub issuer_id: String,
    /// Its name as in the header ("Bộ Thông tin và Truyền thông").
    pub issuer: String,
    /// Its code, used in the document number ("BTTTT" in "Số: …/BC-BTTTT").
    pub issuer_code: String,
    pub place: String,
    pub date: NaiveDate,
    /// The type of document in capitals: "BÁO CÁO".
    pub kind: String,
    pub subject: String,
}

impl Letterhead {
    /// The place and date line: "Hà Nội, ngày 31 tháng 5 năm 2024".
    pub fn place_and_date(&self) -> String {
        format!("{}, {}", self.place, format::date_long(self.date))
    }

    /// The letterhead as plain blocks, for renderers without an official layout.
    pub fn blocks(&self) -> Vec<Block> {
        vec![
            Block::Paragraph(vec![Inline::Bold(self.issuer.to_uppercase())]),
            Block::Centered(vec![text(self.place_and_date())]),
            Block::Heading(1, self.kind.clone()),
            Block::Heading(2, self.subject.clone()),
        ]
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    pub anchor: Option<String>,
    pub cells: Vec<Vec<Inline>>,
}

/// A document: a title, an optional letterhead and blocks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub title: String,
    /// The dates its figures are computed at, in words ("tính đến ngày …, theo số liệu
    /// nhận đến ngày …"), for the formats that show no running text (XLSX).
    pub dates: String,
    pub letterhead: Option<Letterhead>,
    pub blocks: Vec<Block>,
}

impl Document {
    /// The letterhead's blocks followed by the body's.
    fn all_blocks(&self) -> Vec<Block> {
        let mut blocks = self
            .letterhead
            .as_ref()
            .map(Letterhead::blocks)
            .unwrap_or_default();
        blocks.extend(self.blocks.iter().cloned());
        blocks
    }
}

/// Text as Markdown shows it, never as HTML: a `<` that would open a tag, a comment or a
/// declaration is written as the entity `&lt;` ("99% < 100%" stays as it is).
fn md_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '<'
            && chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?'))
        {
            out.push_str("&lt;");
        } else {
            out.push(c);
        }
    }
    out
}

fn md_escape_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Render as Markdown; footnotes are numbered in order of appearance.
pub fn to_markdown(doc: &Document) -> String {
    let mut out = String::new();
    let mut notes: Vec<String> = Vec::new();
    let inline = |items: &[Inline], notes: &mut Vec<String>| -> String {
        let mut s = String::new();
        for item in items {
            match item {
                Inline::Text(t) => s.push_str(&md_text(t)),
                Inline::Bold(t) => write!(s, "**{}**", md_text(t)).expect("write to string"),
                Inline::Figure { text, .. } => s.push_str(&md_text(text)),
                Inline::Footnote(note) => {
                    notes.push(md_text(note));
                    write!(s, "[^{}]", notes.len()).expect("write to string");
                }
            }
        }
        s
    };
    for block in &doc.all_blocks() {
        match block {
            Block::Appendix { label, title } => {
                writeln!(out, "### {label}. {title}\n").expect("write")
            }
            Block::Chart(_) => {}
            Block::Heading(level, t) => {
                writeln!(out, "{} {t}\n", "#".repeat(*level as usize)).expect("write")
            }
            Block::Paragraph(items) => {
                writeln!(out, "{}\n", inline(items, &mut notes)).expect("write")
            }
            Block::Centered(items) => {
                writeln!(out, "*{}*\n", inline(items, &mut notes)).expect("write")
            }
            Block::Closing(summary) => writeln!(out, "{}./.\n", md_text(summary)).expect("write"),
            Block::Bullets(items) => {
                for item in items {
                    writeln!(out, "- {}", inline(item, &mut notes)).expect("write");
                }
                out.push('\n');
            }
            Block::Table { header, rows } => {
                writeln!(out, "| {} |", header.join(" | ")).expect("write");
                writeln!(out, "|{}", "---|".repeat(header.len())).expect("write");
                for row in rows {
                    let cells: Vec<String> = row
                        .cells
                        .iter()
                        .map(|c| md_escape_cell(&inline(c, &mut notes)))
                        .collect();
                    writeln!(out, "| {} |", cells.join(" | ")).expect("write");
                }
                out.push('\n');
            }
        }
    }
    for (i, note) in notes.iter().enumerate() {
        writeln!(out, "[^{}]: {note}", i + 1).expect("write");
    }
    out
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Render as a standalone HTML page, its style inside it. Each figure shows its records
/// on hover and links to the first appendix row it comes from.
pub fn to_html(doc: &Document) -> String {
    html_page(doc, &format!("<style>\n{STYLE}</style>"))
}

/// The same page with its style in a stylesheet at `href` (the web app serves [`STYLE`]
/// there, so its Content-Security-Policy, which forbids inline styles, keeps it styled).
pub fn to_html_linked(doc: &Document, href: &str) -> String {
    html_page(
        doc,
        &format!("<link rel=\"stylesheet\" href=\"{}\">", esc(href)),
    )
}

fn html_page(doc: &Document, style: &str) -> String {
    let body = blocks_to_html(&doc.all_blocks());
    format!(
        "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n{style}\n</head>\n<body>\n{}</body>\n</html>\n",
        esc(&doc.title),
        body
    )
}

/// Blocks as an HTML fragment (every text escaped), their footnotes numbered at the end:
/// the body of [`to_html`], or a part of a page.
pub fn blocks_to_html(blocks: &[Block]) -> String {
    let mut body = String::new();
    let mut notes: Vec<String> = Vec::new();
    let inline = |items: &[Inline], notes: &mut Vec<String>| -> String {
        let mut s = String::new();
        for item in items {
            match item {
                Inline::Text(t) => s.push_str(&esc(t)),
                Inline::Bold(t) => write!(s, "<strong>{}</strong>", esc(t)).expect("write"),
                Inline::Figure { text, sources } => {
                    let title = sources
                        .iter()
                        .map(|src| src.label.as_str())
                        .collect::<Vec<_>>()
                        .join("\n");
                    match sources.iter().find_map(|src| src.anchor.as_deref()) {
                        Some(anchor) => write!(
                            s,
                            "<a class=\"fig\" href=\"#{}\" title=\"{}\">{}</a>",
                            esc(anchor),
                            esc(&title),
                            esc(text)
                        ),
                        None => write!(
                            s,
                            "<span class=\"fig\" title=\"{}\">{}</span>",
                            esc(&title),
                            esc(text)
                        ),
                    }
                    .expect("write");
                }
                Inline::Footnote(note) => {
                    notes.push(note.clone());
                    let n = notes.len();
                    write!(s, "<sup><a href=\"#fn{n}\" id=\"ref{n}\">{n}</a></sup>")
                        .expect("write");
                }
            }
        }
        s
    };
    for block in blocks {
        match block {
            Block::Appendix { label, title } => {
                writeln!(body, "<h3>{}. {}</h3>", esc(label), esc(title)).expect("write")
            }
            Block::Chart(_) => {}
            Block::Heading(level, t) => {
                writeln!(body, "<h{level}>{}</h{level}>", esc(t)).expect("write")
            }
            Block::Paragraph(items) => {
                writeln!(body, "<p>{}</p>", inline(items, &mut notes)).expect("write")
            }
            Block::Centered(items) => writeln!(
                body,
                "<p class=\"center\"><em>{}</em></p>",
                inline(items, &mut notes)
            )
            .expect("write"),
            Block::Closing(summary) => writeln!(body, "<p>{}./.</p>", esc(summary)).expect("write"),
            Block::Bullets(items) => {
                body.push_str("<ul>\n");
                for item in items {
                    writeln!(body, "<li>{}</li>", inline(item, &mut notes)).expect("write");
                }
                body.push_str("</ul>\n");
            }
            Block::Table { header, rows } => {
                body.push_str("<table>\n<thead><tr>");
                for h in header {
                    write!(body, "<th>{}</th>", esc(h)).expect("write");
                }
                body.push_str("</tr></thead>\n<tbody>\n");
                for row in rows {
                    match &row.anchor {
                        Some(a) => write!(body, "<tr id=\"{}\">", esc(a)),
                        None => write!(body, "<tr>"),
                    }
                    .expect("write");
                    for cell in &row.cells {
                        write!(body, "<td>{}</td>", inline(cell, &mut notes)).expect("write");
                    }
                    body.push_str("</tr>\n");
                }
                body.push_str("</tbody>\n</table>\n");
            }
        }
    }
    if !notes.is_empty() {
        body.push_str("<hr>\n<ol class=\"footnotes\">\n");
        for (i, note) in notes.iter().enumerate() {
            writeln!(
                body,
                "<li id=\"fn{}\">{} <a href=\"#ref{}\">↩</a></li>",
                i + 1,
                esc(note),
                i + 1
            )
            .expect("write");
        }
        body.push_str("</ol>\n");
    }
    body
}

/// The style of an HTML report: Times 14 pt, justified, bordered tables; printed on A4
/// with the margins of Nghị định 30/2020 (20/15/20/30 mm), table headers repeated.
pub const STYLE: &str = "body { font-family: 'Times New Roman', 'Liberation Serif', Tinos, serif; font-size: 14pt; max-width: 60em; margin: 2em auto; line-height: 1.4; text-align: justify; }
h1, h2 { text-align: center; }
h1 { font-size: 16pt; } h2 { font-size: 14pt; } h3, h4 { font-size: 14pt; }
table { border-collapse: collapse; width: 100%; font-size: 12pt; margin: 1em 0; text-align: left; }
th, td { border: 1px solid #444; padding: 0.25em 0.4em; vertical-align: top; }
th { background: #eee; }
.fig { color: inherit; text-decoration: underline dotted; cursor: help; }
tr:target { background: #ffd; }
.center { text-align: center; }
.footnotes { font-size: 12pt; }
@media print {
  @page { size: A4; margin: 20mm 15mm 20mm 30mm; }
  body { max-width: none; margin: 0; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  h1, h2, h3, h4 { break-after: avoid; }
  .fig { text-decoration: none; }
}
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_never_carries_raw_html_from_the_data() {
        assert_eq!(
            md_text("<script>alert(1)</script> và <img src=x>"),
            "&lt;script>alert(1)&lt;/script> và &lt;img src=x>"
        );
        assert_eq!(
            md_text("99% < mục tiêu 100%; <!-- x -->"),
            "99% < mục tiêu 100%; &lt;!-- x -->"
        );
    }
}
