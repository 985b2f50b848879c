//! View models: what each page and each API answer shows, computed from the records by
//! the domain core. Pages render them with templates; the API returns them as JSON.
//!
//! One file per page; the helpers they share are here.

mod agency;
mod group;
mod indicator;
mod measured;
mod overview;
mod programme;
mod task;
mod tasks;

pub use agency::{
    AgencyDirectory, AgencyIndicatorValue, AgencyPage, EvidencePart, LineageLine, MeasuredRank,
    RequirementStatus, agency_directory, agency_page,
};
pub use group::{GroupMember, GroupPage, GroupTask, MemberPart, group_page};
pub use indicator::{AgencyValue, IndicatorPage, SeriesPoint, indicator_page};
pub use measured::{
    DifferenceLine, MeasuredPage, MeasuredValue, PeriodChoice, RankedAgency, measured_page,
};
pub use overview::{Overview, ProgrammeCard, cached_overview, overview, programme_card};
pub use programme::{
    ChecklistLine, Cohort, LeadCounts, ProgrammePage, checklist_lines, programme_page,
};
pub use task::{TaskDetail, UpdateRow, task_detail};
pub use tasks::{TaskFilter, TaskList, task_list};

use serde::Serialize;
use tiendo_core::clock::FigureDates;
use tiendo_core::figure;
use tiendo_core::format;
use tiendo_core::model::{Assignee, Dataset, Indicator, SourceKind};
use tiendo_core::period::Period;
use tiendo_core::status::{TaskCounts, TaskStatus, TaskView};
use utoipa::ToSchema;

use crate::i18n::Lang;

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

fn period_label(p: Period, lang: Lang) -> String {
    if lang == Lang::Vi {
        p.label_vi()
    } else {
        p.label_en()
    }
}

fn number(value: f64, lang: Lang) -> String {
    if lang == Lang::Vi {
        format::decimal(value, figure::VALUE_DECIMALS)
    } else {
        format::en_decimal(value, figure::VALUE_DECIMALS)
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

pub fn indicator_line(
    data: &Dataset,
    ind: &Indicator,
    period: Period,
    lang: Lang,
) -> IndicatorLine {
    let current = tiendo_core::indicator::national_value(data, ind, period).map(|(v, _)| v);
    let previous_period = period.previous();
    let previous =
        tiendo_core::indicator::national_value(data, ind, previous_period).map(|(v, _)| v);
    let target = data
        .targets
        .iter()
        .find(|t| t.indicator_id == ind.id && t.agency_id.is_none());
    let attainment = current
        .zip(target)
        .and_then(|(v, t)| tiendo_core::indicator::attainment(t, v));
    // Across a reorganisation a value made from the agencies' values by a rule that cannot
    // be restated is not compared (the report's rule): the line says so instead.
    let comparable = tiendo_core::indicator::comparable(data, ind, previous_period, period);
    let change_text = current.zip(previous).map(|(c, p)| {
        if !comparable {
            return figure::not_compared(previous_period, lang);
        }
        figure::change(
            &tiendo_core::indicator::change(ind, previous_period, p, c),
            lang,
        )
    });
    let classification = target.map(|t| {
        let series: Vec<(Period, f64)> = data
            .observations
            .iter()
            .filter(|o| o.indicator_id == ind.id && o.agency_id.is_none())
            .map(|o| (o.period, o.value))
            .collect();
        tiendo_core::indicator::classify(t, &series, period, None)
    });
    IndicatorLine {
        id: ind.id.clone(),
        code: ind.code.clone(),
        name: ind.name.clone(),
        unit: ind.unit.clone(),
        value: current,
        value_text: figure::national_value(data, ind, period, lang).unwrap_or_else(|| match lang {
            Lang::Vi => format!("chưa có số liệu {}", period.label_vi()),
            Lang::En => format!("no data for {}", period.label_en()),
        }),
        target_text: target.map(|t| figure::target(ind, t, lang)),
        attainment,
        attainment_text: attainment.map(|a| figure::share(a, lang)),
        change_text,
        class: classification
            .as_ref()
            .map(|c| c.computed.code().to_string()),
        class_text: classification.map(|c| {
            lang.pick(c.computed.label_vi(), c.computed.label_en())
                .to_string()
        }),
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
    /// The tasks in none of done, in progress and overdue, by status, so that the tiles
    /// add up to the total: not started, no report received, no due date, no longer
    /// applicable (those with none left out).
    pub rest: Vec<CountPart>,
}

/// A number of tasks in one status, in words.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CountPart {
    pub status: String,
    pub label: String,
    pub count: usize,
}

impl Counts {
    fn of(c: TaskCounts, lang: Lang) -> Counts {
        let rest = [
            (TaskStatus::NotStarted, c.not_started),
            (TaskStatus::NoReport, c.no_report),
            (TaskStatus::NoDueDate, c.no_due_date),
            (TaskStatus::NotApplicable, c.not_applicable),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(status, count)| CountPart {
            status: status_code(status).to_string(),
            label: lang.pick(status.label_vi(), status.label_en()).to_string(),
            count,
        })
        .collect();
        Counts {
            total: c.total,
            done: c.done,
            in_progress: c.in_progress,
            overdue: c.overdue,
            not_started: c.not_started,
            done_share: figure::share_of(c.done, c.total, lang),
            rest,
        }
    }
}

/// A status as an agency reported it, in words.
pub fn reported_status_text(
    status: tiendo_core::model::ReportedStatus,
    lang: Lang,
) -> &'static str {
    lang.pick(status.label_vi(), status.label_en())
}

/// Where a value comes from, in words.
pub fn source_text(source: Option<SourceKind>, lang: Lang) -> &'static str {
    match source {
        Some(SourceKind::Declared) => lang.pick("Số liệu báo cáo", "Declared"),
        Some(SourceKind::Measured) => lang.pick("Số liệu đo lường", "Measured"),
        Some(SourceKind::Imported) => lang.pick("Số liệu nhập từ hệ thống khác", "Imported"),
        Some(SourceKind::Estimated) => lang.pick("Số liệu ước tính", "Estimated"),
        None => lang.pick(
            "Tổng hợp từ số liệu của các cơ quan",
            "Aggregated from the agencies",
        ),
    }
}

