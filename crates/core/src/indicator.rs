//! Indicator computations: attainment against a target, change against the previous
//! period, aggregation across agencies, and the classification of targets.
//!
//! Classification rule (documented in reports, DOMAIN §3):
//! 1. **Achieved** (đã hoàn thành) when the latest value meets the target.
//! 2. Otherwise, with two or more values, the straight line through the last two values
//!    (each dated at the end of its period) is projected to the target's due date:
//!    **likely** (có khả năng hoàn thành cao) when the projection meets the target,
//!    **needs focused effort** (phải nỗ lực tập trung) when it does not.
//! 3. With a single value there is no trend: **likely** when it has reached at least
//!    [`SINGLE_VALUE_LIKELY_ATTAINMENT`] % of the target, else needs focused effort.
//! 4. With no value: needs focused effort (no data to show progress).
//!
//! A person may override the result for a period with a reason
//! ([`crate::model::TargetAssessment`]); the override wins and both are shown.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{
    Aggregation, Dataset, Direction, Indicator, Observation, Operator, SourceKind, Target,
    TargetAssessment, TargetClass,
};
use crate::period::{Period, ReportingRegime};

/// With one value and no trend, the attainment (%) from which a target counts as likely.
pub const SINGLE_VALUE_LIKELY_ATTAINMENT: f64 = 80.0;

/// Tolerance for comparing reported values (they are rounded in the reports).
const EPSILON: f64 = 1e-9;

/// Whether a value meets a target.
pub fn meets(target: &Target, value: f64) -> bool {
    match target.operator {
        Operator::AtLeast => value + EPSILON >= target.value,
        Operator::AtMost => value <= target.value + EPSILON,
        Operator::Exactly => (value - target.value).abs() <= EPSILON,
    }
}

/// Attainment in percent of the target: value / target for "≥" and "=", target / value
/// for "≤" (lower is better). None when the division is undefined.
pub fn attainment(target: &Target, value: f64) -> Option<f64> {
    let ratio = match target.operator {
        Operator::AtLeast | Operator::Exactly => value / target.value,
        Operator::AtMost => target.value / value,
    };
    ratio.is_finite().then_some(ratio * 100.0)
}

/// How a change is expressed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ChangeUnit {
    /// The difference between two rates, in percentage points (điểm phần trăm).
    PercentagePoints,
    /// The difference in the indicator's own unit.
    Units(String),
}

/// A change between two periods.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub previous_period: Period,
    pub previous: f64,
    pub delta: f64,
    pub unit: ChangeUnit,
    /// Whether the change goes the better way for the indicator's direction.
    pub improved: Option<bool>,
}

/// Whether an indicator's national values of `previous` and `period` can be compared. A
/// value computed from agency values by a rule that is not restatable (a mean of units)
/// changes meaning when the units change: across a reorganisation it is not compared.
/// Values stated for the nation in both periods are always comparable. The one rule for
/// the report, the pages and the API.
pub fn comparable(data: &Dataset, indicator: &Indicator, previous: Period, period: Period) -> bool {
    let has_national = |p: Period| {
        data.observations
            .iter()
            .any(|o| o.indicator_id == indicator.id && o.agency_id.is_none() && o.period == p)
    };
    if (has_national(previous) && has_national(period))
        || indicator.restatement_rule() != crate::model::IndicatorRestatement::NotRestatable
    {
        return true;
    }
    let regime = data
        .programme(&indicator.programme_id)
        .map_or(ReportingRegime::CalendarMonth, |p| p.regime);
    let (from, to) = (previous.end(regime), period.end(regime));
    !data
        .lineage
        .iter()
        .any(|e| from < e.effective && e.effective <= to)
}

/// The change from `previous` to `current` for an indicator.
pub fn change(
    indicator: &Indicator,
    previous_period: Period,
    previous: f64,
    current: f64,
) -> Change {
    let delta = current - previous;
    let unit = if indicator.is_rate() {
        ChangeUnit::PercentagePoints
    } else {
        ChangeUnit::Units(indicator.unit.clone())
    };
    let improved = (delta.abs() > EPSILON).then_some(match indicator.direction {
        Direction::HigherIsBetter => delta > 0.0,
        Direction::LowerIsBetter => delta < 0.0,
    });
    Change {
        previous_period,
        previous,
        delta,
        unit,
        improved,
    }
}

