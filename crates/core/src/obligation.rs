//! Reporting obligations (chế độ báo cáo, Nghị định 09/2019/NĐ-CP): what one agency owes
//! for a programme (with its sub-programmes) and a period, by when, and where it stands.
//! Every surface that asks an agency for something, counts it, or chases it reads this
//! module: the entry page, the Excel template, the review page's expected list and its
//! completeness and timeliness, agency pages, the chasing page, urging letters and e-mail
//! reminders.
//!
//! Rules:
//! - **Who owes.** An agency valid during the period owes when it has at least one item:
//!   its own part of a task it is a required assignee of (lead, joint lead, or a member of
//!   an assigned group, less exclusions), not done or withdrawn at the period's start; an
//!   indicator declared per agency whose scope names one of its groups, or, with no
//!   groups named, that agencies report (additive, or with targets or values per agency);
//!   a checklist requirement of
//!   its groups (less exclusions) it has not met at the period's start. A national figure
//!   is the secretariat's: no agency owes it. A body with no item owes nothing: it is never
//!   asked, never counted missing, never chased.
//! - **By when.** The figures are cut off at the period's last day under the programme's
//!   reporting regime ([`crate::period::ReportingRegime`]); the report is due
//!   [`ReportingRegime::days_to_submit`] days later.
//! - **State**, at a date: accepted or returned as the secretariat decided; received (on
//!   time) or received late once sent; before the deadline, not yet due; after it, missing.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::{Agency, Dataset, agency_order};
use crate::period::{Period, ReportingRegime};
use crate::submission::{DueItems, SubmissionStatus, due_items};

crate::model::code_enum! {
    /// Where an agency's report for a period stands.
    ObligationState {
        /// The deadline has not passed and nothing was sent.
        NotYetDue = "not_yet_due",
        /// Sent on or before the deadline, not yet reviewed.
        Received = "received",
        /// Sent after the deadline, not yet reviewed.
        ReceivedLate = "received_late",
        /// Nothing sent and the deadline has passed.
        Missing = "missing",
        /// Returned to the agency for correction.
        Returned = "returned",
        /// Accepted by the secretariat.
        Accepted = "accepted",
    }
}

impl ObligationState {
    pub fn label_vi(self) -> &'static str {
        match self {
            ObligationState::NotYetDue => "Chưa đến hạn",
            ObligationState::Received => "Đã nhận",
            ObligationState::ReceivedLate => "Đã nhận, muộn",
            ObligationState::Missing => "Chưa gửi, quá hạn",
            ObligationState::Returned => "Trả lại để sửa",
            ObligationState::Accepted => "Đã chấp nhận",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            ObligationState::NotYetDue => "Not yet due",
            ObligationState::Received => "Received",
            ObligationState::ReceivedLate => "Received late",
            ObligationState::Missing => "Missing",
            ObligationState::Returned => "Returned for correction",
            ObligationState::Accepted => "Accepted",
        }
    }

    /// Whether the agency has sent its report (whatever became of it).
    pub fn sent(self) -> bool {
        !matches!(self, ObligationState::NotYetDue | ObligationState::Missing)
    }

    /// Whether the agency is behind: nothing sent after the deadline, or sent late.
    pub fn behind(self) -> bool {
        matches!(
            self,
            ObligationState::Missing | ObligationState::ReceivedLate
        )
    }
}

/// A submission as the store keeps it: the agency, its status and the day it was sent.
pub type SentSubmission = (String, SubmissionStatus, Option<NaiveDate>);

/// What one agency owes for a programme and period.
#[derive(Debug, Clone, Serialize)]
pub struct Obligation<'a> {
    pub agency: &'a Agency,
    pub period: Period,
    pub regime: ReportingRegime,
    /// Its items: tasks, indicators, checklist requirements.
    pub items: DueItems<'a>,
    /// The last day the figures speak of.
    pub cutoff: NaiveDate,
    /// The last day to send the report.
    pub deadline: NaiveDate,
    pub state: ObligationState,
    /// The day the report was sent, if it was.
    pub submitted_on: Option<NaiveDate>,
}

impl Obligation<'_> {
    /// Whether it was sent on time (None: not sent).
    pub fn on_time(&self) -> Option<bool> {
        self.submitted_on.map(|d| d <= self.deadline)
    }
}

/// The state of a report due on `deadline`, from its submission, at `today`.
pub fn state(
    submission: Option<(SubmissionStatus, Option<NaiveDate>)>,
    deadline: NaiveDate,
    today: NaiveDate,
) -> ObligationState {
    match submission {
        Some((SubmissionStatus::Accepted, _)) => ObligationState::Accepted,
        Some((SubmissionStatus::Returned, _)) => ObligationState::Returned,
        Some((SubmissionStatus::Submitted, sent)) => match sent {
            Some(day) if day > deadline => ObligationState::ReceivedLate,
            _ => ObligationState::Received,
        },
        Some((SubmissionStatus::Draft, _)) | None if today > deadline => ObligationState::Missing,
        Some((SubmissionStatus::Draft, _)) | None => ObligationState::NotYetDue,
    }
}

