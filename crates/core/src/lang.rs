//! The two languages of every surface: Vietnamese first, English second.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// Pick the Vietnamese or the English text.
    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        if self == Lang::Vi { vi } else { en }
    }

    /// A journal time (RFC 3339, UTC) in Vietnam's time: "14:30 ngày 30/11/2026".
    pub fn local_time(self, rfc3339: &str) -> String {
        if self == Lang::Vi {
            crate::clock::vietnam_time_text(rfc3339)
        } else {
            crate::clock::vietnam_time_text_en(rfc3339)
        }
    }
}
