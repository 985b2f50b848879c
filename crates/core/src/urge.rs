//! What each agency owes at a date, for urging letters (công văn đôn đốc) and e-mail
//! reminders: its overdue assignments, the checklist items it has not done past their
//! deadline, its missing or late report for the period, and what falls due within a
//! number of days. Every status comes from the one computation of the rest of the
//! product: assignments from [`crate::status::task_views_dated`] (each assignee's own
//! status), checklist items from [`crate::checklist::evaluate`], reports from
//! [`crate::obligation::obligations`]; nothing is derived again here.
//!
//! Rules:
//! - An assignment is owed when the agency is a required assignee (lead, joint lead, or a
//!   required member of an assigned group) and its own status is overdue; it is due soon
//!   when it is not done, not withdrawn and its due date is within the window.
//! - A checklist item is owed when the agency is counted by the requirement, has not done
//!   it at the date, and the requirement's due date has passed; due soon when the due date
//!   is within the window.
//! - A report is owed for the period asked about by the agencies that owe one
//!   ([`crate::obligation`]): missing when nothing was sent by the date and the deadline
//!   to send it has passed; late when it was sent after the deadline; due soon when not
//!   sent and the deadline is within the window.
//!
//! [`reminders`] turns what is owed into the e-mail reminders of a day: before a
//! deadline, on the day an item falls overdue (or within the week after, when a day was
//! missed) and a weekly digest. Each reminder names the day it is about (the due date,
//! the first overdue day, the digest's day), so that the sender can refuse to send the
//! same reminder twice.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::clock::FigureDates;
use crate::format;
use crate::model::{Agency, ChecklistRequirement, Dataset, Task, agency_order};
use crate::period::Period;
use crate::status::TaskStatus;
use crate::submission::SubmissionStatus;

/// An assignment the agency has to finish.
#[derive(Debug, Clone, Serialize)]
pub struct OwedTask<'a> {
    pub task: &'a Task,
    pub role: crate::assignment::AgencyRole,
    /// The agency's own derived status.
    pub status: TaskStatus,
    pub due: NaiveDate,
    /// Days past the due date (overdue) or left until it (due soon).
    pub days: i64,
}

/// A checklist requirement the agency has not done.
#[derive(Debug, Clone, Serialize)]
pub struct OwedItem<'a> {
    pub requirement: &'a ChecklistRequirement,
    pub due: NaiveDate,
    /// Days past the due date (owed) or left until it (due soon).
    pub days: i64,
}

/// The agency's report for the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OwedReport {
    pub programme_id: String,
    pub period: Period,
    /// The last day to send the report ([`crate::period::Period::submission_deadline`]).
    pub due: NaiveDate,
    /// How many items it has to report.
    pub expected: usize,
    pub status: Option<SubmissionStatus>,
    /// The day it was sent, if it was (late when after `due`).
    pub submitted_on: Option<NaiveDate>,
}

/// What one agency owes at a date.
#[derive(Debug, Clone, Serialize)]
pub struct Owed<'a> {
    pub agency: &'a Agency,
    pub overdue: Vec<OwedTask<'a>>,
    pub missing_items: Vec<OwedItem<'a>>,
    /// Missing (not sent after the period's end) or late.
    pub report: Option<OwedReport>,
    pub tasks_due_soon: Vec<OwedTask<'a>>,
    pub items_due_soon: Vec<OwedItem<'a>>,
    /// Not yet sent; the period ends within the window.
    pub report_due_soon: Option<OwedReport>,
}

impl Owed<'_> {
    /// Whether the agency is behind on anything: what an urging letter is written for.
    pub fn is_behind(&self) -> bool {
        !self.overdue.is_empty() || !self.missing_items.is_empty() || self.report.is_some()
    }

    /// Whether anything falls due within the window.
    pub fn has_due_soon(&self) -> bool {
        !self.tasks_due_soon.is_empty()
            || !self.items_due_soon.is_empty()
            || self.report_due_soon.is_some()
    }
}

/// What to compute: the programme family, the date, the report period to chase (none: no
/// report is chased), the window in days, and the submissions sent (agency, status, day
/// sent) for that period.
#[derive(Debug, Clone, Copy)]
pub struct OwedRequest<'r> {
    pub programme_ids: &'r [&'r str],
    pub as_of: NaiveDate,
    pub known_on: NaiveDate,
    pub report_period: Option<Period>,
    pub within_days: i64,
    pub submissions: &'r [(String, SubmissionStatus, Option<NaiveDate>)],
}

