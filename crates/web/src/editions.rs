//! Issued editions as the web app and its API show them: the body of an issue request,
//! the views of an edition and of what changed, and the report of a period as the app
//! shows it now. Issuing and drawing again are [`tiendo_app::editions`]'s.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tiendo_app::editions::{Drawn, EditionError, IssueRequest};
use tiendo_core::period::Period;
use tiendo_document::SettingsOverrides;
use tiendo_report::{Document, ReportError, ReportRequest, narrated_report};
use tiendo_store::edition::Edition;
use utoipa::ToSchema;

use crate::error::{AppError, AppResult};
use crate::params::parse_period;
use crate::state::App;

/// What to issue from a page or the API: the programme's report for a period, with its
/// number, date, signer and recipients (the rest from the programme's defaults).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct IssueBody {
    pub programme: String,
    /// Default: the programme's latest reporting period.
    pub period: Option<String>,
    pub number: Option<String>,
    pub symbol: Option<String>,
    /// Issue date, YYYY-MM-DD (default: today).
    pub date: Option<NaiveDate>,
    pub signer_authority: Option<String>,
    pub signer_title: Option<String>,
    pub signer_name: Option<String>,
    #[serde(default)]
    pub recipients: Vec<String>,
    /// The edition this one corrects.
    pub replaces: Option<String>,
    /// Publish it on the public site from this day, YYYY-MM-DD (today: at once; a later
    /// day: under embargo until then); absent: not published.
    pub public_from: Option<NaiveDate>,
}

impl IssueBody {
    pub fn request(self) -> AppResult<IssueRequest> {
        let blank = |s: Option<String>| s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        if let Some(reason) = self.date.and_then(tiendo_core::limits::record_date_reason) {
            return Err(crate::error::AppError::invalid(
                "date",
                format!("Ngày ban hành: {reason}."),
                "The issue date is out of range (years 1900 to 2199).",
            ));
        }
        if let Some(reason) = self
            .public_from
            .and_then(tiendo_core::limits::record_date_reason)
        {
            return Err(crate::error::AppError::invalid(
                "public_from",
                format!("Ngày công khai: {reason}."),
                "The publication date is out of range (years 1900 to 2199).",
            ));
        }
        Ok(IssueRequest {
            period: parse_period(self.period.as_deref())?,
            programme_id: self.programme,
            replaces: blank(self.replaces),
            overrides: SettingsOverrides {
                number: blank(self.number),
                symbol: blank(self.symbol),
                date: self.date,
                signer_authority: blank(self.signer_authority),
                signer_title: blank(self.signer_title),
                signer_name: blank(self.signer_name),
                recipients: self
                    .recipients
                    .into_iter()
                    .map(|r| r.trim().to_string())
                    .filter(|r| !r.is_empty())
                    .collect(),
                ..Default::default()
            },
        })
    }
}

/// The report of a programme for a period as the app shows it now: the measured
/// programme's report (ranking, measured indicators, reconciliation) for `qd766`, the
/// progress report with its stored narrative otherwise.
pub async fn report(
    app: &App,
    data: &tiendo_core::model::Dataset,
    programme_id: &str,
    period: Period,
) -> AppResult<Document> {
    let doc = if programme_id == tiendo_events::observe::PROGRAMME_ID {
        tiendo_report::measured_report(
            data,
            &tiendo_report::MeasuredRequest {
                programme_id: programme_id.to_string(),
                total_indicator: tiendo_events::observe::TOTAL_INDICATOR.to_string(),
                period,
                tolerance: app.settings.measured_tolerance,
            },
        )
    } else {
        let narrative =
            tiendo_store::narrative::narrative(&app.store, programme_id, &period.code())
                .await?
                .narrative;
        narrated_report(
            data,
            &ReportRequest {
                programme_id: programme_id.to_string(),
                period: Some(period),
                as_of: None,
                known_on: None,
                structure_date: None,
            },
            &narrative,
        )
    };
    doc.map_err(|e| match e {
        ReportError::Narrative(_) => AppError::invalid("narrative", e.to_string(), e.to_string()),
        ReportError::UnknownProgramme(_) => {
            AppError::invalid("programme", e.to_string(), e.to_string())
        }
    })
}

