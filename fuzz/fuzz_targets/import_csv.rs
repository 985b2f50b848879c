//! A CSV file of the exchange format, as `tiendo import` and the import page read it: any
//! bytes (any encoding, separator, quoting) give a plan or errors that name the file, and
//! never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tiendo_core::model::Dataset;
use tiendo_exchange::import::{SourceFile, decode_text, plan};
use tiendo_exchange::records::ENTITIES;

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    let entity = ENTITIES[usize::from(which) % ENTITIES.len()];
    let Ok(text) = decode_text(bytes) else { return };
    let name = format!("{}.csv", entity.name);
    let source = SourceFile {
        name: name.clone(),
        entity,
        text,
    };
    if let Err(errors) = plan(&[source], &Dataset::default()) {
        assert!(!errors.is_empty());
        for error in errors {
            assert_eq!(error.file, name, "every error names its file");
        }
    }
});
