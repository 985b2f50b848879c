//! Task status derived from dates, task counts, overdue cohorts and counts per lead.
//!
//! The status is derived, not typed: from the deadline's due date, the completion date
//! reported for the task and the as-of date of the report.
//!
//! Rules:
//! - A task reported as not applicable is [`TaskStatus::NotApplicable`].
//! - A task reported done with a completion date is *done late* when it was completed
//!   after the due date; *done early* when it was completed before the first day of the
//!   deadline's named period **and** in an earlier month than the due date (a task due
//!   "Tháng 6" done in May, a task due 30/4 done in March); otherwise *done on time*.
//! - A task reported done without a completion date is *done on time* when the report
//!   saying so is dated on or before the due date, and otherwise [`TaskStatus::Done`]
//!   (done, timeliness unknown).
//! - A recurring task ("Hàng tháng") is judged against the occurrence that contains the
//!   as-of date; continuous work ("Thường xuyên") and unreadable deadlines have no due
//!   date: done or [`TaskStatus::NoDueDate`].
//! - A task not reported done is *overdue* when the as-of date is after its due date,
//!   else *in progress* (or *not started* when so reported), or *no report received*
//!   when nothing was reported.
//! - A task with several assignees has a status per assignee, and its own status is
//!   combined from theirs by its rule (see [`crate::assignment`]).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::assignment::{self, Expanded, ProgressPart};
use crate::deadline::Deadline;
use crate::model::{
    Assignee, AssignmentRole, AssignmentUpdate, Dataset, ReportedStatus, Task, TaskUpdate,
};
use crate::period::Period;

/// The derived status of a task at an as-of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum TaskStatus {
    DoneEarly,
    DoneOnTime,
    DoneLate,
    /// Done; the completion date is unknown and the report came after the due date.
    Done,
    InProgress,
    NotStarted,
    Overdue,
    NoDueDate,
    NotApplicable,
    /// Nothing reported and not yet due.
    NoReport,
}

impl TaskStatus {
    pub fn is_done(self) -> bool {
        matches!(
            self,
            TaskStatus::DoneEarly
                | TaskStatus::DoneOnTime
                | TaskStatus::DoneLate
                | TaskStatus::Done
        )
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            TaskStatus::DoneEarly => "Hoàn thành trước hạn",
            TaskStatus::DoneOnTime => "Hoàn thành đúng hạn",
            TaskStatus::DoneLate => "Hoàn thành chậm",
            TaskStatus::Done => "Hoàn thành",
            TaskStatus::InProgress => "Đang thực hiện",
            TaskStatus::NotStarted => "Chưa triển khai",
            TaskStatus::Overdue => "Quá hạn",
            TaskStatus::NoDueDate => "Không có thời hạn",
            TaskStatus::NotApplicable => "Không còn áp dụng",
            TaskStatus::NoReport => "Chưa nhận được báo cáo",
        }
    }

    /// The status of a task with this deadline in words: a task whose deadline could not
    /// be read has no due date "yet", it is not one "without a deadline".
    pub fn label_vi_for(self, deadline: &crate::deadline::Deadline) -> &'static str {
        if self == TaskStatus::NoDueDate && deadline_unreadable(deadline) {
            "Chưa xác định được thời hạn"
        } else {
            self.label_vi()
        }
    }

    pub fn label_en_for(self, deadline: &crate::deadline::Deadline) -> &'static str {
        if self == TaskStatus::NoDueDate && deadline_unreadable(deadline) {
            "Deadline not readable"
        } else {
            self.label_en()
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            TaskStatus::DoneEarly => "Done early",
            TaskStatus::DoneOnTime => "Done on time",
            TaskStatus::DoneLate => "Done late",
            TaskStatus::Done => "Done",
            TaskStatus::InProgress => "In progress",
            TaskStatus::NotStarted => "Not started",
            TaskStatus::Overdue => "Overdue",
            TaskStatus::NoDueDate => "No due date",
            TaskStatus::NotApplicable => "No longer applicable",
            TaskStatus::NoReport => "No report received",
        }
    }
}

