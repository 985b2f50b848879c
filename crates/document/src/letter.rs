//! Urging letters (công văn đôn đốc, [`tiendo_report::urge`]) as files: the settings of a
//! letter to one agency (its symbol "<issuer code>-<drafting unit>", "Kính gửi" the
//! agency, "Như trên" and "Lưu: VT, <unit>" in "Nơi nhận") and the letter in a format.
//! The drafting unit is the programme's (its document settings) unless one is given for
//! the letters; a letter without one is not written.

use tiendo_core::model::Dataset;
use tiendo_report::Document;
use tiendo_report::urge::addressed;

use crate::{DocumentError, ReportSettings, SettingsOverrides};

/// The formats a letter is written in.
pub const FORMATS: [&str; 4] = ["docx", "pdf", "md", "html"];

/// The settings of a letter to `addressee`, drafted by `unit` (else the programme's
/// drafting unit), signed as the programme's documents are (`programme`: its stored
/// settings; only the issuing body, place, signer and drafting unit are taken, a letter
/// has its own addressee and recipients).
///
/// The symbol is "<issuer code>-<unit>", the unit without what follows it in brackets
/// ("CĐSQG (CSS)" gives "BTTTT-CĐSQG"); "Lưu: VT, <unit>" keeps it whole.
pub fn settings(
    data: &Dataset,
    doc: &Document,
    addressee: &str,
    unit: Option<&str>,
    programme: SettingsOverrides,
) -> Result<ReportSettings, DocumentError> {
    let head = doc
        .letterhead
        .as_ref()
        .ok_or_else(|| DocumentError::Template("công văn không có phần đầu văn bản".into()))?;
    let unit = unit
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_string)
        .or(programme.archive_unit)
        .ok_or(DocumentError::MissingSetting {
            setting: "đơn vị soạn thảo",
            how: "ghi vào ô “Đơn vị soạn thảo” trong Thiết lập văn bản của chương trình \
                  (hoặc --unit khi viết công văn)",
        })?;
    let short = unit.split('(').next().unwrap_or(&unit).trim();
    Ok(
        ReportSettings::defaults(data, head).with(SettingsOverrides {
            symbol: Some(format!("{}-{short}", head.issuer_code)),
            addressees: vec![addressee.to_string()],
            archive_unit: Some(unit.clone()),
            parent_body: programme.parent_body,
            issuing_body: programme.issuing_body,
            place: programme.place,
            signer_authority: programme.signer_authority,
            signer_title: programme.signer_title,
            signer_name: programme.signer_name,
            ..SettingsOverrides::default()
        }),
    )
}

/// The letter in one of [`FORMATS`]; `None` for another format.
pub fn render(
    doc: &Document,
    settings: &ReportSettings,
    format: &str,
) -> Option<Result<Vec<u8>, DocumentError>> {
    let with_addressee = || addressed(doc, settings.addressees.first().map_or("", String::as_str));
    Some(match format {
        "docx" => crate::docx::render(doc, settings),
        "pdf" => crate::pdf::render(doc, settings),
        "md" => Ok(tiendo_report::to_markdown(&with_addressee()).into_bytes()),
        "html" => Ok(tiendo_report::to_html(&with_addressee()).into_bytes()),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use tiendo_report::Letterhead;

    use super::*;

    fn letter() -> Document {
        Document {
            letterhead: Some(Letterhead {
                issuer_id: "BTTTT".into(),
                issuer: "Bộ Thông tin và Truyền thông".into(),
                issuer_code: "BTTTT".into(),
                place: "Hà Nội".into(),
                date: NaiveDate::from_ymd_opt(2024, 7, 15).unwrap(),
                kind: crate::LETTER_KIND.into(),
                subject: "V/v đôn đốc".into(),
            }),
            ..Document::default()
        }
    }

    #[test]
    fn the_drafting_unit_comes_from_the_programme_unless_given() {
        let programme = SettingsOverrides {
            archive_unit: Some("CĐSQG (CSS)".into()),
            ..SettingsOverrides::default()
        };
        let data = Dataset::default();
        let s = settings(&data, &letter(), "Bộ Công an", None, programme.clone()).unwrap();
        assert_eq!(s.symbol, "BTTTT-CĐSQG");
        assert_eq!(
            s.recipient_lines(),
            vec!["- Như trên;", "- Lưu: VT, CĐSQG (CSS)."]
        );
        let s = settings(&data, &letter(), "Bộ Công an", Some("KHTC"), programme).unwrap();
        assert_eq!(s.symbol, "BTTTT-KHTC");
        assert_eq!(s.recipient_lines().last().unwrap(), "- Lưu: VT, KHTC.");
    }

    #[test]
    fn a_letter_without_a_drafting_unit_is_an_error_naming_the_setting() {
        let e = settings(
            &Dataset::default(),
            &letter(),
            "Bộ Công an",
            Some("  "),
            SettingsOverrides::default(),
        )
        .unwrap_err();
        assert!(
            matches!(e, DocumentError::MissingSetting { .. })
                && e.to_string().contains("đơn vị soạn thảo")
                && e.to_string().contains("Thiết lập văn bản"),
            "{e}"
        );
    }
}
