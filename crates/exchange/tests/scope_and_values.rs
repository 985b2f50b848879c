//! Who may report an indicator, and values checked against its unit, on the import path
//! (the Excel template is imported through the same plan): a refusal names file, line,
//! field and reason, and nothing is imported.

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
btttt,BTTTT,Bộ Thông tin và Truyền thông,Bộ TT&TT,ministry,,2025-02-28,14,official,,test\n";

const GROUPS: &str =
    "id,name,counted_as,provenance\nbo,\"bộ, cơ quan ngang bộ\",\"bộ, ngành\",test\n";
const MEMBERS: &str = "group_id,agency_id,valid_from,valid_to,provenance\nbo,btttt,,,test\n";

const PROGRAMME: &str = "id,parent_id,name,short_name,legal_basis,owner_agency,start,end,regime,provenance\n\
p,,Chương trình,P,,btttt,2024-01-01,2024-12-31,calendar,test\n";

/// `national` by default (aggregation latest), `agencies` of group `bo`, `measured`, and
/// a count declared by any agency.
const INDICATORS: &str = "id,programme_id,code,heading,name,unit,direction,aggregation,scope,scope_groups,provenance\n\
quoc-gia,p,1,,Tỷ lệ toàn quốc,%,higher,latest,,,test\n\
cua-bo,p,2,,Tỷ lệ của bộ,%,higher,ratio,agencies,bo,test\n\
do-luong,p,3,,Tỷ lệ đo lường,%,higher,ratio,measured,,test\n\
so-luong,p,4,,Số sự cố,count,lower,sum,,,test\n";

fn import(observations: &str) -> Result<Dataset, Vec<ImportError>> {
    let files = [
        source("agencies", AGENCIES),
        source("agency_groups", GROUPS),
        source("group_memberships", MEMBERS),
        source("programmes", PROGRAMME),
        source("indicators", INDICATORS),
        source("observations", observations),
    ];
    plan(&files, &Dataset::default()).map(|p| p.result)
}

const HEADER: &str =
    "indicator_id,agency_id,period,source,value,numerator,denominator,note,provenance\n";

fn refusal(observations: &str) -> (usize, String, String) {
    let errors = import(&format!("{HEADER}{observations}")).expect_err("refused");
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = &errors[0];
    assert_eq!(e.file, "observations.csv");
    (e.line.unwrap(), e.field.clone().unwrap(), e.reason.clone())
}

#[test]
fn each_indicator_is_reported_only_by_whom_its_scope_names() {
    let data = import(&format!(
        "{HEADER}quoc-gia,,2024,declared,80,,,,test\ncua-bo,btttt,2024,declared,70,7,10,,test\nso-luong,yen-bai,2024,declared,3,,,,test\ndo-luong,yen-bai,2024,measured,50,1,2,,test\n"
    ))
    .unwrap();
    assert_eq!(data.observations.len(), 4);
    let (line, field, reason) = refusal("quoc-gia,yen-bai,2024,declared,80,,,,test\n");
    assert_eq!((line, field.as_str()), (2, "agency_id"));
    assert!(reason.contains("số liệu toàn quốc"), "{reason}");
    let (_, field, reason) = refusal("cua-bo,yen-bai,2024,declared,70,7,10,,test\n");
    assert_eq!(field, "agency_id");
    assert!(reason.contains("bộ, cơ quan ngang bộ"), "{reason}");
    let (_, field, reason) = refusal("do-luong,yen-bai,2024,declared,50,1,2,,test\n");
    assert_eq!(field, "agency_id");
    assert!(reason.contains("đo lường tự động"), "{reason}");
}

#[test]
fn values_are_checked_against_their_unit() {
    let (_, field, reason) = refusal("so-luong,yen-bai,2024,declared,-5,,,,test\n");
    assert_eq!(field, "value");
    assert!(reason.contains("số nguyên không âm"), "{reason}");
    let (_, field, _) = refusal("so-luong,yen-bai,2024,declared,1.5,,,,test\n");
    assert_eq!(field, "value");
    let (_, field, reason) = refusal("quoc-gia,,2024,declared,120,,,,test\n");
    assert_eq!(field, "value");
    assert!(reason.contains("từ 0 đến 100"), "{reason}");
    let (_, field, reason) = refusal("cua-bo,btttt,2024,declared,70,12,10,,test\n");
    assert_eq!(field, "numerator");
    assert!(reason.contains("lớn hơn mẫu số"), "{reason}");
    let errors = import(&format!(
        "{HEADER}so-luong,yen-bai,2024,declared,\"1,5\",,,,test\n"
    ))
    .expect_err("a comma is not a decimal mark in the exchange format");
    assert_eq!(errors[0].field.as_deref(), Some("value"));
}
