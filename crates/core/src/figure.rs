//! The figures a report or a page states, computed and worded once.
//!
//! Every surface (the report in each format, the pages, the API, the charts, the letters
//! and an edition's "what changed") words an indicator's value, its target, its
//! attainment and its change, a task summary and a checklist's "x/N" with the functions
//! here, so that the same figure reads the same everywhere. [`figures`] lists the figures
//! a programme's report states for a period, each with its wording and the records it is
//! drawn from: the list an edition's "what changed" compares and the cross-surface test
//! reads every surface against.
//!
//! Rounding, the same on every surface: an indicator's value and a change to two decimals,
//! an attainment and a share ("đạt 40%") to one, counts with their leading zero ("08/20").

use serde::Serialize;

use crate::clock::FigureDates;
use crate::format;
use crate::indicator::{self, Change, ChangeUnit};
use crate::lang::Lang;
use crate::model::{Dataset, Indicator, Operator, Programme, Target};
use crate::period::Period;
use crate::status::{self, TaskCounts, TaskStatus};
use crate::structure::{self, RestatedChecklist};

/// Decimals of an indicator's value and of its change.
pub const VALUE_DECIMALS: usize = 2;
/// Decimals of an attainment and of a share of a whole.
pub const SHARE_DECIMALS: usize = 1;

fn number(value: f64, decimals: usize, lang: Lang) -> String {
    match lang {
        Lang::Vi => format::decimal(value, decimals),
        Lang::En => format::en_decimal(value, decimals),
    }
}

/// An indicator's value in its unit: "81,2%", "43 dịch vụ", "269.247.289".
pub fn value(indicator: &Indicator, value: f64, lang: Lang) -> String {
    let n = number(value, VALUE_DECIMALS, lang);
    match indicator.unit.as_str() {
        "%" => format!("{n}%"),
        "count" | "" => n,
        unit => format!("{n} {unit}"),
    }
}

/// An indicator's national value for a period in words ([`value`]), with the counts it
/// was stated from when one national observation gives a rate as "x/N" that agrees with
/// it: "64,29% (18/28)" (a report that wrote "18/28 dịch vụ" is not reduced to its
/// percentage). `None` when the period has no value.
pub fn national_value(
    data: &Dataset,
    ind: &Indicator,
    period: Period,
    lang: Lang,
) -> Option<String> {
    let (v, used) = indicator::national_value(data, ind, period)?;
    let mut text = value(ind, v, lang);
    if let [o] = used.as_slice()
        && o.agency_id.is_none()
        && ind.is_rate()
        && let (Some(n), Some(d)) = (o.numerator, o.denominator)
        && n >= 0.0
        && d > 0.0
        && n.fract() == 0.0
        && d.fract() == 0.0
        && crate::check::agrees(o.value, n / d * 100.0)
        && crate::stated::contradiction(data, o).is_none()
    {
        text += &format!(" ({}/{})", format::count(n as u64), format::count(d as u64));
    }
    Some(text)
}

/// A target with its deadline as the plan writes it: "≥ 53 dịch vụ (Năm 2024)".
pub fn target(indicator: &Indicator, target: &Target, lang: Lang) -> String {
    let op = match target.operator {
        Operator::AtLeast => "≥ ",
        Operator::AtMost => "≤ ",
        Operator::Exactly => "",
    };
    format!(
        "{op}{} ({})",
        value(indicator, target.value, lang),
        target.deadline.text
    )
}

/// A share of a target or of a whole, already in percent: "81,1%".
pub fn share(percent: f64, lang: Lang) -> String {
    format!("{}%", number(percent, SHARE_DECIMALS, lang))
}

/// `part / whole` in percent ([`share`]); `None` when the whole is zero.
pub fn share_of(part: usize, whole: usize, lang: Lang) -> Option<String> {
    (whole > 0).then(|| share(part as f64 * 100.0 / whole as f64, lang))
}

