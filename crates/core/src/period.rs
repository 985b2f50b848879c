//! Reporting periods (kỳ báo cáo) and the cut-off rules of reporting regimes.
//!
//! A period is named by its calendar extent ("tháng 5/2024", "Quý II/2024", "6 tháng đầu
//! năm 2024", "9 tháng năm 2024", "năm 2024"). Which days it actually covers depends on
//! the programme's reporting regime: calendar months, or the rule of Nghị định
//! 09/2019/NĐ-CP where a month runs from the 15th of the previous month to the 14th of
//! the month, and a year from 15/12 of the previous year to 14/12.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The kind of a reporting period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PeriodKind {
    Month,
    Quarter,
    /// Six months: H1 is the first half, H2 the second.
    HalfYear,
    /// The first nine months of the year.
    NineMonths,
    Year,
}

/// A reporting period. `index` is the month (1–12), quarter (1–4) or half (1–2);
/// it is 1 for nine months and for a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Period {
    pub year: i32,
    pub kind: PeriodKind,
    pub index: u32,
}

/// How the days of a period are cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum ReportingRegime {
    /// Calendar months, quarters and years.
    #[default]
    CalendarMonth,
    /// Nghị định 09/2019/NĐ-CP: from the 15th of the month before the period's first
    /// month to the 14th of its last month.
    Decree09,
}

impl ReportingRegime {
    pub const ALL: [ReportingRegime; 2] =
        [ReportingRegime::CalendarMonth, ReportingRegime::Decree09];

    pub fn code(self) -> &'static str {
        match self {
            ReportingRegime::CalendarMonth => "calendar",
            ReportingRegime::Decree09 => "nd09-2019",
        }
    }

    /// How many days after a period's last day (the figures' cut-off) the agencies'
    /// reports are due: the 20th of the month under Nghị định 09/2019 (cut-off on the
    /// 14th); the 5th of the next month for calendar periods.
    pub fn days_to_submit(self) -> i64 {
        match self {
            ReportingRegime::CalendarMonth => 5,
            ReportingRegime::Decree09 => 6,
        }
    }
}

impl FromStr for ReportingRegime {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|r| r.code() == s)
            .ok_or_else(|| {
                format!("chế độ báo cáo không hợp lệ: \"{s}\" (dùng calendar hoặc nd09-2019)")
            })
    }
}

/// An error in a period code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("mã kỳ báo cáo không hợp lệ: \"{0}\" (ví dụ: 2024-05, 2024-Q2, 2024-H1, 2024-9M, 2024)")]
pub struct PeriodParseError(pub String);

impl Period {
    pub fn month(year: i32, month: u32) -> Period {
        assert!((1..=12).contains(&month), "month out of range");
        Period {
            year,
            kind: PeriodKind::Month,
            index: month,
        }
    }
    pub fn quarter(year: i32, quarter: u32) -> Period {
        assert!((1..=4).contains(&quarter), "quarter out of range");
        Period {
            year,
            kind: PeriodKind::Quarter,
            index: quarter,
        }
    }
    pub fn half_year(year: i32, half: u32) -> Period {
        assert!((1..=2).contains(&half), "half out of range");
        Period {
            year,
            kind: PeriodKind::HalfYear,
            index: half,
        }
    }
    pub fn nine_months(year: i32) -> Period {
        Period {
            year,
            kind: PeriodKind::NineMonths,
            index: 1,
        }
    }
    pub fn year(year: i32) -> Period {
        Period {
            year,
            kind: PeriodKind::Year,
            index: 1,
        }
    }

    /// First and last calendar month covered by the period.
    pub fn month_span(&self) -> (u32, u32) {
        match self.kind {
            PeriodKind::Month => (self.index, self.index),
            PeriodKind::Quarter => (self.index * 3 - 2, self.index * 3),
            PeriodKind::HalfYear => (self.index * 6 - 5, self.index * 6),
            PeriodKind::NineMonths => (1, 9),
            PeriodKind::Year => (1, 12),
        }
    }

    /// The first and last day (inclusive) of the period under a regime.
    pub fn bounds(&self, regime: ReportingRegime) -> (NaiveDate, NaiveDate) {
        let (first, last) = self.month_span();
        match regime {
            ReportingRegime::CalendarMonth => {
                (first_day(self.year, first), last_day(self.year, last))
            }
            ReportingRegime::Decree09 => {
                let (py, pm) = if first == 1 {
                    (self.year - 1, 12)
                } else {
                    (self.year, first - 1)
                };
                (ymd(py, pm, 15), ymd(self.year, last, 14))
            }
        }
    }

