//! Urging letters (công văn đôn đốc, [`tiendo_report::urge`]) as files: the settings of a
//! letter to one agency (its symbol "<issuer code>-<drafting unit>", "Kính gửi" the
//! agency, "Như trên" and "Lưu: VT, <unit>" in "Nơi nhận") and the letter in a format.

use tiendo_core::model::Dataset;
use tiendo_report::Document;
use tiendo_report::urge::addressed;

use crate::{DocumentError, ReportSettings, SettingsOverrides};

/// The formats a letter is written in.
pub const FORMATS: [&str; 4] = ["docx", "pdf", "md", "html"];

/// The settings of a letter to `addressee`, drafted by `unit` (the issuer's code alone
/// when there is none), signed as the programme's documents are (`programme`: its stored
/// settings; only the issuing body, place and signer are taken, a letter has its own
/// addressee and recipients); `None` when the document has no letterhead.
pub fn settings(
    data: &Dataset,
    doc: &Document,
    addressee: &str,
    unit: Option<&str>,
    programme: SettingsOverrides,
) -> Option<ReportSettings> {
    let head = doc.letterhead.as_ref()?;
    let symbol = match unit {
        Some(unit) if !unit.is_empty() => format!("{}-{unit}", head.issuer_code),
        _ => head.issuer_code.clone(),
    };
    Some(
        ReportSettings::defaults(data, head).with(SettingsOverrides {
            symbol: Some(symbol),
            addressees: vec![addressee.to_string()],
            archive_unit: unit.map(str::to_string),
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