/// A change against the previous period: "tăng 1,5 điểm phần trăm so với tháng 4/2024",
/// "giảm 3 bộ, ngành so với tháng 4/2024", "không đổi so với …".
pub fn change(change: &Change, lang: Lang) -> String {
    let unit = match (&change.unit, lang) {
        (ChangeUnit::PercentagePoints, Lang::Vi) => "điểm phần trăm",
        (ChangeUnit::PercentagePoints, Lang::En) => "percentage points",
        (ChangeUnit::Units(u), _) if u == "count" || u == "%" => "",
        (ChangeUnit::Units(u), _) => u.as_str(),
    };
    match lang {
        Lang::Vi => format!(
            "{} so với {}",
            format::change(change.delta, VALUE_DECIMALS, unit),
            change.previous_period.label_vi()
        ),
        Lang::En => {
            let magnitude = format::en_decimal(change.delta.abs(), VALUE_DECIMALS);
            let verb = if magnitude == "0" {
                "unchanged".to_string()
            } else if change.delta > 0.0 {
                format!("up {magnitude} {unit}")
            } else {
                format!("down {magnitude} {unit}")
            };
            format!(
                "{} on {}",
                verb.trim_end(),
                change.previous_period.label_en()
            )
        }
    }
}

/// Why a value is not compared with the previous period's: across a reorganisation, a
/// value made from the agencies' values by a rule that cannot be restated.
pub fn not_compared(previous_period: Period, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!(
            "không so sánh với {}: giá trị tính từ các cơ quan, đơn vị theo hai cơ cấu tổ chức khác nhau, chỉ tiêu không quy đổi được",
            previous_period.label_vi()
        ),
        Lang::En => format!(
            "not compared with {}: a value made from the agencies' values under two different structures, which this indicator cannot restate",
            previous_period.label_en()
        ),
    }
}

/// A task summary in one line; parts that are zero are left out, and what is left adds
/// up to the total: "đã hoàn thành 08/20 nhiệm vụ (đạt 40%), trong đó đúng hạn 05, chậm
/// 03; đang thực hiện 04; quá hạn 08".
pub fn task_counts(c: &TaskCounts, lang: Lang) -> String {
    let some = |vi: &str, en: &str, n: usize| {
        (n > 0).then(|| format!("{} {}", lang.pick(vi, en), format::count(n as u64)))
    };
    let timing: Vec<String> = [
        some("trước hạn", "early", c.done_early),
        some("đúng hạn", "on time", c.done_on_time),
        some("chậm", "late", c.done_late),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut line = format!(
        "{} {}/{} {}",
        lang.pick("đã hoàn thành", "done"),
        format::count(c.done as u64),
        format::count(c.total as u64),
        lang.pick("nhiệm vụ", "tasks")
    );
    if let Some(share) = share_of(c.done, c.total, lang) {
        line += &format!(" ({} {share})", lang.pick("đạt", "that is"));
    }
    if !timing.is_empty() {
        line += &format!(
            ", {} {}",
            lang.pick("trong đó", "of which"),
            timing.join(", ")
        );
    }
    for part in [
        some(
            "đang thực hiện",
            "in progress",
            c.in_progress + c.not_started,
        ),
        some("quá hạn", "overdue", c.overdue),
        some("chưa xác định thời hạn", "no due date", c.no_due_date),
        some("chưa nhận được báo cáo", "no report", c.no_report),
        some(
            "không còn áp dụng",
            "no longer applicable",
            c.not_applicable,
        ),
    ]
    .into_iter()
    .flatten()
    {
        line += "; ";
        line += &part;
    }
    line
}

/// The "x/N" of each group of a checklist requirement, as the report writes them:
/// "22/22 bộ, cơ quan ngang bộ", "63/63 địa phương".
pub fn checklist_groups(result: &RestatedChecklist<'_>) -> Vec<String> {
    result
        .groups
        .iter()
        .map(|g| format::of_total(g.numerator(), g.denominator(), &g.counted_as))
        .collect()
}

/// A checklist requirement's figure in the structure of a date: its groups in running
/// Vietnamese, each with the units whose result cannot be restated, and the share done,
/// "22/22 bộ, cơ quan ngang bộ và 63/63 địa phương (đạt 100%)". The agencies it does not
/// apply to are counted in no group.
pub fn checklist(result: &RestatedChecklist<'_>) -> String {
    let phrases = checklist_groups(result);
    let mut text = String::new();
    for (i, (g, phrase)) in result.groups.iter().zip(&phrases).enumerate() {
        text += format::list_vi_separator(&phrases, i);
        text += phrase;
        let unknown = g.not_restatable().count();
        if unknown > 0 {
            text += &format!(" ({} không quy đổi được)", format::count(unknown as u64));
        }
    }
    let unknown: usize = result
        .groups
        .iter()
        .map(|g| g.not_restatable().count())
        .sum();
    if let Some(share) = share_of(result.numerator(), result.denominator() - unknown, Lang::Vi) {
        let of = if unknown > 0 {
            " số cơ quan quy đổi được"
        } else {
            ""
        };
        text += &format!(" (đạt {share}{of})");
    }
    text
}

/// An overdue cohort: "06 nhiệm vụ đến hạn từ tháng 4/2024".
pub fn cohort(due_in: Period, size: usize) -> String {
    format!(
        "{} nhiệm vụ đến hạn từ {}",
        format::count(size as u64),
        due_in.label_vi()
    )
}

/// The records a figure is drawn from: an entity and the start of their keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordRef {
    pub entity: &'static str,
    pub key_prefix: String,
}

