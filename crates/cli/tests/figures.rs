//! Issue 28, one figure, one wording: for every demo programme and every period it has
//! figures for (at the period's end, the date every surface defaults to), each figure the
//! core lists ([`tiendo_core::figure::figures`]) is read from every surface, and every
//! surface words it the same:
//!
//! - the report on the command line (`tiendo report`): Markdown, DOCX, PDF and XLSX;
//! - the report the API renders (HTML, and Markdown byte for byte the command line's);
//! - the programme page (HTML) and the programme in the API (JSON): task counts, overdue
//!   cohorts, each indicator's value, target, attainment and change, each checklist's
//!   "x/N";
//! - the task list page (HTML) and the task list in the API (JSON): each task's status,
//!   days late and per-assignee progress;
//! - the public site (issue 29): each programme's latest report issued and published, its
//!   public page and its data (JSON), figure by figure.
//!
//! In the report a figure is found in the line that states it (the indicator's line, the
//! requirement's line, the task's row of the appendix); the PDF, whose table rows wrap
//! across lines, is read for the figures of the text (task summaries, cohorts,
//! indicators, requirements). Every difference is collected and reported at once.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;
use tiendo_core::clock;
use tiendo_core::figure::{Figure, Subject};
use tiendo_core::format;
use tiendo_core::model::Dataset;
use tiendo_core::period::Period;
use tiendo_store::Store;

const PASSWORD: &str = "mật khẩu thử nghiệm";

