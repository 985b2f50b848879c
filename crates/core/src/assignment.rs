//! Who must do a task, each assignee's own status, and the task's status derived from
//! its assignees.
//!
//! Rules:
//! - **Expansion.** A task's assignments name agencies or groups. A group expands to its
//!   members valid on the task's due date (on the as-of date when the task has none),
//!   less the task's exclusions; an agency named twice (directly and through a group, or
//!   in two groups) is one assignee, in its first role.
//! - **Required assignees** are the leads and joint leads and the coordinating agencies
//!   marked required. Only they count for the task's status and its "x/N".
//! - **An assignee's report** is its own latest update as of the date; without one, the
//!   latest update reported for the task as a whole (by the secretariat, or a single lead
//!   before per-agency reporting) stands for it. Its status is then derived from the
//!   dates like any task's ([`crate::status::derive_status`]); an assignee with no report
//!   at all is *overdue* past the due date and *no report received* before it.
//! - **The task's status**: with the rule `all` (default), done when every required
//!   assignee is done (the latest of them decides whether it was late); with `any`,
//!   done when one is (the earliest decides). Not done: overdue past the due date;
//!   otherwise in progress when any required assignee reported progress or is done, not
//!   started when all said so, no report received when none reported. Assignees whose
//!   part no longer applies are left out, and the task no longer applies when all of
//!   them are.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{Agency, AgencyKind, Assignee, AssignmentRole, Dataset, DoneRule, Task};
use crate::status::TaskStatus;

/// One agency assigned to a task, directly or through a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expanded {
    pub agency_id: String,
    pub role: AssignmentRole,
    pub required: bool,
    /// The group it is assigned through, if any.
    pub via_group: Option<String>,
}

/// What an agency does in a task, as every surface words it: it leads or jointly leads
/// it by name, carries out its own part of a task given to a group it belongs to ("các
/// bộ, ngành, địa phương"), or coordinates.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyRole {
    Lead,
    JointLead,
    /// A member of the group (its id) the task was given to.
    Member(String),
    Coordinating,
}

impl AgencyRole {
    pub fn of(assignee: &Expanded) -> AgencyRole {
        match (assignee.role, &assignee.via_group) {
            (AssignmentRole::Coordinating, _) => AgencyRole::Coordinating,
            (_, Some(group)) => AgencyRole::Member(group.clone()),
            (AssignmentRole::Lead, None) => AgencyRole::Lead,
            (AssignmentRole::JointLead, None) => AgencyRole::JointLead,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AgencyRole::Lead => "lead",
            AgencyRole::JointLead => "joint_lead",
            AgencyRole::Member(_) => "member",
            AgencyRole::Coordinating => "coordinating",
        }
    }

    /// "Chủ trì", "Đồng chủ trì", "Thực hiện (nhiệm vụ giao chung các bộ, ngành, địa
    /// phương)", "Phối hợp".
    pub fn label_vi(&self, data: &Dataset) -> String {
        match self {
            AgencyRole::Lead => "Chủ trì".into(),
            AgencyRole::JointLead => "Đồng chủ trì".into(),
            AgencyRole::Member(group) => {
                let name = data.group(group).map_or(group.as_str(), |g| g.name.trim());
                let name = name
                    .strip_prefix("Các ")
                    .or_else(|| name.strip_prefix("các "))
                    .unwrap_or(name);
                format!("Thực hiện (nhiệm vụ giao chung các {name})")
            }
            AgencyRole::Coordinating => "Phối hợp".into(),
        }
    }

    pub fn label_en(&self, data: &Dataset) -> String {
        match self {
            AgencyRole::Lead => "Lead".into(),
            AgencyRole::JointLead => "Joint lead".into(),
            AgencyRole::Member(group) => {
                let name = data.group(group).map_or(group.as_str(), |g| g.name.trim());
                format!("Its own part (task given to {name})")
            }
            AgencyRole::Coordinating => "Coordinating".into(),
        }
    }
}

/// The date on which a task's groups are expanded: its due date, else `as_of`.
pub fn expansion_date(task: &Task, as_of: NaiveDate) -> NaiveDate {
    task.deadline.due.unwrap_or(as_of)
}

