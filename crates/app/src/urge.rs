//! Chasing a programme's agencies, for the chasing page and `tiendo urge` alike: what each
//! agency owes for a period at a date ([`tiendo_core::urge`], from the reporting
//! obligations), which of them are behind and get a letter
//! ([`tiendo_report::urge::owes_a_letter`]), and each letter rendered with the
//! programme's document settings.

use chrono::NaiveDate;
use tiendo_core::clock::{FigureDates, programme_dates, today_in_vietnam};
use tiendo_core::model::{Dataset, Programme};
use tiendo_core::period::Period;
use tiendo_core::urge::{Owed, owed_in_period};
use tiendo_document::{DocumentError, SettingsOverrides};
use tiendo_report::urge::{LetterRequest, addressee, owes_a_letter, urging_letter};
use tiendo_store::{Store, StoreError, reminder};

/// Why a letter could not be written.
#[derive(Debug, thiserror::Error)]
pub enum LetterError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A setting the letter needs (the drafting unit) is missing, or rendering failed.
    #[error(transparent)]
    Document(#[from] DocumentError),
    #[error("định dạng “{0}” không hỗ trợ (docx, pdf, md, html)")]
    Format(String),
}

/// What a programme's agencies owe for a period at a date.
pub struct Chase<'a> {
    pub programme: &'a Programme,
    pub dates: FigureDates,
    /// Every agency that owes something or has something due soon.
    pub owed: Vec<Owed<'a>>,
    /// The programme's stored document settings, which its letters are signed with.
    signed_as: SettingsOverrides,
}

/// What `programme` is owed for `period` (default: its latest reporting period) at
/// `as_of` (default: the period's end), listing what falls due within `within_days`.
pub async fn chase<'a, S: Store>(
    store: &S,
    data: &'a Dataset,
    programme: &'a Programme,
    period: Option<Period>,
    as_of: Option<NaiveDate>,
    within_days: i64,
) -> Result<Chase<'a>, StoreError> {
    // A letter dated in the past says what was known on its date, not what came in since.
    let today = today_in_vietnam();
    let known_on = as_of.map_or(today, |d| d.min(today));
    let dates = programme_dates(data, programme, period, as_of, known_on);
    let submissions = reminder::submissions_sent(store, &programme.id, dates.period).await?;
    let owed = owed_in_period(data, &programme.id, &dates, &submissions, within_days);
    let (stored, _) = tiendo_store::report_settings::get(store, &programme.id).await?;
    Ok(Chase {
        programme,
        dates,
        owed,
        signed_as: crate::editions::stored_overrides(&stored),
    })
}

impl<'a> Chase<'a> {
    /// The agencies behind, that an urging letter goes to: never a body that owes
    /// nothing, never the letter's own issuing body.
    pub fn behind<'s>(&'s self, data: &'s Dataset) -> impl Iterator<Item = &'s Owed<'a>> + 's {
        self.owed
            .iter()
            .filter(move |o| owes_a_letter(data, self.programme, o, self.dates.as_of))
    }

    /// The urging letter to one agency behind, in `format` (docx, pdf, md, html): the
    /// drafting unit from `unit`, else from the programme's document settings; the
    /// reply date from `reply_by`, else ten days after the as-of date.
    pub fn letter(
        &self,
        data: &Dataset,
        owed: &Owed<'_>,
        unit: Option<&str>,
        reply_by: Option<NaiveDate>,
        format: &str,
    ) -> Result<Vec<u8>, LetterError> {
        let request = LetterRequest {
            programme: self.programme,
            as_of: self.dates.as_of,
            known_on: self.dates.known_on,
            reply_by: reply_by.unwrap_or(self.dates.as_of + chrono::Duration::days(10)),
        };
        let doc = urging_letter(data, owed, &request);
        let settings = tiendo_document::letter::settings(
            data,
            &doc,
            &addressee(owed.agency),
            unit,
            self.signed_as.clone(),
        )?;
        tiendo_document::letter::render(&doc, &settings, format)
            .ok_or_else(|| LetterError::Format(format.to_string()))?
            .map_err(LetterError::from)
    }
}
