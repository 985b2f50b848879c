//! Issued editions of a report (ban hành), for the web app and the command line alike:
//! issuing one from the records as the journal holds them now, drawing one again from the
//! journal, and what changed since the edition before; and a programme's document
//! settings, which every document drawn for it starts from.
//!
//! An edition's report is drawn from the records replayed from the journal up to its
//! `known_seq` ([`tiendo_store::edition::dataset_from_journal`]), at its period and as-of
//! date, "as known on" its issue date. Drawing it again later gives the same Markdown and
//! HTML byte for byte, whatever was edited since (the narrative included: it is replayed
//! from the journal too); the binary formats are kept as issued.

use serde::Serialize;
use tiendo_core::clock;
use tiendo_core::period::Period;
use tiendo_document::edition::{render_all, sha256_hex};
use tiendo_document::{DocumentError, ReportSettings, SettingsOverrides};
use tiendo_report::changes::{
    ChangeRecord, FigureChange, append_changes_section, changed, figures,
};
use tiendo_report::{Document, ReportError, ReportRequest, narrated_report};
use tiendo_store::edition::{Edition, EditionFile, dataset_from_journal, editions};
use tiendo_store::narrative::narrative_from_journal;
use tiendo_store::report_settings::DocumentSettings;
use tiendo_store::{JournalEntry, Store, StoreError};

/// Why an edition could not be issued or drawn again.
#[derive(Debug, thiserror::Error)]
pub enum EditionError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error(transparent)]
    Document(#[from] DocumentError),
    #[error("chưa có dữ liệu nào để ban hành báo cáo")]
    NoData,
    #[error("báo cáo không có phần đầu văn bản")]
    NoLetterhead,
    #[error("không có bản \"{0}\"")]
    UnknownEdition(String),
    #[error("bản được thay thế \"{0}\" không phải một bản của cùng chương trình")]
    NotReplaceable(String),
}

/// What to issue.
#[derive(Debug, Clone, Default)]
pub struct IssueRequest {
    pub programme_id: String,
    /// Default: the programme's latest reporting period ([`clock`]).
    pub period: Option<Period>,
    /// The edition this one corrects.
    pub replaces: Option<String>,
    /// Number, date (default: today), signer, recipients; the rest from the programme.
    pub overrides: SettingsOverrides,
}

/// An edition with its report drawn again and what changed since the one before.
#[derive(Debug, Clone, Serialize)]
pub struct Drawn {
    pub edition: Edition,
    /// The edition before it (of the same programme), if any.
    pub previous: Option<String>,
    pub changes: Vec<FigureChange>,
    /// The journal entries between the two editions that changed a figure's records.
    pub records: Vec<ChangeRecord>,
    #[serde(skip)]
    pub document: Document,
}

/// A programme's stored document settings as overrides of the defaults (an empty field
/// keeps the default).
pub fn stored_overrides(s: &DocumentSettings) -> SettingsOverrides {
    let text = |v: &str| (!v.trim().is_empty()).then(|| v.trim().to_string());
    SettingsOverrides {
        parent_body: text(&s.parent_body),
        issuing_body: text(&s.issuing_body),
        number: None,
        symbol: text(&s.symbol),
        place: text(&s.place),
        date: None,
        addressees: s.addressees.clone(),
        signer_authority: text(&s.signer_authority),
        signer_title: text(&s.signer_title),
        signer_name: text(&s.signer_name),
        recipients: s.recipients.clone(),
        archive_unit: text(&s.archive_unit),
    }
}

/// The settings of a document of `programme_id`: what was given for this document, over
/// the programme's stored settings, over the defaults of its letterhead.
pub async fn document_settings<S: Store>(
    store: &S,
    data: &tiendo_core::model::Dataset,
    document: &Document,
    programme_id: &str,
    given: SettingsOverrides,
) -> Result<ReportSettings, EditionError> {
    let (stored, _) = tiendo_store::report_settings::get(store, programme_id).await?;
    let letterhead = document
        .letterhead
        .as_ref()
        .ok_or(EditionError::NoLetterhead)?;
    Ok(ReportSettings::defaults(data, letterhead).with(given.or(stored_overrides(&stored))))
}

