//! The dates of a dossier's events (finding H2: three events due `+262142-12-31` made
//! compaction panic in the working-day arithmetic, for good): events of one dossier
//! with any receipt time, event times and due date of chrono's range (as NDJSON lines,
//! the way they come) are checked by `Event::from_json` (serde, then `Event::validate`),
//! and those accepted are folded with the Vietnamese calendar; never a panic, and the
//! due date pushed back by the pauses is never before the due date.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tiendo_events::calendar::Calendar;
use tiendo_events::dossier::fold;
use tiendo_events::event::{Event, EventKind};

/// A moment from the fuzzer: year, month, day, second of the day, offset in minutes.
type Moment = (i32, u8, u8, u32, i16);

/// A year from the fuzzer: anywhere in chrono's range (±262 143) and a little past it
/// when `wide`; otherwise near `base`, a year before it to five after (the bounds are three
/// and five years after receipt).
fn year(raw: i32, wide: bool, base: i32) -> i32 {
    if wide {
        raw.rem_euclid(2 * 262_150 + 1) - 262_150
    } else {
        base - 1 + raw.rem_euclid(7)
    }
}

/// A date as chrono writes it: four-digit years within 0–9999, signed outside.
fn date(year: i32, (_, month, day, _, _): Moment) -> String {
    let (month, day) = (month % 12 + 1, day % 31 + 1);
    if (0..=9999).contains(&year) {
        format!("{year:04}-{month:02}-{day:02}")
    } else {
        format!("{year:+05}-{month:02}-{day:02}")
    }
}

/// An RFC 3339 time with an offset of up to a day either way.
fn time(year: i32, moment: Moment) -> String {
    let (_, _, _, second, offset) = moment;
    let (second, offset) = (second % 86_400, i32::from(offset) % (24 * 60));
    format!(
        "{}T{:02}:{:02}:{:02}{}{:02}:{:02}",
        date(year, moment),
        second / 3600,
        second / 60 % 60,
        second % 60,
        if offset < 0 { '-' } else { '+' },
        offset.abs() / 60,
        offset.abs() % 60
    )
}

fuzz_target!(|input: (u8, Moment, Moment, Vec<(u8, Moment)>)| {
    static CALENDAR: OnceLock<Calendar> = OnceLock::new();
    let calendar = CALENDAR.get_or_init(Calendar::vietnam);
    let (wide, received, due, events) = input;
    // Around the years accepted (2000–2100) unless wide.
    let base = year(
        received.0,
        (wide & 1) != 0,
        1991 + received.0.rem_euclid(118),
    );
    let received_at = time(base, received);
    let due_date = date(year(due.0, (wide & 2) != 0, base), due);
    let mut accepted: Vec<Event> = Vec::new();
    for (i, (kind, moment)) in events.into_iter().take(16).enumerate() {
        let kind = EventKind::ALL[usize::from(kind) % EventKind::ALL.len()];
        let at = if kind == EventKind::Received {
            received_at.clone()
        } else {
            time(year(moment.0, (wide & 4) != 0, base), moment)
        };
        let line = format!(
            r#"{{"event_id":"e{i}","source":"s","agency_id":"A","dossier_id":"H","procedure_code":"P","service_level":"full_online","fee":false,"channel":2,"type":"{}","time":"{at}","received_at":"{received_at}","due_date":"{due_date}"}}"#,
            kind.code()
        );
        if let Ok(event) = Event::from_json(&line) {
            assert!(event.validate().is_ok());
            let _ = event.partition();
            accepted.push(event);
        }
    }
    if accepted.is_empty() {
        return;
    }
    let facts = fold(&mut accepted, calendar);
    assert!(facts.effective_due >= facts.due, "{accepted:?}");
});
