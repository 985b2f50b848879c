//! The overview: each top-level programme's card at its latest period.

use std::sync::Arc;

use serde::Serialize;
use tiendo_core::model::{Assignee, Dataset, Indicator, Programme, TargetClass};
use tiendo_core::period::Period;
use tiendo_core::status::{self, TaskCounts, TaskStatus};
use tiendo_core::{clock, format};
use tiendo_store::StoreError;
use utoipa::ToSchema;

use super::{Counts, IndicatorLine, dates_text, indicator_line, period_label};
use crate::i18n::Lang;
use crate::state::App;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProgrammeCard {
    pub id: String,
    pub name: String,
    pub short_name: String,
    pub period: Option<String>,
    pub period_label: Option<String>,
    pub as_of: Option<String>,
    /// The dates every figure of the card is computed at, in words: "tính đến ngày
    /// 31/5/2024, theo số liệu nhận đến ngày 30/11/2026" ([`clock`]).
    pub dates_text: String,
    pub indicators: Vec<IndicatorLine>,
    pub tasks: Counts,
    /// Tasks that became overdue during the period.
    pub newly_overdue: usize,
    /// Tasks done during the period.
    pub done_in_period: usize,
    /// The indicators classed "phải nỗ lực tập trung": at this pace their targets will
    /// be missed.
    pub needs_effort: usize,
    /// The agencies with the most overdue tasks (their own part of shared tasks
    /// included), most first: who is lagging, at a glance.
    pub lagging: Vec<Lagging>,
}

/// An agency behind on a programme's tasks.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Lagging {
    pub agency_id: String,
    pub agency: String,
    pub overdue: usize,
}

/// How many lagging agencies a card names.
const LAGGING_SHOWN: usize = 5;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Overview {
    pub programmes: Vec<ProgrammeCard>,
}

/// The top-level programmes, each at its latest period (or `period` when given).
pub fn overview(data: &Dataset, period: Option<Period>, lang: Lang) -> Overview {
    let programmes = data
        .programmes
        .iter()
        .filter(|p| p.parent_id.is_none())
        .map(|p| programme_card(data, p, period, lang))
        .collect();
    Overview { programmes }
}

/// The overview of the current records, computed once per copy of them, language and period.
pub async fn cached_overview(
    app: &App,
    period: Option<Period>,
    lang: Lang,
) -> Result<Arc<Overview>, StoreError> {
    app.memo(
        &format!(
            "{} {}",
            lang.code(),
            period.map(|p| p.code()).unwrap_or_default()
        ),
        |data| overview(data, period, lang),
    )
    .await
}

pub fn programme_card(
    data: &Dataset,
    programme: &Programme,
    period: Option<Period>,
    lang: Lang,
) -> ProgrammeCard {
    let dates = clock::programme_dates(data, programme, period, None, clock::today_in_vietnam());
    let family = data.programme_family(&programme.id);
    let ids: Vec<&str> = family.iter().map(|p| p.id.as_str()).collect();
    let mut indicators: Vec<&Indicator> = data
        .indicators
        .iter()
        .filter(|i| ids.contains(&i.programme_id.as_str()))
        .collect();
    indicators.sort_by_key(|a| status::natural_key(&a.code));
    let (start, _) = dates.bounds();
    let views = status::task_views(data, &ids, dates.as_of);
    let before = status::task_views(data, &ids, start.pred_opt().unwrap_or(start));
    let was =
        |id: &str, f: fn(TaskStatus) -> bool| before.iter().any(|v| v.task.id == id && f(v.status));
    let newly_overdue = views
        .iter()
        .filter(|v| {
            v.status == TaskStatus::Overdue && !was(&v.task.id, |s| s == TaskStatus::Overdue)
        })
        .count();
    let done_in_period = views
        .iter()
        .filter(|v| v.status.is_done() && !was(&v.task.id, TaskStatus::is_done))
        .count();
    let indicators: Vec<IndicatorLine> = indicators
        .iter()
        .map(|i| indicator_line(data, i, dates.period, lang))
        .collect();
    let needs_effort = indicators
        .iter()
        .filter(|i| i.class.as_deref() == Some(TargetClass::NeedsEffort.code()))
        .count();
    let mut lagging: Vec<Lagging> = status::counts_per_lead(data, &views, dates.as_of)
        .into_iter()
        .filter_map(|(lead, counts)| match lead {
            Assignee::Agency(id) if counts.overdue > 0 => Some(Lagging {
                agency: data
                    .agency(&id)
                    .map_or_else(|| id.clone(), |a| a.short_name.clone()),
                agency_id: id,
                overdue: counts.overdue,
            }),
            _ => None,
        })
        .collect();
    // Most overdue first; ties keep the official order of the agencies.
    lagging.sort_by_key(|l| std::cmp::Reverse(l.overdue));
    lagging.truncate(LAGGING_SHOWN);
    ProgrammeCard {
        id: programme.id.clone(),
        name: programme.name.clone(),
        short_name: programme.short_name.clone(),
        period: Some(dates.period.code()),
        period_label: Some(period_label(dates.period, lang)),
        as_of: Some(format::date(dates.as_of)),
        dates_text: dates_text(&dates, lang),
        indicators,
        tasks: Counts::of(TaskCounts::of(&views), lang),
        newly_overdue,
        done_in_period,
        needs_effort,
        lagging,
    }
}
