//! The Parquet tables (plain Parquet, one directory per table and month of receipt),
//! written atomically and durably.
//!
//! - `events`: every event once (deduplicated on `source`, `event_id`), a month split
//!   into [`BUCKETS`] files by dossier (`events/month=YYYY-MM/part-BB.parquet`, see
//!   [`dossier_bucket`]), so that compaction holds one bucket of a month in memory at a
//!   time, whatever the size of the month.
//! - `daily_parts`, `overdue_parts`: the rollups of each bucket (same layout), from which
//!   the month's rollups are summed without reading the events again.
//! - `daily` (`daily/month=YYYY-MM/data.parquet`, one file per month, what queries read):
//!   the rollup per agency, procedure and day that the indicators are computed
//!   from; each dossier adds to the row of its receipt day (received, online, …) and of
//!   its finish day (finished, on time, …).
//! - `monthly` (`monthly/month=YYYY-MM/data.parquet`, same layout): the same rollup
//!   summed per agency, procedure and calendar month of its days (a row's `month` is the
//!   first day of that month), written beside `daily` from the same rollups and recording
//!   the same content; the quarter and year tables read it, about thirty times fewer rows.
//! - `overdue`: dossiers that finished late or are still open: agency, procedure, due
//!   day, finish day (null while open), count; a period counts as late those due by its
//!   end and not finished by then.
//!
//! Every file records, in its Parquet key-value metadata ([`CONTENT_KEY`]), the
//! [`Content`] of the events it holds (`events`) or was computed from (the rollups): a
//! bucket's rollup parts are current when they name its events file's content, a month's
//! rollups when they name the sum of its buckets' contents. Compaction checks this, so a
//! crash between the files of a bucket or a month is found and repaired.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use datafusion::arrow::array::{
    Array, ArrayRef, BooleanArray, BooleanBuilder, Date32Array, Date32Builder, Int32Array,
    Int32Builder, Int64Array, Int64Builder, StringArray, StringBuilder, StringViewArray,
    TimestampMicrosecondArray, TimestampMicrosecondBuilder,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::arrow::ProjectionMask;
use datafusion::parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use datafusion::parquet::basic::{Compression, ZstdLevel};
use datafusion::parquet::file::metadata::{KeyValue, PageIndexPolicy, ParquetMetaDataReader};
use datafusion::parquet::file::properties::WriterProperties;
use datafusion::parquet::file::reader::{ChunkReader, Length};
use tiendo_core::limits::{PARQUET_DECODED_BYTES, PARQUET_EXPANSION};

use crate::dossier::{DossierFacts, SATISFIED_FROM};
use crate::event::{Channel, Event, EventKind, ResultKind, ServiceLevel};
use crate::failpoint;
use crate::wal::sync_dir;

pub const EVENTS: &str = "events";
pub const DAILY: &str = "daily";
pub const MONTHLY: &str = "monthly";
pub const OVERDUE: &str = "overdue";
pub const DAILY_PARTS: &str = "daily_parts";
pub const OVERDUE_PARTS: &str = "overdue_parts";

/// Buckets of a month of events.
pub const BUCKETS: u32 = 32;

