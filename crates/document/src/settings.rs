//! Report settings: what the header and the footer of an official report say beyond
//! what the data gives (Nghị định 30/2020/NĐ-CP, DOMAIN.md §5).

use chrono::NaiveDate;
use tiendo_core::model::{AgencyKind, Dataset};
use tiendo_report::Letterhead;

/// The width in points the header's left column gives its text (about 6,3 cm), in both
/// the DOCX and the PDF.
pub const HEADER_LEFT_COLUMN_PT: f64 = 178.0;

/// The header and footer of an official report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportSettings {
    /// The body above the issuer ("ỦY BAN NHÂN DÂN TỈNH …" above a department), upright
    /// capitals; empty when the issuer stands alone (a ministry, a provincial committee).
    pub parent_body: String,
    /// The issuing body, printed in bold capitals.
    pub issuing_body: String,
    /// The number given by the văn thư at signing; empty leaves the blank of the draft.
    pub number: String,
    /// The symbol after the number: "BC-BTTTT".
    pub symbol: String,
    pub place: String,
    pub date: NaiveDate,
    /// "Kính gửi": the addressees when the report goes to a superior; empty for none.
    pub addressees: Vec<String>,
    /// The signing authority line (TM., KT., TL., Q., TUQ.), e.g. "KT. BỘ TRƯỞNG"; empty for none.
    pub signer_authority: String,
    /// The signer's position: "BỘ TRƯỞNG", "THỨ TRƯỞNG".
    pub signer_title: String,
    /// The signer's name; empty leaves the line for it blank.
    pub signer_name: String,
    /// "Nơi nhận", without the leading "- " and the final archive line.
    pub recipients: Vec<String>,
    /// The unit that drafted the report, after "Lưu: VT," in the last recipient line.
    pub archive_unit: String,
}

/// Values given on the command line; `None` keeps the default.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SettingsOverrides {
    pub parent_body: Option<String>,
    pub issuing_body: Option<String>,
    pub number: Option<String>,
    pub symbol: Option<String>,
    pub place: Option<String>,
    pub date: Option<NaiveDate>,
    pub addressees: Vec<String>,
    pub signer_authority: Option<String>,
    pub signer_title: Option<String>,
    pub signer_name: Option<String>,
    pub recipients: Vec<String>,
    pub archive_unit: Option<String>,
}

impl SettingsOverrides {
    /// These values, and `fallback`'s where none was given: what a person gives for one
    /// document over the programme's stored settings.
    pub fn or(self, fallback: SettingsOverrides) -> SettingsOverrides {
        let list =
            |mine: Vec<String>, theirs: Vec<String>| if mine.is_empty() { theirs } else { mine };
        SettingsOverrides {
            parent_body: self.parent_body.or(fallback.parent_body),
            issuing_body: self.issuing_body.or(fallback.issuing_body),
            number: self.number.or(fallback.number),
            symbol: self.symbol.or(fallback.symbol),
            place: self.place.or(fallback.place),
            date: self.date.or(fallback.date),
            addressees: list(self.addressees, fallback.addressees),
            signer_authority: self.signer_authority.or(fallback.signer_authority),
            signer_title: self.signer_title.or(fallback.signer_title),
            signer_name: self.signer_name.or(fallback.signer_name),
            recipients: list(self.recipients, fallback.recipients),
            archive_unit: self.archive_unit.or(fallback.archive_unit),
        }
    }
}

impl ReportSettings {
    /// Defaults from the letterhead and its issuing agency: the agency's name, the symbol
    /// "BC-<agency code>", the place and date of the letterhead, the head of the agency as
    /// signer (by kind of agency), "Lưu: VT" as the only recipient.
    pub fn defaults(data: &Dataset, letterhead: &Letterhead) -> ReportSettings {
        let kind = data.agency(&letterhead.issuer_id).map(|a| a.kind);
        let (authority, title) = match kind {
            Some(AgencyKind::Ministry) => ("", "BỘ TRƯỞNG"),
            Some(AgencyKind::Province) => ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
            _ => ("", "THỦ TRƯỞNG CƠ QUAN"),
        };
        ReportSettings {
            parent_body: String::new(),
            issuing_body: letterhead.issuer.clone(),
            number: String::new(),
            symbol: format!("BC-{}", letterhead.issuer_code),
            place: letterhead.place.clone(),
            date: letterhead.date,
            addressees: Vec::new(),
            signer_authority: authority.to_string(),
            signer_title: title.to_string(),
            signer_name: String::new(),
            recipients: Vec::new(),
            archive_unit: String::new(),
        }
    }

    /// Apply what the user gave. Addressees also become the first recipients ("Như trên").
    pub fn with(mut self, o: SettingsOverrides) -> ReportSettings {
        let set = |field: &mut String, value: Option<String>| {
            if let Some(v) = value {
                *field = v;
            }
        };
        set(&mut self.parent_body, o.parent_body);
        set(&mut self.issuing_body, o.issuing_body);
        set(&mut self.number, o.number);
        set(&mut self.symbol, o.symbol);
        set(&mut self.place, o.place);
        set(&mut self.signer_authority, o.signer_authority);
        set(&mut self.signer_title, o.signer_title);
        set(&mut self.signer_name, o.signer_name);
        set(&mut self.archive_unit, o.archive_unit);
        if let Some(d) = o.date {
            self.date = d;
        }
        if !o.addressees.is_empty() {
            self.addressees = o.addressees;
        }
        if !o.recipients.is_empty() {
            self.recipients = o.recipients;
        }
        self
    }

