//! The agency index and an agency's page: its tasks, requirements, values, lineage and
//! QĐ 766 rank.

use chrono::NaiveDate;
use serde::Serialize;
use tiendo_core::assignment::AgencyRole;
use tiendo_core::model::{Agency, AgencyKind, Assignee, AssignmentRole, Dataset};
use tiendo_core::status::{self, TaskCounts, TaskStatus, TaskView};
use tiendo_core::{checklist, clock, format, structure};
use utoipa::ToSchema;

use super::{Counts, TaskRow, number, period_label, task_row};
use crate::i18n::Lang;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequirementStatus {
    pub id: String,
    pub title: String,
    pub done: bool,
    pub done_on: Option<String>,
    pub evidence: String,
    /// The evidence split into its parts ("; "), files linked by their SHA-256.
    pub evidence_parts: Vec<EvidencePart>,
    /// Why the requirement does not apply to the agency, when it does not: it then
    /// counts neither as met nor as missing.
    pub excluded: Option<String>,
}

/// A piece of evidence of a checklist item: a stored file (`sha256:<hex> name`) or text.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EvidencePart {
    pub sha256: Option<String>,
    pub text: String,
}

fn evidence_parts(evidence: &str) -> Vec<EvidencePart> {
    evidence
        .split("; ")
        .filter(|p| !p.trim().is_empty())
        .map(|part| match part.strip_prefix("sha256:") {
            Some(rest)
                if rest.len() >= 64
                    && rest.is_char_boundary(64)
                    && rest[..64].bytes().all(|b| b.is_ascii_hexdigit()) =>
            {
                let (sha, name) = rest.split_at(64);
                let name = name.trim();
                EvidencePart {
                    sha256: Some(sha.to_string()),
                    text: if name.is_empty() {
                        sha[..12].to_string()
                    } else {
                        name.to_string()
                    },
                }
            }
            _ => EvidencePart {
                sha256: None,
                text: part.to_string(),
            },
        })
        .collect()
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgencyPage {
    pub id: String,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub confidence: String,
    pub groups: Vec<String>,
    pub as_of: String,
    /// Its tasks, programme by programme, each at its programme's dates.
    pub programmes: Vec<AgencyProgramme>,
    pub requirements: Vec<RequirementStatus>,
    pub requirements_met: String,
    /// Place among the members of its first group by requirements met: "3/63".
    pub rank: Option<String>,
    pub values: Vec<AgencyIndicatorValue>,
    /// What the agency was formed from (merged, split, renamed, moved).
    pub predecessors: Vec<LineageLine>,
    /// What it became.
    pub successors: Vec<LineageLine>,
    /// Its place in the QĐ 766 ranking of the latest measured period.
    pub measured: Option<MeasuredRank>,
}

/// An agency's tasks in one programme, at the programme's dates (or the page's as-of
/// date).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgencyProgramme {
    pub programme_id: String,
    pub programme: String,
    pub as_of: String,
    /// Its own status in the tasks it must carry out (those it leads or jointly leads by
    /// name, and its part of tasks given to a group it belongs to): the rows of `tasks`.
    pub counts: Counts,
    /// How many of those tasks it has in each role, with how many are overdue; the lead
    /// and joint-lead lines are the programme page's count for the agency.
    pub by_role: Vec<RoleCount>,
    pub tasks: Vec<AgencyTaskRow>,
    /// The tasks it only coordinates: listed, not counted above.
    pub coordinating: Vec<AgencyTaskRow>,
}

/// Tasks in one role.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoleCount {
    pub role: String,
    pub label: String,
    pub total: usize,
    pub overdue: usize,
}

/// A task on an agency's page: the agency's role and its own status beside the task's.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgencyTaskRow {
    pub role: String,
    pub role_text: String,
    /// The agency's own status (its part, for a shared task).
    pub status: String,
    pub status_text: String,
    /// Days its own part is past due.
    pub days_late: Option<i64>,
    pub task: TaskRow,
}

