//! The dossier event (sự kiện hồ sơ thủ tục hành chính), shaped after what procedure
//! systems synchronise to the national public-service portal: every event carries the
//! dossier's header (agency, procedure, service level, fee, channel, receipt time, due
//! date) so that it can be placed without the others. The JSON Schema is
//! `docs/dossier-events.schema.json`.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use tiendo_core::limits::{EVENT_DAYS_AFTER_RECEIPT, EVENT_DUE_DAYS_AFTER_RECEIPT, EVENT_YEARS};

/// Vietnam's offset: days are counted in local time (UTC+7).
pub const LOCAL_OFFSET_SECONDS: i32 = 7 * 3600;

/// The service level of the procedure (mức độ dịch vụ công).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceLevel {
    /// Dịch vụ công trực tuyến toàn trình.
    FullOnline,
    /// Dịch vụ công trực tuyến một phần.
    PartialOnline,
    /// Not offered online.
    Offline,
}

/// How the dossier was submitted: 1 in person, 2 online, 3 public postal service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum Channel {
    InPerson,
    Online,
    Postal,
}

impl TryFrom<u8> for Channel {
    type Error = String;
    fn try_from(v: u8) -> Result<Self, String> {
        match v {
            1 => Ok(Channel::InPerson),
            2 => Ok(Channel::Online),
            3 => Ok(Channel::Postal),
            other => Err(format!(
                "kênh {other} không hợp lệ (1 trực tiếp, 2 trực tuyến, 3 bưu chính công ích)"
            )),
        }
    }
}

impl From<Channel> for u8 {
    fn from(c: Channel) -> u8 {
        match c {
            Channel::InPerson => 1,
            Channel::Online => 2,
            Channel::Postal => 3,
        }
    }
}

/// What happened to the dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Tiếp nhận.
    Received,
    /// Yêu cầu bổ sung hồ sơ: the clock stops while the applicant supplements.
    SupplementRequested,
    /// Đã bổ sung: the clock runs again.
    Supplemented,
    /// Đã giải quyết xong (done).
    Processed,
    /// Đã trả kết quả.
    Returned,
    /// Dừng xử lý, từ chối.
    Stopped,
}

impl EventKind {
    pub const ALL: [EventKind; 6] = [
        EventKind::Received,
        EventKind::SupplementRequested,
        EventKind::Supplemented,
        EventKind::Processed,
        EventKind::Returned,
        EventKind::Stopped,
    ];
    pub fn code(self) -> &'static str {
        match self {
            EventKind::Received => "received",
            EventKind::SupplementRequested => "supplement_requested",
            EventKind::Supplemented => "supplemented",
            EventKind::Processed => "processed",
            EventKind::Returned => "returned",
            EventKind::Stopped => "stopped",
        }
    }
    pub fn from_code(code: &str) -> Option<EventKind> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// The kind of result returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultKind {
    Electronic,
    Paper,
}

/// One dossier event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// Unique within the source system; (source, event_id) identifies the event.
    pub event_id: String,
    /// The procedure system that sent the event.
    pub source: String,
    /// The agency (tiendo agency id) that handles the dossier.
    pub agency_id: String,
    /// Unique within the source system.
    pub dossier_id: String,
    pub procedure_code: String,
    pub service_level: ServiceLevel,
    /// Whether the procedure bears a fee or charge.
    pub fee: bool,
    pub channel: Channel,
    #[serde(rename = "type")]
    pub kind: EventKind,
    /// When it happened (RFC 3339 with offset).
    pub time: DateTime<FixedOffset>,
    /// When the dossier was received (the same on every event of a dossier).
    pub received_at: DateTime<FixedOffset>,
    /// The statutory due date (hạn giải quyết) set at receipt.
    pub due_date: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_kind: Option<ResultKind>,
    /// The dossier's components were digitised (số hóa thành phần hồ sơ).
    #[serde(default)]
    pub digitised: bool,
    /// Digitised data was reused instead of asking the applicant again.
    #[serde(default)]
    pub reused_data: bool,
    /// The applicant authenticated with the national e-ID (VNeID).
    #[serde(default)]
    pub eid: bool,
    /// The fee was paid online.
    #[serde(default)]
    pub paid_online: bool,
    /// Satisfaction rating 1–5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfaction: Option<u8>,
}