    /// "Số: 15/BC-UBND", or "Số:      /BC-UBND" with the blank the văn thư fills in.
    pub fn number_line(&self) -> String {
        let number = if self.number.is_empty() {
            "\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}".to_string()
        } else {
            self.number.clone()
        };
        format!("Số: {number}/{}", self.symbol)
    }

    /// "Hà Nội, ngày 05 tháng 01 năm 2024".
    pub fn place_and_date(&self) -> String {
        format!(
            "{}, {}",
            self.place,
            tiendo_core::format::date_long(self.date)
        )
    }

    /// "(Kèm theo Báo cáo số 15/BC-UBND ngày 05/01/2024 của Ủy ban nhân dân …)".
    pub fn appendix_reference(&self) -> String {
        let number = if self.number.is_empty() {
            format!("      /{}", self.symbol)
        } else {
            format!("{}/{}", self.number, self.symbol)
        };
        format!(
            "(Kèm theo Báo cáo số {number} ngày {} của {})",
            tiendo_core::format::date(self.date),
            self.issuing_body
        )
    }

    /// The closing sentence: "<summary>, <issuing body> kính báo cáo <addressees>." when
    /// the report is addressed, else "<summary>."; the "./." mark follows it.
    pub fn closing_sentence(&self, summary: &str) -> String {
        let summary = summary.trim_end_matches(['.', ' ']);
        if self.addressees.is_empty() {
            format!("{summary}.")
        } else {
            let to: Vec<&str> = self
                .addressees
                .iter()
                .map(|a| a.trim_end_matches(['.', ';', ' ']))
                .collect();
            format!(
                "{summary}, {} kính báo cáo {}.",
                self.issuing_body,
                to.join(", ")
            )
        }
    }

    /// The issuing body in capitals, broken into balanced lines that fit the header's left
    /// column ("BỘ THÔNG TIN" / "VÀ TRUYỀN THÔNG"), never inside a word.
    pub fn issuing_body_lines(&self) -> Vec<String> {
        crate::fonts::balanced_lines(
            &self.issuing_body.to_uppercase(),
            13.0,
            true,
            HEADER_LEFT_COLUMN_PT,
        )
    }

    /// The body above the issuer, likewise; empty when there is none.
    pub fn parent_body_lines(&self) -> Vec<String> {
        if self.parent_body.trim().is_empty() {
            Vec::new()
        } else {
            crate::fonts::balanced_lines(
                &self.parent_body.to_uppercase(),
                13.0,
                false,
                HEADER_LEFT_COLUMN_PT,
            )
        }
    }

    /// "KT. BỘ TRƯỞNG", "THỨ TRƯỞNG": the signature's capital lines.
    pub fn signer_lines(&self) -> Vec<String> {
        [&self.signer_authority, &self.signer_title]
            .into_iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.trim().to_uppercase())
            .collect()
    }

    /// The recipient lines as printed: each recipient followed by ";", and last "- Lưu:
    /// VT, <unit>.". Addressees are not named twice: when the recipients name every
    /// addressee ("Thủ tướng Chính phủ (để b/c)" for "Kính gửi: Thủ tướng Chính phủ"),
    /// they stand as given; otherwise "- Như trên;" comes first and stands for the
    /// addressees, and a recipient naming one is left out.
    pub fn recipient_lines(&self) -> Vec<String> {
        let every_addressee_named = self
            .addressees
            .iter()
            .all(|a| self.recipients.iter().any(|r| names(r, a)));
        let mut lines: Vec<String> = Vec::new();
        let as_above = !self.addressees.is_empty() && !every_addressee_named;
        if as_above {
            lines.push("- Như trên;".to_string());
        }
        lines.extend(
            self.recipients
                .iter()
                .filter(|r| !(as_above && self.addressees.iter().any(|a| names(r, a))))
                .map(|r| format!("- {};", r.trim_end_matches([';', '.']))),
        );
        let unit = self.archive_unit.trim();
        lines.push(if unit.is_empty() {
            "- Lưu: VT.".to_string()
        } else {
            format!("- Lưu: VT, {unit}.")
        });
        lines
    }
}