fn agency_programmes(
    data: &Dataset,
    views: &[TaskView<'_>],
    agency_id: &str,
    lang: Lang,
) -> Vec<AgencyProgramme> {
    let mut sections = Vec::new();
    for programme in &data.programmes {
        let mut counts = TaskCounts::default();
        let mut by_role: Vec<(AgencyRole, usize, usize)> = Vec::new();
        let mut tasks = Vec::new();
        let mut coordinating = Vec::new();
        let mut as_of = None;
        for v in views.iter().filter(|v| v.task.programme_id == programme.id) {
            // Its own assignment, else a lead it took over from a body it succeeded (as the
            // programme page counts it).
            let (mine, from) = match v.assignee(agency_id) {
                Some(mine) => (mine, None),
                None => match inherited_lead(data, v, agency_id) {
                    Some((mine, from)) => (mine, Some(from)),
                    None => continue,
                },
            };
            as_of = as_of.max(Some(v.as_of));
            let role = AgencyRole::of(&mine.assignee);
            let mut role_text = if lang == Lang::Vi {
                role.label_vi(data)
            } else {
                role.label_en(data)
            };
            if let Some(from) = from {
                let name = data.agency(from).map_or(from, |a| a.short_name.as_str());
                role_text += &format!(" ({} {name})", lang.pick("tiếp nhận từ", "taken over from"));
            }
            let row = AgencyTaskRow {
                role: role.code().to_string(),
                role_text,
                status: super::status_code(mine.status).to_string(),
                status_text: lang
                    .pick(mine.status.label_vi(), mine.status.label_en())
                    .to_string(),
                days_late: (mine.status == TaskStatus::Overdue)
                    .then(|| v.due.map(|due| (v.as_of - due).num_days()))
                    .flatten(),
                task: task_row(data, v, lang),
            };
            if role == AgencyRole::Coordinating {
                coordinating.push(row);
                continue;
            }
            counts.add(mine.status);
            let overdue = usize::from(mine.status == TaskStatus::Overdue);
            let key = match &role {
                AgencyRole::Member(_) => AgencyRole::Member(String::new()),
                other => other.clone(),
            };
            match by_role.iter_mut().find(|(r, _, _)| *r == key) {
                Some(line) => {
                    line.1 += 1;
                    line.2 += overdue;
                }
                None => by_role.push((key, 1, overdue)),
            }
            tasks.push(row);
        }
        let Some(as_of) = as_of else { continue };
        by_role.sort();
        sections.push(AgencyProgramme {
            programme_id: programme.id.clone(),
            programme: programme.name.clone(),
            as_of: format::date(as_of),
            counts: Counts::of(counts, lang),
            by_role: by_role
                .into_iter()
                .map(|(role, total, overdue)| RoleCount {
                    role: role.code().to_string(),
                    label: match role {
                        AgencyRole::Member(_) => lang.pick(
                            "Thực hiện phần của mình trong nhiệm vụ giao chung",
                            "Its own part of tasks given to a group",
                        ),
                        AgencyRole::Lead => lang.pick("Chủ trì", "Lead"),
                        AgencyRole::JointLead => lang.pick("Đồng chủ trì", "Joint lead"),
                        AgencyRole::Coordinating => lang.pick("Phối hợp", "Coordinating"),
                    }
                    .to_string(),
                    total,
                    overdue,
                })
                .collect(),
            tasks,
            coordinating,
        });
    }
    sections
}

/// The lead part of a task named for a body `agency_id` succeeded (merged into it, say):
/// that body's assignee view, and its id.
fn inherited_lead<'v>(
    data: &Dataset,
    v: &'v TaskView<'_>,
    agency_id: &str,
) -> Option<(&'v status::AssigneeView<'v>, &'v str)> {
    let successor = Assignee::Agency(agency_id.to_string());
    v.assignees.iter().find_map(|a| {
        let named = Assignee::Agency(a.assignee.agency_id.clone());
        (a.assignee.role != AssignmentRole::Coordinating
            && a.assignee.via_group.is_none()
            && a.assignee.agency_id != agency_id
            && structure::effective_lead(data, &named, v.as_of) == successor)
            .then_some((a, a.assignee.agency_id.as_str()))
    })
}

/// An agency's place in the QĐ 766 ranking of a period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeasuredRank {
    pub period: String,
    pub period_label: String,
    pub rank: usize,
    /// Agencies ranked in that period.
    pub of: usize,
    pub total_text: String,
    pub band: String,
}

fn measured_rank(data: &Dataset, agency_id: &str, lang: Lang) -> Option<MeasuredRank> {
    use tiendo_events::observe::TOTAL_INDICATOR;
    let total = data.indicators.iter().find(|i| i.id == TOTAL_INDICATOR)?;
    let mine = data
        .observations
        .iter()
        .filter(|o| {
            o.indicator_id == TOTAL_INDICATOR
                && o.source == tiendo_core::model::SourceKind::Measured
                && o.agency_id.as_deref() == Some(agency_id)
        })
        .max_by_key(|o| o.period)?;
    let programme = data.programme(&total.programme_id)?;
    let ranking = structure::ranking(
        data,
        total,
        mine.period,
        None,
        mine.period.bounds(programme.regime).1,
    );
    let rank = ranking
        .ranked
        .iter()
        .find(|(_, u)| u.agency.id == agency_id)?
        .0;
    Some(MeasuredRank {
        period: mine.period.code(),
        period_label: period_label(mine.period, lang),
        rank,
        of: ranking.ranked.len(),
        total_text: number(mine.value, lang),
        band: mine
            .note
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_string(),
    })
}