/// The formats a report is given in, as the reports page lists them.
pub const FORMATS: [(&str, &str); 5] = [
    ("html", "HTML"),
    ("docx", "DOCX"),
    ("pdf", "PDF"),
    ("xlsx", "XLSX"),
    ("md", "Markdown"),
];

/// A report in one format for the app (page or API): HTML with its stylesheet served by
/// the app (`/assets/report.css`, allowed by the app's Content-Security-Policy), DOCX and
/// PDF with the programme's stored settings; the bytes and their media type. `None` for
/// an unknown format.
pub async fn render_format<S: Store>(
    store: &S,
    data: &tiendo_core::model::Dataset,
    document: &Document,
    programme_id: &str,
    format: &str,
) -> Result<Option<(Vec<u8>, &'static str)>, EditionError> {
    let bytes = match format {
        "md" => tiendo_report::to_markdown(document).into_bytes(),
        "html" => tiendo_report::to_html_linked(document, "/assets/report.css").into_bytes(),
        "docx" | "pdf" | "xlsx" => {
            let settings = document_settings(
                store,
                data,
                document,
                programme_id,
                SettingsOverrides::default(),
            )
            .await?;
            match format {
                "docx" => tiendo_document::docx::render(document, &settings)?,
                "pdf" => tiendo_document::pdf::render(document, &settings)?,
                _ => tiendo_document::xlsx::render(document)?,
            }
        }
        _ => return Ok(None),
    };
    Ok(Some((
        bytes,
        tiendo_document::edition::content_type(format),
    )))
}

/// The report request an edition was drawn with.
pub fn request_of(edition: &Edition) -> Result<ReportRequest, EditionError> {
    let period = edition
        .period
        .parse::<Period>()
        .map_err(|e| StoreError::Corrupt(format!("editions {}: {e}", edition.id)))?;
    Ok(ReportRequest {
        programme_id: edition.programme_id.clone(),
        period: Some(period),
        as_of: Some(edition.as_of),
        known_on: Some(edition.issued_on),
        structure_date: None,
    })
}

/// A journal entry as the changes section shows it: when, in Vietnam's time.
fn change_record(entry: &JournalEntry) -> ChangeRecord {
    ChangeRecord {
        entity: entry.entity.clone(),
        key: entry.record_key.clone(),
        actor: entry.actor.clone(),
        at: clock::vietnam_time_text(&entry.at),
        reason: entry.reason.clone(),
    }
}

/// The report of the data and the narrative known at `seq` for `request`, with what
/// changed since `previous`. A narrative reference that does not resolve fails it, so an
/// edition is never issued with one.
fn draw(
    journal: &[JournalEntry],
    seq: i64,
    request: &ReportRequest,
    previous: Option<&Edition>,
) -> Result<(Document, Vec<FigureChange>, Vec<ChangeRecord>), EditionError> {
    let data = dataset_from_journal(journal, seq)?;
    let period = request.period.map(|p| p.code()).unwrap_or_default();
    let mut document = narrated_report(
        &data,
        request,
        &narrative_from_journal(journal, seq, &request.programme_id, &period),
    )?;
    let Some(previous) = previous else {
        return Ok((document, Vec::new(), Vec::new()));
    };
    let before = figures(
        &dataset_from_journal(journal, previous.known_seq)?,
        &request_of(previous)?,
    )?;
    let changes = changed(&before, &figures(&data, request)?);
    let between: Vec<ChangeRecord> = journal
        .iter()
        .filter(|e| e.seq > previous.known_seq && e.seq <= seq)
        .map(change_record)
        .collect();
    let records: Vec<ChangeRecord> = between
        .into_iter()
        .filter(|r| {
            changes
                .iter()
                .any(|c| c.records.iter().any(|f| f.covers(&r.entity, &r.key)))
        })
        .collect();
    append_changes_section(&mut document, &previous.id, &changes, &records);
    Ok((document, changes, records))
}

