//! `tiendo issue`, `tiendo editions`, `tiendo report --edition` and `--as-known-on`: the
//! command-line side of [`tiendo_app::editions`].

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};
use chrono::NaiveDate;
use tiendo_app::editions::{self, IssueRequest};
use tiendo_core::format;
use tiendo_core::model::Dataset;
use tiendo_core::period::Period;
use tiendo_document::SettingsOverrides;
use tiendo_document::edition::sha256_hex;
use tiendo_store::{Database, Store};

use crate::ReportFormat;

/// `tiendo publish`: an issued edition on the public site from `from` (default: today).
pub async fn publish(
    store: &Database,
    edition_id: &str,
    from: Option<NaiveDate>,
    actor: &str,
) -> Result<ExitCode> {
    let today = tiendo_core::clock::today_in_vietnam();
    let p =
        tiendo_store::publication::publish(store, edition_id, from.unwrap_or(today), actor).await?;
    if p.public_from <= today {
        println!("Đã công bố bản {edition_id} trên trang công khai (/cong-khai/ban/{edition_id}).");
    } else {
        println!(
            "Bản {edition_id} sẽ được công khai từ ngày {} (/cong-khai/ban/{edition_id}).",
            format::date(p.public_from)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `tiendo publish --withdraw`.
pub async fn withdraw(
    store: &Database,
    edition_id: &str,
    reason: &str,
    actor: &str,
) -> Result<ExitCode> {
    tiendo_store::publication::withdraw(store, edition_id, actor, reason).await?;
    println!("Đã thu hồi công bố bản {edition_id}: {reason}.");
    Ok(ExitCode::SUCCESS)
}

/// `tiendo issue`.
pub async fn issue(
    store: &Database,
    programme_id: String,
    period: Option<Period>,
    replaces: Option<String>,
    overrides: SettingsOverrides,
    public_from: Option<NaiveDate>,
    actor: &str,
) -> Result<ExitCode> {
    let drawn = editions::issue(
        store,
        IssueRequest {
            programme_id,
            period,
            replaces,
            overrides,
        },
        actor,
    )
    .await?;
    let e = &drawn.edition;
    // Published before anything is printed: the edition and its publication are one step.
    let published = match public_from {
        Some(day) => Some(tiendo_store::publication::publish(store, &e.id, day, actor).await?),
        None => None,
    };
    println!(
        "Đã ban hành bản {}{}: {} ngày {}, tính đến ngày {}, theo số liệu nhận đến ngày {} (nhật ký đến mục {}).",
        e.id,
        e.replaces
            .as_deref()
            .map(|r| format!(" (thay thế {r})"))
            .unwrap_or_default(),
        if e.number.is_empty() {
            "chưa có số".to_string()
        } else {
            format!("số {}", e.number)
        },
        format::date(e.issued_on),
        format::date(e.as_of),
        format::date(e.issued_on),
        e.known_seq
    );
    for f in &e.files {
        println!(
            "  {:<5} {} ({} byte)",
            f.format,
            f.sha256,
            format::count(f.size)
        );
    }
    if let Some(p) = published {
        println!(
            "Công khai từ ngày {} (/cong-khai/ban/{}).",
            format::date(p.public_from),
            e.id
        );
    }
    if let Some(previous) = &drawn.previous {
        println!(
            "So với bản {previous}: {} số liệu thay đổi.",
            format::count(drawn.changes.len() as u64)
        );
        for c in &drawn.changes {
            println!(
                "  {}: {} → {}",
                c.label,
                c.before.as_deref().unwrap_or("—"),
                c.after.as_deref().unwrap_or("—")
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `tiendo editions`.
pub async fn list(store: &Database, programme_id: Option<&str>) -> Result<ExitCode> {
    let all = tiendo_store::edition::editions(store, programme_id).await?;
    if all.is_empty() {
        println!("Chưa có bản báo cáo nào được ban hành.");
    }
    for e in &all {
        println!(
            "{}  {}  ngày {}  tính đến {}  {}{}",
            e.id,
            if e.number.is_empty() {
                "(chưa có số)"
            } else {
                e.number.as_str()
            },
            format::date(e.issued_on),
            format::date(e.as_of),
            e.signer,
            e.replaces
                .as_deref()
                .map(|r| format!("  thay thế {r}"))
                .unwrap_or_default()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `tiendo report --edition ID`: Markdown and HTML are drawn again from the journal and
/// checked against the SHA-256 of the file issued; the other formats are the files issued.
pub async fn redraw(
    store: &Database,
    id: &str,
    format: ReportFormat,
    output: Option<&Path>,
) -> Result<ExitCode> {
    let drawn = editions::draw_again(store, id).await?;
    let (name, bytes) = match format {
        ReportFormat::Md => (
            "md",
            tiendo_report::to_markdown(&drawn.document).into_bytes(),
        ),
        ReportFormat::Html => ("html", tiendo_report::to_html(&drawn.document).into_bytes()),
        ReportFormat::Docx | ReportFormat::Pdf | ReportFormat::Xlsx => {
            let name = match format {
                ReportFormat::Docx => "docx",
                ReportFormat::Pdf => "pdf",
                _ => "xlsx",
            };
            let file = drawn
                .edition
                .file(name)
                .with_context(|| format!("bản {id} không có tệp {name}"))?;
            let bytes = store
                .blob(&file.sha256)
                .await?
                .ok_or_else(|| anyhow!("không tìm thấy tệp {name} của bản {id}"))?;
            (name, bytes)
        }
    };
    let issued = drawn.edition.file(name).map(|f| f.sha256.as_str());
    let same = issued == Some(sha256_hex(&bytes).as_str());
    match output {
        Some(path) => std::fs::write(path, &bytes)
            .with_context(|| format!("không ghi được {}", path.display()))?,
        None if matches!(format, ReportFormat::Md | ReportFormat::Html) => {
            print!("{}", String::from_utf8_lossy(&bytes))
        }
        None => anyhow::bail!("định dạng này cần tệp ghi kết quả: --output TỆP"),
    }
    if same {
        eprintln!(
            "Khớp với tệp {name} của bản {id} đã ban hành (SHA-256 {}).",
            issued.unwrap_or_default()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("KHÔNG khớp với tệp {name} của bản {id} đã ban hành.");
        Ok(ExitCode::FAILURE)
    }
}

/// The records as the system knew them at the end of `day` (Vietnam's time), and the last
/// journal entry they include.
pub async fn load_as_known_on(store: &Database, day: NaiveDate) -> Result<(Dataset, i64)> {
    let (seq, _) = tiendo_store::edition::journal_seq_on(store, day)
        .await?
        .with_context(|| {
            format!(
                "nhật ký không có thay đổi nào đến hết ngày {}",
                format::date(day)
            )
        })?;
    Ok((tiendo_store::edition::load_as_known(store, seq).await?, seq))
}
