//! The structure of the administration over time (DOMAIN §6): which agencies exist on a
//! date, how an official code resolves on a date, who succeeded whom, and *restated
//! views*: checklists, indicator values, series and rankings shown in the structure of a
//! chosen date without changing any stored record.
//!
//! Two dates are at play in a restated view: the **data date** (the end of the period the
//! records describe) and the **structure date** (the date whose agencies and groups the
//! figures are shown in). When they are equal nothing is restated.
//!
//! # Lineage rules
//!
//! A [`Restatement`] maps every agency valid on the structure date to the agencies valid on
//! the data date whose records make it up (its *parts*):
//!
//! 1. **Same unit**: an agency valid on both dates is a part of itself (Hà Nội, Bộ Tài chính).
//! 2. **`merged_into`**: the whole predecessor is a part of its successor (Yên Bái and Lào
//!    Cai in the new Lào Cai; Bộ KH&ĐT in Bộ Tài chính).
//! 3. **`moved_under`**: as a merge for figures: the body's records count in its new parent.
//! 4. **`renamed`**: one to one, in both directions (Thừa Thiên Huế ↔ Thành phố Huế).
//! 5. **`split_into`**: the predecessor is a part of every successor that received some of
//!    its functions, with the edge's `share` when one is configured (numbers are then
//!    apportioned and marked as estimates); without a share a number cannot be apportioned.
//! 6. Edges are followed in chains (a rename then a merge) when their effective dates lie
//!    after the data date and on or before the structure date.
//! 7. **Backwards** (structure date before the data date, "as in 2024" for 2025 data): only
//!    chains of the same unit and renames can be restated; a unit whose records are now
//!    inside a merged or split unit cannot be separated again and is *not restatable*
//!    (for checklists a unit that exists on both dates keeps its own record).
//!
//! How parts combine is a per-indicator rule ([`IndicatorRestatement`]: sums add up; ratios
//! add numerators and denominators; means are estimates; `none` is never restated) and a
//! per-requirement rule for checklists ([`ChecklistRestatement`]: done when all predecessors
//! had done it, or when any had; `none`). A restated number needs a value for every part;
//! a checklist counts only the parts that were members of the group on the data date
//! (Bảo hiểm xã hội, a government agency moved under Bộ Tài chính, does not change Bộ Tài
//! chính's result among "bộ, cơ quan ngang bộ"). A value that cannot be combined is
//! returned as not restatable with the reason, never invented.
//!
//! **Periods that straddle a change** (2025 as a year) are reported on the structure valid
//! at the end of the period. A unit created during the period that has no checklist record
//! of its own is judged on its predecessors' records by the requirement's rule.
//!
//! **Tasks** whose lead agency no longer exists pass to its successor from the effective
//! date ([`lead_on`]): through merges, moves and renames, and through a split to the
//! successor marked `principal`; the task's history stays under the old agency.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{
    Agency, Assignee, ChecklistRequirement, ChecklistRestatement, Dataset, Direction, Exclusion,
    Indicator, IndicatorRestatement, LineageEdge, LineageKind, Observation, SourceKind,
    agency_order,
};
use crate::period::{Period, ReportingRegime};

/// The agencies that exist on a date, in the documented list order.
pub fn agencies_on(data: &Dataset, date: NaiveDate) -> Vec<&Agency> {
    let mut out: Vec<&Agency> = data.agencies.iter().filter(|a| a.valid_on(date)).collect();
    out.sort_by(|a, b| agency_order(a, b));
    out
}

/// The dates on which the structure changed (the effective dates of lineage edges),
/// oldest first: the choices of a "cơ cấu tổ chức theo ngày …" switch besides today.
pub fn change_dates(data: &Dataset) -> Vec<NaiveDate> {
    let mut dates: Vec<NaiveDate> = data.lineage.iter().map(|e| e.effective).collect();
    dates.sort();
    dates.dedup();
    dates
}

/// Why an official code could not be resolved to one agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub enum ResolveError {
    #[error("không có cơ quan mang mã \"{code}\" có hiệu lực ngày {date}")]
    Unknown { code: String, date: NaiveDate },
    #[error("mã \"{code}\" ứng với nhiều cơ quan có hiệu lực ngày {date}: {}", ids.join(", "))]
    Ambiguous {
        code: String,
        date: NaiveDate,
        ids: Vec<String>,
    },
}

/// The agency that bears an official code on a date. Codes are reused across eras (15
/// is Yên Bái until 30/6/2025 and Lào Cai after), so a code means nothing without a date.
pub fn resolve_code<'a>(
    agencies: impl IntoIterator<Item = &'a Agency>,
    code: &str,
    date: NaiveDate,
) -> Result<&'a Agency, ResolveError> {
    let found: Vec<&Agency> = agencies
        .into_iter()
        .filter(|a| a.code == code && a.valid_on(date))
        .collect();
    match found.as_slice() {
        [one] => Ok(one),
        [] => Err(ResolveError::Unknown {
            code: code.to_string(),
            date,
        }),
        many => Err(ResolveError::Ambiguous {
            code: code.to_string(),
            date,
            ids: many.iter().map(|a| a.id.clone()).collect(),
        }),
    }
}

/// The lineage edges leaving an agency (what it became), oldest first.
pub fn successors<'a>(data: &'a Dataset, agency_id: &str) -> Vec<&'a LineageEdge> {
    let mut edges: Vec<&LineageEdge> = data
        .lineage
        .iter()
        .filter(|e| e.from_agency == agency_id)
        .collect();
    edges.sort_by(|a, b| (a.effective, &a.to_agency).cmp(&(b.effective, &b.to_agency)));
    edges
}

/// The lineage edges arriving at an agency (what it was formed from), oldest first.
pub fn predecessors<'a>(data: &'a Dataset, agency_id: &str) -> Vec<&'a LineageEdge> {
    let mut edges: Vec<&LineageEdge> = data
        .lineage
        .iter()
        .filter(|e| e.to_agency == agency_id)
        .collect();
    edges.sort_by(|a, b| (a.effective, &a.from_agency).cmp(&(b.effective, &b.from_agency)));
    edges
}

/// How much of a unit goes into another.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Fraction {
    /// All of it (same unit, merge, move, rename).
    Whole,
    /// A configured share of a split (an estimate).
    Share(f64),
    /// Part of a split with no configured share: numbers cannot be apportioned.
    Unknown,
}

impl Fraction {
    fn through(self, edge: &LineageEdge) -> Fraction {
        if edge.kind != LineageKind::SplitInto {
            return self;
        }
        match (self, edge.share) {
            (Fraction::Whole, Some(s)) => Fraction::Share(s),
            (Fraction::Share(a), Some(s)) => Fraction::Share(a * s),
            _ => Fraction::Unknown,
        }
    }
}

/// A unit valid on the data date that makes up (part of) a unit of the structure date.
#[derive(Debug, Clone, Serialize)]
pub struct Part<'a> {
    pub agency: &'a Agency,
    pub fraction: Fraction,
    /// The lineage edges followed, in order; empty for the same unit.
    pub via: Vec<&'a LineageEdge>,
}

impl Part<'_> {
    /// Whether this part is the unit itself, unchanged.
    pub fn is_same_unit(&self) -> bool {
        self.via.is_empty()
    }
}