/// Issue an edition of a programme's report from the records as they stand: draw it, write
/// it in every format, store the files and the edition (refused if another edition took
/// the same id meanwhile).
pub async fn issue<S: Store>(
    store: &S,
    request: IssueRequest,
    actor: &str,
) -> Result<Drawn, EditionError> {
    let journal = store.journal(None, None).await?;
    let (seq, known_at) = journal
        .last()
        .map(|e| (e.seq, e.at.clone()))
        .ok_or(EditionError::NoData)?;
    let issued_on = request
        .overrides
        .date
        .unwrap_or_else(clock::today_in_vietnam);
    let data = dataset_from_journal(&journal, seq)?;
    let programme = data
        .programme(&request.programme_id)
        .ok_or_else(|| ReportError::UnknownProgramme(request.programme_id.clone()))?;
    let dates = clock::programme_dates(&data, programme, request.period, None, issued_on);
    let existing = editions(store, Some(&request.programme_id)).await?;
    if let Some(old) = &request.replaces
        && existing.iter().all(|e| &e.id != old)
    {
        return Err(EditionError::NotReplaceable(old.clone()));
    }
    let report_request = ReportRequest {
        programme_id: request.programme_id.clone(),
        period: Some(dates.period),
        as_of: Some(dates.as_of),
        known_on: Some(issued_on),
        structure_date: None,
    };
    let previous = existing.last();
    let (document, changes, records) = draw(&journal, seq, &report_request, previous)?;
    let settings = document_settings(
        store,
        &data,
        &document,
        &request.programme_id,
        SettingsOverrides {
            date: Some(issued_on),
            ..request.overrides
        },
    )
    .await?;
    let files: Vec<(EditionFile, Vec<u8>)> = render_all(&document, &settings)?
        .into_iter()
        .map(|(format, bytes)| {
            (
                EditionFile {
                    format: format.to_string(),
                    sha256: sha256_hex(&bytes),
                    size: bytes.len() as u64,
                },
                bytes,
            )
        })
        .collect();
    let edition = Edition {
        id: tiendo_store::edition::next_id(store, &request.programme_id, &dates.period.code())
            .await?,
        programme_id: request.programme_id.clone(),
        period: dates.period.code(),
        number: if settings.number.is_empty() {
            String::new()
        } else {
            format!("{}/{}", settings.number, settings.symbol)
        },
        issued_on,
        as_of: dates.as_of,
        known_seq: seq,
        known_at,
        signer: [
            settings.signer_authority.as_str(),
            settings.signer_title.as_str(),
            settings.signer_name.as_str(),
        ]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" "),
        recipients: settings.recipient_lines(),
        replaces: request.replaces.clone(),
        files: files.iter().map(|(f, _)| f.clone()).collect(),
        issued_by: actor.to_string(),
        issued_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
    };
    tiendo_store::edition::issue(store, &edition, &files, actor).await?;
    Ok(Drawn {
        previous: previous.map(|p| p.id.clone()),
        edition,
        changes,
        records,
        document,
    })
}

/// Draw an issued edition again from the journal, with what changed since the edition
/// before it.
pub async fn draw_again<S: Store>(store: &S, id: &str) -> Result<Drawn, EditionError> {
    let edition = tiendo_store::edition::edition(store, id)
        .await?
        .ok_or_else(|| EditionError::UnknownEdition(id.to_string()))?;
    let all = editions(store, Some(&edition.programme_id)).await?;
    let previous = all
        .iter()
        .position(|e| e.id == edition.id)
        .and_then(|i| i.checked_sub(1))
        .map(|i| &all[i]);
    let journal = store.journal(None, None).await?;
    let (document, changes, records) = draw(
        &journal,
        edition.known_seq,
        &request_of(&edition)?,
        previous,
    )?;
    Ok(Drawn {
        previous: previous.map(|p| p.id.clone()),
        edition,
        changes,
        records,
        document,
    })
}
