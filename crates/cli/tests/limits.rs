//! Every input the server reads from outside, at its size limit (docs/limits.md): each
//! request to a running `tiendo serve` costs the server under one second of CPU and under
//! 256 MB of memory above what it held before (issue 26). The server's CPU time is read
//! from /proc/PID/stat before and after each request; its peak resident memory is reset
//! (`/proc/PID/clear_refs`) before each request and read (`VmHWM`) after it.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

const CPU_LIMIT_SECONDS: f64 = 1.0;
const MEMORY_LIMIT_BYTES: u64 = 256 << 20;
const PASSWORD: &str = "mật khẩu thử nghiệm";

fn tiendo(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_tiendo"))
        .current_dir(dir)
        .env("TIENDO_PASSWORD", PASSWORD)
        .arg("--database")
        .arg(dir.join("t.db"))
        .args(args)
        .output()
        .expect("tiendo runs");
    assert!(
        out.status.success(),
        "tiendo {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

struct Server {
    child: Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

impl Server {
    fn start(dir: &Path) -> Server {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let address = format!("127.0.0.1:{port}");
        let child = Command::new(env!("CARGO_BIN_EXE_tiendo"))
            .current_dir(dir)
            .arg("--database")
            .arg(dir.join("t.db"))
            .args(["serve", "--listen", &address, "--compact-every", "0"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("tiendo serve starts");
        let server = Server { child, address };
        let started = Instant::now();
        while TcpStream::connect(&server.address).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the server listens"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        server
    }

    /// CPU seconds the server has used (user and system).
    fn cpu_seconds(&self) -> f64 {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap();
        let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
        // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
        let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
        ticks as f64 / 100.0
    }

    fn status_bytes(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let line = status
            .lines()
            .find(|l| l.starts_with(field))
            .unwrap_or_else(|| panic!("{field} in /proc/PID/status"));
        line.split_whitespace()
            .nth(1)
            .unwrap()
            .parse::<u64>()
            .unwrap()
            * 1024
    }

    /// Send one request and measure what it cost the server.
    fn measure(&self, what: &str, request: &Request) -> Response {
        std::fs::write(format!("/proc/{}/clear_refs", self.child.id()), "5")
            .expect("the peak resident memory can be reset");
        let (rss, cpu) = (self.status_bytes("VmRSS:"), self.cpu_seconds());
        let response = self.send(request);
        // The answer is sent before the request's last work is freed: let it settle.
        std::thread::sleep(Duration::from_millis(50));
        let used_cpu = self.cpu_seconds() - cpu;
        let used_memory = self.status_bytes("VmHWM:").saturating_sub(rss);
        eprintln!(
            "{what}: {} , {used_cpu:.2} s CPU, {} MB above the resident memory before",
            response.status,
            used_memory >> 20
        );
        assert!(used_cpu < CPU_LIMIT_SECONDS, "{what}: {used_cpu} s of CPU");
        assert!(
            used_memory < MEMORY_LIMIT_BYTES,
            "{what}: {} MB of memory",
            used_memory >> 20
        );
        response
    }

    fn send(&self, request: &Request) -> Response {
        let mut stream = TcpStream::connect(&self.address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let mut head = format!(
            "{} {} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            request.method,
            request.path,
            self.address,
            request.body.len()
        );
        for (name, value) in &request.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        // The server may answer (413) before reading the whole body.
        stream.write_all(&request.body).ok();
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).ok();
        let text = String::from_utf8_lossy(&bytes).to_string();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        Response {
            status: head
                .split(' ')
                .nth(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or(0),
            head: head.to_string(),
            body: body.to_string(),
        }
    }
}

struct Request {
    method: &'static str,
    path: String,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Request {
    fn new(method: &'static str, path: impl Into<String>) -> Request {
        Request {
            method,
            path: path.into(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    fn header(mut self, name: &'static str, value: impl Into<String>) -> Request {
        self.headers.push((name, value.into()));
        self
    }

    fn bearer(self, token: &str) -> Request {
        self.header("Authorization", format!("Bearer {token}"))
    }

    fn json(self, body: &serde_json::Value) -> Request {
        let mut r = self.header("Content-Type", "application/json");
        r.body = body.to_string().into_bytes();
        r
    }
}

struct Response {
    status: u16,
    head: String,
    body: String,
}

fn demo_database(dir: &Path) {
    let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/demo");
    let dirs: Vec<String> = ["reference", "kh2024", "cl942", "tb2024", "mh2025", "pc2024"]
        .iter()
        .map(|d| demo.join(d).display().to_string())
        .collect();
    tiendo(dir, &["init"]);
    let mut args = vec!["import"];
    args.extend(dirs.iter().map(String::as_str));
    tiendo(dir, &args);
    tiendo(dir, &["account", "quantri", "--role", "administrator"]);
    tiendo(dir, &["account", "thuky", "--role", "secretariat"]);
    tiendo(
        dir,
        &[
            "account", "bo-tttt", "--role", "reporter", "--agency", "BTTTT",
        ],
    );
}

fn token(dir: &Path, account: &str, scopes: &str) -> String {
    tiendo(
        dir,
        &[
            "token",
            "--account",
            account,
            "--name",
            "thử",
            "--scopes",
            scopes,
        ],
    )
    .trim()
    .to_string()
}

/// A session of `who` in the browser: its cookie and the entry page's CSRF token.
fn browser_session(server: &Server, who: &str) -> (String, String) {
    let login =
        Request::new("POST", "/login").header("Content-Type", "application/x-www-form-urlencoded");
    let login = Request {
        body: format!(
            "username={who}&password={}",
            PASSWORD
                .replace(' ', "+")
                .bytes()
                .fold(String::new(), |mut s, b| {
                    if b.is_ascii() {
                        s.push(b as char);
                    } else {
                        s.push_str(&format!("%{b:02X}"));
                    }
                    s
                })
        )
        .into_bytes(),
        ..login
    };
    let response = server.send(&login);
    assert_eq!(response.status, 303, "{}", response.head);
    let cookie = response
        .head
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: "))
        .expect("a session cookie")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let page = server.send(
        &Request::new("GET", "/entry?programme=cdsqg&period=2024-06").header("Cookie", &cookie),
    );
    let csrf = page
        .body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .expect("a form with a CSRF token")
        .split('"')
        .next()
        .unwrap()
        .to_string();
    (cookie, csrf)
}

#[test]
fn every_request_at_its_size_limit_stays_within_one_second_and_256_mb() {
    let dir = TempDir::new().unwrap();
    demo_database(dir.path());
    let admin = token(dir.path(), "quantri", "read write");
    let secretariat = token(dir.path(), "thuky", "read write");
    let reporter = token(dir.path(), "bo-tttt", "read write");
    let events = token(dir.path(), "quantri", "events:cong-dvc");
    let server = Server::start(dir.path());
    // The first request loads the data; the ones measured find it loaded, as a running
    // server does.
    let warm = server.send(&Request::new("GET", "/api/v1/overview").bearer(&secretariat));
    assert_eq!(warm.status, 200, "{}", warm.body);
    let opened = server.send(
        &Request::new("PUT", "/api/v1/periods/cdsqg/2024-06")
            .bearer(&admin)
            .json(&serde_json::json!({"locked": false})),
    );
    assert_eq!(opened.status, 200, "{}", opened.body);

    // A JSON body at its limit (2 MB): an entry whose result fills it.
    let result = "Kết quả. ".repeat((2 << 20) / 12);
    let entry = serde_json::json!({"entry": {"kind": "task", "task_id": "kh2024-t13", "status": "in_progress", "result": result}});
    let response = server.measure(
        "JSON entry of 2 MB",
        &Request::new("POST", "/api/v1/submissions/cdsqg/2024-06/BTTTT/entries")
            .bearer(&reporter)
            .json(&entry),
    );
    assert!(
        response.status == 201 || response.status == 413,
        "{}",
        response.body
    );

    // A narrative at its limit in every section, then the report that renders it.
    let section =
        "Kết quả {{chi_tieu:1.1}} [[ {{ (( ".repeat(tiendo_core::limits::NARRATIVE_BYTES / 40);
    let narrative = serde_json::json!({
        "highlights": section, "results": section, "shortcomings": section,
        "next_tasks": section, "recommendations": section,
    });
    let response = server.measure(
        "narrative of five sections at their limit",
        &Request::new("PUT", "/api/v1/narratives/kh2024/2024-05")
            .bearer(&secretariat)
            .header("If-Match", "0")
            .json(&narrative),
    );
    assert!(response.status < 500, "{}", response.body);
    server.measure(
        "report with the narrative",
        &Request::new("GET", "/api/v1/reports/kh2024/2024-05?format=md").bearer(&secretariat),
    );

    // Events at the body's limit (2 MB of NDJSON).
    let mut ndjson = String::new();
    let mut i = 0;
    while ndjson.len() < (2 << 20) - 600 {
        ndjson.push_str(&format!(
            "{{\"event_id\":\"e{i}\",\"source\":\"cong-dvc\",\"agency_id\":\"yen-bai\",\"dossier_id\":\"H{i}\",\"procedure_code\":\"1.000001\",\"service_level\":\"full_online\",\"fee\":true,\"channel\":2,\"type\":\"received\",\"time\":\"2024-05-06T08:00:00+07:00\",\"received_at\":\"2024-05-06T08:00:00+07:00\",\"due_date\":\"2024-05-10\",\"paid_online\":true}}\n"
        ));
        i += 1;
    }
    let mut request = Request::new("POST", "/api/v1/events")
        .bearer(&events)
        .header("Content-Type", "application/x-ndjson");
    request.body = ndjson.into_bytes();
    let response = server.measure("2 MB of events", &request);
    assert!(response.status < 300, "{}", response.body);

    // An evidence file at its limit (20 MB), uploaded with a checklist entry.
    let (cookie, csrf) = browser_session(&server, "bo-tttt");
    let boundary = "tiendo-limit";
    let mut body = Vec::new();
    for (name, value) in [
        ("csrf", csrf.as_str()),
        ("programme", "cdsqg"),
        ("period", "2024-06"),
        ("requirement_id", "cdsqg-yc-kh-cds-2024"),
        ("done", "true"),
        ("done_on", "2024-06-05"),
        ("base_version", "0"),
        ("item_version", "0"),
    ] {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"lon.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").as_bytes());
    body.extend(std::iter::repeat_n(b'x', 20 << 20));
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut request = Request::new("POST", "/entry/checklist")
        .header("Cookie", &cookie)
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={boundary}"),
        );
    request.body = body;
    let response = server.measure("evidence file of 20 MB", &request);
    assert_eq!(response.status, 303, "{}", response.body);

    // A page of the journal (500 entries) and the largest pages.
    for path in [
        "/api/v1/journal",
        "/api/v1/tasks",
        "/api/v1/reports/cdsqg/2024-06?format=md",
    ] {
        let response = server.measure(path, &Request::new("GET", path).bearer(&secretariat));
        assert_eq!(response.status, 200, "{path}: {}", response.body);
    }
}
