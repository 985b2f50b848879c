//! Data problems a person should look at (`tiendo check`): deadlines the parser could not
//! read, counts that disagree with the lists or ratios they come from, observations
//! without provenance, targets without deadlines, tasks with no reported progress,
//! checklist requirements whose groups overlap.

use std::collections::HashSet;

use serde::Serialize;

use crate::model::Dataset;

/// One problem found in the data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// A stable code for the kind of problem.
    pub kind: &'static str,
    /// The record concerned: `entity key`.
    pub record: String,
    pub message: String,
}

/// Relative tolerance when comparing a stated rate to its numerator and denominator
/// (reports round to one or two decimals).
const RATE_TOLERANCE_POINTS: f64 = 0.05;

/// Every problem in the dataset, in a stable order.
pub fn check(data: &Dataset) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut push = |kind: &'static str, record: String, message: String| problems.push(Problem { kind, record, message });
    for t in &data.tasks {
        if t.deadline.is_unparsed() {
            let message = if t.deadline.text.is_empty() {
                "nhiệm vụ không có thời hạn".to_string()
            } else {
                format!("không đọc được thời hạn \"{}\"; cần ghi due_date", t.deadline.text)
            };
            push("unparsed_deadline", format!("tasks {}", t.id), message);
        }
    }
    for r in &data.checklist_requirements {
        if r.deadline.is_unparsed() {
            push("unparsed_deadline", format!("checklist_requirements {}", r.id), format!("yêu cầu không có thời hạn đọc được (\"{}\")", r.deadline.text));
        }
        let mut seen = HashSet::new();
        for m in data.group_memberships.iter().filter(|m| r.group_ids.contains(&m.group_id)) {
            if !seen.insert((m.agency_id.as_str(), m.valid_from)) && r.group_ids.len() > 1 {
                push("overlapping_groups", format!("checklist_requirements {}", r.id), format!("cơ quan {} thuộc nhiều nhóm của yêu cầu: bị đếm hai lần", m.agency_id));
            }
        }
    }
    for t in &data.targets {
        if t.deadline.due.is_none() {
            push("target_without_deadline", format!("targets {}", t.id), "mục tiêu không có thời hạn".to_string());
        }
    }
    for o in &data.observations {
        let record = format!("observations {} {} {}", o.indicator_id, o.agency_id.as_deref().unwrap_or("(toàn quốc)"), o.period.code());
        if o.provenance.trim().is_empty() {
            push("observation_without_provenance", record.clone(), "số liệu không ghi nguồn".to_string());
        }
        if let (Some(n), Some(d)) = (o.numerator, o.denominator) {
            let unit = data.indicators.iter().find(|i| i.id == o.indicator_id).map(|i| i.unit.as_str());
            let computed = if unit == Some("%") { n / d * 100.0 } else { n / d };
            if d == 0.0 || (computed - o.value).abs() > RATE_TOLERANCE_POINTS.max(o.value.abs() * 1e-3) {
                push("ratio_disagrees", record, format!("giá trị {} khác tỷ số {n}/{d} = {:.2}", o.value, computed));
            }
        }
    }
    let latest = data.latest_updates(chrono::NaiveDate::MAX);
    for t in &data.tasks {
        if !latest.contains_key(t.id.as_str()) {
            push("task_without_update", format!("tasks {}", t.id), "chưa có báo cáo tình hình thực hiện".to_string());
        }
    }
    problems
}
