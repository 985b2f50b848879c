//! View models: what each page and each API answer shows, computed from the records by
//! the domain core. Pages render them with templates; the API returns them as JSON.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;
use tiendo_core::checklist;
use tiendo_core::clock::{self, FigureDates};
use tiendo_core::format;
use tiendo_core::indicator;
use tiendo_core::model::{Agency, Assignee, Dataset, Indicator, Observation, Programme, SourceKind};
use tiendo_core::period::Period;
use tiendo_core::status::{self, TaskCounts, TaskStatus, TaskView};
use tiendo_core::structure;
use tiendo_store::StoreError;
use utoipa::ToSchema;

use crate::i18n::Lang;
use crate::state::App;

pub fn status_code(s: TaskStatus) -> &'static str {
    match s {
        TaskStatus::DoneEarly => "done_early",
        TaskStatus::DoneOnTime => "done_on_time",
        TaskStatus::DoneLate => "done_late",
        TaskStatus::Done => "done",
        TaskStatus::InProgress => "in_progress",
        TaskStatus::NotStarted => "not_started",
        TaskStatus::Overdue => "overdue",
        TaskStatus::NoDueDate => "no_due_date",
        TaskStatus::NotApplicable => "not_applicable",
        TaskStatus::NoReport => "no_report",
    }
}

fn status_label(s: TaskStatus, lang: Lang) -> &'static str {
    if lang == Lang::Vi { s.label_vi() } else { s.label_en() }
}

fn period_label(p: Period, lang: Lang) -> String {
    if lang == Lang::Vi { p.label_vi() } else { p.label_en() }
}

fn number(value: f64, lang: Lang) -> String {
    if lang == Lang::Vi { format::decimal(value, 2) } else { format::en_number(value, 2) }
}

/// A value with its unit, e.g. "81,2%", "1.234 dịch vụ", or "1.234" for a plain count.
pub fn value_text(ind: &Indicator, value: f64, lang: Lang) -> String {
    match ind.unit.as_str() {
        "%" => format!("{}%", number(value, lang)),
        "count" | "" => number(value, lang),
        unit => format!("{} {unit}", number(value, lang)),
    }
}

