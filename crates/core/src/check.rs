//! Data problems a person should look at (`tiendo check`): deadlines the parser could not
//! read, counts that disagree with the lists or ratios they come from, observations
//! without provenance, targets without deadlines, tasks with no reported progress,
//! checklist requirements whose groups overlap, checklist items from agencies outside a
//! requirement's groups, stated figures that disagree with the records, lineage edges whose dates do not join a
//! unit that ends to one that exists from the change, agencies that end with no successor.

use std::collections::HashSet;

use serde::Serialize;

use crate::model::{Dataset, LineageKind};

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

/// One unit of a stated value's last decimal: a report that writes 23,7% for 256/1077
/// (23,77%) cut the figure rather than rounded it, and agrees with it.
fn last_digit(value: f64) -> f64 {
    let text = value.abs().to_string();
    let decimals = text.split_once('.').map_or(0, |(_, f)| f.len()).min(6);
    10f64.powi(-(decimals as i32))
}

/// Whether a stated value agrees with the one computed from its numerator and denominator:
/// within rounding, or cut to its own last decimal.
pub(crate) fn agrees(stated: f64, computed: f64) -> bool {
    (computed - stated).abs()
        <= RATE_TOLERANCE_POINTS
            .max(stated.abs() * 1e-3)
            .max(last_digit(stated))
}

