//! Measured indicators and the QĐ 766 index (DOMAIN §4), from an agency's counts for a
//! period. Points, thresholds and rating bands come from the configuration
//! (`data/config/qd766.json`), not from code.
//!
//! Scoring: a ratio R (in %) with threshold X and maximum M gives M points when R ≥ X,
//! else R × M / X. An item without a measure from events, or without any dossier in its
//! denominator, is not scored; the total is the sum of the scored items' points, also
//! restated on 100 over the maximum of the scored items, and the band is read from that.

use serde::{Deserialize, Serialize};

/// The built-in configuration.
pub const DEFAULT_CONFIG: &str = include_str!("../../../data/config/qd766.json");

/// An agency's counts for a period, as returned by the QĐ 766 query.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub received: i64,
    pub online: i64,
    pub eligible_full: i64,
    pub full_online: i64,
    pub fee: i64,
    pub paid_online: i64,
    pub digitised: i64,
    pub reused: i64,
    pub eid: i64,
    pub finished: i64,
    pub on_time: i64,
    pub electronic_result: i64,
    pub rated: i64,
    pub satisfied: i64,
    pub fee_procedures: i64,
    pub paid_procedures: i64,
    /// Dossiers due by the end of the period and not finished by then.
    pub open_overdue: i64,
}

/// A measured indicator: a ratio of two counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    Online,
    FullOnline,
    OnTime,
    PaidOnline,
    FeeProceduresPaidOnline,
    ElectronicResult,
    Digitised,
    Reused,
    Eid,
    Satisfaction,
}