/// Longest chain of lineage edges followed (guards against cycles in the data).
const MAX_CHAIN: usize = 16;

/// Where a unit valid on `from` ends up on `to` (following edges effective in `(from, to]`).
fn forward<'a>(
    data: &'a Dataset,
    agency: &'a Agency,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<(&'a Agency, Fraction, Vec<&'a LineageEdge>)> {
    let mut out = Vec::new();
    let mut stack = vec![(agency, Fraction::Whole, Vec::new())];
    while let Some((unit, fraction, via)) = stack.pop() {
        if unit.valid_on(to) {
            out.push((unit, fraction, via));
            continue;
        }
        if via.len() >= MAX_CHAIN {
            continue;
        }
        for edge in successors(data, &unit.id)
            .into_iter()
            .filter(|e| from < e.effective && e.effective <= to)
        {
            if let Some(next) = data.agency(&edge.to_agency) {
                let mut chain = via.clone();
                chain.push(edge);
                stack.push((next, fraction.through(edge), chain));
            }
        }
    }
    out
}

/// Why a unit's figure cannot be shown in the chosen structure.
pub type NotRestatable = String;

/// The parts of every unit of a structure date, taken from the units of a data date.
#[derive(Debug, Clone)]
pub struct Restatement<'a> {
    pub data_date: NaiveDate,
    pub structure_date: NaiveDate,
    parts: BTreeMap<&'a str, Result<Vec<Part<'a>>, NotRestatable>>,
}

impl<'a> Restatement<'a> {
    /// Map the units of `structure_date` to the units of `data_date` by the lineage rules.
    pub fn new(
        data: &'a Dataset,
        data_date: NaiveDate,
        structure_date: NaiveDate,
    ) -> Restatement<'a> {
        let mut parts: BTreeMap<&'a str, Result<Vec<Part<'a>>, NotRestatable>> = BTreeMap::new();
        if data_date <= structure_date {
            for unit in data.agencies.iter().filter(|a| a.valid_on(data_date)) {
                for (target, fraction, via) in forward(data, unit, data_date, structure_date) {
                    if let Ok(list) = parts
                        .entry(target.id.as_str())
                        .or_insert_with(|| Ok(Vec::new()))
                    {
                        list.push(Part {
                            agency: unit,
                            fraction,
                            via,
                        });
                    }
                }
            }
        } else {
            let back = Restatement::new(data, structure_date, data_date);
            for unit in data.agencies.iter().filter(|a| a.valid_on(structure_date)) {
                let images = forward(data, unit, structure_date, data_date);
                let result = match images.as_slice() {
                    [(image, Fraction::Whole, via)]
                        if via.iter().all(|e| e.kind == LineageKind::Renamed)
                            && back.parts(&image.id).is_ok_and(|p| p.len() == 1) =>
                    {
                        Ok(vec![Part {
                            agency: image,
                            fraction: Fraction::Whole,
                            via: via.clone(),
                        }])
                    }
                    [] => Err(format!(
                        "{} không có đơn vị kế thừa tại ngày {}",
                        unit.short_name,
                        crate::format::date(data_date)
                    )),
                    _ => Err(format!(
                        "số liệu của {} đã nằm trong {}; số liệu sau sáp nhập, chia tách (sau ngày {}) không tách lại được",
                        unit.short_name,
                        images
                            .iter()
                            .map(|(a, _, _)| match a.valid_from {
                                Some(from) if from > structure_date => format!(
                                    "{} (từ ngày {})",
                                    a.short_name,
                                    crate::format::date(from)
                                ),
                                _ => a.short_name.clone(),
                            })
                            .collect::<Vec<_>>()
                            .join(", "),
                        crate::format::date(structure_date)
                    )),
                };
                parts.insert(unit.id.as_str(), result);
            }
        }
        Restatement {
            data_date,
            structure_date,
            parts,
        }
    }

    /// The parts of a unit of the structure date, or why it has none.
    pub fn parts(&self, agency_id: &str) -> Result<&[Part<'a>], NotRestatable> {
        match self.parts.get(agency_id) {
            Some(Ok(list)) if !list.is_empty() => Ok(list),
            Some(Err(reason)) => Err(reason.clone()),
            _ => Err(format!(
                "không có đơn vị tiền thân tại ngày {}",
                crate::format::date(self.data_date)
            )),
        }
    }
}

/// The outcome of one unit of a restated checklist.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Outcome {
    Done,
    NotDone,
    NotRestatable(NotRestatable),
}

/// One unit of the structure date in a restated checklist.
#[derive(Debug, Clone, Serialize)]
pub struct RestatedUnit<'a> {
    pub agency: &'a Agency,
    /// The units whose records it was computed from: itself when unchanged; its
    /// predecessors when it was formed during the period and has no record of its own.
    pub parts: Vec<Part<'a>>,
    pub outcome: Outcome,
}

/// One group of a restated checklist.
#[derive(Debug, Clone, Serialize)]
pub struct RestatedGroup<'a> {
    pub group_id: String,
    pub counted_as: String,
    /// Every member on the structure date, in list order.
    pub units: Vec<RestatedUnit<'a>>,
}

impl<'a> RestatedGroup<'a> {
    pub fn done(&self) -> impl Iterator<Item = &RestatedUnit<'a>> {
        self.units.iter().filter(|u| u.outcome == Outcome::Done)
    }
    pub fn not_done(&self) -> impl Iterator<Item = &RestatedUnit<'a>> {
        self.units.iter().filter(|u| u.outcome == Outcome::NotDone)
    }
    pub fn not_restatable(&self) -> impl Iterator<Item = &RestatedUnit<'a>> {
        self.units
            .iter()
            .filter(|u| matches!(u.outcome, Outcome::NotRestatable(_)))
    }
    /// Units done.
    pub fn numerator(&self) -> usize {
        self.done().count()
    }
    /// Members on the structure date (not-restatable units included: N stays the size of
    /// the group, and they are listed apart).
    pub fn denominator(&self) -> usize {
        self.units.len()
    }
}

/// A checklist requirement in the structure of a date.
#[derive(Debug, Clone, Serialize)]
pub struct RestatedChecklist<'a> {
    pub requirement: &'a ChecklistRequirement,
    pub data_date: NaiveDate,
    pub structure_date: NaiveDate,
    pub groups: Vec<RestatedGroup<'a>>,
    /// The members of its groups on the structure date that the requirement does not
    /// apply to (with the reason): counted in no group, listed apart.
    pub excluded: Vec<&'a Exclusion>,
}

impl RestatedChecklist<'_> {
    pub fn numerator(&self) -> usize {
        self.groups.iter().map(RestatedGroup::numerator).sum()
    }
    pub fn denominator(&self) -> usize {
        self.groups.iter().map(RestatedGroup::denominator).sum()
    }
}

/// Whether an agency had done a requirement at a date by its own records; a unit created
/// by the reorganisation with no record of its own is judged on its predecessors'
/// records by the requirement's rule (the rule for periods that straddle a change).
fn own_outcome(
    data: &Dataset,
    requirement: &ChecklistRequirement,
    agency: &Agency,
    date: NaiveDate,
    depth: usize,
) -> Outcome {
    if let Some(item) = crate::checklist::item_at(data, &requirement.id, &agency.id, date) {
        return if crate::checklist::done_at(item, date) {
            Outcome::Done
        } else {
            Outcome::NotDone
        };
    }
    match predecessor_parts(data, requirement, agency, date) {
        Some(parts) if depth < MAX_CHAIN => {
            let outcomes: Vec<Outcome> = parts
                .iter()
                .map(|p| own_outcome(data, requirement, p.agency, date, depth + 1))
                .collect();
            combine(
                requirement.restatement_rule(),
                &outcomes,
                &agency.short_name,
            )
        }
        _ => Outcome::NotDone,
    }
}

