//! Synthetic dossier events (`tiendo gen-events`): deterministic for a seed, with skewed
//! procedure popularity (Zipf), a weekly and seasonal rhythm, working-day time limits,
//! and plausible shares of online submission, supplements, late and stopped dossiers,
//! online payment, digitisation and ratings. Events after the end of the window are not
//! emitted (those dossiers are still in progress).
//!
//! Dossiers come in order of their receipt day, as a procedure system would send them,
//! and each draws from its own random stream (the seed and its number): so the output
//! can be written in parts (`--part K/P`), each part a stretch of time, and the parts
//! put together are the whole.

use std::io::{self, Write};

use chrono::{Datelike, FixedOffset, NaiveDate, TimeZone, Weekday};

use crate::calendar::Calendar;
use crate::event::{Channel, Event, EventKind, LOCAL_OFFSET_SECONDS, ResultKind, ServiceLevel};

/// A small, fast, deterministic generator (SplitMix64).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    /// The stream of item `n` of a seed, independent of every other item's.
    pub fn for_item(seed: u64, n: u64) -> Rng {
        let mut mixer = Rng(seed ^ n.wrapping_mul(0xD1B5_4A32_D192_ED03));
        Rng(mixer.next_u64())
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

/// Sample an index from cumulative weights.
fn pick(cumulative: &[f64], rng: &mut Rng) -> usize {
    let total = *cumulative.last().expect("weights");
    let x = rng.unit() * total;
    cumulative
        .partition_point(|c| *c <= x)
        .min(cumulative.len() - 1)
}

fn cumulative(weights: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut acc = 0.0;
    weights
        .map(|w| {
            acc += w;
            acc
        })
        .collect()
}

struct Procedure {
    code: String,
    level: ServiceLevel,
    fee: bool,
    limit_days: u32,
}

/// The generation parameters.
#[derive(Debug, Clone)]
pub struct Spec {
    pub dossiers: u64,
    pub seed: u64,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub agencies: Vec<String>,
    pub part: Part,
}

/// Part `index` (from 0) of `count` equal parts of the dossiers, in receipt order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    pub index: u64,
    pub count: u64,
}

impl Part {
    pub const WHOLE: Part = Part { index: 0, count: 1 };

    /// The dossier numbers of this part of `total`.
    pub fn range(&self, total: u64) -> std::ops::Range<u64> {
        let at = |i: u64| (u128::from(total) * u128::from(i) / u128::from(self.count)) as u64;
        at(self.index)..at(self.index + 1)
    }
}

impl std::str::FromStr for Part {
    type Err = String;
    /// `K/P`, K from 1 to P.
    fn from_str(s: &str) -> Result<Part, String> {
        let (k, p) = s
            .split_once('/')
            .ok_or_else(|| format!("\"{s}\": cần dạng K/P, ví dụ 3/10"))?;
        let (k, p): (u64, u64) = (
            k.trim()
                .parse()
                .map_err(|_| format!("\"{k}\" không phải số"))?,
            p.trim()
                .parse()
                .map_err(|_| format!("\"{p}\" không phải số"))?,
        );
        if p == 0 || k == 0 || k > p {
            return Err(format!("\"{s}\": phần K phải từ 1 đến P"));
        }
        Ok(Part {
            index: k - 1,
            count: p,
        })
    }
}

/// What was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Generated {
    pub dossiers: u64,
    pub events: u64,
}

const PROCEDURES: usize = 400;
const MONTH_FACTOR: [f64; 12] = [
    1.0, 0.7, 1.05, 1.0, 1.0, 1.05, 1.0, 1.0, 1.0, 1.05, 1.1, 1.2,
];