/// The entry of an agency, made when it is first needed.
fn entry<'a, 'm>(
    per: &'m mut BTreeMap<&'a str, Owed<'a>>,
    data: &'a Dataset,
    agency_id: &str,
) -> Option<&'m mut Owed<'a>> {
    let agency = data.agency(agency_id)?;
    Some(per.entry(agency.id.as_str()).or_insert_with(|| Owed {
        agency,
        overdue: Vec::new(),
        missing_items: Vec::new(),
        report: None,
        tasks_due_soon: Vec::new(),
        items_due_soon: Vec::new(),
        report_due_soon: None,
    }))
}

/// What every agency owes or has due soon, in the documented agency order; agencies with
/// nothing of either are left out.
pub fn owed<'a>(data: &'a Dataset, request: &OwedRequest<'_>) -> Vec<Owed<'a>> {
    let as_of = request.as_of;
    let mut per: BTreeMap<&str, Owed<'a>> = BTreeMap::new();
    for view in
        crate::status::task_views_dated(data, request.programme_ids, Some(as_of), request.known_on)
    {
        let Some(due) = view.due else { continue };
        for a in view.assignees.iter().filter(|a| a.assignee.required) {
            let owed = |days| OwedTask {
                task: view.task,
                role: crate::assignment::AgencyRole::of(&a.assignee),
                status: a.status,
                due,
                days,
            };
            if a.status == TaskStatus::Overdue {
                if let Some(e) = entry(&mut per, data, &a.assignee.agency_id) {
                    e.overdue.push(owed((as_of - due).num_days()));
                }
            } else if !a.status.is_done()
                && a.status != TaskStatus::NotApplicable
                && due >= as_of
                && (due - as_of).num_days() <= request.within_days
                && let Some(e) = entry(&mut per, data, &a.assignee.agency_id)
            {
                e.tasks_due_soon.push(owed((due - as_of).num_days()));
            }
        }
    }
    for requirement in data
        .checklist_requirements
        .iter()
        .filter(|r| request.programme_ids.contains(&r.programme_id.as_str()))
    {
        let Some(due) = requirement.deadline.due_for(as_of) else {
            continue;
        };
        let result = crate::checklist::evaluate(data, requirement, as_of);
        for agency in result.not_done() {
            if due < as_of {
                if let Some(e) = entry(&mut per, data, &agency.id) {
                    e.missing_items.push(OwedItem {
                        requirement,
                        due,
                        days: (as_of - due).num_days(),
                    });
                }
            } else if (due - as_of).num_days() <= request.within_days
                && let Some(e) = entry(&mut per, data, &agency.id)
            {
                e.items_due_soon.push(OwedItem {
                    requirement,
                    due,
                    days: (due - as_of).num_days(),
                });
            }
        }
    }
    if let (Some(period), Some(programme)) = (
        request.report_period,
        request
            .programme_ids
            .first()
            .and_then(|p| data.programme(p)),
    ) {
        for obligation in crate::obligation::obligations(
            data,
            request.programme_ids,
            period,
            request.submissions,
            as_of,
        ) {
            let due = obligation.deadline;
            let report = OwedReport {
                programme_id: programme.id.clone(),
                period,
                due,
                expected: obligation.items.len(),
                status: request
                    .submissions
                    .iter()
                    .find(|(id, _, _)| *id == obligation.agency.id)
                    .map(|(_, status, _)| *status),
                submitted_on: obligation.submitted_on.filter(|d| *d <= as_of),
            };
            match report.submitted_on {
                Some(sent) if sent > due => {
                    if let Some(e) = entry(&mut per, data, &obligation.agency.id) {
                        e.report = Some(report);
                    }
                }
                Some(_) => {}
                None if as_of > due => {
                    if let Some(e) = entry(&mut per, data, &obligation.agency.id) {
                        e.report = Some(report);
                    }
                }
                None if (due - as_of).num_days() <= request.within_days => {
                    if let Some(e) = entry(&mut per, data, &obligation.agency.id) {
                        e.report_due_soon = Some(report);
                    }
                }
                None => {}
            }
        }
    }
    let mut all: Vec<Owed<'a>> = per.into_values().collect();
    for o in &mut all {
        o.overdue.sort_by_key(|t| {
            (
                std::cmp::Reverse(t.days),
                crate::status::natural_key(&t.task.number),
            )
        });
        o.tasks_due_soon
            .sort_by_key(|t| (t.days, crate::status::natural_key(&t.task.number)));
        o.missing_items
            .sort_by_key(|i| (std::cmp::Reverse(i.days), i.requirement.id.clone()));
        o.items_due_soon
            .sort_by_key(|i| (i.days, i.requirement.id.clone()));
    }
    all.sort_by(|a, b| agency_order(a.agency, b.agency));
    all
}