/// The predecessors a unit is judged on at a date: when it was created by the
/// reorganisation (it has a start of validity and lineage edges effective by the date)
/// and has no record of its own.
fn predecessor_parts<'a>(
    data: &'a Dataset,
    requirement: &ChecklistRequirement,
    agency: &Agency,
    date: NaiveDate,
) -> Option<Vec<Part<'a>>> {
    if agency.valid_from.is_none()
        || crate::checklist::item_at(data, &requirement.id, &agency.id, date).is_some()
    {
        return None;
    }
    let parts: Vec<Part<'a>> = predecessors(data, &agency.id)
        .into_iter()
        .filter(|e| e.effective <= date)
        .filter_map(|e| {
            data.agency(&e.from_agency).map(|from| Part {
                agency: from,
                fraction: Fraction::Whole.through(e),
                via: vec![e],
            })
        })
        .collect();
    (!parts.is_empty()).then_some(parts)
}

fn combine(rule: ChecklistRestatement, outcomes: &[Outcome], unit: &str) -> Outcome {
    if let Some(reason) = outcomes.iter().find_map(|o| match o {
        Outcome::NotRestatable(r) => Some(r.clone()),
        _ => None,
    }) {
        return Outcome::NotRestatable(reason);
    }
    let done = |o: &Outcome| *o == Outcome::Done;
    match rule {
        ChecklistRestatement::All => {
            if outcomes.iter().all(done) {
                Outcome::Done
            } else {
                Outcome::NotDone
            }
        }
        ChecklistRestatement::Any => {
            if outcomes.iter().any(done) {
                Outcome::Done
            } else {
                Outcome::NotDone
            }
        }
        ChecklistRestatement::NotRestatable => Outcome::NotRestatable(format!(
            "yêu cầu không quy đổi khi sáp nhập, chia tách ({unit})"
        )),
    }
}

/// A requirement's result with the records as of `data_date`, shown in the groups as they
/// are on `structure_date`. With equal dates this is the plain result (plus the rule for
/// units created during a period that straddles a change). A unit that exists on both
/// dates is judged on its own records even when, looking back, later absorptions make
/// its numbers inseparable: whether a body did something is its own record.
pub fn restate_checklist<'a>(
    data: &'a Dataset,
    requirement: &'a ChecklistRequirement,
    data_date: NaiveDate,
    structure_date: NaiveDate,
) -> RestatedChecklist<'a> {
    let map = Restatement::new(data, data_date, structure_date);
    let exclusions: Vec<&'a Exclusion> = data.exclusions_of(&requirement.id).collect();
    let is_excluded = |agency_id: &str| exclusions.iter().any(|e| e.agency_id == agency_id);
    let groups = requirement
        .group_ids
        .iter()
        .map(|group_id| {
            let members_then: Vec<&Agency> = data
                .members_on(group_id, data_date)
                .into_iter()
                .filter(|a| !is_excluded(&a.id))
                .collect();
            let units = data
                .members_on(group_id, structure_date)
                .into_iter()
                .filter(|a| !is_excluded(&a.id))
                .map(|agency| {
                    let parts: Vec<Part<'a>> = match map.parts(&agency.id) {
                        Ok(parts) => parts
                            .iter()
                            .filter(|p| members_then.iter().any(|m| m.id == p.agency.id))
                            .cloned()
                            .collect(),
                        Err(_)
                            if agency.valid_on(data_date)
                                && members_then.iter().any(|m| m.id == agency.id) =>
                        {
                            vec![Part {
                                agency,
                                fraction: Fraction::Whole,
                                via: Vec::new(),
                            }]
                        }
                        Err(reason) => {
                            return RestatedUnit {
                                agency,
                                parts: Vec::new(),
                                outcome: Outcome::NotRestatable(reason),
                            };
                        }
                    };
                    match parts.as_slice() {
                        [] => {
                            let reason = format!(
                                "không có đơn vị tiền thân thuộc nhóm tại ngày {}",
                                crate::format::date(data_date)
                            );
                            RestatedUnit {
                                agency,
                                parts,
                                outcome: Outcome::NotRestatable(reason),
                            }
                        }
                        [only] if only.is_same_unit() => {
                            let outcome = own_outcome(data, requirement, agency, data_date, 0);
                            RestatedUnit {
                                agency,
                                parts: predecessor_parts(data, requirement, agency, data_date)
                                    .unwrap_or(parts),
                                outcome,
                            }
                        }
                        _ => {
                            let outcomes: Vec<Outcome> = parts
                                .iter()
                                .map(|p| own_outcome(data, requirement, p.agency, data_date, 0))
                                .collect();
                            RestatedUnit {
                                agency,
                                outcome: combine(
                                    requirement.restatement_rule(),
                                    &outcomes,
                                    &agency.short_name,
                                ),
                                parts,
                            }
                        }
                    }
                })
                .collect();
            RestatedGroup {
                group_id: group_id.clone(),
                counted_as: data
                    .group(group_id)
                    .map_or_else(|| group_id.clone(), |g| g.counted_as.clone()),
                units,
            }
        })
        .collect();
    let members: Vec<&str> = requirement
        .group_ids
        .iter()
        .flat_map(|g| data.members_on(g, structure_date))
        .map(|a| a.id.as_str())
        .collect();
    let excluded = exclusions
        .into_iter()
        .filter(|e| members.contains(&e.agency_id.as_str()))
        .collect();
    RestatedChecklist {
        requirement,
        data_date,
        structure_date,
        groups,
        excluded,
    }
}

/// Which observation counts when an agency has several for a period.
pub const SOURCE_PRECEDENCE: [SourceKind; 4] = [
    SourceKind::Measured,
    SourceKind::Declared,
    SourceKind::Imported,
    SourceKind::Estimated,
];

/// The observation that counts for an agency, indicator and period.
pub fn observation_for<'a>(
    data: &'a Dataset,
    indicator_id: &str,
    agency_id: &str,
    period: Period,
) -> Option<&'a Observation> {
    data.observations
        .iter()
        .filter(|o| {
            o.indicator_id == indicator_id
                && o.agency_id.as_deref() == Some(agency_id)
                && o.period == period
        })
        .min_by_key(|o| SOURCE_PRECEDENCE.iter().position(|k| *k == o.source))
}

/// A restated value, or why there is none.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum RestatedValue<'a> {
    Value {
        value: f64,
        numerator: Option<f64>,
        denominator: Option<f64>,
        /// Computed with apportioned shares or as a mean: an estimate.
        estimate: bool,
        sources: Vec<&'a Observation>,
    },
    NotRestatable(NotRestatable),
}

impl RestatedValue<'_> {
    pub fn value(&self) -> Option<f64> {
        match self {
            RestatedValue::Value { value, .. } => Some(*value),
            RestatedValue::NotRestatable(_) => None,
        }
    }
}