/// The agencies assigned to a task, expanded on `on`, in assignment order (members of a
/// group in the documented agency order).
pub fn expand(data: &Dataset, task: &Task, on: NaiveDate) -> Vec<Expanded> {
    let excluded: Vec<&str> = data
        .exclusions_of(&task.id)
        .map(|e| e.agency_id.as_str())
        .collect();
    let mut out: Vec<Expanded> = Vec::new();
    for assignment in &data.assignments_of(task) {
        let required = assignment.required || assignment.role != AssignmentRole::Coordinating;
        let (members, via_group): (Vec<String>, Option<String>) = match &assignment.assignee {
            Assignee::Agency(id) => (vec![id.clone()], None),
            Assignee::Group(g) => (
                data.members_on(g, on)
                    .into_iter()
                    .map(|a| a.id.clone())
                    .filter(|id| !excluded.contains(&id.as_str()))
                    .collect(),
                Some(g.clone()),
            ),
        };
        for agency_id in members {
            if out.iter().all(|e| e.agency_id != agency_id) {
                out.push(Expanded {
                    agency_id,
                    role: assignment.role,
                    required,
                    via_group: via_group.clone(),
                });
            }
        }
    }
    out
}

/// Where an agency's report on a task belongs, its groups expanded as of `as_of`:
/// `Some(false)` when it is the task's only required assignee, named directly (its report
/// is the task's own update), `Some(true)` when it reports its own part (a shared task, a
/// group's member, a coordinating agency), `None` when the task is not assigned to it.
pub fn own_part(data: &Dataset, task: &Task, agency_id: &str, as_of: NaiveDate) -> Option<bool> {
    let assignees = expand(data, task, expansion_date(task, as_of));
    let mine = assignees.iter().find(|e| e.agency_id == agency_id)?;
    let required = assignees.iter().filter(|e| e.required).count();
    Some(!(mine.required && required == 1 && mine.via_group.is_none()))
}

/// The status of a task from the statuses of its required assignees, by its rule.
/// `None` when no status is given.
pub fn combine(statuses: &[TaskStatus], rule: DoneRule) -> Option<TaskStatus> {
    if statuses.is_empty() {
        return None;
    }
    let applicable: Vec<TaskStatus> = statuses
        .iter()
        .copied()
        .filter(|s| *s != TaskStatus::NotApplicable)
        .collect();
    if applicable.is_empty() {
        return Some(TaskStatus::NotApplicable);
    }
    // Done statuses from the earliest to the latest completion.
    const DONE_ORDER: [TaskStatus; 4] = [
        TaskStatus::DoneEarly,
        TaskStatus::DoneOnTime,
        TaskStatus::Done,
        TaskStatus::DoneLate,
    ];
    let rank = |s: &TaskStatus| DONE_ORDER.iter().position(|d| d == s);
    let done: Vec<TaskStatus> = applicable.iter().copied().filter(|s| s.is_done()).collect();
    match rule {
        DoneRule::All if done.len() == applicable.len() => {
            return done.iter().max_by_key(|s| rank(s)).copied();
        }
        DoneRule::Any if !done.is_empty() => return done.iter().min_by_key(|s| rank(s)).copied(),
        _ => {}
    }
    let open: Vec<TaskStatus> = applicable
        .iter()
        .copied()
        .filter(|s| !s.is_done())
        .collect();
    Some(if open.contains(&TaskStatus::Overdue) {
        TaskStatus::Overdue
    } else if !done.is_empty() || open.contains(&TaskStatus::InProgress) {
        TaskStatus::InProgress
    } else if open.iter().all(|s| *s == TaskStatus::NoDueDate) {
        TaskStatus::NoDueDate
    } else if open.iter().all(|s| *s == TaskStatus::NoReport) {
        TaskStatus::NoReport
    } else if open
        .iter()
        .all(|s| matches!(s, TaskStatus::NotStarted | TaskStatus::NoReport))
    {
        TaskStatus::NotStarted
    } else {
        TaskStatus::InProgress
    })
}