    pub fn start(&self, regime: ReportingRegime) -> NaiveDate {
        self.bounds(regime).0
    }

    /// The last day to send an agency's report on this period under `regime`.
    pub fn submission_deadline(&self, regime: ReportingRegime) -> NaiveDate {
        self.end(regime) + chrono::Duration::days(regime.days_to_submit())
    }

    pub fn end(&self, regime: ReportingRegime) -> NaiveDate {
        self.bounds(regime).1
    }

    /// The period of the same kind just before this one ("tháng 4/2024" for "tháng 5/2024").
    pub fn previous(&self) -> Period {
        match self.kind {
            PeriodKind::Month if self.index == 1 => Period::month(self.year - 1, 12),
            PeriodKind::Quarter if self.index == 1 => Period::quarter(self.year - 1, 4),
            PeriodKind::HalfYear if self.index == 1 => Period::half_year(self.year - 1, 2),
            PeriodKind::Month | PeriodKind::Quarter | PeriodKind::HalfYear => Period {
                index: self.index - 1,
                ..*self
            },
            PeriodKind::NineMonths | PeriodKind::Year => Period {
                year: self.year - 1,
                ..*self
            },
        }
    }

    /// The period of the same kind just after this one.
    pub fn next(&self) -> Period {
        match self.kind {
            PeriodKind::Month if self.index == 12 => Period::month(self.year + 1, 1),
            PeriodKind::Quarter if self.index == 4 => Period::quarter(self.year + 1, 1),
            PeriodKind::HalfYear if self.index == 2 => Period::half_year(self.year + 1, 1),
            PeriodKind::Month | PeriodKind::Quarter | PeriodKind::HalfYear => Period {
                index: self.index + 1,
                ..*self
            },
            PeriodKind::NineMonths | PeriodKind::Year => Period {
                year: self.year + 1,
                ..*self
            },
        }
    }

    /// The calendar month that contains a date.
    pub fn month_of(date: NaiveDate) -> Period {
        Period::month(date.year(), date.month())
    }

    /// The machine code: 2024-05, 2024-Q2, 2024-H1, 2024-9M, 2024.
    pub fn code(&self) -> String {
        match self.kind {
            PeriodKind::Month => format!("{:04}-{:02}", self.year, self.index),
            PeriodKind::Quarter => format!("{:04}-Q{}", self.year, self.index),
            PeriodKind::HalfYear => format!("{:04}-H{}", self.year, self.index),
            PeriodKind::NineMonths => format!("{:04}-9M", self.year),
            PeriodKind::Year => format!("{:04}", self.year),
        }
    }

    /// The Vietnamese name as written in reports: "tháng 5/2024", "Quý II/2024",
    /// "6 tháng đầu năm 2024", "6 tháng cuối năm 2024", "9 tháng năm 2024", "năm 2024".
    pub fn label_vi(&self) -> String {
        match self.kind {
            PeriodKind::Month => format!("tháng {}/{}", self.index, self.year),
            PeriodKind::Quarter => {
                format!("Quý {}/{}", crate::format::roman(self.index), self.year)
            }
            PeriodKind::HalfYear if self.index == 1 => format!("6 tháng đầu năm {}", self.year),
            PeriodKind::HalfYear => format!("6 tháng cuối năm {}", self.year),
            PeriodKind::NineMonths => format!("9 tháng năm {}", self.year),
            PeriodKind::Year => format!("năm {}", self.year),
        }
    }

    /// The English name: "May 2024", "Q2 2024", "H1 2024", "first nine months of 2024", "2024".
    pub fn label_en(&self) -> String {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        match self.kind {
            PeriodKind::Month => format!("{} {}", MONTHS[self.index as usize - 1], self.year),
            PeriodKind::Quarter => format!("Q{} {}", self.index, self.year),
            PeriodKind::HalfYear => format!("H{} {}", self.index, self.year),
            PeriodKind::NineMonths => format!("first nine months of {}", self.year),
            PeriodKind::Year => format!("{}", self.year),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

impl FromStr for Period {
    type Err = PeriodParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || PeriodParseError(s.to_string());
        let t = s.trim();
        let (year_text, rest) = match t.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (t, None),
        };
        if year_text.len() != 4 || !year_text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
        let year: i32 = year_text.parse().map_err(|_| err())?;
        let number = |text: &str, max: u32| -> Result<u32, PeriodParseError> {
            let n: u32 = text.parse().map_err(|_| err())?;
            if (1..=max).contains(&n) && text.bytes().all(|b| b.is_ascii_digit()) {
                Ok(n)
            } else {
                Err(err())
            }
        };
        Ok(match rest {
            None => Period::year(year),
            Some("9M") => Period::nine_months(year),
            Some(r) if r.starts_with('Q') => Period::quarter(year, number(&r[1..], 4)?),
            Some(r) if r.starts_with('H') => Period::half_year(year, number(&r[1..], 2)?),
            Some(r) if r.len() == 2 => Period::month(year, number(r, 12)?),
            Some(_) => return Err(err()),
        })
    }
}

pub(crate) fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("valid calendar date")
}

