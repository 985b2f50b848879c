use std::collections::BTreeMap;

use chrono::NaiveDate;
use tiendo_core::clock::{self, FigureDates};
use tiendo_core::figure as worded;
use tiendo_core::format;
use tiendo_core::indicator::{self, Classification};
use tiendo_core::lang::Lang;
use tiendo_core::model::{
    Assignee, Confidence, Dataset, Indicator, LineageEdge, LineageKind, Observation, Programme,
    SourceKind, Target, TargetClass, Task, agency_order,
};
use tiendo_core::period::Period;
use tiendo_core::status::{self, TaskCounts, TaskStatus, TaskView};
use tiendo_core::structure::{
    self, Fraction, LeadOn, Outcome, Part, RestatedChecklist, RestatedUnit, RestatedValue, lead_on,
};

use crate::doc::{
    Block, Chart, ChartKind, Document, Inline, Letterhead, Series, Source, TableRow, figure, text,
};
use crate::narrative::{Narrative, NarrativeError, Rendered, Section};
use crate::references::ReportFigures;

/// What to report on.
#[derive(Debug, Clone)]
pub struct ReportRequest {
    pub programme_id: String,
    /// The period; defaults to the programme's latest reporting period by date
    /// ([`tiendo_core::clock`]).
    pub period: Option<Period>,
    /// The date the report speaks as of; defaults to the period's end under the
    /// programme's reporting regime.
    pub as_of: Option<NaiveDate>,
    /// The date of the knowledge the report is drawn from (the records as they stood
    /// then); defaults to today in Vietnam. The report says it.
    pub known_on: Option<NaiveDate>,
    /// The date whose organisational structure the report is shown in ("cơ cấu tổ chức
    /// theo ngày …"); defaults to the as-of date. Checklists ("x/N"), rankings and task
    /// leads are restated to it by the rules of [`tiendo_core::structure`].
    pub structure_date: Option<NaiveDate>,
}

/// Why a report could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportError {
    UnknownProgramme(String),
    /// The narrative has references that do not resolve.
    Narrative(NarrativeError),
}

impl std::error::Error for ReportError {}

impl std::fmt::Display for ReportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReportError::UnknownProgramme(id) => write!(f, "không có chương trình \"{id}\""),
            ReportError::Narrative(e) => write!(f, "{e}"),
        }
    }
}

/// Build the progress report of a programme (and its sub-programmes) for a period.
pub fn progress_report(data: &Dataset, request: &ReportRequest) -> Result<Document, ReportError> {
    narrated_report(data, request, &Narrative::default())
}

/// The narrative read into blocks, its references resolved against the figures of the
/// report `request` gives ([`crate::narrative`]).
pub fn render_narrative(
    data: &Dataset,
    request: &ReportRequest,
    narrative: &Narrative,
) -> Result<Rendered, ReportError> {
    let programme = data
        .programme(&request.programme_id)
        .ok_or_else(|| ReportError::UnknownProgramme(request.programme_id.clone()))?;
    let dates = clock::programme_dates(
        data,
        programme,
        request.period,
        request.as_of,
        request.known_on.unwrap_or_else(clock::today_in_vietnam),
    );
    let figures = ReportFigures {
        data,
        family: with_descendants(data, programme),
        period: dates.period,
        as_of: dates.as_of,
        structure_date: request.structure_date.unwrap_or(dates.as_of),
        views: std::cell::OnceCell::new(),
    };
    narrative.render(&figures).map_err(ReportError::Narrative)
}

/// The progress report with the secretariat's narrative: highlights at the start of I.,
/// results by theme at its end, and the written text first in II., III. and IV. (in IV. it
/// replaces the generic request to keep the records up to date). A reference that does
/// not resolve fails the report ([`ReportError::Narrative`]).
pub fn narrated_report(
    data: &Dataset,
    request: &ReportRequest,
    narrative: &Narrative,
) -> Result<Document, ReportError> {
    let narrative = render_narrative(data, request, narrative)?;
    let programme = data
        .programme(&request.programme_id)
        .ok_or_else(|| ReportError::UnknownProgramme(request.programme_id.clone()))?;
    let dates = clock::programme_dates(
        data,
        programme,
        request.period,
        request.as_of,
        request.known_on.unwrap_or_else(clock::today_in_vietnam),
    );
    let (period, as_of) = (dates.period, dates.as_of);
    let structure_date = request.structure_date.unwrap_or(as_of);
    let programmes = with_descendants(data, programme);
    let mut b = Builder {
        data,
        dates,
        period,
        as_of,
        structure_date,
        blocks: Vec::new(),
        appendix_tasks: Vec::new(),
        appendix_indicators: Vec::new(),
        appendix_classes: Vec::new(),
        appendix_rankings: Vec::new(),
        narrative,
    };
    let letterhead = b.letterhead(programme);
    b.introduction(programme, &letterhead);
    b.results(&programmes);
    b.shortcomings(&programmes);
    b.next_tasks(&programmes);
    b.recommendations(&programmes);
    b.blocks.push(Block::Closing(format!(
        "Trên đây là báo cáo {}",
        lower_first(&letterhead.subject)
    )));
    b.appendices();
    Ok(Document {
        title: format!(
            "Báo cáo {} {}",
            programme.short_name_or_name(),
            period.label_vi()
        ),
        dates: dates.text_vi(),
        letterhead: Some(letterhead),
        blocks: b.blocks,
    })
}

trait ProgrammeName {
    fn short_name_or_name(&self) -> &str;
}

impl ProgrammeName for Programme {
    fn short_name_or_name(&self) -> &str {
        if self.short_name.is_empty() {
            &self.name
        } else {
            &self.short_name
        }
    }
}

/// The programme and its sub-programmes, depth first.
fn with_descendants<'a>(data: &'a Dataset, root: &'a Programme) -> Vec<&'a Programme> {
    data.programme_family(&root.id)
}

struct Builder<'a> {
    data: &'a Dataset,
    /// The dates of every figure ([`clock`]).
    dates: FigureDates,
    period: Period,
    as_of: NaiveDate,
    /// The date whose structure figures are shown in.
    structure_date: NaiveDate,
    blocks: Vec<Block>,
    appendix_tasks: Vec<(&'a Programme, Vec<TaskView<'a>>)>,
    appendix_indicators: Vec<TableRow>,
    appendix_classes: Vec<TableRow>,
    /// Per indicator: the ranking's title, rows and the note under it.
    appendix_rankings: Vec<(String, Vec<TableRow>)>,
    /// The secretariat's text, by section.
    narrative: Rendered,
}

fn task_anchor(id: &str) -> String {
    format!("task-{id}")
}

fn indicator_anchor(id: &str) -> String {
    format!("indicator-{id}")
}

pub(crate) fn task_source(v: &TaskView<'_>) -> Source {
    Source {
        anchor: Some(task_anchor(&v.task.id)),
        label: format!(
            "Nhiệm vụ {} ({}): {}",
            v.task.number,
            v.task.id,
            v.status.label_vi()
        ),
    }
}

pub(crate) fn observation_source(o: &Observation) -> Source {
    let provenance = if o.provenance.is_empty() {
        "không ghi nguồn"
    } else {
        &o.provenance
    };
    Source {
        anchor: Some(indicator_anchor(&o.indicator_id)),
        label: format!(
            "{} {} ({}): {provenance}",
            o.indicator_id,
            o.period.code(),
            source_label(o.source)
        ),
    }
}

fn source_label(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::Declared => "cơ quan báo cáo",
        SourceKind::Measured => "đo từ dữ liệu hồ sơ",
        SourceKind::Imported => "trích từ báo cáo",
        SourceKind::Estimated => "ước tính",
    }
}

impl<'a> Builder<'a> {
    /// The issuing body is the programme's owner agency (its successor after a
    /// reorganisation); the report is dated the day its figures were known on (today, or
    /// an edition's issue date), not the end of its period.
    fn letterhead(&self, programme: &Programme) -> Letterhead {
        let owner = match lead_on(
            self.data,
            &Assignee::Agency(programme.owner_agency.clone()),
            self.as_of,
        ) {
            LeadOn::Passed { to, .. } => Some(to),
            LeadOn::Recorded | LeadOn::Unresolved { .. } => {
                self.data.agency(&programme.owner_agency)
            }
        };
        Letterhead {
            issuer_id: owner.map_or_else(|| programme.owner_agency.clone(), |a| a.id.clone()),
            issuer: owner.map_or_else(|| programme.owner_agency.clone(), |a| a.name.clone()),
            issuer_code: owner.map_or_else(
                || programme.owner_agency.clone(),
                |a| {
                    if a.code.is_empty() {
                        a.id.clone()
                    } else {
                        a.code.clone()
                    }
                },
            ),
            place: "Hà Nội".to_string(),
            date: self.dates.known_on,
            kind: "BÁO CÁO".to_string(),
            subject: subject_of(programme, self.period),
        }
    }

