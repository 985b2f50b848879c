//! Inputs found by fuzzing (fuzz/fuzz_targets), kept as tests.

use tiendo_core::model::Dataset;
use tiendo_exchange::import::{SourceFile, decode_text, plan};
use tiendo_exchange::records::ENTITIES;

/// import_csv: a record whose fields are each readable but which does not make a valid
/// record once merged (here an observation whose period is not one) was reported against
/// the table "observations" with no line; every error must name the file and the line.
#[test]
fn an_invalid_merged_record_is_reported_with_its_file_and_line() {
    let data = include_bytes!("../testdata/fuzz-import-error-names-file.bin");
    let (&which, bytes) = data.split_first().unwrap();
    let entity = ENTITIES[usize::from(which) % ENTITIES.len()];
    assert_eq!(entity.name, "observations");
    let text = decode_text(bytes).unwrap();
    let source = SourceFile {
        name: "observations.csv".to_string(),
        entity,
        text,
    };
    let errors = plan(&[source], &Dataset::default()).expect_err("an invalid file");
    for error in &errors {
        assert_eq!(error.file, "observations.csv", "{error}");
        assert!(error.line.is_some(), "{error}");
    }
}