/// [`Event::key`] of a source and an event id.
pub fn event_key(source: &str, event_id: &str) -> u128 {
    use std::hash::{Hash, Hasher};
    let half = |prefix: u8| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (prefix, source, event_id).hash(&mut h);
        h.finish()
    };
    (u128::from(half(0)) << 64) | u128::from(half(1))
}

/// The longest identifier accepted.
pub const MAX_ID_LEN: usize = 128;

impl Event {
    /// The identity of the event, `(source, event_id)`, as a 128-bit digest: two SipHash
    /// values of the pair under different prefixes. The store keeps these instead of the
    /// strings (16 bytes an event); a collision among 10⁹ events has a probability of
    /// about 10⁻²¹.
    pub fn key(&self) -> u128 {
        event_key(&self.source, &self.event_id)
    }

    /// The local (UTC+7) date of a time; [`NaiveDate::MAX`] for the last hours of
    /// chrono's range, whose local date is past it (chrono's own conversion panics there:
    /// a time of `+262143-12-31T23:00:00Z` from outside did, found by a test of the
    /// bounds of the dates).
    pub fn local_date(t: &DateTime<FixedOffset>) -> NaiveDate {
        t.naive_utc()
            .checked_add_signed(chrono::TimeDelta::seconds(i64::from(LOCAL_OFFSET_SECONDS)))
            .map_or(NaiveDate::MAX, |local| local.date())
    }

    pub fn day(&self) -> NaiveDate {
        Event::local_date(&self.time)
    }

    pub fn received_day(&self) -> NaiveDate {
        Event::local_date(&self.received_at)
    }

    /// The partition of the event: the month in which its dossier was received, so that
    /// all events of a dossier land in one partition.
    pub fn partition(&self) -> String {
        self.received_day().format("%Y-%m").to_string()
    }

    /// Check the rules JSON cannot express. Returns the reason of the first problem.
    ///
    /// Every event from outside passes here (NDJSON and CSV lines, Parquet rows), so that
    /// whatever is stored keeps the dossier arithmetic in range: the days of receipt and
    /// of the event fall in [`EVENT_YEARS`], the due date at most
    /// [`EVENT_DUE_DAYS_AFTER_RECEIPT`] days after receipt, the event at most
    /// [`EVENT_DAYS_AFTER_RECEIPT`] days after it (days in local time). Three events
    /// with the due date `+262142-12-31` made compaction panic, for good (finding H2);
    /// one due in 9999 made the server measure every month up to then again (M3).
    pub fn validate(&self) -> Result<(), String> {
        self.validate_fields()?;
        self.validate_dates()
    }

    /// The rules of [`Event::validate`] but the bounds of its dates: what every event
    /// the store ever accepted satisfies, and what reading the store's own tables checks
    /// (events stored before the bounds existed stay readable).
    pub(crate) fn validate_fields(&self) -> Result<(), String> {
        for (name, value) in [
            ("event_id", &self.event_id),
            ("source", &self.source),
            ("agency_id", &self.agency_id),
            ("dossier_id", &self.dossier_id),
            ("procedure_code", &self.procedure_code),
        ] {
            if value.trim().is_empty() {
                return Err(format!("trường {name} trống"));
            }
            if value.len() > MAX_ID_LEN {
                return Err(format!("trường {name} dài quá {MAX_ID_LEN} byte"));
            }
        }
        if self.time < self.received_at {
            return Err(
                "thời điểm sự kiện (time) trước thời điểm tiếp nhận (received_at)".to_string(),
            );
        }
        if self.kind == EventKind::Received && self.time != self.received_at {
            return Err("sự kiện received phải có time bằng received_at".to_string());
        }
        if self.due_date < self.received_day() {
            return Err("hạn giải quyết (due_date) trước ngày tiếp nhận".to_string());
        }
        if let Some(s) = self.satisfaction
            && !(1..=5).contains(&s)
        {
            return Err(format!("mức hài lòng {s} ngoài khoảng 1–5"));
        }
        if self.paid_online && !self.fee {
            return Err("paid_online = true cho thủ tục không có phí, lệ phí".to_string());
        }
        Ok(())
    }

