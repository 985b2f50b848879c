//! A filled-in Excel workbook sent back by an agency (`tiendo import FILE.xlsx`, the entry
//! page's upload): any bytes give typed entries or errors, never a panic out of our
//! reader. calamine itself panics on some malformed workbooks; the reader turns such a panic into an error, so this target
//! replaces libfuzzer-sys's abort-on-panic hook with a silent one: a panic the reader
//! catches is an error, one that escapes still aborts (libfuzzer-sys aborts when the
//! input's run unwinds).
#![no_main]

use std::sync::Once;

use libfuzzer_sys::fuzz_target;
use tiendo_core::model::Dataset;
use tiendo_exchange::workbook::read_filled;

static QUIET_PANICS: Once = Once::new();

fuzz_target!(|bytes: &[u8]| {
    QUIET_PANICS.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    if let Err(errors) = read_filled("phieu.xlsx", bytes, &Dataset::default()) {
        assert!(!errors.is_empty());
    }
});
