//! The report as PDF, typeset natively with typst (no external tool): the layout is
//! `report.typ`, the report comes in as JSON, charts as SVG (kept as vector graphics),
//! fonts are the built-in Liberation Serif faces, embedded (subset) in the PDF.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::Datelike;
use serde_json::{Value, json};
use tiendo_report::{Block, Document, Inline};
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use crate::settings::ReportSettings;
use crate::{DocumentError, chart, fonts, official_parts};

const TEMPLATE: &str = include_str!("report.typ");

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    library: LazyHash<Library>,
}

fn shared() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = fonts::ALL
            .iter()
            .filter_map(|data| Font::new(Bytes::new(*data), 0))
            .collect();
        Fonts {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            library: LazyHash::new(Library::default()),
        }
    })
}

fn file_id(path: &str) -> FileId {
    RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new(path).expect("a valid virtual path"),
    )
    .intern()
}

/// A world with one source (the layout) and in-memory files (the report, the charts).
struct ReportWorld {
    main: Source,
    files: HashMap<FileId, Bytes>,
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &shared().library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &shared().book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files.get(&id).cloned().ok_or(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        shared().fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}

fn inline_json(items: &[Inline]) -> Value {
    Value::Array(
        items
            .iter()
            .map(|i| match i {
                Inline::Text(t) | Inline::Figure { text: t, .. } => json!({"t": "text", "s": t}),
                Inline::Bold(t) => json!({"t": "bold", "s": t}),
                Inline::Footnote(n) => json!({"t": "note", "s": n}),
            })
            .collect(),
    )
}

struct Input {
    files: HashMap<FileId, Bytes>,
    charts: usize,
}

impl Input {
    fn block(&mut self, b: &Block) -> Option<Value> {
        Some(match b {
            Block::Heading(level, t) => json!({"t": "heading", "level": level, "text": t}),
            Block::Paragraph(items) => {
                json!({"t": "par", "inl": inline_json(items), "sticky": items.iter().all(|i| matches!(i, Inline::Bold(_)))})
            }
            Block::Centered(items) => json!({"t": "centered", "inl": inline_json(items)}),
            Block::Closing(summary) => {
                json!({"t": "par", "inl": inline_json(&[Inline::Text(summary.clone())]), "sticky": false})
            }
            Block::Bullets(items) => {
                json!({"t": "bullets", "items": items.iter().map(|i| inline_json(i)).collect::<Vec<_>>()})
            }
            Block::Table { header, rows } => {
                let widths = crate::docx::column_widths(header, rows);
                let total: i32 = widths.iter().sum();
                json!({
                    "t": "table",
                    "header": header,
                    "widths": widths.iter().map(|w| f64::from(*w) / f64::from(total)).collect::<Vec<_>>(),
                    "rows": rows.iter().map(|r| r.cells.iter().map(|c| inline_json(c)).collect::<Vec<_>>()).collect::<Vec<_>>(),
                })
            }
            Block::Chart(c) => {
                self.charts += 1;
                let svg = chart::svg(c);
                let path = format!("/chart-{}.svg", self.charts);
                self.files
                    .insert(file_id(&path), Bytes::from_string(svg.text));
                // SVG user units are 1/96 inch; typst points are 1/72 inch.
                json!({"t": "chart", "file": path, "n": self.charts, "title": c.title, "width": svg.width * 0.75})
            }
            Block::Appendix { .. } => return None,
        })
    }
}

/// The JSON the layout reads: settings as printed, the body and the appendices.
fn input(doc: &Document, s: &ReportSettings) -> (Value, Input) {
    let mut input = Input {
        files: HashMap::new(),
        charts: 0,
    };
    let (body, appendices) = official_parts(doc, s);
    let body: Vec<Value> = body.iter().filter_map(|b| input.block(b)).collect();
    let appendices: Vec<Value> = appendices.iter().map(|a| json!({"label": a.label, "title": a.title, "blocks": a.blocks.iter().filter_map(|b| input.block(b)).collect::<Vec<_>>()})).collect();
    let value = json!({
        "title": doc.title,
        "kind": doc.letterhead.as_ref().map_or("BÁO CÁO".to_string(), |l| l.kind.to_uppercase()),
        "subject": doc.letterhead.as_ref().map_or(doc.title.clone(), |l| l.subject.clone()),
        "author": s.issuing_body,
        "excerpt": crate::letter_excerpt(doc),
        "date": [s.date.year(), s.date.month(), s.date.day()],
        "settings": {
            "parent_body": s.parent_body_lines(),
            "issuing_body": s.issuing_body_lines(),
            "number_line": s.number_line(),
            "place_and_date": s.place_and_date(),
            "addressees": s.addressees,
            "signer_lines": s.signer_lines(),
            "signer_name": s.signer_name,
            "recipients": s.recipient_lines(),
            "appendix_reference": s.appendix_reference(),
        },
        "body": body,
        "appendices": appendices,
    });
    (value, input)
}

fn messages(diagnostics: &[SourceDiagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| d.message.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Lay out the report (one typst document), for callers that need the pages.
pub fn layout(doc: &Document, settings: &ReportSettings) -> Result<PagedDocument, DocumentError> {
    let (value, mut input) = input(doc, settings);
    input.files.insert(
        file_id("/report.json"),
        Bytes::from_string(value.to_string()),
    );
    let world = ReportWorld {
        main: Source::new(file_id("/report.typ"), TEMPLATE.to_string()),
        files: input.files,
    };
    typst::compile::<PagedDocument>(&world)
        .output
        .map_err(|e| DocumentError::Pdf(messages(e.as_slice())))
}

/// Render the report as PDF bytes.
pub fn render(doc: &Document, settings: &ReportSettings) -> Result<Vec<u8>, DocumentError> {
    let paged = layout(doc, settings)?;
    typst_pdf::pdf(&paged, &typst_pdf::PdfOptions::default())
        .map_err(|e| DocumentError::Pdf(messages(e.as_slice())))
}