/// A hash of a dossier (its source and id): FNV-1a, written out here because a stored
/// layout needs a hash that never changes (the standard library's may, between releases).
pub fn dossier_hash(source: &str, dossier_id: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in source.bytes().chain([0xff]).chain(dossier_id.bytes()) {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The bucket of a dossier: every event of a dossier is in the same one.
pub fn dossier_bucket(source: &str, dossier_id: &str) -> u32 {
    (dossier_hash(source, dossier_id) % u64::from(BUCKETS)) as u32
}

/// The directory of a table's month.
pub fn month_dir(root: &Path, table: &str, month: &str) -> PathBuf {
    root.join(table).join(format!("month={month}"))
}

/// The file of a month of `daily`, `monthly` or `overdue`.
pub fn partition_file(root: &Path, table: &str, month: &str) -> PathBuf {
    month_dir(root, table, month).join("data.parquet")
}

/// The months (`YYYY-MM`) that have a directory in `daily`, in order.
pub fn rollup_months(root: &Path) -> std::io::Result<Vec<String>> {
    let dir = root.join(DAILY);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut months = Vec::new();
    for entry in fs::read_dir(dir)? {
        if let Some(month) = entry?
            .file_name()
            .to_str()
            .and_then(|n| n.strip_prefix("month="))
        {
            months.push(month.to_string());
        }
    }
    months.sort();
    Ok(months)
}

/// The file of a bucket of a month of `events`, `daily_parts` or `overdue_parts`.
pub fn bucket_file(root: &Path, table: &str, month: &str, bucket: u32) -> PathBuf {
    month_dir(root, table, month).join(format!("part-{bucket:02}.parquet"))
}

const EPOCH: NaiveDate = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");

fn days(d: NaiveDate) -> i32 {
    (d - EPOCH).num_days() as i32
}

/// The date `days` after 1 January 1970; an error past chrono's range (a Parquet file
/// from outside can hold any day number: found by fuzzing, it overflowed).
fn date(days: i32) -> Result<NaiveDate, String> {
    chrono::Duration::try_days(i64::from(days))
        .and_then(|d| EPOCH.checked_add_signed(d))
        .ok_or_else(|| format!("ngày không hợp lệ: {days} ngày kể từ 01/01/1970"))
}

fn utc() -> Option<Arc<str>> {
    Some(Arc::from("UTC"))
}

pub fn events_schema() -> SchemaRef {
    let ts = DataType::Timestamp(TimeUnit::Microsecond, utc());
    Arc::new(Schema::new(vec![
        Field::new("event_id", DataType::Utf8, false),
        Field::new("source", DataType::Utf8, false),
        Field::new("agency_id", DataType::Utf8, false),
        Field::new("dossier_id", DataType::Utf8, false),
        Field::new("procedure_code", DataType::Utf8, false),
        Field::new("service_level", DataType::Utf8, false),
        Field::new("fee", DataType::Boolean, false),
        Field::new("channel", DataType::Int32, false),
        Field::new("type", DataType::Utf8, false),
        Field::new("time", ts.clone(), false),
        Field::new("time_offset_s", DataType::Int32, false),
        Field::new("received_at", ts, false),
        Field::new("received_offset_s", DataType::Int32, false),
        Field::new("due_date", DataType::Date32, false),
        Field::new("result_kind", DataType::Utf8, true),
        Field::new("digitised", DataType::Boolean, false),
        Field::new("reused_data", DataType::Boolean, false),
        Field::new("eid", DataType::Boolean, false),
        Field::new("paid_online", DataType::Boolean, false),
        Field::new("satisfaction", DataType::Int32, true),
    ]))
}

fn level_code(l: ServiceLevel) -> &'static str {
    match l {
        ServiceLevel::FullOnline => "full_online",
        ServiceLevel::PartialOnline => "partial_online",
        ServiceLevel::Offline => "offline",
    }
}

fn level_from(code: &str) -> Result<ServiceLevel, String> {
    match code {
        "full_online" => Ok(ServiceLevel::FullOnline),
        "partial_online" => Ok(ServiceLevel::PartialOnline),
        "offline" => Ok(ServiceLevel::Offline),
        other => Err(format!("mức dịch vụ không hợp lệ: {other}")),
    }
}

pub fn events_batch(events: &[Event]) -> RecordBatch {
    let mut s: Vec<StringBuilder> = (0..6).map(|_| StringBuilder::new()).collect();
    let mut kind = StringBuilder::new();
    let mut result_kind = StringBuilder::new();
    let mut fee = BooleanBuilder::new();
    let mut flags: Vec<BooleanBuilder> = (0..4).map(|_| BooleanBuilder::new()).collect();
    let mut channel = Int32Builder::new();
    let mut time = TimestampMicrosecondBuilder::new().with_timezone("UTC");
    let mut received = TimestampMicrosecondBuilder::new().with_timezone("UTC");
    let mut time_off = Int32Builder::new();
    let mut received_off = Int32Builder::new();
    let mut due = Date32Builder::new();
    let mut satisfaction = Int32Builder::new();
    for e in events {
        s[0].append_value(&e.event_id);
        s[1].append_value(&e.source);
        s[2].append_value(&e.agency_id);
        s[3].append_value(&e.dossier_id);
        s[4].append_value(&e.procedure_code);
        s[5].append_value(level_code(e.service_level));
        fee.append_value(e.fee);
        channel.append_value(i32::from(u8::from(e.channel)));
        kind.append_value(e.kind.code());
        time.append_value(e.time.timestamp_micros());
        time_off.append_value(e.time.offset().local_minus_utc());
        received.append_value(e.received_at.timestamp_micros());
        received_off.append_value(e.received_at.offset().local_minus_utc());
        due.append_value(days(e.due_date));
        result_kind.append_option(e.result_kind.map(|r| match r {
            ResultKind::Electronic => "electronic",
            ResultKind::Paper => "paper",
        }));
        flags[0].append_value(e.digitised);
        flags[1].append_value(e.reused_data);
        flags[2].append_value(e.eid);
        flags[3].append_value(e.paid_online);
        satisfaction.append_option(e.satisfaction.map(i32::from));
    }
    let mut s = s.into_iter().map(|mut b| Arc::new(b.finish()) as ArrayRef);
    let mut flags = flags
        .into_iter()
        .map(|mut b| Arc::new(b.finish()) as ArrayRef);
    let mut next = move || s.next().expect("six string columns");
    let columns: Vec<ArrayRef> = vec![
        next(),
        next(),
        next(),
        next(),
        next(),
        next(),
        Arc::new(fee.finish()),
        Arc::new(channel.finish()),
        Arc::new(kind.finish()),
        Arc::new(time.finish()),
        Arc::new(time_off.finish()),
        Arc::new(received.finish()),
        Arc::new(received_off.finish()),
        Arc::new(due.finish()),
        Arc::new(result_kind.finish()),
        flags.next().expect("flag"),
        flags.next().expect("flag"),
        flags.next().expect("flag"),
        flags.next().expect("flag"),
        Arc::new(satisfaction.finish()),
    ];
    RecordBatch::try_new(events_schema(), columns).expect("columns match the schema")
}

/// A text column: as the store writes and reads it (`Utf8`), or as a file from outside is
/// read (`Utf8View`, see [`read_parquet_input`]).
enum Text<'a> {
    Plain(&'a StringArray),
    View(&'a StringViewArray),
}

impl Text<'_> {
    fn value(&self, i: usize) -> &str {
        match self {
            Text::Plain(a) => a.value(i),
            Text::View(a) => a.value(i),
        }
    }

    fn is_null(&self, i: usize) -> bool {
        match self {
            Text::Plain(a) => a.is_null(i),
            Text::View(a) => a.is_null(i),
        }
    }
}

fn text_column<'a>(batch: &'a RecordBatch, name: &str) -> Result<Text<'a>, String> {
    let array = batch
        .column_by_name(name)
        .ok_or_else(|| format!("thiếu cột {name}"))?
        .as_any();
    if let Some(a) = array.downcast_ref::<StringArray>() {
        return Ok(Text::Plain(a));
    }
    array
        .downcast_ref::<StringViewArray>()
        .map(Text::View)
        .ok_or_else(|| format!("cột {name} sai kiểu"))
}

