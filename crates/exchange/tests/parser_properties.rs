//! Property tests: the import parser takes anything a user sends without panicking, and
//! whatever it accepts survives a round trip through export.

use proptest::prelude::*;
use tiendo_core::model::Dataset;
use tiendo_exchange::export::csv_text;
use tiendo_exchange::import::{SourceFile, plan};
use tiendo_exchange::records::{ENTITIES, Entity, to_rows};

fn source(entity: &'static Entity, text: String) -> SourceFile {
    SourceFile {
        name: format!("{}.csv", entity.name),
        entity,
        text,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_text_never_panics(entity in 0..ENTITIES.len(), body in ".{0,400}") {
        let entity = ENTITIES[entity];
        let header = entity.column_names().collect::<Vec<_>>().join(",");
        let _ = plan(&[source(entity, format!("{header}\n{body}"))], &Dataset::default());
        let _ = plan(&[source(entity, body)], &Dataset::default());
    }

    #[test]
    fn accepted_agencies_round_trip(
        rows in proptest::collection::vec(("[a-z][a-z0-9-]{0,8}", "[0-9]{2}", "\\PC{1,20}", 1900i32..2100, 1u32..13, 1u32..29, any::<bool>()), 1..8)
    ) {
        let mut text = AGENCY_HEADER.to_string();
        for (id, code, name, year, month, day, open) in &rows {
            let name = name.replace(['"', ',', '\n', '\r'], " ");
            let to = if *open { String::new() } else { format!("{year}-{month:02}-{day:02}") };
            text.push_str(&format!("{id},{code}{id},\"{name}\",\"{name}\",province,,{to},1,official,,prop\n"));
        }
        if let Ok(planned) = plan(&[source(&tiendo_exchange::records::AGENCIES, text)], &Dataset::default()) {
            let rows = to_rows(&planned.result);
            let written = csv_text(tiendo_exchange::records::AGENCIES.column_names(), rows["agencies"].values()).unwrap();
            let again = plan(&[source(&tiendo_exchange::records::AGENCIES, String::from_utf8(written).unwrap())], &Dataset::default()).unwrap();
            prop_assert_eq!(again.result, planned.result);
        }
    }
}

const AGENCY_HEADER: &str =
    "id,code,name,short_name,kind,valid_from,valid_to,sort_order,confidence,note,provenance\n";