/// An indicator's value for one unit of the structure date.
#[derive(Debug, Clone, Serialize)]
pub struct RestatedUnitValue<'a> {
    pub agency: &'a Agency,
    pub parts: Vec<Part<'a>>,
    pub value: RestatedValue<'a>,
}

/// The date a period's records describe: its end under the indicator's programme regime.
pub fn data_date(data: &Dataset, indicator: &Indicator, period: Period) -> NaiveDate {
    let regime = data
        .programme(&indicator.programme_id)
        .map_or(ReportingRegime::CalendarMonth, |p| p.regime);
    period.end(regime)
}

/// Combine the parts' observations by the indicator's rule.
pub fn combine_values<'a>(
    data: &'a Dataset,
    indicator: &Indicator,
    period: Period,
    parts: &[Part<'a>],
) -> RestatedValue<'a> {
    let rule = indicator.restatement_rule();
    let observed: Vec<(&Part, Option<&Observation>)> = parts
        .iter()
        .map(|p| {
            (
                p,
                observation_for(data, &indicator.id, &p.agency.id, period),
            )
        })
        .collect();
    if let [(part, Some(o))] = observed.as_slice()
        && part.is_same_unit()
    {
        return RestatedValue::Value {
            value: o.value,
            numerator: o.numerator,
            denominator: o.denominator,
            estimate: o.source == SourceKind::Estimated,
            sources: vec![o],
        };
    }
    if rule == IndicatorRestatement::NotRestatable {
        let names: Vec<&str> = parts.iter().map(|p| p.agency.short_name.as_str()).collect();
        return RestatedValue::NotRestatable(format!(
            "chỉ tiêu không quy đổi khi hợp nhất, chia tách (không cộng gộp giá trị của {})",
            names.join(", ")
        ));
    }
    let missing: Vec<&str> = observed
        .iter()
        .filter(|(_, o)| o.is_none())
        .map(|(p, _)| p.agency.short_name.as_str())
        .collect();
    if !missing.is_empty() {
        return RestatedValue::NotRestatable(format!(
            "thiếu số liệu {} của {}",
            period.label_vi(),
            missing.join(", ")
        ));
    }
    let observed: Vec<(&Part, &Observation)> = observed
        .into_iter()
        .filter_map(|(p, o)| o.map(|o| (p, o)))
        .collect();
    let sources: Vec<&Observation> = observed.iter().map(|(_, o)| *o).collect();
    let mut estimate = observed
        .iter()
        .any(|(_, o)| o.source == SourceKind::Estimated);
    let mut factors = Vec::new();
    for (p, _) in &observed {
        match p.fraction {
            Fraction::Whole => factors.push(1.0),
            Fraction::Share(s) => {
                estimate = true;
                factors.push(s);
            }
            Fraction::Unknown if rule != IndicatorRestatement::Mean => {
                return RestatedValue::NotRestatable(format!(
                    "{} chia tách không có tỷ trọng phân bổ, không chia được số liệu",
                    p.agency.short_name
                ));
            }
            Fraction::Unknown => factors.push(1.0),
        }
    }
    match rule {
        IndicatorRestatement::Sum => {
            let value = observed
                .iter()
                .zip(&factors)
                .map(|((_, o), f)| o.value * f)
                .sum();
            RestatedValue::Value {
                value,
                numerator: None,
                denominator: None,
                estimate,
                sources,
            }
        }
        IndicatorRestatement::Ratio => {
            let mut numerator = 0.0;
            let mut denominator = 0.0;
            for ((p, o), f) in observed.iter().zip(&factors) {
                let (Some(n), Some(d)) = (o.numerator, o.denominator) else {
                    return RestatedValue::NotRestatable(format!(
                        "{} chỉ có tỷ lệ, không có tử số và mẫu số",
                        p.agency.short_name
                    ));
                };
                numerator += n * f;
                denominator += d * f;
            }
            if denominator == 0.0 {
                return RestatedValue::NotRestatable("mẫu số bằng 0".to_string());
            }
            let scale = if indicator.is_rate() { 100.0 } else { 1.0 };
            RestatedValue::Value {
                value: numerator / denominator * scale,
                numerator: Some(numerator),
                denominator: Some(denominator),
                estimate,
                sources,
            }
        }
        IndicatorRestatement::Mean => {
            let value = observed.iter().map(|(_, o)| o.value).sum::<f64>() / observed.len() as f64;
            RestatedValue::Value {
                value,
                numerator: None,
                denominator: None,
                estimate: true,
                sources,
            }
        }
        IndicatorRestatement::NotRestatable => unreachable!("handled above"),
    }
}

/// An indicator's agency values for a period, shown in the structure of a date: one
/// entry per unit of that date with at least one part that has a value, in list order.
pub fn restate_indicator<'a>(
    data: &'a Dataset,
    indicator: &'a Indicator,
    period: Period,
    structure_date: NaiveDate,
) -> Vec<RestatedUnitValue<'a>> {
    let map = Restatement::new(data, data_date(data, indicator, period), structure_date);
    agencies_on(data, structure_date)
        .into_iter()
        .filter_map(|agency| {
            let observed_here =
                |id: &str| observation_for(data, &indicator.id, id, period).is_some();
            match map.parts(&agency.id) {
                Ok(parts) if parts.iter().any(|p| observed_here(&p.agency.id)) => {
                    Some(RestatedUnitValue {
                        agency,
                        parts: parts.to_vec(),
                        value: combine_values(data, indicator, period, parts),
                    })
                }
                Ok(_) => None,
                Err(reason) => {
                    let had_data = forward(data, agency, structure_date, map.data_date)
                        .iter()
                        .any(|(a, _, _)| observed_here(&a.id));
                    had_data.then(|| RestatedUnitValue {
                        agency,
                        parts: Vec::new(),
                        value: RestatedValue::NotRestatable(reason),
                    })
                }
            }
        })
        .collect()
}

/// One unit's series in the structure of a date: every period with agency values for
/// the indicator, oldest first.
pub fn restate_series<'a>(
    data: &'a Dataset,
    indicator: &'a Indicator,
    agency_id: &str,
    structure_date: NaiveDate,
) -> Vec<(Period, RestatedValue<'a>)> {
    let mut periods: Vec<Period> = data
        .observations
        .iter()
        .filter(|o| o.indicator_id == indicator.id && o.agency_id.is_some())
        .map(|o| o.period)
        .collect();
    periods.sort();
    periods.dedup();
    periods
        .into_iter()
        .filter_map(|period| {
            restate_indicator(data, indicator, period, structure_date)
                .into_iter()
                .find(|u| u.agency.id == agency_id)
                .map(|u| (period, u.value))
        })
        .collect()
}

/// A ranking of the units of a group (or of every unit with values) on an indicator.
#[derive(Debug, Clone, Serialize)]
pub struct Ranking<'a> {
    /// Rank (1 = best, ties share a rank) and unit, best first.
    pub ranked: Vec<(usize, RestatedUnitValue<'a>)>,
    /// Units that have records but whose value cannot be shown in this structure.
    pub not_restatable: Vec<RestatedUnitValue<'a>>,
}