/// A value combined across agencies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Aggregate {
    pub value: f64,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    /// How many agency values went in.
    pub count: usize,
}

/// Why agency values could not be combined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub enum AggregateError {
    #[error("không có số liệu")]
    NoValues,
    #[error("chỉ tiêu tỷ lệ cần tử số và mẫu số của mọi cơ quan")]
    MissingNumeratorOrDenominator,
    #[error("mẫu số bằng 0")]
    ZeroDenominator,
    #[error("chỉ tiêu lấy số mới nhất không cộng gộp theo cơ quan")]
    NotAggregable,
}

/// Combine agency observations of one indicator and period by the indicator's rule.
pub fn aggregate(
    indicator: &Indicator,
    values: &[&Observation],
) -> Result<Aggregate, AggregateError> {
    if values.is_empty() {
        return Err(AggregateError::NoValues);
    }
    let count = values.len();
    match indicator.aggregation {
        Aggregation::Sum => Ok(Aggregate {
            value: values.iter().map(|o| o.value).sum(),
            numerator: None,
            denominator: None,
            count,
        }),
        Aggregation::Mean => Ok(Aggregate {
            value: values.iter().map(|o| o.value).sum::<f64>() / count as f64,
            numerator: None,
            denominator: None,
            count,
        }),
        Aggregation::Ratio => {
            let mut numerator = 0.0;
            let mut denominator = 0.0;
            for o in values {
                let (Some(n), Some(d)) = (o.numerator, o.denominator) else {
                    return Err(AggregateError::MissingNumeratorOrDenominator);
                };
                numerator += n;
                denominator += d;
            }
            if denominator == 0.0 {
                return Err(AggregateError::ZeroDenominator);
            }
            let scale = if indicator.is_rate() { 100.0 } else { 1.0 };
            Ok(Aggregate {
                value: numerator / denominator * scale,
                numerator: Some(numerator),
                denominator: Some(denominator),
                count,
            })
        }
        Aggregation::Latest => Err(AggregateError::NotAggregable),
    }
}

/// The national value of an indicator for a period and the observations it comes from:
/// a national observation (measured before declared, imported, estimated), or else the
/// agencies' values combined by the indicator's aggregation rule. A national observation
/// that states a figure the records compute differently gives way to the computed figure
/// ([`crate::stated`]).
pub fn national_value<'a>(
    data: &'a Dataset,
    indicator: &Indicator,
    period: Period,
) -> Option<(f64, Vec<&'a Observation>)> {
    const PRECEDENCE: [SourceKind; 4] = [
        SourceKind::Measured,
        SourceKind::Declared,
        SourceKind::Imported,
        SourceKind::Estimated,
    ];
    let national = data
        .observations
        .iter()
        .filter(|o| o.indicator_id == indicator.id && o.agency_id.is_none() && o.period == period)
        .min_by_key(|o| PRECEDENCE.iter().position(|k| *k == o.source));
    if let Some(o) = national {
        let value = crate::stated::contradiction(data, o).map_or(o.value, |c| c.computed_value);
        return Some((value, vec![o]));
    }
    let agency_values: Vec<&Observation> = data
        .observations
        .iter()
        .filter(|o| o.indicator_id == indicator.id && o.agency_id.is_some() && o.period == period)
        .collect();
    aggregate(indicator, &agency_values)
        .ok()
        .map(|a| (a.value, agency_values))
}

/// The outcome of classifying a target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Classification {
    /// What the rule computes from the data.
    pub computed: TargetClass,
    /// The projected value at the due date, when a trend was used.
    pub projected: Option<f64>,
    /// Which step of the rule decided, in Vietnamese.
    pub basis: String,
    /// A person's override, if any.
    pub assessment: Option<TargetAssessment>,
}

