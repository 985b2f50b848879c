//! Checklist results: "17/22 bộ, cơ quan ngang bộ và 54/63 địa phương (đạt 83,5%)".
//!
//! For a requirement at a date, each group of the requirement is taken with the members
//! valid on that date. An agency counts as done when its latest item reported on or
//! before the date says done, and its done date (if given) is on or before the date.
//! Agencies excluded from the requirement (with a reason, for the footnote) are left out
//! of the denominator. Combined results add numerators and denominators (the groups of a requirement are
//! meant to be disjoint; `tiendo check` reports overlaps). Agencies not done are listed in
//! the documented agency order: by sort order (ministries in the official order, then
//! provinces by code), then code.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{Agency, ChecklistItem, ChecklistRequirement, Dataset, Exclusion};

/// The result of one group for a requirement.
#[derive(Debug, Clone, Serialize)]
pub struct GroupResult<'a> {
    pub group_id: String,
    pub counted_as: String,
    pub done: Vec<&'a Agency>,
    pub not_done: Vec<&'a Agency>,
}

impl GroupResult<'_> {
    pub fn numerator(&self) -> usize {
        self.done.len()
    }
    pub fn denominator(&self) -> usize {
        self.done.len() + self.not_done.len()
    }
}

/// The result of a requirement at a date: per group and combined.
#[derive(Debug, Clone, Serialize)]
pub struct ChecklistResult<'a> {
    pub requirement: &'a ChecklistRequirement,
    pub date: NaiveDate,
    pub groups: Vec<GroupResult<'a>>,
    /// The members left out of the denominator, with their reasons.
    pub excluded: Vec<&'a Exclusion>,
}

impl ChecklistResult<'_> {
    pub fn numerator(&self) -> usize {
        self.groups.iter().map(GroupResult::numerator).sum()
    }
    pub fn denominator(&self) -> usize {
        self.groups.iter().map(GroupResult::denominator).sum()
    }
    /// All agencies not done, group by group, each group in agency order.
    pub fn not_done(&self) -> impl Iterator<Item = &Agency> {
        self.groups.iter().flat_map(|g| g.not_done.iter().copied())
    }
}

/// The item that counts for an agency at a date: of the items valid by then, the latest
/// reported. An item is valid from the day it was reported as of, or, when it says done,
/// from the day it was done if that came first (the rule of [`crate::clock`]: a
/// completion counts from its date, even when reported later).
pub fn item_at<'a>(
    data: &'a Dataset,
    requirement_id: &str,
    agency_id: &str,
    date: NaiveDate,
) -> Option<&'a ChecklistItem> {
    data.checklist_items
        .iter()
        .filter(|i| {
            i.requirement_id == requirement_id && i.agency_id == agency_id && valid_on(i) <= date
        })
        .max_by_key(|i| i.reported_on)
}

/// The day from which an item counts.
pub fn valid_on(item: &ChecklistItem) -> NaiveDate {
    match item.done_on {
        Some(done) if item.done => done.min(item.reported_on),
        _ => item.reported_on,
    }
}

/// Whether an item counts as done at a date.
pub fn done_at(item: &ChecklistItem, date: NaiveDate) -> bool {
    item.done && item.done_on.is_none_or(|d| d <= date)
}

/// An exclusion as every surface names it: the agency's short name and the reason,
/// "VPCP (không có hệ thống thông tin giải quyết TTHC)".
pub fn exclusion_label(data: &Dataset, exclusion: &Exclusion) -> String {
    let name = data
        .agency(&exclusion.agency_id)
        .map_or(exclusion.agency_id.as_str(), |a| a.short_name.as_str());
    if exclusion.reason.trim().is_empty() {
        name.to_string()
    } else {
        format!("{name} ({})", exclusion.reason.trim())
    }
}

