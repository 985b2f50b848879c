//! End-to-end tests of `tiendo import`, `tiendo export`, `tiendo journal` and
//! `tiendo report`, running the real binary on a database in a temporary directory.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

/// The command `tiendo --database <db> <args…>`, run in `dir`.
fn tiendo(dir: &Path, db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .current_dir(dir)
        .env_remove("TIENDO_DATABASE")
        .arg("--database")
        .arg(db)
        .args(args)
        .output()
        .expect("tiendo runs")
}

fn describe(args: &[&str], out: &Output) -> String {
    format!(
        "tiendo {args:?}: {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Run tiendo and require success; returns stdout.
fn ok(dir: &Path, db: &Path, args: &[&str]) -> String {
    let out = tiendo(dir, db, args);
    assert!(
        out.status.success(),
        "expected success: {}",
        describe(args, &out)
    );
    String::from_utf8(out.stdout).expect("stdout is UTF-8")
}

/// Run tiendo and require failure; returns stderr.
fn fails(dir: &Path, db: &Path, args: &[&str]) -> String {
    let out = tiendo(dir, db, args);
    assert!(
        !out.status.success(),
        "expected failure: {}",
        describe(args, &out)
    );
    String::from_utf8(out.stderr).expect("stderr is UTF-8")
}

fn p(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// A temporary directory with the demo database `t.db` in it.
fn demo() -> (TempDir, PathBuf) {
    let tmp = TempDir::new().unwrap();
    let db = tmp.path().join("t.db");
    let reports = tmp.path().join("reports");
    ok(
        tmp.path(),
        &db,
        &["demo", "--no-serve", "--reports", p(&reports)],
    );
    (tmp, db)
}

/// Every file of a directory (by name) with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().into_string().unwrap(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn assert_same_files(a: &Path, b: &Path) {
    let (fa, fb) = (files(a), files(b));
    assert_eq!(
        fa.keys().collect::<Vec<_>>(),
        fb.keys().collect::<Vec<_>>(),
        "file lists of {} and {} differ",
        a.display(),
        b.display()
    );
    assert!(fa.len() > 1, "export wrote only {:?}", fa.keys());
    for (name, bytes) in &fa {
        if bytes != &fb[name] {
            let (ta, tb) = (
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(&fb[name]),
            );
            let first = ta
                .lines()
                .zip(tb.lines())
                .enumerate()
                .find(|(_, (x, y))| x != y);
            panic!(
                "{name} differs between {} and {} ({} vs {} bytes); first differing line: {first:?}",
                a.display(),
                b.display(),
                bytes.len(),
                fb[name].len()
            );
        }
    }
}

/// Parse CSV text (RFC 4180: quoted cells, doubled quotes, newlines in quotes).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}

fn csv_line(cells: &[String]) -> String {
    cells
        .iter()
        .map(|c| {
            if c.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn line_count(text: &str) -> usize {
    text.lines().count()
}

#[test]
fn demo_then_export_import_export_is_identical() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let db = dir.join("t.db");
    let reports = dir.join("reports");
    ok(dir, &db, &["demo", "--no-serve", "--reports", p(&reports)]);
    for name in ["kh2024-2024-05.md", "cl942-2023.md"] {
        let path = reports.join(name);
        let text = fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("demo report {}: {e}", path.display()));
        assert!(
            text.contains("BÁO CÁO"),
            "{name} has no \"BÁO CÁO\":\n{text}"
        );
    }

    let a = dir.join("a");
    ok(dir, &db, &["export", p(&a)]);
    assert!(a.join("tiendo.json").is_file(), "export wrote no manifest");
    assert!(a.join("tasks.csv").is_file(), "export wrote no tasks.csv");

    let u = dir.join("u.db");
    ok(dir, &u, &["init"]);
    ok(dir, &u, &["import", p(&a)]);
    let b = dir.join("b");
    ok(dir, &u, &["export", p(&b)]);
    assert_same_files(&a, &b);
}

/// Whether some line of `stderr` reports a problem in `file` at line `line` and mentions
/// one of `needles` (a field name or a word of the reason).
fn reported(stderr: &str, file: &str, line: usize, needles: &[&str]) -> bool {
    let at = [
        format!("{file}, dòng {line},"),
        format!("{file}, dòng {line}:"),
    ];
    stderr
        .lines()
        .any(|l| at.iter().any(|a| l.contains(a.as_str())) && needles.iter().any(|n| l.contains(n)))
}

#[test]
fn malformed_import_lists_every_error_and_changes_nothing() {
    let (tmp, db) = demo();
    let dir = tmp.path();
    let before = dir.join("before");
    ok(dir, &db, &["export", p(&before)]);
    let journal_before = line_count(&ok(dir, &db, &["journal"]));

    let indicators = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/demo/kh2024/indicators.csv"),
    )
    .unwrap();
    let indicator = parse_csv(&indicators)[1][0].clone();

    let bad = dir.join("bad");
    fs::create_dir(&bad).unwrap();
    fs::write(
        bad.join("tasks.csv"),
        "id,programme_id,number,title,lead_agency,lead_group,coordinating,deadline,due_date,legal_basis,provenance\n\
         kh2024-x01,kh2024,101,Nhiệm vụ thử 1,NO-SUCH-AGENCY,,,Quý II,,qd-58-2024,kiểm thử\n\
         kh2024-x02,kh2024,102,Nhiệm vụ thử 2,BNNPTNT,,,Quý II,,qd-58-2024,kiểm thử\n\
         kh2024-x02,kh2024,103,Nhiệm vụ thử 3,BNNPTNT,,,Quý II,,qd-58-2024,kiểm thử\n\
         kh2024-x04,kh2024,104,Nhiệm vụ thử 4,BNNPTNT,,,Quý II,2024-13-45,qd-58-2024,kiểm thử\n\
         kh2024-x05,kh2024,105,Nhiệm vụ thử 5,BNNPTNT\n",
    )
    .unwrap();
    fs::write(bad.join("targets.csv"), format!("id,indicator_id,agency_id,operator,value,deadline,due_date,provenance\nkh2024-x-target,{indicator},,>=,50,sắp tới,,kiểm thử\n")).unwrap();

    let stderr = fails(dir, &db, &["import", p(&bad)]);

    // Nothing changed (checked first, so that it is checked whatever the messages say).
    let after = dir.join("after");
    ok(dir, &db, &["export", p(&after)]);
    assert_same_files(&before, &after);
    assert_eq!(
        line_count(&ok(dir, &db, &["journal"])),
        journal_before,
        "the failed import wrote to the journal"
    );

    // Every problem is listed, each with its file, line and field, in one run.
    let expected: [(&str, usize, &[&str], &str); 5] = [
        (
            "tasks.csv",
            2,
            &["lead_agency"],
            "unknown lead agency NO-SUCH-AGENCY",
        ),
        (
            "tasks.csv",
            4,
            &["cột id", "trùng"],
            "duplicate key kh2024-x02",
        ),
        ("tasks.csv", 5, &["due_date"], "bad date 2024-13-45"),
        (
            "tasks.csv",
            6,
            &["ô", "CSV"],
            "row with the wrong number of cells",
        ),
        (
            "targets.csv",
            2,
            &["deadline"],
            "unreadable target deadline",
        ),
    ];
    let missing: Vec<String> = expected
        .iter()
        .filter(|(file, line, needles, _)| !reported(&stderr, file, *line, needles))
        .map(|(file, line, needles, what)| {
            format!("{what} ({file}, dòng {line}, one of {needles:?})")
        })
        .collect();
    assert!(
        missing.is_empty(),
        "import did not report:\n  {}\nstderr:\n{stderr}",
        missing.join("\n  ")
    );
    assert!(
        stderr.contains("không thay đổi"),
        "stderr does not say the database is unchanged:\n{stderr}"
    );
}

#[test]
fn import_updates_are_journaled_with_before_and_after() {
    let (tmp, db) = demo();
    let dir = tmp.path();
    let export = dir.join("export");
    ok(dir, &db, &["export", p(&export)]);
    let rows = parse_csv(&fs::read_to_string(export.join("task_updates.csv")).unwrap());
    let header = rows[0].clone();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
    };
    let (task, period, result) = (col("task_id"), col("period"), col("result"));
    let mut row = rows[1..]
        .iter()
        .find(|r| r[task] == "kh2024-t03" && r[period] == "2024-05")
        .expect("the demo has an update of kh2024-t03 for 2024-05")
        .clone();
    // Read as `tiendo import` reads it: a cell that a spreadsheet would take for a formula
    // ("- Bộ Công an …") is written with a leading apostrophe.
    let old = tiendo_exchange::export::unescape_cell(&row[result]).to_string();
    assert!(
        !old.is_empty() && row[result].starts_with("'-"),
        "{}",
        row[result]
    );
    let new =
        "Luật Dữ liệu đã được Quốc hội thông qua; đang xây dựng văn bản hướng dẫn.".to_string();
    row[result] = new.clone();

    let upd = dir.join("upd");
    fs::create_dir(&upd).unwrap();
    fs::write(
        upd.join("task_updates.csv"),
        format!("{}\n{}\n", csv_line(&header), csv_line(&row)),
    )
    .unwrap();
    let stdout = ok(
        dir,
        &db,
        &[
            "import",
            p(&upd.join("task_updates.csv")),
            "--actor",
            "Nguyễn Văn A",
            "--reason",
            "Cập nhật kết quả",
        ],
    );
    assert!(
        stdout.contains("cập nhật 1"),
        "import did not report one update:\n{stdout}"
    );

    let journal = ok(
        dir,
        &db,
        &[
            "journal",
            "--entity",
            "task_updates",
            "--key",
            "kh2024-t03|2024-05",
        ],
    );
    let last = journal
        .lines()
        .last()
        .unwrap_or_else(|| panic!("empty journal for kh2024-t03|2024-05"));
    let entry: serde_json::Value = serde_json::from_str(last)
        .unwrap_or_else(|e| panic!("journal line is not JSON ({e}): {last}"));
    assert_eq!(entry["action"], "update", "{entry}");
    assert_eq!(entry["actor"], "Nguyễn Văn A", "{entry}");
    assert_eq!(entry["reason"], "Cập nhật kết quả", "{entry}");
    assert_eq!(entry["entity"], "task_updates", "{entry}");
    assert_eq!(entry["record_key"], "kh2024-t03|2024-05", "{entry}");
    assert_eq!(
        entry["before"]["result"],
        serde_json::Value::String(old),
        "{entry}"
    );
    assert_eq!(
        entry["after"]["result"],
        serde_json::Value::String(new.clone()),
        "{entry}"
    );

    // The update is stored: a new export carries the new text.
    let again = dir.join("again");
    ok(dir, &db, &["export", p(&again)]);
    assert!(
        fs::read_to_string(again.join("task_updates.csv"))
            .unwrap()
            .contains(&new)
    );
}

#[test]
fn unknown_file_name_is_an_error() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let db = dir.join("t.db");
    let foo = dir.join("foo.csv");
    fs::write(&foo, "id,name\nx,y\n").unwrap();
    ok(dir, &db, &["init"]);
    let stderr = fails(dir, &db, &["import", p(&foo)]);
    assert!(
        stderr.contains("foo.csv"),
        "stderr does not name foo.csv:\n{stderr}"
    );

    // Also inside a directory, next to a file of a known kind.
    let set = dir.join("set");
    fs::create_dir(&set).unwrap();
    fs::copy(&foo, set.join("foo.csv")).unwrap();
    fs::write(set.join("legal_documents.csv"), "id,kind,number,date,issuer,title,provenance\nqd-1-2024,QĐ,1/QĐ-TTg,2024-01-01,Thủ tướng Chính phủ,Thử,kiểm thử\n").unwrap();
    let stderr = fails(dir, &db, &["import", p(&set)]);
    assert!(
        stderr.contains("foo.csv"),
        "stderr does not name foo.csv:\n{stderr}"
    );
    let export = dir.join("export");
    ok(dir, &db, &["export", p(&export)]);
    assert!(
        !fs::read_to_string(export.join("legal_documents.csv"))
            .unwrap()
            .contains("qd-1-2024"),
        "a failed import wrote data"
    );
}

