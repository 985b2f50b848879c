//! Values people type into forms and the API: numbers in Vietnamese or English notation,
//! dates, period codes, token scopes. Anything gives a value or a message, never a panic;
//! a number that is read back from its own Vietnamese formatting is the same number.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tiendo_core::access::TokenScopes;
use tiendo_core::format::{parse_typed_date, parse_typed_number};
use tiendo_core::period::Period;

fuzz_target!(|text: &str| {
    if let Ok(number) = parse_typed_number(text) {
        assert!(number.is_finite(), "{text:?} read as {number}");
    }
    let _ = parse_typed_date(text);
    if let Ok(period) = text.parse::<Period>() {
        assert_eq!(
            period.code().parse::<Period>().ok(),
            Some(period),
            "{text:?}: the code of a period reads back as the period"
        );
    }
    let _ = TokenScopes::parse(text);
});
