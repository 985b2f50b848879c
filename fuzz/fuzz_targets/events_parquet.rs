//! Dossier events as a Parquet file (`tiendo ingest FILE.parquet`): any bytes give record
//! batches or an error, and every batch gives events or a message; never a panic out of
//! our reader. The Parquet decoder itself panics on some malformed files; the reader turns
//! such a panic into an error, so this target replaces libfuzzer-sys's abort-on-panic hook
//! with a silent one: a panic the reader catches is an error, one that escapes still
//! aborts (libfuzzer-sys aborts when the input's run unwinds).
#![no_main]

use std::sync::Once;

use libfuzzer_sys::fuzz_target;
use tiendo_events::columnar::{events_from_batch, read_parquet_bytes};

static QUIET_PANICS: Once = Once::new();

fuzz_target!(|bytes: &[u8]| {
    QUIET_PANICS.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let Ok(batches) = read_parquet_bytes(bytes::Bytes::copy_from_slice(bytes)) else {
        return;
    };
    for batch in &batches {
        let _ = events_from_batch(batch);
    }
});