    /// The opening of an official report: the legal basis it answers ("Thực hiện Quyết định
    /// số … của Thủ tướng Chính phủ phê duyệt …, Bộ … báo cáo tình hình thực hiện … như
    /// sau:"), then the dates of its figures.
    fn introduction(&mut self, programme: &Programme, letterhead: &Letterhead) {
        let documents: Vec<&tiendo_core::model::LegalDocument> = programme
            .legal_basis
            .iter()
            .filter_map(|id| self.data.legal_document(id))
            .collect();
        let basis: Vec<String> = documents.iter().map(|d| legal_reference(d)).collect();
        // When the basis already names the programme, the sentence does not name it twice.
        let named = documents.iter().any(|d| {
            d.title
                .to_lowercase()
                .contains(&programme.name.to_lowercase())
        });
        let subject = if named {
            format!("kết quả thực hiện {}", self.period.label_vi())
        } else {
            lower_first(&subject_of(programme, self.period))
        };
        let opening = if basis.is_empty() {
            format!("{} báo cáo {subject} như sau:", letterhead.issuer)
        } else {
            format!(
                "Thực hiện {}, {} báo cáo {subject} như sau:",
                basis.join("; "),
                letterhead.issuer
            )
        };
        self.blocks.push(Block::Paragraph(vec![text(opening)]));
        self.blocks.push(Block::Paragraph(vec![text(format!(
            "Số liệu trong báo cáo được tổng hợp từ hệ thống theo dõi tiến độ, {}.",
            self.dates.text_vi()
        ))]));
        self.structure_notes(programme);
    }

    /// The structure the report is shown in, and the rule for a period that straddles a
    /// reorganisation.
    fn structure_notes(&mut self, programme: &Programme) {
        let (start, end) = self.period.bounds(programme.regime);
        let changes: Vec<NaiveDate> = structure::change_dates(self.data)
            .into_iter()
            .filter(|d| start <= *d && *d <= end)
            .collect();
        if !changes.is_empty() {
            let dates: Vec<String> = changes
                .iter()
                .map(|d| format!("ngày {}", format::date(*d)))
                .collect();
            self.blocks.push(Block::Paragraph(vec![text(format!(
                "Trong kỳ báo cáo có sắp xếp tổ chức bộ máy (hiệu lực từ {}). Theo quy tắc báo cáo, kết quả được tổng hợp theo cơ cấu tổ chức tại ngày cuối kỳ ({}); cơ quan, đơn vị hình thành sau sắp xếp chưa có kết quả riêng được tính theo kết quả của các cơ quan, đơn vị tiền thân theo quy tắc của từng yêu cầu.",
                dates.join(", "),
                format::date(end)
            ))]));
        }
        if self.structure_date != self.as_of {
            self.blocks.push(Block::Paragraph(vec![text(format!(
                "Cơ cấu tổ chức theo ngày {}: số liệu ngày {} được quy đổi sang các cơ quan, đơn vị có tại ngày {} mà không sửa số liệu gốc. Kết quả của các đơn vị hợp nhất được cộng gộp (tử số, mẫu số cộng gộp; yêu cầu tính là đã thực hiện theo quy tắc của từng yêu cầu); đơn vị chia tách được chuyển theo chức năng (số liệu chỉ phân bổ khi có tỷ trọng và được ghi là ước tính); nhiệm vụ của cơ quan không còn hoạt động được ghi cho cơ quan tiếp nhận. Giá trị không quy đổi được ghi rõ là không quy đổi được.",
                format::date(self.structure_date),
                format::date(self.as_of),
                format::date(self.structure_date)
            ))]));
        }
    }

