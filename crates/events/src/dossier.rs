//! From the events of one dossier to the facts the indicators count (DOMAIN §4):
//!
//! - **Finish**: the dossier finished at its `processed` event; without one, at its
//!   `returned` event; without either, at its `stopped` event (done > result returned >
//!   stopped or refused). Of several events of the chosen kind, the earliest counts.
//! - **Pauses**: each `supplement_requested` stops the clock until the next
//!   `supplemented` (or the finish); the working days paused push the due date back by
//!   as many working days.
//! - **On time**: finished on or before the (pushed back) due date, with at most one
//!   request to supplement; more than one request counts as late.
//! - **Unfinished**: not judged while waiting for the applicant; otherwise late from the
//!   day after its due date (each period judges it at its end, see [`crate::query`]).

use chrono::NaiveDate;

use crate::calendar::Calendar;
use crate::event::{Channel, Event, EventKind, ResultKind, ServiceLevel};

/// The rating from which a dossier counts as satisfied (1–5 scale).
pub const SATISFIED_FROM: u8 = 4;

/// What one dossier contributes to the indicators.
#[derive(Debug, Clone, PartialEq)]
pub struct DossierFacts {
    pub agency_id: String,
    pub procedure_code: String,
    pub service_level: ServiceLevel,
    pub fee: bool,
    pub channel: Channel,
    pub received: NaiveDate,
    /// The statutory due date as received.
    pub due: NaiveDate,
    /// The due date pushed back by the working days spent waiting for the applicant.
    pub effective_due: NaiveDate,
    pub paused_working_days: u32,
    pub supplement_requests: u32,
    /// Waiting for the applicant now (a request without a supplement, not finished).
    pub waiting: bool,
    /// The day and kind of the finishing event.
    pub finished: Option<(NaiveDate, EventKind)>,
    pub electronic_result: bool,
    pub digitised: bool,
    pub reused_data: bool,
    pub eid: bool,
    pub paid_online: bool,
    pub satisfaction: Option<u8>,
}

impl DossierFacts {
    /// Judged on time (None while unfinished).
    pub fn on_time(&self) -> Option<bool> {
        self.finished
            .map(|(day, _)| day <= self.effective_due && self.supplement_requests <= 1)
    }

    /// Full online (toàn trình): submitted online for a full-online procedure, and, when
    /// the procedure bears a fee, paid online.
    pub fn full_online(&self) -> bool {
        self.channel == Channel::Online
            && self.service_level == ServiceLevel::FullOnline
            && (!self.fee || self.paid_online)
    }

    /// Whether the dossier is overdue on a day: unfinished on that day (or finished
    /// after it), not waiting for the applicant, and past its due date.
    pub fn late_finish_or_open(&self) -> bool {
        match self.finished {
            Some((day, _)) => day > self.effective_due,
            None => !self.waiting,
        }
    }
}

fn finish_rank(kind: EventKind) -> Option<u8> {
    match kind {
        EventKind::Processed => Some(0),
        EventKind::Returned => Some(1),
        EventKind::Stopped => Some(2),
        _ => None,
    }
}

