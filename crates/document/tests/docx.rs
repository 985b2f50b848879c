//! The DOCX in the layout of Nghị định 30/2020: checked on its XML, pinned as text, and
//! opened by LibreOffice.

mod common;

use common::*;
use tiendo_document::docx::{self, layout};

fn cdsqg_docx() -> (Vec<u8>, tiendo_report::Document) {
    let data = demo();
    let doc = report(&data, "cdsqg", "2024-05");
    (
        docx::render(&doc, &signed_settings(&data, &doc)).expect("docx"),
        doc,
    )
}

#[test]
fn page_margins_fonts_and_header_follow_the_decree() {
    let (bytes, _) = cdsqg_docx();
    let document = part(&bytes, "word/document.xml");
    assert!(
        document.contains(r#"<w:pgSz w:w="11906" w:h="16838""#),
        "A4 portrait"
    );
    assert!(
        document.contains(r#"<w:pgMar w:top="1134" w:right="851" w:bottom="1134" w:left="1701""#),
        "margins 20/15/20/30 mm"
    );
    assert_eq!(
        (
            layout::MARGIN_TOP,
            layout::MARGIN_RIGHT,
            layout::MARGIN_BOTTOM,
            layout::MARGIN_LEFT
        ),
        (1134, 851, 1134, 1701)
    );
    assert!(
        document.contains("<w:titlePg />"),
        "no page number on page 1"
    );
    let styles = part(&bytes, "word/styles.xml");
    assert!(styles.contains(r#"<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman" w:eastAsia="Times New Roman" />"#), "Times New Roman named for every script");
    assert!(styles.contains(r#"<w:sz w:val="28" />"#), "body 14 pt");
    let headers: Vec<String> = (1..=2)
        .map(|i| part(&bytes, &format!("word/header{i}.xml")))
        .collect();
    assert!(
        headers
            .iter()
            .any(|h| h.contains("PAGE") && h.contains(r#"<w:jc w:val="center" />"#)),
        "page number centred in the header"
    );
    assert!(
        headers.iter().any(|h| !h.contains("PAGE")),
        "an empty first-page header"
    );
    assert!(
        document.contains("<w:tblHeader />"),
        "table header rows repeat"
    );
    assert!(
        document.contains(r#"<w:ind w:left="0" w:right="0" w:firstLine="567" />"#)
            && document.contains(r#"<w:jc w:val="both" />"#),
        "justified body with a 1 cm first-line indent"
    );
    let footnotes = part(&bytes, "word/footnotes.xml");
    assert!(
        footnotes.contains("<w:footnoteRef />"),
        "footnotes print their number"
    );
    assert!(
        footnotes.contains("03 cơ quan chưa thực hiện: Tây Ninh, Kiên Giang, Cần Thơ."),
        "the agencies not done are a real footnote"
    );
    assert!(
        document.contains("<w:footnoteReference w:id="),
        "the text refers to it"
    );
}

#[test]
fn text_has_header_closing_footer_and_appendices_in_order() {
    let (bytes, _) = cdsqg_docx();
    let text = paragraphs(&part(&bytes, "word/document.xml"));
    let position = |needle: &str| {
        text.iter()
            .position(|p| p.contains(needle))
            .unwrap_or_else(|| panic!("no paragraph with {needle:?}"))
    };
    let order = [
        "BỘ THÔNG TIN",
        "VÀ TRUYỀN THÔNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "/BC-BTTTT",
        "Hà Nội, ngày 30 tháng 11 năm 2026",
        "BÁO CÁO",
        "Tình hình thực hiện Chương trình Chuyển đổi số quốc gia tháng 5/2024",
        "Kính gửi: Thủ tướng Chính phủ.",
        "Thực hiện Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ phê duyệt",
        "I. KẾT QUẢ ĐẠT ĐƯỢC",
        "IV. ĐỀ XUẤT, KIẾN NGHỊ",
        "Trên đây là báo cáo tình hình thực hiện Chương trình Chuyển đổi số quốc gia tháng 5/2024, Bộ Thông tin và Truyền thông kính báo cáo Thủ tướng Chính phủ./.",
        "Nơi nhận:",
        "- Thủ tướng Chính phủ (để b/c);",
        "- Lưu: VT, CĐSQG (CSS).",
        "KT. BỘ TRƯỞNG",
        "THỨ TRƯỞNG",
        "Phạm Đức Long",
        "Phụ lục I",
        "(Kèm theo Báo cáo số",
    ];
    let positions: Vec<usize> = order.iter().map(|n| position(n)).collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "in order: {:?}",
        order.iter().zip(&positions).collect::<Vec<_>>()
    );
    assert_eq!(
        text.iter().filter(|p| p.ends_with("./.")).count(),
        1,
        "one closing mark"
    );
}

#[test]
fn headings_are_word_headings_and_the_file_names_its_author_and_date() {
    let (bytes, _) = cdsqg_docx();
    let styles = part(&bytes, "word/styles.xml");
    for (id, level) in [("Heading1", 0), ("Heading2", 1), ("Heading3", 2)] {
        let at = styles
            .find(&format!(r#"w:styleId="{id}""#))
            .unwrap_or_else(|| panic!("no style {id}"));
        let style = &styles[at..at + styles[at..].find("</w:style>").expect("style ends")];
        assert!(
            style.contains(&format!(r#"<w:outlineLvl w:val="{level}" />"#)),
            "{id} has outline level {level}: {style}"
        );
    }
    let document = part(&bytes, "word/document.xml");
    let heading_paragraph = |style: &str, text: &str| {
        document.split("</w:p>").any(|p| {
            p.contains(&format!(r#"<w:pStyle w:val="{style}" />"#))
                && paragraphs(p).iter().any(|t| t.starts_with(text))
        })
    };
    assert!(
        heading_paragraph("Heading1", "I. KẾT QUẢ ĐẠT ĐƯỢC"),
        "a section is Heading 1"
    );
    assert!(
        heading_paragraph("Heading2", "1. Kết quả thực hiện"),
        "a part is Heading 2"
    );
    let core = part(&bytes, "docProps/core.xml");
    assert!(
        core.contains("<dc:creator>Bộ Thông tin và Truyền thông</dc:creator>"),
        "{core}"
    );
    assert!(
        core.contains("2026-11-30T00:00:00Z</dcterms:created>"),
        "{core}"
    );
    assert!(core.contains("<dc:title>BÁO CÁO Tình hình thực hiện Chương trình Chuyển đổi số quốc gia tháng 5/2024</dc:title>"), "{core}");
    assert!(
        !core.contains("1970-01-01") && !core.contains("unknown"),
        "{core}"
    );
}

#[test]
fn a_cong_van_has_its_excerpt_under_the_number_and_no_title() {
    let data = demo();
    let mut doc = report(&data, "cdsqg", "2024-05");
    let letterhead = doc.letterhead.as_mut().expect("letterhead");
    letterhead.kind = tiendo_document::LETTER_KIND.to_string();
    letterhead.subject = "đôn đốc thực hiện nhiệm vụ".to_string();
    let bytes = docx::render(
        &doc,
        &settings(&data, &doc).with(tiendo_document::SettingsOverrides {
            symbol: Some("BTTTT-CĐSQG".into()),
            ..Default::default()
        }),
    )
    .expect("docx");
    let text = paragraphs(&part(&bytes, "word/document.xml"));
    let number = text
        .iter()
        .position(|p| p.ends_with("/BTTTT-CĐSQG"))
        .expect("number line");
    assert_eq!(text[number + 1], "V/v đôn đốc thực hiện nhiệm vụ");
    assert!(
        !text.iter().any(|p| p == "CÔNG VĂN" || p == "BÁO CÁO"),
        "no centred type title"
    );
}

#[test]
fn kh2024_docx_text_is_pinned() {
    let data = demo();
    let doc = report(&data, "kh2024", "2024-05");
    let bytes = docx::render(&doc, &settings(&data, &doc)).expect("docx");
    let text = paragraphs(&part(&bytes, "word/document.xml")).join("\n");
    insta::assert_snapshot!("kh2024-2024-05-docx", text);
}

#[test]
fn charts_are_embedded_as_images() {
    let (bytes, doc) = cdsqg_docx();
    let charts = doc
        .blocks
        .iter()
        .filter(|b| matches!(b, tiendo_report::Block::Chart(_)))
        .count();
    assert!(charts >= 2, "trend and per-agency charts in the May report");
    let document = part(&bytes, "word/document.xml");
    assert_eq!(document.matches("<pic:pic").count(), charts);
    assert!(
        paragraphs(&document)
            .iter()
            .any(|p| p.starts_with("Biểu đồ 1. "))
    );
}

#[test]
fn libreoffice_opens_it_with_header_figures_and_footnotes() {
    if !tool("soffice") || !tool("pdftotext") {
        return;
    }
    let (bytes, _) = cdsqg_docx();
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("cdsqg-2024-05.docx");
    std::fs::write(&input, bytes).expect("write");
    let pdf = libreoffice_convert(&input, "pdf", dir.path());
    let text = pdf_text(&pdf);
    for needle in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BỘ THÔNG TIN VÀ TRUYỀN THÔNG",
        "Hà Nội, ngày 30 tháng 11 năm 2026",
        "Kính gửi: Thủ tướng Chính phủ.",
        "60/63 địa phương (đạt 95,2%)",
        "03 cơ quan chưa thực hiện: Tây Ninh, Kiên Giang, Cần Thơ.",
        "kính báo cáo Thủ tướng Chính phủ./.",
        "Nơi nhận:",
        "- Lưu: VT, CĐSQG (CSS).",
        "KT. BỘ TRƯỞNG THỨ TRƯỞNG",
        "Phạm Đức Long",
        "Phụ lục I",
    ] {
        assert!(text.contains(needle), "LibreOffice text lacks {needle:?}");
    }
}