/// One lineage edge as the agency page shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineageLine {
    pub agency_id: String,
    pub agency: String,
    pub kind: String,
    pub kind_text: String,
    pub effective: String,
    pub functions: String,
    pub confirmed: bool,
}

fn lineage_line(
    data: &Dataset,
    edge: &tiendo_core::model::LineageEdge,
    other: &str,
    lang: Lang,
) -> LineageLine {
    use tiendo_core::model::LineageKind;
    let kind_text = match edge.kind {
        LineageKind::MergedInto => lang.pick("hợp nhất, sáp nhập", "merged"),
        LineageKind::SplitInto => lang.pick("chia tách", "split"),
        LineageKind::Renamed => lang.pick("đổi tên", "renamed"),
        LineageKind::MovedUnder => lang.pick("chuyển về trực thuộc", "moved under"),
    };
    LineageLine {
        agency_id: other.to_string(),
        agency: data
            .agency(other)
            .map_or_else(|| other.to_string(), |a| a.name.clone()),
        kind: edge.kind.code().to_string(),
        kind_text: kind_text.to_string(),
        effective: format::date(edge.effective),
        functions: edge.functions.clone(),
        confirmed: edge.confidence == tiendo_core::model::Confidence::Official,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, ToSchema)]
pub struct AgencyIndicatorValue {
    pub indicator: String,
    pub period: String,
    pub value: String,
}

fn requirements_met(
    data: &Dataset,
    agency_id: &str,
    groups: &[&str],
    date: NaiveDate,
) -> (usize, usize) {
    let reqs: Vec<_> = data
        .checklist_requirements
        .iter()
        .filter(|r| r.group_ids.iter().any(|g| groups.contains(&g.as_str())))
        .filter(|r| data.exclusions_of(&r.id).all(|e| e.agency_id != agency_id))
        .collect();
    let met = reqs
        .iter()
        .filter(|r| {
            checklist::item_at(data, &r.id, agency_id, date)
                .is_some_and(|i| checklist::done_at(i, date))
        })
        .count();
    (met, reqs.len())
}