    /// The leads and joint leads of a task, as [`Builder::lead_label`] gives each.
    fn leads_label(&self, task: &Task) -> String {
        self.data
            .leads_of(task)
            .iter()
            .map(|l| self.lead_label(l))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// An assignee's part in a task's appendix row: "đã hoàn thành 15/22 bộ, ngành,
    /// 62/63 địa phương; chưa hoàn thành: …", with the agencies not done and those left
    /// out of the denominator in footnotes.
    fn progress_cells(&self, v: &TaskView<'_>) -> Vec<Inline> {
        if !v.reports_per_assignee(self.data) {
            return Vec::new();
        }
        let parts = v.progress(self.data);
        let mut out = vec![figure(
            format!(
                "Đã hoàn thành {}",
                tiendo_core::assignment::progress_phrase(&parts)
            ),
            v.assignees
                .iter()
                .filter(|a| a.assignee.required && a.status.is_done())
                .map(|a| Source {
                    anchor: None,
                    label: format!(
                        "{}: {}",
                        self.data
                            .assignee_name(&Assignee::Agency(a.assignee.agency_id.clone())),
                        a.status.label_vi()
                    ),
                })
                .collect(),
        )];
        let not_done: Vec<String> = parts
            .iter()
            .flat_map(|p| p.not_done.iter())
            .map(|id| self.data.assignee_name(&Assignee::Agency(id.clone())))
            .collect();
        if !not_done.is_empty() {
            out.push(text("; chưa hoàn thành"));
            out.push(Inline::Footnote(format!(
                "Chưa hoàn thành nhiệm vụ {}: {}.",
                v.task.number,
                not_done.join(", ")
            )));
        }
        let excluded: Vec<String> = self
            .data
            .exclusions_of(&v.task.id)
            .map(|e| {
                format!(
                    "{} ({})",
                    self.data
                        .assignee_name(&Assignee::Agency(e.agency_id.clone())),
                    e.reason
                )
            })
            .collect();
        if !excluded.is_empty() {
            out.push(Inline::Footnote(format!(
                "Không tính trong tổng số của nhiệm vụ {}: {}.",
                v.task.number,
                excluded.join("; ")
            )));
        }
        out.push(text(". "));
        out
    }

    /// The lead of a task as it is on the structure date, with a note when the task
    /// passed from a dissolved agency (its history stays under the old agency).
    fn lead_label(&self, lead: &Assignee) -> String {
        match lead_on(self.data, lead, self.structure_date) {
            LeadOn::Recorded => self.data.assignee_name(lead),
            LeadOn::Passed { from, to, via } => {
                let since = via
                    .last()
                    .map(|e| format!(" từ ngày {}", format::date(e.effective)))
                    .unwrap_or_default();
                format!(
                    "{} (tiếp nhận nhiệm vụ của {}{since}{})",
                    to.short_name,
                    from.short_name,
                    not_confirmed(&via)
                )
            }
            LeadOn::Unresolved { from, candidates } => {
                let since = structure::successors(self.data, &from.id)
                    .first()
                    .map(|e| format!(" từ ngày {}", format::date(e.effective)))
                    .unwrap_or_default();
                if candidates.is_empty() {
                    format!(
                        "{} (không còn hoạt động{since}; chưa có cơ quan tiếp nhận nhiệm vụ)",
                        from.short_name
                    )
                } else {
                    let names: Vec<&str> =
                        candidates.iter().map(|a| a.short_name.as_str()).collect();
                    format!(
                        "{} (chia tách{since}; chưa xác định cơ quan tiếp nhận nhiệm vụ trong số: {})",
                        from.short_name,
                        names.join(", ")
                    )
                }
            }
        }
    }

    fn results(&mut self, programmes: &[&'a Programme]) {
        self.blocks
            .push(Block::Heading(3, "I. KẾT QUẢ ĐẠT ĐƯỢC".to_string()));
        if !self.narrative.blocks(Section::Highlights).is_empty() {
            self.blocks.push(Block::Paragraph(vec![Inline::Bold(
                "Một số kết quả nổi bật".to_string(),
            )]));
            self.written(Section::Highlights);
        }
        for (n, programme) in programmes.iter().enumerate() {
            let start = self.blocks.len();
            self.blocks.push(Block::Heading(
                4,
                format!("{}. Kết quả thực hiện {}", n + 1, programme.name),
            ));
            let mut letter = 'a';
            let mut next_letter = || {
                let l = letter;
                letter = char::from_u32(letter as u32 + 1).unwrap_or('z');
                l
            };
            let indicators: Vec<&Indicator> = self
                .data
                .indicators
                .iter()
                .filter(|i| i.programme_id == programme.id)
                .collect();
            if !indicators.is_empty() {
                let l = next_letter();
                self.blocks.push(Block::Paragraph(vec![Inline::Bold(format!(
                    "{l}) Kết quả thực hiện các chỉ tiêu"
                ))]));
                self.indicators(programme, &indicators);
            }
            let requirements: Vec<_> = self
                .data
                .checklist_requirements
                .iter()
                .filter(|r| r.programme_id == programme.id)
                .collect();
            if !requirements.is_empty() {
                let l = next_letter();
                self.blocks.push(Block::Paragraph(vec![Inline::Bold(format!(
                    "{l}) Kết quả thực hiện các yêu cầu đối với bộ, ngành, địa phương"
                ))]));
                let mut items: Vec<Vec<Inline>> = requirements
                    .iter()
                    .map(|r| self.checklist_line(r))
                    .collect();
                // Items of a list end with ";", the last with ".".
                if let Some(Inline::Text(end)) = items.last_mut().and_then(|i| i.last_mut())
                    && end == ";"
                {
                    *end = ".".into();
                }
                self.blocks.push(Block::Bullets(items));
            }
            let views = status::task_views(self.data, &[programme.id.as_str()], self.as_of);
            if !views.is_empty() {
                let l = next_letter();
                // The statuses are those reported by then; say when the last report came
                // if that was before the as-of date (a report of 21/5 read on 31/5).
                let last_report = views
                    .iter()
                    .filter_map(|v| v.update.map(|u| u.reported_on))
                    .chain(views.iter().flat_map(|v| {
                        v.assignees
                            .iter()
                            .filter_map(|a| a.update.map(|u| u.reported_on))
                    }))
                    .max();
                let reported = match last_report {
                    Some(day) if day < self.as_of => {
                        format!("; theo báo cáo nhận đến ngày {}", format::date(day))
                    }
                    _ => String::new(),
                };
                self.blocks.push(Block::Paragraph(vec![Inline::Bold(format!(
                    "{l}) Kết quả thực hiện các nhiệm vụ (đến ngày {}{reported})",
                    format::date(self.as_of)
                ))]));
                self.tasks_summary(&views);
                self.appendix_tasks.push((programme, views));
            }
            // The charts of the part follow its text, so that the text fills the page
            // before a chart too tall for what is left of it moves to the next.
            let (charts, text): (Vec<Block>, Vec<Block>) = self
                .blocks
                .drain(start..)
                .partition(|b| matches!(b, Block::Chart(_)));
            self.blocks.extend(text);
            self.blocks.extend(charts);
        }
        if !self.narrative.blocks(Section::Results).is_empty() {
            self.blocks.push(Block::Heading(
                4,
                format!("{}. Kết quả theo lĩnh vực", programmes.len() + 1),
            ));
            self.written(Section::Results);
        }
    }

    /// The narrative's blocks of a section, as written.
    fn written(&mut self, section: Section) {
        self.blocks
            .extend(self.narrative.blocks(section).iter().cloned());
    }

    fn national_value(&self, indicator: &Indicator, period: Period) -> Option<(f64, Vec<Source>)> {
        indicator::national_value(self.data, indicator, period)
            .map(|(value, used)| (value, used.into_iter().map(observation_source).collect()))
    }

    /// When the national figure of a period was stated differently from what the records
    /// give, the note that says so (the report prints the computed figure).
    fn stated_note(&self, indicator: &Indicator, period: Period) -> Option<String> {
        let (_, used) = indicator::national_value(self.data, indicator, period)?;
        let [observation] = used.as_slice() else {
            return None;
        };
        let c = tiendo_core::stated::contradiction(self.data, observation)?;
        let source = if observation.provenance.is_empty() {
            String::new()
        } else {
            format!(" ({})", observation.provenance)
        };
        Some(format!(
            "Số liệu báo cáo ghi {}{source}; số liệu tính từ dữ liệu là {} ({}). Báo cáo dùng số liệu tính từ dữ liệu.",
            c.stated, c.computed, c.behind
        ))
    }

    /// Whether an indicator's national values of two periods can be compared (the core's rule).
    fn comparable(&self, indicator: &Indicator, previous: Period) -> bool {
        indicator::comparable(self.data, indicator, previous, self.period)
    }

    fn indicators(&mut self, programme: &Programme, indicators: &[&'a Indicator]) {
        let mut by_heading: Vec<(String, Vec<Vec<Inline>>)> = Vec::new();
        let ordered = ordered_by_code(indicators);
        for ind in ordered.iter().copied() {
            let current = self.national_value(ind, self.period);
            let previous_period = self.period.previous();
            let previous = self.national_value(ind, previous_period);
            let target = self
                .data
                .targets
                .iter()
                .find(|t| t.indicator_id == ind.id && t.agency_id.is_none());
            let comparable = self.comparable(ind, previous_period);
            let change = match (&current, &previous) {
                (Some((c, _)), Some((p, _))) if comparable => {
                    Some(indicator::change(ind, previous_period, *p, *c))
                }
                _ => None,
            };
            let attainment = match (&current, target) {
                (Some((c, _)), Some(t)) => indicator::attainment(t, *c),
                _ => None,
            };
            let mut cells_value = Vec::new();
            let mut line = vec![text(format!("{}: ", ind.name))];
            match &current {
                Some((v, sources)) => {
                    let words = worded::national_value(self.data, ind, self.period, Lang::Vi)
                        .unwrap_or_else(|| worded::value(ind, *v, Lang::Vi));
                    line.push(figure(words.clone(), sources.clone()));
                    cells_value.push(figure(words, sources.clone()));
                    if let Some(note) = self.stated_note(ind, self.period) {
                        line.push(Inline::Footnote(note.clone()));
                        cells_value.push(Inline::Footnote(note));
                    }
                }
                None => {
                    line.push(text(format!("chưa có số liệu {}", self.period.label_vi())));
                    cells_value.push(text("—"));
                }
            }
            if let (Some(c), Some((_, psources))) = (&change, &previous) {
                line.push(text(" ("));
                line.push(figure(worded::change(c, Lang::Vi), psources.clone()));
                line.push(text(")"));
            }
            if previous.is_some() && !comparable {
                line.push(text(format!(
                    " ({})",
                    worded::not_compared(previous_period, Lang::Vi)
                )));
            }
            if let Some(t) = target {
                line.push(text(format!(
                    "; mục tiêu {}",
                    worded::target(ind, t, Lang::Vi)
                )));
                if let Some(a) = attainment {
                    line.push(text(format!(
                        ", đạt {} mục tiêu",
                        worded::share(a, Lang::Vi)
                    )));
                }
            }
            line.push(text(";"));
            match by_heading.iter_mut().find(|(h, _)| *h == ind.heading) {
                Some((_, lines)) => lines.push(line),
                None => by_heading.push((ind.heading.clone(), vec![line])),
            }
            self.appendix_indicators.push(TableRow {
                anchor: Some(indicator_anchor(&ind.id)),
                cells: vec![
                    vec![text(&ind.code)],
                    vec![text(format!(
                        "{} ({})",
                        ind.name,
                        programme.short_name_or_name()
                    ))],
                    vec![text(
                        target
                            .map(|t| worded::target(ind, t, Lang::Vi))
                            .unwrap_or_else(|| "—".to_string()),
                    )],
                    vec![text(
                        previous
                            .as_ref()
                            .map_or("—".to_string(), |(p, _)| worded::value(ind, *p, Lang::Vi)),
                    )],
                    cells_value,
                    vec![text(
                        change
                            .as_ref()
                            .map_or("—".to_string(), |c| worded::change(c, Lang::Vi)),
                    )],
                    vec![text(
                        attainment.map_or("—".to_string(), |a| worded::share(a, Lang::Vi)),
                    )],
                ],
            });
        }
        for ind in ordered {
            self.ranking(ind);
        }
        // Items of a list end with ";", the last of the last heading with ".".
        if let Some(Inline::Text(end)) = by_heading
            .last_mut()
            .and_then(|(_, lines)| lines.last_mut())
            .and_then(|line| line.last_mut())
            && end == ";"
        {
            *end = ".".into();
        }
        for (heading, lines) in by_heading {
            if !heading.is_empty() && heading != "Kết quả thực hiện các chỉ tiêu" {
                self.blocks
                    .push(Block::Paragraph(vec![Inline::Bold(heading)]));
            }
            self.blocks.push(Block::Bullets(lines));
        }
        self.trend_chart(programme, indicators);
        for ind in indicators {
            self.agency_chart(ind);
        }
        self.classification(programme, indicators);
    }

    /// The ranking of units on an indicator with agency values in the period, in the
    /// structure of the structure date (restated values, and those not restatable).
    fn ranking(&mut self, indicator: &'a Indicator) {
        let ranking =
            structure::ranking(self.data, indicator, self.period, None, self.structure_date);
        if ranking.ranked.is_empty() && ranking.not_restatable.is_empty() {
            return;
        }
        let mut rows: Vec<TableRow> = Vec::new();
        for (rank, unit) in &ranking.ranked {
            let RestatedValue::Value {
                value,
                numerator,
                denominator,
                estimate,
                sources,
            } = &unit.value
            else {
                continue;
            };
            let restated = RestatedUnit {
                agency: unit.agency,
                parts: unit.parts.clone(),
                outcome: Outcome::Done,
            };
            let fraction = match (numerator, denominator) {
                (Some(n), Some(d)) => {
                    format!("{}/{}", format::decimal(*n, 2), format::decimal(*d, 2))
                }
                _ => "—".to_string(),
            };
            let value = format!(
                "{}{}",
                worded::value(indicator, *value, Lang::Vi),
                if *estimate { " (ước tính)" } else { "" }
            );
            rows.push(TableRow {
                anchor: None,
                cells: vec![
                    vec![text(format::count(*rank as u64))],
                    vec![text(unit_name(&restated))],
                    vec![figure(
                        value,
                        sources.iter().map(|o| observation_source(o)).collect(),
                    )],
                    vec![text(fraction)],
                ],
            });
        }
        for unit in &ranking.not_restatable {
            let RestatedValue::NotRestatable(reason) = &unit.value else {
                continue;
            };
            let restated = RestatedUnit {
                agency: unit.agency,
                parts: unit.parts.clone(),
                outcome: Outcome::NotRestatable(reason.clone()),
            };
            rows.push(TableRow {
                anchor: None,
                cells: vec![
                    vec![text("—")],
                    vec![text(unit_name(&restated))],
                    vec![text(format!("không quy đổi được: {reason}"))],
                    vec![text("—")],
                ],
            });
        }
        let title = format!(
            "XẾP HẠNG THEO CHỈ TIÊU “{}” {} (CƠ CẤU TỔ CHỨC NGÀY {})",
            indicator.name.to_uppercase(),
            self.period.label_vi().to_uppercase(),
            format::date(self.structure_date)
        );
        self.appendix_rankings.push((title, rows));
    }

    /// Targets due after the period are classified (achieved / likely / needs effort).
    fn classification(&mut self, programme: &Programme, indicators: &[&'a Indicator]) {
        let period_end = self.period.end(programme.regime);
        let mut results: Vec<(&Indicator, &Target, Classification)> = Vec::new();
        for ind in indicators {
            let Some(target) = self
                .data
                .targets
                .iter()
                .find(|t| t.indicator_id == ind.id && t.agency_id.is_none())
            else {
                continue;
            };
            if target.deadline.due.is_none_or(|d| d <= period_end) {
                continue;
            }
            let series: Vec<(Period, f64)> = self
                .data
                .observations
                .iter()
                .filter(|o| o.indicator_id == ind.id && o.agency_id.is_none())
                .map(|o| (o.period, o.value))
                .collect();
            let assessment = self
                .data
                .target_assessments
                .iter()
                .find(|a| a.target_id == target.id && a.period == self.period);
            results.push((
                ind,
                target,
                indicator::classify(target, &series, self.period, assessment),
            ));
        }
        if results.is_empty() {
            return;
        }
        let total = results.len();
        let mut lines = Vec::new();
        for class in [
            TargetClass::Achieved,
            TargetClass::Likely,
            TargetClass::NeedsEffort,
        ] {
            let members: Vec<_> = results
                .iter()
                .filter(|(_, _, c)| c.computed == class)
                .collect();
            let sources = members
                .iter()
                .map(|(i, _, _)| Source {
                    anchor: Some(format!("class-{}", i.id)),
                    label: format!("{} {}", i.code, i.name),
                })
                .collect();
            lines.push(vec![
                figure(
                    format!(
                        "{}/{}",
                        format::count(members.len() as u64),
                        format::count(total as u64)
                    ),
                    sources,
                ),
                text(format!(
                    " mục tiêu {} (chiếm {})",
                    class.label_vi().to_lowercase(),
                    worded::share_of(members.len(), total, Lang::Vi).unwrap_or_default()
                )),
            ]);
        }
        // The rule is for a reader who asks; the body states the result (the rule in a
        // footnote).
        self.blocks.push(Block::Paragraph(vec![
            text(format!(
                "Kết quả phân loại {} mục tiêu",
                format::count(total as u64)
            )),
            Inline::Footnote(format!(
                "Quy tắc phân loại: (1) đã hoàn thành khi giá trị mới nhất đạt mục tiêu; (2) nếu chưa đạt và có từ hai kỳ số liệu, ngoại suy tuyến tính hai kỳ gần nhất đến thời hạn: đạt thì có khả năng hoàn thành cao, không đạt thì phải nỗ lực tập trung; (3) chỉ có một kỳ số liệu: có khả năng hoàn thành cao khi đã đạt từ {}% mục tiêu; (4) chưa có số liệu: phải nỗ lực tập trung.",
                format::decimal(indicator::SINGLE_VALUE_LIKELY_ATTAINMENT, 0)
            )),
            text(":"),
        ]));
        self.blocks.push(Block::Bullets(lines));
        let overridden: Vec<_> = results
            .iter()
            .filter(|(_, _, c)| c.assessment.as_ref().is_some_and(|a| a.class != c.computed))
            .collect();
        let assessed = results
            .iter()
            .filter(|(_, _, c)| c.assessment.is_some())
            .count();
        if assessed > 0 {
            let mut effective: BTreeMap<TargetClass, usize> = BTreeMap::new();
            for (_, _, c) in &results {
                *effective.entry(c.effective()).or_default() += 1;
            }
            let sources = overridden
                .iter()
                .map(|(i, _, _)| Source {
                    anchor: Some(format!("class-{}", i.id)),
                    label: format!("{} {}", i.code, i.name),
                })
                .collect();
            self.blocks.push(Block::Paragraph(vec![
                text(format!(
                    "Có {} mục tiêu được đánh giá lại (có ghi lý do); theo đánh giá: {} đã hoàn thành, {} có khả năng hoàn thành cao, {} phải nỗ lực tập trung. Số mục tiêu mà đánh giá khác kết quả tính theo quy tắc: ",
                    format::count(assessed as u64),
                    format::count(*effective.get(&TargetClass::Achieved).unwrap_or(&0) as u64),
                    format::count(*effective.get(&TargetClass::Likely).unwrap_or(&0) as u64),
                    format::count(*effective.get(&TargetClass::NeedsEffort).unwrap_or(&0) as u64),
                )),
                figure(format::count(overridden.len() as u64), sources),
                text(" (chi tiết tại Phụ lục)."),
            ]));
        }
        for (ind, target, c) in results {
            let series: Vec<String> = {
                let mut obs: Vec<&Observation> = self
                    .data
                    .observations
                    .iter()
                    .filter(|o| {
                        o.indicator_id == ind.id && o.agency_id.is_none() && o.period <= self.period
                    })
                    .collect();
                obs.sort_by_key(|o| o.period);
                obs.iter()
                    .map(|o| {
                        format!(
                            "{}: {}",
                            o.period.label_vi(),
                            worded::value(ind, o.value, Lang::Vi)
                        )
                    })
                    .collect()
            };
            self.appendix_classes.push(TableRow {
                anchor: Some(format!("class-{}", ind.id)),
                cells: vec![
                    vec![text(&ind.code)],
                    vec![text(&ind.name)],
                    vec![text(if series.is_empty() {
                        "—".to_string()
                    } else {
                        series.join("; ")
                    })],
                    vec![text(worded::target(ind, target, Lang::Vi))],
                    vec![
                        text(c.computed.label_vi()),
                        text(format!(
                            " ({}{})",
                            c.basis,
                            c.projected
                                .map(|p| format!(", dự báo {}", worded::value(ind, p, Lang::Vi)))
                                .unwrap_or_default()
                        )),
                    ],
                    vec![text(c.assessment.as_ref().map_or("—".to_string(), |a| {
                        format!("{} — {}: {}", a.class.label_vi(), a.assessed_by, a.reason)
                    }))],
                ],
            });
        }
    }

    fn checklist_line(
        &self,
        requirement: &'a tiendo_core::model::ChecklistRequirement,
    ) -> Vec<Inline> {
        let result =
            structure::restate_checklist(self.data, requirement, self.as_of, self.structure_date);
        let previous_end = self
            .period
            .previous()
            .end(tiendo_core::period::ReportingRegime::CalendarMonth);
        let previous =
            structure::restate_checklist(self.data, requirement, previous_end, self.structure_date);
        let mut line = vec![text(format!("{}: ", requirement.title))];
        line.extend(checklist_figure(&result));
        let delta = result.numerator() as i64 - previous.numerator() as i64;
        let reported_before = self
            .data
            .checklist_items
            .iter()
            .any(|i| i.requirement_id == requirement.id && i.reported_on <= previous_end);
        let all_restated = [&result, &previous]
            .iter()
            .all(|r| r.groups.iter().all(|g| g.not_restatable().next().is_none()));
        if reported_before && delta != 0 && all_restated {
            line.push(text(format!(
                " ({} so với {})",
                format::change_count(delta, "cơ quan"),
                self.period.previous().label_vi()
            )));
        }
        if !result.excluded.is_empty() {
            let names: Vec<String> = result
                .excluded
                .iter()
                .map(|e| tiendo_core::checklist::exclusion_label(self.data, e))
                .collect();
            line.push(Inline::Footnote(format!(
                "Không tính {} cơ quan không thuộc đối tượng của yêu cầu: {}.",
                format::count(names.len() as u64),
                names.join("; ")
            )));
        }
        let not_restatable: Vec<String> = result
            .groups
            .iter()
            .flat_map(|g| g.not_restatable())
            .map(|u| match &u.outcome {
                Outcome::NotRestatable(reason) => format!("{} ({reason})", u.agency.short_name),
                _ => u.agency.short_name.clone(),
            })
            .collect();
        if !not_restatable.is_empty() {
            line.push(Inline::Footnote(format!(
                "{} cơ quan không quy đổi được kết quả: {}.",
                format::count(not_restatable.len() as u64),
                not_restatable.join("; ")
            )));
        }
        line.push(text(";"));
        line
    }

    fn tasks_summary(&mut self, views: &[TaskView<'a>]) {
        let counts = TaskCounts::of(views);
        let all_sources: Vec<Source> = views.iter().map(task_source).collect();
        let (from, to) = self
            .period
            .bounds(tiendo_core::period::ReportingRegime::CalendarMonth);
        let due_in = status::due_between(views, from, to);
        let due_so_far = status::due_between(views, NaiveDate::MIN, self.as_of.max(to));
        let done_sources: Vec<Source> = views
            .iter()
            .filter(|v| v.status.is_done())
            .map(task_source)
            .collect();
        let mut bullets = vec![vec![
            text("Tổng số "),
            figure(
                format!("{} nhiệm vụ", format::count(counts.total as u64)),
                all_sources,
            ),
            text(": "),
            figure(worded::task_counts(&counts, Lang::Vi), done_sources),
            text("."),
        ]];
        let in_window: Vec<Source> = views
            .iter()
            .filter(|v| {
                v.due.is_some_and(|d| from <= d && d <= to) && v.task.deadline.recurrence.is_none()
            })
            .map(task_source)
            .collect();
        bullets.push(vec![
            text(format!(
                "Nhiệm vụ đến hạn trong {}: ",
                self.period.label_vi()
            )),
            figure(
                format!(
                    "{}, đã hoàn thành {}/{}",
                    format::count(due_in.due as u64),
                    format::count(due_in.done as u64),
                    format::count(due_in.due as u64)
                ),
                in_window,
            ),
            text("."),
        ]);
        bullets.push(vec![text(format!(
            "Nhiệm vụ có thời hạn đến hết {}: {}, đã hoàn thành {}/{}.",
            self.period.label_vi(),
            format::count(due_so_far.due as u64),
            format::count(due_so_far.done as u64),
            format::count(due_so_far.due as u64)
        ))]);
        self.blocks.push(Block::Bullets(bullets));
        self.lead_chart(views);
        self.blocks.push(Block::Paragraph(vec![text(
            "(Chi tiết các nhiệm vụ tại Phụ lục kèm theo.)",
        )]));
    }

    /// Two trend charts over the periods up to this one: the indicators that have a
    /// national target, as the percentage of the target attained; and the rates (%)
    /// without a target, as values, when they have at least two periods.
    fn trend_chart(&mut self, programme: &Programme, indicators: &[&'a Indicator]) {
        let mut attained: Vec<(&Indicator, BTreeMap<Period, f64>)> = Vec::new();
        let mut rates: Vec<(&Indicator, BTreeMap<Period, f64>)> = Vec::new();
        let mut ordered = indicators.to_vec();
        ordered.sort_by_key(|a| status::natural_key(&a.code));
        for ind in ordered {
            let periods: std::collections::BTreeSet<Period> = self
                .data
                .observations
                .iter()
                .filter(|o| o.indicator_id == ind.id && o.period <= self.period)
                .map(|o| o.period)
                .collect();
            let values: BTreeMap<Period, f64> = periods
                .into_iter()
                .filter_map(|p| self.national_value(ind, p).map(|(v, _)| (p, v)))
                .collect();
            match self
                .data
                .targets
                .iter()
                .find(|t| t.indicator_id == ind.id && t.agency_id.is_none())
            {
                Some(target) => {
                    let points: BTreeMap<Period, f64> = values
                        .iter()
                        .filter_map(|(p, v)| indicator::attainment(target, *v).map(|a| (*p, a)))
                        .collect();
                    if !points.is_empty() {
                        attained.push((ind, points));
                    }
                }
                None if ind.is_rate() && values.len() >= 2 => rates.push((ind, values)),
                None => {}
            }
        }
        let name = programme.short_name_or_name().to_string();
        self.lines_chart(
            format!("Mức độ đạt mục tiêu của các chỉ tiêu ({name})"),
            "% mục tiêu",
            attained,
            Some((100.0, "Mục tiêu".to_string())),
            worded::SHARE_DECIMALS,
        );
        self.lines_chart(
            format!("Diễn biến các chỉ tiêu tỷ lệ ({name})"),
            "%",
            rates,
            None,
            worded::VALUE_DECIMALS,
        );
    }

    fn lines_chart(
        &mut self,
        title: String,
        unit: &str,
        lines: Vec<(&Indicator, BTreeMap<Period, f64>)>,
        reference: Option<(f64, String)>,
        decimals: usize,
    ) {
        if lines.is_empty() {
            return;
        }
        let periods: Vec<Period> = lines
            .iter()
            .flat_map(|(_, points)| points.keys().copied())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        if let [only] = periods.as_slice() {
            // One period is no trend: the indicators side by side, one bar each.
            self.blocks.push(Block::Chart(Chart {
                kind: ChartKind::StackedBars,
                title: format!("{title} {}", only.label_vi()),
                unit: unit.to_string(),
                labels: lines
                    .iter()
                    .map(|(ind, _)| format!("{}. {}", ind.code, ind.name))
                    .collect(),
                series: vec![Series {
                    name: title,
                    values: lines
                        .iter()
                        .map(|(_, points)| points.get(only).copied())
                        .collect(),
                }],
                reference,
                decimals,
            }));
            return;
        }
        self.blocks.push(Block::Chart(Chart {
            kind: ChartKind::Lines,
            title,
            unit: unit.to_string(),
            labels: periods.iter().map(Period::label_vi).collect(),
            series: lines
                .iter()
                .map(|(ind, points)| Series {
                    name: format!("{}. {}", ind.code, ind.name),
                    values: periods.iter().map(|p| points.get(p).copied()).collect(),
                })
                .collect(),
            reference,
            decimals,
        }));
    }

    /// The values agencies reported for an indicator in the period, side by side, with the
    /// national target; only when at least two agencies have a value.
    fn agency_chart(&mut self, ind: &Indicator) {
        let mut values: Vec<(&tiendo_core::model::Agency, f64)> = self
            .data
            .observations
            .iter()
            .filter(|o| o.indicator_id == ind.id && o.period == self.period)
            .filter_map(|o| {
                o.agency_id
                    .as_deref()
                    .and_then(|id| self.data.agency(id))
                    .map(|a| (a, o.value))
            })
            .collect();
        if values.len() < 2 {
            return;
        }
        values.sort_by(|(a, _), (b, _)| agency_order(a, b));
        values.dedup_by(|(a, _), (b, _)| a.id == b.id);
        let target = self
            .data
            .targets
            .iter()
            .find(|t| t.indicator_id == ind.id && t.agency_id.is_none());
        self.blocks.push(Block::Chart(Chart {
            kind: ChartKind::StackedBars,
            title: format!(
                "{}. {}: số liệu của các cơ quan {}",
                ind.code,
                ind.name,
                self.period.label_vi()
            ),
            unit: if ind.unit == "count" {
                String::new()
            } else {
                ind.unit.clone()
            },
            labels: values.iter().map(|(a, _)| a.short_name.clone()).collect(),
            series: vec![Series {
                name: ind.name.clone(),
                values: values.iter().map(|(_, v)| Some(*v)).collect(),
            }],
            reference: target.map(|t| {
                (
                    t.value,
                    format!("Mục tiêu {}", worded::target(ind, t, Lang::Vi)),
                )
            }),
            decimals: worded::VALUE_DECIMALS,
        }));
    }

    /// Tasks per lead agency by status; only when tasks have at least two leads.
    fn lead_chart(&mut self, views: &[TaskView<'a>]) {
        let per_lead = status::counts_per_lead(self.data, views, self.as_of);
        if per_lead.len() < 2 {
            return;
        }
        let series = |name: &str, f: fn(&TaskCounts) -> usize| Series {
            name: name.to_string(),
            values: per_lead.iter().map(|(_, c)| Some(f(c) as f64)).collect(),
        };
        self.blocks.push(Block::Chart(Chart {
            kind: ChartKind::StackedBars,
            title: format!(
                "Tình hình thực hiện nhiệm vụ theo cơ quan chủ trì (đến ngày {})",
                format::date(self.as_of)
            ),
            unit: "nhiệm vụ".to_string(),
            labels: per_lead
                .iter()
                .map(|(lead, _)| self.data.assignee_name(lead))
                .collect(),
            series: vec![
                series("Đã hoàn thành", |c| c.done),
                series("Đang thực hiện", |c| c.in_progress + c.not_started),
                series("Quá hạn", |c| c.overdue),
                series("Chưa xác định thời hạn", |c| c.no_due_date),
            ],
            reference: None,
            decimals: 0,
        }));
    }

    fn shortcomings(&mut self, programmes: &[&'a Programme]) {
        self.blocks
            .push(Block::Heading(3, "II. TỒN TẠI, HẠN CHẾ".to_string()));
        self.written(Section::Shortcomings);
        let ids: Vec<&str> = programmes.iter().map(|p| p.id.as_str()).collect();
        let views = status::task_views(self.data, &ids, self.as_of);
        let overdue: Vec<&TaskView> = views
            .iter()
            .filter(|v| v.status == TaskStatus::Overdue)
            .collect();
        let mut bullets = Vec::new();
        if overdue.is_empty() {
            bullets.push(vec![text("Không có nhiệm vụ quá hạn.")]);
        } else {
            let cohorts = status::overdue_cohorts(&views, self.as_of);
            let mut line = vec![
                text("Còn "),
                figure(
                    format!("{} nhiệm vụ quá hạn", format::count(overdue.len() as u64)),
                    overdue.iter().map(|v| task_source(v)).collect(),
                ),
                text(", trong đó: "),
            ];
            let parts: Vec<(Period, &Vec<&TaskView>)> =
                cohorts.iter().map(|(p, l)| (*p, l)).collect();
            for (i, (cohort, list)) in parts.iter().enumerate() {
                if i > 0 {
                    line.push(text("; "));
                }
                line.push(figure(
                    format!(
                        "{} nhiệm vụ đến hạn từ {}",
                        format::count(list.len() as u64),
                        cohort.label_vi()
                    ),
                    list.iter().map(|v| task_source(v)).collect(),
                ));
            }
            line.push(text("."));
            bullets.push(line);
            for v in &overdue {
                let leads: Vec<String> = self
                    .data
                    .leads_of(v.task)
                    .iter()
                    .map(|l| self.lead_label(l))
                    .collect();
                let mut line = vec![text(format!(
                    "Nhiệm vụ {} “{}” (",
                    v.task.number, v.task.title
                ))];
                line.extend(agency_list(&leads, "cơ quan chủ trì", "Cơ quan chủ trì"));
                line.extend([
                    text(format!(", thời hạn: {}", v.task.deadline.text)),
                    text(
                        v.due
                            .map(|d| format!(", đến hạn ngày {}", format::date(d)))
                            .unwrap_or_default(),
                    ),
                    text(format!(
                        ") quá hạn {} ngày.",
                        v.days_late.unwrap_or_default()
                    )),
                ]);
                bullets.push(line);
            }
            let per_lead = status::counts_per_lead(self.data, &views, self.structure_date);
            let (agencies, groups): (Vec<_>, Vec<_>) = per_lead
                .iter()
                .filter(|(_, c)| c.overdue > 0)
                .partition(|(lead, _)| matches!(lead, Assignee::Agency(_)));
            let counted = |list: &[&(Assignee, TaskCounts)]| -> Vec<String> {
                list.iter()
                    .map(|(lead, c)| {
                        format!(
                            "{} ({}/{})",
                            self.data.assignee_name(lead),
                            format::count(c.overdue as u64),
                            format::count(c.total as u64)
                        )
                    })
                    .collect()
            };
            if !agencies.is_empty() {
                let mut line = vec![text("Cơ quan chủ trì có nhiệm vụ quá hạn: ")];
                line.extend(agency_list(
                    &counted(&agencies),
                    "cơ quan",
                    "Số nhiệm vụ quá hạn/tổng số được giao",
                ));
                line.push(text("."));
                bullets.push(line);
            }
            // A task given to a whole group ("bộ, ngành, địa phương") is not one agency's.
            if !groups.is_empty() {
                bullets.push(vec![text(format!(
                    "Nhiệm vụ giao chung quá hạn (số quá hạn/tổng số được giao): {}.",
                    counted(&groups).join("; ")
                ))]);
            }
        }
        for programme in programmes {
            for requirement in self
                .data
                .checklist_requirements
                .iter()
                .filter(|r| r.programme_id == programme.id)
            {
                let result = structure::restate_checklist(
                    self.data,
                    requirement,
                    self.as_of,
                    self.structure_date,
                );
                let mut not_done: Vec<&RestatedUnit> =
                    result.groups.iter().flat_map(|g| g.not_done()).collect();
                not_done.sort_by(|a, b| agency_order(a.agency, b.agency));
                let names: Vec<String> = not_done.iter().map(|u| unit_name(u)).collect();
                let mut line = vec![text(format!(
                    "Chưa hoàn thành yêu cầu “{}”: ",
                    requirement.title
                ))];
                match names.as_slice() {
                    [] => continue,
                    [one] => line.push(text(one)),
                    _ => line.extend([
                        text(format!("{} cơ quan", format::count(names.len() as u64))),
                        Inline::Footnote(format!(
                            "{} cơ quan chưa thực hiện: {}.",
                            format::count(names.len() as u64),
                            names.join(", ")
                        )),
                    ]),
                }
                line.push(text("."));
                bullets.push(line);
            }
            for ind in self
                .data
                .indicators
                .iter()
                .filter(|i| i.programme_id == programme.id)
            {
                let (Some((cur, _)), Some((prev, _))) = (
                    self.national_value(ind, self.period),
                    self.national_value(ind, self.period.previous()),
                ) else {
                    continue;
                };
                if !self.comparable(ind, self.period.previous()) {
                    continue;
                }
                let c = indicator::change(ind, self.period.previous(), prev, cur);
                if c.improved == Some(false) {
                    bullets.push(vec![text(format!(
                        "Chỉ tiêu “{}” diễn biến không thuận lợi: {}.",
                        ind.name,
                        worded::change(&c, Lang::Vi)
                    ))]);
                }
            }
        }
        self.blocks.push(Block::Bullets(bullets));
    }

    fn next_tasks(&mut self, programmes: &[&'a Programme]) {
        self.blocks.push(Block::Heading(
            3,
            "III. NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM THỜI GIAN TỚI".to_string(),
        ));
        self.written(Section::NextTasks);
        let ids: Vec<&str> = programmes.iter().map(|p| p.id.as_str()).collect();
        let views = status::task_views(self.data, &ids, self.as_of);
        let next = self.period.next();
        let (from, to) = next.bounds(tiendo_core::period::ReportingRegime::CalendarMonth);
        let upcoming: Vec<&TaskView> = views
            .iter()
            .filter(|v| {
                !v.status.is_done()
                    && v.task.deadline.recurrence.is_none()
                    && v.due.is_some_and(|d| d <= to && d >= from.min(self.as_of))
            })
            .collect();
        let mut bullets = Vec::new();
        let overdue = views
            .iter()
            .filter(|v| v.status == TaskStatus::Overdue)
            .count();
        if overdue > 0 {
            bullets.push(vec![text(format!(
                "Tập trung hoàn thành dứt điểm {} nhiệm vụ đã quá hạn (mục II).",
                format::count(overdue as u64)
            ))]);
        }
        if upcoming.is_empty() {
            let other = if overdue > 0 { " nào khác" } else { "" };
            bullets.push(vec![text(format!(
                "Không có nhiệm vụ{other} chưa hoàn thành có thời hạn đến hết {}.",
                next.label_vi()
            ))]);
        } else {
            bullets.push(vec![
                text("Bảo đảm hoàn thành đúng hạn "),
                figure(
                    format!(
                        "{} nhiệm vụ chưa hoàn thành có thời hạn đến hết {}",
                        format::count(upcoming.len() as u64),
                        next.label_vi()
                    ),
                    upcoming.iter().map(|v| task_source(v)).collect(),
                ),
                text(": "),
                text(
                    upcoming
                        .iter()
                        .map(|v| {
                            format!(
                                "{} ({}, thời hạn: {})",
                                v.task.title,
                                self.leads_label(v.task),
                                v.task.deadline.text
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                text("."),
            ]);
        }
        self.blocks.push(Block::Bullets(bullets));
    }

    fn recommendations(&mut self, programmes: &[&'a Programme]) {
        self.blocks
            .push(Block::Heading(3, "IV. ĐỀ XUẤT, KIẾN NGHỊ".to_string()));
        self.written(Section::Recommendations);
        let ids: Vec<&str> = programmes.iter().map(|p| p.id.as_str()).collect();
        let views = status::task_views(self.data, &ids, self.as_of);
        let per_lead = status::counts_per_lead(self.data, &views, self.structure_date);
        let mut bullets = Vec::new();
        let overdue: Vec<(&Assignee, usize)> = per_lead
            .iter()
            .filter(|(_, c)| c.overdue > 0)
            .map(|(l, c)| (l, c.overdue))
            .collect();
        let (leads, groups): (Vec<_>, Vec<_>) = overdue
            .into_iter()
            .partition(|(l, _)| matches!(l, Assignee::Agency(_)));
        let named = |list: &[(&Assignee, usize)]| -> Vec<String> {
            list.iter()
                .map(|(l, n)| {
                    format!(
                        "{} ({} nhiệm vụ)",
                        self.data.assignee_name(l),
                        format::count(*n as u64)
                    )
                })
                .collect()
        };
        // Two or more leads are named once, in section II's footnote.
        match leads.as_slice() {
            [] => {}
            [_] => bullets.push(vec![text(format!(
                "Đề nghị {} khẩn trương hoàn thành các nhiệm vụ đã quá hạn.",
                named(&leads)[0]
            ))]),
            _ => bullets.push(vec![text(format!(
                "Đề nghị {} cơ quan chủ trì có nhiệm vụ quá hạn (mục II) khẩn trương hoàn thành các nhiệm vụ đã quá hạn.",
                format::count(leads.len() as u64)
            ))]),
        }
        if !groups.is_empty() {
            bullets.push(vec![text(format!("Đề nghị các cơ quan được giao chung khẩn trương hoàn thành các nhiệm vụ đã quá hạn: {}.", named(&groups).join("; ")))]);
        }
        if self.narrative.blocks(Section::Recommendations).is_empty() {
            bullets.push(vec![text("Đề nghị các bộ, ngành, địa phương cập nhật đầy đủ, đúng hạn tình hình thực hiện nhiệm vụ, số liệu chỉ tiêu và minh chứng trên hệ thống để bảo đảm rõ người, rõ việc, rõ thời gian, rõ kết quả.")]);
        }
        if !bullets.is_empty() {
            self.blocks.push(Block::Bullets(bullets));
        }
    }

    fn appendices(&mut self) {
        let mut n = 0;
        if !self.appendix_indicators.is_empty() {
            n += 1;
            self.blocks.push(Block::Appendix {
                label: format!("Phụ lục {}", format::roman(n)),
                title: format!(
                    "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU {}",
                    self.period.label_vi().to_uppercase()
                ),
            });
            let header = [
                "TT",
                "Chỉ tiêu",
                "Mục tiêu",
                "Kỳ trước",
                "Kỳ này",
                "Thay đổi",
                "Đạt (% mục tiêu)",
            ];
            self.blocks.push(Block::Table {
                header: header.map(str::to_string).to_vec(),
                rows: std::mem::take(&mut self.appendix_indicators),
            });
        }
        if !self.appendix_classes.is_empty() {
            n += 1;
            self.blocks.push(Block::Appendix {
                label: format!("Phụ lục {}", format::roman(n)),
                title: "PHÂN LOẠI MỤC TIÊU".to_string(),
            });
            let header = [
                "Mã",
                "Chỉ tiêu",
                "Kết quả",
                "Mục tiêu",
                "Phân loại theo quy tắc",
                "Đánh giá của cơ quan (nếu có)",
            ];
            self.blocks.push(Block::Table {
                header: header.map(str::to_string).to_vec(),
                rows: std::mem::take(&mut self.appendix_classes),
            });
        }
        for (title, rows) in std::mem::take(&mut self.appendix_rankings) {
            n += 1;
            self.blocks.push(Block::Appendix {
                label: format!("Phụ lục {}", format::roman(n)),
                title: title.to_uppercase(),
            });
            let header = ["Hạng", "Cơ quan, đơn vị", "Giá trị", "Tử số/mẫu số"];
            self.blocks.push(Block::Table {
                header: header.map(str::to_string).to_vec(),
                rows,
            });
        }
        for (programme, views) in std::mem::take(&mut self.appendix_tasks) {
            n += 1;
            self.blocks.push(Block::Appendix {
                label: format!("Phụ lục {}", format::roman(n)),
                title: tasks_appendix_title(&programme.name),
            });
            let mut ordered = views;
            ordered.sort_by_key(|a| status::natural_key(&a.task.number));
            let coordinating: Vec<String> = ordered
                .iter()
                .map(|v| {
                    self.data
                        .assignee_names(self.data.coordinating_of(v.task).iter())
                })
                .collect();
            // A column empty in every row is left out.
            let with_coordinating = coordinating.iter().any(|c| !c.is_empty());
            let rows = ordered
                .iter()
                .zip(coordinating)
                .map(|(v, coordinating)| {
                    let mut cells = vec![
                        vec![text(&v.task.number)],
                        vec![text(&v.task.title)],
                        vec![text(deadline_text(&v.task.deadline.text, v.due))],
                        vec![text(self.leads_label(v.task))],
                    ];
                    if with_coordinating {
                        cells.push(vec![text(coordinating)]);
                    }
                    cells.push(vec![text(v.status.label_vi_for(&v.task.deadline))]);
                    let mut result = self.progress_cells(v);
                    result.push(text(
                        v.update.map_or("Chưa có báo cáo", |u| u.result.as_str()),
                    ));
                    cells.push(result);
                    TableRow {
                        anchor: Some(task_anchor(&v.task.id)),
                        cells,
                    }
                })
                .collect();
            let header = [
                "TT",
                "Nhiệm vụ",
                "Thời gian hoàn thành",
                "Cơ quan chủ trì",
                "Cơ quan phối hợp",
                "Trạng thái",
                "Kết quả thực hiện",
            ]
            .into_iter()
            .filter(|h| with_coordinating || *h != "Cơ quan phối hợp")
            .map(str::to_string)
            .collect();
            self.blocks.push(Block::Table { header, rows });
        }
    }
}

/// The title of a programme's task appendix: "KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ THEO KẾ HOẠCH
/// …", and for a programme named "Nhiệm vụ theo Kết luận …", "… CÁC NHIỆM VỤ THEO KẾT LUẬN
/// …" (not "NHIỆM VỤ THEO NHIỆM VỤ THEO").
fn tasks_appendix_title(programme_name: &str) -> String {
    let name = programme_name.trim().to_uppercase();
    match name.strip_prefix("NHIỆM VỤ ") {
        Some(rest) => format!("KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ {rest}"),
        None => format!("KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ THEO {name}"),
    }
}

/// A deadline as written, with its date when the words do not already say it: "Tháng
/// 4/2024 (30/4/2024)", but "15/4/2024", not "15/4/2024 (15/4/2024)".
fn deadline_text(written: &str, due: Option<NaiveDate>) -> String {
    match due.map(format::date) {
        Some(date)
            if !written.contains(&date) && !written.contains(date.trim_start_matches('0')) =>
        {
            format!("{written} ({date})")
        }
        _ => written.to_string(),
    }
}

/// A unit's name, with the units it was restated from: "Lào Cai (gồm: Lào Cai, Yên Bái)",
/// "Huế (trước đây: Thừa Thiên Huế)".
pub(crate) fn unit_name(unit: &RestatedUnit<'_>) -> String {
    match unit.parts.as_slice() {
        [] => unit.agency.short_name.clone(),
        [only] if only.is_same_unit() => unit.agency.short_name.clone(),
        [only] if only.via.iter().all(|e| e.kind == LineageKind::Renamed) => {
            let later = only
                .via
                .first()
                .is_some_and(|e| e.from_agency == unit.agency.id);
            let relation = if later {
                "số liệu của"
            } else {
                "trước đây"
            };
            format!(
                "{} ({relation}: {}{})",
                unit.agency.short_name,
                only.agency.short_name,
                not_confirmed(&only.via)
            )
        }
        parts => {
            let mut ordered: Vec<&Part> = parts.iter().collect();
            ordered.sort_by(|a, b| agency_order(a.agency, b.agency));
            let names: Vec<String> = ordered
                .iter()
                .map(|p| {
                    if p.fraction == Fraction::Whole {
                        p.agency.short_name.clone()
                    } else {
                        format!("một phần {}", p.agency.short_name)
                    }
                })
                .collect();
            let edges: Vec<&LineageEdge> =
                parts.iter().flat_map(|p| p.via.iter().copied()).collect();
            format!(
                "{} (gồm: {}{})",
                unit.agency.short_name,
                names.join(", "),
                not_confirmed(&edges)
            )
        }
    }
}

/// "; chưa xác nhận" when a lineage edge used is marked not confirmed in the registry.
fn not_confirmed(edges: &[&LineageEdge]) -> &'static str {
    if edges
        .iter()
        .any(|e| e.confidence == Confidence::NotConfirmed)
    {
        "; sắp xếp chưa được xác nhận"
    } else {
        ""
    }
}

pub(crate) fn checklist_figure(result: &RestatedChecklist<'_>) -> Vec<Inline> {
    let mut out = Vec::new();
    let phrases: Vec<String> = result
        .groups
        .iter()
        .map(|g| format::of_total(g.numerator(), g.denominator(), &g.counted_as))
        .collect();
    for (i, (g, phrase)) in result.groups.iter().zip(&phrases).enumerate() {
        let separator = format::list_vi_separator(&phrases, i);
        if !separator.is_empty() {
            out.push(text(separator));
        }
        let sources = g
            .done()
            .map(|u| Source {
                anchor: None,
                label: format!("{}: đã thực hiện", unit_name(u)),
            })
            .collect();
        out.push(figure(phrase.clone(), sources));
        let unknown = g.not_restatable().count();
        if unknown > 0 {
            out.push(text(format!(
                " ({} không quy đổi được)",
                format::count(unknown as u64)
            )));
        }
    }
    let unknown: usize = result
        .groups
        .iter()
        .map(|g| g.not_restatable().count())
        .sum();
    let known = result.denominator() - unknown;
    if let Some(p) = worded::share_of(result.numerator(), known, Lang::Vi) {
        let of = if unknown > 0 {
            " số cơ quan quy đổi được"
        } else {
            ""
        };
        out.push(text(format!(" (đạt {p}{of})")));
    }
    out
}

fn ordered_by_code<'a>(indicators: &[&'a Indicator]) -> Vec<&'a Indicator> {
    let mut ordered = indicators.to_vec();
    ordered.sort_by_key(|i| status::natural_key(&i.code));
    ordered
}

/// The subject line of a programme's report: "Tình hình thực hiện <programme> tháng 5
/// năm 2024"; "trong" before the period when the name itself ends with a year ("…, định
/// hướng đến năm 2030 trong năm 2023"), so the two years do not run together.
pub fn subject_of(programme: &Programme, period: Period) -> String {
    let joint = if programme
        .name
        .trim_end()
        .ends_with(|c: char| c.is_ascii_digit())
    {
        " trong "
    } else {
        " "
    };
    format!(
        "Tình hình thực hiện {}{joint}{}",
        programme.name.trim_end(),
        period.label_vi()
    )
}

/// A list of agencies inside a sentence: one agency by name, two or more by their count
/// ("05 cơ quan") with the names in a footnote, as the official reports do.
fn agency_list(names: &[String], noun: &str, note: &str) -> Vec<Inline> {
    if names.len() < 2 {
        return vec![text(names.join("; "))];
    }
    vec![
        text(format!("{} {noun}", format::count(names.len() as u64))),
        Inline::Footnote(format!("{note}: {}.", names.join("; "))),
    ]
}

/// "Tình hình …" → "tình hình …", for a phrase inside a sentence.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_lowercase().chain(chars).collect())
}

/// A legal document as a sentence names it: "Quyết định số 942/QĐ-TTg ngày 15/6/2021 của
/// Thủ tướng Chính phủ phê duyệt Chiến lược …"; a title that is not an action ("Kế hoạch
/// …") follows "ban hành", any other title "về".
pub(crate) fn legal_reference(d: &tiendo_core::model::LegalDocument) -> String {
    const ACTIONS: [&str; 6] = [
        "Phê duyệt",
        "Ban hành",
        "Quy định",
        "Tiếp tục",
        "Thông báo",
        "Về ",
    ];
    const ISSUED: [&str; 5] = ["Kế hoạch", "Chương trình", "Chiến lược", "Đề án", "Quy chế"];
    let date = d
        .date
        .map(|d| format!(" ngày {}", format::date(d)))
        .unwrap_or_default();
    // A title that repeats the kind ("Thông báo Kết luận …" of a notice, "Nghị quyết
    // Phiên họp …" of a resolution) is not written twice.
    let title = d.title.trim();
    let title = match title.strip_prefix(kind_name(d.kind)) {
        Some(rest) if rest.starts_with(' ') => rest.trim_start(),
        _ => title,
    };
    let title = if title.is_empty() {
        String::new()
    } else if ACTIONS.iter().any(|a| title.starts_with(a)) {
        format!(" {}", lower_first(title))
    } else if ISSUED.iter().any(|a| title.starts_with(a)) {
        format!(" ban hành {title}")
    } else if title.starts_with("Phiên họp") {
        format!(" {}", lower_first(title))
    } else {
        format!(" về {title}")
    };
    let number = if d.number.is_empty() {
        String::new()
    } else {
        format!(" số {}", d.number)
    };
    format!(
        "{}{number}{date} của {}{title}",
        kind_name(d.kind),
        d.issuer
    )
}

fn kind_name(kind: tiendo_core::model::LegalDocumentKind) -> &'static str {
    use tiendo_core::model::LegalDocumentKind::*;
    match kind {
        Decision => "Quyết định",
        Directive => "Chỉ thị",
        Resolution => "Nghị quyết",
        Notice => "Thông báo",
        OfficialLetter => "Công văn",
        Decree => "Nghị định",
        Circular => "Thông tư",
        Report => "Báo cáo",
        Law => "Luật",
        Plan => "Kế hoạch",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tiendo_core::model::{LegalDocument, LegalDocumentKind};

    fn document(kind: LegalDocumentKind, number: &str, title: &str) -> LegalDocument {
        LegalDocument {
            id: "d".into(),
            kind,
            number: number.into(),
            date: NaiveDate::from_ymd_opt(2024, 6, 5),
            issuer: "Chính phủ".into(),
            title: title.into(),
            provenance: "nguồn".into(),
        }
    }

    /// Issue 28: "Thông báo … của Văn phòng Chính phủ thông báo Kết luận …" named the kind
    /// twice.
    #[test]
    fn a_title_that_repeats_the_kind_is_not_written_twice() {
        let notice = LegalDocument {
            issuer: "Văn phòng Chính phủ".into(),
            date: None,
            ..document(
                LegalDocumentKind::Notice,
                "",
                "Thông báo Kết luận Hội nghị sơ kết 6 tháng đầu năm 2024",
            )
        };
        assert_eq!(
            legal_reference(&notice),
            "Thông báo của Văn phòng Chính phủ về Kết luận Hội nghị sơ kết 6 tháng đầu năm 2024"
        );
        let resolution = document(
            LegalDocumentKind::Resolution,
            "82/NQ-CP",
            "Nghị quyết Phiên họp Chính phủ thường kỳ tháng 5 năm 2024",
        );
        assert_eq!(
            legal_reference(&resolution),
            "Nghị quyết số 82/NQ-CP ngày 05/6/2024 của Chính phủ phiên họp Chính phủ thường kỳ tháng 5 năm 2024"
        );
        let decision = document(
            LegalDocumentKind::Decision,
            "749/QĐ-TTg",
            "Phê duyệt Chương trình Chuyển đổi số quốc gia",
        );
        assert_eq!(
            legal_reference(&decision),
            "Quyết định số 749/QĐ-TTg ngày 05/6/2024 của Chính phủ phê duyệt Chương trình Chuyển đổi số quốc gia"
        );
    }
}