/// The dates of a figure in words, in the page's language.
pub fn dates_text(dates: &FigureDates, lang: Lang) -> String {
    if lang == Lang::Vi {
        dates.text_vi()
    } else {
        dates.text_en()
    }
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
    /// Whether the first lead is an agency (with a page of its own) rather than a group.
    pub lead_is_agency: bool,
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
    let done_word = if lang == Lang::Vi {
        "đã hoàn thành"
    } else {
        "done"
    };
    let progress = shared.then(|| {
        format!(
            "{done_word} {}",
            tiendo_core::assignment::progress_phrase(&parts)
        )
    });
    TaskRow {
        id: v.task.id.clone(),
        programme_id: v.task.programme_id.clone(),
        number: v.task.number.clone(),
        title: v.task.title.clone(),
        lead: data.assignee_names(leads.iter()),
        lead_id: leads
            .first()
            .map(assignee_id)
            .unwrap_or_default()
            .to_string(),
        lead_is_agency: matches!(leads.first(), Some(Assignee::Agency(_))),
        coordinating: data.assignee_names(data.coordinating_of(v.task).iter()),
        progress,
        not_done: if shared {
            parts
                .iter()
                .flat_map(|p| p.not_done.iter())
                .map(|id| {
                    data.agency(id)
                        .map_or_else(|| id.clone(), |a| a.short_name.clone())
                })
                .collect()
        } else {
            Vec::new()
        },
        deadline: v.task.deadline.text.clone(),
        due: v.due.map(format::date),
        status: status_code(v.status).to_string(),
        status_text: lang
            .pick(
                v.status.label_vi_for(&v.task.deadline),
                v.status.label_en_for(&v.task.deadline),
            )
            .to_string(),
        days_late: v.days_late,
        result: v.update.map(|u| u.result.clone()).filter(|r| !r.is_empty()),
        as_of: format::date(v.as_of),
    }
}
