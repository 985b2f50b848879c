//! The bounds of an event's dates through `tiendo ingest` (findings H2 and M3): three
//! events of a dossier due `+262142-12-31` made every later compaction panic, and
//! `tiendo ingest` and `tiendo measure` exit 101; an event due in 9999 made the server
//! measure every month up to then again. Such events are now refused rows, reported with
//! their reason in NDJSON, CSV and Parquet alike, and the valid rows beside them are
//! stored and measured.

use std::path::Path;
use std::process::{Command, Output};

use tiendo_events::columnar::{self, Content};
use tiendo_events::event::Event;

fn tiendo(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .current_dir(dir)
        .env_remove("TIENDO_FAILPOINT")
        .env_remove("TIENDO_EVENTS_DIR")
        .arg("--database")
        .arg(dir.join("t.db"))
        .args(args)
        .output()
        .expect("tiendo runs")
}

fn line(id: &str, dossier: &str, kind: &str, day: &str, due: &str) -> String {
    format!(
        r#"{{"event_id":"{id}","source":"dvc","agency_id":"HNI","dossier_id":"{dossier}","procedure_code":"1.000001","service_level":"full_online","fee":false,"channel":2,"type":"{kind}","time":"{day}T08:00:00+07:00","received_at":"2024-05-06T08:00:00+07:00","due_date":"{due}"}}"#
    )
}

/// The valid dossier H1 (received, processed) and the dossier H2 of finding H2.
fn events() -> Vec<String> {
    let far = "+262142-12-31";
    vec![
        line("1", "H1", "received", "2024-05-06", "2024-05-10"),
        line("2", "H2", "received", "2024-05-06", far),
        line("3", "H2", "supplement_requested", "2024-05-07", far),
        line("4", "H2", "supplemented", "2024-05-13", far),
        line("5", "H1", "processed", "2024-05-09", "2024-05-10"),
    ]
}

/// Ingest `file`, which holds [`events`] in some format from line (or row) `first` on,
/// into a new store, and measure it.
fn ingest_and_measure(dir: &Path, file: &Path, first: usize) {
    let events_dir = dir.join(format!(
        "events-{}",
        file.extension().unwrap().to_str().unwrap()
    ));
    let events_arg = events_dir.to_str().unwrap();
    let out = tiendo(
        dir,
        &["ingest", file.to_str().unwrap(), "--events-dir", events_arg],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "refused rows make the exit code 1, not a panic's 101:\n{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("nhận 02 sự kiện mới") && stdout.contains("03 bị từ chối"),
        "{stdout}"
    );
    for row in first + 1..=first + 3 {
        assert!(
            stdout.contains(&format!(
                "dòng {row}: hạn giải quyết (due_date) +262142-12-31 quá 1098 ngày sau ngày tiếp nhận 2024-05-06"
            )),
            "row {row}: {stdout}"
        );
    }
    assert!(
        stdout.contains("Các tháng cần tính lại (tiendo measure): 2024-05\n"),
        "{stdout}"
    );
    assert!(stdout.contains(": 02 sự kiện."), "{stdout}");

    let out = tiendo(
        dir,
        &[
            "measure",
            "--period",
            "2024-05",
            "--no-store",
            "--events-dir",
            events_arg,
        ],
    );
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn events_past_the_bounds_are_refused_rows_in_every_format() {
    let dir = tempfile::tempdir().unwrap();

    let ndjson = dir.path().join("events.ndjson");
    std::fs::write(&ndjson, events().join("\n")).unwrap();
    ingest_and_measure(dir.path(), &ndjson, 1);

    let csv = dir.path().join("events.csv");
    let columns = [
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
    ];
    let mut text = columns.join(",") + "\n";
    for e in events() {
        let value: serde_json::Value = serde_json::from_str(&e).unwrap();
        let cells: Vec<String> = columns
            .iter()
            .map(|c| match &value[*c] {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect();
        text += &(cells.join(",") + "\n");
    }
    std::fs::write(&csv, text).unwrap();
    ingest_and_measure(dir.path(), &csv, 2);

    // Parquet rows are built in code, past the checks of JSON.
    let parquet = dir.path().join("events.parquet");
    let rows: Vec<Event> = events()
        .iter()
        .map(|e| serde_json::from_str(e).unwrap())
        .collect();
    columnar::write_parquet(&parquet, &columnar::events_batch(&rows), Content::default()).unwrap();
    ingest_and_measure(dir.path(), &parquet, 1);
}

/// Finding M3: one event due on 31 December 9999.
#[test]
fn an_event_due_in_9999_is_refused_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("far.ndjson");
    std::fs::write(
        &file,
        line("1", "H9", "received", "2024-05-06", "9999-12-31"),
    )
    .unwrap();
    let events_dir = dir.path().join("events");
    let out = tiendo(
        dir.path(),
        &[
            "ingest",
            file.to_str().unwrap(),
            "--events-dir",
            events_dir.to_str().unwrap(),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(
            "dòng 1: hạn giải quyết (due_date) 9999-12-31 quá 1098 ngày sau ngày tiếp nhận 2024-05-06"
        ),
        "{stdout}"
    );
    assert!(!stdout.contains("Các tháng cần tính lại"), "{stdout}");
}
