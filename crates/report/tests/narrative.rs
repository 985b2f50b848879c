//! The narrative in the progress report: its references carry the values of the report's
//! own tables, in Markdown and HTML; a reference that does not resolve fails the report.

use std::path::PathBuf;

use tiendo_core::model::Dataset;
use tiendo_exchange::import::{plan, read_sources};
use tiendo_report::narrative::NARRATIVE_BYTES;
use tiendo_report::{
    Narrative, ReportError, ReportRequest, Section, narrated_report, progress_report,
    render_narrative, to_html, to_markdown,
};

fn demo() -> Dataset {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/demo");
    let dirs: Vec<PathBuf> = ["reference", "kh2024"]
        .iter()
        .map(|d| root.join(d))
        .collect();
    plan(
        &read_sources(&dirs).expect("demo files readable"),
        &Dataset::default(),
    )
    .expect("demo data valid")
    .result
}

fn request(programme: &str) -> ReportRequest {
    ReportRequest {
        programme_id: programme.into(),
        period: Some("2024-05".parse().expect("period")),
        as_of: None,
        known_on: Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("date")),
        structure_date: None,
    }
}

fn narrative() -> Narrative {
    let mut n = Narrative::default();
    n.set(Section::Highlights, "Đã triển khai **{{chi_tieu:1}}** thiết yếu; trên 53,88 triệu tài khoản định danh điện tử.\n\n- Đã hoàn thành {{nhiem_vu:hoan_thanh}} nhiệm vụ.\n");
    n.set(
        Section::Shortcomings,
        "Tỷ lệ kết nối EMC mới đạt {{chi_tieu:2}} (mục tiêu {{muc_tieu:2}}).",
    );
    n.set(
        Section::Recommendations,
        "Đề nghị Bộ Tài chính sớm trình Chính phủ ban hành 03 Nghị định.",
    );
    n
}

/// The value cell ("Kỳ này") of an indicator's row in the Markdown indicator table.
fn table_value(md: &str, code: &str) -> String {
    let row = md
        .lines()
        .find(|l| l.starts_with(&format!("| {code} | ")) && l.contains("(Kế hoạch 2024"))
        .unwrap_or_else(|| panic!("row {code}"));
    row.split(" | ").nth(4).expect("value cell").to_string()
}

#[test]
fn references_carry_the_values_of_the_tables() {
    let data = demo();
    let doc = narrated_report(&data, &request("kh2024"), &narrative()).expect("report");
    let md = to_markdown(&doc);
    let value = table_value(&md, "1");
    assert_eq!(value, "43 dịch vụ");
    assert!(
        md.contains(&format!(
            "Đã triển khai {value} thiết yếu; trên 53,88 triệu tài khoản định danh điện tử."
        )),
        "{md}"
    );
    assert!(
        md.contains(&format!(
            "Tỷ lệ kết nối EMC mới đạt {} (mục tiêu ≥ 100% (Năm 2024)).",
            table_value(&md, "2")
        )),
        "{md}"
    );
    assert!(
        md.contains("- Đã hoàn thành 08/20 nhiệm vụ."),
        "the count of the task summary"
    );
    assert!(md.contains("đã hoàn thành 08/20 nhiệm vụ (đạt 40%)"));
    let html = to_html(&doc);
    assert!(
        html.contains("Đã triển khai <a class=\"fig\" href=\"#indicator-"),
        "the figure links to its appendix row: {html}"
    );
    assert!(html.contains(">43 dịch vụ</a> thiết yếu"));
    assert!(html.contains("<li>Đã hoàn thành <a class=\"fig\" href=\"#task-"));
}

#[test]
fn sections_keep_their_place_and_numbering() {
    let data = demo();
    let md =
        to_markdown(&narrated_report(&data, &request("kh2024"), &narrative()).expect("report"));
    let at = |needle: &str| md.find(needle).unwrap_or_else(|| panic!("{needle}: {md}"));
    assert!(at("### I. KẾT QUẢ ĐẠT ĐƯỢC") < at("**Một số kết quả nổi bật**"));
    assert!(at("**Một số kết quả nổi bật**") < at("#### 1. Kết quả thực hiện"));
    assert!(
        at("### II. TỒN TẠI, HẠN CHẾ") < at("Tỷ lệ kết nối EMC")
            && at("Tỷ lệ kết nối EMC") < at("### III.")
    );
    assert!(
        at("### IV. ĐỀ XUẤT, KIẾN NGHỊ")
            < at("Đề nghị Bộ Tài chính sớm trình Chính phủ ban hành 03 Nghị định.")
    );
    assert!(
        !md.contains("Đề nghị các bộ, ngành, địa phương cập nhật đầy đủ"),
        "the written recommendations replace the generic one"
    );
    let plain = to_markdown(&progress_report(&data, &request("kh2024")).expect("report"));
    assert!(
        !plain.contains("Một số kết quả nổi bật")
            && plain.contains("Đề nghị các bộ, ngành, địa phương cập nhật đầy đủ")
    );
}