/// An agency's page at `as_of`, or, when none is given, each of its tasks and checklist
/// requirements at its programme's dates ([`clock`]); the scorecard's date is then the
/// latest of the requirements' (or of the tasks' when it has no requirement).
pub fn agency_page(
    data: &Dataset,
    id: &str,
    as_of: Option<NaiveDate>,
    lang: Lang,
) -> Option<AgencyPage> {
    let agency = data.agency(id)?;
    let today = clock::today_in_vietnam();
    let all: Vec<&str> = data.programmes.iter().map(|p| p.id.as_str()).collect();
    let views = status::task_views_dated(data, &all, as_of, today);
    let mine: Vec<&TaskView> = views.iter().filter(|v| v.assignee(id).is_some()).collect();
    let programme_as_of = |programme_id: &str| {
        as_of
            .or_else(|| {
                data.programme(programme_id)
                    .map(|p| clock::programme_dates(data, p, None, None, today).as_of)
            })
            .unwrap_or(today)
    };
    let own_requirements: Vec<(&tiendo_core::model::ChecklistRequirement, NaiveDate)> = data
        .checklist_requirements
        .iter()
        .map(|r| (r, programme_as_of(&r.programme_id)))
        .filter(|(r, date)| {
            let groups = tiendo_core::submission::groups_of(data, id, *date);
            r.group_ids.iter().any(|g| groups.contains(&g.as_str()))
        })
        .collect();
    let as_of = as_of
        .or_else(|| own_requirements.iter().map(|(_, d)| *d).max())
        .or_else(|| mine.iter().map(|v| v.as_of).max())
        .unwrap_or(today);
    let groups = tiendo_core::submission::groups_of(data, id, as_of);
    let requirements: Vec<RequirementStatus> = own_requirements
        .iter()
        .map(|&(r, as_of)| {
            let item = checklist::item_at(data, &r.id, id, as_of);
            RequirementStatus {
                id: r.id.clone(),
                title: r.title.clone(),
                done: item.is_some_and(|i| checklist::done_at(i, as_of)),
                done_on: item.and_then(|i| i.done_on).map(format::date),
                evidence: item.map(|i| i.evidence.clone()).unwrap_or_default(),
                evidence_parts: item
                    .map(|i| evidence_parts(&i.evidence))
                    .unwrap_or_default(),
                excluded: data
                    .exclusions_of(&r.id)
                    .find(|e| e.agency_id == id)
                    .map(|e| e.reason.clone()),
            }
        })
        .collect();
    let applicable = requirements.iter().filter(|r| r.excluded.is_none());
    let met = applicable.clone().filter(|r| r.done).count();
    let owed = applicable.count();
    let rank = groups.first().map(|g| {
        let members = data.members_on(g, as_of);
        let mine = requirements_met(data, id, &groups, as_of).0;
        let better = members
            .iter()
            .filter(|m| {
                requirements_met(
                    data,
                    &m.id,
                    &tiendo_core::submission::groups_of(data, &m.id, as_of),
                    as_of,
                )
                .0 > mine
            })
            .count();
        format!("{}/{}", better + 1, members.len())
    });
    let mut values: Vec<AgencyIndicatorValue> = data
        .observations
        .iter()
        .filter(|o| o.agency_id.as_deref() == Some(id))
        .filter_map(|o| {
            data.indicators
                .iter()
                .find(|i| i.id == o.indicator_id)
                .map(|i| AgencyIndicatorValue {
                    indicator: format!("{} {}", i.code, i.name),
                    period: period_label(o.period, lang),
                    value: tiendo_core::figure::value(i, o.value, lang),
                })
        })
        .collect();
    values.sort();
    Some(AgencyPage {
        id: agency.id.clone(),
        code: agency.code.clone(),
        name: agency.name.clone(),
        kind: agency.kind.code().to_string(),
        valid_from: agency.valid_from.map(format::date),
        valid_to: agency.valid_to.map(format::date),
        confidence: agency.confidence.code().to_string(),
        groups: groups
            .iter()
            .map(|g| {
                data.group(g)
                    .map_or_else(|| g.to_string(), |g| g.name.clone())
            })
            .collect(),
        as_of: format::date(as_of),
        programmes: agency_programmes(data, &views, id, lang),
        requirements_met: format!("{met}/{owed}"),
        requirements,
        rank,
        values,
        predecessors: structure::predecessors(data, id)
            .into_iter()
            .map(|e| lineage_line(data, e, &e.from_agency, lang))
            .collect(),
        successors: structure::successors(data, id)
            .into_iter()
            .map(|e| lineage_line(data, e, &e.to_agency, lang))
            .collect(),
        measured: measured_rank(data, id, lang),
    })
}

/// The agency directory on a date: the agencies that existed that day by kind, each
/// with where it went if it was reorganised later, and the units that had ceased to
/// exist by then with their successors, so a 2024 province stays one tap away.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgencyDirectory {
    /// The date of the structure shown (YYYY-MM-DD) and in words.
    pub date: String,
    pub date_text: String,
    pub sections: Vec<DirectorySection>,
    /// Units that no longer existed on the date, latest first.
    pub former: Vec<DirectoryEntry>,
    /// Dates worth jumping to: the day before and the day of each reorganisation.
    pub structure_dates: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DirectorySection {
    pub title: String,
    pub agencies: Vec<DirectoryEntry>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DirectoryEntry {
    pub id: String,
    pub name: String,
    /// "đến 30/6/2025 → Lào Cai" for a unit reorganised after the date, "từ 01/7/2025 →
    /// Lào Cai" for a former unit; empty otherwise.
    pub fate: String,
    pub successors: Vec<(String, String)>,
}

fn kind_title(kind: AgencyKind, lang: Lang) -> &'static str {
    match kind {
        AgencyKind::Ministry => lang.pick("Bộ", "Ministries"),
        AgencyKind::MinisterialAgency => {
            lang.pick("Cơ quan ngang bộ", "Ministerial-level agencies")
        }
        AgencyKind::GovernmentAgency => lang.pick("Cơ quan thuộc Chính phủ", "Government agencies"),
        AgencyKind::Province => lang.pick(
            "Tỉnh, thành phố trực thuộc Trung ương",
            "Provinces and centrally governed cities",
        ),
        AgencyKind::OtherStateBody => lang.pick("Cơ quan nhà nước khác", "Other state bodies"),
        AgencyKind::Organisation => lang.pick("Tổ chức", "Organisations"),
        AgencyKind::StateEnterprise => lang.pick("Doanh nghiệp nhà nước", "State enterprises"),
        AgencyKind::WorkingGroup => lang.pick(
            "Tổ công tác, ban chỉ đạo",
            "Working groups and steering committees",
        ),
    }
}

