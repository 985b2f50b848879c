//! One writer per event store (finding H3): `tiendo ingest - --ack --no-compact`
//! acknowledged 38 958 events while `tiendo serve --compact-every 1` ran on the same
//! events directory, and 3 000 were stored, without an error. The store is now locked by
//! whoever opens it: a second `tiendo ingest` (or `serve`, or `measure`) on a held
//! directory fails at once, says why, and writes nothing.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use tiendo_events::EventStore;
use tiendo_events::calendar::Calendar;

const EVENT: &str = r#"{"event_id":"e1","source":"dvc","agency_id":"HNI","dossier_id":"H1","procedure_code":"1.000001","service_level":"full_online","fee":false,"channel":2,"type":"received","time":"2024-05-06T08:00:00+07:00","received_at":"2024-05-06T08:00:00+07:00","due_date":"2024-05-10"}"#;

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

fn held_message(events: &Path) -> String {
    format!(
        "kho sự kiện {} đang được một tiến trình tiendo khác ghi (tiendo serve hoặc tiendo ingest); hãy dừng tiến trình đó hoặc gửi sự kiện qua API của nó",
        events.display()
    )
}

/// Every file under `root` with its length, in order: what a refused writer must leave
/// as it was.
fn tree(root: &Path) -> Vec<(PathBuf, u64)> {
    let mut found = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path.clone());
            }
            let length = path.metadata().unwrap().len();
            found.push((path, length));
        }
    }
    found.sort();
    found
}

fn assert_refused(out: &Output, events: &Path) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "a second writer was let in:\n{}{stderr}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        stderr.contains(&held_message(events)),
        "the refusal says why:\n{stderr}"
    );
}

#[test]
fn ingest_into_a_store_held_by_another_writer_fails_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let events = dir.path().join("events");
    let input = dir.path().join("events.ndjson");
    std::fs::write(&input, format!("{EVENT}\n")).unwrap();
    let (events_arg, input_arg) = (events.to_str().unwrap(), input.to_str().unwrap());

    let held = EventStore::open(&events, Calendar::vietnam()).unwrap();
    let before = tree(&events);
    for args in [
        vec!["ingest", input_arg, "--events-dir", events_arg],
        vec![
            "ingest",
            input_arg,
            "--no-compact",
            "--events-dir",
            events_arg,
        ],
        vec![
            "measure",
            "--period",
            "2024-05",
            "--no-store",
            "--events-dir",
            events_arg,
        ],
    ] {
        let out = tiendo(dir.path(), &args);
        assert_refused(&out, &events);
        assert_eq!(tree(&events), before, "{args:?} wrote into the held store");
    }
    assert_eq!(held.pending_events(), 0);
    drop(held);

    // Released: the same command goes through.
    let out = tiendo(
        dir.path(),
        &["ingest", input_arg, "--events-dir", events_arg],
    );
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        EventStore::open(&events, Calendar::vietnam())
            .unwrap()
            .stored_events()
            .unwrap(),
        1
    );
}

/// A running server, killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

#[test]
fn ingest_beside_a_running_server_fails_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let events = dir.path().join("events");
    let input = dir.path().join("events.ndjson");
    std::fs::write(&input, format!("{EVENT}\n")).unwrap();
    let (events_arg, input_arg) = (events.to_str().unwrap(), input.to_str().unwrap());

    let init = tiendo(dir.path(), &["init"]);
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let address = format!("127.0.0.1:{port}");
    let mut server = Server(
        Command::new(env!("CARGO_BIN_EXE_tiendo"))
            .current_dir(dir.path())
            .env_remove("TIENDO_EVENTS_DIR")
            .arg("--database")
            .arg(dir.path().join("t.db"))
            .args([
                "serve",
                "--listen",
                &address,
                "--compact-every",
                "1",
                "--events-dir",
                events_arg,
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("tiendo serve starts"),
    );
    let started = Instant::now();
    while TcpStream::connect(&address).is_err() {
        assert!(
            server.0.try_wait().unwrap().is_none(),
            "tiendo serve stopped"
        );
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the server listens"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = tiendo(
        dir.path(),
        &[
            "ingest",
            input_arg,
            "--ack",
            "--no-compact",
            "--events-dir",
            events_arg,
        ],
    );
    assert_refused(&out, &events);
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("ack"),
        "nothing acknowledged"
    );

    // A second server on the same directory is refused too.
    let second = tiendo(
        dir.path(),
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--events-dir",
            events_arg,
        ],
    );
    assert_refused(&second, &events);

    // The server stopped (however: here killed), the store holds nothing from the
    // refused ingestion.
    drop(server);
    let store = EventStore::open(&events, Calendar::vietnam()).unwrap();
    assert_eq!(
        (store.pending_events(), store.stored_events().unwrap()),
        (0, 0)
    );
}