impl RecordRef {
    fn new(entity: &'static str, key_prefix: impl Into<String>) -> RecordRef {
        RecordRef {
            entity,
            key_prefix: key_prefix.into(),
        }
    }

    /// Whether a journal entry about (`entity`, `key`) touched these records.
    pub fn covers(&self, entity: &str, key: &str) -> bool {
        self.entity == entity
            && (key == self.key_prefix || key.starts_with(&format!("{}|", self.key_prefix)))
    }
}

/// What a figure is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Subject {
    /// The task summary of one programme of the family (each states its own).
    Tasks {
        programme_id: String,
        counts: TaskCounts,
    },
    /// The overdue tasks that fell due in a month (or a year before the as-of year).
    Cohort { due_in: String },
    /// One task's status.
    Task { id: String },
    /// An indicator's national value for the period.
    Value { indicator_id: String },
    /// An indicator's national target.
    Target { indicator_id: String },
    /// The share of the target the value reaches.
    Attainment { indicator_id: String },
    /// The change of the value since the previous period.
    Change { indicator_id: String },
    /// A checklist requirement's "x/N".
    Requirement { id: String },
}

/// A figure of a report, worded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figure {
    /// Stable across editions: `tasks:<programme>`, `cohort:<period>`, `task:<id>`, `indicator:<id>`,
    /// `target:<id>`, `attainment:<id>`, `change:<id>`, `requirement:<id>`.
    pub id: String,
    pub subject: Subject,
    /// What the figure is, in words: "Chỉ tiêu 6.1 Tỷ lệ …".
    pub label: String,
    /// The figure as every surface writes it.
    pub text: String,
    pub records: Vec<RecordRef>,
}

/// A task's status as its figure words it: "Quá hạn, 61 ngày", with "đã hoàn thành 10/22
/// bộ, cơ quan ngang bộ và 62/63 địa phương" for a task reported by each of its assignees.
pub fn task_status(data: &Dataset, view: &status::TaskView<'_>) -> String {
    let mut text = view.status.label_vi_for(&view.task.deadline).to_string();
    if let Some(days) = view
        .days_late
        .filter(|_| view.status == TaskStatus::Overdue)
    {
        text += &format!(", {days} ngày");
    }
    if view.reports_per_assignee(data) {
        let parts = crate::assignment::progress_phrase(&view.progress(data));
        text += &format!("; đã hoàn thành {parts}");
    }
    text
}