impl Measure {
    pub const ALL: [Measure; 10] = [
        Measure::Online,
        Measure::FullOnline,
        Measure::OnTime,
        Measure::PaidOnline,
        Measure::FeeProceduresPaidOnline,
        Measure::ElectronicResult,
        Measure::Digitised,
        Measure::Reused,
        Measure::Eid,
        Measure::Satisfaction,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Measure::Online => "online",
            Measure::FullOnline => "full_online",
            Measure::OnTime => "on_time",
            Measure::PaidOnline => "paid_online",
            Measure::FeeProceduresPaidOnline => "fee_procedures_paid_online",
            Measure::ElectronicResult => "electronic_result",
            Measure::Digitised => "digitised",
            Measure::Reused => "reused",
            Measure::Eid => "eid",
            Measure::Satisfaction => "satisfaction",
        }
    }

    /// The indicator's name as in reports.
    pub fn name_vi(self) -> &'static str {
        match self {
            Measure::Online => "Tỷ lệ hồ sơ nộp trực tuyến",
            Measure::FullOnline => {
                "Tỷ lệ hồ sơ trực tuyến toàn trình trên hồ sơ của thủ tục đủ điều kiện toàn trình"
            }
            Measure::OnTime => "Tỷ lệ hồ sơ giải quyết đúng hạn",
            Measure::PaidOnline => "Tỷ lệ hồ sơ có phí, lệ phí được thanh toán trực tuyến",
            Measure::FeeProceduresPaidOnline => {
                "Tỷ lệ thủ tục có phí, lệ phí phát sinh thanh toán trực tuyến"
            }
            Measure::ElectronicResult => "Tỷ lệ hồ sơ có kết quả điện tử",
            Measure::Digitised => "Tỷ lệ hồ sơ được số hóa thành phần",
            Measure::Reused => "Tỷ lệ hồ sơ tái sử dụng dữ liệu số hóa",
            Measure::Eid => "Tỷ lệ hồ sơ xác thực bằng định danh điện tử (VNeID)",
            Measure::Satisfaction => "Tỷ lệ hồ sơ được đánh giá hài lòng",
        }
    }

    /// Numerator and denominator.
    pub fn parts(self, c: &Counts) -> (i64, i64) {
        match self {
            Measure::Online => (c.online, c.received),
            Measure::FullOnline => (c.full_online, c.eligible_full),
            Measure::OnTime => (c.on_time, c.finished + c.open_overdue),
            Measure::PaidOnline => (c.paid_online, c.fee),
            Measure::FeeProceduresPaidOnline => (c.paid_procedures, c.fee_procedures),
            Measure::ElectronicResult => (c.electronic_result, c.finished),
            Measure::Digitised => (c.digitised, c.received),
            Measure::Reused => (c.reused, c.received),
            Measure::Eid => (c.eid, c.received),
            Measure::Satisfaction => (c.satisfied, c.rated),
        }
    }

    /// The ratio in %, when the denominator is not zero.
    pub fn ratio(self, c: &Counts) -> Option<f64> {
        let (n, d) = self.parts(c);
        (d > 0).then(|| n as f64 * 100.0 / d as f64)
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Band {
    pub min: f64,
    pub label: String,
    /// Whether the bound is confirmed by an official text.
    pub confirmed: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ItemConfig {
    pub id: String,
    pub name: String,
    pub points: f64,
    /// In %.
    pub threshold: f64,
    pub measure: Option<Measure>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct GroupConfig {
    pub id: String,
    pub name: String,
    pub max: f64,
    pub items: Vec<ItemConfig>,
}

/// A programme indicator that also receives a measured value.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ProgrammeIndicator {
    pub measure: Measure,
    pub indicator_id: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct IndexConfig {
    pub note: String,
    /// Reconciliation: differences above this many percentage points are reported.
    pub tolerance_points: f64,
    /// From the highest bound down.
    pub bands: Vec<Band>,
    pub groups: Vec<GroupConfig>,
    pub programme_indicators: Vec<ProgrammeIndicator>,
}

impl IndexConfig {
    pub fn from_json(text: &str) -> Result<IndexConfig, String> {
        let config: IndexConfig =
            serde_json::from_str(text).map_err(|e| format!("cấu hình QĐ 766 không hợp lệ: {e}"))?;
        for g in &config.groups {
            let sum: f64 = g.items.iter().map(|i| i.points).sum();
            if (sum - g.max).abs() > 1e-9 {
                return Err(format!(
                    "cấu hình QĐ 766: nhóm {} có tổng điểm tiêu chí {sum}, khác điểm tối đa {}",
                    g.id, g.max
                ));
            }
            if let Some(i) = g
                .items
                .iter()
                .find(|i| i.threshold <= 0.0 || i.threshold > 100.0)
            {
                return Err(format!(
                    "cấu hình QĐ 766: tiêu chí {} có ngưỡng {} ngoài (0, 100]",
                    i.id, i.threshold
                ));
            }
        }
        if !config.bands.windows(2).all(|w| w[0].min > w[1].min)
            || config.bands.last().is_none_or(|b| b.min > 0.0)
        {
            return Err(
                "cấu hình QĐ 766: các mức xếp loại phải giảm dần và mức cuối bắt đầu từ 0"
                    .to_string(),
            );
        }
        Ok(config)
    }

    pub fn builtin() -> IndexConfig {
        IndexConfig::from_json(DEFAULT_CONFIG).expect("the built-in configuration is valid")
    }

    pub fn band(&self, score: f64) -> &Band {
        self.bands
            .iter()
            .find(|b| score >= b.min)
            .unwrap_or_else(|| self.bands.last().expect("bands"))
    }

    /// The points of an item for a ratio (in %).
    pub fn points(max: f64, threshold: f64, ratio: f64) -> f64 {
        if ratio >= threshold {
            max
        } else {
            ratio * max / threshold
        }
    }

    /// Score an agency's counts.
    pub fn score(&self, counts: &Counts) -> IndexScore {
        let groups: Vec<GroupScore> = self
            .groups
            .iter()
            .map(|g| {
                let items: Vec<ItemScore> = g
                    .items
                    .iter()
                    .map(|i| {
                        let ratio = i.measure.and_then(|m| m.ratio(counts));
                        ItemScore {
                            id: i.id.clone(),
                            max: i.points,
                            measure: i.measure,
                            parts: i.measure.map(|m| m.parts(counts)),
                            ratio,
                            points: ratio.map(|r| IndexConfig::points(i.points, i.threshold, r)),
                        }
                    })
                    .collect();
                GroupScore {
                    id: g.id.clone(),
                    max: g.max,
                    scored_max: items
                        .iter()
                        .filter(|i| i.points.is_some())
                        .map(|i| i.max)
                        .sum(),
                    points: items.iter().filter_map(|i| i.points).sum(),
                    items,
                }
            })
            .collect();
        let points: f64 = groups.iter().map(|g| g.points).sum();
        let scored_max: f64 = groups.iter().map(|g| g.scored_max).sum();
        let on_100 = (scored_max > 0.0).then(|| points * 100.0 / scored_max);
        IndexScore {
            band: on_100.map(|s| self.band(s).label.clone()),
            groups,
            points,
            scored_max,
            on_100,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemScore {
    pub id: String,
    pub max: f64,
    pub measure: Option<Measure>,
    pub parts: Option<(i64, i64)>,
    pub ratio: Option<f64>,
    pub points: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupScore {
    pub id: String,
    pub max: f64,
    /// The maximum of the items that could be scored.
    pub scored_max: f64,
    pub points: f64,
    pub items: Vec<ItemScore>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexScore {
    pub groups: Vec<GroupScore>,
    pub points: f64,
    pub scored_max: f64,
    /// Points restated on 100 over the scored maximum.
    pub on_100: Option<f64>,
    pub band: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threshold_scoring() {
        assert_eq!(IndexConfig::points(20.0, 80.0, 80.0), 20.0);
        assert_eq!(IndexConfig::points(20.0, 80.0, 95.0), 20.0);
        assert_eq!(IndexConfig::points(20.0, 80.0, 60.0), 15.0);
        assert_eq!(IndexConfig::points(6.0, 90.0, 45.0), 3.0);
        assert_eq!(IndexConfig::points(12.0, 50.0, 0.0), 0.0);
    }

    #[test]
    fn scores_a_hand_made_agency() {
        let config = IndexConfig::builtin();
        let counts = Counts {
            received: 100,
            online: 60,
            eligible_full: 50,
            full_online: 20,
            fee: 40,
            paid_online: 40,
            digitised: 100,
            reused: 100,
            eid: 100,
            finished: 90,
            on_time: 72,
            electronic_result: 90,
            rated: 10,
            satisfied: 9,
            fee_procedures: 4,
            paid_procedures: 4,
            open_overdue: 10,
        };
        let s = config.score(&counts);
        let group = |id: &str| s.groups.iter().find(|g| g.id == id).unwrap();
        // On time 72/(90+10) = 72 % < 80 %: 72 × 20 / 80 = 18 points.
        assert_eq!(group("tien-do").points, 18.0);
        // Full online 20/50 = 40 % of threshold 80 %: 6 of 12 points.
        assert_eq!(group("dvc-truc-tuyen").points, 6.0);
        // Transparency is not measured from events: nothing scored.
        assert_eq!(group("cong-khai").scored_max, 0.0);
        // Satisfaction 90 % meets the 90 % threshold.
        assert_eq!(group("hai-long").points, 6.0);
        // Scored: 20 + 12 + 8 + 14 + 6 = 60 points possible; 18 + 6 + 8 + 14 + 6 = 52.
        assert_eq!(s.scored_max, 60.0);
        assert_eq!(s.points, 52.0);
        let on_100 = s.on_100.unwrap();
        assert!((on_100 - 86.666).abs() < 0.01);
        assert_eq!(s.band.as_deref(), Some("Tốt"));
    }

    #[test]
    fn no_dossiers_no_score() {
        let s = IndexConfig::builtin().score(&Counts::default());
        assert_eq!(s.on_100, None);
        assert_eq!(s.band, None);
    }

    #[test]
    fn configuration_is_checked() {
        let bad = DEFAULT_CONFIG.replace("\"points\": 20,", "\"points\": 19,");
        assert!(
            IndexConfig::from_json(&bad)
                .unwrap_err()
                .contains("tien-do")
        );
        let bands = DEFAULT_CONFIG.replace(
            "{ \"min\": 0, \"label\": \"Yếu\"",
            "{ \"min\": 10, \"label\": \"Yếu\"",
        );
        assert!(IndexConfig::from_json(&bands).is_err());
    }
}
