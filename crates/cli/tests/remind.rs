//! E-mail reminders end to end: `tiendo remind` against a local SMTP sink (Python's
//! aiosmtpd, in the venv `scripts/test` keeps under `~/.cache/tiendo-venv`, started and
//! stopped by each test), and `tiendo urge` writing the letters.

use std::fs;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

fn tiendo(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .current_dir(dir)
        .arg("--database")
        .arg(dir.join("t.db"))
        .args(args)
        .output()
        .expect("tiendo runs")
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = tiendo(dir, args);
    assert!(
        out.status.success(),
        "tiendo {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// A database with the demo records and the addresses of two agencies.
fn database(dir: &Path) {
    let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/demo");
    let dirs: Vec<String> = ["reference", "kh2024", "cl942", "tb2024", "mh2025"]
        .iter()
        .map(|d| demo.join(d).display().to_string())
        .collect();
    ok(dir, &["init"]);
    let mut args = vec!["import"];
    args.extend(dirs.iter().map(String::as_str));
    ok(dir, &args);
    ok(
        dir,
        &[
            "contacts",
            "set",
            "BTTTT",
            "--email",
            "vanphong@mic.gov.vn",
            "--email",
            "cds@mic.gov.vn",
        ],
    );
    ok(
        dir,
        &[
            "contacts",
            "set",
            "yen-bai",
            "--email",
            "vanphong@yenbai.gov.vn",
        ],
    );
}

/// The Python of the venv, with aiosmtpd installed there if it is missing.
fn python() -> PathBuf {
    let venv = PathBuf::from(std::env::var("HOME").expect("HOME")).join(".cache/tiendo-venv");
    let python = venv.join("bin/python");
    let has = |p: &Path| {
        Command::new(p)
            .args(["-c", "import aiosmtpd"])
            .status()
            .is_ok_and(|s| s.success())
    };
    if !has(&python) {
        let made = Command::new("python3")
            .arg("-m")
            .arg("venv")
            .arg(&venv)
            .status()
            .expect("python3 runs");
        assert!(made.success(), "python3 -m venv");
        let pip = Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "aiosmtpd==1.4.6"])
            .status()
            .expect("pip runs");
        assert!(pip.success(), "pip install aiosmtpd");
    }
    python
}

/// An SMTP sink that writes each message it accepts as a JSON line (envelope recipients,
/// subject, plain-text body) to `out`; killed when dropped.
struct Sink {
    child: Child,
}

const SINK: &str = r#"
import asyncio, email, json, sys, time
from email import policy
from aiosmtpd.controller import Controller

port, out = int(sys.argv[1]), sys.argv[2]

