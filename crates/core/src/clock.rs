//! One clock for every figure: the dates a figure depends on, chosen by one rule that
//! every surface (CLI report and `check`, pages, API, DOCX, PDF, XLSX) calls.
//!
//! | date | what it decides | default |
//! |---|---|---|
//! | period | which values and which "new in the period" counts | the programme's latest reporting period **by end date** |
//! | as of (valid time) | what had happened by then: completions, due dates, values of periods ending by then | the last day of the period (under the programme's reporting regime) |
//! | known on (knowledge time) | what the system had been told by then (the journal) | now |
//!
//! A report about a task counts, at an as-of date, from the day it is *valid*
//! ([`valid_on`]): a completion from its completion date, even when it was reported
//! later (a task finished in November 2023 and reported in February 2024 is done in the
//! 2023 report); any other report (in progress, not started, not applicable, or done
//! without a completion date) from the day it was made or the end of the period it is
//! about, whichever comes first (a "done" with no date in the report about period P is
//! done by the end of P). Among the reports valid at the as-of date, the one made last
//! wins.
//!
//! When a programme has reported nothing, its period is the month of the knowledge date,
//! or of the programme's last day if it ended before then. A sub-programme takes the
//! default period of its top-level programme (the report that includes it).

use chrono::NaiveDate;
use serde::Serialize;

use crate::format;
use crate::model::{Dataset, Programme, ReportedStatus};
use crate::period::{Period, ReportingRegime};

/// The dates of a figure about a programme (and its sub-programmes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FigureDates {
    pub period: Period,
    pub regime: ReportingRegime,
    /// Valid time: what had happened by this day.
    pub as_of: NaiveDate,
    /// Knowledge time: what the system had been told by this day.
    pub known_on: NaiveDate,
}

impl FigureDates {
    /// The first and last day of the period.
    pub fn bounds(&self) -> (NaiveDate, NaiveDate) {
        self.period.bounds(self.regime)
    }

    /// "tính đến ngày 31/5/2024, theo số liệu nhận đến ngày 30/11/2026".
    pub fn text_vi(&self) -> String {
        format!(
            "tính đến ngày {}, theo số liệu nhận đến ngày {}",
            format::date(self.as_of),
            format::date(self.known_on)
        )
    }

    /// "as of 31/05/2024, on the data received by 30/11/2026".
    pub fn text_en(&self) -> String {
        format!(
            "as of {}, on the data received by {}",
            self.as_of.format("%d/%m/%Y"),
            self.known_on.format("%d/%m/%Y")
        )
    }
}

/// The day from which a report about a task counts (see the module's rule).
pub fn valid_on(
    period: Period,
    regime: ReportingRegime,
    reported_on: NaiveDate,
    status: ReportedStatus,
    completed_on: Option<NaiveDate>,
) -> NaiveDate {
    match (status, completed_on) {
        (ReportedStatus::Done, Some(done)) => done,
        _ => reported_on.min(period.end(regime)),
    }
}

/// The reporting regime of a task's programme (calendar months when it has none).
pub fn regime_of_programme(data: &Dataset, programme_id: &str) -> ReportingRegime {
    data.programme(programme_id)
        .map(|p| p.regime)
        .unwrap_or_default()
}

/// The latest period in which a programme family reported anything (an observation, a
/// task update, an assignee's update or a checklist item), by the period's last day; of
/// two periods ending on the same day, the shorter (a month before its quarter). A period
/// open for entry is left out: its reports are still arriving, and one agency's early
/// entry must not move every page to it.
pub fn latest_reporting_period(
    data: &Dataset,
    programme_ids: &[&str],
    regime: ReportingRegime,
) -> Option<Period> {
    let indicators: Vec<&str> = data
        .indicators
        .iter()
        .filter(|i| programme_ids.contains(&i.programme_id.as_str()))
        .map(|i| i.id.as_str())
        .collect();
    let tasks: Vec<&str> = data
        .tasks
        .iter()
        .filter(|t| programme_ids.contains(&t.programme_id.as_str()))
        .map(|t| t.id.as_str())
        .collect();
    let observed = data
        .observations
        .iter()
        .filter(|o| indicators.contains(&o.indicator_id.as_str()))
        .map(|o| o.period);
    let updated = data
        .task_updates
        .iter()
        .filter(|u| tasks.contains(&u.task_id.as_str()))
        .map(|u| u.period);
    let own = data
        .assignment_updates
        .iter()
        .filter(|u| tasks.contains(&u.task_id.as_str()))
        .map(|u| u.period);
    let open = |p: &Period| {
        data.open_periods
            .iter()
            .any(|(programme, open)| open == p && programme_ids.contains(&programme.as_str()))
    };
    observed
        .chain(updated)
        .chain(own)
        .filter(|p| !open(p))
        .max_by_key(|p| {
            let (start, end) = p.bounds(regime);
            (end, start)
        })
}