fn tiendo(dir: &Path, args: &[&str]) -> Vec<u8> {
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
        "tiendo {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

struct Server {
    child: Child,
    address: String,
    token: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

impl Server {
    fn start(dir: &Path, token: String) -> Server {
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
        let started = Instant::now();
        while TcpStream::connect(&address).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the server listens"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Server {
            child,
            address,
            token,
        }
    }

    /// The body of a GET that must answer 200.
    fn get(&self, path: &str) -> String {
        let mut stream = TcpStream::connect(&self.address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(120)))
            .unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nAuthorization: Bearer {}\r\n\r\n",
            self.address, self.token
        )
        .unwrap();
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).unwrap();
        let text = String::from_utf8(bytes).expect("UTF-8");
        let (head, body) = text.split_once("\r\n\r\n").expect("an HTTP answer");
        assert!(
            head.starts_with("HTTP/1.1 200"),
            "GET {path}: {head}\n{body}"
        );
        body.to_string()
    }

    fn json(&self, path: &str) -> Value {
        serde_json::from_str(&self.get(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }
}

/// Whitespace collapsed to single spaces.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of an HTML fragment: inline tags dropped, a cell's end written " | ", a block's
/// end a space, the entities the templates write decoded.
fn html_text(html: &str) -> String {
    let mut html = html.replace("</td>", " | ").replace("</th>", " | ");
    for block in [
        "<br>", "</p>", "</li>", "</div>", "</h1>", "</h2>", "</h3>", "</h4>", "</h5>",
    ] {
        html = html.replace(block, " ");
    }
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    collapse(
        &out.replace("&#x2f;", "/")
            .replace("&#x27;", "'")
            .replace("&#39;", "'")
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

/// An HTML page as rows: each table row, list item and paragraph, as text.
fn html_rows(html: &str) -> Vec<String> {
    html.split("</tr>")
        .flat_map(|l| l.split("</li>"))
        .flat_map(|l| l.split("</p>"))
        .map(html_text)
        .filter(|r| !r.is_empty())
        .collect()
}

/// A DOCX body as rows: each paragraph outside a table, each table row with its cells
/// joined by " | ".
fn docx_rows(docx: &[u8]) -> Vec<String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("zip");
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .expect("body")
        .read_to_string(&mut xml)
        .expect("UTF-8");
    let paragraph_text = |p: &str| -> String {
        p.split("<w:t")
            .skip(1)
            .filter_map(|t| {
                t.split_once('>')
                    .filter(|(attrs, _)| attrs.is_empty() || attrs.starts_with(' '))
                    .map(|(_, rest)| rest.split("</w:t>").next().unwrap_or_default())
            })
            .collect::<String>()
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
    };
    let mut rows = Vec::new();
    for chunk in xml.split("</w:tr>") {
        let (outside, row) = match chunk.split_once("<w:tr>").or(chunk.split_once("<w:tr ")) {
            Some((outside, row)) => (outside, Some(row)),
            None => (chunk, None),
        };
        rows.extend(
            outside
                .split("</w:p>")
                .map(paragraph_text)
                .filter(|p| !p.is_empty()),
        );
        if let Some(row) = row {
            let cells: Vec<String> = row
                .split("</w:tc>")
                .map(|c| {
                    c.split("</w:p>")
                        .map(paragraph_text)
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .filter(|c| !c.trim().is_empty())
                .collect();
            rows.push(cells.join(" | "));
        }
    }
    rows.into_iter().map(|r| collapse(&r)).collect()
}

/// An XLSX workbook as rows: each row of each sheet, its cells joined by " | " (the text
/// cells as written; the numbers, which the figures checked here are not, as numbers).
fn xlsx_rows(path: &Path) -> Vec<String> {
    use calamine::{Reader, open_workbook_auto};
    let mut workbook = open_workbook_auto(path).expect("xlsx");
    let mut rows = Vec::new();
    for name in workbook.sheet_names() {
        let range = workbook.worksheet_range(&name).expect("sheet");
        for row in range.rows() {
            let cells: Vec<String> = row
                .iter()
                .map(|c| c.to_string())
                .filter(|c| !c.is_empty())
                .collect();
            rows.push(collapse(&cells.join(" | ")));
        }
    }
    rows
}

/// The text of a PDF (pdftotext), pages joined without their page numbers (a number alone
/// on a page's first or last line), whitespace collapsed: a sentence that runs over a page break
/// reads whole.
fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs (.ci/run installs poppler-utils)");
    assert!(
        out.status.success(),
        "pdftotext: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let pages: Vec<String> = text
        .split('\u{c}')
        .map(|page| {
            let number = |l: &&str| l.trim().bytes().all(|b| b.is_ascii_digit());
            let mut lines: Vec<&str> = page.lines().filter(|l| !l.trim().is_empty()).collect();
            if lines.last().is_some_and(number) {
                lines.pop();
            }
            if lines.first().is_some_and(number) {
                lines.remove(0);
            }
            lines.join("\n")
        })
        .collect();
    collapse(&pages.join("\n"))
}

/// A report surface: its rows, or for the PDF one text.
struct Surface {
    name: String,
    rows: Vec<String>,
    /// Whether its table rows can be read as rows (not the PDF's).
    tables: bool,
}

impl Surface {
    /// The row that starts the statement `lead` (an indicator's or requirement's name
    /// followed by ": "), up to the next statement; the PDF's text from `lead` on.
    fn line(&self, lead: &str) -> Option<&str> {
        if self.tables {
            return self.rows.iter().find(|r| r.contains(lead)).map(|r| {
                let at = r.find(lead).unwrap_or(0);
                &r[at..]
            });
        }
        let text = &self.rows[0];
        let at = text.find(lead)?;
        let rest = &text[at..];
        let end = rest[lead.len()..]
            .find(" - ")
            .or_else(|| rest[lead.len()..].find(" • "))
            .map_or(rest.len(), |e| e + lead.len());
        Some(&rest[..end])
    }

    fn contains(&self, needle: &str) -> bool {
        self.rows.iter().any(|r| r.contains(needle))
    }
}

/// The periods a programme family has figures for: of its observations, task updates,
/// assignees' updates and checklist items, in the programme's kind of period.
fn periods(data: &Dataset, programme: &str) -> Vec<Period> {
    let family: Vec<&str> = data
        .programme_family(programme)
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    let indicators: Vec<&str> = data
        .indicators
        .iter()
        .filter(|i| family.contains(&i.programme_id.as_str()))
        .map(|i| i.id.as_str())
        .collect();
    let tasks: Vec<&str> = data
        .tasks
        .iter()
        .filter(|t| family.contains(&t.programme_id.as_str()))
        .map(|t| t.id.as_str())
        .collect();
    let mut out: BTreeSet<Period> = BTreeSet::new();
    out.extend(
        data.observations
            .iter()
            .filter(|o| indicators.contains(&o.indicator_id.as_str()))
            .map(|o| o.period),
    );
    out.extend(
        data.task_updates
            .iter()
            .filter(|u| tasks.contains(&u.task_id.as_str()))
            .map(|u| u.period),
    );
    out.extend(
        data.assignment_updates
            .iter()
            .filter(|u| tasks.contains(&u.task_id.as_str()))
            .map(|u| u.period),
    );
    out.into_iter().collect()
}

/// A generated programme beside the demo's: tasks with one lead, with joint leads, given to
/// the ministries and to the provinces (one province excluded), each reported at random
/// (a fixed seed); a checklist requirement on two groups with an exclusion; a national
/// figure stated as "x/N" that the checklist contradicts; a rate with a target, reported
/// for two months. Written in the exchange format and imported as a person would.
fn generated(root: &Path, data: &Dataset) -> PathBuf {
    let mut seed: u64 = 0x2028;
    let mut random = move |n: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize % n
    };
    let members = |group: &str| -> Vec<String> {
        let on = chrono::NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
        data.group_memberships
            .iter()
            .filter(|m| m.group_id == group && m.valid_on(on))
            .map(|m| m.agency_id.clone())
            .collect()
    };
    let (ministries, provinces) = (members("bo-cqnb"), members("dia-phuong"));
    let source = "sinh tự động trong kiểm thử";
    let dir = root.join("sinh");
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, header: &str, rows: &[String]| {
        std::fs::write(dir.join(name), format!("{header}\n{}\n", rows.join("\n"))).unwrap();
    };
    write(
        "programmes.csv",
        "id,parent_id,name,short_name,legal_basis,owner_agency,start,end,regime,provenance",
        &[format!(
            "sinh,,Chương trình sinh tự động,Sinh tự động,,BTTTT,2024-01-01,2024-12-31,calendar,{source}"
        )],
    );
    let (mut tasks, mut assignments, mut updates, mut own) = (vec![], vec![], vec![], vec![]);
    let status = |r: usize| ["done", "in_progress", "not_started"][r % 3];
    for i in 1..=16 {
        let id = format!("sinh-t{i}");
        let month = 1 + random(12);
        let due = chrono::NaiveDate::from_ymd_opt(2024, month as u32 + 1, 1)
            .unwrap_or(chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
            .pred_opt()
            .unwrap();
        let (lead, group) = match i % 4 {
            0 => (ministries[random(ministries.len())].clone(), String::new()),
            1 => {
                let a = random(ministries.len());
                let b = (a + 1 + random(ministries.len() - 1)) % ministries.len();
                assignments.push(format!("{id},{},,joint_lead,true,{source}", ministries[a]));
                assignments.push(format!("{id},{},,joint_lead,true,{source}", ministries[b]));
                (String::new(), String::new())
            }
            2 => (String::new(), "bo-cqnb".to_string()),
            _ => (String::new(), "dia-phuong".to_string()),
        };
        tasks.push(format!(
            "{id},sinh,{i},Nhiệm vụ sinh tự động số {i},{lead},{group},,Tháng {month},{due},,,{source}"
        ));
        let reported = chrono::NaiveDate::from_ymd_opt(2024, 6, 20).unwrap();
        let done_on = due.min(reported) - chrono::Days::new(random(20) as u64);
        let line = |s: &str| {
            let completed = if s == "done" {
                done_on.to_string()
            } else {
                String::new()
            };
            format!("2024-06,{reported},{s},{completed},Kết quả sinh tự động.,{source}")
        };
        match group.as_str() {
            "" if i % 4 == 0 => updates.push(format!("{id},{}", line(status(random(3))))),
            "" => {
                for agency in assignments.iter().rev().take(2) {
                    let agency = agency.split(',').nth(1).unwrap();
                    own.push(format!("{id},{agency},{}", line(status(random(3)))));
                }
            }
            group => {
                let list = if group == "bo-cqnb" {
                    &ministries
                } else {
                    &provinces
                };
                let reporting: Vec<&String> = list.iter().filter(|_| random(3) > 0).collect();
                for agency in reporting {
                    own.push(format!("{id},{agency},{}", line(status(random(2)))));
                }
            }
        }
    }
    write(
        "tasks.csv",
        "id,programme_id,number,title,lead_agency,lead_group,coordinating,deadline,due_date,legal_basis,done_rule,provenance",
        &tasks,
    );
    write(
        "task_assignments.csv",
        "task_id,agency_id,group_id,role,required,provenance",
        &assignments,
    );
    write(
        "task_updates.csv",
        "task_id,period,reported_on,status,completed_on,result,provenance",
        &updates,
    );
    write(
        "assignment_updates.csv",
        "task_id,agency_id,period,reported_on,status,completed_on,result,provenance",
        &own,
    );
    write(
        "checklist_requirements.csv",
        "id,programme_id,title,group_ids,deadline,due_date,restatement,provenance",
        &[format!(
            "sinh-yc,sinh,Ban hành kế hoạch sinh tự động,bo-cqnb;dia-phuong,Năm 2024,,,{source}"
        )],
    );
    let mut items = Vec::new();
    for agency in ministries.iter().chain(&provinces) {
        if random(4) > 0 {
            items.push(format!(
                "sinh-yc,{agency},2024-06-20,true,2024-06-01,,{source}"
            ));
        }
    }
    write(
        "checklist_items.csv",
        "requirement_id,agency_id,reported_on,done,done_on,evidence,provenance",
        &items,
    );
    write(
        "exclusions.csv",
        "subject_id,agency_id,reason,provenance",
        &[
            format!("sinh-yc,VPCP,không có hệ thống thông tin riêng,{source}"),
            format!("sinh-t3,{},sáp nhập trong năm,{source}", provinces[0]),
        ],
    );
    write(
        "indicators.csv",
        "id,programme_id,code,heading,name,unit,direction,aggregation,restatement,provenance",
        &[
            format!(
                "sinh-so-bo,sinh,1,Sinh tự động,Số bộ đã ban hành kế hoạch sinh tự động,bộ,higher,latest,,{source}"
            ),
            format!(
                "sinh-ty-le,sinh,2,Sinh tự động,Tỷ lệ hồ sơ sinh tự động,%,higher,latest,,{source}"
            ),
        ],
    );
    write(
        "targets.csv",
        "id,indicator_id,agency_id,operator,value,deadline,due_date,provenance",
        &[format!(
            "sinh-ty-le-2024,sinh-ty-le,,>=,80,Năm 2024,2024-12-31,{source}"
        )],
    );
    write(
        "observations.csv",
        "indicator_id,agency_id,period,source,value,numerator,denominator,states,note,provenance",
        &[
            format!(
                "sinh-so-bo,,2024-06,imported,3,3,22,checklist:sinh-yc,Báo cáo ghi 03/22 bộ,{source}"
            ),
            format!("sinh-ty-le,,2024-05,imported,61.25,,,,,{source}"),
            format!("sinh-ty-le,,2024-06,imported,64.375,,,,,{source}"),
        ],
    );
    dir
}

struct Differences(Vec<String>);

impl Differences {
    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            self.0.push(what());
        }
    }
}

/// The label of a task's status: its figure's text up to the days late or the progress.
fn status_label(text: &str) -> &str {
    text.split([',', ';']).next().unwrap_or(text)
}

fn find<'a>(list: &'a Value, key: &str, id: &str) -> Option<&'a Value> {
    list.as_array()?.iter().find(|v| v[key] == id)
}