class Handler:
    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=policy.default)
        record = {"to": envelope.rcpt_tos, "from": envelope.mail_from, "subject": str(msg["subject"]), "body": msg.get_body(("plain",)).get_content()}
        with open(out, "a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
        return "250 OK"

controller = Controller(Handler(), hostname="127.0.0.1", port=port)
controller.start()
while True:
    time.sleep(3600)
"#;

impl Sink {
    fn start(dir: &Path, port: u16, out: &Path) -> Sink {
        let script = dir.join("sink.py");
        fs::write(&script, SINK).expect("script written");
        let child = Command::new(python())
            .arg(&script)
            .arg(port.to_string())
            .arg(out)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("sink starts");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the SMTP sink did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Sink { child }
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("address")
        .port()
}

fn messages(out: &Path) -> Vec<serde_json::Value> {
    fs::read_to_string(out)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

/// The reminder rows as they stand now, from the journal (last entry of each key wins).
fn reminder_rows(dir: &Path) -> Vec<serde_json::Value> {
    let journal = ok(dir, &["journal", "--entity", "reminders"]);
    let mut rows: Vec<(String, serde_json::Value)> = Vec::new();
    for entry in journal
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json"))
    {
        let key = entry["record_key"].as_str().expect("key").to_string();
        rows.retain(|(k, _)| *k != key);
        rows.push((key, entry["after"].clone()));
    }
    rows.into_iter().map(|(_, r)| r).collect()
}

#[test]
fn reminders_arrive_once_with_their_items() {
    let tmp = TempDir::new().expect("tempdir");
    let dir = tmp.path();
    database(dir);
    let port = free_port();
    let out = dir.join("mail.jsonl");
    let _sink = Sink::start(dir, port, &out);
    let smtp = format!("smtp://127.0.0.1:{port}");
    // Task 10 of the 2024 plan (every ministry and province, due 30/4/2024) falls
    // overdue on 1/5/2024, a Wednesday: no digest.
    let args = [
        "remind",
        "--as-of",
        "2024-05-01",
        "--smtp",
        &smtp,
        "--from",
        "Theo dõi tiến độ <tiendo@example.org>",
    ];
    let first = ok(dir, &args);
    assert!(
        first.contains("đã gửi 2 thư, 0 thư không gửi được"),
        "{first}"
    );
    assert!(
        first.contains("Chưa có địa chỉ e-mail") && first.contains("Hà Nội"),
        "agencies without an address are named: {first}"
    );
    let got = messages(&out);
    assert_eq!(got.len(), 2, "{got:#?}");
    let to_ministry = got
        .iter()
        .find(|m| m["to"] == serde_json::json!(["vanphong@mic.gov.vn", "cds@mic.gov.vn"]))
        .expect("the ministry's message");
    let to_province = got
        .iter()
        .find(|m| m["to"] == serde_json::json!(["vanphong@yenbai.gov.vn"]))
        .expect("the province's message");
    for m in [to_ministry, to_province] {
        assert_eq!(m["from"], "tiendo@example.org");
        let body = m["body"].as_str().expect("body");
        assert!(
            body.contains("Nhiệm vụ 10: Xây dựng Kế hoạch kiểm tra, giám sát")
                && body.contains("hạn 30/4/2024; quá hạn 1 ngày"),
            "{body}"
        );
    }
    assert_eq!(
        to_province["subject"],
        "[tiendo] Việc đã quá hạn (1 việc) – Tỉnh Yên Bái"
    );
    assert!(
        !to_province["body"]
            .as_str()
            .expect("body")
            .contains("Nhiệm vụ 13"),
        "task 13 is the ministry's, not the province's"
    );

    let again = ok(dir, &args);
    assert!(
        again.contains("đã gửi 0 thư, 0 thư không gửi được"),
        "{again}"
    );
    assert_eq!(
        messages(&out).len(),
        2,
        "nothing is sent twice for the same item and day"
    );
    let rows = reminder_rows(dir);
    assert!(
        !rows.is_empty()
            && rows.iter().all(|r| r["status"] == "sent"
                && r["attempts"] == "1"
                && r["day"] == "2024-05-01"
                && r["kind"] == "overdue"),
        "{rows:#?}"
    );

    let digest = ok(dir, &[&args[..], &["--digest"]].concat());
    assert!(
        digest.contains("đã gửi 2 thư"),
        "the digest, asked for, goes out once: {digest}"
    );
    assert!(messages(&out).iter().any(|m| {
        m["subject"]
            .as_str()
            .is_some_and(|s| s.starts_with("[tiendo] Tổng hợp việc cần hoàn thành"))
    }));
    assert!(ok(dir, &[&args[..], &["--digest"]].concat()).contains("đã gửi 0 thư"));
}

#[test]
fn a_failed_send_is_recorded_shown_and_retried() {
    let tmp = TempDir::new().expect("tempdir");
    let dir = tmp.path();
    database(dir);
    let port = free_port();
    let smtp = format!("smtp://127.0.0.1:{port}");
    let args = [
        "remind",
        "--as-of",
        "2024-05-01",
        "--smtp",
        &smtp,
        "--from",
        "tiendo@example.org",
    ];
    let down = tiendo(dir, &args);
    let said = String::from_utf8_lossy(&down.stdout).to_string();
    assert!(
        !down.status.success(),
        "a failed send fails the pass: {said}"
    );
    assert!(
        said.contains("đã gửi 0 thư, 2 thư không gửi được")
            && said.contains("KHÔNG GỬI ĐƯỢC Yên Bái")
            && said.contains(&format!("127.0.0.1:{port}")),
        "{said}"
    );
    let rows = reminder_rows(dir);
    assert!(
        rows.iter().all(|r| r["status"] == "failed"
            && r["attempts"] == "1"
            && r["last_error"].as_str().is_some_and(|e| e.contains("SMTP"))),
        "{rows:#?}"
    );

    let out = dir.join("mail.jsonl");
    let _sink = Sink::start(dir, port, &out);
    let up = ok(dir, &args);
    assert!(
        up.contains("đã gửi 2 thư, 0 thư không gửi được")
            && up.contains("đã gửi (gửi lại) Yên Bái"),
        "{up}"
    );
    let got = messages(&out);
    assert_eq!(got.len(), 2, "{got:#?}");
    assert!(got.iter().any(|m| {
        m["to"] == serde_json::json!(["vanphong@yenbai.gov.vn"])
            && m["body"]
                .as_str()
                .is_some_and(|b| b.contains("Nhiệm vụ 10:"))
    }));
    let rows = reminder_rows(dir);
    assert!(
        rows.iter()
            .all(|r| r["status"] == "sent" && r["attempts"] == "2"),
        "{rows:#?}"
    );
    assert!(
        ok(dir, &args).contains("đã gửi 0 thư"),
        "nothing more once sent"
    );
    assert_eq!(messages(&out).len(), 2);
}

#[test]
fn urge_writes_one_letter_per_agency_behind() {
    let tmp = TempDir::new().expect("tempdir");
    let dir = tmp.path();
    database(dir);
    let refused = tiendo(
        dir,
        &[
            "urge",
            "--programme",
            "cdsqg",
            "--period",
            "2024-06",
            "-o",
            "letters",
        ],
    );
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        !refused.status.success()
            && said.contains("chưa có đơn vị soạn thảo")
            && said.contains("Thiết lập văn bản"),
        "a letter needs its drafting unit: {said}"
    );
    ok(
        dir,
        &[
            "settings",
            "--programme",
            "cdsqg",
            "--archive-unit",
            "CĐSQG (CSS)",
            "--signer-name",
            "Phạm Đức Long",
        ],
    );
    let said = ok(
        dir,
        &[
            "urge",
            "--programme",
            "cdsqg",
            "--period",
            "2024-06",
            "--as-of",
            "2024-07-15",
            "--agency",
            "yen-bai",
            "--format",
            "md",
            "-o",
            "letters",
        ],
    );
    assert!(said.starts_with("Đã viết 01 công văn đôn đốc (Chương trình CĐS quốc gia, tháng 6/2024, tính đến ngày 15/7/2024):"), "{said}");
    assert!(
        said.contains("Yên Bái: 01 nhiệm vụ quá hạn, 0 yêu cầu chưa hoàn thành, chưa gửi báo cáo"),
        "{said}"
    );
    let md =
        fs::read_to_string(dir.join("letters/cong-van-cdsqg-2024-06-yen-bai.md")).expect("letter");
    assert!(
        md.contains("# CÔNG VĂN")
            && md.contains("V/v đôn đốc")
            && md.contains("**Kính gửi:** Ủy ban nhân dân tỉnh Yên Bái."),
        "{md}"
    );
    assert!(
        md.contains("tính đến ngày 15/7/2024 (theo số liệu nhận đến ngày 15/7/2024)"),
        "a letter dated 15/7/2024 says what was known on that day: {md}"
    );
    assert!(
        md.contains("Thực hiện (nhiệm vụ giao chung các bộ, ngành, địa phương)")
            && !md.contains("| Chủ trì |"),
        "Yên Bái carries out its part of a task given to every ministry and province; it does not lead it: {md}"
    );

    let said = ok(
        dir,
        &[
            "urge",
            "--programme",
            "cdsqg",
            "--period",
            "2024-06",
            "--as-of",
            "2024-07-15",
            "-o",
            "docx",
        ],
    );
    let written = fs::read_dir(dir.join("docx")).expect("dir").count();
    assert!(
        written > 60 && said.contains(&format!("Đã viết {written} công văn đôn đốc")),
        "{written}: {said}"
    );
    let docx = fs::read(dir.join("docx/cong-van-cdsqg-2024-06-BCA.docx")).expect("docx");
    let xml = docx_text(&docx);
    assert!(
        xml.contains("BTTTT-CĐSQG")
            && xml.contains("Kính gửi: Bộ Công an")
            && xml.contains("V/v đôn đốc thực hiện"),
        "{xml}"
    );
    assert!(
        xml.contains("Số ngày quá hạn") && xml.contains("Trân trọng./."),
        "{xml}"
    );
    assert!(
        xml.contains("Lưu: VT, CĐSQG (CSS).") && xml.matches("Như trên").count() == 1,
        "the drafting unit from the programme's settings, the addressee once: {xml}"
    );
    assert!(
        !dir.join("docx/cong-van-cdsqg-2024-06-BTTTT.docx").exists(),
        "the issuing ministry never writes to itself"
    );
    signature_blocks_stay_on_one_page(&dir.join("docx"), "Phạm Đức Long");
}

/// Every letter in `letters`, laid out by LibreOffice, has its signature block (the
/// signer's position, the name, and "Nơi nhận" beside them) on one page.
fn signature_blocks_stay_on_one_page(letters: &Path, signer: &str) {
    let found = Command::new("soffice").arg("--version").output().is_ok();
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "soffice is missing: .ci/run installs it"
        );
        eprintln!("skipped: soffice is not installed");
        return;
    }
    let pdf = letters.join("pdf");
    let docx: Vec<PathBuf> = fs::read_dir(letters)
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "docx"))
        .collect();
    let out = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            letters.join("lo-profile").display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(&pdf)
        .args(&docx)
        .output()
        .expect("soffice runs");
    let mut split = Vec::new();
    for letter in &docx {
        let file = pdf.join(letter.with_extension("pdf").file_name().expect("name"));
        let text = Command::new("pdftotext")
            .args(["-enc", "UTF-8"])
            .arg(&file)
            .arg("-")
            .output()
            .unwrap_or_else(|e| {
                panic!(
                    "pdftotext on {}: {e}; soffice said {}",
                    file.display(),
                    String::from_utf8_lossy(&out.stderr)
                )
            });
        let text = String::from_utf8_lossy(&text.stdout).to_string();
        let page = text
            .split('\u{c}')
            .find(|page| page.contains(signer))
            .unwrap_or_else(|| panic!("{}: no signer in {text}", file.display()));
        if !(page.contains("BỘ TRƯỞNG") && page.contains("Nơi nhận") && page.contains("Lưu: VT"))
        {
            split.push(file.display().to_string());
        }
    }
    assert!(
        split.is_empty(),
        "{} of {} letters split their signature block: {split:?}",
        split.len(),
        docx.len()
    );
}

/// The text runs of a DOCX's main document part.
fn docx_text(docx: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("word/document.xml").expect("document.xml"),
        &mut xml,
    )
    .expect("utf-8");
    xml.split("<w:t")
        .skip(1)
        .filter_map(|s| {
            s.split_once('>')
                .map(|(_, rest)| rest.split("</w:t>").next().unwrap_or_default())
        })
        .collect::<Vec<_>>()
        .join("")
}
