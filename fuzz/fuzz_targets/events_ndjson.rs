//! Dossier events as NDJSON (`tiendo ingest`, `POST /api/v1/events`): every line is an
//! event or a located error, line numbers count every line, and spans stay in the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tiendo_events::store::parse_ndjson;

fuzz_target!(|body: &[u8]| {
    let lines = parse_ndjson(body, 1);
    let mut previous = 0;
    for line in &lines {
        assert!(line.line > previous, "line numbers grow");
        previous = line.line;
        assert!(line.span.end <= body.len(), "a span stays in the body");
        if let Ok(event) = &line.event {
            let _ = event.key();
        }
    }
});
