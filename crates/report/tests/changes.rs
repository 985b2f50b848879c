//! What changed between two editions: five records changed, each behind a different
//! figure, give (at least) those five figures, none missed; and a task made done leaves
//! its overdue cohort too.

use std::path::PathBuf;

use chrono::NaiveDate;
use tiendo_core::model::Dataset;
use tiendo_core::{checklist, clock};
use tiendo_exchange::import::{SourceFile, plan, read_sources};
use tiendo_exchange::records::{ASSIGNMENT_UPDATES, CHECKLIST_ITEMS, OBSERVATIONS, TASK_UPDATES};
use tiendo_report::ReportRequest;
use tiendo_report::changes::{changed, figures};

fn demo() -> Dataset {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/demo");
    let dirs: Vec<PathBuf> = ["reference", "kh2024", "cl942", "tb2024", "mh2025"]
        .iter()
        .map(|d| root.join(d))
        .collect();
    let sources = read_sources(&dirs).expect("demo files readable");
    plan(&sources, &Dataset::default())
        .expect("demo data valid")
        .result
}

/// A CSV file of `entity` with one row per list of (column, value); other columns empty.
fn csv(
    entity: &'static tiendo_exchange::records::Entity,
    rows: &[Vec<(&str, String)>],
) -> SourceFile {
    let header: Vec<&str> = entity.column_names().collect();
    let lines: Vec<String> = rows
        .iter()
        .map(|row| {
            header
                .iter()
                .map(|h| {
                    row.iter()
                        .find(|(c, _)| c == h)
                        .map_or(String::new(), |(_, v)| v.clone())
                })
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect();
    SourceFile {
        name: format!("{}.csv", entity.name),
        entity,
        text: format!("{}\n{}\n", header.join(","), lines.join("\n")),
    }
}

#[test]
fn five_changed_records_give_five_changed_figures() {
    let data = demo();
    let request = ReportRequest {
        programme_id: "cdsqg".into(),
        period: Some("2024-05".parse().expect("period")),
        as_of: None,
        known_on: NaiveDate::from_ymd_opt(2026, 11, 30),
        structure_date: None,
    };
    let before = figures(&data, &request).expect("figures");
    let value = |id: &str| {
        before
            .iter()
            .find(|f| f.id == id)
            .map(|f| f.text.clone())
            .unwrap_or_default()
    };
    let task_with = |prefix: &str, shared: bool| {
        before
            .iter()
            .filter(|f| f.id.starts_with("task:") && f.text.starts_with(prefix))
            .find(|f| f.text.contains("đã hoàn thành") == shared)
            .map(|f| f.id["task:".len()..].to_string())
            .unwrap_or_else(|| panic!("a task “{prefix}…”, shared: {shared}"))
    };
    let overdue = task_with("Quá hạn", false);
    let in_progress = task_with("Đang thực hiện", false);
    let shared = before
        .iter()
        .filter(|f| f.id.starts_with("task:") && f.text.contains("đã hoàn thành"))
        .map(|f| f.id["task:".len()..].to_string())
        .next()
        .expect("a shared task");
    let programme = data.programme("cdsqg").expect("cdsqg");
    let dates = clock::programme_dates(
        &data,
        programme,
        request.period,
        None,
        request.known_on.expect("date"),
    );
    let views = tiendo_core::status::task_views(&data, &["cdsqg", "kh2024"], dates.as_of);
    let member = views
        .iter()
        .find(|v| v.task.id == shared)
        .and_then(|v| v.assignees.iter().find(|a| !a.status.is_done()))
        .map(|a| a.assignee.agency_id.clone())
        .expect("a member not done");
    let mut requirements: Vec<_> = data
        .checklist_requirements
        .iter()
        .filter(|r| !value(&format!("requirement:{}", r.id)).is_empty())
        .collect();
    // One over several groups first, if any: its figure says each group's "x/N".
    requirements.sort_by_key(|r| !value(&format!("requirement:{}", r.id)).contains('('));
    let (requirement, laggard) = requirements
        .iter()
        .find_map(|r| {
            let result = checklist::evaluate(&data, r, dates.as_of);
            let agency = result.not_done().next()?;
            Some((r.id.clone(), agency.id.clone()))
        })
        .expect("a requirement not met by someone");
    let national = data
        .observations
        .iter()
        .find(|o| {
            o.agency_id.is_none()
                && o.period == dates.period
                && before
                    .iter()
                    .any(|f| f.id == format!("indicator:{}", o.indicator_id))
        })
        .expect("a national value of May 2024");

    let done = |task: &str| {
        vec![
            ("task_id", task.to_string()),
            ("period", "2024-05".to_string()),
            ("reported_on", "2024-05-28".to_string()),
            ("status", "done".to_string()),
            ("completed_on", "2024-05-28".to_string()),
            ("result", "Đã hoàn thành".to_string()),
            ("provenance", "kiểm thử".to_string()),
        ]
    };
    let mut member_done = done(&shared);
    member_done.push(("agency_id", member.clone()));
    let changes = [
        csv(&TASK_UPDATES, &[done(&overdue), done(&in_progress)]),
        csv(&ASSIGNMENT_UPDATES, &[member_done]),
        csv(
            &CHECKLIST_ITEMS,
            &[vec![
                ("requirement_id", requirement.clone()),
                ("agency_id", laggard.clone()),
                ("reported_on", "2024-05-28".to_string()),
                ("done", "true".to_string()),
                ("done_on", "2024-05-28".to_string()),
                ("provenance", "kiểm thử".to_string()),
            ]],
        ),
        csv(
            &OBSERVATIONS,
            &[vec![
                ("indicator_id", national.indicator_id.clone()),
                ("period", national.period.code()),
                ("source", national.source.code().to_string()),
                ("value", format!("{}", national.value + 1.0)),
                ("provenance", "kiểm thử".to_string()),
            ]],
        ),
    ];
    let after = plan(&changes, &data).expect("changes valid").result;
    let diff = changed(&before, &figures(&after, &request).expect("figures"));
    let ids: Vec<&str> = diff.iter().map(|c| c.id.as_str()).collect();
    for expected in [
        format!("task:{overdue}"),
        format!("task:{in_progress}"),
        format!("task:{shared}"),
        format!("requirement:{requirement}"),
        format!("indicator:{}", national.indicator_id),
        "tasks:kh2024".to_string(),
    ] {
        assert!(
            ids.contains(&expected.as_str()),
            "{expected} missing from {ids:?}"
        );
    }
    assert!(
        ids.iter().any(|id| id.starts_with("cohort:")),
        "the overdue task leaves its cohort: {ids:?}"
    );
}