#[test]
fn report_cli_outputs_html_with_traceable_figures() {
    let (tmp, db) = demo();
    let dir = tmp.path();
    let html = ok(
        dir,
        &db,
        &[
            "report",
            "--programme",
            "kh2024",
            "--period",
            "2024-05",
            "--format",
            "html",
        ],
    );
    assert!(html.contains("<html lang=\"vi\">"), "no <html lang=\"vi\">");
    assert!(
        html.contains("id=\"task-kh2024-t04\""),
        "no anchor for task kh2024-t04"
    );
    let figure = html
        .split('<')
        .find(|tag| tag.contains("class=\"fig\"") && tag.contains("title=\""))
        .unwrap_or_else(|| panic!("no element with class=\"fig\" and a title attribute"));
    let title = figure
        .split("title=\"")
        .nth(1)
        .and_then(|t| t.split('"').next())
        .unwrap_or_default();
    assert!(
        !title.trim().is_empty(),
        "empty title on a figure: <{figure}"
    );

    let stderr = fails(
        dir,
        &db,
        &[
            "report",
            "--programme",
            "nope",
            "--period",
            "2024-05",
            "--format",
            "html",
        ],
    );
    assert!(
        stderr.contains("không có chương trình"),
        "unexpected error:\n{stderr}"
    );
}

