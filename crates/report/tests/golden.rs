//! Golden tests: the demo reports, computed from the demo data set, are pinned.

use std::path::PathBuf;

use tiendo_core::model::Dataset;
use tiendo_exchange::import::{plan, read_sources};
use tiendo_report::{ReportRequest, progress_report, to_html, to_markdown};

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

fn report(programme: &str, period: &str) -> tiendo_report::Document {
    restated_report(programme, period, None)
}

fn restated_report(
    programme: &str,
    period: &str,
    structure_date: Option<&str>,
) -> tiendo_report::Document {
    let request = ReportRequest {
        programme_id: programme.to_string(),
        period: Some(period.parse().expect("period")),
        as_of: None,
        // Fixed, so that the goldens do not change with the day they run.
        known_on: Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("date")),
        structure_date: structure_date.map(|d| d.parse().expect("date")),
    };
    progress_report(&demo(), &request).expect("report")
}

#[test]
fn may_2024_plan_report() {
    let doc = report("kh2024", "2024-05");
    let md = to_markdown(&doc);
    assert!(
        md.contains("đã hoàn thành 08/20 nhiệm vụ (đạt 40%)"),
        "task counts come from the 20 task records"
    );
    assert!(md.contains("Kết quả thực hiện các nhiệm vụ (đến ngày 31/5/2024; theo báo cáo nhận đến ngày 21/5/2024)"), "the statuses say the day they were reported");
    insta::assert_snapshot!("kh2024-2024-05", md);
}

#[test]
fn national_programme_may_2024_report_includes_the_plan() {
    let md = to_markdown(&report("cdsqg", "2024-05"));
    assert!(
        md.contains("60/63 địa phương (đạt 95,2%)"),
        "checklist from per-province items"
    );
    assert!(
        md.contains("Tây Ninh, Kiên Giang, Cần Thơ") || md.contains("Tây Ninh"),
        "names of provinces not done"
    );
    insta::assert_snapshot!("cdsqg-2024-05", md);
}

#[test]
fn strategy_942_report_2023_classifies_35_targets() {
    let md = to_markdown(&report("cl942", "2023"));
    assert!(md.contains("Kết quả phân loại 35 mục tiêu"));
    assert!(
        md.contains("đã hoàn thành 08/74 nhiệm vụ"),
        "completions of 2023 reported on 16/02/2024 count in 2023 (issue 13)"
    );
    assert!(
        md.contains("tính đến ngày 31/12/2023, theo số liệu nhận đến ngày 30/11/2026"),
        "the report says both of its dates"
    );
    insta::assert_snapshot!("cl942-2023", md);
}

#[test]
fn html_figures_link_to_their_records() {
    let html = to_html(&report("kh2024", "2024-05"));
    assert!(html.contains("<tr id=\"task-kh2024-t12\">"));
    assert!(html.contains("class=\"fig\" href=\"#task-"));
    assert!(html.contains("Nhiệm vụ 12 (kh2024-t12): Quá hạn"));
}

#[test]
fn second_half_of_2025_uses_the_new_denominators() {
    let md = to_markdown(&report("mh2025", "2025-H2"));
    assert!(
        md.contains("(số liệu minh họa)"),
        "illustrative data is marked in the report"
    );
    assert!(
        md.contains("/17 bộ, cơ quan ngang bộ và ") && md.contains("/34 địa phương"),
        "x/17 and x/34"
    );
    assert!(
        md.contains("Bộ KH&CN (tiếp nhận nhiệm vụ của Bộ TT&TT từ ngày 01/3/2025)"),
        "a task of a dissolved lead is listed under its successor"
    );
    assert!(
        md.contains(
            "Bộ LĐ-TB&XH (chia tách từ ngày 01/3/2025; chưa xác định cơ quan tiếp nhận nhiệm vụ"
        ),
        "a split without a principal successor is flagged"
    );
    insta::assert_snapshot!("mh2025-2025-H2", md);
}

#[test]
fn may_2024_restated_to_the_structure_of_july_2025() {
    let md = to_markdown(&restated_report("cdsqg", "2024-05", Some("2025-07-01")));
    assert!(md.contains("31/34 địa phương (đạt 91,2%)"));
    assert!(md.contains("Tây Ninh (gồm: Tây Ninh, Long An), An Giang (gồm: An Giang, Kiên Giang), Cần Thơ (gồm: Cần Thơ, Hậu Giang, Sóc Trăng)"));
    insta::assert_snapshot!("cdsqg-2024-05-co-cau-2025-07-01", md);
}