/// Rank the units of the structure date on an indicator for a period, better values
/// first by the indicator's direction.
pub fn ranking<'a>(
    data: &'a Dataset,
    indicator: &'a Indicator,
    period: Period,
    group_id: Option<&str>,
    structure_date: NaiveDate,
) -> Ranking<'a> {
    let members: Option<Vec<&Agency>> = group_id.map(|g| data.members_on(g, structure_date));
    let (mut valued, not_restatable): (Vec<RestatedUnitValue<'a>>, Vec<RestatedUnitValue<'a>>) =
        restate_indicator(data, indicator, period, structure_date)
            .into_iter()
            .filter(|u| {
                members
                    .as_ref()
                    .is_none_or(|m| m.iter().any(|a| a.id == u.agency.id))
            })
            .partition(|u| u.value.value().is_some());
    let key = |u: &RestatedUnitValue| {
        let v = u.value.value().unwrap_or_default();
        if indicator.direction == Direction::HigherIsBetter {
            -v
        } else {
            v
        }
    };
    valued.sort_by(|a, b| {
        key(a)
            .total_cmp(&key(b))
            .then_with(|| agency_order(a.agency, b.agency))
    });
    let mut ranked = Vec::with_capacity(valued.len());
    for (i, unit) in valued.into_iter().enumerate() {
        let rank = match ranked.last() {
            Some((r, prev)) if key(prev) == key(&unit) => *r,
            _ => i + 1,
        };
        ranked.push((rank, unit));
    }
    Ranking {
        ranked,
        not_restatable,
    }
}

/// Who leads a task on a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum LeadOn<'a> {
    /// The recorded lead (it exists on the date, or the lead is a group).
    Recorded,
    /// The recorded lead was dissolved: the task passed to `to` through `via`.
    Passed {
        from: &'a Agency,
        to: &'a Agency,
        via: Vec<&'a LineageEdge>,
    },
    /// The recorded lead was dissolved and no single successor takes its tasks (a split
    /// with no `principal` successor, or no successor at all): the task must be
    /// reassigned by a person. `candidates` are the successors.
    Unresolved {
        from: &'a Agency,
        candidates: Vec<&'a Agency>,
    },
}

/// The lead of a task on a date: a dissolved lead passes its tasks to its successor from
/// the effective date of the change (merges, moves, renames; through a split, to the
/// successor marked `principal`).
pub fn lead_on<'a>(data: &'a Dataset, lead: &Assignee, date: NaiveDate) -> LeadOn<'a> {
    let Assignee::Agency(id) = lead else {
        return LeadOn::Recorded;
    };
    let Some(from) = data.agency(id) else {
        return LeadOn::Recorded;
    };
    if from.valid_on(date) {
        return LeadOn::Recorded;
    }
    let mut unit = from;
    let mut via = Vec::new();
    while !unit.valid_on(date) && via.len() < MAX_CHAIN {
        let edges: Vec<&LineageEdge> = successors(data, &unit.id)
            .into_iter()
            .filter(|e| e.effective <= date)
            .collect();
        let whole: Vec<&&LineageEdge> = edges
            .iter()
            .filter(|e| e.kind != LineageKind::SplitInto || e.principal)
            .collect();
        let next = match whole.as_slice() {
            [one] => data.agency(&one.to_agency).map(|a| (a, **one)),
            _ => None,
        };
        match next {
            Some((agency, edge)) => {
                via.push(edge);
                unit = agency;
            }
            None => {
                let mut candidates: Vec<&Agency> = edges
                    .iter()
                    .filter_map(|e| data.agency(&e.to_agency))
                    .collect();
                candidates.sort_by(|a, b| agency_order(a, b));
                return LeadOn::Unresolved {
                    from: unit,
                    candidates,
                };
            }
        }
    }
    LeadOn::Passed {
        from,
        to: unit,
        via,
    }
}