/// `tiendo check` on the demo names the illustrative programme's outsider and its stated
/// figure that contradicts its list, with both figures and the agencies behind the
/// computed one; the report prints the computed figure with a footnote.
#[test]
fn check_lists_the_outsider_and_the_stated_figure_against_the_records() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let db = dir.join("t.db");
    ok(
        dir,
        &db,
        &["demo", "--no-serve", "--reports", p(&dir.join("reports"))],
    );
    let check = ok(dir, &db, &["check"]);
    let line = |kind: &str, record: &str| {
        check
            .lines()
            .find(|l| l.starts_with(&format!("[{kind}] {record}")))
            .unwrap_or_else(|| panic!("no [{kind}] {record} in:\n{check}"))
            .to_string()
    };
    let outsider = line("outside_group", "checklist_items pc2024-yc-quy-che ha-noi");
    assert!(
        outsider.contains("Hà Nội không thuộc nhóm của yêu cầu"),
        "{outsider}"
    );
    let stated = line(
        "stated_figure_disagrees",
        "observations pc2024-so-bo-quy-che (toàn quốc) 2024",
    );
    assert!(
        stated.contains("số liệu báo cáo 12/22 khác số liệu tính từ dữ liệu 13/22"),
        "{stated}"
    );
    assert!(
        stated.contains("chưa thực hiện: ") && stated.contains("Văn phòng Chính phủ"),
        "the agencies behind the computed figure: {stated}"
    );
    let report = ok(
        dir,
        &db,
        &[
            "report",
            "--programme",
            "pc2024",
            "--period",
            "2024",
            "--format",
            "md",
        ],
    );
    assert!(report.contains("Số liệu báo cáo ghi 12/22"), "{report}");
    assert!(
        report.contains("13 bộ"),
        "the computed figure is printed: {report}"
    );
}