/// Write the events of `spec` as NDJSON.
pub fn generate(spec: &Spec, calendar: &Calendar, out: &mut impl Write) -> io::Result<Generated> {
    assert!(!spec.agencies.is_empty(), "at least one agency");
    let mut rng = Rng::new(spec.seed);
    let procedures: Vec<Procedure> = (0..PROCEDURES)
        .map(|i| {
            let level = match rng.below(100) {
                0..45 => ServiceLevel::FullOnline,
                45..80 => ServiceLevel::PartialOnline,
                _ => ServiceLevel::Offline,
            };
            Procedure {
                code: format!("{}.{:06}", 1 + i % 2, 1000 + i * 37),
                level,
                fee: rng.chance(0.4),
                limit_days: [1, 3, 5, 7, 10, 15, 20][rng.below(7) as usize],
            }
        })
        .collect();
    let agency_weights = cumulative(
        spec.agencies
            .iter()
            .map(|_| (rng.unit() * 2.0 - 1.0).exp() * (1.0 + rng.unit())),
    );
    let procedure_weights = cumulative((1..=PROCEDURES).map(|r| 1.0 / (r as f64).powf(1.1)));
    let days: Vec<NaiveDate> = spec
        .from
        .iter_days()
        .take_while(|d| *d <= spec.to)
        .collect();
    let day_weights = cumulative(days.iter().map(|d| {
        let weekday = match d.weekday() {
            Weekday::Mon => 1.15,
            Weekday::Fri => 0.9,
            _ => 1.0,
        };
        let base = if calendar.is_working_day(*d) {
            weekday
        } else {
            0.08
        };
        base * MONTH_FACTOR[d.month0() as usize]
    }));
    // Dossiers before the end of each day: its share of the weights, rounded.
    let total_weight = *day_weights.last().expect("at least one day");
    let day_ends: Vec<u64> = day_weights
        .iter()
        .map(|w| (w / total_weight * spec.dossiers as f64).round() as u64)
        .collect();
    let tz = FixedOffset::east_opt(LOCAL_OFFSET_SECONDS).expect("valid offset");
    let at = |day: NaiveDate, minute: u64| {
        tz.from_local_datetime(&day.and_hms_opt(7, 30, 0).expect("valid time"))
            .single()
            .expect("fixed offset")
            + chrono::Duration::minutes(minute as i64)
    };
    let mut written = Generated::default();
    let mut line = Vec::with_capacity(512);
    let mut day_index = 0;
    for n in spec.part.range(spec.dossiers) {
        while day_ends[day_index] <= n {
            day_index += 1;
        }
        let day = days[day_index];
        let mut rng = Rng::for_item(spec.seed, n);
        let a = pick(&agency_weights, &mut rng);
        let agency = &spec.agencies[a];
        // Each agency's popularity order is a rotation of the catalogue.
        let p = &procedures[(pick(&procedure_weights, &mut rng) + a * 7) % PROCEDURES];
        let received_at = at(day, rng.below(570));
        let start = if calendar.is_working_day(day) {
            day
        } else {
            calendar.add_working_days(day, 1)
        };
        let due = calendar.add_working_days(start, p.limit_days);
        let channel = match (p.level, rng.below(100)) {
            (ServiceLevel::FullOnline, 0..75) | (ServiceLevel::PartialOnline, 0..45) => {
                Channel::Online
            }
            (_, 95..) => Channel::Postal,
            _ => Channel::InPerson,
        };
        let online = channel == Channel::Online;
        let paid_online = p.fee && rng.chance(if online { 0.7 } else { 0.05 });
        let template = Event {
            event_id: String::new(),
            source: format!("htttthc-{}", agency.to_lowercase()),
            agency_id: agency.clone(),
            dossier_id: format!("{agency}-{n:010}"),
            procedure_code: p.code.clone(),
            service_level: p.level,
            fee: p.fee,
            channel,
            kind: EventKind::Received,
            time: received_at,
            received_at,
            due_date: due,
            result_kind: None,
            digitised: rng.chance(0.65),
            reused_data: rng.chance(0.25),
            eid: rng.chance(if online { 0.8 } else { 0.2 }),
            paid_online,
            satisfaction: None,
        };
        let mut events = vec![template.clone()];
        let mut clock = start;
        let mut extra = 0;
        let requests = match rng.below(100) {
            0 => 2,
            1..8 => 1,
            _ => 0,
        };
        let mut abandoned = false;
        for _ in 0..requests {
            clock = calendar.add_working_days(
                clock,
                1 + rng.below(u64::from(p.limit_days.max(2))) as u32 / 2,
            );
            events.push(Event {
                kind: EventKind::SupplementRequested,
                time: at(clock, rng.below(570)),
                ..template.clone()
            });
            if rng.chance(0.1) {
                abandoned = true;
                break;
            }
            let wait = 1 + rng.below(6) as u32;
            clock = calendar.add_working_days(clock, wait);
            extra += wait;
            events.push(Event {
                kind: EventKind::Supplemented,
                time: at(clock, rng.below(570)),
                ..template.clone()
            });
        }
        if abandoned {
            let stop = calendar.add_working_days(clock, 15);
            events.push(Event {
                kind: EventKind::Stopped,
                time: at(stop, rng.below(570)),
                ..template.clone()
            });
        } else {
            let late = rng.chance(0.08);
            let taken = if late {
                p.limit_days + extra + 1 + rng.below(10) as u32
            } else {
                rng.below(u64::from(p.limit_days + extra) + 1) as u32
            };
            let finish = calendar.add_working_days(start, taken).max(clock);
            if rng.chance(0.02) {
                events.push(Event {
                    kind: EventKind::Stopped,
                    time: at(finish, rng.below(570)),
                    ..template.clone()
                });
            } else {
                let electronic = rng.chance(if online { 0.85 } else { 0.3 });
                let result_kind = Some(if electronic {
                    ResultKind::Electronic
                } else {
                    ResultKind::Paper
                });
                events.push(Event {
                    kind: EventKind::Processed,
                    time: at(finish, rng.below(570)),
                    result_kind,
                    ..template.clone()
                });
                let returned = calendar.add_working_days(finish, rng.below(3) as u32);
                let satisfaction = rng.chance(0.35).then(|| {
                    if rng.chance(0.88) {
                        4 + rng.below(2) as u8
                    } else {
                        1 + rng.below(3) as u8
                    }
                });
                events.push(Event {
                    kind: EventKind::Returned,
                    time: at(returned, 570),
                    result_kind,
                    satisfaction,
                    ..template.clone()
                });
            }
        }
        written.dossiers += 1;
        for (i, mut e) in events.into_iter().enumerate() {
            if e.day() > spec.to {
                break;
            }
            e.time = e.time.max(received_at);
            e.event_id = format!("{}-{i}", e.dossier_id);
            line.clear();
            serde_json::to_writer(&mut line, &e).map_err(io::Error::other)?;
            line.push(b'\n');
            out.write_all(&line)?;
            written.events += 1;
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(seed: u64) -> Spec {
        Spec {
            dossiers: 300,
            seed,
            from: NaiveDate::from_ymd_opt(2024, 5, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2024, 5, 31).unwrap(),
            agencies: vec!["BTTTT".to_string(), "HNI".to_string()],
            part: Part::WHOLE,
        }
    }

    #[test]
    fn the_parts_put_together_are_the_whole_in_receipt_order() {
        let calendar = Calendar::vietnam();
        let mut whole = Vec::new();
        generate(&spec(3), &calendar, &mut whole).unwrap();
        let mut parts = Vec::new();
        for index in 0..4 {
            generate(
                &Spec {
                    part: Part { index, count: 4 },
                    ..spec(3)
                },
                &calendar,
                &mut parts,
            )
            .unwrap();
        }
        assert_eq!(
            String::from_utf8(parts).unwrap(),
            String::from_utf8(whole.clone()).unwrap()
        );
        let received: Vec<NaiveDate> = whole
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .map(|l| {
                Event::from_json(std::str::from_utf8(l).unwrap())
                    .unwrap()
                    .received_day()
            })
            .collect();
        assert!(
            received.windows(2).all(|w| w[0] <= w[1]),
            "dossiers come in order of receipt"
        );
        assert_eq!(
            "3/10".parse::<Part>(),
            Ok(Part {
                index: 2,
                count: 10
            })
        );
        assert!(
            "0/10".parse::<Part>().is_err()
                && "11/10".parse::<Part>().is_err()
                && "x".parse::<Part>().is_err()
        );
    }

    #[test]
    fn deterministic_valid_and_plausible() {
        let calendar = Calendar::vietnam();
        let mut a = Vec::new();
        let mut b = Vec::new();
        let ga = generate(&spec(7), &calendar, &mut a).unwrap();
        generate(&spec(7), &calendar, &mut b).unwrap();
        assert_eq!(a, b, "same seed, same bytes");
        let mut c = Vec::new();
        generate(&spec(8), &calendar, &mut c).unwrap();
        assert_ne!(a, c);
        let events: Vec<Event> = a
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .map(|l| Event::from_json(std::str::from_utf8(l).unwrap()).unwrap())
            .collect();
        assert_eq!(events.len() as u64, ga.events);
        assert_eq!(ga.dossiers, 300);
        let received = events
            .iter()
            .filter(|e| e.kind == EventKind::Received)
            .count();
        assert_eq!(received, 300);
        let online = events
            .iter()
            .filter(|e| e.kind == EventKind::Received && e.channel == Channel::Online)
            .count();
        assert!(
            (60..=240).contains(&online),
            "online share plausible: {online}/300"
        );
        assert!(events.iter().all(|e| e.day() <= spec(7).to));
    }
}