#[test]
fn every_surface_words_every_figure_the_same() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/demo");
    tiendo(root, &["init"]);
    let mut import = vec!["import".to_string()];
    let mut sources: Vec<PathBuf> = std::fs::read_dir(&demo)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    sources.sort();
    import.extend(sources.iter().map(|p| p.display().to_string()));
    tiendo(root, &import.iter().map(String::as_str).collect::<Vec<_>>());
    tiendo(root, &["account", "lanhdao", "--role", "viewer"]);
    let token = String::from_utf8(tiendo(
        root,
        &[
            "token",
            "--account",
            "lanhdao",
            "--name",
            "thử",
            "--scopes",
            "read",
        ],
    ))
    .unwrap()
    .trim()
    .to_string();
    let load = || {
        tokio::runtime::Runtime::new().unwrap().block_on(async {
            let db = tiendo_store::Database::open(root.join("t.db").to_str().unwrap())
                .await
                .unwrap();
            db.load().await.unwrap()
        })
    };
    let generated = generated(root, &load());
    tiendo(root, &["import", generated.to_str().unwrap()]);
    let data = load();
    let server = Server::start(root, token);
    // The reports are drawn from what the system knows today, as every surface's default.
    let known_on = clock::today_in_vietnam();
    let mut differences = Differences(Vec::new());
    let mut checked = 0usize;

    let roots: Vec<String> = data
        .programmes
        .iter()
        .filter(|p| p.parent_id.is_none())
        .map(|p| p.id.clone())
        .collect();
    for programme_id in &roots {
        let programme = data.programme(programme_id).unwrap();
        for period in periods(&data, programme_id) {
            if clock::period_outside_programme(programme, period).is_some() {
                continue;
            }
            let dates = clock::programme_dates(&data, programme, Some(period), None, known_on);
            let figures = tiendo_core::figure::figures(&data, programme, &dates);
            let code = period.code();
            let at = format!("{programme_id} {code}");
            eprintln!("{at}: {} figures", figures.len());

            // The report: the command line's four formats and the API's HTML and Markdown.
            let report = |format: &str| -> PathBuf {
                let path = root.join(format!("{programme_id}-{code}.{format}"));
                tiendo(
                    root,
                    &[
                        "report",
                        "--programme",
                        programme_id,
                        "--period",
                        &code,
                        "--format",
                        format,
                        "--output",
                        path.to_str().unwrap(),
                    ],
                );
                path
            };
            let md = std::fs::read_to_string(report("md")).unwrap();
            let api_md = server.get(&format!("/api/v1/reports/{programme_id}/{code}?format=md"));
            differences.check(md == api_md, || {
                format!("{at}: the API's Markdown differs from the command line's")
            });
            let html = server.get(&format!("/api/v1/reports/{programme_id}/{code}"));
            let docx = std::fs::read(report("docx")).unwrap();
            let pdf = pdf_text(&report("pdf"));
            let surfaces = [
                Surface {
                    name: "Markdown".into(),
                    rows: md.lines().map(collapse).collect(),
                    tables: true,
                },
                Surface {
                    name: "HTML".into(),
                    rows: html_rows(&html),
                    tables: true,
                },
                Surface {
                    name: "DOCX".into(),
                    rows: docx_rows(&docx),
                    tables: true,
                },
                Surface {
                    name: "XLSX".into(),
                    rows: xlsx_rows(&report("xlsx")),
                    tables: true,
                },
                Surface {
                    name: "PDF".into(),
                    rows: vec![pdf],
                    tables: false,
                },
            ];

            // The pages and the API.
            let page_json =
                server.json(&format!("/api/v1/programmes/{programme_id}?period={code}"));
            let page = html_rows(&server.get(&format!("/programmes/{programme_id}?period={code}")));
            let as_of = dates.as_of.to_string();
            let list_json = server.json(&format!(
                "/api/v1/tasks?programme={programme_id}&as_of={as_of}"
            ));
            let list_page = server.get(&format!("/tasks?programme={programme_id}&as_of={as_of}"));

            let mut task_totals = tiendo_core::status::TaskCounts::default();
            for figure in &figures {
                checked += 1;
                check_report(&mut differences, &at, &data, figure, &surfaces);
                check_pages(
                    &mut differences,
                    &at,
                    figure,
                    &page_json,
                    &page,
                    &list_json,
                    &list_page,
                );
                if let Subject::Tasks { counts, .. } = &figure.subject {
                    task_totals.total += counts.total;
                    task_totals.done += counts.done;
                    task_totals.overdue += counts.overdue;
                    task_totals.in_progress += counts.in_progress;
                    task_totals.not_started += counts.not_started;
                }
            }
            let tiles = &page_json["card"]["tasks"];
            for (name, value) in [
                ("total", task_totals.total),
                ("done", task_totals.done),
                ("overdue", task_totals.overdue),
                ("in_progress", task_totals.in_progress),
                ("not_started", task_totals.not_started),
            ] {
                differences.check(tiles[name].as_u64() == Some(value as u64), || {
                    format!("{at}: the programme's {name} tasks are {value} in the report, {} in the API", tiles[name])
                });
            }
        }
    }
    // The public site (issue 29): each programme's latest report, issued and published,
    // states on its public page and in its data files the figures the core lists.
    let today = clock::today_in_vietnam().to_string();
    let mut issued = Vec::new();
    for programme_id in &roots {
        let out = String::from_utf8(tiendo(
            root,
            &[
                "issue",
                "--programme",
                programme_id,
                "--public-from",
                &today,
            ],
        ))
        .unwrap();
        let id = out
            .split("Đã ban hành bản ")
            .nth(1)
            .and_then(|rest| rest.split([':', ' ']).next())
            .unwrap_or_else(|| panic!("an edition id in {out}"))
            .to_string();
        issued.push((programme_id.clone(), id));
    }
    // The server reloads the public listing at most this long after another process wrote.
    std::thread::sleep(Duration::from_millis(2100));
    for (programme_id, id) in &issued {
        let programme = data.programme(programme_id).unwrap();
        let dates = clock::programme_dates(&data, programme, None, None, known_on);
        let figures = tiendo_core::figure::figures(&data, programme, &dates);
        let public = server.json(&format!("/cong-khai/ban/{id}/so-lieu.json"));
        let said: Vec<(&str, &str)> = public["figures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["id"].as_str().unwrap(), f["text"].as_str().unwrap()))
            .collect();
        let expected: Vec<(&str, &str)> = figures
            .iter()
            .map(|f| (f.id.as_str(), f.text.as_str()))
            .collect();
        differences.check(said == expected, || {
            format!("{id}: the public data's figures differ from the core's")
        });
        let page = html_text(&server.get(&format!("/cong-khai/ban/{id}")));
        for f in &figures {
            checked += 1;
            differences.check(page.contains(&f.text), || {
                format!("{id} public page: no “{}” ({})", f.text, f.label)
            });
        }
    }
    assert!(checked > 300, "{checked} figures checked");
    assert!(
        differences.0.is_empty(),
        "{} differences in {checked} figures:\n{}",
        differences.0.len(),
        differences.0.join("\n")
    );
}

