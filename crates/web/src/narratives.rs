//! The narrative of a report (phần nhận định), for the page and the API alike: the stored
//! text of each section with its version, and a preview with the figures its references
//! resolve to, or the references that do not resolve.

use serde::{Deserialize, Serialize};
use tiendo_core::model::Dataset;
use tiendo_core::period::Period;
use tiendo_report::doc::{Block, blocks_to_html};
use tiendo_report::{Narrative, ReportError, ReportRequest, Section, render_narrative};
use utoipa::ToSchema;

use crate::error::AppError;
use crate::i18n::Lang;

/// A narrative as the API reads and writes it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct NarrativeRecord {
    /// Một số kết quả nổi bật (Markdown).
    #[serde(default)]
    pub highlights: String,
    /// Kết quả theo lĩnh vực.
    #[serde(default)]
    pub results: String,
    /// Tồn tại, hạn chế.
    #[serde(default)]
    pub shortcomings: String,
    /// Nhiệm vụ thời gian tới.
    #[serde(default)]
    pub next_tasks: String,
    /// Đề xuất, kiến nghị.
    #[serde(default)]
    pub recommendations: String,
    /// Read only: the stored version (also the `ETag`; 0 when nothing is stored).
    #[serde(default)]
    pub version: i64,
    /// Read only.
    #[serde(default)]
    pub updated_by: String,
    /// Read only (RFC 3339, UTC).
    #[serde(default)]
    pub updated_at: String,
    /// Read only: the figure references that do not resolve against the current records,
    /// each with its section and line; an edition cannot be issued while there are any.
    #[serde(default)]
    pub problems: Vec<String>,
}

impl NarrativeRecord {
    pub fn narrative(&self) -> Narrative {
        Narrative {
            highlights: self.highlights.clone(),
            results: self.results.clone(),
            shortcomings: self.shortcomings.clone(),
            next_tasks: self.next_tasks.clone(),
            recommendations: self.recommendations.clone(),
        }
    }

    pub fn of(
        stored: &tiendo_store::narrative::StoredNarrative,
        problems: Vec<String>,
    ) -> NarrativeRecord {
        let n = &stored.narrative;
        NarrativeRecord {
            highlights: n.highlights.clone(),
            results: n.results.clone(),
            shortcomings: n.shortcomings.clone(),
            next_tasks: n.next_tasks.clone(),
            recommendations: n.recommendations.clone(),
            version: stored.version,
            updated_by: stored.updated_by.clone(),
            updated_at: stored.updated_at.clone(),
            problems,
        }
    }
}

/// A narrative read against the current records.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Preview {
    /// The sections with their figures, as an HTML fragment (every text escaped).
    pub html: String,
    /// The references that do not resolve ("Tham chiếu … ở mục …, dòng …: …").
    pub problems: Vec<String>,
}

/// The report request a narrative's references resolve against: the programme's report of
/// the period, as of its end, as known today.
fn request(programme_id: &str, period: Period) -> ReportRequest {
    ReportRequest {
        programme_id: programme_id.to_string(),
        period: Some(period),
        as_of: None,
        known_on: None,
        structure_date: None,
    }
}

/// Resolve a narrative against the records, as the report will.
pub fn preview(
    data: &Dataset,
    programme_id: &str,
    period: Period,
    narrative: &Narrative,
    lang: Lang,
) -> Result<Preview, AppError> {
    match render_narrative(data, &request(programme_id, period), narrative) {
        Ok(rendered) => {
            let mut blocks = Vec::new();
            for section in Section::ALL {
                if !rendered.blocks(section).is_empty() {
                    blocks.push(Block::Heading(
                        3,
                        lang.pick(section.label_vi(), section.label_en())
                            .to_string(),
                    ));
                    blocks.extend(rendered.blocks(section).iter().cloned());
                }
            }
            Ok(Preview {
                html: blocks_to_html(&blocks),
                problems: Vec::new(),
            })
        }
        Err(ReportError::Narrative(e)) => Ok(Preview {
            html: String::new(),
            problems: e.0.iter().map(ToString::to_string).collect(),
        }),
        Err(e @ ReportError::UnknownProgramme(_)) => Err(AppError::invalid(
            "programme",
            e.to_string(),
            "No such programme.",
        )),
    }
}