/// Issue 13: `tiendo issue` freezes an edition; `tiendo report --edition` draws it again
/// from the journal, byte for byte and checked against the SHA-256 issued, after a later
/// import changed one of its records; `--as-known-on` gives the report as the records
/// stood at the end of a day.
#[test]
fn an_issued_edition_is_drawn_again_from_the_journal_after_later_edits() {
    let (tmp, db) = demo();
    let dir = tmp.path();
    // With no period, the programme's latest reporting period by date: May 2024, with the
    // figures the pages and the API show (crates/web/tests/http.rs, the same figures everywhere).
    let latest = ok(dir, &db, &["report", "--programme", "cdsqg"]);
    assert!(
        latest.contains("tính đến ngày 31/5/2024, theo số liệu nhận đến ngày"),
        "{latest}"
    );
    assert!(
        latest.contains("Tổng số 20 nhiệm vụ: đã hoàn thành 08/20 nhiệm vụ")
            && latest.contains(
                "(Bộ Công an, thời hạn: Tháng 3, đến hạn ngày 31/3/2024) quá hạn 61 ngày."
            ),
        "{latest}"
    );
    let issued = ok(
        dir,
        &db,
        &[
            "issue",
            "--programme",
            "kh2024",
            "--number",
            "15",
            "--date",
            "2024-06-05",
            "--signer-name",
            "Nguyễn Văn A",
        ],
    );
    assert!(issued.contains("Đã ban hành bản kh2024-2024-05-1: số 15/BC-BTTTT ngày 05/6/2024, tính đến ngày 31/5/2024"), "{issued}");
    let drawn = ok(dir, &db, &["report", "--edition", "kh2024-2024-05-1"]);
    assert!(
        drawn.contains("theo số liệu nhận đến ngày 05/6/2024"),
        "{drawn}"
    );

    let export = dir.join("export");
    ok(dir, &db, &["export", p(&export)]);
    let rows = parse_csv(&fs::read_to_string(export.join("task_updates.csv")).unwrap());
    let header = rows[0].clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut row = rows[1..]
        .iter()
        .find(|r| r[col("task_id")] == "kh2024-t03" && r[col("period")] == "2024-05")
        .unwrap()
        .clone();
    let new = "Kết quả sửa sau khi ban hành.".to_string();
    row[col("result")] = new.clone();
    let upd = dir.join("upd");
    fs::create_dir(&upd).unwrap();
    fs::write(
        upd.join("task_updates.csv"),
        format!("{}\n{}\n", csv_line(&header), csv_line(&row)),
    )
    .unwrap();
    ok(
        dir,
        &db,
        &[
            "import",
            p(&upd.join("task_updates.csv")),
            "--reason",
            "sửa sau ban hành",
        ],
    );

    let out = tiendo(dir, &db, &["report", "--edition", "kh2024-2024-05-1"]);
    assert!(
        out.status.success(),
        "the edition still matches its SHA-256: {}",
        describe(&["report", "--edition"], &out)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        drawn,
        "byte for byte"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Khớp với tệp md của bản kh2024-2024-05-1")
    );
    let live = ok(
        dir,
        &db,
        &["report", "--programme", "kh2024", "--period", "2024-05"],
    );
    assert!(
        live.contains(&new) && !drawn.contains(&new),
        "the live report has the edit, the edition does not"
    );

    let today = (chrono::Utc::now() + chrono::Duration::hours(7))
        .date_naive()
        .to_string();
    assert_eq!(
        ok(
            dir,
            &db,
            &[
                "report",
                "--programme",
                "kh2024",
                "--period",
                "2024-05",
                "--as-known-on",
                &today
            ]
        ),
        live,
        "as known today is the live report"
    );
    assert!(
        fails(
            dir,
            &db,
            &[
                "report",
                "--programme",
                "kh2024",
                "--as-known-on",
                "2020-01-01"
            ]
        )
        .contains("nhật ký không có thay đổi nào đến hết ngày 01/1/2020")
    );

    let second = ok(
        dir,
        &db,
        &[
            "issue",
            "--programme",
            "kh2024",
            "--date",
            "2024-06-10",
            "--replaces",
            "kh2024-2024-05-1",
        ],
    );
    assert!(
        second.contains("kh2024-2024-05-2 (thay thế kh2024-2024-05-1)")
            && second.contains("So với bản kh2024-2024-05-1: 0 số liệu thay đổi"),
        "a result text is not a figure: {second}"
    );
    let list = ok(dir, &db, &["editions", "--programme", "kh2024"]);
    assert_eq!(list.lines().count(), 2, "{list}");
}