fn column<'a, T: 'static>(batch: &'a RecordBatch, name: &str) -> Result<&'a T, String> {
    batch
        .column_by_name(name)
        .ok_or_else(|| format!("thiếu cột {name}"))?
        .as_any()
        .downcast_ref::<T>()
        .ok_or_else(|| format!("cột {name} sai kiểu"))
}

fn time_at(micros: i64, offset: i32) -> Result<DateTime<FixedOffset>, String> {
    let offset = FixedOffset::east_opt(offset)
        .ok_or_else(|| format!("độ lệch múi giờ không hợp lệ: {offset}"))?;
    DateTime::from_timestamp_micros(micros)
        .map(|t| t.with_timezone(&offset))
        .ok_or_else(|| format!("thời điểm không hợp lệ: {micros}"))
}

/// Read events from a batch in the `events` schema from outside (the Parquet input of
/// `tiendo ingest`); each row gives an event or the reason it is not one, every event
/// checked by [`Event::validate`] as NDJSON and CSV lines are.
pub fn events_from_batch(batch: &RecordBatch) -> Result<Vec<Result<Event, String>>, String> {
    decode_events(batch, Event::validate)
}

/// Read events from a batch of the store's own `events` table: checked by the rules every
/// event the store ever accepted satisfies, not by the bounds of the dates added later
/// (an event stored before them stays readable, so that its bucket can still be merged).
pub(crate) fn stored_events_from_batch(
    batch: &RecordBatch,
) -> Result<Vec<Result<Event, String>>, String> {
    decode_events(batch, Event::validate_fields)
}

fn decode_events(
    batch: &RecordBatch,
    validate: fn(&Event) -> Result<(), String>,
) -> Result<Vec<Result<Event, String>>, String> {
    let text = |name: &str| text_column(batch, name);
    let (event_id, source, agency, dossier, procedure, level, kind) = (
        text("event_id")?,
        text("source")?,
        text("agency_id")?,
        text("dossier_id")?,
        text("procedure_code")?,
        text("service_level")?,
        text("type")?,
    );
    let result_kind = text("result_kind")?;
    let flag = |name: &str| column::<BooleanArray>(batch, name);
    let (fee, digitised, reused, eid, paid) = (
        flag("fee")?,
        flag("digitised")?,
        flag("reused_data")?,
        flag("eid")?,
        flag("paid_online")?,
    );
    let int = |name: &str| column::<Int32Array>(batch, name);
    let (channel, time_off, received_off, satisfaction) = (
        int("channel")?,
        int("time_offset_s")?,
        int("received_offset_s")?,
        int("satisfaction")?,
    );
    let time = column::<TimestampMicrosecondArray>(batch, "time")?;
    let received = column::<TimestampMicrosecondArray>(batch, "received_at")?;
    let due = column::<Date32Array>(batch, "due_date")?;
    let mut out = Vec::with_capacity(batch.num_rows());
    for i in 0..batch.num_rows() {
        let row = || -> Result<Event, String> {
            let channel = u8::try_from(channel.value(i))
                .map_err(|_| format!("kênh {} không hợp lệ", channel.value(i)))?;
            let event = Event {
                event_id: event_id.value(i).to_string(),
                source: source.value(i).to_string(),
                agency_id: agency.value(i).to_string(),
                dossier_id: dossier.value(i).to_string(),
                procedure_code: procedure.value(i).to_string(),
                service_level: level_from(level.value(i))?,
                fee: fee.value(i),
                channel: Channel::try_from(channel)?,
                kind: EventKind::from_code(kind.value(i))
                    .ok_or_else(|| format!("loại sự kiện không hợp lệ: {}", kind.value(i)))?,
                time: time_at(time.value(i), time_off.value(i))?,
                received_at: time_at(received.value(i), received_off.value(i))?,
                due_date: date(due.value(i))?,
                result_kind: if result_kind.is_null(i) {
                    None
                } else {
                    Some(match result_kind.value(i) {
                        "electronic" => ResultKind::Electronic,
                        "paper" => ResultKind::Paper,
                        other => return Err(format!("loại kết quả không hợp lệ: {other}")),
                    })
                },
                digitised: digitised.value(i),
                reused_data: reused.value(i),
                eid: eid.value(i),
                paid_online: paid.value(i),
                satisfaction: if satisfaction.is_null(i) {
                    None
                } else {
                    Some(u8::try_from(satisfaction.value(i)).map_err(|_| {
                        format!("mức hài lòng {} không hợp lệ", satisfaction.value(i))
                    })?)
                },
            };
            validate(&event)?;
            Ok(event)
        };
        out.push(row());
    }
    Ok(out)
}

/// The counts of one rollup row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DailyCounts {
    pub received: i64,
    pub online: i64,
    pub eligible_full: i64,
    pub full_online: i64,
    pub fee: i64,
    pub paid_online: i64,
    pub digitised: i64,
    pub reused: i64,
    pub eid: i64,
    pub finished: i64,
    pub on_time: i64,
    pub electronic_result: i64,
    pub rated: i64,
    pub satisfied: i64,
}

/// The names of the rollup's count columns, in order.
pub const DAILY_COUNTS: [&str; 14] = [
    "received",
    "online",
    "eligible_full",
    "full_online",
    "fee",
    "paid_online",
    "digitised",
    "reused",
    "eid",
    "finished",
    "on_time",
    "electronic_result",
    "rated",
    "satisfied",
];

impl DailyCounts {
    fn add_values(&mut self, values: [i64; 14]) {
        let fields = [
            &mut self.received,
            &mut self.online,
            &mut self.eligible_full,
            &mut self.full_online,
            &mut self.fee,
            &mut self.paid_online,
            &mut self.digitised,
            &mut self.reused,
            &mut self.eid,
            &mut self.finished,
            &mut self.on_time,
            &mut self.electronic_result,
            &mut self.rated,
            &mut self.satisfied,
        ];
        for (field, value) in fields.into_iter().zip(values) {
            *field += value;
        }
    }

    fn values(&self) -> [i64; 14] {
        [
            self.received,
            self.online,
            self.eligible_full,
            self.full_online,
            self.fee,
            self.paid_online,
            self.digitised,
            self.reused,
            self.eid,
            self.finished,
            self.on_time,
            self.electronic_result,
            self.rated,
            self.satisfied,
        ]
    }
}

/// The rollups of a set of dossiers.
#[derive(Debug, Default)]
pub struct Rollups {
    pub daily: BTreeMap<(String, String, NaiveDate), DailyCounts>,
    pub overdue: BTreeMap<(String, String, NaiveDate, Option<NaiveDate>), i64>,
}

impl Rollups {
    pub fn add(&mut self, f: &DossierFacts) {
        let key = |day| (f.agency_id.clone(), f.procedure_code.clone(), day);
        let r = self.daily.entry(key(f.received)).or_default();
        let b = i64::from;
        r.received += 1;
        r.online += b(f.channel == Channel::Online);
        r.eligible_full += b(f.service_level == ServiceLevel::FullOnline);
        r.full_online += b(f.full_online());
        r.fee += b(f.fee);
        r.paid_online += b(f.fee && f.paid_online);
        r.digitised += b(f.digitised);
        r.reused += b(f.reused_data);
        r.eid += b(f.eid);
        if let Some((day, _)) = f.finished {
            let r = self.daily.entry(key(day)).or_default();
            r.finished += 1;
            r.on_time += b(f.on_time() == Some(true));
            r.electronic_result += b(f.electronic_result);
            r.rated += b(f.satisfaction.is_some());
            r.satisfied += b(f.satisfaction.is_some_and(|s| s >= SATISFIED_FROM));
        }
        if f.late_finish_or_open() {
            *self
                .overdue
                .entry((
                    f.agency_id.clone(),
                    f.procedure_code.clone(),
                    f.effective_due,
                    f.finished.map(|(d, _)| d),
                ))
                .or_default() += 1;
        }
    }

    /// Add the rows of a batch written by [`Rollups::daily_batch`].
    pub fn add_daily_batch(&mut self, batch: &RecordBatch) -> Result<(), String> {
        let agency = column::<StringArray>(batch, "agency_id")?;
        let procedure = column::<StringArray>(batch, "procedure_code")?;
        let day = column::<Date32Array>(batch, "day")?;
        let counts: Vec<&Int64Array> = DAILY_COUNTS
            .iter()
            .map(|c| column::<Int64Array>(batch, c))
            .collect::<Result<_, _>>()?;
        for row in 0..batch.num_rows() {
            let key = (
                agency.value(row).to_string(),
                procedure.value(row).to_string(),
                date(day.value(row))?,
            );
            self.daily
                .entry(key)
                .or_default()
                .add_values(std::array::from_fn(|i| counts[i].value(row)));
        }
        Ok(())
    }