    /// The bounds of the dates (see [`Event::validate`]).
    fn validate_dates(&self) -> Result<(), String> {
        let (first, last) = (EVENT_YEARS.start(), EVENT_YEARS.end());
        let received = self.received_day();
        for (name, day) in [("received_at", received), ("time", self.day())] {
            if !EVENT_YEARS.contains(&day.year()) {
                return Err(format!(
                    "trường {name}: ngày {day} nằm ngoài khoảng cho phép (năm {first} đến {last})"
                ));
            }
        }
        let after = |day: NaiveDate| day.signed_duration_since(received).num_days();
        if after(self.due_date) > EVENT_DUE_DAYS_AFTER_RECEIPT {
            return Err(format!(
                "hạn giải quyết (due_date) {} quá {EVENT_DUE_DAYS_AFTER_RECEIPT} ngày sau ngày tiếp nhận {received}",
                self.due_date
            ));
        }
        if after(self.day()) > EVENT_DAYS_AFTER_RECEIPT {
            return Err(format!(
                "thời điểm sự kiện (time) {} quá {EVENT_DAYS_AFTER_RECEIPT} ngày sau ngày tiếp nhận {received}",
                self.day()
            ));
        }
        Ok(())
    }

    /// Read one NDJSON line.
    pub fn from_json(line: &str) -> Result<Event, String> {
        let event: Event =
            serde_json::from_str(line).map_err(|e| format!("JSON không hợp lệ: {e}"))?;
        event.validate()?;
        Ok(event)
    }
}

/// The CSV columns of `tiendo ingest FILE.csv`, in order (the JSON field names).
pub const CSV_COLUMNS: [&str; 18] = [
    "event_id",
    "source",
    "agency_id",
    "dossier_id",
    "procedure_code",
    "service_level",
    "fee",
    "channel",
    "type",
    "time",
    "received_at",
    "due_date",
    "result_kind",
    "digitised",
    "reused_data",
    "eid",
    "paid_online",
    "satisfaction",
];

/// Read a CSV record (columns named by `header`) into an event, with the same rules as JSON.
pub fn from_csv_record(header: &[String], record: &csv::StringRecord) -> Result<Event, String> {
    if record.len() != header.len() {
        return Err(format!(
            "dòng có {} ô, tiêu đề có {} cột",
            record.len(),
            header.len()
        ));
    }
    let mut object = serde_json::Map::new();
    for (name, cell) in header.iter().zip(record.iter()) {
        let cell = cell.trim();
        if cell.is_empty() {
            continue;
        }
        let value = match name.as_str() {
            "fee" | "digitised" | "reused_data" | "eid" | "paid_online" => match cell {
                "true" | "1" => serde_json::Value::Bool(true),
                "false" | "0" => serde_json::Value::Bool(false),
                other => return Err(format!("cột {name}: \"{other}\" không phải true/false")),
            },
            "channel" | "satisfaction" => {
                let n: u8 = cell
                    .parse()
                    .map_err(|_| format!("cột {name}: \"{cell}\" không phải số nguyên"))?;
                serde_json::Value::from(n)
            }
            _ => serde_json::Value::String(cell.to_string()),
        };
        object.insert(name.clone(), value);
    }
    let event: Event =
        serde_json::from_value(serde_json::Value::Object(object)).map_err(|e| format!("{e}"))?;
    event.validate()?;
    Ok(event)
}