/// Fold the events of one dossier (any order; duplicates already removed).
///
/// Never panics, whatever the dates: the events from outside are bounded by
/// [`Event::validate`], but the log or the tables may hold events accepted before those
/// bounds (a due date in year 262142 once overflowed the working-day arithmetic here and
/// stopped every compaction after it); their dates saturate at [`NaiveDate::MAX`].
pub fn fold(events: &mut [Event], calendar: &Calendar) -> DossierFacts {
    assert!(!events.is_empty(), "a dossier has at least one event");
    events.sort_by(|a, b| (a.time, a.kind, &a.event_id).cmp(&(b.time, b.kind, &b.event_id)));
    let header = events
        .iter()
        .find(|e| e.kind == EventKind::Received)
        .unwrap_or(&events[0]);

    let finished = events
        .iter()
        .filter_map(|e| finish_rank(e.kind).map(|r| (r, e.time, e.day(), e.kind)))
        .min()
        .map(|(_, _, day, kind)| (day, kind));

    let mut paused: u32 = 0;
    let mut requests: u32 = 0;
    let mut open_request: Option<NaiveDate> = None;
    for e in events.iter() {
        match e.kind {
            EventKind::SupplementRequested => {
                requests = requests.saturating_add(1);
                if open_request.is_none() {
                    open_request = Some(e.day());
                }
            }
            EventKind::Supplemented => {
                if let Some(from) = open_request.take() {
                    paused = paused.saturating_add(calendar.working_days_after(from, e.day()));
                }
            }
            _ => {}
        }
    }
    let waiting = match (open_request, finished) {
        (Some(from), Some((day, _))) => {
            paused = paused.saturating_add(calendar.working_days_after(from, day));
            false
        }
        (Some(_), None) => true,
        (None, _) => false,
    };

    DossierFacts {
        agency_id: header.agency_id.clone(),
        procedure_code: header.procedure_code.clone(),
        service_level: header.service_level,
        fee: header.fee,
        channel: header.channel,
        received: header.received_day(),
        due: header.due_date,
        effective_due: calendar.add_working_days(header.due_date, paused),
        paused_working_days: paused,
        supplement_requests: requests,
        waiting,
        finished,
        electronic_result: events
            .iter()
            .any(|e| e.result_kind == Some(ResultKind::Electronic)),
        digitised: events.iter().any(|e| e.digitised),
        reused_data: events.iter().any(|e| e.reused_data),
        eid: events.iter().any(|e| e.eid),
        paid_online: events.iter().any(|e| e.paid_online),
        satisfaction: events.iter().rev().find_map(|e| e.satisfaction),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn event(id: &str, kind: EventKind, time: &str) -> Event {
        Event {
            event_id: id.to_string(),
            source: "s".to_string(),
            agency_id: "A".to_string(),
            dossier_id: "H".to_string(),
            procedure_code: "P".to_string(),
            service_level: ServiceLevel::FullOnline,
            fee: false,
            channel: Channel::Online,
            kind,
            time: DateTime::parse_from_rfc3339(&format!("{time}T09:00:00+07:00")).unwrap(),
            received_at: DateTime::parse_from_rfc3339("2024-05-06T09:00:00+07:00").unwrap(),
            due_date: NaiveDate::from_ymd_opt(2024, 5, 10).unwrap(),
            result_kind: None,
            digitised: false,
            reused_data: false,
            eid: false,
            paid_online: false,
            satisfaction: None,
        }
    }

    fn facts(events: Vec<Event>) -> DossierFacts {
        let mut events = events;
        fold(&mut events, &Calendar::vietnam())
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 5, d).unwrap()
    }

    #[test]
    fn done_takes_precedence_over_returned_and_stopped() {
        // Processed on the due date, result returned after it: on time (done counts).
        let f = facts(vec![
            event("1", EventKind::Received, "2024-05-06"),
            event("3", EventKind::Returned, "2024-05-13"),
            event("2", EventKind::Processed, "2024-05-10"),
        ]);
        assert_eq!(f.finished, Some((day(10), EventKind::Processed)));
        assert_eq!(f.on_time(), Some(true));
        // Without a done event, the return counts, then the stop.
        let f = facts(vec![
            event("1", EventKind::Received, "2024-05-06"),
            event("2", EventKind::Stopped, "2024-05-09"),
            event("3", EventKind::Returned, "2024-05-13"),
        ]);
        assert_eq!(f.finished, Some((day(13), EventKind::Returned)));
        assert_eq!(f.on_time(), Some(false));
        let f = facts(vec![
            event("1", EventKind::Received, "2024-05-06"),
            event("2", EventKind::Stopped, "2024-05-08"),
        ]);
        assert_eq!(f.finished, Some((day(8), EventKind::Stopped)));
        assert_eq!(f.on_time(), Some(true));
    }

    #[test]
    fn waiting_for_the_applicant_does_not_count() {
        // Request on Tuesday 7/5, supplemented on Monday 13/5: working days 8, 9, 10, 13
        // are paused, so the due date 10/5 moves 4 working days to Thursday 16/5.
        let f = facts(vec![
            event("1", EventKind::Received, "2024-05-06"),
            event("2", EventKind::SupplementRequested, "2024-05-07"),
            event("3", EventKind::Supplemented, "2024-05-13"),
            event("4", EventKind::Processed, "2024-05-16"),
        ]);
        assert_eq!(f.paused_working_days, 4);
        assert_eq!(f.effective_due, day(16));
        assert_eq!(f.on_time(), Some(true));
        // The same without the pause would be late.
        let f = facts(vec![
            event("1", EventKind::Received, "2024-05-06"),
            event("4", EventKind::Processed, "2024-05-16"),
        ]);
        assert_eq!(f.on_time(), Some(false));
    }

    #[test]
    fn a_second_request_to_supplement_is_late() {
        let f = facts(vec![
            event("1", EventKind::Received, "2024-05-06"),
            event("2", EventKind::SupplementRequested, "2024-05-07"),
            event("3", EventKind::Supplemented, "2024-05-07"),
            event("4", EventKind::SupplementRequested, "2024-05-08"),
            event("5", EventKind::Supplemented, "2024-05-08"),
            event("6", EventKind::Processed, "2024-05-09"),
        ]);
        assert_eq!(f.supplement_requests, 2);
        assert_eq!(f.on_time(), Some(false));
    }

    #[test]
    fn unfinished_dossiers() {
        let waiting = facts(vec![
            event("1", EventKind::Received, "2024-05-06"),
            event("2", EventKind::SupplementRequested, "2024-05-07"),
        ]);
        assert!(waiting.waiting);
        assert_eq!(waiting.on_time(), None);
        assert!(!waiting.late_finish_or_open());
        let open = facts(vec![event("1", EventKind::Received, "2024-05-06")]);
        assert!(open.late_finish_or_open());
        // A request left open until a stop pauses the clock up to the stop.
        let stopped = facts(vec![
            event("1", EventKind::Received, "2024-05-06"),
            event("2", EventKind::SupplementRequested, "2024-05-09"),
            event("3", EventKind::Stopped, "2024-05-15"),
        ]);
        assert_eq!(stopped.paused_working_days, 4);
        assert_eq!(stopped.on_time(), Some(true));
    }

    /// Events stored before the bounds of [`Event::validate`] (finding H2): the due date
    /// `+262142-12-31`, pushed back by the days waited, overflowed `add_working_days`.
    #[test]
    fn dates_at_the_end_of_the_range_saturate_instead_of_panicking() {
        let far = NaiveDate::from_ymd_opt(262142, 12, 31).unwrap();
        let mut events = vec![
            event("1", EventKind::Received, "2024-05-06"),
            event("2", EventKind::SupplementRequested, "2024-05-07"),
            event("3", EventKind::Supplemented, "2024-05-13"),
        ];
        for e in &mut events {
            e.due_date = far;
            assert!(e.validate().is_err(), "refused from outside now");
        }
        let f = facts(events.clone());
        assert_eq!(f.paused_working_days, 4);
        assert_eq!(f.effective_due, NaiveDate::MAX);
        // Times at both ends of chrono's range too.
        events[2].time = DateTime::<chrono::Utc>::MAX_UTC.fixed_offset();
        events[1].time = DateTime::<chrono::Utc>::MIN_UTC.fixed_offset();
        events.push(event("4", EventKind::Processed, "2024-05-08"));
        events[3].time = DateTime::<chrono::Utc>::MAX_UTC
            .with_timezone(&chrono::FixedOffset::east_opt(86_399).unwrap());
        let f = facts(events);
        assert_eq!(f.effective_due, NaiveDate::MAX);
    }

    #[test]
    fn full_online_needs_online_payment_when_there_is_a_fee() {
        let mut e = event("1", EventKind::Received, "2024-05-06");
        assert!(facts(vec![e.clone()]).full_online());
        e.fee = true;
        assert!(!facts(vec![e.clone()]).full_online());
        e.paid_online = true;
        assert!(facts(vec![e.clone()]).full_online());
        e.channel = Channel::InPerson;
        assert!(!facts(vec![e]).full_online());
    }
}