/// Whether a deadline is written but could not be read.
fn deadline_unreadable(deadline: &crate::deadline::Deadline) -> bool {
    deadline.kind == crate::deadline::DeadlineKind::Unparsed && !deadline.text.trim().is_empty()
}

/// What was reported about a task, or about one assignee's part of it, for a period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Reported<'a> {
    pub period: Period,
    pub reported_on: NaiveDate,
    pub status: ReportedStatus,
    pub completed_on: Option<NaiveDate>,
    pub result: &'a str,
    pub provenance: &'a str,
    /// Reported by the assignee itself, not for the task as a whole.
    pub own: bool,
}

impl<'a> From<&'a TaskUpdate> for Reported<'a> {
    fn from(u: &'a TaskUpdate) -> Reported<'a> {
        Reported {
            period: u.period,
            reported_on: u.reported_on,
            status: u.status,
            completed_on: u.completed_on,
            result: &u.result,
            provenance: &u.provenance,
            own: false,
        }
    }
}

impl<'a> From<&'a AssignmentUpdate> for Reported<'a> {
    fn from(u: &'a AssignmentUpdate) -> Reported<'a> {
        Reported {
            period: u.period,
            reported_on: u.reported_on,
            status: u.status,
            completed_on: u.completed_on,
            result: &u.result,
            provenance: &u.provenance,
            own: true,
        }
    }
}

/// Derive a status at `as_of` from a deadline and the latest report.
pub fn derive_status(
    deadline: &Deadline,
    update: Option<Reported<'_>>,
    as_of: NaiveDate,
) -> TaskStatus {
    let reported = update.map(|u| u.status);
    let due = deadline.due_for(as_of);
    match reported {
        Some(ReportedStatus::NotApplicable) => TaskStatus::NotApplicable,
        Some(ReportedStatus::Done) => {
            let update = update.expect("a reported status comes from an update");
            let Some(due) = due else {
                return TaskStatus::Done;
            };
            match update.completed_on {
                Some(done) if done > due => TaskStatus::DoneLate,
                Some(done) => {
                    let before_window = deadline.window_start.is_some_and(|start| done < start);
                    let earlier_month = (done.year(), done.month()) < (due.year(), due.month());
                    if before_window && earlier_month {
                        TaskStatus::DoneEarly
                    } else {
                        TaskStatus::DoneOnTime
                    }
                }
                None if update.reported_on <= due => TaskStatus::DoneOnTime,
                None => TaskStatus::Done,
            }
        }
        _ => match due {
            None => TaskStatus::NoDueDate,
            Some(due) if as_of > due => TaskStatus::Overdue,
            Some(_) if reported == Some(ReportedStatus::NotStarted) => TaskStatus::NotStarted,
            Some(_) if reported.is_none() => TaskStatus::NoReport,
            Some(_) => TaskStatus::InProgress,
        },
    }
}

/// One agency's part in a task at an as-of date.
#[derive(Debug, Clone, Serialize)]
pub struct AssigneeView<'a> {
    pub assignee: Expanded,
    /// Its own latest report, else the task's.
    pub update: Option<Reported<'a>>,
    pub status: TaskStatus,
}

/// A task with its latest update and derived status at an as-of date.
#[derive(Debug, Clone, Serialize)]
pub struct TaskView<'a> {
    pub task: &'a Task,
    /// The latest update reported for the task as a whole.
    pub update: Option<&'a TaskUpdate>,
    pub status: TaskStatus,
    /// The due date that applies at the as-of date.
    pub due: Option<NaiveDate>,
    /// Days past the due date at the as-of date, for overdue tasks.
    pub days_late: Option<i64>,
    /// Every assigned agency (groups expanded), with its own status.
    pub assignees: Vec<AssigneeView<'a>>,
    /// The as-of date the status is derived at.
    pub as_of: NaiveDate,
}