/// A unit in words: "%", a unit noun as written, "số lượng" for a plain count.
pub fn unit_text(unit: &str, lang: Lang) -> String {
    match unit {
        "count" => lang.pick("số lượng", "count").to_string(),
        other => other.to_string(),
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorLine {
    pub id: String,
    pub code: String,
    pub name: String,
    pub unit: String,
    pub value: Option<f64>,
    pub value_text: String,
    pub target_text: Option<String>,
    /// Share of the target reached, in percent.
    pub attainment: Option<f64>,
    pub attainment_text: Option<String>,
    pub change_text: Option<String>,
    /// Computed class of the target (achieved, likely, needs_effort), if it has one.
    pub class: Option<String>,
    pub class_text: Option<String>,
}

pub fn indicator_line(data: &Dataset, ind: &Indicator, period: Period, lang: Lang) -> IndicatorLine {
    let current = indicator::national_value(data, ind, period).map(|(v, _)| v);
    let previous_period = period.previous();
    let previous = indicator::national_value(data, ind, previous_period).map(|(v, _)| v);
    let target = data.targets.iter().find(|t| t.indicator_id == ind.id && t.agency_id.is_none());
    let attainment = current.zip(target).and_then(|(v, t)| indicator::attainment(t, v));
    let change_text = current.zip(previous).map(|(c, p)| {
        let ch = indicator::change(ind, previous_period, p, c);
        let unit = if ind.unit == "%" { lang.pick("điểm phần trăm", "percentage points") } else { ind.unit.as_str() };
        format!("{} {} ({})", if lang == Lang::Vi { format::change(ch.delta, 2, "") } else { format!("{:+}", ch.delta) }.trim(), unit, period_label(previous_period, lang))
    });
    let classification = target.map(|t| {
        let series: Vec<(Period, f64)> = data.observations.iter().filter(|o| o.indicator_id == ind.id && o.agency_id.is_none()).map(|o| (o.period, o.value)).collect();
        indicator::classify(t, &series, period, None)
    });
    IndicatorLine {
        id: ind.id.clone(),
        code: ind.code.clone(),
        name: ind.name.clone(),
        unit: ind.unit.clone(),
        value: current,
        value_text: current.map_or_else(|| lang.label("no_data").to_string(), |v| value_text(ind, v, lang)),
        target_text: target.map(|t| {
            format!("{} {}{}", t.operator.code().replace(">=", "≥").replace("<=", "≤"), value_text(ind, t.value, lang), t.deadline.due.map(|d| format!(" ({})", format::date(d))).unwrap_or_default())
        }),
        attainment,
        attainment_text: attainment.map(|a| format!("{}%", number(a, lang))),
        change_text,
        class: classification.as_ref().map(|c| c.computed.code().to_string()),
        class_text: classification.map(|c| lang.pick(c.computed.label_vi(), c.computed.label_en()).to_string()),
    }
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Counts {
    pub total: usize,
    pub done: usize,
    pub in_progress: usize,
    pub overdue: usize,
    pub not_started: usize,
    /// Done share in percent, formatted.
    pub done_share: Option<String>,
}

impl Counts {
    fn of(c: TaskCounts) -> Counts {
        Counts { total: c.total, done: c.done, in_progress: c.in_progress, overdue: c.overdue, not_started: c.not_started, done_share: format::ratio_percent(c.done as f64, c.total as f64) }
    }
}

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
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Overview {
    pub programmes: Vec<ProgrammeCard>,
}

/// The top-level programmes, each at its latest period (or `period` when given).
pub fn overview(data: &Dataset, period: Option<Period>, lang: Lang) -> Overview {
    let programmes = data.programmes.iter().filter(|p| p.parent_id.is_none()).map(|p| programme_card(data, p, period, lang)).collect();
    Overview { programmes }
}

/// The overview of the current records, computed once per copy of them, language and period.
pub async fn cached_overview(app: &App, period: Option<Period>, lang: Lang) -> Result<Arc<Overview>, StoreError> {
    app.memo(&format!("{} {}", lang.code(), period.map(|p| p.code()).unwrap_or_default()), |data| overview(data, period, lang)).await
}

pub fn programme_card(data: &Dataset, programme: &Programme, period: Option<Period>, lang: Lang) -> ProgrammeCard {
    let dates = clock::programme_dates(data, programme, period, None, clock::today_in_vietnam());
    let family = data.programme_family(&programme.id);
    let ids: Vec<&str> = family.iter().map(|p| p.id.as_str()).collect();
    let mut indicators: Vec<&Indicator> = data.indicators.iter().filter(|i| ids.contains(&i.programme_id.as_str())).collect();
    indicators.sort_by_key(|a| status::natural_key(&a.code));
    let (start, _) = dates.bounds();
    let views = status::task_views(data, &ids, dates.as_of);
    let before = status::task_views(data, &ids, start.pred_opt().unwrap_or(start));
    let was = |id: &str, f: fn(TaskStatus) -> bool| before.iter().any(|v| v.task.id == id && f(v.status));
    let newly_overdue = views.iter().filter(|v| v.status == TaskStatus::Overdue && !was(&v.task.id, |s| s == TaskStatus::Overdue)).count();
    let done_in_period = views.iter().filter(|v| v.status.is_done() && !was(&v.task.id, TaskStatus::is_done)).count();
    ProgrammeCard {
        id: programme.id.clone(),
        name: programme.name.clone(),
        short_name: programme.short_name.clone(),
        period: Some(dates.period.code()),
        period_label: Some(period_label(dates.period, lang)),
        as_of: Some(format::date(dates.as_of)),
        dates_text: dates_text(&dates, lang),
        indicators: indicators.iter().map(|i| indicator_line(data, i, dates.period, lang)).collect(),
        tasks: Counts::of(TaskCounts::of(&views)),
        newly_overdue,
        done_in_period,
    }
}

/// A status as an agency reported it, in words.
pub fn reported_status_text(status: tiendo_core::model::ReportedStatus, lang: Lang) -> &'static str {
    use tiendo_core::model::ReportedStatus;
    match status {
        ReportedStatus::Done => lang.pick("Hoàn thành", "Done"),
        ReportedStatus::InProgress => lang.pick("Đang thực hiện", "In progress"),
        ReportedStatus::NotStarted => lang.pick("Chưa triển khai", "Not started"),
        ReportedStatus::NotApplicable => lang.pick("Không còn áp dụng", "No longer applicable"),
    }
}

/// Where a value comes from, in words.
pub fn source_text(source: Option<SourceKind>, lang: Lang) -> &'static str {
    match source {
        Some(SourceKind::Declared) => lang.pick("Số liệu báo cáo", "Declared"),
        Some(SourceKind::Measured) => lang.pick("Số liệu đo lường", "Measured"),
        Some(SourceKind::Imported) => lang.pick("Số liệu nhập từ hệ thống khác", "Imported"),
        Some(SourceKind::Estimated) => lang.pick("Số liệu ước tính", "Estimated"),
        None => lang.pick("Tổng hợp từ số liệu của các cơ quan", "Aggregated from the agencies"),
    }
}

/// The dates of a figure in words, in the page's language.
pub fn dates_text(dates: &FigureDates, lang: Lang) -> String {
    if lang == Lang::Vi { dates.text_vi() } else { dates.text_en() }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskRow {
    pub id: String,
    pub programme_id: String,
    pub number: String,
    pub title: String,
    /// The leads and joint leads, as in running text ("Bộ Công an; TANDTC").
    pub lead: String,
    /// The first lead's id (an agency or a group).
    pub lead_id: String,
    /// Coordinating agencies (phối hợp).
    pub coordinating: String,
    /// For a task assigned to several agencies or a group: "đã hoàn thành 15/22 bộ, ngành,
    /// 62/63 địa phương".
    pub progress: Option<String>,
    /// The required assignees not done, by name.
    pub not_done: Vec<String>,
    pub deadline: String,
    pub due: Option<String>,
    pub status: String,
    pub status_text: String,
    pub days_late: Option<i64>,
    pub result: Option<String>,
    /// The as-of date of the status and the days late: the task's programme's ([`clock`]).
    pub as_of: String,
}

fn assignee_id(assignee: &Assignee) -> &str {
    match assignee {
        Assignee::Agency(id) | Assignee::Group(id) => id,
    }
}

pub fn task_row(data: &Dataset, v: &TaskView<'_>, lang: Lang) -> TaskRow {
    let leads = data.leads_of(v.task);
    let shared = v.reports_per_assignee(data);
    let parts = v.progress(data);
    let done_word = if lang == Lang::Vi { "đã hoàn thành" } else { "done" };
    let progress =
        shared.then(|| format!("{done_word} {}", parts.iter().map(|p| format!("{}/{} {}", format::count(p.done as u64), format::count(p.total as u64), p.counted_as)).collect::<Vec<_>>().join(", ")));
    TaskRow {
        id: v.task.id.clone(),
        programme_id: v.task.programme_id.clone(),
        number: v.task.number.clone(),
        title: v.task.title.clone(),
        lead: data.assignee_names(leads.iter()),
        lead_id: leads.first().map(assignee_id).unwrap_or_default().to_string(),
        coordinating: data.assignee_names(data.coordinating_of(v.task).iter()),
        progress,
        not_done: if shared { parts.iter().flat_map(|p| p.not_done.iter()).map(|id| data.agency(id).map_or_else(|| id.clone(), |a| a.short_name.clone())).collect() } else { Vec::new() },
        deadline: v.task.deadline.text.clone(),
        due: v.due.map(format::date),
        status: status_code(v.status).to_string(),
        status_text: status_label(v.status, lang).to_string(),
        days_late: v.days_late,
        result: v.update.map(|u| u.result.clone()).filter(|r| !r.is_empty()),
        as_of: format::date(v.as_of),
    }
}

/// Filters of the task list; every field is optional.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct TaskFilter {
    /// Programme id (its sub-programmes are included).
    pub programme: Option<String>,
    /// Lead agency or group id.
    pub lead: Option<String>,
    /// Derived status code, e.g. `overdue`, `in_progress`, `done_on_time`; `done` matches every done status.
    pub status: Option<String>,
    /// Only overdue tasks.
    pub overdue: Option<bool>,
    /// Due on or after (YYYY-MM-DD).
    pub due_from: Option<NaiveDate>,
    /// Due on or before (YYYY-MM-DD).
    pub due_to: Option<NaiveDate>,
    /// As-of date for derived statuses (default: for each task, the end of its programme's
    /// latest reporting period).
    pub as_of: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskList {
    /// The as-of date of the statuses: the one asked or the one every listed task
    /// shares; none when the tasks' programmes are at different dates (each row has its own).
    pub as_of: Option<String>,
    /// The same in words: "trạng thái tính đến ngày 31/5/2024", or "trạng thái của mỗi
    /// nhiệm vụ tính đến cuối kỳ báo cáo gần nhất của chương trình".
    pub as_of_text: String,
    pub total: usize,
    pub tasks: Vec<TaskRow>,
}

pub fn task_list(data: &Dataset, filter: &TaskFilter, lang: Lang) -> TaskList {
    let programme_ids: Vec<&str> = match &filter.programme {
        Some(p) if !p.is_empty() => data.programme_family(p).iter().map(|p| p.id.as_str()).collect(),
        _ => data.programmes.iter().map(|p| p.id.as_str()).collect(),
    };
    let views = status::task_views_dated(data, &programme_ids, filter.as_of, clock::today_in_vietnam());
    let dates: std::collections::BTreeSet<NaiveDate> = views.iter().map(|v| v.as_of).collect();
    let as_of = match (filter.as_of, dates.len()) {
        (Some(date), _) => Some(date),
        (None, 1) => dates.first().copied(),
        _ => None,
    };
    let as_of_text = match as_of {
        Some(date) => format!("{} {}", lang.pick("trạng thái tính đến ngày", "status as of"), format::date(date)),
        None => lang.pick("trạng thái của mỗi nhiệm vụ tính đến cuối kỳ báo cáo gần nhất của chương trình", "each task's status as of the end of its programme's latest reporting period").to_string(),
    };
    let as_of = as_of.map(format::date);
    let tasks: Vec<TaskRow> = views
        .iter()
        .filter(|v| filter.lead.as_deref().is_none_or(|l| l.is_empty() || data.leads_of(v.task).iter().any(|a| assignee_id(a) == l)))
        .filter(|v| match filter.status.as_deref() {
            None | Some("") => true,
            Some("done") => v.status.is_done(),
            Some(code) => status_code(v.status) == code,
        })
        .filter(|v| filter.overdue != Some(true) || v.status == TaskStatus::Overdue)
        .filter(|v| filter.due_from.is_none_or(|f| v.due.is_some_and(|d| d >= f)))
        .filter(|v| filter.due_to.is_none_or(|t| v.due.is_some_and(|d| d <= t)))
        .map(|v| task_row(data, v, lang))
        .collect();
    TaskList { as_of, as_of_text, total: tasks.len(), tasks }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UpdateRow {
    pub period: String,
    pub period_label: String,
    pub reported_on: String,
    pub status: String,
    /// The status as reported, in words.
    pub status_text: String,
    pub completed_on: Option<String>,
    pub result: String,
    pub provenance: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskDetail {
    pub task: TaskRow,
    pub programme: String,
    pub coordinating: Vec<String>,
    pub legal_basis: Vec<String>,
    pub provenance: String,
    pub updates: Vec<UpdateRow>,
}

/// A task at `as_of`, or at its programme's dates ([`clock`]).
pub fn task_detail(data: &Dataset, id: &str, as_of: Option<NaiveDate>, lang: Lang) -> Option<TaskDetail> {
    let task = data.tasks.iter().find(|t| t.id == id)?;
    let views = status::task_views_dated(data, &[task.programme_id.as_str()], as_of, clock::today_in_vietnam());
    let view = views.iter().find(|v| v.task.id == id)?;
    let mut updates: Vec<UpdateRow> = data
        .task_updates
        .iter()
        .filter(|u| u.task_id == id)
        .map(|u| UpdateRow {
            period: u.period.code(),
            period_label: period_label(u.period, lang),
            reported_on: format::date(u.reported_on),
            status: u.status.code().to_string(),
            status_text: reported_status_text(u.status, lang).to_string(),
            completed_on: u.completed_on.map(format::date),
            result: u.result.clone(),
            provenance: u.provenance.clone(),
        })
        .collect();
    updates.reverse();
    Some(TaskDetail {
        task: task_row(data, view, lang),
        programme: data.programme(&task.programme_id).map_or_else(|| task.programme_id.clone(), |p| p.name.clone()),
        coordinating: data.coordinating_of(task).iter().map(|a| data.assignee_name(a)).collect(),
        legal_basis: task.legal_basis.iter().map(|d| data.legal_document(d).map_or_else(|| d.clone(), |d| format!("{} {}", d.number, d.title))).collect(),
        provenance: task.provenance.clone(),
        updates,
    })
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChecklistLine {
    pub id: String,
    pub title: String,
    /// "17/22 bộ, ngành; 54/63 địa phương".
    pub groups: Vec<String>,
    pub combined: String,
    pub share: Option<String>,
    pub not_done: Vec<String>,
}

pub fn checklist_lines(data: &Dataset, programme_ids: &[&str], date: NaiveDate) -> Vec<ChecklistLine> {
    data.checklist_requirements
        .iter()
        .filter(|r| programme_ids.contains(&r.programme_id.as_str()))
        .map(|r| {
            let result = checklist::evaluate(data, r, date);
            ChecklistLine {
                id: r.id.clone(),
                title: r.title.clone(),
                groups: result.groups.iter().map(|g| format!("{}/{} {}", format::count(g.numerator() as u64), format::count(g.denominator() as u64), g.counted_as)).collect(),
                combined: format!("{}/{}", result.numerator(), result.denominator()),
                share: format::ratio_percent(result.numerator() as f64, result.denominator() as f64),
                not_done: result.not_done().map(|a| a.short_name.clone()).collect(),
            }
        })
        .collect()
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Cohort {
    pub label: String,
    pub count: usize,
    pub task_ids: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProgrammePage {
    pub card: ProgrammeCard,
    pub legal_basis: String,
    pub sub_programmes: Vec<String>,
    pub cohorts: Vec<Cohort>,
    pub checklists: Vec<ChecklistLine>,
    pub leads: Vec<LeadCounts>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LeadCounts {
    pub lead: String,
    pub lead_id: String,
    pub counts: Counts,
}

pub fn programme_page(data: &Dataset, id: &str, period: Option<Period>, lang: Lang) -> Option<ProgrammePage> {
    let programme = data.programme(id)?;
    let card = programme_card(data, programme, period, lang);
    let family = data.programme_family(id);
    let ids: Vec<&str> = family.iter().map(|p| p.id.as_str()).collect();
    let as_of = clock::programme_dates(data, programme, period, None, clock::today_in_vietnam()).as_of;
    let views = status::task_views(data, &ids, as_of);
    let cohorts = status::overdue_cohorts(&views, as_of)
        .into_iter()
        .map(|(p, list)| Cohort { label: period_label(p, lang), count: list.len(), task_ids: list.iter().map(|v| v.task.id.clone()).collect() })
        .collect();
    let leads = status::counts_per_lead(data, &views, as_of)
        .into_iter()
        .map(|(lead, c)| LeadCounts { lead: data.assignee_name(&lead), lead_id: assignee_id(&lead).to_string(), counts: Counts::of(c) })
        .collect();
    Some(ProgrammePage {
        legal_basis: programme.legal_basis.iter().map(|d| data.legal_document(d).map_or_else(|| d.clone(), |d| format!("{} {}", d.number, d.title))).collect::<Vec<_>>().join("; "),
        sub_programmes: family[1..].iter().map(|p| p.name.clone()).collect(),
        cohorts,
        checklists: checklist_lines(data, &ids, as_of),
        leads,
        card,
    })
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SeriesPoint {
    pub period: String,
    pub label: String,
    /// The last day of the period (YYYY-MM-DD): where the point sits in time.
    pub date: String,
    pub value: f64,
    /// `declared`, `measured`, `imported`, `estimated`, or `aggregated` (summed from the
    /// agencies' values): each source is its own series, never joined to another.
    pub source: String,
    pub source_text: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgencyValue {
    pub agency_id: String,
    pub agency: String,
    pub code: String,
    /// None when the value cannot be restated to the chosen structure (see `note`).
    pub value: Option<f64>,
    pub value_text: String,
    /// For a restated unit: the units it was made of, an estimate, or why it has no value.
    pub note: Option<String>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub source: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorPage {
    pub line: IndicatorLine,
    pub programme_id: String,
    pub period: Option<String>,
    pub period_label: Option<String>,
    pub target_value: Option<f64>,
    pub series: Vec<SeriesPoint>,
    pub agencies: Vec<AgencyValue>,
    /// Periods with agency values, newest first, for the period switch.
    pub agency_periods: Vec<String>,
    /// The date whose structure the agencies are shown in (default: the period's end).
    pub structure_date: String,
    /// Whether the per-agency values are restated to another structure.
    pub restated: bool,
}

/// How the per-agency table is sorted: `value` (best first), `name`, or the agency order.
pub fn indicator_page(data: &Dataset, id: &str, period: Option<Period>, structure_date: Option<NaiveDate>, sort: Option<&str>, lang: Lang) -> Option<IndicatorPage> {
    let ind = data.indicators.iter().find(|i| i.id == id)?;
    let mut series: Vec<(Period, f64, Option<SourceKind>)> = data.observations.iter().filter(|o| o.indicator_id == id && o.agency_id.is_none()).map(|o| (o.period, o.value, Some(o.source))).collect();
    let agency_obs: Vec<&Observation> = data.observations.iter().filter(|o| o.indicator_id == id && o.agency_id.is_some()).collect();
    let mut agency_periods: Vec<Period> = agency_obs.iter().map(|o| o.period).collect();
    agency_periods.sort();
    agency_periods.dedup();
    for p in &agency_periods {
        if !series.iter().any(|(sp, _, _)| sp == p)
            && let Some((v, _)) = indicator::national_value(data, ind, *p)
        {
            series.push((*p, v, None));
        }
    }
    series.sort_by_key(|(p, _, source)| (*p, source.map(SourceKind::code)));
    series.dedup_by_key(|(p, _, source)| (*p, *source));
    // The latest period by its last day (the rule of `clock`), agency values first.
    let regime = clock::regime_of_programme(data, &ind.programme_id);
    let by_end = |p: &Period| (p.end(regime), p.start(regime));
    let period = period.or_else(|| agency_periods.iter().copied().max_by_key(by_end)).or_else(|| series.iter().map(|(p, _, _)| *p).max_by_key(by_end));
    let data_date = period.map(|p| structure::data_date(data, ind, p));
    let structure_date = structure_date.or(data_date).unwrap_or_else(clock::today_in_vietnam);
    let restated = data_date.is_some_and(|d| d != structure_date);
    let mut agencies: Vec<(&Agency, AgencyValue)> = match period {
        Some(p) if restated => structure::restate_indicator(data, ind, p, structure_date)
            .into_iter()
            .map(|u| {
                let (value, numerator, denominator, estimate, note) = match &u.value {
                    structure::RestatedValue::Value { value, numerator, denominator, estimate, .. } => (Some(*value), *numerator, *denominator, *estimate, None),
                    structure::RestatedValue::NotRestatable(reason) => (None, None, None, false, Some(format!("{}: {reason}", lang.pick("không quy đổi được", "not restatable")))),
                };
                let parts: Vec<&str> = u.parts.iter().filter(|p| !p.is_same_unit()).map(|p| p.agency.short_name.as_str()).collect();
                let note =
                    note.or_else(|| (!parts.is_empty()).then(|| format!("{}: {}{}", lang.pick("gồm", "from"), parts.join(", "), if estimate { lang.pick(" (ước tính)", " (estimate)") } else { "" })));
                let row = AgencyValue {
                    agency_id: u.agency.id.clone(),
                    agency: u.agency.short_name.clone(),
                    code: u.agency.code.clone(),
                    value,
                    value_text: value.map_or_else(|| "—".to_string(), |v| value_text(ind, v, lang)),
                    numerator,
                    denominator,
                    source: lang.pick("quy đổi", "restated").to_string(),
                    note,
                };
                (u.agency, row)
            })
            .collect(),
        _ => agency_obs
            .iter()
            .filter(|o| Some(o.period) == period)
            .filter_map(|o| data.agency(o.agency_id.as_deref().unwrap_or_default()).map(|a| (a, *o)))
            .map(|(a, o)| {
                let row = AgencyValue {
                    agency_id: a.id.clone(),
                    agency: a.short_name.clone(),
                    code: a.code.clone(),
                    value: Some(o.value),
                    value_text: value_text(ind, o.value, lang),
                    numerator: o.numerator,
                    denominator: o.denominator,
                    source: source_text(Some(o.source), lang).to_string(),
                    note: None,
                };
                (a, row)
            })
            .collect(),
    };
    match sort {
        Some("value") => agencies.sort_by(|a, b| b.1.value.unwrap_or(f64::MIN).total_cmp(&a.1.value.unwrap_or(f64::MIN))),
        Some("name") => agencies.sort_by(|a, b| a.0.short_name.cmp(&b.0.short_name)),
        _ => agencies.sort_by(|a, b| tiendo_core::model::agency_order(a.0, b.0)),
    }
    let target = data.targets.iter().find(|t| t.indicator_id == id && t.agency_id.is_none());
    Some(IndicatorPage {
        line: indicator_line(data, ind, period.unwrap_or_else(|| Period::year(1)), lang),
        programme_id: ind.programme_id.clone(),
        period: period.map(|p| p.code()),
        period_label: period.map(|p| period_label(p, lang)),
        target_value: target.map(|t| t.value),
        series: series
            .iter()
            .map(|(p, v, source)| SeriesPoint {
                period: p.code(),
                label: period_label(*p, lang),
                date: p.end(regime).to_string(),
                value: *v,
                source: source.map_or("aggregated", SourceKind::code).to_string(),
                source_text: source_text(*source, lang).to_string(),
            })
            .collect(),
        agencies: agencies.into_iter().map(|(_, row)| row).collect(),
        agency_periods: agency_periods.iter().rev().map(|p| p.code()).collect(),
        structure_date: structure_date.to_string(),
        restated,
    })
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequirementStatus {
    pub id: String,
    pub title: String,
    pub done: bool,
    pub done_on: Option<String>,
    pub evidence: String,
    /// The evidence split into its parts ("; "), files linked by their SHA-256.
    pub evidence_parts: Vec<EvidencePart>,
}

/// A piece of evidence of a checklist item: a stored file (`sha256:<hex> name`) or text.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EvidencePart {
    pub sha256: Option<String>,
    pub text: String,
}

fn evidence_parts(evidence: &str) -> Vec<EvidencePart> {
    evidence
        .split("; ")
        .filter(|p| !p.trim().is_empty())
        .map(|part| match part.strip_prefix("sha256:") {
            Some(rest) if rest.len() >= 64 && rest.is_char_boundary(64) && rest[..64].bytes().all(|b| b.is_ascii_hexdigit()) => {
                let (sha, name) = rest.split_at(64);
                let name = name.trim();
                EvidencePart { sha256: Some(sha.to_string()), text: if name.is_empty() { sha[..12].to_string() } else { name.to_string() } }
            }
            _ => EvidencePart { sha256: None, text: part.to_string() },
        })
        .collect()
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgencyPage {
    pub id: String,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub confidence: String,
    pub groups: Vec<String>,
    pub as_of: String,
    pub tasks: Vec<TaskRow>,
    pub task_counts: Counts,
    pub requirements: Vec<RequirementStatus>,
    pub requirements_met: String,
    /// Place among the members of its first group by requirements met: "3/63".
    pub rank: Option<String>,
    pub values: Vec<AgencyIndicatorValue>,
    /// What the agency was formed from (merged, split, renamed, moved).
    pub predecessors: Vec<LineageLine>,
    /// What it became.
    pub successors: Vec<LineageLine>,
    /// Its place in the QĐ 766 ranking of the latest measured period.
    pub measured: Option<MeasuredRank>,
}

/// An agency's place in the QĐ 766 ranking of a period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeasuredRank {
    pub period: String,
    pub period_label: String,
    pub rank: usize,
    /// Agencies ranked in that period.
    pub of: usize,
    pub total_text: String,
    pub band: String,
}

fn measured_rank(data: &Dataset, agency_id: &str, lang: Lang) -> Option<MeasuredRank> {
    use tiendo_events::observe::TOTAL_INDICATOR;
    let total = data.indicators.iter().find(|i| i.id == TOTAL_INDICATOR)?;
    let mine = data
        .observations
        .iter()
        .filter(|o| o.indicator_id == TOTAL_INDICATOR && o.source == tiendo_core::model::SourceKind::Measured && o.agency_id.as_deref() == Some(agency_id))
        .max_by_key(|o| o.period)?;
    let programme = data.programme(&total.programme_id)?;
    let ranking = structure::ranking(data, total, mine.period, None, mine.period.bounds(programme.regime).1);
    let rank = ranking.ranked.iter().find(|(_, u)| u.agency.id == agency_id)?.0;
    Some(MeasuredRank {
        period: mine.period.code(),
        period_label: period_label(mine.period, lang),
        rank,
        of: ranking.ranked.len(),
        total_text: number(mine.value, lang),
        band: mine.note.split(';').next().unwrap_or_default().trim().to_string(),
    })
}

/// One lineage edge as the agency page shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineageLine {
    pub agency_id: String,
    pub agency: String,
    pub kind: String,
    pub kind_text: String,
    pub effective: String,
    pub functions: String,
    pub confirmed: bool,
}

fn lineage_line(data: &Dataset, edge: &tiendo_core::model::LineageEdge, other: &str, lang: Lang) -> LineageLine {
    use tiendo_core::model::LineageKind;
    let kind_text = match edge.kind {
        LineageKind::MergedInto => lang.pick("hợp nhất, sáp nhập", "merged"),
        LineageKind::SplitInto => lang.pick("chia tách", "split"),
        LineageKind::Renamed => lang.pick("đổi tên", "renamed"),
        LineageKind::MovedUnder => lang.pick("chuyển về trực thuộc", "moved under"),
    };
    LineageLine {
        agency_id: other.to_string(),
        agency: data.agency(other).map_or_else(|| other.to_string(), |a| a.name.clone()),
        kind: edge.kind.code().to_string(),
        kind_text: kind_text.to_string(),
        effective: format::date(edge.effective),
        functions: edge.functions.clone(),
        confirmed: edge.confidence == tiendo_core::model::Confidence::Official,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, ToSchema)]
pub struct AgencyIndicatorValue {
    pub indicator: String,
    pub period: String,
    pub value: String,
}

fn requirements_met(data: &Dataset, agency_id: &str, groups: &[&str], date: NaiveDate) -> (usize, usize) {
    let reqs: Vec<_> = data.checklist_requirements.iter().filter(|r| r.group_ids.iter().any(|g| groups.contains(&g.as_str()))).collect();
    let met = reqs.iter().filter(|r| checklist::item_at(data, &r.id, agency_id, date).is_some_and(|i| checklist::done_at(i, date))).count();
    (met, reqs.len())
}

/// An agency's page at `as_of`, or, when none is given, each of its tasks and checklist
/// requirements at its programme's dates ([`clock`]); the scorecard's date is then the
/// latest of the requirements' (or of the tasks' when it has no requirement).
pub fn agency_page(data: &Dataset, id: &str, as_of: Option<NaiveDate>, lang: Lang) -> Option<AgencyPage> {
    let agency = data.agency(id)?;
    let today = clock::today_in_vietnam();
    let all: Vec<&str> = data.programmes.iter().map(|p| p.id.as_str()).collect();
    let views = status::task_views_dated(data, &all, as_of, today);
    let mine: Vec<&TaskView> = views.iter().filter(|v| v.assignee(id).is_some()).collect();
    let programme_as_of = |programme_id: &str| as_of.or_else(|| data.programme(programme_id).map(|p| clock::programme_dates(data, p, None, None, today).as_of)).unwrap_or(today);
    let own_requirements: Vec<(&tiendo_core::model::ChecklistRequirement, NaiveDate)> = data
        .checklist_requirements
        .iter()
        .map(|r| (r, programme_as_of(&r.programme_id)))
        .filter(|(r, date)| {
            let groups = tiendo_core::submission::groups_of(data, id, *date);
            r.group_ids.iter().any(|g| groups.contains(&g.as_str()))
        })
        .collect();
    let as_of = as_of.or_else(|| own_requirements.iter().map(|(_, d)| *d).max()).or_else(|| mine.iter().map(|v| v.as_of).max()).unwrap_or(today);
    let groups = tiendo_core::submission::groups_of(data, id, as_of);
    let requirements: Vec<RequirementStatus> = own_requirements
        .iter()
        .map(|&(r, as_of)| {
            let item = checklist::item_at(data, &r.id, id, as_of);
            RequirementStatus {
                id: r.id.clone(),
                title: r.title.clone(),
                done: item.is_some_and(|i| checklist::done_at(i, as_of)),
                done_on: item.and_then(|i| i.done_on).map(format::date),
                evidence: item.map(|i| i.evidence.clone()).unwrap_or_default(),
                evidence_parts: item.map(|i| evidence_parts(&i.evidence)).unwrap_or_default(),
            }
        })
        .collect();
    let met = requirements.iter().filter(|r| r.done).count();
    let rank = groups.first().map(|g| {
        let members = data.members_on(g, as_of);
        let mine = requirements_met(data, id, &groups, as_of).0;
        let better = members.iter().filter(|m| requirements_met(data, &m.id, &tiendo_core::submission::groups_of(data, &m.id, as_of), as_of).0 > mine).count();
        format!("{}/{}", better + 1, members.len())
    });
    let mut values: Vec<AgencyIndicatorValue> = data
        .observations
        .iter()
        .filter(|o| o.agency_id.as_deref() == Some(id))
        .filter_map(|o| {
            data.indicators.iter().find(|i| i.id == o.indicator_id).map(|i| AgencyIndicatorValue {
                indicator: format!("{} {}", i.code, i.name),
                period: period_label(o.period, lang),
                value: value_text(i, o.value, lang),
            })
        })
        .collect();
    values.sort();
    Some(AgencyPage {
        id: agency.id.clone(),
        code: agency.code.clone(),
        name: agency.name.clone(),
        kind: agency.kind.code().to_string(),
        valid_from: agency.valid_from.map(format::date),
        valid_to: agency.valid_to.map(format::date),
        confidence: agency.confidence.code().to_string(),
        groups: groups.iter().map(|g| data.group(g).map_or_else(|| g.to_string(), |g| g.name.clone())).collect(),
        as_of: format::date(as_of),
        task_counts: Counts::of({
            let mut own = TaskCounts::default();
            for status in mine.iter().filter_map(|v| v.assignee(id)).filter(|a| a.assignee.required).map(|a| a.status) {
                own.add(status);
            }
            own
        }),
        tasks: mine.iter().map(|v| task_row(data, v, lang)).collect(),
        requirements_met: format!("{}/{}", met, requirements.len()),
        requirements,
        rank,
        values,
        predecessors: structure::predecessors(data, id).into_iter().map(|e| lineage_line(data, e, &e.from_agency, lang)).collect(),
        successors: structure::successors(data, id).into_iter().map(|e| lineage_line(data, e, &e.to_agency, lang)).collect(),
        measured: measured_rank(data, id, lang),
    })
}

/// Agencies grouped for the agency index: group name → (id, short name).
pub fn agency_index(data: &Dataset, date: NaiveDate) -> BTreeMap<String, Vec<(String, String)>> {
    data.agency_groups.iter().map(|g| (g.name.clone(), data.members_on(&g.id, date).iter().map(|a| (a.id.clone(), a.short_name.clone())).collect())).collect()
}

/// A period that has measured values, for the period switch.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PeriodChoice {
    pub code: String,
    pub label: String,
}

/// One agency in the QĐ 766 ranking.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RankedAgency {
    /// 1 = best; ties share a rank.
    pub rank: usize,
    pub agency_id: String,
    pub agency: String,
    /// `ministries` or `provinces`.
    pub scope: String,
    /// Points of each group, in the order of [`MeasuredPage::groups`] ("–" when not scored).
    pub groups: Vec<String>,
    /// Total restated on 100 over the items that events can measure.
    pub total: f64,
    pub total_text: String,
    /// Rating band (Tốt, Khá, Trung bình, Yếu), read from the configured thresholds.
    pub band: String,
    /// How the total was computed (raw points over the measurable maximum).
    pub note: String,
    /// The agency's online submission rate and on-time rate, with their counts.
    pub online_text: String,
    pub on_time_text: String,
}

/// A measured indicator for the nation (sum of all agencies' counts).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeasuredValue {
    pub indicator_id: String,
    pub name: String,
    pub value: f64,
    pub value_text: String,
    /// "1.234/5.678" hồ sơ: the numerator and denominator the rate was computed from.
    pub parts_text: String,
}

/// A declared (or imported) value that disagrees with the measured one.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DifferenceLine {
    pub indicator_id: String,
    pub indicator: String,
    pub agency_id: Option<String>,
    pub agency: String,
    pub declared_text: String,
    pub declared_source: String,
    pub measured_text: String,
    pub difference_text: String,
}

/// The measured indicators page: the QĐ 766 ranking of agencies, the national measured
/// indicators and the reconciliation with declared values, for one period. Everything
/// comes from stored observations of source `measured` (written by `tiendo measure`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeasuredPage {
    pub programme_id: String,
    pub programme: String,
    pub period: Option<String>,
    pub period_label: Option<String>,
    /// Newest first.
    pub periods: Vec<PeriodChoice>,
    /// `all`, `ministries` or `provinces`.
    pub scope: String,
    /// The group columns of the ranking.
    pub groups: Vec<String>,
    pub ranking: Vec<RankedAgency>,
    /// Agencies per rating band, in the order of the bands.
    pub bands: Vec<(String, usize)>,
    pub national: Vec<MeasuredValue>,
    pub differences: Vec<DifferenceLine>,
    pub tolerance_text: String,
}

fn measured_at<'a>(data: &'a Dataset, indicator_id: &str, agency: Option<&str>, period: Period) -> Option<&'a Observation> {
    data.observations.iter().find(|o| o.source == tiendo_core::model::SourceKind::Measured && o.indicator_id == indicator_id && o.agency_id.as_deref() == agency && o.period == period)
}

fn rate_text(o: Option<&Observation>, lang: Lang) -> String {
    match o {
        None => "–".to_string(),
        Some(o) => match (o.numerator, o.denominator) {
            (Some(n), Some(d)) => format!("{}% ({}/{})", number(o.value, lang), count_text(n, lang), count_text(d, lang)),
            _ => format!("{}%", number(o.value, lang)),
        },
    }
}

fn count_text(n: f64, lang: Lang) -> String {
    if lang == Lang::Vi { format::count(n as u64) } else { format::en_number(n, 0) }
}

/// The measured page for a period (default: the latest with a QĐ 766 score) and a scope
/// (`ministries`, `provinces`, anything else: all). `None` when no measured programme is
/// stored.
pub fn measured_page(data: &Dataset, period: Option<Period>, scope: Option<&str>, tolerance: f64, lang: Lang) -> Option<MeasuredPage> {
    use tiendo_events::index::Measure;
    use tiendo_events::observe::{PROGRAMME_ID, TOTAL_INDICATOR, measure_indicator};
    let programme = data.programme(PROGRAMME_ID)?;
    let mut periods: Vec<Period> = data.observations.iter().filter(|o| o.indicator_id == TOTAL_INDICATOR && o.source == tiendo_core::model::SourceKind::Measured).map(|o| o.period).collect();
    periods.sort();
    periods.dedup();
    periods.reverse();
    let scope = match scope {
        Some("ministries") => "ministries",
        Some("provinces") => "provinces",
        _ => "all",
    };
    let mut page = MeasuredPage {
        programme_id: programme.id.clone(),
        programme: programme.short_name.clone(),
        period: None,
        period_label: None,
        periods: periods.iter().map(|p| PeriodChoice { code: p.code(), label: period_label(*p, lang) }).collect(),
        scope: scope.to_string(),
        groups: Vec::new(),
        ranking: Vec::new(),
        bands: Vec::new(),
        national: Vec::new(),
        differences: Vec::new(),
        tolerance_text: number(tolerance, lang),
    };
    let Some(period) = period.or_else(|| periods.first().copied()) else {
        return Some(page);
    };
    page.period = Some(period.code());
    page.period_label = Some(period_label(period, lang));
    // The groups that events can score in this period, in the order of their codes.
    let mut group_indicators: Vec<&Indicator> = data
        .indicators
        .iter()
        .filter(|i| i.programme_id == programme.id && !i.is_rate() && i.id != TOTAL_INDICATOR)
        .filter(|i| data.observations.iter().any(|o| o.indicator_id == i.id && o.period == period && o.source == tiendo_core::model::SourceKind::Measured))
        .collect();
    group_indicators.sort_by(|a, b| a.code.cmp(&b.code));
    page.groups = group_indicators.iter().map(|i| i.name.clone()).collect();
    if let Some(total) = data.indicators.iter().find(|i| i.id == TOTAL_INDICATOR) {
        let date = period.bounds(programme.regime).1;
        let ranking = structure::ranking(data, total, period, None, date);
        let online = measure_indicator(Measure::Online);
        let on_time = measure_indicator(Measure::OnTime);
        let in_scope = ranking.ranked.iter().map(|(_, u)| u.agency).filter(|a| scope == "all" || (scope == "ministries") == a.kind.is_ministry_level());
        for (position, agency) in in_scope.enumerate() {
            let Some(observed) = measured_at(data, TOTAL_INDICATOR, Some(&agency.id), period) else {
                continue;
            };
            let (band, note) = observed.note.split_once(';').map_or((observed.note.as_str(), ""), |(b, n)| (b.trim(), n.trim()));
            let rank = match page.ranking.last() {
                Some(previous) if previous.total == observed.value => previous.rank,
                _ => position + 1,
            };
            page.ranking.push(RankedAgency {
                rank,
                agency_id: agency.id.clone(),
                agency: agency.short_name.clone(),
                scope: if agency.kind.is_ministry_level() { "ministries" } else { "provinces" }.to_string(),
                groups: group_indicators.iter().map(|g| measured_at(data, &g.id, Some(&agency.id), period).map_or_else(|| "–".to_string(), |o| number(o.value, lang))).collect(),
                total: observed.value,
                total_text: number(observed.value, lang),
                band: band.to_string(),
                note: note.to_string(),
                online_text: rate_text(measured_at(data, &online, Some(&agency.id), period), lang),
                on_time_text: rate_text(measured_at(data, &on_time, Some(&agency.id), period), lang),
            });
        }
        let mut bands: Vec<(String, usize)> = Vec::new();
        for r in &page.ranking {
            match bands.iter_mut().find(|(b, _)| *b == r.band) {
                Some((_, n)) => *n += 1,
                None => bands.push((r.band.clone(), 1)),
            }
        }
        page.bands = bands;
    }
    page.national = data
        .indicators
        .iter()
        .filter(|i| i.programme_id == programme.id && i.is_rate())
        .filter_map(|i| {
            let o = measured_at(data, &i.id, None, period)?;
            Some(MeasuredValue {
                indicator_id: i.id.clone(),
                name: format!("{} {}", i.code, i.name),
                value: o.value,
                value_text: format!("{}%", number(o.value, lang)),
                parts_text: match (o.numerator, o.denominator) {
                    (Some(n), Some(d)) => {
                        format!("{}/{}", count_text(n, lang), count_text(d, lang))
                    }
                    _ => String::new(),
                },
            })
        })
        .collect();
    page.differences = tiendo_core::reconcile::reconcile(data, tolerance)
        .into_iter()
        .filter(|d| d.declared.period == period)
        .map(|d| {
            let indicator = data.indicators.iter().find(|i| i.id == d.declared.indicator_id);
            let show = |o: &Observation| indicator.map_or_else(|| number(o.value, lang), |i| value_text(i, o.value, lang));
            DifferenceLine {
                indicator_id: d.declared.indicator_id.clone(),
                indicator: indicator.map_or_else(|| d.declared.indicator_id.clone(), |i| format!("{} {}", i.code, i.name)),
                agency_id: d.declared.agency_id.clone(),
                agency: d.declared.agency_id.as_deref().map_or_else(|| lang.pick("Toàn quốc", "Nation").to_string(), |id| data.agency(id).map_or_else(|| id.to_string(), |a| a.short_name.clone())),
                declared_text: show(d.declared),
                declared_source: match d.declared.source {
                    tiendo_core::model::SourceKind::Declared => lang.pick("cơ quan tự khai", "declared by the agency"),
                    _ => lang.pick("trích từ báo cáo", "from a report"),
                }
                .to_string(),
                measured_text: show(d.measured),
                difference_text: format::change(d.difference, 2, if indicator.is_some_and(|i| i.is_rate()) { lang.pick("điểm phần trăm", "percentage points") } else { "" }),
            }
        })
        .collect();
    Some(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_is_split_into_files_and_text() {
        let sha = "ab".repeat(32);
        let parts = evidence_parts(&format!("Công văn 123/UBND; sha256:{sha} quyet-dinh.pdf; sha256:{sha}"));
        let shown: Vec<(Option<&str>, &str)> = parts.iter().map(|p| (p.sha256.as_deref(), p.text.as_str())).collect();
        assert_eq!(shown, vec![(None, "Công văn 123/UBND"), (Some(sha.as_str()), "quyet-dinh.pdf"), (Some(sha.as_str()), "abababababab")]);
        assert_eq!(evidence_parts("sha256:xyz").len(), 1, "a malformed reference stays text");
        assert!(evidence_parts("").is_empty());
    }
}
