//! Stated figures checked against the records: a figure that an agency or a report states
//! ("12/22 bộ") and that the records can also compute (a checklist's items, the tasks
//! done, the agencies' values) is compared with the computed one. A contradiction is
//! listed by `tiendo check` with both figures and the records behind the computed one,
//! and reports print the computed figure with a note, never the stated one silently.
//!
//! The link is explicit in the data: an observation names what it states
//! ([`Stated`]). Compared at the end of the observation's period (in its programme's
//! reporting regime).

use serde::Serialize;

use crate::model::{Dataset, Observation, Stated};

/// A stated figure that disagrees with what the records give.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contradiction {
    /// The figure as stated: "12/22" or "12".
    pub stated: String,
    /// The figure computed from the records.
    pub computed: String,
    /// The value the observation should have had, in its indicator's unit: shown instead
    /// of the stated one.
    pub computed_value: f64,
    /// What the computed figure comes from: "checklist_items …", the agencies not done.
    pub behind: String,
}

/// Two figures agree within rounding (reports give one or two decimals).
fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 0.05_f64.max(b.abs() * 1e-3)
}

fn number(v: f64) -> String {
    crate::format::decimal(v, 2)
}

/// Compare a stated observation with the records; `None` when it agrees, states nothing,
/// or names something that does not exist.
pub fn contradiction(data: &Dataset, observation: &Observation) -> Option<Contradiction> {
    let indicator = data
        .indicators
        .iter()
        .find(|i| i.id == observation.indicator_id)?;
    let regime = data
        .programme(&indicator.programme_id)
        .map(|p| p.regime)
        .unwrap_or_default();
    let end = observation.period.end(regime);
    match observation.states.as_ref()? {
        Stated::Checklist(requirement_id) => {
            let requirement = data
                .checklist_requirements
                .iter()
                .find(|r| &r.id == requirement_id)?;
            let result = crate::checklist::evaluate(data, requirement, end);
            let (n, total) = (result.numerator() as f64, result.denominator() as f64);
            let agrees = match (observation.numerator, observation.denominator) {
                (Some(sn), Some(sd)) => same(sn, n) && same(sd, total),
                _ if indicator.is_rate() => {
                    total > 0.0 && same(observation.value, n / total * 100.0)
                }
                _ => same(observation.value, n),
            };
            if agrees {
                return None;
            }
            let stated = match (observation.numerator, observation.denominator) {
                (Some(sn), Some(sd)) => format!("{}/{}", number(sn), number(sd)),
                _ => number(observation.value),
            };
            let not_done: Vec<String> = result.not_done().map(|a| a.short_name.clone()).collect();
            let behind = format!(
                "checklist_items {requirement_id} đến ngày {}: {}/{} đã thực hiện{}",
                crate::format::date(end),
                n,
                total,
                if not_done.is_empty() {
                    String::new()
                } else {
                    format!("; chưa thực hiện: {}", not_done.join(", "))
                }
            );
            let computed_value = if indicator.is_rate() && total > 0.0 {
                n / total * 100.0
            } else {
                n
            };
            Some(Contradiction {
                stated,
                computed: format!("{n}/{total}"),
                computed_value,
                behind,
            })
        }
        Stated::TasksDone(programme_id) => {
            let family: Vec<&str> = data
                .programme_family(programme_id)
                .iter()
                .map(|p| p.id.as_str())
                .collect();
            let views = crate::status::task_views(data, &family, end);
            let done = views.iter().filter(|v| v.status.is_done()).count();
            if same(observation.value, done as f64) {
                return None;
            }
            let behind = format!(
                "tasks của {programme_id} đến ngày {}: {done}/{} hoàn thành",
                crate::format::date(end),
                views.len()
            );
            Some(Contradiction {
                stated: number(observation.value),
                computed: format!("{done}/{}", views.len()),
                computed_value: done as f64,
                behind,
            })
        }
        Stated::AgencyAggregate => {
            if observation.agency_id.is_some() {
                return None;
            }
            let parts: Vec<&Observation> = data
                .observations
                .iter()
                .filter(|o| {
                    o.indicator_id == observation.indicator_id
                        && o.period == observation.period
                        && o.source == observation.source
                        && o.agency_id.is_some()
                })
                .collect();
            let aggregate = crate::indicator::aggregate(indicator, &parts).ok()?;
            if same(observation.value, aggregate.value) {
                return None;
            }
            let behind = format!(
                "observations {} {} của {} cơ quan",
                observation.indicator_id,
                observation.period.code(),
                parts.len()
            );
            Some(Contradiction {
                stated: number(observation.value),
                computed: number(aggregate.value),
                computed_value: aggregate.value,
                behind,
            })
        }
    }
}