/// A figure in each format of the report.
fn check_report(
    differences: &mut Differences,
    at: &str,
    data: &Dataset,
    figure: &Figure,
    surfaces: &[Surface],
) {
    let text = &figure.text;
    for surface in surfaces {
        let name = &surface.name;
        match &figure.subject {
            Subject::Tasks { counts, .. } => {
                let needle = format!(
                    "Tổng số {} nhiệm vụ: {text}",
                    format::count(counts.total as u64)
                );
                differences.check(surface.contains(&needle), || {
                    format!("{at} {name}: no “{needle}”")
                });
            }
            Subject::Cohort { .. } => differences.check(surface.contains(text), || {
                format!("{at} {name}: no “{text}” ({})", figure.label)
            }),
            Subject::Task { id } if surface.tables => {
                let task = data.tasks.iter().find(|t| &t.id == id).unwrap();
                let label = status_label(text);
                let row = surface
                    .rows
                    .iter()
                    .filter(|r| r.contains(&collapse(&task.title)) && r.contains(" | "))
                    .find(|r| {
                        r.contains(&format!("| {label} |")) || r.ends_with(&format!("| {label}"))
                    });
                differences.check(row.is_some(), || {
                    format!("{at} {name}: task {id} is not “{label}” in its row")
                });
            }
            Subject::Task { .. } => {}
            Subject::Value { indicator_id } => {
                let ind = indicator(data, indicator_id);
                let needle = format!("{}: {text}", ind.name);
                differences.check(surface.contains(&needle), || {
                    format!("{at} {name}: no “{needle}”")
                });
            }
            Subject::Target { indicator_id }
            | Subject::Attainment { indicator_id }
            | Subject::Change { indicator_id } => {
                let ind = indicator(data, indicator_id);
                let needle = match &figure.subject {
                    Subject::Target { .. } => format!("mục tiêu {text}"),
                    Subject::Attainment { .. } => format!("đạt {text} mục tiêu"),
                    _ => format!("({text})"),
                };
                let line = surface.line(&format!("{}: ", ind.name));
                differences.check(line.is_some_and(|l| l.contains(&needle)), || {
                    format!(
                        "{at} {name}: “{needle}” not in “{}”",
                        line.unwrap_or("(no line)")
                    )
                });
            }
            Subject::Requirement { id } => {
                let requirement = data
                    .checklist_requirements
                    .iter()
                    .find(|r| &r.id == id)
                    .unwrap();
                let line = surface.line(&format!("{}: ", requirement.title));
                differences.check(line.is_some_and(|l| l.contains(text.as_str())), || {
                    format!(
                        "{at} {name}: “{text}” not in “{}”",
                        line.unwrap_or("(no line)")
                    )
                });
            }
        }
    }
}

