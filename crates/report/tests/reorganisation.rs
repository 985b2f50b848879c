//! The 2025 reorganisation on the demo data (issue 6, "Done when"): the same 2024
//! checklist data as of 2024 (x/63) and restated as of 2025 (x/34); a reused code
//! resolved by date; a ratio restated from numerators and denominators against a hand
//! computation; a value that cannot be restated reported as such. Plus the integrity of
//! the registry: group sizes on each side of the changes and lineage edges that connect
//! units valid on each side.

use std::path::PathBuf;

use chrono::NaiveDate;
use tiendo_core::model::Dataset;
use tiendo_core::period::Period;
use tiendo_core::structure::{
    Outcome, RestatedValue, resolve_code, restate_checklist, restate_indicator,
};
use tiendo_exchange::import::{plan, read_sources};

fn demo() -> Dataset {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/demo");
    let dirs: Vec<PathBuf> = ["reference", "kh2024", "cl942", "tb2024", "mh2025"]
        .iter()
        .map(|d| root.join(d))
        .collect();
    plan(
        &read_sources(&dirs).expect("demo files readable"),
        &Dataset::default(),
    )
    .expect("demo data valid")
    .result
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn the_2024_checklist_as_of_2024_and_restated_as_of_2025() {
    let data = demo();
    let requirement = data
        .checklist_requirements
        .iter()
        .find(|r| r.id == "cdsqg-yc-mien-giam-phi-dvctt")
        .unwrap();
    let as_of_2024 = restate_checklist(&data, requirement, d("2024-05-31"), d("2024-05-31"));
    assert_eq!((as_of_2024.numerator(), as_of_2024.denominator()), (60, 63));
    let not_done: Vec<&str> = as_of_2024.groups[0]
        .not_done()
        .map(|u| u.agency.id.as_str())
        .collect();
    assert_eq!(not_done, vec!["tay-ninh", "kien-giang", "can-tho"]);

    let restated = restate_checklist(&data, requirement, d("2024-05-31"), d("2025-07-01"));
    assert_eq!((restated.numerator(), restated.denominator()), (31, 34));
    let merged: Vec<(&str, Vec<&str>)> = restated.groups[0]
        .not_done()
        .map(|u| {
            let mut parts: Vec<&str> = u.parts.iter().map(|p| p.agency.id.as_str()).collect();
            parts.sort();
            (u.agency.id.as_str(), parts)
        })
        .collect();
    assert_eq!(
        merged,
        vec![
            ("tay-ninh-2025", vec!["long-an", "tay-ninh"]),
            ("an-giang-2025", vec!["an-giang", "kien-giang"]),
            ("can-tho-2025", vec!["can-tho", "hau-giang", "soc-trang"]),
        ]
    );
    let hue = restated.groups[0]
        .units
        .iter()
        .find(|u| u.agency.id == "hue")
        .unwrap();
    assert_eq!(
        hue.outcome,
        Outcome::Done,
        "Thừa Thiên Huế's 2024 result carries over the rename"
    );

    let plans = data
        .checklist_requirements
        .iter()
        .find(|r| r.id == "cdsqg-yc-kh-cds-2024")
        .unwrap();
    let ministries = |date: &str| {
        let r = restate_checklist(&data, plans, d("2024-05-31"), d(date));
        (
            r.groups[0].numerator(),
            r.groups[0].denominator(),
            r.groups[1].denominator(),
        )
    };
    assert_eq!(ministries("2024-05-31"), (22, 22, 63));
    assert_eq!(ministries("2025-07-01"), (17, 17, 34));
}

#[test]
fn with_equal_dates_the_restated_checklist_is_the_plain_result() {
    let data = demo();
    for requirement in data
        .checklist_requirements
        .iter()
        .filter(|r| r.programme_id == "cdsqg")
    {
        for date in ["2024-04-30", "2024-05-31", "2024-12-31"] {
            let plain = tiendo_core::checklist::evaluate(&data, requirement, d(date));
            let restated = restate_checklist(&data, requirement, d(date), d(date));
            let ids = |units: Vec<&str>| units.into_iter().map(str::to_string).collect::<Vec<_>>();
            for (p, r) in plain.groups.iter().zip(&restated.groups) {
                assert_eq!(
                    ids(p.done.iter().map(|a| a.id.as_str()).collect()),
                    ids(r.done().map(|u| u.agency.id.as_str()).collect()),
                    "{} {date}",
                    requirement.id
                );
                assert_eq!(
                    ids(p.not_done.iter().map(|a| a.id.as_str()).collect()),
                    ids(r.not_done().map(|u| u.agency.id.as_str()).collect())
                );
            }
        }
    }
}

#[test]
fn a_code_reused_across_eras_resolves_by_date() {
    let data = demo();
    assert_eq!(
        resolve_code(&data.agencies, "15", d("2024-05-01"))
            .unwrap()
            .id,
        "yen-bai"
    );
    assert_eq!(
        resolve_code(&data.agencies, "15", d("2025-08-01"))
            .unwrap()
            .id,
        "lao-cai-2025"
    );
    assert_eq!(
        resolve_code(&data.agencies, "46", d("2024-05-01"))
            .unwrap()
            .short_name,
        "Thừa Thiên Huế"
    );
    assert_eq!(
        resolve_code(&data.agencies, "46", d("2025-03-01"))
            .unwrap()
            .id,
        "hue"
    );
    assert!(
        resolve_code(&data.agencies, "10", d("2025-08-01")).is_err(),
        "code 10 (Lào Cai) is not used after 01/7/2025"
    );
    let observed = |period: &str| {
        let p: Period = period.parse().unwrap();
        data.observations
            .iter()
            .filter(|o| o.indicator_id == "mh2025-hs-toan-trinh" && o.period == p)
            .filter_map(|o| o.agency_id.as_deref())
            .any(|a| a == "yen-bai")
    };
    assert!(
        observed("2025-H1") && !observed("2025-H2"),
        "the illustrative file's code:15 rows resolved by their periods"
    );
}

#[test]
fn a_ratio_restated_from_numerators_and_denominators_equals_the_hand_computation() {
    let data = demo();
    let indicator = data
        .indicators
        .iter()
        .find(|i| i.id == "mh2025-hs-toan-trinh")
        .unwrap();
    let values = restate_indicator(
        &data,
        indicator,
        Period::half_year(2025, 1),
        d("2025-12-31"),
    );
    let lao_cai = values
        .iter()
        .find(|u| u.agency.id == "lao-cai-2025")
        .unwrap();
    // Lào Cai (10): 27.280/45.000; Yên Bái (15): 216.241/286.000 (data/demo/mh2025/observations.csv).
    let by_hand = (27_280.0 + 216_241.0) / (45_000.0 + 286_000.0) * 100.0;
    match &lao_cai.value {
        RestatedValue::Value {
            value,
            numerator,
            denominator,
            estimate,
            ..
        } => {
            assert_eq!(
                (*numerator, *denominator),
                (Some(243_521.0), Some(331_000.0))
            );
            assert!((value - by_hand).abs() < 1e-9, "{value} vs {by_hand}");
            assert!(
                (value - (60.62 + 75.61) / 2.0).abs() > 1.0,
                "not the mean of the two rates"
            );
            assert!(!estimate);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_value_that_cannot_be_restated_is_reported_as_such() {
    let data = demo();
    let score = data
        .indicators
        .iter()
        .find(|i| i.id == "mh2025-diem-766")
        .unwrap();
    let values = restate_indicator(&data, score, Period::half_year(2025, 1), d("2025-12-31"));
    let lao_cai = values
        .iter()
        .find(|u| u.agency.id == "lao-cai-2025")
        .unwrap();
    assert!(
        matches!(&lao_cai.value, RestatedValue::NotRestatable(reason) if reason.contains("Yên Bái")),
        "{:?}",
        lao_cai.value
    );
    let ha_noi = values.iter().find(|u| u.agency.id == "ha-noi").unwrap();
    assert!(
        matches!(ha_noi.value, RestatedValue::Value { .. }),
        "an unchanged province keeps its value"
    );
    let backwards = restate_indicator(&data, score, Period::half_year(2025, 2), d("2025-06-30"));
    let yen_bai = backwards.iter().find(|u| u.agency.id == "yen-bai").unwrap();
    assert!(
        matches!(&yen_bai.value, RestatedValue::NotRestatable(reason) if reason.contains("không tách lại được"))
    );
}

#[test]
fn groups_have_22_then_17_ministries_and_63_then_34_provinces() {
    let data = demo();
    let size = |group: &str, date: &str| data.members_on(group, d(date)).len();
    assert_eq!(
        (size("bo-cqnb", "2025-02-28"), size("bo-cqnb", "2025-03-01")),
        (22, 17)
    );
    assert_eq!(
        (
            size("dia-phuong", "2025-06-30"),
            size("dia-phuong", "2025-07-01")
        ),
        (63, 34)
    );
    assert_eq!(
        (
            size("dia-phuong", "2024-12-31"),
            size("dia-phuong", "2025-01-01")
        ),
        (63, 63),
        "Huế replaces Thừa Thiên Huế"
    );
}

#[test]
fn every_lineage_edge_joins_a_unit_that_ends_to_one_that_exists_from_the_change() {
    let data = demo();
    assert!(data.lineage.len() >= 14 + 52);
    for e in &data.lineage {
        let from = data.agency(&e.from_agency).unwrap();
        let to = data.agency(&e.to_agency).unwrap();
        let before = e.effective.pred_opt().unwrap();
        assert!(
            from.valid_on(before) && !from.valid_on(e.effective),
            "{} ends the day before {}",
            from.id,
            e.effective
        );
        assert!(
            to.valid_on(e.effective),
            "{} exists on {}",
            to.id,
            e.effective
        );
    }
    let ended = data
        .agencies
        .iter()
        .filter(|a| a.valid_to.is_some_and(|t| t < d("2025-12-31")));
    for a in ended {
        assert!(
            data.lineage.iter().any(|e| e.from_agency == a.id),
            "{} ends without a successor: its records would drop out of restated views",
            a.id
        );
    }
    let not_confirmed: Vec<&str> = data
        .lineage
        .iter()
        .filter(|e| e.confidence == tiendo_core::model::Confidence::NotConfirmed)
        .map(|e| e.from_agency.as_str())
        .collect();
    assert_eq!(
        not_confirmed,
        vec!["BHXH", "UBQLV", "thua-thien-hue"],
        "rows marked not_confirmed stay marked"
    );
}