/// What every agency owes for a programme and its sub-programmes at the dates of a
/// figure ([`crate::clock::programme_dates`]), chasing the report of its period.
pub fn owed_in_period<'a>(
    data: &'a Dataset,
    programme_id: &str,
    dates: &FigureDates,
    submissions: &[(String, SubmissionStatus, Option<NaiveDate>)],
    within_days: i64,
) -> Vec<Owed<'a>> {
    let family: Vec<&str> = data
        .programme_family(programme_id)
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    owed(
        data,
        &OwedRequest {
            programme_ids: &family,
            as_of: dates.as_of,
            known_on: dates.known_on,
            report_period: Some(dates.period),
            within_days,
            submissions,
        },
    )
}

crate::model::code_enum! {
    /// Why a reminder is sent.
    ReminderKind {
        /// A deadline falls within the window.
        Before = "before",
        /// An item fell overdue (on the day, or within the week after when a day was missed).
        Overdue = "overdue",
        /// The weekly digest of everything owed.
        Digest = "digest",
    }
}

impl ReminderKind {
    pub fn label_vi(self) -> &'static str {
        match self {
            ReminderKind::Before => "Sắp đến hạn",
            ReminderKind::Overdue => "Đã quá hạn",
            ReminderKind::Digest => "Tổng hợp hằng tuần",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            ReminderKind::Before => "Due soon",
            ReminderKind::Overdue => "Fell overdue",
            ReminderKind::Digest => "Weekly digest",
        }
    }
}

/// What a reminder is about: its stable key (`task:<id>`, `checklist:<id>`,
/// `report:<programme>:<period>`, `digest`) and the day it is about (the due date, the
/// first overdue day, the digest's day). The sender never sends the same (agency, item,
/// kind, day) twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderItem {
    pub item: String,
    pub day: NaiveDate,
}

/// The reminder of one kind to one agency on a day: the items it is about, and the lines
/// of its message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reminder {
    pub agency_id: String,
    pub agency_name: String,
    pub kind: ReminderKind,
    pub items: Vec<ReminderItem>,
    pub lines: Vec<String>,
}

impl Reminder {
    /// The subject of the message.
    pub fn subject(&self) -> String {
        match self.kind {
            ReminderKind::Before => format!(
                "[tiendo] Nhắc việc sắp đến hạn ({} việc) – {}",
                self.lines.len(),
                self.agency_name
            ),
            ReminderKind::Overdue => format!(
                "[tiendo] Việc đã quá hạn ({} việc) – {}",
                self.lines.len(),
                self.agency_name
            ),
            ReminderKind::Digest => format!(
                "[tiendo] Tổng hợp việc cần hoàn thành ({} việc) – {}",
                self.lines.len(),
                self.agency_name
            ),
        }
    }

    /// The text of the message.
    pub fn body(&self) -> String {
        let intro = match self.kind {
            ReminderKind::Before => "Các việc sau đây của quý cơ quan sắp đến hạn:",
            ReminderKind::Overdue => {
                "Các việc sau đây của quý cơ quan đã quá hạn mà chưa hoàn thành:"
            }
            ReminderKind::Digest => "Tổng hợp các việc quý cơ quan cần hoàn thành:",
        };
        let lines: Vec<String> = self.lines.iter().map(|l| format!("- {l}")).collect();
        format!(
            "Kính gửi: {}\n\n{intro}\n\n{}\n\nĐề nghị quý cơ quan khẩn trương hoàn thành và cập nhật kết quả trên hệ thống theo dõi tiến độ.\n\nThư này được gửi tự động; vui lòng không trả lời.\n",
            self.agency_name,
            lines.join("\n")
        )
    }
}

/// How many days after an item fell overdue its "overdue" reminder may still go out, when
/// the day itself was missed; later, the weekly digest carries it.
pub const OVERDUE_CATCH_UP_DAYS: i64 = 7;

fn task_line(t: &OwedTask<'_>, when: &str) -> String {
    format!(
        "Nhiệm vụ {}: {} (thời hạn: {}, hạn {}; {when})",
        t.task.number,
        t.task.title,
        t.task.deadline.text,
        format::date(t.due)
    )
}