impl Classification {
    /// The class that counts: the override when there is one.
    pub fn effective(&self) -> TargetClass {
        self.assessment.as_ref().map_or(self.computed, |a| a.class)
    }
}

/// Classify a target from its national series (values dated by period end) as of a
/// period, applying a person's assessment for that period if given.
pub fn classify(
    target: &Target,
    series: &[(Period, f64)],
    as_of: Period,
    assessment: Option<&TargetAssessment>,
) -> Classification {
    let mut points: Vec<(NaiveDate, f64)> = series
        .iter()
        .filter(|(p, _)| {
            p.end(ReportingRegime::CalendarMonth) <= as_of.end(ReportingRegime::CalendarMonth)
        })
        .map(|(p, v)| (p.end(ReportingRegime::CalendarMonth), *v))
        .collect();
    points.sort_by_key(|(d, _)| *d);
    let assessment = assessment.cloned();
    let (computed, projected, basis) = match points.as_slice() {
        [] => (
            TargetClass::NeedsEffort,
            None,
            "chưa có số liệu".to_string(),
        ),
        [.., (_, last)] if meets(target, *last) => (
            TargetClass::Achieved,
            None,
            "giá trị mới nhất đạt mục tiêu".to_string(),
        ),
        [.., (d1, v1), (d2, v2)] => match target.deadline.due {
            Some(due) if d2 > d1 => {
                let slope = (v2 - v1) / (*d2 - *d1).num_days() as f64;
                let projection = v2 + slope * (due - *d2).num_days() as f64;
                let class = if meets(target, projection) {
                    TargetClass::Likely
                } else {
                    TargetClass::NeedsEffort
                };
                (
                    class,
                    Some(projection),
                    "ngoại suy xu hướng hai kỳ gần nhất đến thời hạn".to_string(),
                )
            }
            _ => single_value_rule(target, *v2),
        },
        [(_, only)] => single_value_rule(target, *only),
    };
    Classification {
        computed,
        projected,
        basis,
        assessment,
    }
}

fn single_value_rule(target: &Target, value: f64) -> (TargetClass, Option<f64>, String) {
    let likely = attainment(target, value).is_some_and(|a| a >= SINGLE_VALUE_LIKELY_ATTAINMENT);
    let class = if likely {
        TargetClass::Likely
    } else {
        TargetClass::NeedsEffort
    };
    (
        class,
        None,
        format!(
            "một kỳ số liệu: so với ngưỡng {}% mục tiêu",
            SINGLE_VALUE_LIKELY_ATTAINMENT
        ),
    )
}

