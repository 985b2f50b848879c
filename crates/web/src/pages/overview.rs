//! The overview page (`/`).

use std::collections::HashMap;

use axum::extract::Query;
use minijinja::context;

use crate::page::{Page, PageResult, v};
use crate::params::parse_period;
use crate::views;

pub(super) async fn overview(page: Page, Query(q): Query<HashMap<String, String>>) -> PageResult {
    let period = parse_period(q.get("period")).map_err(|e| page.fail(e))?;
    let overview = views::cached_overview(&page.app, period, page.lang)
        .await
        .map_err(|e| page.fail(e))?;
    let open = open_periods(&page).await?;
    page.ok(
        "overview.html",
        "overview",
        context! { overview => v(&*overview), open_periods => open },
    )
}

/// The periods open for reporting, each shown as such with its deadline and how many of
/// the agencies that owe a report have sent it ("12/106 cơ quan đã gửi"). Which agencies
/// owe is computed once per copy of the records; what was sent is read each time.
async fn open_periods(page: &Page) -> Result<Vec<minijinja::Value>, crate::page::PageError> {
    let data = page.app.data().await.map_err(|e| page.fail(e))?;
    let today = tiendo_core::clock::today_in_vietnam();
    let mut open = Vec::new();
    for (programme_id, period) in &data.open_periods {
        let Some(programme) = data.programme(programme_id) else {
            continue;
        };
        let owing = page
            .app
            .memo(&format!("owing|{programme_id}|{}", period.code()), |data| {
                let family: Vec<&str> = data
                    .programme_family(programme_id)
                    .iter()
                    .map(|p| p.id.as_str())
                    .collect();
                tiendo_core::obligation::obligations(data, &family, *period, &[], today)
                    .iter()
                    .map(|o| o.agency.id.clone())
                    .collect::<std::collections::HashSet<String>>()
            })
            .await
            .map_err(|e| page.fail(e))?;
        let sent = tiendo_store::reminder::submissions_sent(&page.app.store, programme_id, *period)
            .await
            .map_err(|e| page.fail(e))?
            .into_iter()
            .filter(|(agency, status, _)| {
                owing.contains(agency)
                    && *status != tiendo_core::submission::SubmissionStatus::Draft
            })
            .count();
        let counted = tiendo_core::obligation::Completeness {
            sent,
            on_time: 0,
            owed: owing.len(),
        };
        let lang = page.lang;
        open.push(context! {
            programme_id => programme_id,
            programme => if programme.short_name.is_empty() { &programme.name } else { &programme.short_name },
            period => period.code(),
            period_label => lang.pick(&period.label_vi(), &period.label_en()).to_string(),
            deadline => tiendo_core::format::date(period.submission_deadline(programme.regime)),
            completeness => lang.pick(&counted.text_vi(), &counted.text_en()).to_string(),
        });
    }
    Ok(open)
}