fn item_line(i: &OwedItem<'_>, when: &str) -> String {
    format!(
        "Yêu cầu: {} (thời hạn: {}, hạn {}; {when})",
        i.requirement.title,
        i.requirement.deadline.text,
        format::date(i.due)
    )
}

fn report_line(r: &OwedReport) -> String {
    let state = match r.submitted_on {
        Some(sent) => format!("gửi muộn ngày {}", format::date(sent)),
        None => "chưa gửi".to_string(),
    };
    format!(
        "Báo cáo {} ({} nội dung; hạn {}; {state})",
        r.period.label_vi(),
        r.expected,
        format::date(r.due)
    )
}

fn report_key(r: &OwedReport) -> String {
    format!("report:{}:{}", r.programme_id, r.period.code())
}

/// Every item owed or due soon, as the lines of a digest.
fn digest_lines(o: &Owed<'_>) -> Vec<String> {
    let late = |days: i64| format!("quá hạn {days} ngày");
    let left = |days: i64| format!("còn {days} ngày");
    let mut lines: Vec<String> = o
        .overdue
        .iter()
        .map(|t| task_line(t, &late(t.days)))
        .collect();
    lines.extend(o.missing_items.iter().map(|i| item_line(i, &late(i.days))));
    lines.extend(o.report.iter().map(report_line));
    lines.extend(o.tasks_due_soon.iter().map(|t| task_line(t, &left(t.days))));
    lines.extend(o.items_due_soon.iter().map(|i| item_line(i, &left(i.days))));
    lines.extend(o.report_due_soon.iter().map(report_line));
    lines
}

/// Whether `day` is a digest day: Mondays.
pub fn is_digest_day(day: NaiveDate) -> bool {
    day.weekday() == Weekday::Mon
}