pub(crate) fn first_day(year: i32, month: u32) -> NaiveDate {
    ymd(year, month, 1)
}

/// The last day of a calendar month.
pub fn last_day(year: i32, month: u32) -> NaiveDate {
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    ymd(ny, nm, 1)
        .pred_opt()
        .expect("a day before the first of a month")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by fuzzing (typed_values): "0222" was read as the year 222 whose code "222"
    /// did not read back. A code always has four digits of year.
    #[test]
    fn a_year_with_a_leading_zero_reads_back_from_its_code() {
        for text in ["0222", "0222-05", "0999-Q4", "0001-H2", "0100-9M"] {
            let period: Period = text.parse().unwrap();
            assert_eq!(period.code(), text);
            assert_eq!(period.code().parse::<Period>().unwrap(), period);
        }
    }

    #[test]
    fn calendar_bounds() {
        let may = Period::month(2024, 5);
        assert_eq!(
            may.bounds(ReportingRegime::CalendarMonth),
            (ymd(2024, 5, 1), ymd(2024, 5, 31))
        );
        assert_eq!(
            Period::month(2024, 2).end(ReportingRegime::CalendarMonth),
            ymd(2024, 2, 29)
        );
        assert_eq!(
            Period::quarter(2024, 2).bounds(ReportingRegime::CalendarMonth),
            (ymd(2024, 4, 1), ymd(2024, 6, 30))
        );
        assert_eq!(
            Period::half_year(2024, 2).start(ReportingRegime::CalendarMonth),
            ymd(2024, 7, 1)
        );
        assert_eq!(
            Period::nine_months(2024).end(ReportingRegime::CalendarMonth),
            ymd(2024, 9, 30)
        );
    }

    #[test]
    fn decree_09_cut_off() {
        let r = ReportingRegime::Decree09;
        assert_eq!(
            Period::month(2024, 5).bounds(r),
            (ymd(2024, 4, 15), ymd(2024, 5, 14))
        );
        assert_eq!(
            Period::month(2024, 1).bounds(r),
            (ymd(2023, 12, 15), ymd(2024, 1, 14))
        );
        assert_eq!(
            Period::year(2024).bounds(r),
            (ymd(2023, 12, 15), ymd(2024, 12, 14))
        );
        assert_eq!(
            Period::half_year(2024, 1).bounds(r),
            (ymd(2023, 12, 15), ymd(2024, 6, 14))
        );
        assert_eq!(
            Period::quarter(2024, 3).bounds(r),
            (ymd(2024, 6, 15), ymd(2024, 9, 14))
        );
    }

    #[test]
    fn codes_round_trip_and_labels() {
        for code in [
            "2024-05", "2024-Q2", "2024-H1", "2024-H2", "2024-9M", "2024", "2023-12",
        ] {
            let p: Period = code.parse().unwrap();
            assert_eq!(p.code(), code);
        }
        for bad in [
            "2024-13", "2024-Q5", "24-05", "2024-5", "2024-H3", "2024-M5", "", "2024-",
        ] {
            assert!(bad.parse::<Period>().is_err(), "{bad} should not parse");
        }
        assert_eq!(Period::quarter(2024, 2).label_vi(), "Quý II/2024");
        assert_eq!(Period::month(2024, 5).label_vi(), "tháng 5/2024");
        assert_eq!(
            Period::half_year(2024, 1).label_vi(),
            "6 tháng đầu năm 2024"
        );
    }

    #[test]
    fn previous_periods() {
        assert_eq!(Period::month(2024, 1).previous(), Period::month(2023, 12));
        assert_eq!(Period::month(2024, 5).previous(), Period::month(2024, 4));
        assert_eq!(
            Period::quarter(2024, 1).previous(),
            Period::quarter(2023, 4)
        );
        assert_eq!(Period::year(2024).previous(), Period::year(2023));
        assert_eq!(Period::month(2024, 12).next(), Period::month(2025, 1));
        assert_eq!(Period::quarter(2024, 2).next(), Period::quarter(2024, 3));
    }
}