/// The figures a report of `programme` (with its sub-programmes) states at `dates`: each
/// programme's task summary, the overdue cohorts of the family, each task's status, each indicator's national value,
/// target, attainment and change, and each checklist requirement's "x/N".
pub fn figures(data: &Dataset, programme: &Programme, dates: &FigureDates) -> Vec<Figure> {
    let family = data.programme_family(&programme.id);
    let ids: Vec<&str> = family.iter().map(|p| p.id.as_str()).collect();
    let views = status::task_views(data, &ids, dates.as_of);
    let mut out = Vec::new();
    for member in &family {
        let own: Vec<&status::TaskView<'_>> = views
            .iter()
            .filter(|v| v.task.programme_id == member.id)
            .collect();
        if own.is_empty() {
            continue;
        }
        let counts = TaskCounts::of(own.iter().copied());
        out.push(Figure {
            id: format!("tasks:{}", member.id),
            subject: Subject::Tasks {
                programme_id: member.id.clone(),
                counts,
            },
            label: format!("Tổng hợp nhiệm vụ: {}", member.name),
            text: task_counts(&counts, Lang::Vi),
            records: own
                .iter()
                .flat_map(|v| {
                    [
                        RecordRef::new("task_updates", &v.task.id),
                        RecordRef::new("assignment_updates", &v.task.id),
                    ]
                })
                .collect(),
        });
    }
    for (due_in, overdue) in status::overdue_cohorts(&views, dates.as_of) {
        out.push(Figure {
            id: format!("cohort:{}", due_in.code()),
            subject: Subject::Cohort {
                due_in: due_in.code(),
            },
            label: format!("Nhiệm vụ quá hạn, đến hạn trong {}", due_in.label_vi()),
            text: cohort(due_in, overdue.len()),
            records: overdue
                .iter()
                .flat_map(|v| {
                    [
                        RecordRef::new("task_updates", &v.task.id),
                        RecordRef::new("assignment_updates", &v.task.id),
                    ]
                })
                .collect(),
        });
    }
    let mut tasks: Vec<_> = views.iter().collect();
    tasks.sort_by(|a, b| {
        (&a.task.programme_id, status::natural_key(&a.task.number))
            .cmp(&(&b.task.programme_id, status::natural_key(&b.task.number)))
    });
    for v in tasks {
        let id = &v.task.id;
        out.push(Figure {
            id: format!("task:{id}"),
            subject: Subject::Task { id: id.clone() },
            label: format!("Nhiệm vụ {}: {}", v.task.number, v.task.title),
            text: task_status(data, v),
            records: vec![
                RecordRef::new("task_updates", id),
                RecordRef::new("assignment_updates", id),
                RecordRef::new("tasks", id),
                RecordRef::new("task_assignments", id),
            ],
        });
    }
    for ind in data
        .indicators
        .iter()
        .filter(|i| ids.contains(&i.programme_id.as_str()))
    {
        out.extend(indicator_figures(data, ind, dates.period));
    }
    for requirement in data
        .checklist_requirements
        .iter()
        .filter(|r| ids.contains(&r.programme_id.as_str()))
    {
        let result = structure::restate_checklist(data, requirement, dates.as_of, dates.as_of);
        out.push(Figure {
            id: format!("requirement:{}", requirement.id),
            subject: Subject::Requirement {
                id: requirement.id.clone(),
            },
            label: requirement.title.clone(),
            text: checklist(&result),
            records: vec![
                RecordRef::new("checklist_items", &requirement.id),
                RecordRef::new("exclusions", &requirement.id),
            ],
        });
    }
    out
}

