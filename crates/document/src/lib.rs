//! Official documents rendered from a [`tiendo_report::Document`]:
//!
//! - [`docx`]: Word, in the layout of Nghị định 30/2020/NĐ-CP (DOMAIN.md §5);
//! - [`pdf`]: PDF typeset natively with typst, Liberation Serif embedded;
//! - [`chart`]: the report's charts as SVG (vector in the PDF, PNG in the DOCX);
//! - [`xlsx`]: the report's tables as a workbook;
//! - [`edition`]: every format of an issued edition, with SHA-256;
//! - [`letter`]: urging letters (công văn đôn đốc) to agencies;
//! - [`template`]: the Excel data request for one agency and its import back into the
//!   exchange-format import plan.
//!
//! The header, number, signer and recipients come from [`ReportSettings`], with
//! defaults derived from the programme's owner agency.

pub mod chart;
pub mod docx;
pub mod edition;
pub mod fonts;
pub mod letter;
pub mod pdf;
mod settings;
pub mod template;
pub mod xlsx;

pub use settings::{ReportSettings, SettingsOverrides};

/// Why a document could not be written.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("không tạo được tệp Word: {0}")]
    Docx(String),
    #[error("không dàn trang được PDF: {0}")]
    Pdf(String),
    #[error("không vẽ được biểu đồ: {0}")]
    Chart(String),
    #[error("không lập được biểu mẫu: {0}")]
    Template(String),
    #[error("không tạo được tệp Excel: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// A document setting the document cannot do without was never given.
    #[error("chưa có {setting}: {how}")]
    MissingSetting {
        /// The setting as the document settings page names it.
        setting: &'static str,
        /// Where to give it.
        how: &'static str,
    },
}

use tiendo_report::{Block, Document, Inline};

/// The type of document whose subject goes under its number on the left, "V/v …",
/// instead of a centred title (Nghị định 30/2020, Phụ lục I: công văn).
pub const LETTER_KIND: &str = "CÔNG VĂN";

/// The excerpt of a công văn, "V/v đôn đốc …", or `None` for a document with a title.
pub(crate) fn letter_excerpt(doc: &Document) -> Option<String> {
    let letterhead = doc
        .letterhead
        .as_ref()
        .filter(|l| l.kind.trim().to_uppercase() == LETTER_KIND)?;
    let subject = letterhead.subject.trim();
    Some(if subject.starts_with("V/v") {
        subject.to_string()
    } else {
        format!("V/v {subject}")
    })
}

/// An appendix: its label ("Phụ lục I"), its title, and its blocks.
pub(crate) struct Appendix<'a> {
    pub label: &'a str,
    pub title: &'a str,
    pub blocks: &'a [Block],
}

