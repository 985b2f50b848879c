//! Checklist results: "17/22 bộ, cơ quan ngang bộ và 54/63 địa phương (đạt 83,5%)".
//!
//! For a requirement at a date, each group of the requirement is taken with the members
//! valid on that date. An agency counts as done when its latest item reported on or
//! before the date says done, and its done date (if given) is on or before the date.
//! Combined results add numerators and denominators (the groups of a requirement are
//! meant to be disjoint; `tiendo check` reports overlaps). Agencies not done are listed in
//! the documented agency order: by sort order (ministries in the official order, then
//! provinces by code), then code.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{Agency, ChecklistItem, ChecklistRequirement, Dataset};

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

/// The item that counts for an agency at a date: the latest reported on or before it.
pub fn item_at<'a>(data: &'a Dataset, requirement_id: &str, agency_id: &str, date: NaiveDate) -> Option<&'a ChecklistItem> {
    data.checklist_items
        .iter()
        .filter(|i| i.requirement_id == requirement_id && i.agency_id == agency_id && i.reported_on <= date)
        .max_by_key(|i| i.reported_on)
}

/// Whether an item counts as done at a date.
pub fn done_at(item: &ChecklistItem, date: NaiveDate) -> bool {
    item.done && item.done_on.is_none_or(|d| d <= date)
}

/// Compute a requirement's result at a date.
pub fn evaluate<'a>(data: &'a Dataset, requirement: &'a ChecklistRequirement, date: NaiveDate) -> ChecklistResult<'a> {
    let groups = requirement
        .group_ids
        .iter()
        .map(|group_id| {
            let (done, not_done) = data
                .members_on(group_id, date)
                .into_iter()
                .partition(|a| item_at(data, &requirement.id, &a.id, date).is_some_and(|i| done_at(i, date)));
            GroupResult {
                group_id: group_id.clone(),
                counted_as: data.group(group_id).map_or_else(|| group_id.clone(), |g| g.counted_as.clone()),
                done,
                not_done,
            }
        })
        .collect();
    ChecklistResult { requirement, date, groups }
}
