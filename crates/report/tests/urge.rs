//! Urging letters on the demo data: what one province owes, and its letter.

use std::path::PathBuf;

use chrono::NaiveDate;
use tiendo_core::model::Dataset;
use tiendo_core::status::{TaskStatus, task_views_dated};
use tiendo_core::urge::{OwedRequest, owed};
use tiendo_exchange::import::{plan, read_sources};
use tiendo_report::to_markdown;
use tiendo_report::urge::{LetterRequest, addressed, addressee, urging_letter};

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

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

fn owed_on<'a>(
    data: &'a Dataset,
    family: &[&str],
    as_of: NaiveDate,
) -> Vec<tiendo_core::urge::Owed<'a>> {
    let request = OwedRequest {
        programme_ids: family,
        as_of,
        known_on: d(2026, 11, 30),
        report_period: Some("2024-06".parse().expect("period")),
        within_days: 7,
        submissions: &[],
    };
    owed(data, &request)
}

#[test]
fn a_province_owes_exactly_its_overdue_assignments() {
    let data = demo();
    let family: Vec<&str> = data
        .programme_family("cdsqg")
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    let as_of = d(2024, 7, 15);
    for agency in ["yen-bai", "BTTTT", "BCA"] {
        let all = owed_on(&data, &family, as_of);
        let o = all
            .iter()
            .find(|o| o.agency.id == agency)
            .expect("the agency owes something");
        let listed: Vec<&str> = o.overdue.iter().map(|t| t.task.id.as_str()).collect();
        let mut expected: Vec<&str> =
            task_views_dated(&data, &family, Some(as_of), d(2026, 11, 30))
                .iter()
                .filter(|v| {
                    v.assignee(agency)
                        .is_some_and(|a| a.assignee.required && a.status == TaskStatus::Overdue)
                })
                .map(|v| v.task.id.as_str())
                .collect();
        let mut sorted = listed.clone();
        sorted.sort();
        expected.sort();
        assert!(
            !expected.is_empty(),
            "{agency} has overdue assignments on 15/7/2024"
        );
        assert_eq!(
            sorted, expected,
            "{agency}: the letter's list is the statuses' list"
        );
        assert!(
            o.overdue.windows(2).all(|w| w[0].days >= w[1].days),
            "most overdue first"
        );
        let report = o
            .report
            .as_ref()
            .expect("the June report was not sent by 15/7");
        assert_eq!(
            (report.due, report.submitted_on),
            (d(2024, 7, 5), None),
            "due five days after the period's end"
        );
    }
    let btttt = owed_on(&data, &family, as_of)
        .into_iter()
        .find(|o| o.agency.id == "BTTTT")
        .expect("BTTTT");
    assert_eq!(
        btttt.overdue.len(),
        6,
        "tasks 13, 14, 15, 10, 8 and 9 of the 2024 plan"
    );
}

#[test]
fn the_letter_lists_the_overdue_assignments_with_their_deadlines() {
    let data = demo();
    let family: Vec<&str> = data
        .programme_family("cdsqg")
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    let as_of = d(2024, 7, 15);
    let all = owed_on(&data, &family, as_of);
    let o = all
        .iter()
        .find(|o| o.agency.id == "yen-bai")
        .expect("Yên Bái owes something");
    let programme = data.programme("cdsqg").expect("programme");
    let doc = urging_letter(
        &data,
        o,
        &LetterRequest {
            programme,
            as_of,
            known_on: d(2026, 11, 30),
            reply_by: d(2024, 7, 25),
        },
    );
    let head = doc.letterhead.as_ref().expect("letterhead");
    assert_eq!(head.kind, "CÔNG VĂN");
    assert_eq!(
        head.subject,
        "V/v đôn đốc thực hiện Chương trình Chuyển đổi số quốc gia"
    );
    let md = to_markdown(&addressed(&doc, &addressee(o.agency)));
    assert!(
        md.contains("**Kính gửi:** Ủy ban nhân dân tỉnh Yên Bái."),
        "{md}"
    );
    assert!(
        md.contains("Thực hiện Quyết định số 58/QĐ-UBQGCĐS") && !md.contains("749/QĐ-TTg"),
        "the opening names the plan that assigned the tasks listed (issue 27): {md}"
    );
    for t in &o.overdue {
        let line = format!("| {}. {} |", t.task.number, t.task.title);
        assert!(
            md.contains(&line) && md.contains(&t.task.deadline.text),
            "{line} in {md}"
        );
    }
    let rows = md
        .lines()
        .filter(|l| l.starts_with("| ") && l.chars().nth(2).is_some_and(|c| c.is_ascii_digit()))
        .count();
    assert_eq!(
        rows,
        o.overdue.len(),
        "one row per overdue assignment and nothing else: {md}"
    );
    assert!(
        md.contains("Báo cáo tháng 6/2024 | 02 | 05/7/2024 | Chưa gửi (quá hạn 10 ngày)"),
        "{md}"
    );
    assert!(
        md.contains("trước ngày 25/7/2024") && md.trim_end().ends_with("Trân trọng."),
        "{md}"
    );
}