/// The dates of the figures about `programme` and its sub-programmes: the period and the
/// as-of date given, or the defaults of the module's rule. The default period is that of
/// the top-level programme's whole family, so that a sub-programme's page, its parent's
/// page and its report show its tasks at the same date.
pub fn programme_dates(
    data: &Dataset,
    programme: &Programme,
    period: Option<Period>,
    as_of: Option<NaiveDate>,
    known_on: NaiveDate,
) -> FigureDates {
    let regime = programme.regime;
    let period = period.unwrap_or_else(|| {
        let root = data.root_programme(&programme.id).unwrap_or(programme);
        let family: Vec<&str> = data
            .programme_family(&root.id)
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        latest_reporting_period(data, &family, regime).unwrap_or_else(|| {
            Period::month_of(programme.end.map_or(known_on, |end| end.min(known_on)))
        })
    });
    FigureDates {
        period,
        regime,
        as_of: as_of.unwrap_or_else(|| period.end(regime)),
        known_on,
    }
}

/// Why a period does not fit a programme, if it does not: it ends before the programme
/// starts or starts after it ends ("2030-01" for a 2024 plan).
pub fn period_outside_programme(programme: &Programme, period: Period) -> Option<String> {
    let (start, end) = period.bounds(programme.regime);
    let before = programme.start.is_some_and(|s| end < s);
    let after = programme.end.is_some_and(|e| start > e);
    (before || after).then(|| {
        let span = |d: Option<NaiveDate>| d.map_or_else(|| "…".to_string(), format::date);
        format!("kỳ {} nằm ngoài thời gian thực hiện của {} ({}–{}): báo cáo sẽ không có số liệu của kỳ", period.label_vi(), programme.name, span(programme.start), span(programme.end))
    })
}

/// Why an agency cannot report for a period, if it cannot: it did not exist during any of
/// it (dissolved, merged, or not yet formed), with its successors by name.
pub fn agency_outside_period(
    data: &Dataset,
    agency_id: &str,
    period: Period,
    regime: ReportingRegime,
) -> Option<String> {
    let agency = data.agency(agency_id)?;
    let (start, end) = period.bounds(regime);
    if agency.valid_from.is_some_and(|f| f > end) {
        return Some(format!(
            "{} chỉ có từ ngày {}, sau kỳ {}",
            agency.name,
            format::date(agency.valid_from.expect("checked")),
            period.label_vi()
        ));
    }
    let until = agency.valid_to.filter(|t| *t < start)?;
    let successors: Vec<String> = crate::structure::successors(data, agency_id)
        .iter()
        .map(|e| {
            data.agency(&e.to_agency)
                .map_or_else(|| e.to_agency.clone(), |a| a.name.clone())
        })
        .collect();
    let next = if successors.is_empty() {
        String::new()
    } else {
        format!("; tiếp nhận: {}", successors.join(", "))
    };
    Some(format!(
        "{} không còn từ sau ngày {} (trước kỳ {}){next}",
        agency.name,
        format::date(until),
        period.label_vi()
    ))
}

/// Today in Vietnam (Asia/Ho_Chi_Minh, UTC+7, no daylight saving): the default knowledge date.
pub fn today_in_vietnam() -> NaiveDate {
    in_vietnam(chrono::Utc::now()).date()
}

/// A stored time (RFC 3339) as people in Vietnam read it: "14:30 ngày 30/11/2026"; a
/// text that is not a time is given back as it is.
pub fn vietnam_time_text(rfc3339: &str) -> String {
    vietnam_time(rfc3339, "%H:%M ngày %d/%m/%Y")
}

/// The same in English: "30/11/2026 14:30 (UTC+7)".
pub fn vietnam_time_text_en(rfc3339: &str) -> String {
    vietnam_time(rfc3339, "%d/%m/%Y %H:%M (UTC+7)")
}

fn vietnam_time(rfc3339: &str, layout: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339).map_or_else(
        |_| rfc3339.to_string(),
        |t| in_vietnam(t).format(layout).to_string(),
    )
}

