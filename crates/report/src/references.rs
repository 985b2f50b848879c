//! The figures a narrative may reference ([`crate::narrative`]), computed by the same
//! functions as the progress report's text and tables, at the same period, as-of date and
//! structure date, and formatted as they print them (`docs/narrative.md` lists them).

use std::cell::OnceCell;

use chrono::NaiveDate;
use tiendo_core::figure as worded;
use tiendo_core::format;
use tiendo_core::indicator;
use tiendo_core::lang::Lang;
use tiendo_core::model::{Assignee, Dataset, Indicator, Programme, agency_order};
use tiendo_core::period::Period;
use tiendo_core::status::{self, TaskCounts, TaskStatus, TaskView};
use tiendo_core::structure::{self, RestatedUnit};

use crate::doc::{Inline, Source, figure, text};
use crate::narrative::Figures;
use crate::progress::{checklist_figure, observation_source, task_source, unit_name};

/// The figures of one progress report: a programme family at a period.
pub(crate) struct ReportFigures<'a> {
    pub data: &'a Dataset,
    pub family: Vec<&'a Programme>,
    pub period: Period,
    pub as_of: NaiveDate,
    pub structure_date: NaiveDate,
    /// The tasks of the family with their status, computed on the first reference that
    /// needs them: a narrative may cite tasks thousands of times.
    pub views: OnceCell<Vec<TaskView<'a>>>,
}

impl<'a> ReportFigures<'a> {
    fn in_family(&self, programme_id: &str) -> bool {
        self.family.iter().any(|p| p.id == programme_id)
    }

    /// An indicator of the family by id, or by code when one indicator has it.
    fn indicator(&self, key: &str) -> Result<&Indicator, String> {
        let family: Vec<&Indicator> = self
            .data
            .indicators
            .iter()
            .filter(|i| self.in_family(&i.programme_id))
            .collect();
        if let Some(i) = family.iter().find(|i| i.id == key) {
            return Ok(i);
        }
        match family
            .iter()
            .filter(|i| i.code == key)
            .collect::<Vec<_>>()
            .as_slice()
        {
            [] => Err(format!("không có chỉ tiêu mã {key}")),
            [one] => Ok(one),
            many => {
                let ids: Vec<&str> = many.iter().map(|i| i.id.as_str()).collect();
                Err(format!(
                    "có {} chỉ tiêu mã {key} ({}): hãy dùng mã định danh của chỉ tiêu",
                    many.len(),
                    ids.join(", ")
                ))
            }
        }
    }

    /// The national value of an indicator in a period, as the indicator table prints it.
    fn value(&self, key: &str, period: Period) -> Result<Vec<Inline>, String> {
        let ind = self.indicator(key)?;
        let (value, used) = indicator::national_value(self.data, ind, period).ok_or_else(|| {
            format!(
                "chỉ tiêu {} chưa có số liệu {}",
                ind.code,
                period.label_vi()
            )
        })?;
        Ok(vec![figure(
            worded::value(ind, value, Lang::Vi),
            used.into_iter().map(observation_source).collect(),
        )])
    }

    fn target(&self, key: &str) -> Result<Vec<Inline>, String> {
        let ind = self.indicator(key)?;
        let target = self
            .data
            .targets
            .iter()
            .find(|t| t.indicator_id == ind.id && t.agency_id.is_none())
            .ok_or_else(|| format!("chỉ tiêu {} không có mục tiêu", ind.code))?;
        Ok(vec![figure(
            worded::target(ind, target, Lang::Vi),
            vec![Source {
                anchor: Some(format!("indicator-{}", ind.id)),
                label: format!("Mục tiêu {} ({})", ind.code, target.id),
            }],
        )])
    }

    fn views(&self) -> &[TaskView<'a>] {
        self.views.get_or_init(|| {
            let ids: Vec<&str> = self.family.iter().map(|p| p.id.as_str()).collect();
            status::task_views(self.data, &ids, self.as_of)
        })
    }

    /// A task count of the family, as the task summary ([`worded::task_counts`]) writes it.
    fn tasks(&self, key: &str) -> Result<Vec<Inline>, String> {
        let views = self.views();
        let counts = TaskCounts::of(views);
        let sources = |keep: fn(TaskStatus) -> bool| {
            views
                .iter()
                .filter(|v| keep(v.status))
                .map(task_source)
                .collect::<Vec<_>>()
        };
        let n = |k: usize| format::count(k as u64);
        let (value, sources) = match key {
            "tong" => (n(counts.total), sources(|_| true)),
            "hoan_thanh" => (
                format!("{}/{}", n(counts.done), n(counts.total)),
                sources(TaskStatus::is_done),
            ),
            "ty_le_hoan_thanh" => (
                worded::share_of(counts.done, counts.total, Lang::Vi)
                    .ok_or("chưa có nhiệm vụ nào")?,
                sources(TaskStatus::is_done),
            ),
            "truoc_han" => (
                n(counts.done_early),
                sources(|s| s == TaskStatus::DoneEarly),
            ),
            "dung_han" => (
                n(counts.done_on_time),
                sources(|s| s == TaskStatus::DoneOnTime),
            ),
            "cham" => (n(counts.done_late), sources(|s| s == TaskStatus::DoneLate)),
            "dang_thuc_hien" => (
                n(counts.in_progress + counts.not_started),
                sources(|s| matches!(s, TaskStatus::InProgress | TaskStatus::NotStarted)),
            ),
            "qua_han" => (n(counts.overdue), sources(|s| s == TaskStatus::Overdue)),
            "chua_xac_dinh_thoi_han" => (
                n(counts.no_due_date),
                sources(|s| s == TaskStatus::NoDueDate),
            ),
            "chua_bao_cao" => (n(counts.no_report), sources(|s| s == TaskStatus::NoReport)),
            "tong_hop" => (
                worded::task_counts(&counts, Lang::Vi),
                sources(TaskStatus::is_done),
            ),
            other => {
                return Err(format!(
                    "không có số liệu nhiệm vụ \"{other}\" (dùng: tong, hoan_thanh, ty_le_hoan_thanh, truoc_han, dung_han, cham, dang_thuc_hien, qua_han, chua_xac_dinh_thoi_han, chua_bao_cao, tong_hop)"
                ));
            }
        };
        Ok(vec![figure(value, sources)])
    }