/// Whether a line of "Nơi nhận" names the addressee: the same name, whatever follows it
/// in brackets ("(để b/c)") and whatever the case.
fn names(recipient: &str, addressee: &str) -> bool {
    let bare = |s: &str| {
        s.split('(')
            .next()
            .unwrap_or(s)
            .trim()
            .trim_end_matches([';', '.', ' '])
            .to_lowercase()
    };
    bare(recipient) == bare(addressee)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letterhead() -> Letterhead {
        Letterhead {
            issuer_id: "BTTTT".into(),
            issuer: "Bộ Thông tin và Truyền thông".into(),
            issuer_code: "BTTTT".into(),
            place: "Hà Nội".into(),
            date: NaiveDate::from_ymd_opt(2024, 1, 5).unwrap(),
            kind: "BÁO CÁO".into(),
            subject: "Tình hình".into(),
        }
    }

    #[test]
    fn defaults_leave_the_number_blank_and_archive_last() {
        let s = ReportSettings::defaults(&Dataset::default(), &letterhead());
        assert_eq!(s.symbol, "BC-BTTTT");
        assert!(s.number_line().starts_with("Số: \u{a0}"));
        assert!(s.number_line().ends_with("/BC-BTTTT"));
        assert_eq!(s.place_and_date(), "Hà Nội, ngày 05 tháng 01 năm 2024");
        assert_eq!(s.recipient_lines(), vec!["- Lưu: VT."]);
    }

    #[test]
    fn what_is_given_for_one_document_wins_over_the_programme_settings() {
        let stored = SettingsOverrides {
            signer_name: Some("Phạm Đức Long".into()),
            recipients: vec!["Văn phòng Chính phủ".into()],
            place: Some("Hà Nội".into()),
            ..SettingsOverrides::default()
        };
        let given = SettingsOverrides {
            signer_name: Some("Nguyễn Huy Dũng".into()),
            ..SettingsOverrides::default()
        };
        let both = given.or(stored);
        assert_eq!(both.signer_name.as_deref(), Some("Nguyễn Huy Dũng"));
        assert_eq!(both.recipients, vec!["Văn phòng Chính phủ"]);
        assert_eq!(both.place.as_deref(), Some("Hà Nội"));
    }

    #[test]
    fn an_addressee_is_never_named_twice_in_the_recipients() {
        let with = |addressees: &[&str], recipients: &[&str]| {
            ReportSettings::defaults(&Dataset::default(), &letterhead())
                .with(SettingsOverrides {
                    addressees: addressees.iter().map(|a| a.to_string()).collect(),
                    recipients: recipients.iter().map(|r| r.to_string()).collect(),
                    archive_unit: Some("CĐSQG (CSS)".into()),
                    ..SettingsOverrides::default()
                })
                .recipient_lines()
        };
        assert_eq!(
            with(
                &["Thủ tướng Chính phủ"],
                &["Thủ tướng Chính phủ (để b/c)", "Văn phòng Chính phủ"]
            ),
            vec![
                "- Thủ tướng Chính phủ (để b/c);",
                "- Văn phòng Chính phủ;",
                "- Lưu: VT, CĐSQG (CSS)."
            ],
            "the seed's own layout: the addressee named among the recipients, no \"Như trên\""
        );
        assert_eq!(
            with(
                &["Chính phủ", "Thủ tướng Chính phủ"],
                &["Thủ tướng Chính phủ (để b/c)", "Bộ trưởng (để b/c)"]
            ),
            vec![
                "- Như trên;",
                "- Bộ trưởng (để b/c);",
                "- Lưu: VT, CĐSQG (CSS)."
            ],
            "\"Như trên\" stands for both addressees; the one named again is left out"
        );
        assert_eq!(
            with(&["Ủy ban nhân dân tỉnh Yên Bái"], &[]),
            vec!["- Như trên;", "- Lưu: VT, CĐSQG (CSS)."]
        );
    }

    #[test]
    fn overrides_replace_defaults_and_addressees_come_first_in_recipients() {
        let s =
            ReportSettings::defaults(&Dataset::default(), &letterhead()).with(SettingsOverrides {
                number: Some("15".into()),
                addressees: vec!["Thủ tướng Chính phủ".into()],
                recipients: vec!["Văn phòng Chính phủ;".into(), "Các Thứ trưởng".into()],
                archive_unit: Some("CĐSQG".into()),
                signer_name: Some("Nguyễn Văn A".into()),
                ..SettingsOverrides::default()
            });
        assert_eq!(s.number_line(), "Số: 15/BC-BTTTT");
        assert_eq!(s.signer_name, "Nguyễn Văn A");
        assert_eq!(
            s.recipient_lines(),
            vec![
                "- Như trên;",
                "- Văn phòng Chính phủ;",
                "- Các Thứ trưởng;",
                "- Lưu: VT, CĐSQG."
            ]
        );
        assert_eq!(
            s.appendix_reference(),
            "(Kèm theo Báo cáo số 15/BC-BTTTT ngày 05/1/2024 của Bộ Thông tin và Truyền thông)"
        );
        assert_eq!(
            s.issuing_body_lines(),
            vec!["BỘ THÔNG TIN", "VÀ TRUYỀN THÔNG"]
        );
        assert_eq!(s.signer_lines(), vec!["THỦ TRƯỞNG CƠ QUAN"]);
        assert_eq!(
            s.closing_sentence("Trên đây là báo cáo X."),
            "Trên đây là báo cáo X, Bộ Thông tin và Truyền thông kính báo cáo Thủ tướng Chính phủ."
        );
    }
}