/// An edition as the API and the pages show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EditionView {
    pub id: String,
    pub programme_id: String,
    pub period: String,
    pub period_label: String,
    /// "15/BC-BTTTT"; empty when the văn thư has not numbered it.
    pub number: String,
    pub issued_on: String,
    pub as_of: String,
    /// "tính đến ngày …, theo số liệu nhận đến ngày …".
    pub dates_text: String,
    /// The last journal entry it was drawn from.
    pub known_seq: i64,
    pub signer: String,
    pub recipients: Vec<String>,
    pub replaces: Option<String>,
    pub files: Vec<EditionFileView>,
    pub issued_by: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EditionFileView {
    pub format: String,
    pub sha256: String,
    pub size: u64,
    /// The size in words: "19.055 byte".
    pub size_text: String,
    /// Where to download it.
    pub href: String,
}

/// A figure that changed since the edition before, with who changed its records.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ChangeView {
    pub label: String,
    pub before: Option<String>,
    pub after: Option<String>,
    /// "actor (time, table): reason" for each journal entry behind it.
    pub changed_by: Vec<String>,
}

/// An edition with what changed since the one before.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EditionDetail {
    pub edition: EditionView,
    pub previous: Option<String>,
    pub changes: Vec<ChangeView>,
}

impl EditionView {
    pub fn of(e: &Edition) -> EditionView {
        let dates = format!(
            "tính đến ngày {}, theo số liệu nhận đến ngày {}",
            tiendo_core::format::date(e.as_of),
            tiendo_core::format::date(e.issued_on)
        );
        EditionView {
            id: e.id.clone(),
            programme_id: e.programme_id.clone(),
            period: e.period.clone(),
            period_label: e
                .period
                .parse::<Period>()
                .map_or_else(|_| e.period.clone(), |p| p.label_vi()),
            number: e.number.clone(),
            issued_on: tiendo_core::format::date(e.issued_on),
            as_of: tiendo_core::format::date(e.as_of),
            dates_text: dates,
            known_seq: e.known_seq,
            signer: e.signer.clone(),
            recipients: e.recipients.clone(),
            replaces: e.replaces.clone(),
            files: e
                .files
                .iter()
                .map(|f| EditionFileView {
                    format: f.format.clone(),
                    sha256: f.sha256.clone(),
                    size: f.size,
                    size_text: format!("{} byte", tiendo_core::format::count(f.size)),
                    href: format!("/api/v1/editions/{}/files/{}", e.id, f.format),
                })
                .collect(),
            issued_by: e.issued_by.clone(),
        }
    }
}

impl EditionDetail {
    pub fn of(drawn: &Drawn) -> EditionDetail {
        EditionDetail {
            edition: EditionView::of(&drawn.edition),
            previous: drawn.previous.clone(),
            changes: drawn
                .changes
                .iter()
                .map(|c| ChangeView {
                    label: c.label.clone(),
                    before: c.before.clone(),
                    after: c.after.clone(),
                    changed_by: tiendo_report::changes::records_of(c, &drawn.records)
                        .iter()
                        .map(|r| format!("{} ({}, {}): {}", r.actor, r.at, r.entity, r.reason))
                        .collect(),
                })
                .collect(),
        }
    }
}

impl From<EditionError> for AppError {
    fn from(e: EditionError) -> AppError {
        match e {
            EditionError::Store(e) => AppError::from(e),
            EditionError::Report(ReportError::Narrative(n)) => {
                let bad: Vec<String> =
                    n.0.iter()
                        .map(|b| {
                            format!(
                                "{} ({}, line {}): {}",
                                b.reference,
                                b.section.label_en(),
                                b.line,
                                b.reason
                            )
                        })
                        .collect();
                AppError::invalid(
                    "narrative",
                    n.to_string(),
                    format!(
                        "The narrative has figure references that do not resolve: {}",
                        bad.join("; ")
                    ),
                )
            }
            EditionError::Report(e) => {
                AppError::invalid("programme", e.to_string(), "No such programme.")
            }
            EditionError::NoData => AppError::invalid(
                "programme",
                e.to_string(),
                "There is no data to report yet.",
            ),
            EditionError::UnknownEdition(_) => AppError::not_found("bản báo cáo", "Edition"),
            EditionError::NotReplaceable(_) => AppError::invalid(
                "replaces",
                e.to_string(),
                "The edition replaced must be one of the same programme.",
            ),
            EditionError::Document(e) => AppError::internal(e),
            EditionError::NoLetterhead => {
                AppError::invalid("programme", e.to_string(), "This report has no letterhead.")
            }
        }
    }
}
