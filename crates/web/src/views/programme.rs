//! A programme's page: its card, overdue tasks by month due, checklists and leads.

use chrono::NaiveDate;
use serde::Serialize;
use tiendo_core::model::Dataset;
use tiendo_core::period::Period;
use tiendo_core::{checklist, clock, figure, status, structure};
use utoipa::ToSchema;

use super::overview::{ProgrammeCard, programme_card};
use super::{Counts, assignee_id, period_label};
use crate::i18n::Lang;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChecklistLine {
    pub id: String,
    pub title: String,
    /// "17/22 bộ, ngành; 54/63 địa phương".
    pub groups: Vec<String>,
    /// The figure as every surface writes it ([`tiendo_core::figure::checklist`]):
    /// "17/22 bộ, ngành và 54/63 địa phương (đạt 83,5%)".
    pub text: String,
    pub combined: String,
    pub share: Option<String>,
    pub not_done: Vec<String>,
    /// Members the requirement does not apply to, with the reason: "VPCP (…)".
    pub excluded: Vec<String>,
}

pub fn checklist_lines(
    data: &Dataset,
    programme_ids: &[&str],
    date: NaiveDate,
) -> Vec<ChecklistLine> {
    data.checklist_requirements
        .iter()
        .filter(|r| programme_ids.contains(&r.programme_id.as_str()))
        .map(|r| {
            let result = structure::restate_checklist(data, r, date, date);
            ChecklistLine {
                id: r.id.clone(),
                title: r.title.clone(),
                groups: figure::checklist_groups(&result),
                text: figure::checklist(&result),
                combined: format!("{}/{}", result.numerator(), result.denominator()),
                share: figure::share_of(result.numerator(), result.denominator(), Lang::Vi),
                not_done: result
                    .groups
                    .iter()
                    .flat_map(|g| g.not_done())
                    .map(|u| u.agency.short_name.clone())
                    .collect(),
                excluded: result
                    .excluded
                    .iter()
                    .map(|e| checklist::exclusion_label(data, e))
                    .collect(),
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
    /// The agencies that lead or jointly lead tasks, in official order.
    pub leads: Vec<LeadCounts>,
    /// Tasks given to a whole group ("bộ, ngành, địa phương"): not an agency, so listed
    /// apart from the agencies.
    pub group_leads: Vec<LeadCounts>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LeadCounts {
    pub lead: String,
    pub lead_id: String,
    pub counts: Counts,
}

pub fn programme_page(
    data: &Dataset,
    id: &str,
    period: Option<Period>,
    lang: Lang,
) -> Option<ProgrammePage> {
    let programme = data.programme(id)?;
    let card = programme_card(data, programme, period, lang);
    let family = data.programme_family(id);
    let ids: Vec<&str> = family.iter().map(|p| p.id.as_str()).collect();
    let as_of =
        clock::programme_dates(data, programme, period, None, clock::today_in_vietnam()).as_of;
    let views = status::task_views(data, &ids, as_of);
    let cohorts = status::overdue_cohorts(&views, as_of)
        .into_iter()
        .map(|(p, list)| Cohort {
            label: period_label(p, lang),
            count: list.len(),
            task_ids: list.iter().map(|v| v.task.id.clone()).collect(),
        })
        .collect();
    let (groups, agencies): (Vec<_>, Vec<_>) = status::counts_per_lead(data, &views, as_of)
        .into_iter()
        .partition(|(lead, _)| matches!(lead, tiendo_core::model::Assignee::Group(_)));
    let counts =
        |rows: Vec<(tiendo_core::model::Assignee, status::TaskCounts)>| -> Vec<LeadCounts> {
            rows.into_iter()
                .map(|(lead, c)| LeadCounts {
                    lead: data.assignee_name(&lead),
                    lead_id: assignee_id(&lead).to_string(),
                    counts: Counts::of(c, lang),
                })
                .collect()
        };
    let (leads, group_leads) = (counts(agencies), counts(groups));
    Some(ProgrammePage {
        legal_basis: programme
            .legal_basis
            .iter()
            .map(|d| {
                data.legal_document(d)
                    .map_or_else(|| d.clone(), |d| format!("{} {}", d.number, d.title))
            })
            .collect::<Vec<_>>()
            .join("; "),
        sub_programmes: family[1..].iter().map(|p| p.name.clone()).collect(),
        cohorts,
        checklists: checklist_lines(data, &ids, as_of),
        leads,
        group_leads,
        card,
    })
}