/// The lead under which a task is listed on a date: its successor when it passed,
/// otherwise the recorded lead.
pub fn effective_lead(data: &Dataset, lead: &Assignee, date: NaiveDate) -> Assignee {
    match lead_on(data, lead, date) {
        LeadOn::Passed { to, .. } => Assignee::Agency(to.id.clone()),
        LeadOn::Recorded | LeadOn::Unresolved { .. } => lead.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deadline::Deadline;
    use crate::model::{
        AgencyGroup, AgencyKind, Aggregation, ChecklistItem, Confidence, GroupMembership,
    };

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn agency(
        id: &str,
        code: &str,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        order: i64,
    ) -> Agency {
        Agency {
            id: id.into(),
            code: code.into(),
            name: id.into(),
            short_name: id.into(),
            kind: AgencyKind::Province,
            valid_from: from,
            valid_to: to,
            sort_order: order,
            confidence: Confidence::Official,
            note: String::new(),
            provenance: String::new(),
        }
    }

    fn edge(
        from: &str,
        to: &str,
        kind: LineageKind,
        effective: NaiveDate,
        share: Option<f64>,
        principal: bool,
    ) -> LineageEdge {
        LineageEdge {
            from_agency: from.into(),
            to_agency: to.into(),
            kind,
            effective,
            functions: String::new(),
            share,
            principal,
            confidence: Confidence::Official,
            provenance: String::new(),
        }
    }

    fn member(
        group: &str,
        agency: &str,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> GroupMembership {
        GroupMembership {
            group_id: group.into(),
            agency_id: agency.into(),
            valid_from: from,
            valid_to: to,
            provenance: String::new(),
        }
    }

    /// Provinces: Yên Bái (15) and Lào Cai (10) merge into the new Lào Cai (15) on
    /// 01/7/2025; Hà Nội continues; Thừa Thiên Huế is renamed Huế on 01/01/2025.
    /// Ministries: A merges into B, E moves under B, S splits into B (principal, 75%) and
    /// C (25%), Dx splits into B and C with no shares and no principal, all on 01/3/2025.
    fn fixture() -> Dataset {
        let end_h1 = Some(d(2025, 6, 30));
        let end_feb = Some(d(2025, 2, 28));
        let agencies = vec![
            agency("ha-noi", "01", None, None, 1001),
            agency("lao-cai", "10", None, end_h1, 1010),
            agency("yen-bai", "15", None, end_h1, 1015),
            agency("lao-cai-2025", "15", Some(d(2025, 7, 1)), None, 1015),
            agency("thua-thien-hue", "46", None, Some(d(2024, 12, 31)), 1046),
            agency("hue", "46", Some(d(2025, 1, 1)), None, 1046),
            agency("A", "A", None, end_feb, 10),
            agency("B", "B", None, None, 20),
            agency("C", "C", None, None, 30),
            agency("S", "S", None, end_feb, 40),
            agency("Dx", "Dx", None, end_feb, 50),
            agency("E", "E", None, end_feb, 60),
        ];
        let change = d(2025, 7, 1);
        let ministries = d(2025, 3, 1);
        let lineage = vec![
            edge(
                "yen-bai",
                "lao-cai-2025",
                LineageKind::MergedInto,
                change,
                None,
                false,
            ),
            edge(
                "lao-cai",
                "lao-cai-2025",
                LineageKind::MergedInto,
                change,
                None,
                false,
            ),
            edge(
                "thua-thien-hue",
                "hue",
                LineageKind::Renamed,
                d(2025, 1, 1),
                None,
                false,
            ),
            edge("A", "B", LineageKind::MergedInto, ministries, None, false),
            edge("E", "B", LineageKind::MovedUnder, ministries, None, false),
            edge(
                "S",
                "B",
                LineageKind::SplitInto,
                ministries,
                Some(0.75),
                true,
            ),
            edge(
                "S",
                "C",
                LineageKind::SplitInto,
                ministries,
                Some(0.25),
                false,
            ),
            edge("Dx", "B", LineageKind::SplitInto, ministries, None, false),
            edge("Dx", "C", LineageKind::SplitInto, ministries, None, false),
        ];
        let agency_groups = ["tinh", "bo"]
            .iter()
            .map(|g| AgencyGroup {
                id: g.to_string(),
                name: g.to_string(),
                counted_as: g.to_string(),
                provenance: String::new(),
            })
            .collect();
        let group_memberships = vec![
            member("tinh", "ha-noi", None, None),
            member("tinh", "lao-cai", None, end_h1),
            member("tinh", "yen-bai", None, end_h1),
            member("tinh", "lao-cai-2025", Some(change), None),
            member("tinh", "thua-thien-hue", None, Some(d(2024, 12, 31))),
            member("tinh", "hue", Some(d(2025, 1, 1)), None),
            member("bo", "A", None, end_feb),
            member("bo", "B", None, None),
            member("bo", "C", None, None),
            member("bo", "S", None, end_feb),
        ];
        Dataset {
            agencies,
            lineage,
            agency_groups,
            group_memberships,
            ..Dataset::default()
        }
    }

    fn ids(parts: &[Part<'_>]) -> Vec<String> {
        let mut v: Vec<String> = parts.iter().map(|p| p.agency.id.clone()).collect();
        v.sort();
        v
    }

    #[test]
    fn a_reused_code_resolves_by_date() {
        let data = fixture();
        assert_eq!(
            resolve_code(&data.agencies, "15", d(2024, 5, 1))
                .unwrap()
                .id,
            "yen-bai"
        );
        assert_eq!(
            resolve_code(&data.agencies, "15", d(2025, 8, 1))
                .unwrap()
                .id,
            "lao-cai-2025"
        );
        assert_eq!(
            resolve_code(&data.agencies, "10", d(2025, 8, 1)),
            Err(ResolveError::Unknown {
                code: "10".into(),
                date: d(2025, 8, 1)
            })
        );
        let mut twice = data.agencies.clone();
        twice.push(agency("other", "15", None, None, 0));
        assert!(matches!(
            resolve_code(&twice, "15", d(2024, 5, 1)),
            Err(ResolveError::Ambiguous { .. })
        ));
    }

    #[test]
    fn change_dates_are_the_distinct_effective_dates() {
        assert_eq!(
            change_dates(&fixture()),
            vec![d(2025, 1, 1), d(2025, 3, 1), d(2025, 7, 1)]
        );
    }

    #[test]
    fn same_unit_is_its_own_part() {
        let data = fixture();
        let map = Restatement::new(&data, d(2024, 12, 31), d(2025, 8, 1));
        let parts = map.parts("ha-noi").unwrap();
        assert_eq!(ids(parts), vec!["ha-noi"]);
        assert!(parts[0].is_same_unit());
    }

    #[test]
    fn merged_units_are_whole_parts_of_their_successor() {
        let data = fixture();
        let map = Restatement::new(&data, d(2024, 12, 31), d(2025, 8, 1));
        let parts = map.parts("lao-cai-2025").unwrap();
        assert_eq!(ids(parts), vec!["lao-cai", "yen-bai"]);
        assert!(
            parts
                .iter()
                .all(|p| p.fraction == Fraction::Whole && p.via[0].kind == LineageKind::MergedInto)
        );
        assert!(
            map.parts("yen-bai").is_err(),
            "a dissolved unit is not part of the later structure"
        );
    }

    #[test]
    fn moved_under_counts_in_the_new_parent_and_splits_carry_shares() {
        let data = fixture();
        let map = Restatement::new(&data, d(2024, 12, 31), d(2025, 8, 1));
        let b = map.parts("B").unwrap();
        assert_eq!(ids(b), vec!["A", "B", "Dx", "E", "S"]);
        let fraction = |id: &str| b.iter().find(|p| p.agency.id == id).unwrap().fraction;
        assert_eq!(fraction("E"), Fraction::Whole);
        assert_eq!(fraction("S"), Fraction::Share(0.75));
        assert_eq!(fraction("Dx"), Fraction::Unknown);
        assert_eq!(ids(map.parts("C").unwrap()), vec!["C", "Dx", "S"]);
    }

    #[test]
    fn renames_restate_in_both_directions_and_merges_only_forwards() {
        let data = fixture();
        let forwards = Restatement::new(&data, d(2024, 6, 30), d(2025, 8, 1));
        assert_eq!(ids(forwards.parts("hue").unwrap()), vec!["thua-thien-hue"]);
        let backwards = Restatement::new(&data, d(2025, 3, 31), d(2024, 6, 30));
        assert_eq!(ids(backwards.parts("thua-thien-hue").unwrap()), vec!["hue"]);
        assert_eq!(ids(backwards.parts("ha-noi").unwrap()), vec!["ha-noi"]);
        let after_merge = Restatement::new(&data, d(2025, 12, 31), d(2024, 6, 30));
        let reason = after_merge.parts("yen-bai").unwrap_err();
        assert!(reason.contains("lao-cai-2025"), "{reason}");
        assert!(
            after_merge.parts("B").is_err(),
            "B now includes A, E, S and Dx: not separable"
        );
    }

    #[test]
    fn chains_of_edges_are_followed() {
        let mut data = fixture();
        data.agencies
            .push(agency("x", "X", None, Some(d(2024, 12, 31)), 1090));
        data.agencies.push(agency(
            "y",
            "Y",
            Some(d(2025, 1, 1)),
            Some(d(2025, 6, 30)),
            1090,
        ));
        data.lineage.push(edge(
            "x",
            "y",
            LineageKind::Renamed,
            d(2025, 1, 1),
            None,
            false,
        ));
        data.lineage.push(edge(
            "y",
            "lao-cai-2025",
            LineageKind::MergedInto,
            d(2025, 7, 1),
            None,
            false,
        ));
        let map = Restatement::new(&data, d(2024, 6, 30), d(2025, 8, 1));
        let parts = map.parts("lao-cai-2025").unwrap();
        let x = parts.iter().find(|p| p.agency.id == "x").unwrap();
        assert_eq!(
            x.via.iter().map(|e| e.kind).collect::<Vec<_>>(),
            vec![LineageKind::Renamed, LineageKind::MergedInto]
        );
        assert_eq!(x.fraction, Fraction::Whole);
        let in_between = Restatement::new(&data, d(2024, 6, 30), d(2025, 3, 1));
        assert_eq!(
            ids(in_between.parts("y").unwrap()),
            vec!["x"],
            "only edges effective up to the structure date"
        );
        assert!(
            matches!(lead_on(&data, &Assignee::Agency("x".into()), d(2025, 8, 1)), LeadOn::Passed { to, via, .. } if to.id == "lao-cai-2025" && via.len() == 2)
        );
    }

    fn requirement(rule: Option<ChecklistRestatement>) -> ChecklistRequirement {
        ChecklistRequirement {
            id: "r".into(),
            programme_id: "p".into(),
            title: "r".into(),
            group_ids: vec!["tinh".into()],
            deadline: Deadline::parse("Năm 2024", 2024),
            restatement: rule,
            provenance: String::new(),
        }
    }

    fn item(agency: &str, done: bool, reported_on: NaiveDate) -> ChecklistItem {
        ChecklistItem {
            requirement_id: "r".into(),
            agency_id: agency.into(),
            done,
            done_on: None,
            reported_on,
            evidence: String::new(),
            provenance: String::new(),
        }
    }

    #[test]
    fn checklist_rules_all_any_none() {
        let mut data = fixture();
        let reported = d(2024, 11, 30);
        data.checklist_items = vec![
            item("ha-noi", true, reported),
            item("lao-cai", true, reported),
            item("yen-bai", false, reported),
            item("thua-thien-hue", true, reported),
        ];
        let (then, now) = (d(2024, 12, 31), d(2025, 8, 1));
        let outcome = |r: &ChecklistRequirement, id: &str| {
            let result = restate_checklist(&data, r, then, now);
            result.groups[0]
                .units
                .iter()
                .find(|u| u.agency.id == id)
                .unwrap()
                .outcome
                .clone()
        };
        let all = requirement(None);
        let as_of_2024 = restate_checklist(&data, &all, then, then);
        assert_eq!((as_of_2024.numerator(), as_of_2024.denominator()), (3, 4));
        let restated = restate_checklist(&data, &all, then, now);
        assert_eq!(
            (restated.numerator(), restated.denominator()),
            (2, 3),
            "Hà Nội and Huế done; the new Lào Cai not: Yên Bái had not"
        );
        assert_eq!(outcome(&all, "lao-cai-2025"), Outcome::NotDone);
        assert_eq!(
            outcome(
                &requirement(Some(ChecklistRestatement::Any)),
                "lao-cai-2025"
            ),
            Outcome::Done
        );
        assert!(matches!(
            outcome(
                &requirement(Some(ChecklistRestatement::NotRestatable)),
                "lao-cai-2025"
            ),
            Outcome::NotRestatable(_)
        ));
        assert_eq!(
            outcome(
                &requirement(Some(ChecklistRestatement::NotRestatable)),
                "ha-noi"
            ),
            Outcome::Done,
            "an unchanged unit is not restated"
        );
        assert_eq!(
            outcome(&all, "hue"),
            Outcome::Done,
            "a rename carries the result"
        );
    }

    #[test]
    fn looking_back_a_unit_keeps_its_own_checklist_record_and_merged_units_are_not_restatable() {
        let mut data = fixture();
        data.checklist_items = vec![
            item("ha-noi", true, d(2025, 9, 1)),
            item("lao-cai-2025", true, d(2025, 9, 1)),
        ];
        let r = requirement(None);
        let back = restate_checklist(&data, &r, d(2025, 12, 31), d(2024, 12, 31));
        let outcomes: Vec<(&str, &Outcome)> = back.groups[0]
            .units
            .iter()
            .map(|u| (u.agency.id.as_str(), &u.outcome))
            .collect();
        assert_eq!(outcomes[0], ("ha-noi", &Outcome::Done));
        assert!(matches!(
            outcomes[1],
            ("lao-cai", Outcome::NotRestatable(_))
        ));
        assert!(matches!(
            outcomes[2],
            ("yen-bai", Outcome::NotRestatable(_))
        ));
        assert_eq!(
            outcomes[3],
            ("thua-thien-hue", &Outcome::NotDone),
            "renamed back: Huế had no record"
        );
        let mut bo = requirement(None);
        bo.group_ids = vec!["bo".into()];
        data.checklist_items = vec![ChecklistItem {
            requirement_id: "r".into(),
            ..item("B", true, d(2025, 9, 1))
        }];
        let back = restate_checklist(&data, &bo, d(2025, 12, 31), d(2024, 12, 31));
        let b = back.groups[0]
            .units
            .iter()
            .find(|u| u.agency.id == "B")
            .unwrap();
        assert_eq!(
            b.outcome,
            Outcome::Done,
            "B absorbed A, E, S and Dx, but B's own record is B's"
        );
    }

    #[test]
    fn a_unit_created_in_a_straddled_period_without_records_is_judged_on_its_predecessors() {
        let mut data = fixture();
        data.checklist_items = vec![
            item("ha-noi", true, d(2025, 3, 1)),
            item("lao-cai", true, d(2025, 3, 1)),
            item("yen-bai", true, d(2025, 4, 1)),
        ];
        let r = requirement(None);
        let year_end = d(2025, 12, 31);
        let result = restate_checklist(&data, &r, year_end, year_end);
        assert_eq!(
            result.denominator(),
            3,
            "the structure at the end of the period: Hà Nội, Huế, new Lào Cai"
        );
        let lao_cai = result.groups[0]
            .units
            .iter()
            .find(|u| u.agency.id == "lao-cai-2025")
            .unwrap();
        assert_eq!(lao_cai.outcome, Outcome::Done);
        assert_eq!(
            ids(&lao_cai.parts),
            vec!["lao-cai", "yen-bai"],
            "the records it was judged on"
        );
        data.checklist_items
            .push(item("lao-cai-2025", false, d(2025, 12, 1)));
        let result = restate_checklist(&data, &r, year_end, year_end);
        let lao_cai = result.groups[0]
            .units
            .iter()
            .find(|u| u.agency.id == "lao-cai-2025")
            .unwrap();
        assert_eq!(lao_cai.outcome, Outcome::NotDone, "its own record wins");
    }

    fn indicator(
        aggregation: Aggregation,
        unit: &str,
        rule: Option<IndicatorRestatement>,
    ) -> Indicator {
        Indicator {
            id: "i".into(),
            programme_id: "p".into(),
            code: "1".into(),
            heading: String::new(),
            name: "i".into(),
            unit: unit.into(),
            direction: Direction::HigherIsBetter,
            aggregation,
            restatement: rule,
            scope: crate::model::IndicatorScope::Agencies,
            scope_groups: Vec::new(),
            provenance: String::new(),
        }
    }

    fn obs(agency: &str, value: f64, fraction: Option<(f64, f64)>) -> Observation {
        Observation {
            indicator_id: "i".into(),
            agency_id: Some(agency.into()),
            period: Period::half_year(2024, 2),
            value,
            numerator: fraction.map(|f| f.0),
            denominator: fraction.map(|f| f.1),
            source: SourceKind::Declared,
            states: None,
            note: String::new(),
            provenance: String::new(),
        }
    }

    fn value_of<'a>(values: &'a [RestatedUnitValue<'a>], id: &str) -> &'a RestatedValue<'a> {
        &values.iter().find(|u| u.agency.id == id).unwrap().value
    }

    #[test]
    fn a_ratio_is_restated_from_numerators_and_denominators() {
        let mut data = fixture();
        data.observations = vec![
            obs("lao-cai", 60.0, Some((300.0, 500.0))),
            obs("yen-bai", 20.0, Some((100.0, 500.0))),
            obs("ha-noi", 90.0, Some((9.0, 10.0))),
        ];
        let ratio = indicator(Aggregation::Ratio, "%", None);
        let period = Period::half_year(2024, 2);
        let values = restate_indicator(&data, &ratio, period, d(2025, 8, 1));
        match value_of(&values, "lao-cai-2025") {
            RestatedValue::Value {
                value,
                numerator,
                denominator,
                estimate,
                sources,
            } => {
                assert_eq!((*numerator, *denominator), (Some(400.0), Some(1000.0)));
                assert!(
                    (value - 40.0).abs() < 1e-9,
                    "(300 + 100) / (500 + 500) = 40%, not the mean of 60% and 20%"
                );
                assert!(!estimate);
                assert_eq!(sources.len(), 2);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(value_of(&values, "ha-noi").value(), Some(90.0));
        data.observations[1].numerator = None;
        data.observations[1].denominator = None;
        let values = restate_indicator(&data, &ratio, period, d(2025, 8, 1));
        assert!(
            matches!(value_of(&values, "lao-cai-2025"), RestatedValue::NotRestatable(r) if r.contains("yen-bai")),
            "a rate without numerator and denominator"
        );
    }

    #[test]
    fn sums_add_up_and_shares_apportion_splits_as_estimates() {
        let mut data = fixture();
        data.observations = vec![
            obs("A", 10.0, None),
            obs("B", 100.0, None),
            obs("C", 7.0, None),
            obs("S", 40.0, None),
            obs("E", 2.0, None),
        ];
        let sum = indicator(Aggregation::Sum, "count", None);
        let values = restate_indicator(&data, &sum, Period::half_year(2024, 2), d(2025, 8, 1));
        assert!(
            matches!(value_of(&values, "B"), RestatedValue::NotRestatable(r) if r.contains("Dx")),
            "Dx split with no share and no value"
        );
        data.lineage.retain(|e| e.from_agency != "Dx");
        let values = restate_indicator(&data, &sum, Period::half_year(2024, 2), d(2025, 8, 1));
        match value_of(&values, "B") {
            RestatedValue::Value {
                value, estimate, ..
            } => {
                assert_eq!(*value, 100.0 + 10.0 + 2.0 + 0.75 * 40.0);
                assert!(*estimate, "an apportioned share is an estimate");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(value_of(&values, "C").value(), Some(7.0 + 0.25 * 40.0));
        let missing = restate_indicator(&data, &sum, Period::half_year(2024, 2), d(2025, 8, 1));
        assert!(
            missing.iter().all(|u| u.agency.id != "lao-cai-2025"),
            "units without any record are left out"
        );
    }

    #[test]
    fn means_are_estimates_and_not_restatable_rules_say_so() {
        let mut data = fixture();
        data.observations = vec![obs("lao-cai", 80.0, None), obs("yen-bai", 60.0, None)];
        let period = Period::half_year(2024, 2);
        let default_mean = indicator(Aggregation::Mean, "điểm", None);
        assert_eq!(
            default_mean.restatement_rule(),
            IndicatorRestatement::NotRestatable
        );
        let values = restate_indicator(&data, &default_mean, period, d(2025, 8, 1));
        assert!(matches!(
            value_of(&values, "lao-cai-2025"),
            RestatedValue::NotRestatable(_)
        ));
        let mean = indicator(Aggregation::Mean, "điểm", Some(IndicatorRestatement::Mean));
        let values = restate_indicator(&data, &mean, period, d(2025, 8, 1));
        assert!(
            matches!(value_of(&values, "lao-cai-2025"), RestatedValue::Value { value, estimate: true, .. } if *value == 70.0)
        );
        let backwards = restate_indicator(&data, &mean, period, d(2024, 1, 1));
        assert_eq!(
            value_of(&backwards, "yen-bai").value(),
            Some(60.0),
            "same unit, same value"
        );
    }

    #[test]
    fn series_and_ranking_in_a_chosen_structure() {
        let mut data = fixture();
        data.observations = vec![
            obs("lao-cai", 60.0, Some((300.0, 500.0))),
            obs("yen-bai", 20.0, Some((100.0, 500.0))),
            obs("ha-noi", 40.0, Some((4.0, 10.0))),
        ];
        let mut later = obs("lao-cai-2025", 55.0, Some((550.0, 1000.0)));
        later.period = Period::half_year(2025, 2);
        data.observations.push(later);
        let ratio = indicator(Aggregation::Ratio, "%", None);
        let series = restate_series(&data, &ratio, "lao-cai-2025", d(2025, 12, 31));
        let values: Vec<(String, Option<f64>)> =
            series.iter().map(|(p, v)| (p.code(), v.value())).collect();
        assert_eq!(
            values,
            vec![
                ("2024-H2".to_string(), Some(40.0)),
                ("2025-H2".to_string(), Some(55.0))
            ]
        );
        let ranking = ranking(
            &data,
            &ratio,
            Period::half_year(2024, 2),
            Some("tinh"),
            d(2025, 8, 1),
        );
        let ranked: Vec<(usize, &str)> = ranking
            .ranked
            .iter()
            .map(|(r, u)| (*r, u.agency.id.as_str()))
            .collect();
        assert_eq!(
            ranked,
            vec![(1, "ha-noi"), (1, "lao-cai-2025")],
            "equal values share a rank; list order breaks the tie"
        );
        let old = super::ranking(
            &data,
            &ratio,
            Period::half_year(2024, 2),
            Some("tinh"),
            d(2024, 12, 31),
        );
        let ranked: Vec<&str> = old
            .ranked
            .iter()
            .map(|(_, u)| u.agency.id.as_str())
            .collect();
        assert_eq!(ranked, vec!["lao-cai", "ha-noi", "yen-bai"]);
        let backwards = super::ranking(
            &data,
            &ratio,
            Period::half_year(2025, 2),
            Some("tinh"),
            d(2024, 12, 31),
        );
        let not: Vec<&str> = backwards
            .not_restatable
            .iter()
            .map(|u| u.agency.id.as_str())
            .collect();
        assert_eq!(
            not,
            vec!["lao-cai", "yen-bai"],
            "2025 values of the merged province cannot be split back"
        );
    }

    #[test]
    fn task_leads_pass_to_successors_from_the_effective_date() {
        let data = fixture();
        let lead = |id: &str| Assignee::Agency(id.into());
        assert_eq!(
            lead_on(&data, &lead("A"), d(2025, 2, 28)),
            LeadOn::Recorded,
            "before the change the task stays"
        );
        assert!(
            matches!(lead_on(&data, &lead("A"), d(2025, 3, 1)), LeadOn::Passed { to, .. } if to.id == "B")
        );
        assert!(
            matches!(lead_on(&data, &lead("E"), d(2025, 3, 1)), LeadOn::Passed { to, .. } if to.id == "B")
        );
        assert!(
            matches!(lead_on(&data, &lead("S"), d(2025, 3, 1)), LeadOn::Passed { to, .. } if to.id == "B"),
            "split: the principal successor"
        );
        match lead_on(&data, &lead("Dx"), d(2025, 3, 1)) {
            LeadOn::Unresolved { from, candidates } => {
                assert_eq!(from.id, "Dx");
                assert_eq!(
                    candidates.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
                    vec!["B", "C"]
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(lead_on(&data, &lead("thua-thien-hue"), d(2025, 8, 1)), LeadOn::Passed { to, via, .. } if to.id == "hue" && via.len() == 1)
        );
        assert_eq!(
            effective_lead(&data, &lead("yen-bai"), d(2025, 8, 1)),
            lead("lao-cai-2025")
        );
        assert_eq!(
            effective_lead(&data, &Assignee::Group("tinh".into()), d(2025, 8, 1)),
            Assignee::Group("tinh".into())
        );
    }
}
