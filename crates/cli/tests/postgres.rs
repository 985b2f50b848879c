//! `tiendo` on PostgreSQL prints what it prints on SQLite: the demo data imported, the
//! demo reports, the data check, the export and the journal are the same on both.

#[path = "../../store/tests/support/postgres.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::TestSchema;
use tempfile::TempDir;

/// `tiendo --database <database> <args…>`, which must succeed; its standard output.
fn tiendo(database: &str, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .env_remove("TIENDO_DATABASE")
        .args(["--database", database])
        .args(args)
        .output()
        .expect("tiendo runs");
    assert!(
        out.status.success(),
        "tiendo --database {database} {args:?}: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("stdout is UTF-8")
}

/// The journal as `tiendo journal` prints it, less the time of each change.
fn journal_without_times(database: &str) -> Vec<serde_json::Value> {
    tiendo(database, &["journal"])
        .lines()
        .map(|line| {
            let mut entry: serde_json::Value = serde_json::from_str(line).unwrap();
            entry
                .as_object_mut()
                .unwrap()
                .remove("at")
                .expect("a journal entry has a time");
            entry
        })
        .collect()
}

fn read_dir_sorted(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_str().unwrap().to_string(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn import_and_reports_on_postgresql_match_sqlite() {
    let Some(schema) = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(TestSchema::new())
    else {
        return;
    };
    let tmp = TempDir::new().unwrap();
    let sqlite = tmp.path().join("t.db").to_str().unwrap().to_string();
    let postgres = schema.url();
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/demo");
    let sets: Vec<PathBuf> = ["reference", "kh2024", "cl942", "tb2024", "mh2025"]
        .iter()
        .map(|d| demo.join(d))
        .collect();
    let mut import = vec!["import", "--actor", "tiendo demo"];
    import.extend(sets.iter().map(|p| p.to_str().unwrap()));

    tiendo(&sqlite, &["init"]);
    let imported = tiendo(&sqlite, &import);
    assert!(
        imported.starts_with("Đã nhập: thêm 1") && !imported.contains("thêm 0 "),
        "the demo data was not imported on SQLite: {imported}"
    );
    assert_eq!(tiendo(&postgres, &import), imported);
    assert_eq!(
        tiendo(&postgres, &import),
        tiendo(&sqlite, &import),
        "a second import changes nothing on either"
    );

    for (programme, period) in [
        ("kh2024", "2024-05"),
        ("cdsqg", "2024-05"),
        ("cl942", "2023"),
        ("tb2024", "2024-H2"),
        ("mh2025", "2025-H2"),
    ] {
        for format in ["md", "html"] {
            let args = [
                "report",
                "--programme",
                programme,
                "--period",
                period,
                "--format",
                format,
            ];
            let report = tiendo(&sqlite, &args);
            assert!(report.contains("BÁO CÁO"), "{args:?} on SQLite:\n{report}");
            assert_eq!(
                tiendo(&postgres, &args),
                report,
                "{args:?} differs on PostgreSQL"
            );
        }
    }
    assert_eq!(tiendo(&postgres, &["check"]), tiendo(&sqlite, &["check"]));

    let (a, b) = (
        tmp.path().join("from-sqlite"),
        tmp.path().join("from-postgres"),
    );
    tiendo(&sqlite, &["export", a.to_str().unwrap()]);
    tiendo(&postgres, &["export", b.to_str().unwrap()]);
    assert_eq!(
        read_dir_sorted(&b),
        read_dir_sorted(&a),
        "the exports differ"
    );

    let journal = journal_without_times(&sqlite);
    let inserted: usize = imported
        .trim_start_matches("Đã nhập: thêm ")
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        journal.len(),
        inserted,
        "one journal entry per inserted record"
    );
    assert_eq!(journal_without_times(&postgres), journal);
}

/// The role that `scripts/postgres-password-role` creates: it must sign in with its
/// password (scram-sha-256), which has characters that URLs escape.
const PASSWORD_ROLE: &str = "tiendo_pw:Mk%202024%40tiendo%3A%2Fp";

/// `tiendo demo` end to end as a role that needs its password: the password reaches every
/// step (the events step once got a URL with the password printed as `***`), and no
/// output shows it.
#[test]
fn demo_runs_end_to_end_as_a_role_with_a_password() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let Some(schema) = runtime.block_on(TestSchema::new()) else {
        return;
    };
    let url = schema.url().replacen(
        "postgres://postgres@",
        &format!("postgres://{PASSWORD_ROLE}@"),
        1,
    );
    assert!(
        url.contains(PASSWORD_ROLE),
        "the test server URL starts with postgres://postgres@: {url}"
    );
    let wrong = url.replacen("Mk%202024", "sai", 1);
    let refused = runtime.block_on(async {
        <sqlx::PgConnection as sqlx::Connection>::connect(&wrong)
            .await
            .is_err()
    });
    let signed_in = runtime.block_on(async {
        <sqlx::PgConnection as sqlx::Connection>::connect(&url)
            .await
            .is_ok()
    });
    if !(refused && signed_in) {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "under CI the password role must exist and be enforced (scripts/postgres-password-role): wrong password refused {refused}, right one accepted {signed_in}"
        );
        eprintln!("NOTICE: password role test skipped; run scripts/postgres-password-role");
        return;
    }
    let tmp = TempDir::new().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .current_dir(tmp.path())
        .env_remove("TIENDO_DATABASE")
        .env_remove("TIENDO_EVENTS_DIR")
        .args(["--database", &url, "demo", "--no-serve"])
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(
        out.status.success(),
        "tiendo demo as a password role failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("Sự kiện hồ sơ mẫu tháng 5/2024") && stdout.contains("qd766-2024-05.md"),
        "the events step ran: {stdout}"
    );
    assert!(
        stdout.contains("tiendo_pw:***@"),
        "the database is shown with its password hidden: {stdout}"
    );
    for text in [&stdout, &stderr] {
        assert!(
            !text.contains("Mk%202024") && !text.contains("Mk 2024"),
            "the password is never printed: {text}"
        );
    }
    let out = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .current_dir(tmp.path())
        .env_remove("TIENDO_DATABASE")
        .args(["--database", &wrong, "check"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "a wrong password is refused");
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("sai%40tiendo"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