/// The reminders of `as_of` from what is owed (possibly several entries per agency, one
/// per programme): "before" for items due within the window (about the due date),
/// "overdue" for items that fell overdue within [`OVERDUE_CATCH_UP_DAYS`] (about the first
/// overdue day) and, when `digest` is set, a digest of everything (about `as_of`). One
/// reminder per agency and kind; agencies in the order given.
pub fn reminders(owed: &[Owed<'_>], as_of: NaiveDate, digest: bool) -> Vec<Reminder> {
    let mut out: Vec<Reminder> = Vec::new();
    let mut push = |agency: &Agency, kind: ReminderKind, parts: Vec<(ReminderItem, String)>| {
        if parts.is_empty() {
            return;
        }
        let (items, lines): (Vec<ReminderItem>, Vec<String>) = parts.into_iter().unzip();
        match out
            .iter_mut()
            .find(|r| r.agency_id == agency.id && r.kind == kind)
        {
            Some(r) => {
                for item in items.into_iter().filter(|i| i.item != "digest") {
                    r.items.push(item);
                }
                r.lines.extend(lines);
            }
            None => out.push(Reminder {
                agency_id: agency.id.clone(),
                agency_name: agency.name.clone(),
                kind,
                items,
                lines,
            }),
        }
    };
    let left = |days: i64| format!("còn {days} ngày");
    let late = |days: i64| format!("quá hạn {days} ngày");
    let fresh = |days: i64| (1..=OVERDUE_CATCH_UP_DAYS).contains(&days);
    let first_day = |due: NaiveDate| due + chrono::Duration::days(1);
    let item = |key: String, day: NaiveDate| ReminderItem { item: key, day };
    for o in owed {
        let mut before: Vec<(ReminderItem, String)> = o
            .tasks_due_soon
            .iter()
            .map(|t| {
                (
                    item(format!("task:{}", t.task.id), t.due),
                    task_line(t, &left(t.days)),
                )
            })
            .collect();
        before.extend(o.items_due_soon.iter().map(|i| {
            (
                item(format!("checklist:{}", i.requirement.id), i.due),
                item_line(i, &left(i.days)),
            )
        }));
        before.extend(
            o.report_due_soon
                .iter()
                .map(|r| (item(report_key(r), r.due), report_line(r))),
        );
        push(o.agency, ReminderKind::Before, before);

        let mut overdue: Vec<(ReminderItem, String)> = o
            .overdue
            .iter()
            .filter(|t| fresh(t.days))
            .map(|t| {
                (
                    item(format!("task:{}", t.task.id), first_day(t.due)),
                    task_line(t, &late(t.days)),
                )
            })
            .collect();
        overdue.extend(o.missing_items.iter().filter(|i| fresh(i.days)).map(|i| {
            (
                item(format!("checklist:{}", i.requirement.id), first_day(i.due)),
                item_line(i, &late(i.days)),
            )
        }));
        overdue.extend(
            o.report
                .iter()
                .filter(|r| r.submitted_on.is_none() && fresh((as_of - r.due).num_days()))
                .map(|r| (item(report_key(r), first_day(r.due)), report_line(r))),
        );
        push(o.agency, ReminderKind::Overdue, overdue);

        if digest {
            let parts = digest_lines(o)
                .into_iter()
                .map(|line| (item("digest".into(), as_of), line))
                .collect();
            push(o.agency, ReminderKind::Digest, parts);
        }
    }
    for r in out.iter_mut().filter(|r| r.kind == ReminderKind::Digest) {
        r.items.truncate(1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deadline::Deadline;
    use crate::model::{
        Assignee, Assignment, AssignmentRole, Confidence, DoneRule, ReportedStatus, TaskUpdate,
    };

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn task(id: &str, deadline: &str) -> Task {
        Task {
            id: id.into(),
            programme_id: "p".into(),
            number: id.trim_start_matches('t').into(),
            title: format!("việc {id}"),
            assignments: vec![Assignment {
                assignee: Assignee::Agency("A".into()),
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

    fn data() -> Dataset {
        Dataset {
            agencies: vec![Agency {
                id: "A".into(),
                code: "A".into(),
                name: "Tỉnh A".into(),
                short_name: "A".into(),
                kind: crate::model::AgencyKind::Province,
                valid_from: None,
                valid_to: None,
                sort_order: 1,
                confidence: Confidence::Official,
                note: String::new(),
                provenance: String::new(),
            }],
            tasks: vec![
                task("t1", "30/4/2024"),
                task("t2", "20/5/2024"),
                task("t3", "31/5/2024"),
                task("t4", "30/4/2024"),
            ],
            task_updates: vec![TaskUpdate {
                task_id: "t4".into(),
                period: Period::month(2024, 4),
                reported_on: d(2024, 4, 20),
                status: ReportedStatus::Done,
                completed_on: Some(d(2024, 4, 20)),
                result: String::new(),
                provenance: String::new(),
            }],
            ..Dataset::default()
        }
    }

    fn owed_at(data: &Dataset, as_of: NaiveDate) -> Vec<Owed<'_>> {
        owed(
            data,
            &OwedRequest {
                programme_ids: &["p"],
                as_of,
                known_on: d(2026, 1, 1),
                report_period: None,
                within_days: 7,
                submissions: &[],
            },
        )
    }

    #[test]
    fn overdue_and_due_soon_come_from_the_derived_statuses() {
        let data = data();
        let all = owed_at(&data, d(2024, 5, 15));
        assert_eq!(all.len(), 1);
        let a = &all[0];
        assert_eq!(
            a.overdue
                .iter()
                .map(|t| (t.task.id.as_str(), t.days))
                .collect::<Vec<_>>(),
            vec![("t1", 15)],
            "t4 is done; t2 and t3 are not due yet"
        );
        assert_eq!(
            a.tasks_due_soon
                .iter()
                .map(|t| (t.task.id.as_str(), t.days))
                .collect::<Vec<_>>(),
            vec![("t2", 5)],
            "t3 is due in 16 days, outside the window"
        );
        assert!(a.is_behind() && a.has_due_soon());
        assert!(
            owed_at(&data, d(2024, 4, 1)).is_empty(),
            "nothing overdue and nothing due within a week"
        );
    }

    #[test]
    fn checklist_items_past_their_deadline_and_the_missing_or_late_report() {
        use crate::model::{AgencyGroup, ChecklistRequirement, GroupMembership, Programme};
        let mut data = data();
        data.programmes.push(Programme {
            id: "p".into(),
            parent_id: None,
            name: "p".into(),
            short_name: "p".into(),
            legal_basis: vec![],
            owner_agency: "A".into(),
            start: None,
            end: None,
            regime: crate::period::ReportingRegime::CalendarMonth,
            provenance: String::new(),
        });
        data.agency_groups.push(AgencyGroup {
            id: "g".into(),
            name: "g".into(),
            counted_as: "tỉnh".into(),
            provenance: String::new(),
        });
        data.group_memberships.push(GroupMembership {
            group_id: "g".into(),
            agency_id: "A".into(),
            valid_from: None,
            valid_to: None,
            provenance: String::new(),
        });
        for (id, deadline) in [("r1", "30/4/2024"), ("r2", "20/5/2024"), ("r3", "Năm 2024")] {
            data.checklist_requirements.push(ChecklistRequirement {
                id: id.into(),
                programme_id: "p".into(),
                title: format!("yêu cầu {id}"),
                group_ids: vec!["g".into()],
                deadline: Deadline::parse(deadline, 2024),
                restatement: None,
                provenance: String::new(),
            });
        }
        let owed_with = |sent: &[(String, SubmissionStatus, Option<NaiveDate>)]| {
            let request = OwedRequest {
                programme_ids: &["p"],
                as_of: d(2024, 5, 15),
                known_on: d(2026, 1, 1),
                report_period: Some(Period::month(2024, 4)),
                within_days: 7,
                submissions: sent,
            };
            owed(&data, &request)
                .into_iter()
                .map(|o| {
                    (
                        o.missing_items
                            .iter()
                            .map(|i| (i.requirement.id.clone(), i.days))
                            .collect::<Vec<_>>(),
                        o.items_due_soon.len(),
                        o.report,
                    )
                })
                .collect::<Vec<_>>()
        };
        let nothing_sent = owed_with(&[]);
        let (missing, soon, report) = &nothing_sent[0];
        assert_eq!(
            missing,
            &vec![("r1".to_string(), 15)],
            "r2 is due in 5 days, r3 at the end of the year"
        );
        assert_eq!(*soon, 1);
        let report = report.as_ref().expect("the April report is missing");
        assert_eq!(
            (report.due, report.submitted_on, report.period),
            (d(2024, 5, 5), None, Period::month(2024, 4)),
            "due five days after the period's end"
        );
        let late = owed_with(&[("A".into(), SubmissionStatus::Submitted, Some(d(2024, 5, 6)))]);
        assert_eq!(
            late[0].2.as_ref().and_then(|r| r.submitted_on),
            Some(d(2024, 5, 6)),
            "sent after the deadline: late"
        );
        let on_time = owed_with(&[("A".into(), SubmissionStatus::Submitted, Some(d(2024, 5, 3)))]);
        assert!(on_time[0].2.is_none(), "sent by the deadline: nothing owed");
    }

    #[test]
    fn reminders_before_on_the_overdue_day_and_in_the_digest() {
        let data = data();
        let may1 = owed_at(&data, d(2024, 5, 1));
        let r = reminders(&may1, d(2024, 5, 1), false);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].kind, ReminderKind::Overdue);
        assert_eq!(
            r[0].items,
            vec![ReminderItem {
                item: "task:t1".into(),
                day: d(2024, 5, 1)
            }],
            "about the day it fell overdue"
        );
        assert!(
            r[0].body().contains(
                "Nhiệm vụ 1: việc t1 (thời hạn: 30/4/2024, hạn 30/4/2024; quá hạn 1 ngày)"
            ),
            "{}",
            r[0].body()
        );

        let may15 = owed_at(&data, d(2024, 5, 15));
        let r = reminders(&may15, d(2024, 5, 15), false);
        assert_eq!(
            r.iter()
                .map(|r| (r.kind, r.items.clone()))
                .collect::<Vec<_>>(),
            vec![(
                ReminderKind::Before,
                vec![ReminderItem {
                    item: "task:t2".into(),
                    day: d(2024, 5, 20)
                }]
            )]
        );
        assert!(
            reminders(&owed_at(&data, d(2024, 5, 9)), d(2024, 5, 9), false).is_empty(),
            "t1 fell overdue more than a week ago; t2 is not yet within the window"
        );

        let r = reminders(&may15, d(2024, 5, 15), true);
        let digest = r
            .iter()
            .find(|r| r.kind == ReminderKind::Digest)
            .expect("a digest");
        assert_eq!(
            digest.items,
            vec![ReminderItem {
                item: "digest".into(),
                day: d(2024, 5, 15)
            }]
        );
        assert_eq!(
            digest.lines.len(),
            2,
            "the overdue t1 and the due t2: {:?}",
            digest.lines
        );
        assert!(digest.subject().contains("(2 việc) – Tỉnh A"));
        assert!(is_digest_day(d(2024, 5, 13)) && !is_digest_day(d(2024, 5, 15)));
    }
}