    /// Add the rows of a batch written by [`Rollups::overdue_batch`].
    pub fn add_overdue_batch(&mut self, batch: &RecordBatch) -> Result<(), String> {
        let agency = column::<StringArray>(batch, "agency_id")?;
        let procedure = column::<StringArray>(batch, "procedure_code")?;
        let due = column::<Date32Array>(batch, "due_day")?;
        let finish = column::<Date32Array>(batch, "finish_day")?;
        let n = column::<Int64Array>(batch, "n")?;
        for row in 0..batch.num_rows() {
            let finished = if finish.is_null(row) {
                None
            } else {
                Some(date(finish.value(row))?)
            };
            *self
                .overdue
                .entry((
                    agency.value(row).to_string(),
                    procedure.value(row).to_string(),
                    date(due.value(row))?,
                    finished,
                ))
                .or_default() += n.value(row);
        }
        Ok(())
    }

    pub fn daily_batch(&self) -> RecordBatch {
        counts_batch(
            "day",
            self.daily
                .iter()
                .map(|((a, p, d), c)| (a.as_str(), p.as_str(), *d, *c)),
        )
    }

    /// The `daily` rows summed per agency, procedure and calendar month of their days:
    /// the rows of [`Rollups::monthly_batch`].
    fn monthly(&self) -> BTreeMap<(&str, &str, NaiveDate), DailyCounts> {
        let mut monthly: BTreeMap<(&str, &str, NaiveDate), DailyCounts> = BTreeMap::new();
        for ((a, p, d), c) in &self.daily {
            monthly
                .entry((
                    a.as_str(),
                    p.as_str(),
                    d.with_day(1).expect("the first day of a month exists"),
                ))
                .or_default()
                .add_values(c.values());
        }
        monthly
    }

    /// The `monthly` table's rows: agency, procedure, month (its first day) and counts.
    pub fn monthly_batch(&self) -> RecordBatch {
        counts_batch(
            "month",
            self.monthly()
                .into_iter()
                .map(|((a, p, m), c)| (a, p, m, c)),
        )
    }

    pub fn overdue_batch(&self) -> RecordBatch {
        let schema = Schema::new(vec![
            Field::new("agency_id", DataType::Utf8, false),
            Field::new("procedure_code", DataType::Utf8, false),
            Field::new("due_day", DataType::Date32, false),
            Field::new("finish_day", DataType::Date32, true),
            Field::new("n", DataType::Int64, false),
        ]);
        let mut agency = StringBuilder::new();
        let mut procedure = StringBuilder::new();
        let mut due = Date32Builder::new();
        let mut finish = Date32Builder::new();
        let mut n = Int64Builder::new();
        for ((a, p, d, f), count) in &self.overdue {
            agency.append_value(a);
            procedure.append_value(p);
            due.append_value(days(*d));
            finish.append_option(f.map(days));
            n.append_value(*count);
        }
        let columns: Vec<ArrayRef> = vec![
            Arc::new(agency.finish()),
            Arc::new(procedure.finish()),
            Arc::new(due.finish()),
            Arc::new(finish.finish()),
            Arc::new(n.finish()),
        ];
        RecordBatch::try_new(Arc::new(schema), columns).expect("columns match the schema")
    }
}

/// A rollup table's batch: agency, procedure, the date column `date_column`, then the
/// counts ([`DAILY_COUNTS`]).
fn counts_batch<'a>(
    date_column: &str,
    rows: impl Iterator<Item = (&'a str, &'a str, NaiveDate, DailyCounts)>,
) -> RecordBatch {
    let mut fields = vec![
        Field::new("agency_id", DataType::Utf8, false),
        Field::new("procedure_code", DataType::Utf8, false),
        Field::new(date_column, DataType::Date32, false),
    ];
    fields.extend(
        DAILY_COUNTS
            .iter()
            .map(|c| Field::new(*c, DataType::Int64, false)),
    );
    let mut agency = StringBuilder::new();
    let mut procedure = StringBuilder::new();
    let mut date = Date32Builder::new();
    let mut counts: Vec<Int64Builder> = (0..DAILY_COUNTS.len())
        .map(|_| Int64Builder::new())
        .collect();
    for (a, p, d, c) in rows {
        agency.append_value(a);
        procedure.append_value(p);
        date.append_value(days(d));
        for (b, v) in counts.iter_mut().zip(c.values()) {
            b.append_value(v);
        }
    }
    let mut columns: Vec<ArrayRef> = vec![
        Arc::new(agency.finish()),
        Arc::new(procedure.finish()),
        Arc::new(date.finish()),
    ];
    columns.extend(
        counts
            .into_iter()
            .map(|mut b| Arc::new(b.finish()) as ArrayRef),
    );
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).expect("columns match the schema")
}

/// The events a file holds or was computed from: how many, and the wrapping sum of their
/// keys ([`Event::key`]). Events are only ever added to a bucket, never changed, so equal
/// contents mean the same events (up to a 128-bit collision). The sum is recorded when a
/// file is written and only compared with other recorded sums, never recomputed from a
/// file that has one, so it does not need a hash that is stable across Rust releases.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Content {
    pub events: u64,
    pub digest: u128,
}

/// The key of [`Content`] in the Parquet key-value metadata.
pub const CONTENT_KEY: &str = "tiendo.events";

impl Content {
    pub fn add_key(&mut self, key: u128) {
        self.events += 1;
        self.digest = self.digest.wrapping_add(key);
    }

    pub fn add(&mut self, other: Content) {
        self.events += other.events;
        self.digest = self.digest.wrapping_add(other.digest);
    }

    fn encode(self) -> String {
        format!("{} {:032x}", self.events, self.digest)
    }

    fn decode(text: &str) -> Option<Content> {
        let (events, digest) = text.split_once(' ')?;
        Some(Content {
            events: events.parse().ok()?,
            digest: u128::from_str_radix(digest, 16).ok()?,
        })
    }
}

