//! Agency reporting: what is due from an agency for a programme's period (its items; who
//! owes and in what state is [`crate::obligation`]) and the life of its submission
//! (draft → submitted → accepted or returned).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::{Aggregation, ChecklistRequirement, Dataset, Indicator, ReportedStatus, Task};
use crate::period::Period;

crate::model::code_enum! {
    /// Where an agency's submission for a period stands.
    SubmissionStatus {
        /// Being filled in; not yet sent.
        Draft = "draft",
        /// Sent for review.
        Submitted = "submitted",
        /// Accepted by the secretariat: its values are written to the records.
        Accepted = "accepted",
        /// Returned to the agency with a comment.
        Returned = "returned",
    }
}

impl SubmissionStatus {
    pub fn label_vi(self) -> &'static str {
        match self {
            SubmissionStatus::Draft => "Đang nhập",
            SubmissionStatus::Submitted => "Đã gửi, chờ duyệt",
            SubmissionStatus::Accepted => "Đã chấp nhận",
            SubmissionStatus::Returned => "Bị trả lại",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            SubmissionStatus::Draft => "Draft",
            SubmissionStatus::Submitted => "Submitted",
            SubmissionStatus::Accepted => "Accepted",
            SubmissionStatus::Returned => "Returned",
        }
    }

    /// Whether the agency may still change its entries.
    pub fn editable(self) -> bool {
        matches!(self, SubmissionStatus::Draft | SubmissionStatus::Returned)
    }

    /// The status after sending: allowed from draft or returned.
    pub fn submit(self) -> Option<SubmissionStatus> {
        self.editable().then_some(SubmissionStatus::Submitted)
    }

    /// The status after the agency takes back what it sent, to change it: allowed only
    /// from submitted, before the secretariat decides.
    pub fn withdraw(self) -> Option<SubmissionStatus> {
        (self == SubmissionStatus::Submitted).then_some(SubmissionStatus::Draft)
    }

    /// The status after a review decision: allowed only from submitted.
    pub fn review(self, accept: bool) -> Option<SubmissionStatus> {
        (self == SubmissionStatus::Submitted).then_some(if accept {
            SubmissionStatus::Accepted
        } else {
            SubmissionStatus::Returned
        })
    }
}

/// What an agency must report for a programme and period.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DueItems<'a> {
    /// Tasks it is a required assignee of (lead, joint lead, member of an assigned
    /// group), its own part not yet done or withdrawn at the start of the period.
    pub tasks: Vec<&'a Task>,
    /// Indicators reported per agency: those whose scope names the agency's groups, those
    /// with agency targets or values, and those whose national value is a sum or mean of
    /// the agencies' values (except counts of agencies, such as "số địa phương đã …",
    /// which come from checklists).
    pub indicators: Vec<&'a Indicator>,
    /// Checklist requirements of its groups that it has not yet met at the period start.
    pub requirements: Vec<&'a ChecklistRequirement>,
}

impl DueItems<'_> {
    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty() && self.indicators.is_empty() && self.requirements.is_empty()
    }

    pub fn len(&self) -> usize {
        self.tasks.len() + self.indicators.len() + self.requirements.len()
    }
}

/// Why an agency's entry on a task cannot be taken, whatever way it comes in (the form,
/// the API, the Excel template): a task reported done needs its completion date.
pub fn task_entry_problem(
    status: ReportedStatus,
    completed_on: Option<NaiveDate>,
) -> Option<&'static str> {
    (status == ReportedStatus::Done && completed_on.is_none())
        .then_some("Nhiệm vụ hoàn thành cần ngày hoàn thành")
}

/// The groups an agency belongs to on a date.
pub fn groups_of<'a>(data: &'a Dataset, agency_id: &str, date: NaiveDate) -> Vec<&'a str> {
    data.group_memberships
        .iter()
        .filter(|m| m.agency_id == agency_id && m.valid_on(date))
        .map(|m| m.group_id.as_str())
        .collect()
}

/// What is due from `agency_id` for the programme (and its sub-programmes) in `period`.
pub fn due_items<'a>(
    data: &'a Dataset,
    programme_ids: &[&str],
    agency_id: &str,
    period: Period,
) -> DueItems<'a> {
    let Some(start) = programme_ids
        .first()
        .and_then(|p| data.programme(p))
        .map(|p| period.start(p.regime))
    else {
        return DueItems::default();
    };
    let groups = groups_of(data, agency_id, start);
    let in_programme = |id: &str| programme_ids.contains(&id);
    let tasks = crate::status::task_views(data, programme_ids, start)
        .into_iter()
        .filter(|v| {
            v.assignee(agency_id).is_some_and(|a| {
                a.assignee.required
                    && !a.status.is_done()
                    && a.status != crate::status::TaskStatus::NotApplicable
            })
        })
        .map(|v| v.task)
        .collect();
    let indicators = data
        .indicators
        .iter()
        .filter(|i| in_programme(&i.programme_id))
        .filter(|i| {
            i.scope_problem(
                data,
                Some(agency_id),
                crate::model::SourceKind::Declared,
                start,
            )
            .is_none()
        })
        .filter(|i| {
            // Groups named by the scope: their members report it (checked just above).
            if !i.scope_groups.is_empty() {
                return true;
            }
            let counts_agencies = data
                .agency_groups
                .iter()
                .any(|g| g.counted_as == i.unit || g.name == i.unit);
            let additive =
                matches!(i.aggregation, Aggregation::Sum | Aggregation::Mean) && !counts_agencies;
            additive
                || data
                    .targets
                    .iter()
                    .any(|t| t.indicator_id == i.id && t.agency_id.is_some())
                || data
                    .observations
                    .iter()
                    .any(|o| o.indicator_id == i.id && o.agency_id.is_some())
        })
        .collect();
    let requirements = data
        .checklist_requirements
        .iter()
        .filter(|r| in_programme(&r.programme_id))
        .filter(|r| r.group_ids.iter().any(|g| groups.contains(&g.as_str())))
        .filter(|r| data.exclusions_of(&r.id).all(|e| e.agency_id != agency_id))
        .filter(|r| {
            !crate::checklist::item_at(data, &r.id, agency_id, start)
                .is_some_and(|i| crate::checklist::done_at(i, start))
        })
        .collect();
    DueItems {
        tasks,
        indicators,
        requirements,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn submission_life() {
        use SubmissionStatus::*;
        assert_eq!(Draft.submit(), Some(Submitted));
        assert_eq!(Returned.submit(), Some(Submitted));
        assert_eq!(Submitted.submit(), None);
        assert_eq!(Accepted.submit(), None, "an accepted submission is final");
        assert_eq!(Submitted.review(true), Some(Accepted));
        assert_eq!(Submitted.review(false), Some(Returned));
        assert_eq!(Draft.review(true), None, "a draft cannot be accepted");
        assert!(
            !Submitted.editable()
                && !Accepted.editable()
                && Draft.editable()
                && Returned.editable()
        );
    }
}
