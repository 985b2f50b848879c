//! Reconciliation of declared and measured values: for every indicator, agency and period
//! with both a measured observation and one declared by the agency (or imported from a
//! report), the differences beyond a tolerance (in the indicator's unit: percentage
//! points for rates).

use crate::model::{Dataset, Observation, SourceKind};

/// A declared value that disagrees with the measured one.
#[derive(Debug, Clone, PartialEq)]
pub struct Discrepancy<'a> {
    pub declared: &'a Observation,
    pub measured: &'a Observation,
    /// Declared minus measured.
    pub difference: f64,
}

/// The discrepancies beyond `tolerance`, in the order of the declared observations
/// (indicator, agency, period).
pub fn reconcile(data: &Dataset, tolerance: f64) -> Vec<Discrepancy<'_>> {
    let mut out: Vec<Discrepancy<'_>> = data
        .observations
        .iter()
        .filter(|o| matches!(o.source, SourceKind::Declared | SourceKind::Imported))
        .filter_map(|declared| {
            let measured = data.observations.iter().find(|m| {
                m.source == SourceKind::Measured
                    && m.indicator_id == declared.indicator_id
                    && m.agency_id == declared.agency_id
                    && m.period == declared.period
            })?;
            let difference = declared.value - measured.value;
            (difference.abs() > tolerance).then_some(Discrepancy {
                declared,
                measured,
                difference,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        (
            &a.declared.indicator_id,
            &a.declared.agency_id,
            a.declared.period,
            a.declared.source.code(),
        )
            .cmp(&(
                &b.declared.indicator_id,
                &b.declared.agency_id,
                b.declared.period,
                b.declared.source.code(),
            ))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::period::Period;

    fn obs(indicator: &str, agency: Option<&str>, value: f64, source: SourceKind) -> Observation {
        Observation {
            indicator_id: indicator.to_string(),
            agency_id: agency.map(str::to_string),
            period: Period::month(2024, 5),
            value,
            numerator: None,
            denominator: None,
            source,
            states: None,
            note: String::new(),
            provenance: String::new(),
        }
    }

    #[test]
    fn differences_beyond_the_tolerance() {
        let data = Dataset {
            observations: vec![
                obs("i", Some("A"), 90.0, SourceKind::Declared),
                obs("i", Some("A"), 80.0, SourceKind::Measured),
                obs("i", Some("B"), 81.0, SourceKind::Declared),
                obs("i", Some("B"), 80.0, SourceKind::Measured),
                obs("i", Some("C"), 70.0, SourceKind::Declared),
                obs("j", None, 50.0, SourceKind::Imported),
                obs("j", None, 55.5, SourceKind::Measured),
                obs("k", None, 50.0, SourceKind::Estimated),
                obs("k", None, 10.0, SourceKind::Measured),
            ],
            ..Dataset::default()
        };
        let found = reconcile(&data, 2.0);
        let summary: Vec<(&str, Option<&str>, f64)> = found
            .iter()
            .map(|d| {
                (
                    d.declared.indicator_id.as_str(),
                    d.declared.agency_id.as_deref(),
                    d.difference,
                )
            })
            .collect();
        // B is within 2 points, C has no measured value, estimates are not declarations.
        assert_eq!(summary, vec![("i", Some("A"), 10.0), ("j", None, -5.5)]);
    }
}