/// A figure on the programme page, in the programme's API, on the task list page and in
/// the task list's API.
fn check_pages(
    differences: &mut Differences,
    at: &str,
    figure: &Figure,
    page_json: &Value,
    page: &[String],
    list_json: &Value,
    list_page: &str,
) {
    let text = figure.text.as_str();
    let on_page = |needle: &str| page.iter().any(|r| r.contains(needle));
    match &figure.subject {
        Subject::Tasks { .. } => {}
        Subject::Cohort { due_in } => {
            let period: Period = due_in.parse().unwrap();
            let cohort = find(&page_json["cohorts"], "label", &period.label_vi());
            let count = cohort.and_then(|c| c["count"].as_u64());
            differences.check(
                count.is_some_and(|n| text.starts_with(&format!("{} ", format::count(n)))),
                || format!("{at} API: cohort {due_in} is {count:?}, the report says “{text}”"),
            );
        }
        Subject::Task { id } => {
            let row = find(&list_json["tasks"], "id", id);
            let label = status_label(text);
            differences.check(row.is_some_and(|r| r["status_text"] == label), || {
                format!(
                    "{at} API: task {id} is {:?}, the report says “{label}”",
                    row.map(|r| &r["status_text"])
                )
            });
            if let Some(days) = row.and_then(|r| r["days_late"].as_i64())
                && row.is_some_and(|r| r["status"] == "overdue")
            {
                differences.check(text.contains(&format!(", {days} ngày")), || {
                    format!("{at} API: task {id} is {days} days late, the report says “{text}”")
                });
            }
            if let Some(progress) = row.and_then(|r| r["progress"].as_str()) {
                differences.check(text.contains(progress), || {
                    format!("{at} API: task {id} progress “{progress}”, the report says “{text}”")
                });
            }
            let html_row = list_page
                .split(&format!("data-task=\"{id}\""))
                .nth(1)
                .and_then(|r| r.split("</tr>").next())
                .map(html_text);
            differences.check(
                html_row.as_deref().is_some_and(|r| r.contains(label)),
                || format!("{at} task list page: task {id} is not “{label}”: {html_row:?}"),
            );
        }
        Subject::Value { indicator_id }
        | Subject::Target { indicator_id }
        | Subject::Attainment { indicator_id }
        | Subject::Change { indicator_id } => {
            let field = match &figure.subject {
                Subject::Value { .. } => "value_text",
                Subject::Target { .. } => "target_text",
                Subject::Attainment { .. } => "attainment_text",
                _ => "change_text",
            };
            let line = find(&page_json["card"]["indicators"], "id", indicator_id);
            let said = line.map(|l| &l[field]);
            differences.check(said.is_some_and(|s| s == text), || {
                format!("{at} API: {indicator_id} {field} is {said:?}, the report says “{text}”")
            });
            differences.check(on_page(text), || {
                format!("{at} programme page: no “{text}” ({})", figure.label)
            });
        }
        Subject::Requirement { id } => {
            let line = find(&page_json["checklists"], "id", id);
            let said = line.map(|l| &l["text"]);
            differences.check(said.is_some_and(|s| s == text), || {
                format!("{at} API: requirement {id} is {said:?}, the report says “{text}”")
            });
            differences.check(on_page(text), || {
                format!("{at} programme page: no “{text}” ({})", figure.label)
            });
        }
    }
}

fn indicator<'a>(data: &'a Dataset, id: &str) -> &'a tiendo_core::model::Indicator {
    data.indicators.iter().find(|i| i.id == id).unwrap()
}