impl TargetClass {
    pub fn label_vi(self) -> &'static str {
        match self {
            TargetClass::Achieved => "Đã hoàn thành",
            TargetClass::Likely => "Có khả năng hoàn thành cao",
            TargetClass::NeedsEffort => "Phải nỗ lực tập trung",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            TargetClass::Achieved => "Achieved",
            TargetClass::Likely => "Likely to be achieved",
            TargetClass::NeedsEffort => "Needs focused effort",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deadline::Deadline;
    use crate::model::Operator;

    fn target(op: Operator, value: f64, deadline: &str) -> Target {
        Target {
            id: "t".into(),
            indicator_id: "i".into(),
            agency_id: None,
            operator: op,
            value,
            deadline: Deadline::parse(deadline, 2021),
            provenance: String::new(),
        }
    }

    fn rate() -> Indicator {
        Indicator {
            id: "i".into(),
            programme_id: "p".into(),
            code: "1".into(),
            heading: String::new(),
            name: "i".into(),
            unit: "%".into(),
            direction: Direction::HigherIsBetter,
            aggregation: Aggregation::Ratio,
            restatement: None,
            scope: crate::model::IndicatorScope::Agencies,
            scope_groups: Vec::new(),
            provenance: String::new(),
        }
    }

    fn obs(agency: &str, value: f64, n: Option<f64>, d: Option<f64>) -> Observation {
        Observation {
            indicator_id: "i".into(),
            agency_id: Some(agency.into()),
            period: Period::year(2023),
            value,
            numerator: n,
            denominator: d,
            source: crate::model::SourceKind::Declared,
            states: None,
            note: String::new(),
            provenance: String::new(),
        }
    }

    #[test]
    fn attainment_and_meets() {
        let t = target(Operator::AtLeast, 80.0, "Năm 2025");
        assert_eq!(
            attainment(&t, 58.41).map(|a| (a * 100.0).round() / 100.0),
            Some(73.01)
        );
        assert!(!meets(&t, 79.99) && meets(&t, 80.0));
        let lower = target(Operator::AtMost, 10.0, "Năm 2025");
        assert_eq!(attainment(&lower, 20.0), Some(50.0));
        assert_eq!(
            attainment(&target(Operator::AtLeast, 0.0, "Năm 2025"), 5.0),
            None
        );
    }

    #[test]
    fn change_of_a_rate_is_in_percentage_points() {
        let c = change(&rate(), Period::month(2024, 4), 80.44, 80.53);
        assert_eq!(c.unit, ChangeUnit::PercentagePoints);
        assert!((c.delta - 0.09).abs() < 1e-9);
        assert_eq!(c.improved, Some(true));
    }

    #[test]
    fn ratio_aggregation_sums_numerators_and_denominators() {
        let a = obs("A", 50.0, Some(1.0), Some(2.0));
        let b = obs("B", 100.0, Some(8.0), Some(8.0));
        let agg = aggregate(&rate(), &[&a, &b]).unwrap();
        assert_eq!(
            (agg.numerator, agg.denominator, agg.value),
            (Some(9.0), Some(10.0), 90.0)
        );
        let c = obs("C", 70.0, None, None);
        assert_eq!(
            aggregate(&rate(), &[&a, &c]),
            Err(AggregateError::MissingNumeratorOrDenominator)
        );
        let mean = Indicator {
            aggregation: Aggregation::Mean,
            ..rate()
        };
        assert_eq!(aggregate(&mean, &[&a, &b]).unwrap().value, 75.0);
    }

    #[test]
    fn classification_rule() {
        let t = target(Operator::AtLeast, 80.0, "Năm 2025");
        let as_of = Period::year(2023);
        assert_eq!(
            classify(&t, &[(Period::year(2023), 85.0)], as_of, None).computed,
            TargetClass::Achieved
        );
        let rising = classify(
            &t,
            &[(Period::year(2022), 54.34), (Period::year(2023), 68.0)],
            as_of,
            None,
        );
        assert_eq!(rising.computed, TargetClass::Likely);
        assert!(rising.projected.unwrap() > 80.0);
        let slow = classify(
            &t,
            &[(Period::year(2022), 54.34), (Period::year(2023), 58.41)],
            as_of,
            None,
        );
        assert_eq!(slow.computed, TargetClass::NeedsEffort);
        assert_eq!(
            classify(&t, &[(Period::year(2023), 65.0)], as_of, None).computed,
            TargetClass::Likely
        );
        assert_eq!(
            classify(&t, &[(Period::year(2023), 60.0)], as_of, None).computed,
            TargetClass::NeedsEffort
        );
        assert_eq!(
            classify(&t, &[], as_of, None).computed,
            TargetClass::NeedsEffort
        );
        let later = classify(&t, &[(Period::year(2024), 90.0)], as_of, None);
        assert_eq!(
            later.computed,
            TargetClass::NeedsEffort,
            "values after the as-of period are ignored"
        );
        let override_ = TargetAssessment {
            target_id: "t".into(),
            period: as_of,
            class: TargetClass::Likely,
            reason: "theo báo cáo".into(),
            assessed_by: "Bộ".into(),
            provenance: String::new(),
        };
        let c = classify(&t, &[(Period::year(2023), 58.41)], as_of, Some(&override_));
        assert_eq!(
            (c.computed, c.effective()),
            (TargetClass::NeedsEffort, TargetClass::Likely)
        );
    }
}
