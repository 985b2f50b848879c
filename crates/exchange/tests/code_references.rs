//! Agencies referenced by official code in imports: a code is resolved with a date (the
//! record's own, or one written after `@`); without one, or when it names no agency on
//! that date, the import fails with file, line, field and reason.

use proptest::prelude::*;
use tiendo_core::model::Dataset;
use tiendo_exchange::import::{ImportError, SourceFile, plan};
use tiendo_exchange::records::Entity;

fn source(entity: &str, text: &str) -> SourceFile {
    SourceFile {
        name: format!("{entity}.csv"),
        entity: Entity::by_name(entity).unwrap(),
        text: text.to_string(),
    }
}

const AGENCIES: &str = "id,code,name,short_name,kind,valid_from,valid_to,sort_order,confidence,note,provenance\n\
yen-bai,15,Tỉnh Yên Bái,Yên Bái,province,,2025-06-30,1015,official,,test\n\
lao-cai,10,Tỉnh Lào Cai,Lào Cai,province,,2025-06-30,1010,official,,test\n\
lao-cai-2025,15,Tỉnh Lào Cai,Lào Cai,province,2025-07-01,,1015,official,,test\n";

const PROGRAMME: &str = "id,parent_id,name,short_name,legal_basis,owner_agency,start,end,regime,provenance\n\
p,,Chương trình,P,,code:10@2024-01-01,2024-01-01,2025-12-31,calendar,test\n";

/// No `restatement` column: it was added to version 1 later and may be absent.
const INDICATORS: &str = "id,programme_id,code,heading,name,unit,direction,aggregation,provenance\n\
i,p,1,,Tỷ lệ,%,higher,ratio,test\n";

fn import(observations: &str) -> Result<Dataset, Vec<ImportError>> {
    let files = [
        source("agencies", AGENCIES),
        source("programmes", PROGRAMME),
        source("indicators", INDICATORS),
        source("observations", observations),
    ];
    plan(&files, &Dataset::default()).map(|p| p.result)
}

const OBSERVATION_HEADER: &str =
    "indicator_id,agency_id,period,source,value,numerator,denominator,note,provenance\n";

#[test]
fn a_code_reused_across_eras_resolves_by_the_records_date() {
    let data = import(&format!("{OBSERVATION_HEADER}i,code:15,2024-H1,declared,50,1,2,,test\ni,code:15,2025-H2,declared,40,2,5,,test\n")).unwrap();
    let mut agencies: Vec<(String, &str)> = data
        .observations
        .iter()
        .map(|o| (o.period.code(), o.agency_id.as_deref().unwrap()))
        .collect();
    agencies.sort();
    assert_eq!(
        agencies,
        vec![
            ("2024-H1".to_string(), "yen-bai"),
            ("2025-H2".to_string(), "lao-cai-2025")
        ]
    );
    assert_eq!(
        data.programmes[0].owner_agency, "lao-cai",
        "an explicit date after @"
    );
    assert_eq!(data.indicators[0].restatement, None);
}

#[test]
fn a_code_that_names_nothing_on_its_date_is_an_error_not_a_guess() {
    let errors = import(&format!(
        "{OBSERVATION_HEADER}i,code:10,2025-H2,declared,40,2,5,,test\n"
    ))
    .unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = &errors[0];
    assert_eq!(
        (e.file.as_str(), e.line, e.field.as_deref()),
        ("observations.csv", Some(2), Some("agency_id"))
    );
    assert!(
        e.reason.contains("\"10\"") && e.reason.contains("2025-12-31"),
        "{}",
        e.reason
    );
}

#[test]
fn a_code_without_a_date_is_an_error() {
    let memberships = "group_id,agency_id,valid_from,valid_to,provenance\ng,code:15,,,test\n";
    let groups = "id,name,counted_as,provenance\ng,nhóm,địa phương,test\n";
    let files = [
        source("agencies", AGENCIES),
        source("agency_groups", groups),
        source("group_memberships", memberships),
    ];
    let errors = plan(&files, &Dataset::default()).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        (
            errors[0].file.as_str(),
            errors[0].line,
            errors[0].field.as_deref()
        ),
        ("group_memberships.csv", Some(2), Some("agency_id"))
    );
    assert!(
        errors[0].reason.contains("cần một ngày"),
        "{}",
        errors[0].reason
    );
    let dated = "group_id,agency_id,valid_from,valid_to,provenance\ng,code:15,2025-07-01,,test\n";
    let files = [
        source("agencies", AGENCIES),
        source("agency_groups", groups),
        source("group_memberships", dated),
    ];
    assert_eq!(
        plan(&files, &Dataset::default())
            .unwrap()
            .result
            .group_memberships[0]
            .agency_id,
        "lao-cai-2025"
    );
}

#[test]
fn lineage_codes_resolve_the_day_before_and_the_day_of_the_change() {
    let lineage = "from_agency,to_agency,kind,effective,functions,share,confidence,provenance\ncode:15,code:15,merged_into,2025-07-01,,,official,test\n";
    let data = plan(
        &[source("agencies", AGENCIES), source("lineage", lineage)],
        &Dataset::default(),
    )
    .unwrap()
    .result;
    assert_eq!(
        (
            data.lineage[0].from_agency.as_str(),
            data.lineage[0].to_agency.as_str()
        ),
        ("yen-bai", "lao-cai-2025")
    );
}

#[test]
fn a_split_has_at_most_one_principal_successor() {
    let lineage = "from_agency,to_agency,kind,effective,functions,share,principal,confidence,provenance\n\
                   lao-cai,yen-bai,split_into,2025-07-01,,,true,official,test\n\
                   lao-cai,lao-cai-2025,split_into,2025-07-01,,,true,official,test\n\
                   yen-bai,lao-cai-2025,merged_into,2025-07-01,,0.5,,official,test\n";
    let errors = plan(
        &[source("agencies", AGENCIES), source("lineage", lineage)],
        &Dataset::default(),
    )
    .unwrap_err();
    let located: Vec<(Option<usize>, Option<&str>)> = errors
        .iter()
        .map(|e| (e.line, e.field.as_deref()))
        .collect();
    assert_eq!(
        located,
        vec![
            (Some(2), Some("principal")),
            (Some(3), Some("principal")),
            (Some(4), Some("share"))
        ],
        "{errors:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Whatever follows `code:`, the import either resolves it to the one agency that
    /// bears the code on the date or reports an error on that field; it never panics.
    #[test]
    fn code_references_resolve_exactly_or_fail(
        code in prop_oneof![Just("15".to_string()), Just("10".to_string()), "(10|15|99)@202[3-6]-0[1-9]-[0-2][1-9]", "[0-9A-Za-z@:-]{0,12}"],
        year in 2023i32..2027, half in 1u32..3) {
        let text = format!("{OBSERVATION_HEADER}i,code:{code},{year}-H{half},declared,50,1,2,,test\n");
        match import(&text) {
            Ok(data) => {
                let id = data.observations[0].agency_id.clone().unwrap();
                let agency = data.agencies.iter().find(|a| a.id == id).unwrap();
                let end = data.observations[0].period.end(tiendo_core::period::ReportingRegime::CalendarMonth);
                let (code, date) = code.split_once('@').map_or((code.as_str(), end), |(c, d)| (c, chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()));
                prop_assert_eq!(agency.code.as_str(), code);
                prop_assert!(agency.valid_on(date));
            }
            Err(errors) => prop_assert!(errors.iter().all(|e| e.field.as_deref() == Some("agency_id") && e.line == Some(2)), "{:?}", errors),
        }
    }
}