/// Issue 14: `tiendo narrative` writes a section of a report's narrative; `tiendo report`
/// fills its references with the report's figures; a reference that does not resolve
/// makes `tiendo report` and `tiendo issue` fail with its section and line.
#[test]
fn a_narrative_is_written_on_the_command_line_and_a_broken_reference_blocks_issue() {
    let (tmp, db) = demo();
    let dir = tmp.path();
    fs::write(dir.join("noi-bat.md"), "Đã triển khai {{chi_tieu:1}} thiết yếu; trên 53,88 triệu tài khoản.\n\n- Hoàn thành {{nhiem_vu:hoan_thanh}} nhiệm vụ.\n").unwrap();
    fs::write(dir.join("de-xuat.md"), "Đề nghị:\n\n- {{chi_tieu:9.9}}\n").unwrap();
    let saved = ok(
        dir,
        &db,
        &[
            "narrative",
            "--programme",
            "kh2024",
            "--period",
            "2024-05",
            "--section",
            "highlights",
            "--file",
            "noi-bat.md",
        ],
    );
    assert!(saved.contains("Đã lưu mục \"Kết quả nổi bật\""), "{saved}");
    let md = ok(
        dir,
        &db,
        &["report", "--programme", "kh2024", "--period", "2024-05"],
    );
    assert!(
        md.contains("Đã triển khai 43 dịch vụ thiết yếu; trên 53,88 triệu tài khoản.")
            && md.contains("- Hoàn thành 08/20 nhiệm vụ."),
        "{md}"
    );
    assert!(
        md.contains("| 43 dịch vụ |"),
        "the same value in the indicator table"
    );

    let broken =
        "Tham chiếu {{chi_tieu:9.9}} ở mục Đề xuất, kiến nghị, dòng 3: không có chỉ tiêu mã 9.9";
    let listed = fails(
        dir,
        &db,
        &[
            "narrative",
            "--programme",
            "kh2024",
            "--period",
            "2024-05",
            "--section",
            "recommendations",
            "--file",
            "de-xuat.md",
        ],
    );
    assert!(
        listed.contains(broken),
        "saved, and the broken reference listed: {listed}"
    );
    assert!(
        fails(
            dir,
            &db,
            &["report", "--programme", "kh2024", "--period", "2024-05"]
        )
        .contains(broken)
    );
    assert!(
        fails(
            dir,
            &db,
            &["issue", "--programme", "kh2024", "--date", "2024-06-05"]
        )
        .contains(broken)
    );
    assert!(ok(dir, &db, &["editions"]).contains("Chưa có bản báo cáo nào được ban hành."));
    let shown = fails(
        dir,
        &db,
        &["narrative", "--programme", "kh2024", "--period", "2024-05"],
    );
    assert!(shown.contains(broken));
}

