//! Agency reporting: what is due from an agency for a programme's period, the life of
//! its submission (draft → submitted → accepted or returned), and reporting completeness
//! and timeliness.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::{
    Aggregation, ChecklistRequirement, Dataset, Indicator, ReportedStatus, Task, agency_order,
};
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
    /// Tasks it leads not yet done or withdrawn at the start of the period. Tasks
    /// addressed to a whole group ("các bộ, ngành, địa phương") have one status for the
    /// group, which the secretariat keeps; what each member has done is asked through
    /// checklist requirements.
    pub tasks: Vec<&'a Task>,
    /// Indicators reported per agency: those with agency targets or values, and those
    /// whose national value is a sum or mean of the agencies' values (except counts of
    /// agencies, such as "số địa phương đã …", which come from checklists).
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
                    && !a.update.is_some_and(|u| {
                        matches!(
                            u.status,
                            ReportedStatus::Done | ReportedStatus::NotApplicable
                        )
                    })
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

/// A submission is on time when it was sent on or before the last day of the period
/// under the programme's reporting regime (e.g. the 14th under Nghị định 09/2019).
pub fn on_time(submitted_on: NaiveDate, period_end: NaiveDate) -> bool {
    submitted_on <= period_end
}

/// Reporting completeness and timeliness of one agency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgencyReporting {
    pub agency_id: String,
    pub expected: usize,
    pub status: Option<SubmissionStatus>,
    pub submitted_on: Option<NaiveDate>,
    pub on_time: Option<bool>,
}

/// For each agency with something due, whether it has reported and on time, given the
/// submissions as (agency id, status, date sent); agencies in the standard order.
pub fn completeness(
    data: &Dataset,
    programme_ids: &[&str],
    period: Period,
    submissions: &[(String, SubmissionStatus, Option<NaiveDate>)],
) -> Vec<AgencyReporting> {
    let Some(programme) = programme_ids.first().and_then(|p| data.programme(p)) else {
        return Vec::new();
    };
    let (start, end) = period.bounds(programme.regime);
    let mut agencies: Vec<_> = data
        .agencies
        .iter()
        .filter(|a| a.valid_on(start) || a.valid_on(end))
        .collect();
    agencies.sort_by(|a, b| agency_order(a, b));
    agencies
        .into_iter()
        .filter_map(|a| {
            let expected = due_items(data, programme_ids, &a.id, period).len();
            if expected == 0 {
                return None;
            }
            let found = submissions.iter().find(|(id, _, _)| *id == a.id);
            let sent = found.and_then(|(_, status, on)| {
                (*status != SubmissionStatus::Draft)
                    .then_some(*on)
                    .flatten()
            });
            Some(AgencyReporting {
                agency_id: a.id.clone(),
                expected,
                status: found.map(|(_, s, _)| *s),
                submitted_on: sent,
                on_time: sent.map(|d| on_time(d, end)),
            })
        })
        .collect()
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

    #[test]
    fn timeliness_uses_the_regime_end_of_the_period() {
        use crate::period::ReportingRegime;
        let may = Period::month(2024, 5);
        let end = may.end(ReportingRegime::Decree09);
        assert_eq!(end, NaiveDate::from_ymd_opt(2024, 5, 14).unwrap());
        assert!(on_time(NaiveDate::from_ymd_opt(2024, 5, 14).unwrap(), end));
        assert!(!on_time(NaiveDate::from_ymd_opt(2024, 5, 15).unwrap(), end));
    }
}