#[test]
fn first_half_of_2025_restated_to_the_34_provinces() {
    let md = to_markdown(&restated_report("mh2025", "2025-H1", Some("2025-12-31")));
    assert!(
        md.contains("| Lào Cai (gồm: Lào Cai, Yên Bái) | 73,57% | 243.521/331.000 |"),
        "ratio from summed numerators and denominators"
    );
    assert!(
        md.contains("không quy đổi được: chỉ tiêu không quy đổi khi hợp nhất, chia tách"),
        "a mean score is not restated"
    );
    insta::assert_snapshot!("mh2025-2025-H1-co-cau-2025-12-31", md);
}

#[test]
fn second_half_of_2025_looked_at_in_the_structure_of_2024() {
    let md = to_markdown(&restated_report("mh2025", "2025-H2", Some("2024-12-31")));
    assert!(
        md.contains("/63 địa phương (52 không quy đổi được)"),
        "merged provinces cannot be split back"
    );
    assert!(
        md.contains("Thừa Thiên Huế (số liệu của: Huế; sắp xếp chưa được xác nhận)"),
        "a rename restates backwards, marked not confirmed"
    );
    insta::assert_snapshot!("mh2025-2025-H2-co-cau-2024-12-31", md);
}

/// An agency a requirement does not apply to is counted in no group and named apart with
/// its reason, in the report as on the programme page (`checklist::evaluate`): the
/// report once counted it in N and named it among the laggards.
#[test]
fn an_excluded_agency_is_out_of_the_count_and_named_with_its_reason() {
    use tiendo_core::checklist;
    use tiendo_core::model::Exclusion;

    let mut data = demo();
    let as_of = chrono::NaiveDate::from_ymd_opt(2024, 5, 31).expect("date");
    let (requirement_id, agency) = data
        .checklist_requirements
        .iter()
        .filter(|r| r.programme_id.starts_with("cdsqg"))
        .find_map(|r| {
            let result = checklist::evaluate(&data, r, as_of);
            let agency = result.not_done().next()?.clone();
            Some((r.id.clone(), agency))
        })
        .expect("a cdsqg requirement not done by some agency in May 2024");
    data.exclusions.push(Exclusion {
        subject_id: requirement_id.clone(),
        agency_id: agency.id.clone(),
        reason: "không có hệ thống thông tin giải quyết thủ tục hành chính riêng".into(),
        provenance: "kiểm thử".into(),
    });
    let requirement = data
        .checklist_requirements
        .iter()
        .find(|r| r.id == requirement_id)
        .expect("requirement");
    let result = checklist::evaluate(&data, requirement, as_of);
    assert!(result.not_done().all(|a| a.id != agency.id));
    let request = ReportRequest {
        programme_id: "cdsqg".to_string(),
        period: Some("2024-05".parse().expect("period")),
        as_of: None,
        known_on: Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("date")),
        structure_date: None,
    };
    let md = to_markdown(&progress_report(&data, &request).expect("report"));
    let line = md
        .lines()
        .find(|l| l.contains(&requirement.title))
        .expect("the requirement's line");
    for g in &result.groups {
        let figure = format!(
            "{}/{} {}",
            tiendo_core::format::count(g.numerator() as u64),
            tiendo_core::format::count(g.denominator() as u64),
            g.counted_as
        );
        assert!(line.contains(&figure), "{figure} in {line}");
    }
    let named = format!(
        "Không tính 01 cơ quan không thuộc đối tượng của yêu cầu: {} (không có hệ thống thông tin giải quyết thủ tục hành chính riêng).",
        agency.short_name
    );
    assert!(md.contains(&named), "{named} in\n{md}");
    let laggards: Vec<&str> = md
        .lines()
        .filter(|l| l.contains("chưa thực hiện:"))
        .collect();
    assert!(
        laggards
            .iter()
            .all(|l| !l.contains(&format!(" {},", agency.short_name))
                && !l.contains(&format!(" {}.", agency.short_name))),
        "{} among the laggards: {laggards:?}",
        agency.short_name
    );
}