/// Write a batch as a Parquet file atomically, recording `content` in its metadata: a
/// temporary file, `fsync`, rename over the target, `fsync` of the directory.
pub fn write_parquet(path: &Path, batch: &RecordBatch, content: Content) -> std::io::Result<()> {
    let dir = path.parent().expect("a partition file has a directory");
    fs::create_dir_all(dir)?;
    let tmp = path.with_extension(TMP_EXTENSION);
    let file = File::create(&tmp)?;
    let props = WriterProperties::builder()
        .set_compression(Compression::ZSTD(
            ZstdLevel::try_new(1).expect("valid level"),
        ))
        .set_max_row_group_row_count(Some(1 << 20))
        .set_key_value_metadata(Some(vec![KeyValue::new(
            CONTENT_KEY.to_string(),
            content.encode(),
        )]))
        .build();
    let mut writer =
        ArrowWriter::try_new(file, batch.schema(), Some(props)).map_err(std::io::Error::other)?;
    writer.write(batch).map_err(std::io::Error::other)?;
    let file = writer.into_inner().map_err(std::io::Error::other)?;
    file.sync_all()?;
    failpoint::reached("parquet-written");
    fs::rename(&tmp, path)?;
    sync_dir(dir)?;
    if let Some(table_dir) = dir.parent() {
        sync_dir(table_dir)?;
    }
    Ok(())
}

/// The extension of a file being written by [`write_parquet`] (`part-BB.parquet.tmp`):
/// one left behind by a crash is removed when the store is opened.
pub const TMP_EXTENSION: &str = "parquet.tmp";

/// The [`Content`] recorded in a Parquet file: `None` if the file does not exist or was
/// written without it (before contents were recorded).
pub fn recorded_content(path: &Path) -> std::io::Result<Option<Content>> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let metadata = ParquetMetaDataReader::new()
        .parse_and_finish(&file)
        .map_err(|e| std::io::Error::other(format!("{}: {e}", path.display())))?;
    Ok(metadata
        .file_metadata()
        .key_value_metadata()
        .and_then(|kv| kv.iter().find(|k| k.key == CONTENT_KEY))
        .and_then(|k| k.value.as_deref())
        .and_then(Content::decode))
}

/// The keys ([`Event::key`]) of the events an `events` file holds, reading only its
/// `source` and `event_id` columns; none if the file does not exist.
pub fn event_keys(path: &Path) -> std::io::Result<Vec<u128>> {
    use datafusion::arrow::array::AsArray;
    use datafusion::parquet::arrow::ProjectionMask;
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let fail =
        |e: &dyn std::fmt::Display| std::io::Error::other(format!("{}: {e}", path.display()));
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| fail(&e))?;
    let mask = ProjectionMask::columns(builder.parquet_schema(), ["event_id", "source"]);
    let reader = builder
        .with_projection(mask)
        .with_batch_size(65536)
        .build()
        .map_err(|e| fail(&e))?;
    let mut keys = Vec::new();
    for batch in reader {
        let batch = batch.map_err(|e| fail(&e))?;
        let column = |name: &str| {
            batch
                .column_by_name(name)
                .and_then(|c| c.as_string_opt::<i32>())
                .ok_or_else(|| fail(&format!("no text column {name}")))
        };
        let (ids, sources) = (column("event_id")?, column("source")?);
        keys.extend(ids.iter().zip(sources.iter()).map(|(id, source)| {
            crate::event::event_key(source.unwrap_or_default(), id.unwrap_or_default())
        }));
    }
    Ok(keys)
}

/// Read every row of a Parquet file as record batches.
pub fn read_parquet(path: &Path) -> Result<Vec<RecordBatch>, String> {
    let file = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    read_batches(file).map_err(|e| format!("{}: {e}", path.display()))
}

/// Read a Parquet file of events from outside (`tiendo ingest FILE.parquet`) as record
/// batches for [`events_from_batch`], within the bounds of [`read_parquet_bytes`].
pub fn read_parquet_input(path: &Path) -> Result<Vec<RecordBatch>, String> {
    let file = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let limit = decoded_limit(file.len());
    read_input(file, limit).map_err(|e| format!("{}: {e}", path.display()))
}

/// Read Parquet bytes of events held in memory (an upload) as record batches for
/// [`events_from_batch`]. A file from outside may decode to at most
/// [`PARQUET_DECODED_BYTES`] or [`PARQUET_EXPANSION`] times its size, whichever is more:
/// a 518 KB file once took 1,44 GB of memory. Only the columns of the `events` table are
/// read (all must be there), their texts as views (`Utf8View`) into the pages and
/// dictionaries rather than a copy per row, and both what the pages declare once
/// uncompressed and the batches decoded are counted against the bound.
pub fn read_parquet_bytes(bytes: bytes::Bytes) -> Result<Vec<RecordBatch>, String> {
    let limit = decoded_limit(bytes.len() as u64);
    read_input(bytes, limit)
}

/// The most bytes a file of `length` bytes from outside may decode to.
fn decoded_limit(length: u64) -> u64 {
    PARQUET_DECODED_BYTES.max(length.saturating_mul(PARQUET_EXPANSION))
}

/// Read a file from outside, refusing it once its pages declare, or its batches take,
/// more than `limit` bytes (see [`read_parquet_bytes`]).
fn read_input<R: ChunkReader + 'static>(input: R, limit: u64) -> Result<Vec<RecordBatch>, String> {
    let length = input.len();
    let decode = move || -> Result<Vec<RecordBatch>, String> {
        let input = crate::parquet_guard::checked(input)
            .map_err(|e| refusal(&e))?
            .within(limit);
        let options = ArrowReaderOptions::new()
            .with_page_index_policy(PageIndexPolicy::Skip)
            .with_skip_arrow_metadata(true);
        let metadata =
            ArrowReaderMetadata::load(&input, options.clone()).map_err(|e| refusal(&e))?;
        let schema = metadata.schema();
        for field in events_schema().fields() {
            if schema.field_with_name(field.name()).is_err() {
                return Err(format!("thiếu cột {}", field.name()));
            }
        }
        let viewed = Arc::new(Schema::new(
            schema
                .fields()
                .iter()
                .map(|f| match f.data_type() {
                    DataType::Utf8 | DataType::LargeUtf8 => {
                        f.as_ref().clone().with_data_type(DataType::Utf8View)
                    }
                    DataType::Binary | DataType::LargeBinary => {
                        f.as_ref().clone().with_data_type(DataType::BinaryView)
                    }
                    _ => f.as_ref().clone(),
                })
                .collect::<Vec<_>>(),
        ));
        let metadata =
            ArrowReaderMetadata::try_new(metadata.metadata().clone(), options.with_schema(viewed))
                .map_err(|e| refusal(&e))?;
        let builder = ParquetRecordBatchReaderBuilder::new_with_metadata(input, metadata);
        let mask = ProjectionMask::columns(
            builder.parquet_schema(),
            events_schema().fields().iter().map(|f| f.name().as_str()),
        );
        let reader = builder
            .with_projection(mask)
            .with_batch_size(INPUT_BATCH_ROWS)
            .build()
            .map_err(|e| refusal(&e))?;
        let mut batches = Vec::new();
        let mut decoded: u64 = 0;
        for batch in reader {
            let batch = batch.map_err(|e| refusal(&e))?;
            decoded = decoded.saturating_add(batch.get_array_memory_size() as u64);
            if decoded > limit {
                return Err(format!(
                    "tệp Parquet quá lớn khi giải nén: {} dòng đầu đã chiếm hơn {} MB bộ nhớ (tệp {} MB), quá giới hạn {} MB",
                    batches.iter().map(RecordBatch::num_rows).sum::<usize>() + batch.num_rows(),
                    crate::parquet_guard::megabytes(decoded),
                    crate::parquet_guard::megabytes(length),
                    crate::parquet_guard::megabytes(limit)
                ));
            }
            batches.push(batch);
        }
        Ok(batches)
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(decode)).unwrap_or_else(|_| {
        Err("tệp Parquet hỏng: bộ giải mã Parquet không đọc được dữ liệu của tệp".to_string())
    })
}

