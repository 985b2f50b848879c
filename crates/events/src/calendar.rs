//! The working-day clock. Statutory time limits of administrative procedures run in
//! working days: Saturdays and Sundays are off, public holidays are off, and the
//! government's yearly adjustments move days off and make-up working days (a Saturday
//! worked in exchange for a weekday off). The calendar is data
//! (`data/calendar/vn-holidays.csv`), not code.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Weekday};

/// The built-in calendar (`data/calendar/vn-holidays.csv`).
pub const DEFAULT_CALENDAR: &str = include_str!("../../../data/calendar/vn-holidays.csv");

/// What a listed day is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    /// A day off (public holiday or a weekday swapped off).
    Holiday,
    /// A weekend day worked in exchange for a weekday off.
    WorkingDay,
}

/// A working-day calendar: weekends off, except the listed exceptions.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    exceptions: BTreeMap<NaiveDate, DayKind>,
}

impl Calendar {
    /// Read a calendar in the format of `data/calendar/vn-holidays.csv`
    /// (`date,kind,name,basis`; kind is `holiday` or `working_day`).
    pub fn from_csv(text: &str) -> Result<Calendar, String> {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let mut exceptions = BTreeMap::new();
        for (i, record) in reader.records().enumerate() {
            let line = i + 2;
            let record = record.map_err(|e| format!("lịch ngày nghỉ, dòng {line}: {e}"))?;
            let date = NaiveDate::parse_from_str(record.get(0).unwrap_or_default(), "%Y-%m-%d")
                .map_err(|e| format!("lịch ngày nghỉ, dòng {line}, cột date: {e}"))?;
            let kind = match record.get(1).unwrap_or_default() {
                "holiday" => DayKind::Holiday,
                "working_day" => DayKind::WorkingDay,
                other => {
                    return Err(format!(
                        "lịch ngày nghỉ, dòng {line}, cột kind: \"{other}\" (dùng holiday hoặc working_day)"
                    ));
                }
            };
            if exceptions.insert(date, kind).is_some() {
                return Err(format!("lịch ngày nghỉ, dòng {line}: ngày {date} bị lặp"));
            }
        }
        Ok(Calendar { exceptions })
    }

    /// The built-in Vietnamese calendar.
    pub fn vietnam() -> Calendar {
        Calendar::from_csv(DEFAULT_CALENDAR).expect("the built-in calendar is valid")
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.exceptions.get(&date) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::WorkingDay) => true,
            None => !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The number of working days `d` with `from < d <= to` (0 when `to <= from`).
    pub fn working_days_after(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        from.iter_days()
            .skip(1)
            .take_while(|d| *d <= to)
            .filter(|d| self.is_working_day(*d))
            .count() as u32
    }

    /// The date `n` working days after `date` (the date itself when `n` is 0).
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> NaiveDate {
        let mut d = date;
        let mut left = n;
        while left > 0 {
            d = d.succ_opt().expect("date in range");
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn weekends_holidays_and_make_up_days() {
        let c = Calendar::vietnam();
        assert!(c.is_working_day(d(2024, 5, 2)));
        assert!(!c.is_working_day(d(2024, 5, 1)), "1/5 is a holiday");
        assert!(
            !c.is_working_day(d(2024, 4, 29)),
            "29/4/2024 was swapped off"
        );
        assert!(
            c.is_working_day(d(2024, 5, 4)),
            "Saturday 4/5/2024 was worked in exchange"
        );
        assert!(!c.is_working_day(d(2024, 5, 5)), "Sunday");
        assert!(!c.is_working_day(d(2024, 2, 12)), "Tết");
    }

    #[test]
    fn counting_and_adding_working_days() {
        let c = Calendar::vietnam();
        // Friday 26/4/2024 → the next working day is Thursday 2/5 (27–28 weekend, 29/4–1/5 off).
        assert_eq!(c.add_working_days(d(2024, 4, 26), 1), d(2024, 5, 2));
        assert_eq!(c.add_working_days(d(2024, 4, 26), 3), d(2024, 5, 4));
        assert_eq!(c.working_days_after(d(2024, 4, 26), d(2024, 5, 4)), 3);
        assert_eq!(c.working_days_after(d(2024, 5, 6), d(2024, 5, 6)), 0);
        assert_eq!(c.add_working_days(d(2024, 5, 6), 0), d(2024, 5, 6));
    }

    #[test]
    fn rejects_bad_rows() {
        assert!(Calendar::from_csv("date,kind,name,basis\n2024-13-01,holiday,x,y\n").is_err());
        assert!(Calendar::from_csv("date,kind,name,basis\n2024-01-01,off,x,y\n").is_err());
        assert!(
            Calendar::from_csv(
                "date,kind,name,basis\n2024-01-01,holiday,x,y\n2024-01-01,holiday,x,y\n"
            )
            .is_err()
        );
    }
}