/// Issue 16: the command line says what it expects, and reads what Excel writes.
#[test]
fn command_line_errors_say_what_is_expected_and_excel_files_are_read() {
    let (tmp, db) = demo();
    let dir = tmp.path();
    let by_day = ok(
        dir,
        &db,
        &[
            "report",
            "--programme",
            "kh2024",
            "--period",
            "2024-05",
            "--as-of",
            "31/5/2024",
        ],
    );
    assert_eq!(
        by_day,
        ok(
            dir,
            &db,
            &[
                "report",
                "--programme",
                "kh2024",
                "--period",
                "2024-05",
                "--as-of",
                "2024-05-31"
            ]
        ),
        "a date in either form"
    );
    let error = fails(
        dir,
        &db,
        &[
            "measure",
            "--period",
            "2024-05",
            "--no-store",
            "--engine",
            "duckdb",
        ],
    );
    assert!(error.contains("máy truy vấn \"duckdb\" không hợp lệ: dùng \"datafusion\" (mặc định, chạy trong tiến trình), \"ballista://MÁY:CỔNG\""), "{error}");
    if !cfg!(feature = "ballista") {
        let error = fails(
            dir,
            &db,
            &[
                "measure",
                "--period",
                "2024-05",
                "--no-store",
                "--engine",
                "ballista://127.0.0.1:50050",
            ],
        );
        assert!(error.contains("bản dựng này không có Ballista nên không chạy được trên ballista://127.0.0.1:50050: dựng lại với `cargo build --release --features ballista`"), "{error}");
    }
    let error = fails(
        dir,
        &db,
        &["report", "--programme", "kh2024", "--as-of", "2024/31/5"],
    );
    assert!(error.contains("ngày “2024/31/5” không hợp lệ: viết dd/mm/yyyy (31/5/2024) hoặc yyyy-mm-dd (2024-05-31)"), "{error}");
    let out = tiendo(
        dir,
        &db,
        &["report", "--programme", "kh2024", "--period", "2030-01"],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("Cảnh báo: kỳ tháng 1/2030 nằm ngoài thời gian thực hiện của Kế hoạch hoạt động năm 2024"), "{}", describe(&["report"], &out));
    let template = dir.join("yen-bai.xlsx");
    let out = tiendo(
        dir,
        &db,
        &[
            "template",
            "--agency",
            "yen-bai",
            "--period",
            "2025-08",
            "-o",
            p(&template),
        ],
    );
    let warning = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(warning.contains("Cảnh báo: Tỉnh Yên Bái không còn từ sau ngày 30/6/2025 (trước kỳ tháng 8/2025); tiếp nhận: "), "{warning}");
    let error = fails(dir, &db, &["import", "/khong/co/tep.csv"]);
    assert!(
        error.contains("/khong/co/tep.csv") && error.contains("không tìm thấy tệp hoặc thư mục"),
        "{error}"
    );

    // One changed task update, saved as Excel on a Vietnamese Windows would: semicolons; then
    // as "Unicode Text" (UTF-16 with its byte-order mark); then in an old encoding.
    let export = dir.join("export");
    ok(dir, &db, &["export", p(&export)]);
    let rows = parse_csv(&fs::read_to_string(export.join("task_updates.csv")).unwrap());
    let header = rows[0].clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut row = rows[1..]
        .iter()
        .find(|r| r[col("task_id")] == "kh2024-t05")
        .unwrap()
        .clone();
    let write = |row: &[String], delimiter: u8| {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .from_writer(Vec::new());
        writer.write_record(&header).unwrap();
        writer.write_record(row).unwrap();
        String::from_utf8(writer.into_inner().unwrap()).unwrap()
    };
    let upd = dir.join("upd");
    fs::create_dir(&upd).unwrap();
    let file = upd.join("task_updates.csv");
    row[col("result")] = "Kết quả; ghi từ Excel (dấu chấm phẩy)".into();
    fs::write(&file, write(&row, b';')).unwrap();
    assert!(
        ok(dir, &db, &["import", p(&file)]).contains("cập nhật 1"),
        "semicolons are read as the separator"
    );
    row[col("result")] = "Kết quả ghi từ Excel dạng Unicode Text".into();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(write(&row, b',').encode_utf16().flat_map(u16::to_le_bytes));
    fs::write(&file, utf16).unwrap();
    assert!(
        ok(dir, &db, &["import", p(&file)]).contains("cập nhật 1"),
        "UTF-16 with its byte-order mark is converted"
    );
    let mut old = write(&row, b',').into_bytes();
    let at = old.len() - 10;
    old[at] = 0xD2;
    fs::write(&file, old).unwrap();
    let error = fails(dir, &db, &["import", p(&file)]);
    assert!(
        error.contains("tệp không phải UTF-8")
            && error.contains("Windows-1258")
            && error.contains("CSV UTF-8"),
        "{error}"
    );
}

/// Issue 27: a mistyped `--database` is an error naming the file, not a new empty
/// database on which `tiendo check` finds nothing.
#[test]
fn a_database_that_does_not_exist_is_an_error_except_for_init_and_demo() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let typo = dir.join("tiendo-dmeo.db");
    for args in [
        &["check"][..],
        &["report", "--programme", "kh2024"],
        &["journal"],
    ] {
        let stderr = fails(dir, &typo, args);
        assert!(
            stderr.contains("không có cơ sở dữ liệu") && stderr.contains("tiendo-dmeo.db"),
            "{args:?}: {stderr}"
        );
    }
    assert!(!typo.exists(), "no database was created");
    assert!(ok(dir, &typo, &["init"]).contains("Đã tạo cơ sở dữ liệu"));
    assert!(typo.exists());
    assert!(ok(dir, &typo, &["check"]).contains("0"));
}