/// A moment as a clock in Vietnam shows it (UTC+7, no daylight saving).
pub fn in_vietnam<Tz: chrono::TimeZone>(moment: chrono::DateTime<Tz>) -> chrono::NaiveDateTime {
    moment.naive_utc() + chrono::Duration::hours(7)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deadline::Deadline;
    use crate::model::{DoneRule, Task, TaskUpdate};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn programme() -> Programme {
        Programme {
            id: "p".into(),
            parent_id: None,
            name: "p".into(),
            short_name: String::new(),
            legal_basis: vec![],
            owner_agency: "A".into(),
            start: Some(d(2024, 1, 1)),
            end: Some(d(2024, 12, 31)),
            regime: ReportingRegime::CalendarMonth,
            provenance: String::new(),
        }
    }

    fn update(period: Period, reported_on: NaiveDate) -> TaskUpdate {
        TaskUpdate {
            task_id: "t".into(),
            period,
            reported_on,
            status: ReportedStatus::InProgress,
            completed_on: None,
            result: String::new(),
            provenance: String::new(),
        }
    }

    #[test]
    fn a_completion_counts_from_its_date_and_other_reports_from_the_end_of_their_period_at_the_latest()
     {
        let year = Period::year(2023);
        let regime = ReportingRegime::CalendarMonth;
        assert_eq!(
            valid_on(
                year,
                regime,
                d(2024, 2, 16),
                ReportedStatus::Done,
                Some(d(2023, 11, 20))
            ),
            d(2023, 11, 20)
        );
        assert_eq!(
            valid_on(year, regime, d(2024, 2, 16), ReportedStatus::Done, None),
            d(2023, 12, 31),
            "done, no date: by the end of the period"
        );
        assert_eq!(
            valid_on(
                Period::month(2024, 5),
                regime,
                d(2024, 5, 21),
                ReportedStatus::InProgress,
                None
            ),
            d(2024, 5, 21)
        );
        assert_eq!(
            valid_on(
                Period::month(2024, 5),
                ReportingRegime::Decree09,
                d(2024, 5, 21),
                ReportedStatus::InProgress,
                None
            ),
            d(2024, 5, 14)
        );
    }

    #[test]
    fn the_latest_period_is_the_one_that_ends_last_not_the_largest_code() {
        let mut data = Dataset::default();
        data.programmes.push(programme());
        data.tasks.push(Task {
            id: "t".into(),
            programme_id: "p".into(),
            number: "1".into(),
            title: "t".into(),
            assignments: vec![],
            done_rule: DoneRule::All,
            deadline: Deadline::parse("Năm 2024", 2024),
            legal_basis: vec![],
            provenance: String::new(),
        });
        data.task_updates
            .push(update(Period::half_year(2024, 1), d(2024, 7, 2)));
        data.task_updates
            .push(update(Period::month(2024, 9), d(2024, 9, 20)));
        assert!(
            Period::half_year(2024, 1) > Period::month(2024, 9),
            "the sort order of codes would pick the half year"
        );
        let regime = ReportingRegime::CalendarMonth;
        assert_eq!(
            latest_reporting_period(&data, &["p"], regime),
            Some(Period::month(2024, 9))
        );
        let dates = programme_dates(&data, &data.programmes[0], None, None, d(2026, 11, 30));
        assert_eq!(
            (dates.period, dates.as_of),
            (Period::month(2024, 9), d(2024, 9, 30))
        );
        assert_eq!(
            dates.text_vi(),
            "tính đến ngày 30/9/2024, theo số liệu nhận đến ngày 30/11/2026"
        );

        data.task_updates
            .push(update(Period::quarter(2024, 3), d(2024, 10, 2)));
        assert_eq!(
            latest_reporting_period(&data, &["p"], regime),
            Some(Period::month(2024, 9)),
            "of a month and its quarter, the month"
        );
    }

    #[test]
    fn a_period_outside_the_programme_is_said() {
        let p = programme();
        assert_eq!(period_outside_programme(&p, Period::month(2024, 5)), None);
        assert_eq!(
            period_outside_programme(&p, Period::month(2030, 1)).as_deref(),
            Some(
                "kỳ tháng 1/2030 nằm ngoài thời gian thực hiện của p (01/1/2024–31/12/2024): báo cáo sẽ không có số liệu của kỳ"
            )
        );
        assert!(period_outside_programme(&p, Period::year(2023)).is_some());
    }

    #[test]
    fn a_programme_that_reported_nothing_is_seen_at_its_end_or_today() {
        let mut data = Dataset::default();
        data.programmes.push(programme());
        let dates = programme_dates(&data, &data.programmes[0], None, None, d(2026, 11, 30));
        assert_eq!(
            (dates.period, dates.as_of),
            (Period::month(2024, 12), d(2024, 12, 31))
        );
        let dates = programme_dates(&data, &data.programmes[0], None, None, d(2024, 7, 3));
        assert_eq!(dates.as_of, d(2024, 7, 31));
    }
}
