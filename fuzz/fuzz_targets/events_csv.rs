//! Dossier events as CSV (`tiendo ingest FILE.csv`): a header that is checked, then records
//! that are events or errors; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tiendo_events::event::{check_csv_header, from_csv_record};

fuzz_target!(|body: &[u8]| {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(body);
    let Ok(header) = reader.headers() else { return };
    let header: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
    if check_csv_header(&header).is_err() {
        return;
    }
    for record in reader.records().flatten() {
        let _ = from_csv_record(&header, &record);
    }
});