/// An indicator's figures for a period: its value ("chưa có số liệu tháng 5/2024" when it
/// has none), and when they exist its target, attainment and change.
pub fn indicator_figures(data: &Dataset, ind: &Indicator, period: Period) -> Vec<Figure> {
    let label = format!("Chỉ tiêu {} {}", ind.code, ind.name);
    let records = vec![
        RecordRef::new("observations", &ind.id),
        RecordRef::new("indicators", &ind.id),
    ];
    let current = indicator::national_value(data, ind, period).map(|(v, _)| v);
    let mut out = vec![Figure {
        id: format!("indicator:{}", ind.id),
        subject: Subject::Value {
            indicator_id: ind.id.clone(),
        },
        label: label.clone(),
        text: national_value(data, ind, period, Lang::Vi)
            .unwrap_or_else(|| format!("chưa có số liệu {}", period.label_vi())),
        records: records.clone(),
    }];
    let national_target = data
        .targets
        .iter()
        .find(|t| t.indicator_id == ind.id && t.agency_id.is_none());
    if let Some(t) = national_target {
        let mut target_records = records.clone();
        target_records.push(RecordRef::new("targets", &t.id));
        out.push(Figure {
            id: format!("target:{}", ind.id),
            subject: Subject::Target {
                indicator_id: ind.id.clone(),
            },
            label: format!("Mục tiêu của chỉ tiêu {} {}", ind.code, ind.name),
            text: target(ind, t, Lang::Vi),
            records: target_records.clone(),
        });
        if let Some(a) = current.and_then(|v| indicator::attainment(t, v)) {
            out.push(Figure {
                id: format!("attainment:{}", ind.id),
                subject: Subject::Attainment {
                    indicator_id: ind.id.clone(),
                },
                label: format!("Mức đạt mục tiêu của chỉ tiêu {} {}", ind.code, ind.name),
                text: share(a, Lang::Vi),
                records: target_records,
            });
        }
    }
    let previous_period = period.previous();
    if let (Some(c), Some((p, _))) = (
        current,
        indicator::national_value(data, ind, previous_period),
    ) && indicator::comparable(data, ind, previous_period, period)
    {
        out.push(Figure {
            id: format!("change:{}", ind.id),
            subject: Subject::Change {
                indicator_id: ind.id.clone(),
            },
            label: format!("Thay đổi của chỉ tiêu {} {}", ind.code, ind.name),
            text: change(&indicator::change(ind, previous_period, p, c), Lang::Vi),
            records,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deadline::Deadline;
    use crate::model::{Aggregation, Dataset, Direction, IndicatorScope};

    fn indicator(unit: &str) -> Indicator {
        Indicator {
            id: "i".into(),
            programme_id: "p".into(),
            code: "1".into(),
            heading: String::new(),
            name: "chỉ tiêu".into(),
            unit: unit.into(),
            direction: Direction::HigherIsBetter,
            aggregation: Aggregation::Latest,
            restatement: None,
            scope: IndicatorScope::National,
            scope_groups: Vec::new(),
            provenance: "nguồn".into(),
        }
    }

    /// Issue 28: 43 of a target of 53 read "81,13%" on the web and "81,1%" in the report;
    /// a target "(31/12/2024)" on the web and "(Năm 2024)" in the report.
    #[test]
    fn one_wording_of_a_value_its_target_and_attainment() {
        let ind = indicator("dịch vụ");
        let t = Target {
            id: "t".into(),
            indicator_id: "i".into(),
            agency_id: None,
            operator: Operator::AtLeast,
            value: 53.0,
            deadline: Deadline::parse("Năm 2024", 2024),
            provenance: "nguồn".into(),
        };
        assert_eq!(value(&ind, 43.0, Lang::Vi), "43 dịch vụ");
        assert_eq!(target(&ind, &t, Lang::Vi), "≥ 53 dịch vụ (Năm 2024)");
        let a = indicator::attainment(&t, 43.0).unwrap();
        assert_eq!(share(a, Lang::Vi), "81,1%");
        assert_eq!(share(a, Lang::En), "81.1%");
        assert_eq!(value(&indicator("%"), 80.532, Lang::Vi), "80,53%");
        assert_eq!(
            value(&indicator("count"), 269_247_289.0, Lang::Vi),
            "269.247.289"
        );
        assert_eq!(
            value(&indicator("count"), 269_247_289.0, Lang::En),
            "269,247,289"
        );
    }

    /// Issue 28: a real report's "18/28 dịch vụ" read "64,29%" alone.
    #[test]
    fn a_rate_stated_as_x_of_n_keeps_its_counts() {
        let observation = |n: Option<f64>, d: Option<f64>| crate::model::Observation {
            indicator_id: "i".into(),
            agency_id: None,
            period: Period::month(2024, 5),
            value: 64.29,
            numerator: n,
            denominator: d,
            source: crate::model::SourceKind::Imported,
            states: None,
            note: String::new(),
            provenance: "nguồn".into(),
        };
        let words = |o| {
            let data = Dataset {
                indicators: vec![indicator("%")],
                observations: vec![o],
                ..Dataset::default()
            };
            national_value(&data, &data.indicators[0], Period::month(2024, 5), Lang::Vi)
        };
        assert_eq!(
            words(observation(Some(18.0), Some(28.0))).as_deref(),
            Some("64,29% (18/28)")
        );
        assert_eq!(words(observation(None, None)).as_deref(), Some("64,29%"));
        assert_eq!(
            words(observation(Some(19.0), Some(28.0))).as_deref(),
            Some("64,29%"),
            "counts that disagree with the rate are not printed beside it"
        );
    }

    #[test]
    fn shares_of_a_whole() {
        assert_eq!(share_of(71, 85, Lang::Vi).as_deref(), Some("83,5%"));
        assert_eq!(share_of(82, 84, Lang::Vi).as_deref(), Some("97,6%"));
        assert_eq!(share_of(43, 53, Lang::Vi).as_deref(), Some("81,1%"));
        assert_eq!(share_of(18, 28, Lang::Vi).as_deref(), Some("64,3%"));
        assert_eq!(share_of(25, 25, Lang::Vi).as_deref(), Some("100%"));
        assert_eq!(share_of(0, 63, Lang::Vi).as_deref(), Some("0%"));
        assert_eq!(share_of(5, 0, Lang::Vi), None);
    }

    #[test]
    fn a_change_names_the_period_it_is_against() {
        let period = Period::month(2024, 4);
        let rate = Change {
            previous_period: period,
            previous: 80.2,
            delta: 1.5,
            unit: ChangeUnit::PercentagePoints,
            improved: Some(true),
        };
        assert_eq!(
            change(&rate, Lang::Vi),
            "tăng 1,5 điểm phần trăm so với tháng 4/2024"
        );
        assert_eq!(
            change(&rate, Lang::En),
            "up 1.5 percentage points on April 2024"
        );
        let count = Change {
            delta: -3.0,
            unit: ChangeUnit::Units("count".into()),
            ..rate
        };
        assert_eq!(change(&count, Lang::Vi), "giảm 3 so với tháng 4/2024");
    }

    #[test]
    fn a_task_summary_adds_up_and_omits_zeros() {
        let c = TaskCounts {
            total: 20,
            done: 8,
            done_early: 2,
            done_on_time: 5,
            done_late: 1,
            in_progress: 4,
            overdue: 8,
            ..TaskCounts::default()
        };
        assert_eq!(
            task_counts(&c, Lang::Vi),
            "đã hoàn thành 08/20 nhiệm vụ (đạt 40%), trong đó trước hạn 02, đúng hạn 05, chậm 01; đang thực hiện 04; quá hạn 08"
        );
        assert_eq!(
            task_counts(&c, Lang::En),
            "done 08/20 tasks (that is 40%), of which early 02, on time 05, late 01; in progress 04; overdue 08"
        );
    }
}