impl TaskView<'_> {
    /// The part of an agency in the task, if it is assigned.
    pub fn assignee(&self, agency_id: &str) -> Option<&AssigneeView<'_>> {
        self.assignees
            .iter()
            .find(|a| a.assignee.agency_id == agency_id)
    }

    /// Whether "x/N" per assignee means something: the task is shared and at least one
    /// assignee reported its own part (otherwise every assignee only carries the task's
    /// own status, and "0/93" would claim what nobody reported).
    pub fn reports_per_assignee(&self, data: &Dataset) -> bool {
        assignment::is_shared(data, self.task)
            && self
                .assignees
                .iter()
                .any(|a| a.update.is_some_and(|u| u.own))
    }

    /// "x/N" of the required assignees, per group or kind of agency. A task done by the
    /// rule `any` lists nobody as not done: the others no longer have to.
    pub fn progress(&self, data: &Dataset) -> Vec<ProgressPart> {
        let done: Vec<(Expanded, bool)> = self
            .assignees
            .iter()
            .map(|a| (a.assignee.clone(), a.status.is_done()))
            .collect();
        let mut parts = assignment::progress(data, &done);
        if self.task.done_rule == crate::model::DoneRule::Any && self.status.is_done() {
            parts.iter_mut().for_each(|p| p.not_done.clear());
        }
        parts
    }
}

/// The latest own report of each (task, agency) valid at `as_of` ([`crate::clock::valid_on`]).
fn latest_assignment_updates(
    data: &Dataset,
    as_of: NaiveDate,
) -> BTreeMap<(&str, &str), &AssignmentUpdate> {
    let regimes = data.task_regimes();
    let mut latest: BTreeMap<(&str, &str), &AssignmentUpdate> = BTreeMap::new();
    for u in data.assignment_updates.iter().filter(|u| {
        crate::clock::valid_on(
            u.period,
            regimes.get(u.task_id.as_str()).copied().unwrap_or_default(),
            u.reported_on,
            u.status,
            u.completed_on,
        ) <= as_of
    }) {
        let key = (u.task_id.as_str(), u.agency_id.as_str());
        if latest
            .get(&key)
            .is_none_or(|prev| (prev.reported_on, prev.period) <= (u.reported_on, u.period))
        {
            latest.insert(key, u);
        }
    }
    latest
}

/// The tasks of the given programmes at `as_of`, sorted by lateness (most overdue first),
/// then by programme and number.
pub fn task_views<'a>(
    data: &'a Dataset,
    programme_ids: &[&str],
    as_of: NaiveDate,
) -> Vec<TaskView<'a>> {
    let latest = data.latest_updates(as_of);
    let own = latest_assignment_updates(data, as_of);
    let mut views: Vec<TaskView<'a>> = data
        .tasks
        .iter()
        .filter(|t| programme_ids.contains(&t.programme_id.as_str()))
        .map(|task| {
            let update = latest.get(task.id.as_str()).copied();
            let assignees: Vec<AssigneeView<'a>> =
                assignment::expand(data, task, assignment::expansion_date(task, as_of))
                    .into_iter()
                    .map(|assignee| {
                        let reported = own
                            .get(&(task.id.as_str(), assignee.agency_id.as_str()))
                            .map(|u| Reported::from(*u))
                            .or(update.map(Reported::from));
                        let status = derive_status(&task.deadline, reported, as_of);
                        AssigneeView {
                            assignee,
                            update: reported,
                            status,
                        }
                    })
                    .collect();
            let required: Vec<TaskStatus> = assignees
                .iter()
                .filter(|a| a.assignee.required)
                .map(|a| a.status)
                .collect();
            let status = assignment::combine(&required, task.done_rule).unwrap_or_else(|| {
                derive_status(&task.deadline, update.map(Reported::from), as_of)
            });
            let due = task.deadline.due_for(as_of);
            let days_late = (status == TaskStatus::Overdue)
                .then(|| due.map(|d| (as_of - d).num_days()))
                .flatten();
            TaskView {
                task,
                update,
                status,
                due,
                days_late,
                assignees,
                as_of,
            }
        })
        .collect();
    sort_views(&mut views, programme_ids);
    views
}