fn directory_entry(data: &Dataset, agency: &Agency, fate_prefix: Option<String>) -> DirectoryEntry {
    let edges = structure::successors(data, &agency.id);
    let successors: Vec<(String, String)> = edges
        .iter()
        .map(|e| {
            (
                e.to_agency.clone(),
                data.agency(&e.to_agency)
                    .map_or_else(|| e.to_agency.clone(), |a| a.short_name.clone()),
            )
        })
        .collect();
    let fate = match fate_prefix {
        Some(prefix) if !successors.is_empty() => format!(
            "{prefix} → {}",
            successors
                .iter()
                .map(|(_, name)| name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Some(prefix) => prefix,
        None => String::new(),
    };
    DirectoryEntry {
        id: agency.id.clone(),
        name: agency.short_name.clone(),
        fate,
        successors,
    }
}

pub fn agency_directory(data: &Dataset, date: NaiveDate, lang: Lang) -> AgencyDirectory {
    let mut agencies: Vec<&Agency> = data.agencies.iter().collect();
    agencies.sort_by(|a, b| tiendo_core::model::agency_order(a, b));
    let kinds = [
        AgencyKind::Ministry,
        AgencyKind::MinisterialAgency,
        AgencyKind::GovernmentAgency,
        AgencyKind::Province,
        AgencyKind::OtherStateBody,
        AgencyKind::Organisation,
        AgencyKind::StateEnterprise,
        AgencyKind::WorkingGroup,
    ];
    let sections = kinds
        .iter()
        .map(|kind| DirectorySection {
            title: kind_title(*kind, lang).to_string(),
            agencies: agencies
                .iter()
                .filter(|a| a.kind == *kind && a.valid_on(date))
                .map(|a| {
                    directory_entry(
                        data,
                        a,
                        a.valid_to.map(|to| {
                            format!("{} {}", lang.pick("đến", "until"), format::date(to))
                        }),
                    )
                })
                .collect(),
        })
        .filter(|s| !s.agencies.is_empty())
        .collect();
    let mut gone: Vec<&Agency> = agencies
        .iter()
        .copied()
        .filter(|a| a.valid_to.is_some_and(|to| to < date))
        .collect();
    gone.sort_by(|a, b| {
        b.valid_to
            .cmp(&a.valid_to)
            .then_with(|| tiendo_core::model::agency_order(a, b))
    });
    let former = gone
        .iter()
        .map(|a| {
            directory_entry(
                data,
                a,
                a.valid_to
                    .and_then(|to| to.succ_opt())
                    .map(|from| format!("{} {}", lang.pick("từ", "from"), format::date(from))),
            )
        })
        .collect();
    let mut changes: Vec<NaiveDate> = data.lineage.iter().map(|e| e.effective).collect();
    changes.sort();
    changes.dedup();
    let structure_dates = changes
        .iter()
        .flat_map(|day| {
            let before = day.pred_opt().unwrap_or(*day);
            [
                (
                    before.to_string(),
                    format!(
                        "{} {} ({})",
                        lang.pick("trước", "before"),
                        format::date(*day),
                        format::date(before)
                    ),
                ),
                (
                    day.to_string(),
                    format!("{} {}", lang.pick("từ", "from"), format::date(*day)),
                ),
            ]
        })
        .collect();
    AgencyDirectory {
        date: date.to_string(),
        date_text: format::date(date),
        sections,
        former,
        structure_dates,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_is_split_into_files_and_text() {
        let sha = "ab".repeat(32);
        let parts = evidence_parts(&format!(
            "Công văn 123/UBND; sha256:{sha} quyet-dinh.pdf; sha256:{sha}"
        ));
        let shown: Vec<(Option<&str>, &str)> = parts
            .iter()
            .map(|p| (p.sha256.as_deref(), p.text.as_str()))
            .collect();
        assert_eq!(
            shown,
            vec![
                (None, "Công văn 123/UBND"),
                (Some(sha.as_str()), "quyet-dinh.pdf"),
                (Some(sha.as_str()), "abababababab")
            ]
        );
        assert_eq!(
            evidence_parts("sha256:xyz").len(),
            1,
            "a malformed reference stays text"
        );
        assert!(evidence_parts("").is_empty());
    }
}