/// The CSV header check: every column must be known and the required ones present.
pub fn check_csv_header(header: &[String]) -> Result<(), String> {
    for h in header {
        if !CSV_COLUMNS.contains(&h.as_str()) {
            return Err(format!(
                "cột \"{h}\" không có trong định dạng sự kiện (dùng: {})",
                CSV_COLUMNS.join(", ")
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const SAMPLE: &str = r#"{"event_id":"e1","source":"dvc-hn","agency_id":"P01","dossier_id":"H1","procedure_code":"1.000001","service_level":"full_online","fee":true,"channel":2,"type":"received","time":"2024-05-06T08:00:00+07:00","received_at":"2024-05-06T08:00:00+07:00","due_date":"2024-05-10","paid_online":true}"#;

    #[test]
    fn reads_and_round_trips_json() {
        let e = Event::from_json(SAMPLE).unwrap();
        assert_eq!(e.channel, Channel::Online);
        assert_eq!(e.partition(), "2024-05");
        let again = Event::from_json(&serde_json::to_string(&e).unwrap()).unwrap();
        assert_eq!(again, e);
    }

    #[test]
    fn rejects_with_reasons() {
        let bad_channel = SAMPLE.replace("\"channel\":2", "\"channel\":7");
        assert!(
            Event::from_json(&bad_channel)
                .unwrap_err()
                .contains("kênh 7")
        );
        let unknown = SAMPLE.replace("\"fee\":true", "\"fee\":true,\"colour\":1");
        assert!(Event::from_json(&unknown).unwrap_err().contains("colour"));
        let early_due = SAMPLE.replace("2024-05-10", "2024-05-01");
        assert!(
            Event::from_json(&early_due)
                .unwrap_err()
                .contains("due_date")
        );
        let unpaid = SAMPLE.replace("\"fee\":true", "\"fee\":false");
        assert!(
            Event::from_json(&unpaid)
                .unwrap_err()
                .contains("paid_online")
        );
    }

    /// SAMPLE received at `received`, of `kind` at `time`, due `due`.
    fn dated(kind: &str, received: &str, time: &str, due: &str) -> Result<Event, String> {
        Event::from_json(
            &SAMPLE
                .replace(
                    "\"time\":\"2024-05-06T08:00:00+07:00\"",
                    &format!("\"time\":\"{time}\""),
                )
                .replace(
                    "\"received_at\":\"2024-05-06T08:00:00+07:00\"",
                    &format!("\"received_at\":\"{received}\""),
                )
                .replace("2024-05-10", due)
                .replace("\"received\"", &format!("\"{kind}\"")),
        )
    }

    fn days_after(day: &str, days: i64) -> NaiveDate {
        NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap() + chrono::Duration::days(days)
    }

    /// The bounds of the dates (findings H2 and M3), at each limit and one day beyond it.
    #[test]
    fn dates_are_bounded_at_each_limit() {
        let at = "T08:00:00+07:00";
        let received = |day: &str| format!("{day}{at}");
        // The years of receipt, in local time.
        for (day, ok) in [
            ("2000-01-01", true),
            ("1999-12-31", false),
            ("2100-12-31", true),
            ("2101-01-01", false),
        ] {
            let r = dated("received", &received(day), &received(day), day);
            assert_eq!(r.is_ok(), ok, "received {day}: {r:?}");
            if !ok {
                assert!(r.unwrap_err().starts_with(&format!(
                    "trường received_at: ngày {day} nằm ngoài khoảng cho phép (năm 2000 đến 2100)"
                )));
            }
        }
        assert!(
            dated(
                "received",
                "1999-12-31T17:00:00Z",
                "1999-12-31T17:00:00Z",
                "2000-01-01"
            )
            .is_ok(),
            "midnight in Vietnam"
        );
        assert!(
            dated(
                "received",
                "1999-12-31T16:59:59Z",
                "1999-12-31T16:59:59Z",
                "2000-01-01"
            )
            .is_err()
        );
        // The year of the event.
        let late = dated(
            "processed",
            &received("2100-12-30"),
            "2101-01-01T08:00:00+07:00",
            "2100-12-31",
        );
        assert!(
            late.unwrap_err()
                .starts_with("trường time: ngày 2101-01-01")
        );
        // The due date: at most EVENT_DUE_DAYS_AFTER_RECEIPT days after receipt.
        let start = "2024-05-06";
        for (days, ok) in [
            (0, true),
            (EVENT_DUE_DAYS_AFTER_RECEIPT, true),
            (EVENT_DUE_DAYS_AFTER_RECEIPT + 1, false),
        ] {
            let due = days_after(start, days).to_string();
            let r = dated("received", &received(start), &received(start), &due);
            assert_eq!(r.is_ok(), ok, "due {due}: {r:?}");
            if !ok {
                assert_eq!(
                    r.unwrap_err(),
                    format!(
                        "hạn giải quyết (due_date) {due} quá 1098 ngày sau ngày tiếp nhận 2024-05-06"
                    )
                );
            }
        }
        // The event: at most EVENT_DAYS_AFTER_RECEIPT days after receipt.
        for (days, ok) in [
            (EVENT_DAYS_AFTER_RECEIPT, true),
            (EVENT_DAYS_AFTER_RECEIPT + 1, false),
        ] {
            let day = days_after(start, days);
            let r = dated(
                "processed",
                &received(start),
                &format!("{day}{at}"),
                "2024-05-10",
            );
            assert_eq!(r.is_ok(), ok, "event on {day}: {r:?}");
            if !ok {
                assert_eq!(
                    r.unwrap_err(),
                    format!(
                        "thời điểm sự kiện (time) {day} quá 1830 ngày sau ngày tiếp nhận 2024-05-06"
                    )
                );
            }
        }
        // The last hours of chrono's range, as a Parquet row can hold them (JSON cannot):
        // their local date is past the range, and chrono's conversion panicked.
        let mut e = Event::from_json(SAMPLE).unwrap();
        e.due_date = NaiveDate::MAX;
        for offset in [0, 7 * 3600, -86_399] {
            e.time = DateTime::<chrono::Utc>::MAX_UTC
                .with_timezone(&FixedOffset::east_opt(offset).unwrap());
            e.received_at = e.time;
            let why = e.validate().unwrap_err();
            assert!(
                why.starts_with(&format!(
                    "trường received_at: ngày {} nằm ngoài",
                    NaiveDate::MAX
                )),
                "{why}"
            );
        }
        // The events of finding H2, as JSON and as CSV.
        let far = dated(
            "supplement_requested",
            &received(start),
            "2024-05-07T08:00:00+07:00",
            "+262142-12-31",
        );
        assert!(
            far.unwrap_err()
                .starts_with("hạn giải quyết (due_date) +262142-12-31 quá")
        );
        let header: Vec<String> = [
            "event_id",
            "source",
            "agency_id",
            "dossier_id",
            "procedure_code",
            "service_level",
            "fee",
            "channel",
            "type",
            "time",
            "received_at",
            "due_date",
        ]
        .iter()
        .map(|h| h.to_string())
        .collect();
        let record = csv::StringRecord::from(vec![
            "e1",
            "s",
            "A",
            "H",
            "P",
            "offline",
            "false",
            "1",
            "received",
            "2024-05-06T08:00:00+07:00",
            "2024-05-06T08:00:00+07:00",
            "9999-12-31",
        ]);
        assert!(
            from_csv_record(&header, &record)
                .unwrap_err()
                .starts_with("hạn giải quyết (due_date) 9999-12-31 quá")
        );
    }

    #[test]
    fn local_day_is_utc_plus_seven() {
        let t = DateTime::parse_from_rfc3339("2024-05-31T18:30:00+00:00").unwrap();
        assert_eq!(
            Event::local_date(&t),
            NaiveDate::from_ymd_opt(2024, 6, 1).unwrap()
        );
    }
}
