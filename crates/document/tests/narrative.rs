//! The narrative with figure references in the official formats: the DOCX and the PDF show
//! the computed values (the same as in the report's table), the writer's bullets, bold
//! text and footnotes, and the typed numbers as typed.

mod common;

use common::*;
use tiendo_document::edition::render_all;
use tiendo_report::{Narrative, ReportRequest, Section, narrated_report, to_markdown};

fn narrated() -> (tiendo_report::Document, tiendo_document::ReportSettings) {
    let data = demo();
    let mut n = Narrative::default();
    n.set(Section::Highlights, "Đã triển khai **{{chi_tieu:1}}** công thiết yếu; trên 53,88 triệu tài khoản.\n\n- Đã hoàn thành {{nhiem_vu:hoan_thanh}} nhiệm vụ.\n");
    n.set(Section::Recommendations, "Đề nghị **Bộ Tài chính** sớm trình 03 Nghị định[^1].\n\n[^1]: Kết nối EMC đạt {{chi_tieu:2}}.\n");
    let request = ReportRequest {
        programme_id: "kh2024".into(),
        period: Some("2024-05".parse().expect("period")),
        as_of: None,
        known_on: Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("date")),
        structure_date: None,
    };
    let doc = narrated_report(&data, &request, &n).expect("report");
    let settings = settings(&data, &doc);
    (doc, settings)
}

/// The "Kỳ này" cell of an indicator's row in the Markdown table.
fn table_value(doc: &tiendo_report::Document, code: &str) -> String {
    let md = to_markdown(doc);
    let row = md
        .lines()
        .find(|l| l.starts_with(&format!("| {code} | ")) && l.contains("(Kế hoạch 2024"))
        .unwrap_or_else(|| panic!("row {code}"));
    row.split(" | ").nth(4).expect("value cell").to_string()
}

#[test]
fn docx_and_pdf_show_the_computed_values() {
    let (doc, settings) = narrated();
    let (value, emc) = (table_value(&doc, "1"), table_value(&doc, "2"));
    assert_eq!((value.as_str(), emc.as_str()), ("43 dịch vụ", "96,4%"));
    let files = render_all(&doc, &settings).expect("every format");
    let file = |format: &str| {
        files
            .iter()
            .find(|(f, _)| *f == format)
            .map(|(_, bytes)| bytes.clone())
            .expect("format")
    };

    let xml = part(&file("docx"), "word/document.xml");
    let paragraphs = paragraphs(&xml);
    assert!(
        paragraphs
            .iter()
            .any(|p| p
                == &format!("Đã triển khai {value} công thiết yếu; trên 53,88 triệu tài khoản.")),
        "{paragraphs:#?}"
    );
    assert!(
        paragraphs
            .iter()
            .any(|p| p.ends_with("Đã hoàn thành 08/20 nhiệm vụ.")),
        "the bullet"
    );
    assert!(
        xml.contains("<w:b />") || xml.contains("<w:b/>"),
        "bold runs"
    );
    assert!(
        paragraphs
            .iter()
            .any(|p| p.starts_with("Đề nghị Bộ Tài chính sớm trình 03 Nghị định")),
        "{paragraphs:#?}"
    );
    let notes = part(&file("docx"), "word/footnotes.xml");
    assert!(
        notes.contains(&format!("Kết nối EMC đạt {emc}.")),
        "the writer's footnote with its figure"
    );

    if tool("pdftotext") {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("narrative.pdf");
        std::fs::write(&path, file("pdf")).expect("write pdf");
        let text = pdf_text(&path);
        assert!(
            text.contains(&format!(
                "Đã triển khai {value} công thiết yếu; trên 53,88 triệu tài khoản."
            )),
            "{text}"
        );
        assert!(text.contains("Đã hoàn thành 08/20 nhiệm vụ."), "{text}");
        assert!(
            text.contains("Đề nghị Bộ Tài chính sớm trình 03 Nghị định"),
            "{text}"
        );
        assert!(text.contains(&format!("Kết nối EMC đạt {emc}.")), "{text}");
        assert!(text.contains("Một số kết quả nổi bật"));
    }
}
