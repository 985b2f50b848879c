//! Automatic compaction in `tiendo serve` (issue 17): a server fed by
//! `POST /api/v1/events` never needs a person to compact. A background task looks at the
//! event store at a fixed interval; when the log holds events it compacts them (one
//! compaction at a time, bucket by bucket, so memory holds a bucket per core; a crash at
//! any step is repaired by the next run) and then measures again the months whose
//! figures the new events changed, writing the measured observations through the same
//! journaled import plan as `tiendo measure`. What it is doing and what it last did are
//! visible to the administrator (`GET /api/v1/events/status`).

use std::sync::Arc;
use std::time::Duration;

use tiendo_core::period::Period;
use tiendo_events::index::IndexConfig;
use tiendo_events::observe;
use tiendo_events::query::Engine;
use tiendo_store::Store;

use crate::error::AppError;
use crate::state::{App, CompactionRun};
use tiendo_app::accounts::now_rfc3339;

/// Compact if the log holds events, then measure the months that changed. Returns what
/// was done, or `None` when there was nothing to do (or no event store).
pub async fn run_once(app: &Arc<App>) -> Option<CompactionRun> {
    let events = app.events.as_ref()?;
    if events.pending_events() == 0 {
        return None;
    }
    let started_at = now_rfc3339();
    app.compaction.lock().expect("status lock").running_since = Some(started_at.clone());
    let worker = app.clone();
    let compacted = tokio::task::spawn_blocking(move || {
        worker.events.as_ref().expect("an event store").compact()
    })
    .await;
    let result = match compacted {
        Ok(Ok(report)) => Ok(report),
        Ok(Err(e)) => Err(e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    let run = match result {
        Ok(report) => {
            let mut run = CompactionRun {
                started_at,
                read: report.read,
                added: report.added,
                duplicates: report.duplicates,
                repaired: report.repaired,
                affected_months: report.affected_months.clone(),
                ..CompactionRun::default()
            };
            match measure_again(app, &report.affected_months).await {
                Ok(months) => run.measured_months = months,
                Err(why) => run.note = Some(why),
            }
            run.finished_at = now_rfc3339();
            Ok(run)
        }
        Err(e) => Err(e),
    };
    let mut status = app.compaction.lock().expect("status lock");
    status.running_since = None;
    status.runs += 1;
    match run {
        Ok(run) => {
            status.last = Some(run.clone());
            status.last_error = None;
            Some(run)
        }
        Err(e) => {
            tracing::error!(cause = %e, "nén kho sự kiện tự động thất bại");
            status.last_error = Some(e);
            None
        }
    }
}

/// Measure `months` again from the event store and store the observations, when the
/// measured programme is already in the data (`tiendo measure` has run once, with its
/// owner and regime). Returns the months stored.
async fn measure_again(app: &Arc<App>, months: &[String]) -> Result<Vec<String>, String> {
    let data = app
        .data()
        .await
        .map_err(|e| AppError::from(e).body.message_vi)?;
    let Some(programme) = data.programme(observe::PROGRAMME_ID) else {
        return Err(
            "chưa đo lường lần nào (chạy `tiendo measure` một lần để tạo chương trình đo lường)"
                .to_string(),
        );
    };
    let events = app.events.as_ref().expect("an event store");
    let engine = Engine::open(events.root())
        .await
        .map_err(|e| e.to_string())?;
    let mut measured = Vec::new();
    for month in months {
        let period: Period = month
            .parse()
            .map_err(|e: tiendo_core::period::PeriodParseError| e.to_string())?;
        let (start, end) = period.bounds(programme.regime);
        let counts = engine.counts(start, end).await.map_err(|e| e.to_string())?;
        if !counts.is_empty() {
            measured.push((period, counts));
        }
    }
    if measured.is_empty() {
        return Ok(Vec::new());
    }
    let (records, _) = observe::measured_records(
        &IndexConfig::builtin(),
        &data,
        &programme.owner_agency,
        programme.regime,
        &measured,
    );
    let planned =
        tiendo_exchange::import::plan(&observe::as_sources(&records), &data).map_err(|errors| {
            errors
                .iter()
                .take(5)
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        })?;
    let stored: Vec<String> = measured.iter().map(|(p, _)| p.code()).collect();
    app.store
        .apply(
            &planned.changes,
            "tiendo serve (đo tự động)",
            &format!(
                "Đo lại từ sự kiện hồ sơ sau khi nén, tháng {}",
                stored.join(", ")
            ),
        )
        .await
        .map_err(|e| e.to_string())?;
    app.invalidate();
    Ok(stored)
}

/// Run [`run_once`] every `every` until the server stops.
pub fn spawn(app: Arc<App>, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            run_once(&app).await;
        }
    })
}