/// Most overdue first, then by programme (in the order given) and number.
fn sort_views(views: &mut [TaskView<'_>], programme_ids: &[&str]) {
    views.sort_by(|a, b| {
        b.days_late
            .unwrap_or(-1)
            .cmp(&a.days_late.unwrap_or(-1))
            .then_with(|| {
                programme_ids
                    .iter()
                    .position(|p| *p == a.task.programme_id)
                    .cmp(&programme_ids.iter().position(|p| *p == b.task.programme_id))
            })
            .then_with(|| natural_key(&a.task.number).cmp(&natural_key(&b.task.number)))
    });
}

/// The tasks of the given programmes, each programme family (a top-level programme and
/// its sub-programmes) at its own as-of date by the rule of [`crate::clock`] (the end of
/// its latest reporting period), or all at `as_of` when it is given; sorted as
/// [`task_views`] sorts them. A task shows the same status and days late here as in its
/// programme's report and page.
pub fn task_views_dated<'a>(
    data: &'a Dataset,
    programme_ids: &[&str],
    as_of: Option<NaiveDate>,
    known_on: NaiveDate,
) -> Vec<TaskView<'a>> {
    let mut families: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for id in programme_ids {
        families
            .entry(data.root_programme(id).map_or(*id, |p| p.id.as_str()))
            .or_default()
            .push(*id);
    }
    let mut views = Vec::new();
    for (root, ids) in families {
        let date = match (as_of, data.programme(root)) {
            (Some(date), _) => date,
            (None, Some(programme)) => {
                crate::clock::programme_dates(data, programme, None, None, known_on).as_of
            }
            (None, None) => known_on,
        };
        views.extend(task_views(data, &ids, date));
    }
    sort_views(&mut views, programme_ids);
    views
}

/// Sort key for numbers like "2", "10", "2.7.3": numeric parts compare as numbers.
pub fn natural_key(number: &str) -> Vec<(u64, String)> {
    number
        .split(['.', '-', ' '])
        .map(|part| (part.parse::<u64>().unwrap_or(u64::MAX), part.to_string()))
        .collect()
}

/// Counts of tasks by derived status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TaskCounts {
    pub total: usize,
    pub done: usize,
    pub done_early: usize,
    pub done_on_time: usize,
    pub done_late: usize,
    pub in_progress: usize,
    pub not_started: usize,
    pub overdue: usize,
    pub no_due_date: usize,
    pub not_applicable: usize,
    pub no_report: usize,
}

impl TaskCounts {
    pub fn add(&mut self, status: TaskStatus) {
        self.total += 1;
        if status.is_done() {
            self.done += 1;
        }
        match status {
            TaskStatus::DoneEarly => self.done_early += 1,
            TaskStatus::DoneOnTime => self.done_on_time += 1,
            TaskStatus::DoneLate => self.done_late += 1,
            TaskStatus::Done => {}
            TaskStatus::InProgress => self.in_progress += 1,
            TaskStatus::NotStarted => self.not_started += 1,
            TaskStatus::Overdue => self.overdue += 1,
            TaskStatus::NoDueDate => self.no_due_date += 1,
            TaskStatus::NotApplicable => self.not_applicable += 1,
            TaskStatus::NoReport => self.no_report += 1,
        }
    }

    pub fn of<'a>(views: impl IntoIterator<Item = &'a TaskView<'a>>) -> TaskCounts {
        let mut counts = TaskCounts::default();
        for v in views {
            counts.add(v.status);
        }
        counts
    }
}

/// Tasks falling due within a window and how many of them are done:
/// "đến hạn trong tháng 6: 28, đã hoàn thành 16/28".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DueCounts {
    pub due: usize,
    pub done: usize,
}