/// Every problem in the dataset, in a stable order.
pub fn check(data: &Dataset) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut push = |kind: &'static str, record: String, message: String| {
        problems.push(Problem {
            kind,
            record,
            message,
        })
    };
    for u in &data.unreadable {
        push(
            "unreadable_record",
            format!("{} {}", u.entity, u.key),
            format!(
                "bản ghi không đọc được nên không được tính: {} — {}",
                u.field, u.reason
            ),
        );
    }
    for t in &data.tasks {
        if t.deadline.is_unparsed() {
            let message = if t.deadline.text.is_empty() {
                "nhiệm vụ không có thời hạn".to_string()
            } else {
                format!(
                    "không đọc được thời hạn \"{}\"; cần ghi due_date",
                    t.deadline.text
                )
            };
            push("unparsed_deadline", format!("tasks {}", t.id), message);
        }
    }
    for r in &data.checklist_requirements {
        if r.deadline.is_unparsed() {
            push(
                "unparsed_deadline",
                format!("checklist_requirements {}", r.id),
                format!(
                    "yêu cầu không có thời hạn đọc được (\"{}\")",
                    r.deadline.text
                ),
            );
        }
        let mut seen = HashSet::new();
        for m in data
            .group_memberships
            .iter()
            .filter(|m| r.group_ids.contains(&m.group_id))
        {
            if !seen.insert((m.agency_id.as_str(), m.valid_from)) && r.group_ids.len() > 1 {
                push(
                    "overlapping_groups",
                    format!("checklist_requirements {}", r.id),
                    format!(
                        "cơ quan {} thuộc nhiều nhóm của yêu cầu: bị đếm hai lần",
                        m.agency_id
                    ),
                );
            }
        }
    }
    for t in &data.targets {
        if t.deadline.due.is_none() {
            push(
                "target_without_deadline",
                format!("targets {}", t.id),
                "mục tiêu không có thời hạn".to_string(),
            );
        }
    }
    for o in &data.observations {
        let record = format!(
            "observations {} {} {}",
            o.indicator_id,
            o.agency_id.as_deref().unwrap_or("(toàn quốc)"),
            o.period.code()
        );
        if o.provenance.trim().is_empty() {
            push(
                "observation_without_provenance",
                record.clone(),
                "số liệu không ghi nguồn".to_string(),
            );
        }
        if let (Some(n), Some(d)) = (o.numerator, o.denominator) {
            let unit = data
                .indicators
                .iter()
                .find(|i| i.id == o.indicator_id)
                .map(|i| i.unit.as_str());
            let computed = if unit == Some("%") {
                n / d * 100.0
            } else {
                n / d
            };
            // A count stated as "x/N" (12/22 bộ) carries x as its value: consistent when the
            // value is the numerator, whatever the quotient.
            let count_of = unit != Some("%") && o.value == n && n <= d;
            if d == 0.0 || (!count_of && !agrees(o.value, computed)) {
                push(
                    "ratio_disagrees",
                    record,
                    format!("giá trị {} khác tỷ số {n}/{d} = {:.2}", o.value, computed),
                );
            }
        }
    }
    for a in data.agencies.iter().filter(|a| a.valid_to.is_some()) {
        if !data.lineage.iter().any(|e| e.from_agency == a.id) {
            push(
                "ended_without_successor",
                format!("agencies {}", a.id),
                "cơ quan hết hiệu lực nhưng không có đơn vị kế thừa: số liệu của cơ quan không xuất hiện khi quy đổi sang cơ cấu sau đó".to_string(),
            );
        }
    }
    for e in &data.lineage {
        let record = format!(
            "lineage {} {} {}",
            e.from_agency,
            e.to_agency,
            e.kind.code()
        );
        let before = e.effective.pred_opt().unwrap_or(e.effective);
        if let Some(from) = data.agency(&e.from_agency)
            && (!from.valid_on(before)
                || (e.kind != LineageKind::MovedUnder && from.valid_on(e.effective)))
        {
            push(
                "lineage_dates",
                record.clone(),
                format!(
                    "{} phải có hiệu lực đến ngày {before} và hết hiệu lực từ ngày {}",
                    from.id, e.effective
                ),
            );
        }
        if let Some(to) = data.agency(&e.to_agency)
            && !to.valid_on(e.effective)
        {
            push(
                "lineage_dates",
                record,
                format!("{} phải có hiệu lực từ ngày {}", to.id, e.effective),
            );
        }
    }
    for item in &data.checklist_items {
        let Some(requirement) = data
            .checklist_requirements
            .iter()
            .find(|r| r.id == item.requirement_id)
        else {
            continue;
        };
        let member = requirement.group_ids.iter().any(|g| {
            data.members_on(g, item.reported_on)
                .iter()
                .any(|a| a.id == item.agency_id)
        });
        let record = format!(
            "checklist_items {} {} {}",
            item.requirement_id, item.agency_id, item.reported_on
        );
        if !member {
            let groups: Vec<String> = requirement
                .group_ids
                .iter()
                .map(|g| data.group(g).map_or_else(|| g.clone(), |g| g.name.clone()))
                .collect();
            push(
                "outside_group",
                record,
                format!(
                    "{} không thuộc nhóm của yêu cầu ({}) vào ngày {}: kết quả này không được tính",
                    data.agency(&item.agency_id)
                        .map_or(item.agency_id.as_str(), |a| a.short_name.as_str()),
                    groups.join("; "),
                    crate::format::date(item.reported_on)
                ),
            );
        } else if data
            .exclusions_of(&item.requirement_id)
            .any(|e| e.agency_id == item.agency_id)
        {
            push(
                "outside_group",
                record,
                format!(
                    "{} đã được loại trừ khỏi yêu cầu: kết quả này không được tính",
                    item.agency_id
                ),
            );
        }
    }
    for o in data.observations.iter().filter(|o| o.states.is_some()) {
        if let Some(c) = crate::stated::contradiction(data, o) {
            let record = format!(
                "observations {} {} {}",
                o.indicator_id,
                o.agency_id.as_deref().unwrap_or("(toàn quốc)"),
                o.period.code()
            );
            push(
                "stated_figure_disagrees",
                record,
                format!(
                    "số liệu báo cáo {} khác số liệu tính từ dữ liệu {} ({})",
                    c.stated, c.computed, c.behind
                ),
            );
        }
    }
    let latest = data.latest_updates(chrono::NaiveDate::MAX);
    for t in &data.tasks {
        if !latest.contains_key(t.id.as_str()) {
            push(
                "task_without_update",
                format!("tasks {}", t.id),
                "chưa có báo cáo tình hình thực hiện".to_string(),
            );
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::model::{Agency, AgencyKind, Confidence, LineageEdge};

    fn agency(id: &str, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Agency {
        Agency {
            id: id.into(),
            code: id.into(),
            name: id.into(),
            short_name: id.into(),
            kind: AgencyKind::Province,
            valid_from: from,
            valid_to: to,
            sort_order: 0,
            confidence: Confidence::Official,
            note: String::new(),
            provenance: String::new(),
        }
    }

    #[test]
    fn lineage_must_join_a_unit_that_ends_to_one_that_exists_from_the_change() {
        let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day);
        let mut data = Dataset {
            agencies: vec![
                agency("old", None, d(6, 30)),
                agency("new", d(7, 1), None),
                agency("late", d(8, 1), None),
                agency("still", None, None),
            ],
            ..Dataset::default()
        };
        let edge = |from: &str, to: &str| LineageEdge {
            from_agency: from.into(),
            to_agency: to.into(),
            kind: LineageKind::MergedInto,
            effective: d(7, 1).unwrap(),
            functions: String::new(),
            share: None,
            principal: false,
            confidence: Confidence::Official,
            provenance: String::new(),
        };
        data.lineage = vec![edge("old", "new")];
        assert!(check(&data).iter().all(|p| p.kind != "lineage_dates"));
        data.lineage = vec![edge("old", "late"), edge("still", "new")];
        let problems: Vec<String> = check(&data)
            .into_iter()
            .filter(|p| p.kind == "lineage_dates")
            .map(|p| p.record)
            .collect();
        assert_eq!(
            problems,
            vec![
                "lineage old late merged_into",
                "lineage still new merged_into"
            ]
        );
        data.lineage.clear();
        let ended: Vec<String> = check(&data)
            .into_iter()
            .filter(|p| p.kind == "ended_without_successor")
            .map(|p| p.record)
            .collect();
        assert_eq!(ended, vec!["agencies old"]);
    }

    /// A count stated as "x/N" carries x: "12/22 bộ" is consistent; a percentage is
    /// checked against the quotient.
    #[test]
    fn a_count_stated_as_x_of_n_is_consistent() {
        use crate::model::{
            Aggregation, Direction, Indicator, IndicatorScope, Observation, SourceKind,
        };
        let indicator = |id: &str, unit: &str| Indicator {
            id: id.into(),
            programme_id: "p".into(),
            code: "1".into(),
            heading: String::new(),
            name: id.into(),
            unit: unit.into(),
            direction: Direction::HigherIsBetter,
            aggregation: Aggregation::Latest,
            restatement: None,
            scope: IndicatorScope::National,
            scope_groups: Vec::new(),
            provenance: "nguồn".into(),
        };
        let observation = |id: &str, value: f64, n: f64, d: f64| Observation {
            indicator_id: id.into(),
            agency_id: None,
            period: "2024".parse().expect("period"),
            value,
            numerator: Some(n),
            denominator: Some(d),
            source: SourceKind::Imported,
            states: None,
            note: String::new(),
            provenance: "nguồn".into(),
        };
        let flagged = |unit: &str, value: f64| {
            let data = Dataset {
                indicators: vec![indicator("i", unit)],
                observations: vec![observation("i", value, 12.0, 22.0)],
                ..Dataset::default()
            };
            check(&data).iter().any(|p| p.kind == "ratio_disagrees")
        };
        assert!(!flagged("bộ", 12.0), "12/22 bộ");
        assert!(!flagged("count", 12.0), "12/22 counted");
        assert!(flagged("bộ", 13.0), "13 beside 12/22");
        assert!(!flagged("%", 54.55), "54,55 % of 12/22");
        assert!(
            !flagged("%", 54.5),
            "54,5 % of 12/22, cut rather than rounded"
        );
        assert!(flagged("%", 54.3), "54,3 % beside 12/22 (54,55 %)");
        assert!(flagged("%", 12.0), "12 % beside 12/22");
    }
}