/// One part of a task's "x/N": the assignees of one group, or the named agencies of one
/// kind ("bộ, ngành", "địa phương").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgressPart {
    /// The noun after "x/N": the group's `counted_as`, or the kind of the named agencies.
    pub counted_as: String,
    pub done: usize,
    pub total: usize,
    /// The agencies of this part not done, in the documented order.
    pub not_done: Vec<String>,
}

/// The parts of a task done, as every surface words them: "10/22 bộ, cơ quan ngang bộ
/// và 62/63 địa phương".
pub fn progress_phrase(parts: &[ProgressPart]) -> String {
    let parts: Vec<String> = parts
        .iter()
        .map(|p| crate::format::of_total(p.done, p.total, &p.counted_as))
        .collect();
    crate::format::list_vi(&parts)
}

/// Whether "x/N" per assignee says more than the task's status: several required
/// assignees, or one group.
pub fn is_shared(data: &Dataset, task: &Task) -> bool {
    let assignments = data.assignments_of(task);
    let required = assignments
        .iter()
        .filter(|a| a.required || a.role != AssignmentRole::Coordinating)
        .count();
    required > 1
        || assignments
            .iter()
            .any(|a| matches!(a.assignee, Assignee::Group(_)))
}

/// The noun for named agencies of a kind in "x/N".
pub fn kind_noun(kind: AgencyKind) -> &'static str {
    if kind.is_ministry_level() {
        "bộ, ngành"
    } else if kind == AgencyKind::Province {
        "địa phương"
    } else {
        "cơ quan"
    }
}