/// Tasks whose due date falls in `[from, to]`, and how many of them are done.
pub fn due_between(views: &[TaskView<'_>], from: NaiveDate, to: NaiveDate) -> DueCounts {
    let mut counts = DueCounts::default();
    for v in views
        .iter()
        .filter(|v| v.task.deadline.recurrence.is_none())
    {
        if v.due.is_some_and(|d| from <= d && d <= to) {
            counts.due += 1;
            if v.status.is_done() {
                counts.done += 1;
            }
        }
    }
    counts
}

/// The cohort an overdue task belongs to: the month it fell due when that month is in
/// the as-of year, otherwise the year ("12 nhiệm vụ từ năm 2023, 03 từ tháng 3/2024").
pub fn cohort_of(due: NaiveDate, as_of: NaiveDate) -> Period {
    if due.year() < as_of.year() {
        Period::year(due.year())
    } else {
        Period::month_of(due)
    }
}

/// Overdue tasks grouped by cohort, oldest first.
pub fn overdue_cohorts<'a>(
    views: &'a [TaskView<'a>],
    as_of: NaiveDate,
) -> BTreeMap<Period, Vec<&'a TaskView<'a>>> {
    let mut cohorts: BTreeMap<Period, Vec<&TaskView>> = BTreeMap::new();
    for v in views.iter().filter(|v| v.status == TaskStatus::Overdue) {
        if let Some(due) = v.due {
            cohorts.entry(cohort_of(due, as_of)).or_default().push(v);
        }
    }
    for list in cohorts.values_mut() {
        list.sort_by_key(|a| natural_key(&a.task.number));
    }
    cohorts
}