#[test]
fn results_by_theme_take_the_next_number_of_part_one() {
    let data = demo();
    let mut n = Narrative::default();
    n.set(
        Section::Results,
        "### Về hạ tầng số\n\nĐã phủ sóng {{chi_tieu:3}} thôn, bản lõm sóng.",
    );
    let md = to_markdown(&narrated_report(&data, &request("cdsqg"), &n).expect("report"));
    let parts = md
        .lines()
        .filter(|l| l.starts_with("#### ") && l.contains(". Kết quả thực hiện "))
        .count();
    assert_eq!(parts, 2, "the national programme and its 2024 plan");
    assert!(md.contains("#### 3. Kết quả theo lĩnh vực\n\n##### Về hạ tầng số\n\nĐã phủ sóng 23,7% thôn, bản lõm sóng."), "{md}");
}

#[test]
fn a_broken_reference_fails_the_report_with_its_place() {
    let data = demo();
    let mut n = narrative();
    n.set(
        Section::Recommendations,
        "Đề nghị:\n\n- {{chi_tieu:9.9}}\n- {{nhiem_vu:khong_co}}\n",
    );
    let Err(ReportError::Narrative(e)) = narrated_report(&data, &request("kh2024"), &n) else {
        panic!("a broken reference must fail")
    };
    let messages: Vec<String> = e.0.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages[0],
        "Tham chiếu {{chi_tieu:9.9}} ở mục Đề xuất, kiến nghị, dòng 3: không có chỉ tiêu mã 9.9"
    );
    assert!(messages[1].starts_with("Tham chiếu {{nhiem_vu:khong_co}} ở mục Đề xuất, kiến nghị, dòng 4: không có số liệu nhiệm vụ \"khong_co\""));
    assert_eq!(messages.len(), 2);
}

#[test]
fn lists_of_agencies_not_done_are_those_of_the_footnotes() {
    let data = demo();
    let mut n = Narrative::default();
    n.set(Section::Shortcomings, "Chưa ban hành kế hoạch: {{danh_sach_chua_hoan_thanh:cdsqg-yc-mien-giam-phi-dvctt}}; kết quả {{yeu_cau:cdsqg-yc-mien-giam-phi-dvctt}}.");
    let md = to_markdown(&narrated_report(&data, &request("cdsqg"), &n).expect("report"));
    let line = md
        .lines()
        .find(|l| l.starts_with("Chưa ban hành kế hoạch: "))
        .expect("the written line");
    let names = line
        .trim_start_matches("Chưa ban hành kế hoạch: ")
        .split("; kết quả")
        .next()
        .expect("names");
    assert!(
        md.contains(&format!("cơ quan chưa thực hiện: {names}.")),
        "the same list as the footnote of the requirement: {names}\n{md}"
    );
    let stated = line
        .split("; kết quả ")
        .nth(1)
        .expect("figure")
        .trim_end_matches('.');
    assert_eq!(names, "Tây Ninh, Kiên Giang, Cần Thơ");
    assert!(
        md.contains(&format!(
            "Ban hành chính sách miễn, giảm phí, lệ phí sử dụng dịch vụ công trực tuyến: {}",
            stated.split(" (đạt").next().expect("x/N")
        )),
        "{stated}"
    );
}

/// A section of the largest size a writer may save, full of references to the records
/// (task counts and statuses, which compute every task's status, once per render; bad
/// references, each listed once per line), renders against the demo's records; one byte
/// more is refused on writing.
#[test]
fn a_section_of_the_largest_size_full_of_references_renders() {
    let data = demo();
    let unit =
        "Đạt {{chi_tieu:1}}, {{nhiem_vu:tong_hop}}; {{trang_thai:khong-co}} {{nhiem_vu:x}}.\n";
    let text = unit.repeat(NARRATIVE_BYTES / unit.len());
    let lines = text.lines().count();
    let mut n = Narrative::default();
    n.try_set(Section::Results, text.clone())
        .expect("within the limit");
    let Err(ReportError::Narrative(e)) = render_narrative(&data, &request("kh2024"), &n) else {
        panic!("bad references must fail")
    };
    assert_eq!(e.0.len(), 2 * lines, "two bad references on each line");
    assert!(
        e.0[0].to_string().contains("không có nhiệm vụ mã khong-co"),
        "{}",
        e.0[0]
    );
    let padded = format!("{text}{}", "x".repeat(NARRATIVE_BYTES + 1 - text.len()));
    let refused = n
        .try_set(Section::Results, padded)
        .expect_err("one byte more");
    assert_eq!(refused.section, Section::Results);
    assert!(
        refused
            .to_string()
            .contains("200.001 byte, vượt quá giới hạn 200.000 byte"),
        "{refused}"
    );
}
