//! `tiendo narrative`: write one section of a report's narrative from a Markdown file, or
//! show the narrative with the references that do not resolve; and the narrative
//! `tiendo report` draws a report with.

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use tiendo_core::model::Dataset;
use tiendo_core::period::Period;
use tiendo_report::{Narrative, ReportError, ReportRequest, Section};
use tiendo_store::narrative::{narrative, narrative_from_journal, save};
use tiendo_store::{Database, Store};

/// The references of a narrative that do not resolve against `data`, in words.
fn problems(
    data: &Dataset,
    programme_id: &str,
    period: Period,
    text: &Narrative,
) -> Result<Vec<String>> {
    let request = ReportRequest {
        programme_id: programme_id.to_string(),
        period: Some(period),
        as_of: None,
        known_on: None,
        structure_date: None,
    };
    match tiendo_report::render_narrative(data, &request, text) {
        Ok(_) => Ok(Vec::new()),
        Err(ReportError::Narrative(e)) => Ok(e.0.iter().map(ToString::to_string).collect()),
        Err(e) => Err(e.into()),
    }
}

/// `tiendo narrative`: with a section and a file, save that section (from the version just
/// read); without, print every section. Either way, list the references that do not
/// resolve against the current records.
pub async fn run(
    store: &Database,
    programme_id: &str,
    period: Period,
    section: Option<(Section, &Path)>,
    actor: &str,
) -> Result<ExitCode> {
    let data = store.load().await?;
    data.programme(programme_id)
        .with_context(|| format!("không có chương trình \"{programme_id}\""))?;
    let stored = narrative(store, programme_id, &period.code()).await?;
    let text = match section {
        Some((section, file)) => {
            let markdown = if file == Path::new("-") {
                let mut text = String::new();
                std::io::stdin()
                    .read_to_string(&mut text)
                    .context("không đọc được từ stdin")?;
                text
            } else {
                std::fs::read_to_string(file)
                    .with_context(|| format!("không đọc được {}", file.display()))?
            };
            let mut text = stored.narrative.clone();
            text.set(section, markdown);
            let version = save(
                store,
                programme_id,
                &period.code(),
                &text,
                stored.version,
                actor,
            )
            .await?;
            println!(
                "Đã lưu mục \"{}\" của phần nhận định báo cáo {programme_id} {} (phiên bản {version}).",
                section.label_vi(),
                period.label_vi()
            );
            text
        }
        None => {
            for s in Section::ALL {
                println!(
                    "## {} ({})\n\n{}\n",
                    s.label_vi(),
                    s.code(),
                    stored.narrative.text(s).trim()
                );
            }
            stored.narrative
        }
    };
    let problems = problems(&data, programme_id, period, &text)?;
    for p in &problems {
        eprintln!("Lỗi: {p}");
    }
    if problems.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "Chưa thể ban hành báo cáo khi còn {} tham chiếu không hợp lệ.",
            problems.len()
        );
        Ok(ExitCode::FAILURE)
    }
}

/// The narrative `tiendo report` uses: the stored one, or, for a report as known on an
/// earlier day, the one the journal held at that day's last entry (`known`).
pub async fn for_report(
    store: &Database,
    data: &Dataset,
    programme_id: &str,
    period: Option<Period>,
    known: Option<(NaiveDate, i64)>,
) -> Result<Narrative> {
    let Some(programme) = data.programme(programme_id) else {
        return Ok(Narrative::default());
    };
    let known_on = known.map_or_else(tiendo_core::clock::today_in_vietnam, |(day, _)| day);
    let period = tiendo_core::clock::programme_dates(data, programme, period, None, known_on)
        .period
        .code();
    Ok(match known {
        Some((_, seq)) => narrative_from_journal(
            &store.journal(None, None).await?,
            seq,
            programme_id,
            &period,
        ),
        None => narrative(store, programme_id, &period).await?.narrative,
    })
}