/// Task counts per lead as it is on `on`, in the documented agency order (groups after
/// agencies). Each lead and joint lead counts the task once, with its own status; a lead
/// that was dissolved counts under its successor (see [`crate::structure::lead_on`]); a
/// group that leads counts the task with the task's status.
pub fn counts_per_lead(
    data: &Dataset,
    views: &[TaskView<'_>],
    on: NaiveDate,
) -> Vec<(Assignee, TaskCounts)> {
    let mut per: BTreeMap<Assignee, TaskCounts> = BTreeMap::new();
    for v in views {
        for assignment in data
            .assignments_of(v.task)
            .iter()
            .filter(|a| a.role != AssignmentRole::Coordinating)
        {
            let status = match &assignment.assignee {
                Assignee::Agency(id) => v.assignee(id).map_or(v.status, |a| a.status),
                Assignee::Group(_) => v.status,
            };
            per.entry(crate::structure::effective_lead(
                data,
                &assignment.assignee,
                on,
            ))
            .or_default()
            .add(status);
        }
    }
    let mut rows: Vec<(Assignee, TaskCounts)> = per.into_iter().collect();
    rows.sort_by_key(|(lead, _)| match lead {
        Assignee::Agency(id) => (
            0,
            data.agency(id).map_or(i64::MAX, |a| a.sort_order),
            id.clone(),
        ),
        Assignee::Group(id) => (1, 0, id.clone()),
    });
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Assignment, DoneRule, Task};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn update(
        status: ReportedStatus,
        reported_on: NaiveDate,
        completed_on: Option<NaiveDate>,
    ) -> TaskUpdate {
        TaskUpdate {
            task_id: "t".into(),
            period: Period::month(2024, 5),
            reported_on,
            status,
            completed_on,
            result: String::new(),
            provenance: String::new(),
        }
    }

    #[test]
    fn derived_statuses() {
        let june = Deadline::parse("Tháng 6", 2024);
        let as_of = d(2024, 5, 31);
        let done = |on| update(ReportedStatus::Done, d(2024, 5, 21), Some(on));
        let derive_status = |deadline: &Deadline, u: Option<&TaskUpdate>, as_of| {
            derive_status(deadline, u.map(Reported::from), as_of)
        };
        assert_eq!(
            derive_status(&june, Some(&done(d(2024, 5, 10))), as_of),
            TaskStatus::DoneEarly
        );
        assert_eq!(
            derive_status(&june, Some(&done(d(2024, 6, 10))), as_of),
            TaskStatus::DoneOnTime
        );
        assert_eq!(
            derive_status(&june, Some(&done(d(2024, 7, 1))), as_of),
            TaskStatus::DoneLate
        );
        let april = Deadline::parse("30/4/2024", 2024);
        assert_eq!(
            derive_status(&april, Some(&done(d(2024, 4, 25))), as_of),
            TaskStatus::DoneOnTime
        );
        assert_eq!(
            derive_status(&april, Some(&done(d(2024, 3, 17))), as_of),
            TaskStatus::DoneEarly
        );
        assert_eq!(derive_status(&april, None, as_of), TaskStatus::Overdue);
        assert_eq!(
            derive_status(&april, None, d(2024, 4, 30)),
            TaskStatus::NoReport,
            "nothing reported and not yet due"
        );
        let in_progress = update(ReportedStatus::InProgress, d(2024, 4, 20), None);
        assert_eq!(
            derive_status(&april, Some(&in_progress), d(2024, 4, 30)),
            TaskStatus::InProgress
        );
        let undated = update(ReportedStatus::Done, d(2024, 5, 21), None);
        assert_eq!(
            derive_status(&april, Some(&undated), as_of),
            TaskStatus::Done
        );
        assert_eq!(
            derive_status(&june, Some(&undated), as_of),
            TaskStatus::DoneOnTime
        );
        let not_started = update(ReportedStatus::NotStarted, d(2024, 5, 21), None);
        assert_eq!(
            derive_status(&june, Some(&not_started), as_of),
            TaskStatus::NotStarted
        );
        assert_eq!(
            derive_status(&Deadline::parse("Thường xuyên", 2024), None, as_of),
            TaskStatus::NoDueDate
        );
        assert_eq!(
            derive_status(&Deadline::parse("Hàng tháng", 2024), None, as_of),
            TaskStatus::NoReport
        );
        let na = update(ReportedStatus::NotApplicable, d(2024, 5, 21), None);
        assert_eq!(
            derive_status(&april, Some(&na), as_of),
            TaskStatus::NotApplicable
        );
    }

    fn task(id: &str, deadline: &str, lead: &str) -> Task {
        Task {
            id: id.into(),
            programme_id: "p".into(),
            number: id.trim_start_matches('t').into(),
            title: id.into(),
            assignments: vec![Assignment {
                assignee: Assignee::Agency(lead.into()),
                role: AssignmentRole::Lead,
                required: true,
                provenance: String::new(),
            }],
            done_rule: DoneRule::All,
            deadline: Deadline::parse(deadline, 2024),
            legal_basis: vec![],
            provenance: String::new(),
        }
    }

    #[test]
    fn counts_cohorts_and_leads() {
        let data = Dataset {
            tasks: vec![
                task("t1", "Năm 2023", "A"),
                task("t2", "Tháng 3/2024", "A"),
                task("t3", "Tháng 4", "B"),
                task("t4", "15/4/2024", "B"),
                task("t5", "Tháng 6", "A"),
                task("t6", "Tháng 5", "B"),
            ],
            task_updates: vec![TaskUpdate {
                task_id: "t6".into(),
                ..update(ReportedStatus::Done, d(2024, 5, 20), Some(d(2024, 5, 20)))
            }],
            ..Dataset::default()
        };
        let as_of = d(2024, 5, 31);
        let views = task_views(&data, &["p"], as_of);
        assert_eq!(views[0].task.id, "t1", "most overdue first");
        let counts = TaskCounts::of(&views);
        assert_eq!(
            (counts.total, counts.done, counts.overdue, counts.no_report),
            (6, 1, 4, 1)
        );
        let cohorts = overdue_cohorts(&views, as_of);
        let shape: Vec<(String, usize)> =
            cohorts.iter().map(|(p, l)| (p.code(), l.len())).collect();
        assert_eq!(
            shape,
            vec![
                ("2023".to_string(), 1),
                ("2024-03".to_string(), 1),
                ("2024-04".to_string(), 2)
            ]
        );
        assert_eq!(
            due_between(&views, d(2024, 5, 1), d(2024, 5, 31)),
            DueCounts { due: 1, done: 1 }
        );
        assert_eq!(
            due_between(&views, NaiveDate::MIN, as_of),
            DueCounts { due: 5, done: 1 }
        );
        let per_lead = counts_per_lead(&data, &views, as_of);
        assert_eq!(
            per_lead
                .iter()
                .map(|(l, c)| (l.clone(), c.overdue))
                .collect::<Vec<_>>(),
            vec![
                (Assignee::Agency("A".into()), 2),
                (Assignee::Agency("B".into()), 2)
            ]
        );
    }

    #[test]
    fn natural_numbers_sort_numerically() {
        let mut numbers = vec!["10", "2", "I.10", "I.9", "1"];
        numbers.sort_by_key(|n| natural_key(n));
        assert_eq!(numbers, vec!["1", "2", "10", "I.9", "I.10"]);
    }
}