/// What `agency_id` owes for the programme family `programme_ids` (the programme first)
/// and `period`, in what state at `today`; `None` when it owes nothing (or is unknown).
pub fn obligation_of<'a>(
    data: &'a Dataset,
    programme_ids: &[&str],
    agency_id: &str,
    period: Period,
    submissions: &[SentSubmission],
    today: NaiveDate,
) -> Option<Obligation<'a>> {
    let agency = data.agency(agency_id)?;
    let regime = programme_ids
        .first()
        .and_then(|p| data.programme(p))?
        .regime;
    let (start, end) = period.bounds(regime);
    if !(agency.valid_on(start) || agency.valid_on(end)) {
        return None;
    }
    let items = due_items(data, programme_ids, agency_id, period);
    if items.is_empty() {
        return None;
    }
    let deadline = period.submission_deadline(regime);
    let submission = submissions
        .iter()
        .find(|(id, _, _)| id == agency_id)
        .map(|(_, status, on)| (*status, *on));
    let submitted_on = submission
        .filter(|(status, _)| *status != SubmissionStatus::Draft)
        .and_then(|(_, on)| on);
    Some(Obligation {
        agency,
        period,
        regime,
        items,
        cutoff: end,
        deadline,
        state: state(submission, deadline, today),
        submitted_on,
    })
}

/// Every agency's obligation for the programme family and period, in the standard agency
/// order; agencies that owe nothing are left out.
pub fn obligations<'a>(
    data: &'a Dataset,
    programme_ids: &[&str],
    period: Period,
    submissions: &[SentSubmission],
    today: NaiveDate,
) -> Vec<Obligation<'a>> {
    let mut agencies: Vec<&Agency> = data.agencies.iter().collect();
    agencies.sort_by(|a, b| agency_order(a, b));
    agencies
        .into_iter()
        .filter_map(|a| obligation_of(data, programme_ids, &a.id, period, submissions, today))
        .collect()
}

/// "12/106 cơ quan đã gửi": how many of the agencies that owe a report have sent it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Completeness {
    pub sent: usize,
    pub on_time: usize,
    pub owed: usize,
}

impl Completeness {
    pub fn of(obligations: &[Obligation<'_>]) -> Completeness {
        Completeness {
            sent: obligations.iter().filter(|o| o.state.sent()).count(),
            on_time: obligations
                .iter()
                .filter(|o| o.on_time() == Some(true))
                .count(),
            owed: obligations.len(),
        }
    }

    /// "12/106 cơ quan đã gửi".
    pub fn text_vi(&self) -> String {
        format!(
            "{}/{} cơ quan đã gửi",
            crate::format::count(self.sent as u64),
            crate::format::count(self.owed as u64)
        )
    }

    pub fn text_en(&self) -> String {
        format!("{}/{} agencies have reported", self.sent, self.owed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_state_of_a_report() {
        let deadline = d(2024, 7, 5);
        use ObligationState::*;
        use SubmissionStatus as S;
        assert_eq!(state(None, deadline, d(2024, 7, 5)), NotYetDue);
        assert_eq!(state(None, deadline, d(2024, 7, 6)), Missing);
        assert_eq!(
            state(Some((S::Draft, None)), deadline, d(2024, 7, 6)),
            Missing
        );
        assert_eq!(
            state(
                Some((S::Submitted, Some(d(2024, 7, 5)))),
                deadline,
                d(2024, 8, 1)
            ),
            Received
        );
        assert_eq!(
            state(
                Some((S::Submitted, Some(d(2024, 7, 6)))),
                deadline,
                d(2024, 8, 1)
            ),
            ReceivedLate
        );
        assert_eq!(
            state(
                Some((S::Returned, Some(d(2024, 7, 1)))),
                deadline,
                d(2024, 8, 1)
            ),
            Returned
        );
        assert_eq!(
            state(
                Some((S::Accepted, Some(d(2024, 7, 1)))),
                deadline,
                d(2024, 8, 1)
            ),
            Accepted
        );
        assert!(Missing.behind() && ReceivedLate.behind() && !Received.behind());
    }

    #[test]
    fn the_deadline_follows_the_regime() {
        let june = Period::month(2024, 6);
        assert_eq!(
            june.submission_deadline(ReportingRegime::CalendarMonth),
            d(2024, 7, 5)
        );
        assert_eq!(
            june.submission_deadline(ReportingRegime::Decree09),
            d(2024, 6, 20)
        );
    }
}
