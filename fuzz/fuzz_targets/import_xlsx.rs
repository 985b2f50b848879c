//! A filled-in Excel workbook sent back by an agency (`tiendo import FILE.xlsx`): any bytes
//! give a plan or errors, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tiendo_core::model::Dataset;
use tiendo_document::template::plan_import;

fuzz_target!(|bytes: &[u8]| {
    if let Err(errors) = plan_import(Vec::new(), &[("phieu.xlsx".to_string(), bytes.to_vec())], &Dataset::default()) {
        assert!(!errors.is_empty());
    }
});
