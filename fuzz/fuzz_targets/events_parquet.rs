//! Dossier events as a Parquet file (`tiendo ingest FILE.parquet`): any bytes give record
//! batches or an error, and every batch gives events or a message; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tiendo_events::columnar::{events_from_batch, read_parquet_bytes};

fuzz_target!(|bytes: &[u8]| {
    let Ok(batches) = read_parquet_bytes(bytes::Bytes::copy_from_slice(bytes)) else { return };
    for batch in &batches {
        let _ = events_from_batch(batch);
    }
});
