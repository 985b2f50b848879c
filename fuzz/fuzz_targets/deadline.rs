//! Deadline expressions as written in directives ("Quý II/2025", "Hằng tháng, trước ngày
//! 15", "Đang thực hiện/2025"): any text parses to a deadline, never a panic, and a due
//! date is never before the start of its window.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tiendo_core::deadline::Deadline;

fuzz_target!(|input: (&str, i16)| {
    let (text, year) = input;
    let deadline = Deadline::parse(text, 1900 + i32::from(year).rem_euclid(300));
    if let (Some(start), Some(due)) = (deadline.window_start, deadline.due) {
        assert!(start <= due, "{text:?}: window {start} after due {due}");
    }
});
