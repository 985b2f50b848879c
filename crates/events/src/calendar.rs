//! The working-day clock. Statutory time limits of administrative procedures run in
//! working days: Saturdays and Sundays are off, public holidays are off, and the
//! government's yearly adjustments move days off and make-up working days (a Saturday
//! worked in exchange for a weekday off). The calendar is data
//! (`data/calendar/vn-holidays.csv`), not code.

use std::collections::BTreeMap;
use std::ops::Bound;

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
            None => !is_weekend(date),
        }
    }

    /// The number of working days `d` with `from < d <= to` (0 when `to <= from`).
    ///
    /// Counted, not walked: the weekdays of the span by arithmetic, then each listed
    /// exception in it, so any two dates of chrono's range cost the same (a dossier's
    /// event from far in the future, stored before the bounds of
    /// [`Event::validate`](crate::event::Event::validate), once took a walk of millions of
    /// days).
    pub fn working_days_after(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        if to <= from {
            return 0;
        }
        let mut count = weekdays_to(day_number(to)) - weekdays_to(day_number(from));
        for (date, kind) in self
            .exceptions
            .range((Bound::Excluded(from), Bound::Included(to)))
        {
            match (kind, is_weekend(*date)) {
                (DayKind::Holiday, false) => count -= 1,
                (DayKind::WorkingDay, true) => count += 1,
                _ => {}
            }
        }
        u32::try_from(count.max(0)).unwrap_or(u32::MAX)
    }

    /// The date `n` working days after `date` (the date itself when `n` is 0); the last
    /// date chrono can represent ([`NaiveDate::MAX`]) when that is further. Never panics:
    /// a due date far in the future that an event stored before the bounds of
    /// [`Event::validate`](crate::event::Event::validate) carries is pushed back to
    /// `NaiveDate::MAX` at most (it overflowed and stopped compaction for good).
    ///
    /// Jumps over the weekdays between the listed exceptions, so it costs one step per
    /// exception passed, whatever `n`.
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> NaiveDate {
        let mut day = date;
        let mut left = i64::from(n);
        while left > 0 {
            // Where weekday counting alone would end.
            let plain = nth_weekday_after(day_number(day), left);
            let next = self
                .exceptions
                .range((Bound::Excluded(day), Bound::Unbounded))
                .next();
            let Some((&exception, &kind)) = next.filter(|(e, _)| day_number(**e) <= plain) else {
                return date_of(plain);
            };
            // No other exception comes between: count the weekdays up to the day before
            // the exception (fewer than `left`, since weekday counting alone ends on it
            // or after it), then the exception itself.
            let before = day_number(exception) - 1;
            left -= weekdays_to(before) - weekdays_to(day_number(day));
            day = exception;
            if kind == DayKind::WorkingDay {
                left -= 1;
            }
        }
        day
    }
}

/// A date as a day number (1 January of year 1 is day 1, a Monday).
fn day_number(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce())
}

/// The date of a day number; [`NaiveDate::MAX`] past the end of chrono's range (only
/// ever asked for dates after a given one).
fn date_of(number: i64) -> NaiveDate {
    i32::try_from(number)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .unwrap_or(NaiveDate::MAX)
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The number of weekdays (Monday to Friday) among days `1..=number`, extended below day 1
/// so that `weekdays_to(b) - weekdays_to(a)` counts the weekdays of `a < d <= b` for any
/// `a <= b`. Day `7q + r` (`r` in 1..=7) is the `r`-th day of a week starting on Monday.
fn weekdays_to(number: i64) -> i64 {
    5 * number.div_euclid(7) + number.rem_euclid(7).min(5)
}

/// The day number of the `n`-th weekday after day `number` (`n` ≥ 1).
fn nth_weekday_after(number: i64, n: i64) -> i64 {
    let target = weekdays_to(number) + n - 1;
    7 * target.div_euclid(5) + target.rem_euclid(5) + 1
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

    /// Day by day, as the clock was computed before it was counted: the reference.
    fn walked_working_days_after(c: &Calendar, from: NaiveDate, to: NaiveDate) -> u32 {
        from.iter_days()
            .skip(1)
            .take_while(|d| *d <= to)
            .filter(|d| c.is_working_day(*d))
            .count() as u32
    }

    fn walked_add_working_days(c: &Calendar, date: NaiveDate, n: u32) -> NaiveDate {
        let mut d = date;
        let mut left = n;
        while left > 0 {
            d = d.succ_opt().unwrap();
            if c.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    #[test]
    fn counting_agrees_with_walking_day_by_day() {
        let c = Calendar::vietnam();
        assert_eq!(d(1, 1, 1).weekday(), Weekday::Mon, "day 1 is a Monday");
        let first = *c.exceptions.keys().next().unwrap();
        let last = *c.exceptions.keys().next_back().unwrap();
        let mut starts: Vec<NaiveDate> = (0..40)
            .map(|i| first - chrono::Days::new(20) + chrono::Days::new(i * 97))
            .collect();
        starts.extend((0..14).map(|i| last - chrono::Days::new(10) + chrono::Days::new(i)));
        starts.extend([d(-3, 12, 25), d(1, 1, 1), d(1970, 1, 1), d(2024, 4, 26)]);
        starts.extend(c.exceptions.keys().copied());
        for start in starts {
            for n in [0, 1, 2, 3, 4, 5, 6, 7, 11, 23, 60, 400] {
                let end = c.add_working_days(start, n);
                assert_eq!(end, walked_add_working_days(&c, start, n), "{start} + {n}");
                assert_eq!(c.working_days_after(start, end), n, "{start} .. {end}");
                for back in [0, 1, 2, 3] {
                    let to = end - chrono::Days::new(back);
                    assert_eq!(
                        c.working_days_after(start, to),
                        walked_working_days_after(&c, start, to),
                        "{start} .. {to}"
                    );
                }
            }
        }
    }

    /// A due date at the end of chrono's range, pushed back by the days a dossier waited:
    /// `succ_opt().expect` panicked there, in every compaction after (finding H2).
    #[test]
    fn arithmetic_near_the_ends_of_the_date_range_never_panics() {
        let c = Calendar::vietnam();
        let near_end = d(262142, 12, 31);
        for date in [
            near_end,
            NaiveDate::MAX,
            NaiveDate::MAX - chrono::Days::new(3),
        ] {
            for n in [0, 1, 2, 5, 1_000, u32::MAX] {
                let end = c.add_working_days(date, n);
                assert!(end >= date);
                assert!(n == 0 || end > date || date == NaiveDate::MAX);
            }
        }
        assert_eq!(c.add_working_days(near_end, 10_000), NaiveDate::MAX);
        assert_eq!(c.add_working_days(NaiveDate::MIN, u32::MAX), NaiveDate::MAX);
        assert_eq!(
            c.add_working_days(NaiveDate::MIN, 3),
            walked_add_working_days(&c, NaiveDate::MIN, 3)
        );
        // The whole range, counted at once (a walk of 191 million days before).
        let all = c.working_days_after(NaiveDate::MIN, NaiveDate::MAX);
        assert!(all > 130_000_000, "{all}");
        assert_eq!(c.working_days_after(NaiveDate::MAX, NaiveDate::MIN), 0);
        assert_eq!(
            c.working_days_after(near_end, NaiveDate::MAX),
            walked_working_days_after(&c, near_end, NaiveDate::MAX)
        );
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
