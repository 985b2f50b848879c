//! Golden tests: the demo reports, computed from the demo data set, are pinned.

use std::path::PathBuf;

use tiendo_core::model::Dataset;
use tiendo_exchange::import::{plan, read_sources};
use tiendo_report::{ReportRequest, progress_report, to_html, to_markdown};

fn demo() -> Dataset {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/demo");
    let dirs: Vec<PathBuf> = ["reference", "kh2024", "cl942", "tb2024"].iter().map(|d| root.join(d)).collect();
    let sources = read_sources(&dirs).expect("demo files readable");
    plan(&sources, &Dataset::default()).expect("demo data valid").result
}

fn report(programme: &str, period: &str) -> tiendo_report::Document {
    let request = ReportRequest { programme_id: programme.to_string(), period: period.parse().expect("period"), as_of: None, structure_date: None };
    progress_report(&demo(), &request).expect("report")
}

#[test]
fn may_2024_plan_report() {
    let doc = report("kh2024", "2024-05");
    let md = to_markdown(&doc);
    assert!(md.contains("đã hoàn thành 08/20 nhiệm vụ (đạt 40%)"), "task counts come from the 20 task records");
    insta::assert_snapshot!("kh2024-2024-05", md);
}

#[test]
fn national_programme_may_2024_report_includes_the_plan() {
    let md = to_markdown(&report("cdsqg", "2024-05"));
    assert!(md.contains("60/63 địa phương (đạt 95,2%)"), "checklist from per-province items");
    assert!(md.contains("Tây Ninh, Kiên Giang, Cần Thơ") || md.contains("Tây Ninh"), "names of provinces not done");
    insta::assert_snapshot!("cdsqg-2024-05", md);
}

#[test]
fn strategy_942_report_2023_classifies_35_targets() {
    let md = to_markdown(&report("cl942", "2023"));
    assert!(md.contains("Phân loại 35 mục tiêu theo quy tắc"));
    insta::assert_snapshot!("cl942-2023", md);
}

#[test]
fn html_figures_link_to_their_records() {
    let html = to_html(&report("kh2024", "2024-05"));
    assert!(html.contains("<tr id=\"task-kh2024-t12\">"));
    assert!(html.contains("class=\"fig\" href=\"#task-"));
    assert!(html.contains("Nhiệm vụ 12 (kh2024-t12): Quá hạn"));
}