/// The body, ending with the closing "./." of Nghị định 30/2020 after its last text (the
/// closing sentence when the report has one, addressed to the "Kính gửi" of the
/// settings), and the appendices that follow the signature.
pub(crate) fn official_parts<'a>(
    doc: &'a Document,
    settings: &ReportSettings,
) -> (Vec<Block>, Vec<Appendix<'a>>) {
    let body_end = doc
        .blocks
        .iter()
        .position(|b| matches!(b, Block::Appendix { .. }))
        .unwrap_or(doc.blocks.len());
    let mut body: Vec<Block> = doc.blocks[..body_end]
        .iter()
        .map(|b| match b {
            Block::Closing(summary) => {
                Block::Paragraph(vec![Inline::Text(settings.closing_sentence(summary))])
            }
            other => other.clone(),
        })
        .collect();
    let close = |items: &mut Vec<Inline>| {
        let ends_with_stop = matches!(items.last(), Some(Inline::Text(t)) if t.ends_with('.'));
        items.push(Inline::Text(if ends_with_stop {
            "/.".to_string()
        } else {
            "./.".to_string()
        }));
    };
    if let Some(last) = body.iter_mut().rev().find(|b| {
        matches!(
            b,
            Block::Paragraph(_) | Block::Bullets(_) | Block::Centered(_)
        )
    }) {
        match last {
            Block::Paragraph(items) | Block::Centered(items) => close(items),
            Block::Bullets(items) => {
                if let Some(item) = items.last_mut() {
                    close(item);
                }
            }
            _ => {}
        }
    }
    let mut appendices = Vec::new();
    let mut rest = &doc.blocks[body_end..];
    while let Some((Block::Appendix { label, title }, tail)) = rest.split_first() {
        let end = tail
            .iter()
            .position(|b| matches!(b, Block::Appendix { .. }))
            .unwrap_or(tail.len());
        appendices.push(Appendix {
            label,
            title,
            blocks: &tail[..end],
        });
        rest = &tail[end..];
    }
    (body, appendices)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tiendo_report::doc::text;

    #[test]
    fn the_body_closes_with_the_mark_and_appendices_are_split() {
        let doc = Document {
            title: "t".into(),
            dates: String::new(),
            letterhead: None,
            blocks: vec![
                Block::Paragraph(vec![text("Mở đầu.")]),
                Block::Bullets(vec![vec![text("một;")], vec![text("hai.")]]),
                Block::Appendix {
                    label: "Phụ lục I".into(),
                    title: "A".into(),
                },
                Block::Paragraph(vec![text("x")]),
                Block::Appendix {
                    label: "Phụ lục II".into(),
                    title: "B".into(),
                },
            ],
        };
        let settings =
            ReportSettings::defaults(&tiendo_core::model::Dataset::default(), &letterhead());
        let (body, appendices) = official_parts(&doc, &settings);
        assert_eq!(
            body[1],
            Block::Bullets(vec![vec![text("một;")], vec![text("hai."), text("/.")]])
        );
        assert_eq!(body[0], Block::Paragraph(vec![text("Mở đầu.")]));
        assert_eq!(appendices.len(), 2);
        assert_eq!(appendices[0].blocks.len(), 1);
        assert_eq!(appendices[1].title, "B");
    }

    fn letterhead() -> tiendo_report::Letterhead {
        tiendo_report::Letterhead {
            issuer_id: "BTTTT".into(),
            issuer: "Bộ Thông tin và Truyền thông".into(),
            issuer_code: "BTTTT".into(),
            place: "Hà Nội".into(),
            date: chrono::NaiveDate::from_ymd_opt(2024, 5, 31).unwrap(),
            kind: "BÁO CÁO".into(),
            subject: "Tình hình".into(),
        }
    }

    #[test]
    fn the_closing_sentence_is_addressed_and_ends_the_body() {
        let doc = Document {
            title: "t".into(),
            dates: String::new(),
            letterhead: None,
            blocks: vec![
                Block::Bullets(vec![vec![text("một.")]]),
                Block::Closing("Trên đây là báo cáo tình hình tháng 5 năm 2024".into()),
                Block::Appendix {
                    label: "Phụ lục I".into(),
                    title: "A".into(),
                },
            ],
        };
        let plain =
            ReportSettings::defaults(&tiendo_core::model::Dataset::default(), &letterhead());
        let (body, _) = official_parts(&doc, &plain);
        assert_eq!(
            body[0],
            Block::Bullets(vec![vec![text("một.")]]),
            "the mark moved off the bullet"
        );
        assert_eq!(
            body[1],
            Block::Paragraph(vec![
                text("Trên đây là báo cáo tình hình tháng 5 năm 2024."),
                text("/.")
            ])
        );
        let addressed = plain.with(SettingsOverrides {
            addressees: vec!["Thủ tướng Chính phủ".into()],
            ..SettingsOverrides::default()
        });
        let (body, _) = official_parts(&doc, &addressed);
        assert_eq!(
            body[1],
            Block::Paragraph(vec![
                text(
                    "Trên đây là báo cáo tình hình tháng 5 năm 2024, Bộ Thông tin và Truyền thông kính báo cáo Thủ tướng Chính phủ."
                ),
                text("/.")
            ])
        );
    }
}
