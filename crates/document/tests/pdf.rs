//! The PDF, typeset natively: A4 pages, Vietnamese words intact in its text.

mod common;

use common::*;
use tiendo_document::pdf;
use tiendo_report::doc::text;
use tiendo_report::{Block, Document, Letterhead};

/// A paragraph of the May 2024 report (seed 000, §I.1), every letter of which must come
/// back from the PDF's text.
const FIXTURE: &str = "Các địa phương tiếp tục xây dựng, ban hành chính sách thúc đẩy người dân, doanh nghiệp sử dụng dịch vụ công trực tuyến. Trong tháng 5, có 04 địa phương ban hành chính sách hỗ trợ miễn, giảm phí, lệ phí sử dụng dịch vụ công trực tuyến gồm: Thành phố Hồ Chí Minh, An Giang, Đắk Nông, Sóc Trăng. Ủy ban Quốc gia về chuyển đổi số; Bộ Thông tin và Truyền thông; Quý II/2024; Phụ lục; Ứng dụng định danh điện tử; Nghị định; Ủy nhiệm; lũy kế; Bắc Kạn; Thừa Thiên Huế; Quảng Ngãi; Đồng Tháp; Bà Rịa - Vũng Tàu.";

fn fixture_document() -> Document {
    Document {
        title: "Kiểm tra phông chữ".into(),
        dates: String::new(),
        letterhead: Some(Letterhead {
            issuer_id: "BTTTT".into(),
            issuer: "Bộ Thông tin và Truyền thông".into(),
            issuer_code: "BTTTT".into(),
            place: "Hà Nội".into(),
            date: chrono::NaiveDate::from_ymd_opt(2024, 2, 5).expect("date"),
            kind: "BÁO CÁO".into(),
            subject: "Kiểm tra chữ tiếng Việt".into(),
        }),
        blocks: vec![
            Block::Paragraph(vec![text(FIXTURE)]),
            Block::Paragraph(vec![text("Trân trọng báo cáo.")]),
        ],
    }
}

#[test]
fn pages_are_a4() {
    let data = demo();
    let doc = report(&data, "cdsqg", "2024-05");
    let paged = pdf::layout(&doc, &settings(&data, &doc)).expect("layout");
    assert!(
        paged.pages().len() >= 4,
        "body, appendices: {} pages",
        paged.pages().len()
    );
    for page in paged.pages() {
        let size = page.frame.size();
        assert!(
            (size.x.to_mm() - 210.0).abs() < 0.1 && (size.y.to_mm() - 297.0).abs() < 0.1,
            "A4: {size:?}"
        );
    }
}

#[test]
fn the_pdf_embeds_its_fonts() {
    let doc = fixture_document();
    let bytes = pdf::render(
        &doc,
        &settings(&tiendo_core::model::Dataset::default(), &doc),
    )
    .expect("pdf");
    assert!(bytes.starts_with(b"%PDF-"));
    let raw = String::from_utf8_lossy(&bytes);
    assert!(raw.contains("LiberationSerif"), "the font is named");
    assert!(raw.contains("/FontFile2"), "and embedded");
}

#[test]
fn every_vietnamese_word_of_the_fixture_is_unbroken_in_the_text() {
    if !tool("pdftotext") {
        return;
    }
    let doc = fixture_document();
    let bytes = pdf::render(
        &doc,
        &settings(&tiendo_core::model::Dataset::default(), &doc),
    )
    .expect("pdf");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("fixture.pdf");
    std::fs::write(&path, bytes).expect("write");
    let text = pdf_text(&path);
    let words: std::collections::HashSet<&str> = text.split(' ').collect();
    let missing: Vec<&str> = FIXTURE
        .split_whitespace()
        .filter(|w| !words.contains(w))
        .collect();
    assert!(
        missing.is_empty(),
        "words broken or lost: {missing:?}\nin: {text}"
    );
    assert!(
        text.contains("Hà Nội, ngày 05 tháng 02 năm 2024"),
        "leading zeros in the date line"
    );
}

#[test]
fn the_report_pdf_has_header_footnotes_and_appendices() {
    if !tool("pdftotext") {
        return;
    }
    let data = demo();
    let doc = report(&data, "cdsqg", "2024-05");
    let bytes = pdf::render(&doc, &signed_settings(&data, &doc)).expect("pdf");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("cdsqg.pdf");
    std::fs::write(&path, bytes).expect("write");
    let text = pdf_text(&path);
    for needle in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: ",
        "/BC-BTTTT",
        "60/63 địa phương (đạt 95,2%)",
        "03 cơ quan chưa thực hiện: Tây Ninh, Kiên Giang, Cần Thơ.",
        "Kính gửi: Thủ tướng Chính phủ.",
        "Thực hiện Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ phê duyệt",
        "Bộ Thông tin và Truyền thông kính báo cáo Thủ tướng Chính phủ./.",
        "Nơi nhận:",
        "- Thủ tướng Chính phủ (để b/c);",
        "- Lưu: VT, CĐSQG (CSS).",
        "KT. BỘ TRƯỞNG",
        "Phạm Đức Long",
        "Biểu đồ 1.",
        "Phụ lục I",
        "(Kèm theo Báo cáo số",
    ] {
        assert!(text.contains(needle), "PDF text lacks {needle:?}");
    }
}
