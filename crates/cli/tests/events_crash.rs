//! Crash and idempotency of event ingestion: `tiendo ingest` is killed with SIGKILL in the
//! middle of a file, restarted with the tail it had not acknowledged (and some lines it
//! had, as a client re-sending a batch would), and the store must then hold every event
//! exactly once.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

fn tiendo(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tiendo")).args(args).output().expect("tiendo runs")
}

fn stored_events(stdout: &str) -> usize {
    let line = stdout.lines().find(|l| l.starts_with("Kho sự kiện")).unwrap_or_else(|| panic!("no store line in: {stdout}"));
    let n = line.rsplit(": ").next().unwrap().trim_end_matches(" sự kiện.").replace('.', "");
    n.parse().unwrap()
}

#[test]
fn kill_during_ingestion_loses_nothing_acknowledged_and_counts_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let (db, events, data) = (path("t.db"), path("events"), path("events.ndjson"));
    let out = tiendo(&["gen-events", "--dossiers", "3000", "--seed", "9", "--from", "2024-05-01", "--to", "2024-05-31", "-o", &data]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<String> = std::fs::read_to_string(&data).unwrap().lines().map(str::to_string).collect();
    let total = lines.len();
    assert!(total > 2 * 3000, "several events per dossier: {total}");

    let mut child = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .args(["--database", &db, "ingest", &data, "--batch", "50", "--ack", "--no-compact", "--events-dir", &events])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut acked = 0;
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        if let Some(n) = line.unwrap().strip_prefix("ack ") {
            acked = n.parse().unwrap();
            if acked >= total / 4 {
                break;
            }
        }
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "ingestion was killed before it finished");
    assert!(acked >= total / 4 && acked < total);

    // Re-send from a little before the last acknowledgement we saw to the end.
    let resend_from = acked - 200;
    let tail = path("tail.ndjson");
    std::fs::write(&tail, lines[resend_from..].join("\n")).unwrap();
    let out = tiendo(&["--database", &db, "ingest", &tail, "--events-dir", &events]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stored_events(&stdout), total, "every event exactly once:\n{stdout}");

    // Re-sending the whole file changes nothing.
    let out = tiendo(&["--database", &db, "ingest", &data, "--events-dir", &events]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stored_events(&stdout), total, "{stdout}");
    assert!(stdout.contains(&format!("{} trùng", tiendo_format(total))), "all duplicates at compaction: {stdout}");
    assert!(Path::new(&events).join("daily").is_dir());
}

/// The count as the CLI prints it (Vietnamese grouping).
fn tiendo_format(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    out
}