/// "x/N" per part for a task's required assignees, given whether each is done.
pub fn progress(data: &Dataset, assignees: &[(Expanded, bool)]) -> Vec<ProgressPart> {
    let mut parts: Vec<(String, ProgressPart)> = Vec::new();
    for (e, done) in assignees.iter().filter(|(e, _)| e.required) {
        let agency: Option<&Agency> = data.agency(&e.agency_id);
        let (key, noun) = match &e.via_group {
            Some(g) => (
                format!("g:{g}"),
                data.group(g)
                    .map_or_else(|| g.clone(), |g| g.counted_as.clone()),
            ),
            None => {
                let noun = kind_noun(agency.map_or(AgencyKind::OtherStateBody, |a| a.kind));
                (format!("k:{noun}"), noun.to_string())
            }
        };
        let index = match parts.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                parts.push((
                    key,
                    ProgressPart {
                        counted_as: noun,
                        done: 0,
                        total: 0,
                        not_done: Vec::new(),
                    },
                ));
                parts.len() - 1
            }
        };
        let part = &mut parts[index].1;
        part.total += 1;
        if *done {
            part.done += 1;
        } else {
            part.not_done.push(e.agency_id.clone());
        }
    }
    parts.into_iter().map(|(_, p)| p).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deadline::Deadline;
    use crate::model::{AgencyGroup, Assignment, Exclusion, GroupMembership};

    fn agency(id: &str, kind: AgencyKind, order: i64) -> Agency {
        Agency {
            id: id.into(),
            code: order.to_string(),
            name: id.into(),
            short_name: id.to_uppercase(),
            kind,
            valid_from: None,
            valid_to: None,
            sort_order: order,
            confidence: crate::model::Confidence::Official,
            note: String::new(),
            provenance: String::new(),
        }
    }

    fn assignment(assignee: Assignee, role: AssignmentRole) -> Assignment {
        Assignment {
            assignee,
            role,
            required: false,
            provenance: String::new(),
        }
    }

    fn data() -> Dataset {
        Dataset {
            agencies: vec![
                agency("bca", AgencyKind::Ministry, 1),
                agency("vpcp", AgencyKind::MinisterialAgency, 2),
                agency("ha-noi", AgencyKind::Province, 101),
                agency("hcm", AgencyKind::Province, 179),
            ],
            agency_groups: vec![AgencyGroup {
                id: "bo".into(),
                name: "bộ, cơ quan ngang bộ".into(),
                counted_as: "bộ, ngành".into(),
                provenance: String::new(),
            }],
            group_memberships: ["bca", "vpcp"]
                .iter()
                .map(|a| GroupMembership {
                    group_id: "bo".into(),
                    agency_id: (*a).into(),
                    valid_from: None,
                    valid_to: None,
                    provenance: String::new(),
                })
                .collect(),
            exclusions: vec![Exclusion {
                subject_id: "t".into(),
                agency_id: "vpcp".into(),
                reason: "không có hệ thống giải quyết TTHC".into(),
                provenance: String::new(),
            }],
            ..Dataset::default()
        }
    }

    fn task(assignments: Vec<Assignment>) -> Task {
        Task {
            id: "t".into(),
            programme_id: "p".into(),
            number: "1".into(),
            title: "t".into(),
            assignments,
            done_rule: DoneRule::All,
            deadline: Deadline::parse("30/6/2024", 2024),
            legal_basis: vec![],
            provenance: String::new(),
        }
    }

    #[test]
    fn groups_expand_to_members_less_exclusions_and_each_agency_once() {
        let data = data();
        let t = task(vec![
            assignment(Assignee::Agency("bca".into()), AssignmentRole::Lead),
            assignment(Assignee::Group("bo".into()), AssignmentRole::JointLead),
            assignment(
                Assignee::Agency("ha-noi".into()),
                AssignmentRole::Coordinating,
            ),
        ]);
        let on = expansion_date(&t, NaiveDate::from_ymd_opt(2024, 5, 31).unwrap());
        let expanded = expand(&data, &t, on);
        let shape: Vec<(&str, AssignmentRole, bool)> = expanded
            .iter()
            .map(|e| (e.agency_id.as_str(), e.role, e.required))
            .collect();
        assert_eq!(
            shape,
            vec![
                ("bca", AssignmentRole::Lead, true),
                ("ha-noi", AssignmentRole::Coordinating, false)
            ],
            "vpcp is excluded; bca once, as lead"
        );
    }

    #[test]
    fn the_rule_combines_assignee_statuses() {
        use TaskStatus::*;
        assert_eq!(
            combine(&[DoneOnTime, DoneLate], DoneRule::All),
            Some(DoneLate),
            "all done: the latest decides"
        );
        assert_eq!(
            combine(&[DoneOnTime, InProgress], DoneRule::All),
            Some(InProgress)
        );
        assert_eq!(
            combine(&[DoneOnTime, Overdue], DoneRule::All),
            Some(Overdue)
        );
        assert_eq!(
            combine(&[DoneOnTime, Overdue], DoneRule::Any),
            Some(DoneOnTime),
            "any: one done is enough"
        );
        assert_eq!(
            combine(&[DoneLate, DoneEarly], DoneRule::Any),
            Some(DoneEarly),
            "any: the earliest decides"
        );
        assert_eq!(
            combine(&[NoReport, NoReport], DoneRule::All),
            Some(NoReport)
        );
        assert_eq!(
            combine(&[NoReport, NotStarted], DoneRule::All),
            Some(NotStarted)
        );
        assert_eq!(
            combine(&[NotApplicable, DoneOnTime], DoneRule::All),
            Some(DoneOnTime),
            "a part that no longer applies is left out"
        );
        assert_eq!(
            combine(&[NotApplicable], DoneRule::All),
            Some(NotApplicable)
        );
        assert_eq!(combine(&[], DoneRule::All), None);
        assert_eq!(
            combine(&[InProgress], DoneRule::All),
            Some(InProgress),
            "one assignee: its own status"
        );
    }

    #[test]
    fn progress_counts_per_group_and_per_kind_of_named_agency() {
        let data = data();
        let e = |id: &str, group: Option<&str>| Expanded {
            agency_id: id.into(),
            role: AssignmentRole::Lead,
            required: true,
            via_group: group.map(Into::into),
        };
        let parts = progress(
            &data,
            &[
                (e("bca", Some("bo")), true),
                (e("vpcp", Some("bo")), false),
                (e("ha-noi", None), true),
                (e("hcm", None), false),
            ],
        );
        let shape: Vec<(&str, usize, usize, Vec<String>)> = parts
            .iter()
            .map(|p| (p.counted_as.as_str(), p.done, p.total, p.not_done.clone()))
            .collect();
        assert_eq!(
            shape,
            vec![
                ("bộ, ngành", 1, 2, vec!["vpcp".to_string()]),
                ("địa phương", 1, 2, vec!["hcm".to_string()])
            ]
        );
    }
}