/// Rows of a batch read from a file from outside: the memory a batch takes before it is
/// counted is at most this many rows of the `events` columns (16 bytes a text).
const INPUT_BATCH_ROWS: usize = 8192;

/// The check's refusal without the decoder's English wrappers ("Parquet argument error:
/// Parquet error: …") around it; other errors as the decoder words them.
fn refusal(error: &dyn std::fmt::Display) -> String {
    let text = error.to_string();
    text.find("tệp Parquet ")
        .map_or_else(|| text.clone(), |at| text[at..].to_string())
}

/// A file from outside must give batches or an error in a time that grows with its size,
/// never a panic. The Parquet decoder panics on some malformed files (found by fuzzing: an
/// arithmetic overflow in parquet 59's RLE decoder,
/// `testdata/fuzz-parquet-rle-overflow.parquet`), so a panic while decoding is turned into
/// an error; and it can spend minutes on a few malformed bytes of Thrift, so the footer and
/// every page header are checked first ([`crate::parquet_guard`]). Page headers are read
/// only through [`ChunkReader::get_read`] when the page index is not read, hence the
/// explicit policy.
fn read_batches<R: ChunkReader + 'static>(input: R) -> Result<Vec<RecordBatch>, String> {
    let decode = move || -> Result<Vec<RecordBatch>, String> {
        let input = crate::parquet_guard::checked(input).map_err(|e| refusal(&e))?;
        let options = ArrowReaderOptions::new().with_page_index_policy(PageIndexPolicy::Skip);
        let reader = ParquetRecordBatchReaderBuilder::try_new_with_options(input, options)
            .and_then(|b| b.with_batch_size(65536).build())
            .map_err(|e| refusal(&e))?;
        reader
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| refusal(&e))
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(decode)).unwrap_or_else(|_| {
        Err("tệp Parquet hỏng: bộ giải mã Parquet không đọc được dữ liệu của tệp".to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parquet_file_that_makes_the_decoder_panic_gives_an_error() {
        let bytes = bytes::Bytes::from_static(include_bytes!(
            "../testdata/fuzz-parquet-rle-overflow.parquet"
        ));
        let error = read_parquet_bytes(bytes).expect_err("a malformed file");
        assert!(error.contains("tệp Parquet hỏng"), "{error}");
    }

    /// Files of a few tens of KB on which the decoder spent from 40 s to hours skipping
    /// what a malformed page header or footer declares (a list of two billion 8-byte
    /// values past the end of the file, found by fuzzing; lists of two billion booleans,
    /// which take no bytes); refused by the check before the decoder sees them now, from
    /// memory and from a file alike.
    #[test]
    fn malformed_thrift_in_a_page_header_or_the_footer_is_refused_before_decoding() {
        let dir = tempfile::tempdir().unwrap();
        for (name, bytes, refused) in [
            (
                "endless-skip",
                &include_bytes!("../testdata/fuzz-parquet-endless-skip.parquet")[..],
                "đầu trang dữ liệu",
            ),
            (
                "boolean-lists-page",
                &include_bytes!("../testdata/fuzz-parquet-boolean-lists-page.parquet")[..],
                "đầu trang dữ liệu",
            ),
            (
                "boolean-lists-footer",
                &include_bytes!("../testdata/fuzz-parquet-boolean-lists-footer.parquet")[..],
                "siêu dữ liệu",
            ),
        ] {
            let error = read_parquet_bytes(bytes::Bytes::copy_from_slice(bytes)).expect_err(name);
            assert!(
                error.starts_with(&format!("tệp Parquet hỏng: {refused}")),
                "{name}: {error}"
            );
            let path = dir.path().join(format!("{name}.parquet"));
            fs::write(&path, bytes).unwrap();
            let error = read_parquet(&path).expect_err(name);
            assert!(
                error.contains(&format!("tệp Parquet hỏng: {refused}")),
                "{name}: {error}"
            );
        }
    }

    #[test]
    fn rollups_add_up_through_their_batches() {
        let received = r#"{"event_id":"e1","source":"s","agency_id":"A","dossier_id":"H","procedure_code":"P","service_level":"full_online","fee":true,"channel":2,"type":"received","time":"2024-05-06T08:00:00+07:00","received_at":"2024-05-06T08:00:00+07:00","due_date":"2024-05-07","paid_online":true}"#;
        let processed = received.replace("\"e1\"", "\"e2\"").replace(
            "\"received\",\"time\":\"2024-05-06",
            "\"processed\",\"time\":\"2024-05-09",
        );
        let mut events = vec![
            Event::from_json(received).unwrap(),
            Event::from_json(&processed).unwrap(),
        ];
        let facts = crate::dossier::fold(&mut events, &crate::calendar::Calendar::vietnam());
        let mut bucket = Rollups::default();
        bucket.add(&facts);
        assert_eq!(bucket.overdue.len(), 1, "finished late");
        let mut month = Rollups::default();
        for _ in 0..2 {
            month.add_daily_batch(&bucket.daily_batch()).unwrap();
            month.add_overdue_batch(&bucket.overdue_batch()).unwrap();
        }
        let mut twice = Rollups::default();
        twice.add(&facts);
        twice.add(&facts);
        assert_eq!(month.daily, twice.daily);
        assert_eq!(month.overdue, twice.overdue);
    }

    /// A dossier received at the end of May and finished in June adds to May's row of
    /// `monthly` for its receipt and to June's for its finish, as `daily` does by day.
    #[test]
    fn the_monthly_rollup_sums_the_days_of_each_calendar_month() {
        let received = r#"{"event_id":"e1","source":"s","agency_id":"A","dossier_id":"H","procedure_code":"P","service_level":"full_online","fee":true,"channel":2,"type":"received","time":"2024-05-30T08:00:00+07:00","received_at":"2024-05-30T08:00:00+07:00","due_date":"2024-06-07","paid_online":true}"#;
        let second = received
            .replace("\"H\"", "\"H2\"")
            .replace("2024-05-30", "2024-05-31");
        let finished = second.replace("\"e1\"", "\"e2\"").replace(
            "\"received\",\"time\":\"2024-05-31",
            "\"processed\",\"time\":\"2024-06-03",
        );
        let mut rollups = Rollups::default();
        for dossier in [vec![received.to_string()], vec![second, finished]] {
            let mut events: Vec<Event> = dossier
                .iter()
                .map(|e| Event::from_json(e).unwrap())
                .collect();
            rollups.add(&crate::dossier::fold(
                &mut events,
                &crate::calendar::Calendar::vietnam(),
            ));
        }
        assert_eq!(rollups.daily.len(), 3, "two receipt days and a finish day");
        let may = NaiveDate::from_ymd_opt(2024, 5, 1).unwrap();
        let june = NaiveDate::from_ymd_opt(2024, 6, 1).unwrap();
        let monthly = rollups.monthly();
        assert_eq!(
            monthly.keys().copied().collect::<Vec<_>>(),
            vec![("A", "P", may), ("A", "P", june)]
        );
        assert_eq!(
            (
                monthly[&("A", "P", may)].received,
                monthly[&("A", "P", may)].finished
            ),
            (2, 0)
        );
        assert_eq!(
            (
                monthly[&("A", "P", june)].received,
                monthly[&("A", "P", june)].finished,
                monthly[&("A", "P", june)].on_time
            ),
            (0, 1, 1)
        );
        let batch = rollups.monthly_batch();
        assert_eq!(batch.num_rows(), 2);
        let month = batch
            .column_by_name("month")
            .unwrap()
            .as_any()
            .downcast_ref::<Date32Array>()
            .unwrap();
        assert_eq!(
            (date(month.value(0)).unwrap(), date(month.value(1)).unwrap()),
            (may, june)
        );
    }

    #[test]
    fn a_dossier_keeps_its_bucket() {
        // The stored layout depends on these values (FNV-1a, checked against another
        // implementation): they must never change.
        let pinned: Vec<u32> = ["HNI-0000000001", "HNI-0000000002", "BTC-0000000003"]
            .iter()
            .map(|d| dossier_bucket("s", d))
            .collect();
        assert_eq!(pinned, vec![28, 21, 16]);
        let spread: std::collections::BTreeSet<u32> = (0..1000)
            .map(|n| dossier_bucket("s", &format!("HNI-{n:010}")))
            .collect();
        assert_eq!(
            spread.len(),
            BUCKETS as usize,
            "a thousand dossiers fill every bucket"
        );
    }

    #[test]
    fn events_round_trip_through_parquet() {
        let line = r#"{"event_id":"e1","source":"s","agency_id":"A","dossier_id":"H","procedure_code":"P","service_level":"partial_online","fee":true,"channel":3,"type":"processed","time":"2024-05-08T10:00:00+07:00","received_at":"2024-05-06T08:00:00+07:00","due_date":"2024-05-10","result_kind":"electronic","digitised":true,"paid_online":false,"satisfaction":5}"#;
        let e = Event::from_json(line).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = bucket_file(
            dir.path(),
            EVENTS,
            "2024-05",
            dossier_bucket(&e.source, &e.dossier_id),
        );
        let mut content = Content::default();
        content.add_key(e.key());
        assert_eq!(recorded_content(&path).unwrap(), None, "no file yet");
        write_parquet(&path, &events_batch(std::slice::from_ref(&e)), content).unwrap();
        let batches = read_parquet(&path).unwrap();
        let back: Vec<Event> = batches
            .iter()
            .flat_map(|b| stored_events_from_batch(b).unwrap())
            .map(Result::unwrap)
            .collect();
        assert_eq!(back, vec![e.clone()]);
        // As a file from outside: texts read as views, the same event.
        let outside = read_parquet_input(&path).unwrap();
        assert_eq!(
            outside[0].column_by_name("event_id").unwrap().data_type(),
            &DataType::Utf8View
        );
        let back: Vec<Event> = outside
            .iter()
            .flat_map(|b| events_from_batch(b).unwrap())
            .map(Result::unwrap)
            .collect();
        assert_eq!(back, vec![e.clone()]);
        assert_eq!(recorded_content(&path).unwrap(), Some(content));
        assert_eq!(
            event_keys(&path).unwrap(),
            vec![e.key()],
            "the keys, from two columns"
        );
        assert_eq!(
            event_keys(&dir.path().join("none.parquet")).unwrap(),
            Vec::<u128>::new()
        );
        assert!(!path.with_extension(TMP_EXTENSION).exists());
    }

    /// Found by fuzzing: a well-formed file whose due day is millions of years away
    /// overflowed the date arithmetic (a panic); that row is now an event with its reason.
    #[test]
    fn a_day_number_out_of_range_is_a_rejected_row() {
        let bytes = bytes::Bytes::from_static(include_bytes!(
            "../testdata/fuzz-parquet-due-date-overflow.parquet"
        ));
        let batches = read_parquet_bytes(bytes).expect("a readable file");
        let rows: Vec<Result<Event, String>> = batches
            .iter()
            .flat_map(|b| events_from_batch(b).unwrap())
            .collect();
        assert!(
            rows.iter().any(|r| r
                .as_ref()
                .is_err_and(|why| why.starts_with("ngày không hợp lệ"))),
            "{:?}",
            rows.iter()
                .filter(|r| r.is_err())
                .take(3)
                .collect::<Vec<_>>()
        );
        assert_eq!(
            date(i32::MAX),
            Err(format!(
                "ngày không hợp lệ: {} ngày kể từ 01/01/1970",
                i32::MAX
            ))
        );
        assert_eq!(
            date(19_850),
            Ok(NaiveDate::from_ymd_opt(2024, 5, 7).unwrap())
        );
    }

    /// The decoder reads the footer's last 8 bytes through the same call as page headers;
    /// the check must let them through whatever they hold (the footer's length varies
    /// with the events' texts), for files as written, read from a path.
    #[test]
    fn files_as_written_pass_the_check_whatever_their_footer_length() {
        let line = r#"{"event_id":"e1","source":"s","agency_id":"A","dossier_id":"H","procedure_code":"P","service_level":"full_online","fee":true,"channel":2,"type":"received","time":"2024-05-06T08:00:00+07:00","received_at":"2024-05-06T08:00:00+07:00","due_date":"2024-05-07","paid_online":true}"#;
        let dir = tempfile::tempdir().unwrap();
        let mut lengths = std::collections::BTreeSet::new();
        for n in 1..=40 {
            let events: Vec<Event> = (0..n)
                .map(|i| {
                    Event::from_json(&line.replace("\"e1\"", &format!("\"e{}\"", "x".repeat(i))))
                        .unwrap()
                })
                .collect();
            let path = dir.path().join(format!("{n}.parquet"));
            write_parquet(&path, &events_batch(&events), Content::default()).unwrap();
            let bytes = fs::read(&path).unwrap();
            lengths.insert(bytes[bytes.len() - 8]);
            let back: usize = read_parquet(&path)
                .unwrap()
                .iter()
                .map(RecordBatch::num_rows)
                .sum();
            assert_eq!(back, n, "{n} events");
        }
        assert!(lengths.len() > 10, "footers of many lengths: {lengths:?}");
    }

    /// A file of `rows` copies of one event, written by the `parquet` crate with
    /// `dictionary` encoding or not, compressed with Zstandard at its highest level.
    fn copies_of_one_event(rows: usize, dictionary: bool) -> bytes::Bytes {
        let line = r#"{"event_id":"e1","source":"s","agency_id":"A","dossier_id":"H","procedure_code":"P","service_level":"full_online","fee":true,"channel":2,"type":"received","time":"2024-05-06T08:00:00+07:00","received_at":"2024-05-06T08:00:00+07:00","due_date":"2024-05-07","paid_online":true}"#;
        let events = vec![Event::from_json(line).unwrap(); rows];
        let props = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::try_new(22).unwrap()))
            .set_dictionary_enabled(dictionary)
            .build();
        let mut bytes = Vec::new();
        let mut writer = ArrowWriter::try_new(&mut bytes, events_schema(), Some(props)).unwrap();
        writer.write(&events_batch(&events)).unwrap();
        writer.close().unwrap();
        bytes::Bytes::from(bytes)
    }

    /// Finding: a 518 KB file decoded to 1,44 GB of memory. Long runs of one value
    /// compress a thousandfold: the pages declare what they hold once uncompressed, and
    /// the file is refused when that passes the bound (lowered here to 64 times the
    /// file's size, so that the file stays small), before the decoder allocates for it.
    #[test]
    fn a_file_whose_pages_declare_too_much_uncompressed_is_refused() {
        let bytes = copies_of_one_event(200_000, false);
        let length = bytes.len() as u64;
        assert!(length < 200_000, "{length} bytes");
        let error = read_input(bytes.clone(), 64 * length).expect_err("a compression bomb");
        assert!(
            error
                .starts_with("tệp Parquet quá lớn khi giải nén: các trang dữ liệu đã đọc khai báo"),
            "{error}"
        );
        // Within the default bound (256 MB for a file this small), it is read.
        let rows: usize = read_parquet_bytes(bytes)
            .unwrap()
            .iter()
            .map(RecordBatch::num_rows)
            .sum();
        assert_eq!(rows, 200_000);
    }

    /// The same copies with dictionary encoding: each page holds one value and a run
    /// length, so the pages declare little; the rows decoded are what count.
    #[test]
    fn a_file_whose_rows_decode_to_too_much_memory_is_refused() {
        let bytes = copies_of_one_event(200_000, true);
        let length = bytes.len() as u64;
        assert!(length < 20_000, "{length} bytes");
        let error = read_input(bytes.clone(), 64 * length).expect_err("a run-length bomb");
        assert!(
            error.starts_with("tệp Parquet quá lớn khi giải nén: ") && error.contains("dòng đầu"),
            "{error}"
        );
        assert_eq!(
            decoded_limit(length),
            PARQUET_DECODED_BYTES,
            "a small file has the floor"
        );
        assert_eq!(decoded_limit(1 << 30), PARQUET_EXPANSION << 30);
    }

    /// A file from outside is read as the `events` table's columns, texts as views; one
    /// without them is refused before its rows are read.
    #[test]
    fn a_file_from_outside_needs_the_events_columns() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.parquet");
        let schema = Arc::new(Schema::new(vec![Field::new("x", DataType::Int32, false)]));
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![Arc::new(Int32Array::from(vec![1, 2, 3])) as ArrayRef],
        )
        .unwrap();
        let mut writer = ArrowWriter::try_new(File::create(&path).unwrap(), schema, None).unwrap();
        writer.write(&batch).unwrap();
        writer.close().unwrap();
        let error = read_parquet_input(&path).expect_err("no events columns");
        assert!(error.ends_with(": thiếu cột event_id"), "{error}");
    }

    /// A row from outside whose due date is past the bounds is a refused row with its
    /// reason, as an NDJSON or CSV line is; the same event in the store's own table
    /// (stored before the bounds) is still read.
    #[test]
    fn rows_past_the_bounds_of_the_dates_are_refused_from_outside_only() {
        let line = r#"{"event_id":"e1","source":"s","agency_id":"A","dossier_id":"H","procedure_code":"P","service_level":"full_online","fee":false,"channel":2,"type":"received","time":"2024-05-06T08:00:00+07:00","received_at":"2024-05-06T08:00:00+07:00","due_date":"2024-05-07"}"#;
        let mut e = Event::from_json(line).unwrap();
        e.due_date = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("far.parquet");
        write_parquet(
            &path,
            &events_batch(std::slice::from_ref(&e)),
            Content::default(),
        )
        .unwrap();
        let rows = events_from_batch(&read_parquet_input(&path).unwrap()[0]).unwrap();
        assert!(
            rows[0]
                .as_ref()
                .unwrap_err()
                .starts_with("hạn giải quyết (due_date) 9999-12-31 quá"),
            "{rows:?}"
        );
        let stored = stored_events_from_batch(&read_parquet(&path).unwrap()[0]).unwrap();
        assert_eq!(stored, vec![Ok(e)]);
    }

    #[test]
    fn contents_add_up_in_any_order() {
        let (mut a, mut b, mut both) = (Content::default(), Content::default(), Content::default());
        for key in [u128::MAX, 7, 1 << 100] {
            a.add_key(key);
            both.add_key(key);
        }
        b.add_key(3);
        both.add_key(3);
        b.add(a);
        assert_eq!(b, both);
        assert_eq!(Content::decode(&both.encode()), Some(both));
        assert_eq!(Content::decode("12"), None);
    }
}
