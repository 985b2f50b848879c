//! Reference checks of incoming records against the dataset they will join.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use tiendo_core::model::{Assignee, AssignmentRole, Dataset};

use crate::import::{ImportError, Locations};
use crate::records::RowSet;

/// Check that every incoming record refers to records that exist, and that official
/// codes are not used twice by agencies valid at the same time.
pub(crate) fn validate_references(
    data: &Dataset,
    incoming: &RowSet,
    locations: &Locations,
    errors: &mut Vec<ImportError>,
) {
    let agencies: HashSet<&str> = data.agencies.iter().map(|a| a.id.as_str()).collect();
    let groups: HashSet<&str> = data.agency_groups.iter().map(|g| g.id.as_str()).collect();
    let documents: HashSet<&str> = data.legal_documents.iter().map(|d| d.id.as_str()).collect();
    let programmes: HashSet<&str> = data.programmes.iter().map(|p| p.id.as_str()).collect();
    let indicators: HashSet<&str> = data.indicators.iter().map(|i| i.id.as_str()).collect();
    let targets: HashSet<&str> = data.targets.iter().map(|t| t.id.as_str()).collect();
    let tasks: HashSet<&str> = data.tasks.iter().map(|t| t.id.as_str()).collect();
    let requirements: HashSet<&str> = data
        .checklist_requirements
        .iter()
        .map(|r| r.id.as_str())
        .collect();

    let mut report = |entity: &'static str, key: String, field: &str, reason: String| {
        if !incoming[entity].contains_key(&key) {
            return;
        }
        let (file, line) = locations.get(&(entity, key)).cloned().unwrap_or_default();
        errors.push(ImportError {
            file,
            line: Some(line),
            field: Some(field.to_string()),
            reason,
        });
    };
    let missing = |what: &str, id: &str| format!("không có {what} \"{id}\"");

    let mut by_code: HashMap<&str, Vec<&tiendo_core::model::Agency>> = HashMap::new();
    for a in data.agencies.iter().filter(|a| !a.code.is_empty()) {
        by_code.entry(a.code.as_str()).or_default().push(a);
    }
    for a in data.agencies.iter().filter(|a| !a.code.is_empty()) {
        for other in &by_code[a.code.as_str()] {
            if other.id != a.id
                && overlaps(
                    (a.valid_from, a.valid_to),
                    (other.valid_from, other.valid_to),
                )
            {
                report(
                    "agencies",
                    a.id.clone(),
                    "code",
                    format!(
                        "mã {} đã dùng cho \"{}\" trong cùng thời gian hiệu lực",
                        a.code, other.id
                    ),
                );
            }
        }
    }
    for m in &data.group_memberships {
        let key = [
            m.group_id.as_str(),
            &m.agency_id,
            &m.valid_from.map(|d| d.to_string()).unwrap_or_default(),
        ]
        .join("|");
        if !groups.contains(m.group_id.as_str()) {
            report(
                "group_memberships",
                key.clone(),
                "group_id",
                missing("nhóm cơ quan", &m.group_id),
            );
        }
        if !agencies.contains(m.agency_id.as_str()) {
            report(
                "group_memberships",
                key,
                "agency_id",
                missing("cơ quan", &m.agency_id),
            );
        }
    }
    for l in data.lineage.iter().filter(|l| l.principal) {
        let others: Vec<&str> = data
            .lineage
            .iter()
            .filter(|o| o.principal && o.from_agency == l.from_agency && o.to_agency != l.to_agency)
            .map(|o| o.to_agency.as_str())
            .collect();
        if !others.is_empty() {
            let key = [l.from_agency.as_str(), &l.to_agency, l.kind.code()].join("|");
            report(
                "lineage",
                key,
                "principal",
                format!(
                    "{} đã có đơn vị kế thừa chính khác: {}",
                    l.from_agency,
                    others.join(", ")
                ),
            );
        }
    }
    for l in &data.lineage {
        let key = [l.from_agency.as_str(), &l.to_agency, l.kind.code()].join("|");
        for (field, id) in [("from_agency", &l.from_agency), ("to_agency", &l.to_agency)] {
            if !agencies.contains(id.as_str()) {
                report("lineage", key.clone(), field, missing("cơ quan", id));
            }
        }
    }
    for p in &data.programmes {
        if let Some(parent) = &p.parent_id
            && !programmes.contains(parent.as_str())
        {
            report(
                "programmes",
                p.id.clone(),
                "parent_id",
                missing("chương trình", parent),
            );
        }
        for d in p
            .legal_basis
            .iter()
            .filter(|d| !documents.contains(d.as_str()))
        {
            report(
                "programmes",
                p.id.clone(),
                "legal_basis",
                missing("văn bản", d),
            );
        }
        if !agencies.contains(p.owner_agency.as_str()) {
            report(
                "programmes",
                p.id.clone(),
                "owner_agency",
                missing("cơ quan", &p.owner_agency),
            );
        }
    }
    for i in data
        .indicators
        .iter()
        .filter(|i| !programmes.contains(i.programme_id.as_str()))
    {
        report(
            "indicators",
            i.id.clone(),
            "programme_id",
            missing("chương trình", &i.programme_id),
        );
    }
    for t in &data.targets {
        if !indicators.contains(t.indicator_id.as_str()) {
            report(
                "targets",
                t.id.clone(),
                "indicator_id",
                missing("chỉ tiêu", &t.indicator_id),
            );
        }
        if let Some(a) = t.agency_id.as_deref().filter(|a| !agencies.contains(a)) {
            report("targets", t.id.clone(), "agency_id", missing("cơ quan", a));
        }
    }
    for o in &data.observations {
        let key = [
            o.indicator_id.as_str(),
            o.agency_id.as_deref().unwrap_or(""),
            &o.period.code(),
            o.source.code(),
        ]
        .join("|");
        if !indicators.contains(o.indicator_id.as_str()) {
            report(
                "observations",
                key.clone(),
                "indicator_id",
                missing("chỉ tiêu", &o.indicator_id),
            );
        }
        if let Some(a) = o.agency_id.as_deref().filter(|a| !agencies.contains(a)) {
            report(
                "observations",
                key.clone(),
                "agency_id",
                missing("cơ quan", a),
            );
        }
        if let Some(indicator) = data.indicators.iter().find(|i| i.id == o.indicator_id) {
            let regime = data
                .programme(&indicator.programme_id)
                .map(|p| p.regime)
                .unwrap_or_default();
            if let Some(reason) = indicator.scope_problem(
                data,
                o.agency_id.as_deref(),
                o.source,
                o.period.end(regime),
            ) {
                report(
                    "observations",
                    key.clone(),
                    if o.agency_id.is_some() {
                        "agency_id"
                    } else {
                        "source"
                    },
                    reason,
                );
            }
            if let Some((field, reason)) =
                indicator.value_problem(o.value, o.numerator, o.denominator)
            {
                report("observations", key, field, reason);
            }
        }
    }
    for t in &data.tasks {
        if !programmes.contains(t.programme_id.as_str()) {
            report(
                "tasks",
                t.id.clone(),
                "programme_id",
                missing("chương trình", &t.programme_id),
            );
        }
        for a in &t.assignments {
            let field = if a.role == AssignmentRole::Coordinating {
                "coordinating"
            } else {
                "lead_agency"
            };
            match &a.assignee {
                Assignee::Agency(id) if !agencies.contains(id.as_str()) => {
                    report("tasks", t.id.clone(), field, missing("cơ quan", id))
                }
                Assignee::Group(g) if !groups.contains(g.as_str()) => report(
                    "tasks",
                    t.id.clone(),
                    "lead_group",
                    missing("nhóm cơ quan", g),
                ),
                _ => {}
            }
        }
        for d in t
            .legal_basis
            .iter()
            .filter(|d| !documents.contains(d.as_str()))
        {
            report("tasks", t.id.clone(), "legal_basis", missing("văn bản", d));
        }
        if data.leads_of(t).is_empty() {
            report("tasks", t.id.clone(), "lead_agency", "nhiệm vụ cần ít nhất một cơ quan hoặc nhóm chủ trì (lead_agency, lead_group, hoặc task_assignments với role lead, joint_lead)".to_string());
        }
    }
    for a in &data.task_assignments {
        let (id, field) = match &a.assignment.assignee {
            Assignee::Agency(id) => (id.as_str(), "agency_id"),
            Assignee::Group(g) => (g.as_str(), "group_id"),
        };
        let key = [
            a.task_id.as_str(),
            if field == "agency_id" { id } else { "" },
            if field == "group_id" { id } else { "" },
        ]
        .join("|");
        if !tasks.contains(a.task_id.as_str()) {
            report(
                "task_assignments",
                key.clone(),
                "task_id",
                missing("nhiệm vụ", &a.task_id),
            );
        }
        let known = if field == "agency_id" {
            agencies.contains(id)
        } else {
            groups.contains(id)
        };
        if !known {
            report(
                "task_assignments",
                key,
                field,
                missing(
                    if field == "agency_id" {
                        "cơ quan"
                    } else {
                        "nhóm cơ quan"
                    },
                    id,
                ),
            );
        }
    }
    for u in &data.assignment_updates {
        let key = [u.task_id.as_str(), &u.agency_id, &u.period.code()].join("|");
        let Some(task) = data.tasks.iter().find(|t| t.id == u.task_id) else {
            report(
                "assignment_updates",
                key,
                "task_id",
                missing("nhiệm vụ", &u.task_id),
            );
            continue;
        };
        let on = tiendo_core::assignment::expansion_date(task, u.reported_on);
        if !tiendo_core::assignment::expand(data, task, on)
            .iter()
            .any(|e| e.agency_id == u.agency_id)
        {
            report(
                "assignment_updates",
                key,
                "agency_id",
                format!(
                    "cơ quan \"{}\" không được giao nhiệm vụ {} (không phải cơ quan chủ trì, phối hợp hay thành viên của nhóm được giao, hoặc đã được loại trừ)",
                    u.agency_id, task.id
                ),
            );
        }
    }
    for e in &data.exclusions {
        let key = [e.subject_id.as_str(), &e.agency_id].join("|");
        if !tasks.contains(e.subject_id.as_str()) && !requirements.contains(e.subject_id.as_str()) {
            report(
                "exclusions",
                key.clone(),
                "subject_id",
                missing("nhiệm vụ hoặc yêu cầu", &e.subject_id),
            );
        }
        if !agencies.contains(e.agency_id.as_str()) {
            report(
                "exclusions",
                key,
                "agency_id",
                missing("cơ quan", &e.agency_id),
            );
        }
    }
    for u in data
        .task_updates
        .iter()
        .filter(|u| !tasks.contains(u.task_id.as_str()))
    {
        report(
            "task_updates",
            [u.task_id.as_str(), &u.period.code()].join("|"),
            "task_id",
            missing("nhiệm vụ", &u.task_id),
        );
    }
    for r in &data.checklist_requirements {
        if !programmes.contains(r.programme_id.as_str()) {
            report(
                "checklist_requirements",
                r.id.clone(),
                "programme_id",
                missing("chương trình", &r.programme_id),
            );
        }
        for g in r.group_ids.iter().filter(|g| !groups.contains(g.as_str())) {
            report(
                "checklist_requirements",
                r.id.clone(),
                "group_ids",
                missing("nhóm cơ quan", g),
            );
        }
    }
    for i in &data.checklist_items {
        let key = [
            i.requirement_id.as_str(),
            &i.agency_id,
            &i.reported_on.to_string(),
        ]
        .join("|");
        if !requirements.contains(i.requirement_id.as_str()) {
            report(
                "checklist_items",
                key.clone(),
                "requirement_id",
                missing("yêu cầu", &i.requirement_id),
            );
        }
        if !agencies.contains(i.agency_id.as_str()) {
            report(
                "checklist_items",
                key,
                "agency_id",
                missing("cơ quan", &i.agency_id),
            );
        }
    }
    for a in data
        .target_assessments
        .iter()
        .filter(|a| !targets.contains(a.target_id.as_str()))
    {
        report(
            "target_assessments",
            [a.target_id.as_str(), &a.period.code()].join("|"),
            "target_id",
            missing("mục tiêu", &a.target_id),
        );
    }
}

fn overlaps(
    a: (Option<NaiveDate>, Option<NaiveDate>),
    b: (Option<NaiveDate>, Option<NaiveDate>),
) -> bool {
    let starts_before_end = |start: Option<NaiveDate>, end: Option<NaiveDate>| match (start, end) {
        (Some(s), Some(e)) => s <= e,
        _ => true,
    };
    starts_before_end(a.0, b.1) && starts_before_end(b.0, a.1)
}