/// Compute a requirement's result at a date: the result in the structure of that date
/// ([`crate::structure::restate_checklist`] with equal dates), so that a unit created by a
/// reorganisation with no record of its own is judged on its predecessors' records, as
/// the report judges it. A unit whose result cannot be restated counts as not done.
pub fn evaluate<'a>(
    data: &'a Dataset,
    requirement: &'a ChecklistRequirement,
    date: NaiveDate,
) -> ChecklistResult<'a> {
    let restated = crate::structure::restate_checklist(data, requirement, date, date);
    let groups = restated
        .groups
        .into_iter()
        .map(|g| {
            let (done, not_done) = g
                .units
                .iter()
                .partition::<Vec<_>, _>(|u| u.outcome == crate::structure::Outcome::Done);
            GroupResult {
                group_id: g.group_id,
                counted_as: g.counted_as,
                done: done.into_iter().map(|u| u.agency).collect(),
                not_done: not_done.into_iter().map(|u| u.agency).collect(),
            }
        })
        .collect();
    ChecklistResult {
        requirement,
        date,
        groups,
        excluded: restated.excluded,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deadline::Deadline;
    use crate::model::{AgencyGroup, AgencyKind, Confidence, GroupMembership};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn agency(id: &str, order: i64) -> Agency {
        Agency {
            id: id.into(),
            code: id.into(),
            name: id.into(),
            short_name: id.into(),
            kind: AgencyKind::Province,
            valid_from: None,
            valid_to: None,
            sort_order: order,
            confidence: Confidence::Official,
            note: String::new(),
            provenance: String::new(),
        }
    }

    fn item(
        agency: &str,
        done: bool,
        done_on: Option<NaiveDate>,
        reported_on: NaiveDate,
    ) -> ChecklistItem {
        ChecklistItem {
            requirement_id: "r".into(),
            agency_id: agency.into(),
            done,
            done_on,
            reported_on,
            evidence: String::new(),
            provenance: String::new(),
        }
    }

    #[test]
    fn per_group_and_combined_results_add_up() {
        let mut data = Dataset {
            agencies: vec![
                agency("M1", 10),
                agency("M2", 20),
                agency("P3", 1003),
                agency("P1", 1001),
                agency("P2", 1002),
            ],
            ..Dataset::default()
        };
        for (g, members) in [("bo", vec!["M1", "M2"]), ("tinh", vec!["P1", "P2", "P3"])] {
            data.agency_groups.push(AgencyGroup {
                id: g.into(),
                name: g.into(),
                counted_as: g.into(),
                provenance: String::new(),
            });
            for m in members {
                data.group_memberships.push(GroupMembership {
                    group_id: g.into(),
                    agency_id: m.into(),
                    valid_from: None,
                    valid_to: None,
                    provenance: String::new(),
                });
            }
        }
        data.checklist_requirements.push(ChecklistRequirement {
            id: "r".into(),
            programme_id: "p".into(),
            title: "r".into(),
            group_ids: vec!["bo".into(), "tinh".into()],
            deadline: Deadline::parse("Năm 2024", 2024),
            restatement: None,
            provenance: String::new(),
        });
        data.checklist_items = vec![
            item("M1", true, Some(d(2024, 3, 1)), d(2024, 3, 5)),
            item("P1", false, None, d(2024, 4, 30)),
            item("P1", true, None, d(2024, 5, 21)),
            item("P2", true, Some(d(2024, 6, 2)), d(2024, 5, 21)),
        ];
        let r = &data.checklist_requirements[0];
        let april = evaluate(&data, r, d(2024, 4, 30));
        assert_eq!((april.numerator(), april.denominator()), (1, 5));
        let may = evaluate(&data, r, d(2024, 5, 31));
        assert_eq!(
            (may.groups[0].numerator(), may.groups[0].denominator()),
            (1, 2)
        );
        assert_eq!(
            (may.groups[1].numerator(), may.groups[1].denominator()),
            (1, 3)
        );
        assert_eq!(
            (may.numerator(), may.denominator()),
            (2, 5),
            "combined adds numerators and denominators"
        );
        let not_done: Vec<&str> = may.not_done().map(|a| a.id.as_str()).collect();
        assert_eq!(
            not_done,
            vec!["M2", "P2", "P3"],
            "ministries first, then provinces by code"
        );
        let june = evaluate(&data, r, d(2024, 6, 30));
        assert_eq!(
            june.numerator(),
            3,
            "a future done date counts from that date"
        );
    }
}