    fn task<'v>(&self, views: &'v [TaskView<'v>], id: &str) -> Result<&'v TaskView<'v>, String> {
        views
            .iter()
            .find(|v| v.task.id == id)
            .ok_or_else(|| format!("không có nhiệm vụ mã {id}"))
    }

    /// A task's status, as the task table prints it.
    fn status(&self, id: &str) -> Result<Vec<Inline>, String> {
        let views = self.views();
        let v = self.task(views, id)?;
        Ok(vec![figure(v.status.label_vi(), vec![task_source(v)])])
    }

    /// A shared task's "x/N" per group, as the task table prints it.
    fn progress(&self, id: &str) -> Result<Vec<Inline>, String> {
        let views = self.views();
        let v = self.task(views, id)?;
        if !v.reports_per_assignee(self.data) {
            return Err(format!("nhiệm vụ {id} không giao cho nhiều cơ quan"));
        }
        let parts = tiendo_core::assignment::progress_phrase(&v.progress(self.data));
        Ok(vec![figure(parts, vec![task_source(v)])])
    }

    /// A checklist requirement's "x/N" with its rate, as section I writes it.
    fn requirement(&self, id: &str) -> Result<Vec<Inline>, String> {
        let requirement = self
            .data
            .checklist_requirements
            .iter()
            .find(|r| r.id == id && self.in_family(&r.programme_id))
            .ok_or_else(|| format!("không có yêu cầu mã {id}"))?;
        Ok(checklist_figure(&structure::restate_checklist(
            self.data,
            requirement,
            self.as_of,
            self.structure_date,
        )))
    }

    /// The agencies that have not done a requirement or a shared task, in the order of
    /// the report's footnotes.
    fn not_done(&self, id: &str) -> Result<Vec<Inline>, String> {
        if let Some(requirement) = self
            .data
            .checklist_requirements
            .iter()
            .find(|r| r.id == id && self.in_family(&r.programme_id))
        {
            let result = structure::restate_checklist(
                self.data,
                requirement,
                self.as_of,
                self.structure_date,
            );
            let mut units: Vec<&RestatedUnit> =
                result.groups.iter().flat_map(|g| g.not_done()).collect();
            units.sort_by(|a, b| agency_order(a.agency, b.agency));
            let names: Vec<String> = units.iter().map(|u| unit_name(u)).collect();
            let sources = names
                .iter()
                .map(|name| Source {
                    anchor: None,
                    label: format!("{name}: chưa thực hiện “{}”", requirement.title),
                })
                .collect();
            return Ok(vec![figure(names_or_none(&names), sources)]);
        }
        let views = self.views();
        let v = self
            .task(views, id)
            .map_err(|_| format!("không có yêu cầu hay nhiệm vụ mã {id}"))?;
        let names: Vec<String> = v
            .progress(self.data)
            .iter()
            .flat_map(|p| p.not_done.iter())
            .map(|a| self.data.assignee_name(&Assignee::Agency(a.clone())))
            .collect();
        let sources = names
            .iter()
            .map(|name| Source {
                anchor: None,
                label: format!("{name}: chưa hoàn thành nhiệm vụ {}", v.task.number),
            })
            .chain([task_source(v)])
            .collect();
        Ok(vec![figure(names_or_none(&names), sources)])
    }

    fn period_label(&self, key: &str) -> Result<Vec<Inline>, String> {
        match key {
            "nay" => Ok(vec![text(self.period.label_vi())]),
            "truoc" => Ok(vec![text(self.period.previous().label_vi())]),
            "sau" => Ok(vec![text(self.period.next().label_vi())]),
            other => Err(format!("không có kỳ \"{other}\" (dùng: nay, truoc, sau)")),
        }
    }
}

fn names_or_none(names: &[String]) -> String {
    if names.is_empty() {
        "không có".to_string()
    } else {
        names.join(", ")
    }
}

impl Figures for ReportFigures<'_> {
    fn figure(&self, kind: &str, key: &str) -> Result<Vec<Inline>, String> {
        match kind {
            "chi_tieu" => self.value(key, self.period),
            "chi_tieu_ky_truoc" => self.value(key, self.period.previous()),
            "muc_tieu" => self.target(key),
            "nhiem_vu" => self.tasks(key),
            "trang_thai" => self.status(key),
            "tien_do" => self.progress(key),
            "yeu_cau" => self.requirement(key),
            "danh_sach_chua_hoan_thanh" => self.not_done(key),
            "ky" => self.period_label(key),
            "ngay" if key == "so_lieu" => Ok(vec![text(format::date(self.as_of))]),
            other => Err(format!(
                "không có loại số liệu \"{other}\" (dùng: chi_tieu, chi_tieu_ky_truoc, muc_tieu, nhiem_vu, trang_thai, tien_do, yeu_cau, danh_sach_chua_hoan_thanh, ky, ngay)"
            )),
        }
    }
}
