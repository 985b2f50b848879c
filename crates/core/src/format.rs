//! Vietnamese formatting of numbers, percentages, counts, changes and dates, as written in
//! the reports: "." groups thousands and "," is the decimal mark ("269.247.289", "81,2%",
//! "1,534 tỷ"); counts below ten take a leading zero ("03 Nghị định"); dates are written
//! "09/5/2024", months "tháng 5/2024", quarters "Quý II/2024" (with [`roman`]), and the
//! place-and-date line of a document header "ngày 05 tháng 01 năm 2024" (Nghị định
//! 30/2020/NĐ-CP). [`en_number`] gives the English form for English output.
//!
//! Rules common to every function:
//! - rounding is half away from zero at the requested number of decimals, applied to the
//!   shortest decimal representation of the value, so that 1.005 rounds to "1,01" as a
//!   reader expects (its binary value is slightly below 1.005);
//! - a value that rounds to zero is never signed: no "-0", no "-0,0";
//! - a value that is not finite (NaN, an infinity) is written "không xác định" ("n/a" in
//!   English).

use chrono::{Datelike, NaiveDate};

const UNDEFINED_VI: &str = "không xác định";
const UNDEFINED_EN: &str = "n/a";

/// The separators of a written number.
#[derive(Clone, Copy)]
struct Separators {
    thousands: char,
    decimal: char,
}

const VI: Separators = Separators {
    thousands: '.',
    decimal: ',',
};
const EN: Separators = Separators {
    thousands: ',',
    decimal: '.',
};

/// A finite value rounded to a number of decimals, as decimal digits.
struct Rounded {
    negative: bool,
    integer: String,
    fraction: String,
}

impl Rounded {
    /// `value` rounded half away from zero to `decimals` decimals; `None` when it is not
    /// finite.
    fn new(value: f64, decimals: usize) -> Option<Rounded> {
        if !value.is_finite() {
            return None;
        }
        // Rust writes floats in plain positional notation, never with an exponent.
        let shortest = value.abs().to_string();
        let (integer, fraction) = shortest.split_once('.').unwrap_or((&shortest, ""));
        let mut digits: Vec<u8> = integer
            .bytes()
            .chain(
                fraction
                    .bytes()
                    .chain(std::iter::repeat(b'0'))
                    .take(decimals),
            )
            .collect();
        if fraction
            .as_bytes()
            .get(decimals)
            .is_some_and(|&next| next >= b'5')
        {
            let mut carry = true;
            for digit in digits.iter_mut().rev() {
                if *digit == b'9' {
                    *digit = b'0';
                } else {
                    *digit += 1;
                    carry = false;
                    break;
                }
            }
            if carry {
                digits.insert(0, b'1');
            }
        }
        let negative = value < 0.0 && digits.iter().any(|&d| d != b'0');
        let fraction = digits.split_off(digits.len() - decimals);
        Some(Rounded {
            negative,
            integer: String::from_utf8(digits).expect("ASCII digits"),
            fraction: String::from_utf8(fraction).expect("ASCII digits"),
        })
    }

    /// Without trailing zeros in the fraction.
    fn trimmed(mut self) -> Rounded {
        let kept = self.fraction.trim_end_matches('0').len();
        self.fraction.truncate(kept);
        self
    }

    fn is_zero(&self) -> bool {
        self.integer
            .bytes()
            .chain(self.fraction.bytes())
            .all(|d| d == b'0')
    }

    fn write(&self, separators: Separators) -> String {
        let mut out = String::new();
        if self.negative {
            out.push('-');
        }
        out.push_str(&group_thousands(&self.integer, separators.thousands));
        if !self.fraction.is_empty() {
            out.push(separators.decimal);
            out.push_str(&self.fraction);
        }
        out
    }
}

/// Insert `separator` between groups of three digits, from the right.
fn group_thousands(digits: &str, separator: char) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

/// A Roman numeral: 1 → "I", 2 → "II", …, 12 → "XII"; used for quarters ("Quý II/2024")
/// and headings ("III. Nhiệm vụ, giải pháp trọng tâm"). Zero has no Roman numeral and gives
/// an empty string.
pub fn roman(n: u32) -> String {
    const NUMERALS: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut rest = n;
    let mut out = String::new();
    for (value, numeral) in NUMERALS {
        while rest >= value {
            out.push_str(numeral);
            rest -= value;
        }
    }
    out
}

/// A number with exactly `decimals` decimals: (269247289.0, 0) → "269.247.289",
/// (1.534, 3) → "1,534", (-1234.5, 1) → "-1.234,5".
pub fn number(value: f64, decimals: usize) -> String {
    Rounded::new(value, decimals).map_or_else(|| UNDEFINED_VI.to_owned(), |r| r.write(VI))
}

/// A number with at most `max_decimals` decimals, without trailing zeros:
/// (81.20, 2) → "81,2", (100.0, 2) → "100", (80.53, 2) → "80,53".
pub fn decimal(value: f64, max_decimals: usize) -> String {
    Rounded::new(value, max_decimals)
        .map_or_else(|| UNDEFINED_VI.to_owned(), |r| r.trimmed().write(VI))
}

/// A value already in percent, as [`decimal`] with a "%" sign: 81.2 → "81,2%".
pub fn percent(value: f64, max_decimals: usize) -> String {
    Rounded::new(value, max_decimals).map_or_else(
        || UNDEFINED_VI.to_owned(),
        |r| format!("{}%", r.trimmed().write(VI)),
    )
}

/// A count as written before a noun: "0", then "01" to "09" with a leading zero ("03 Nghị
/// định"), then "12", "1.086".
pub fn count(n: u64) -> String {
    match n {
        1..=9 => format!("0{n}"),
        _ => group_thousands(&n.to_string(), VI.thousands),
    }
}

/// A part of a whole as every surface writes it: "08/22 bộ, ngành".
pub fn of_total(done: usize, total: usize, what: &str) -> String {
    format!("{}/{} {what}", count(done as u64), count(total as u64))
}

/// Items in running Vietnamese: "a", "a và b", "a, b và c". When an item holds a comma
/// ("bộ, ngành"), items are set apart by semicolons: "10/22 bộ, ngành; 05/08 cơ quan và
/// 62/63 địa phương".
pub fn list_vi<S: AsRef<str>>(items: &[S]) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        out.push_str(list_vi_separator(items, i));
        out.push_str(item.as_ref());
    }
    out
}

/// What [`list_vi`] writes before item `index` of `items` (nothing before the first).
pub fn list_vi_separator<S: AsRef<str>>(items: &[S], index: usize) -> &'static str {
    if index == 0 {
        ""
    } else if index + 1 == items.len() {
        " và "
    } else if items.iter().any(|i| i.as_ref().contains(',')) {
        "; "
    } else {
        ", "
    }
}

/// A date as in "ngày 09/5/2024": the day with two digits, the month without a leading zero.
pub fn date(d: NaiveDate) -> String {
    format!("{:02}/{}/{}", d.day(), d.month(), d.year())
}

/// A date in the header form of Nghị định 30/2020/NĐ-CP: "ngày 05 tháng 01 năm 2024",
/// "ngày 16 tháng 02 năm 2024", "ngày 21 tháng 5 năm 2024" (a leading zero for days below
/// 10 and for months 1 and 2 only).
pub fn date_long(d: NaiveDate) -> String {
    let month = if d.month() <= 2 {
        format!("{:02}", d.month())
    } else {
        d.month().to_string()
    };
    format!("ngày {:02} tháng {} năm {}", d.day(), month, d.year())
}

/// A month of a year: (5, 2024) → "tháng 5/2024".
pub fn month_year(month: u32, year: i32) -> String {
    format!("tháng {month}/{year}")
}

/// A month: 5 → "tháng 5" (reports name months by number).
pub fn month_name(month: u32) -> String {
    format!("tháng {month}")
}

/// A change against a previous value, rounded as [`decimal`]: "tăng 0,09 điểm phần trăm",
/// "giảm 1,5 triệu", and "không đổi" when it rounds to zero. The unit follows after a
/// space, except "%" which is attached ("tăng 0,09%"); an empty unit writes the number
/// alone.
pub fn change(delta: f64, max_decimals: usize, unit: &str) -> String {
    let Some(rounded) = Rounded::new(delta, max_decimals).map(Rounded::trimmed) else {
        return UNDEFINED_VI.to_owned();
    };
    if rounded.is_zero() {
        return "không đổi".to_owned();
    }
    let verb = if rounded.negative { "giảm" } else { "tăng" };
    let magnitude = Rounded {
        negative: false,
        ..rounded
    }
    .write(VI);
    match unit {
        "" => format!("{verb} {magnitude}"),
        "%" => format!("{verb} {magnitude}%"),
        _ => format!("{verb} {magnitude} {unit}"),
    }
}

/// A change in a count, written as counts are ("tăng 03 cơ quan", "giảm 12 nhiệm vụ"):
/// the same leading zero as the count it changes.
pub fn change_count(delta: i64, noun: &str) -> String {
    match delta {
        0 => "không đổi".to_owned(),
        d if d > 0 => format!("tăng {} {noun}", count(d.unsigned_abs())),
        d => format!("giảm {} {noun}", count(d.unsigned_abs())),
    }
}

/// A number as a person types it, the Vietnamese way first: "81,2" and "1.234,5" (comma
/// decimal, dots group thousands), "269.247.289", and "81.2" or "0.5" (a point followed by
/// other than three digits is a decimal point). "1.234" is refused as ambiguous (one
/// thousand two hundred and thirty-four, or 1,234?): the reason says how to write either.
/// Used by every form and every workbook a person fills in; CSV files of the exchange
/// format use the machine form ("1234.5").
pub fn parse_typed_number(text: &str) -> Result<f64, String> {
    let t: String = text.trim().chars().filter(|c| !c.is_whitespace()).collect();
    let bad = || format!("“{}” không phải là số", text.trim());
    if t.is_empty() {
        return Err(bad());
    }
    let normalised = if t.contains(',') {
        t.replace('.', "").replace(',', ".")
    } else {
        let points = t.matches('.').count();
        let after = t.rsplit('.').next().unwrap_or_default();
        if points == 1 && after.len() == 3 && after.chars().all(|c| c.is_ascii_digit()) {
            let whole = t.replace('.', "");
            return Err(format!(
                "“{t}” chưa rõ nghĩa: viết {whole} nếu là số nguyên (dấu chấm phân cách hàng nghìn), {} nếu là số thập phân",
                t.replace('.', ",")
            ));
        }
        if points > 1 { t.replace('.', "") } else { t }
    };
    normalised
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(bad)
}

/// A date as a person types it: "2024-05-31", "31/5/2024" or "31/05/2024", within the
/// years a record may carry ([`crate::limits::RECORD_YEARS`]). The error says both forms.
pub fn parse_typed_date(text: &str) -> Result<NaiveDate, String> {
    let t = text.trim();
    let date = NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(t, "%d/%m/%Y"))
        .ok()
        .filter(|_| {
            t.chars()
                .all(|c| c.is_ascii_digit() || c == '-' || c == '/')
        })
        .filter(|_| !t.starts_with('-'))
        .ok_or_else(|| {
            format!(
                "ngày “{t}” không hợp lệ: viết dd/mm/yyyy (31/5/2024) hoặc yyyy-mm-dd (2024-05-31)"
            )
        })?;
    match crate::limits::record_date_reason(date) {
        Some(reason) => Err(reason),
        None => Ok(date),
    }
}

/// A number in English notation with exactly `decimals` decimals: (269247289.0, 0) →
/// "269,247,289", (81.2, 1) → "81.2".
pub fn en_number(value: f64, decimals: usize) -> String {
    Rounded::new(value, decimals).map_or_else(|| UNDEFINED_EN.to_owned(), |r| r.write(EN))
}

/// A number in English notation with at most `max_decimals` decimals, without trailing
/// zeros: (81.20, 2) → "81.2", (269247289.0, 2) → "269,247,289".
pub fn en_decimal(value: f64, max_decimals: usize) -> String {
    Rounded::new(value, max_decimals)
        .map_or_else(|| UNDEFINED_EN.to_owned(), |r| r.trimmed().write(EN))
}

/// Vietnamese alphabetical order: letters in the order of the Vietnamese alphabet (a ă â
/// b c d đ e ê …), tone marks only breaking ties (a, à, ả, ã, á, ạ), case ignored. Byte
/// order would put "Đà Nẵng" after "Yên Bái".
pub fn vietnamese_order(a: &str, b: &str) -> std::cmp::Ordering {
    let key = |text: &str| {
        let (mut letters, mut tones) = (Vec::new(), Vec::new());
        for c in text.chars().flat_map(char::to_lowercase) {
            let (letter, tone) = vietnamese_letter(c);
            letters.push(letter);
            tones.push(tone);
        }
        (letters, tones)
    };
    key(a).cmp(&key(b))
}

/// A lower-case character's place in the Vietnamese alphabet and its tone (0 for none):
/// spaces and punctuation first, then digits, the Vietnamese letters, other letters.
fn vietnamese_letter(c: char) -> (u32, u8) {
    const ALPHABET: &str = "aăâbcdđeêghiklmnoôơpqrstuưvxy";
    const TONED: [&str; 12] = [
        "aàảãáạ",
        "ăằẳẵắặ",
        "âầẩẫấậ",
        "eèẻẽéẹ",
        "êềểễếệ",
        "iìỉĩíị",
        "oòỏõóọ",
        "ôồổỗốộ",
        "ơờởỡớợ",
        "uùủũúụ",
        "ưừửữứự",
        "yỳỷỹýỵ",
    ];
    let (base, tone) = TONED
        .iter()
        .find_map(|forms| {
            forms
                .chars()
                .position(|f| f == c)
                .map(|tone| (forms.chars().next().unwrap_or(c), tone as u8))
        })
        .unwrap_or((c, 0));
    match ALPHABET.chars().position(|l| l == base) {
        Some(place) => (100 + place as u32, tone),
        None if c.is_alphabetic() => (0x10000 + c as u32, tone),
        None => (c.to_digit(10).map_or(0, |d| 10 + d), 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_in_a_count_is_written_as_the_count() {
        assert_eq!(change_count(3, "cơ quan"), "tăng 03 cơ quan");
        assert_eq!(change_count(-12, "nhiệm vụ"), "giảm 12 nhiệm vụ");
        assert_eq!(change_count(0, "cơ quan"), "không đổi");
    }

    #[test]
    fn typed_dates_in_both_forms() {
        let may_31 = NaiveDate::from_ymd_opt(2024, 5, 31).unwrap();
        for typed in ["2024-05-31", "31/5/2024", "31/05/2024", " 31/5/2024 "] {
            assert_eq!(parse_typed_date(typed), Ok(may_31), "{typed}");
        }
        assert_eq!(parse_typed_date("2024/31/5"), Err("ngày “2024/31/5” không hợp lệ: viết dd/mm/yyyy (31/5/2024) hoặc yyyy-mm-dd (2024-05-31)".to_string()));
        assert!(parse_typed_date("31/2/2024").is_err());
        for out_of_range in ["11/6/-2024", "-0001-01-01", "+10000-01-01", "31/12/9999"] {
            assert!(parse_typed_date(out_of_range).is_err(), "{out_of_range}");
        }
    }

    #[test]
    fn typed_numbers_are_read_one_way_everywhere() {
        for (typed, value) in [
            ("81,2", 81.2),
            ("81.2", 81.2),
            ("0.5", 0.5),
            ("1.234,5", 1234.5),
            ("269.247.289", 269247289.0),
            (" 12 ", 12.0),
            ("1 234", 1234.0),
            ("-3,5", -3.5),
            ("1234", 1234.0),
        ] {
            assert_eq!(parse_typed_number(typed), Ok(value), "{typed}");
        }
        assert_eq!(parse_typed_number("1.234"), Err("“1.234” chưa rõ nghĩa: viết 1234 nếu là số nguyên (dấu chấm phân cách hàng nghìn), 1,234 nếu là số thập phân".to_string()));
        for bad in ["", "abc", "inf", "NaN", "1,2,3"] {
            assert!(parse_typed_number(bad).is_err(), "{bad}");
        }
    }
    use proptest::prelude::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn roman_numerals() {
        let expected = [
            "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
        ];
        for (n, numeral) in (1..=12).zip(expected) {
            assert_eq!(roman(n), numeral);
        }
        assert_eq!(format!("Quý {}/2024", roman(2)), "Quý II/2024");
        assert_eq!(roman(1994), "MCMXCIV");
        assert_eq!(roman(0), "");
    }

    #[test]
    fn numbers_group_thousands_with_dots() {
        assert_eq!(number(269_247_289.0, 0), "269.247.289");
        assert_eq!(number(1.534, 3), "1,534");
        assert_eq!(number(-1234.5, 1), "-1.234,5");
        assert_eq!(number(999.0, 0), "999");
        assert_eq!(number(1000.0, 0), "1.000");
        assert_eq!(number(0.0, 2), "0,00");
        assert_eq!(number(81.2, 2), "81,20");
    }

    #[test]
    fn numbers_round_half_away_from_zero() {
        assert_eq!(number(2.5, 0), "3");
        assert_eq!(number(-2.5, 0), "-3");
        assert_eq!(number(0.125, 2), "0,13");
        assert_eq!(number(1.005, 2), "1,01");
        assert_eq!(number(1.004, 2), "1,00");
        assert_eq!(number(999.95, 1), "1.000,0");
        assert_eq!(number(9.5, 0), "10");
        assert_eq!(number(0.5, 0), "1");
        assert_eq!(number(1e21, 0), "1.000.000.000.000.000.000.000");
        assert_eq!(number(1e-7, 8), "0,00000010");
    }

    #[test]
    fn never_minus_zero() {
        assert_eq!(number(-0.0, 0), "0");
        assert_eq!(number(-0.04, 1), "0,0");
        assert_eq!(number(-0.05, 1), "-0,1");
        assert_eq!(decimal(-0.001, 2), "0");
        assert_eq!(percent(-0.001, 1), "0%");
        assert_eq!(en_number(-0.4, 0), "0");
    }

    #[test]
    fn non_finite_values() {
        assert_eq!(number(f64::NAN, 0), "không xác định");
        assert_eq!(decimal(f64::INFINITY, 1), "không xác định");
        assert_eq!(percent(f64::NAN, 1), "không xác định");
        assert_eq!(change(f64::NEG_INFINITY, 1, "triệu"), "không xác định");
        assert_eq!(en_number(f64::NAN, 1), "n/a");
    }

    #[test]
    fn decimals_drop_trailing_zeros() {
        assert_eq!(decimal(81.20, 2), "81,2");
        assert_eq!(decimal(100.0, 2), "100");
        assert_eq!(decimal(80.53, 2), "80,53");
        assert_eq!(decimal(99.999, 2), "100");
        assert_eq!(decimal(1534.25, 1), "1.534,3");
        assert_eq!(decimal(-15.96, 1), "-16");
    }

    #[test]
    fn percentages() {
        assert_eq!(percent(81.2, 1), "81,2%");
        assert_eq!(percent(81.25, 1), "81,3%");
        assert_eq!(percent(100.0, 2), "100%");
        assert_eq!(
            format!(
                "17/22 bộ, ngành và 54/63 địa phương (đạt {})",
                percent(81.2, 1)
            ),
            "17/22 bộ, ngành và 54/63 địa phương (đạt 81,2%)"
        );
    }

    #[test]
    fn counts() {
        assert_eq!(format!("{} Nghị định", count(3)), "03 Nghị định");
        assert_eq!(count(0), "0");
        assert_eq!(count(1), "01");
        assert_eq!(count(9), "09");
        assert_eq!(count(10), "10");
        assert_eq!(count(12), "12");
        assert_eq!(count(1086), "1.086");
        assert_eq!(count(u64::MAX), "18.446.744.073.709.551.615");
    }

    #[test]
    fn short_dates() {
        assert_eq!(format!("ngày {}", date(ymd(2024, 5, 9))), "ngày 09/5/2024");
        assert_eq!(date(ymd(2024, 12, 15)), "15/12/2024");
        assert_eq!(date(ymd(2022, 1, 6)), "06/1/2022");
    }

    #[test]
    fn long_dates() {
        assert_eq!(date_long(ymd(2024, 1, 5)), "ngày 05 tháng 01 năm 2024");
        assert_eq!(date_long(ymd(2024, 2, 16)), "ngày 16 tháng 02 năm 2024");
        assert_eq!(date_long(ymd(2024, 5, 21)), "ngày 21 tháng 5 năm 2024");
        assert_eq!(date_long(ymd(2024, 12, 1)), "ngày 01 tháng 12 năm 2024");
        assert_eq!(
            format!("Hà Nội, {}", date_long(ymd(2024, 1, 5))),
            "Hà Nội, ngày 05 tháng 01 năm 2024"
        );
    }

    #[test]
    fn months() {
        assert_eq!(month_year(5, 2024), "tháng 5/2024");
        assert_eq!(month_year(12, 2023), "tháng 12/2023");
        assert_eq!(month_name(5), "tháng 5");
        assert_eq!(month_name(1), "tháng 1");
    }

    #[test]
    fn changes() {
        assert_eq!(
            change(0.09, 2, "điểm phần trăm"),
            "tăng 0,09 điểm phần trăm"
        );
        assert_eq!(change(-1.5, 1, "triệu"), "giảm 1,5 triệu");
        assert_eq!(change(15.96, 2, "triệu"), "tăng 15,96 triệu");
        assert_eq!(change(0.09, 2, "%"), "tăng 0,09%");
        assert_eq!(change(-1200.0, 0, ""), "giảm 1.200");
        assert_eq!(change(0.0, 2, "triệu"), "không đổi");
        assert_eq!(change(-0.004, 2, "điểm phần trăm"), "không đổi");
        assert_eq!(change(2.50, 2, "triệu"), "tăng 2,5 triệu");
    }

    #[test]
    fn english_numbers() {
        assert_eq!(en_number(269_247_289.0, 0), "269,247,289");
        assert_eq!(en_number(81.2, 1), "81.2");
        assert_eq!(en_number(-1234.56, 1), "-1,234.6");
        assert_eq!(en_number(5.0, 2), "5.00");
    }

    proptest! {
        #[test]
        fn integers_keep_their_digits_in_groups_of_three(n in 0u64..1_000_000_000_000) {
            let written = number(n as f64, 0);
            prop_assert_eq!(written.replace('.', ""), n.to_string());
            let groups: Vec<&str> = written.split('.').collect();
            prop_assert!((1..=3).contains(&groups[0].len()));
            prop_assert!(groups[1..].iter().all(|g| g.len() == 3));
        }

        #[test]
        fn no_negative_zero(value in -1.0f64..1.0, decimals in 0usize..4) {
            let written = number(value, decimals);
            if written.starts_with('-') {
                prop_assert!(written.chars().any(|c| c.is_ascii_digit() && c != '0'));
            }
        }

        #[test]
        fn rounding_is_within_half_a_unit(value in -1e9f64..1e9, decimals in 0usize..4) {
            let written = en_number(value, decimals).replace(',', "");
            let read: f64 = written.parse().unwrap();
            let half_unit = 0.5 * 10f64.powi(-(decimals as i32));
            prop_assert!((read - value).abs() <= half_unit * (1.0 + 1e-9) + value.abs() * 1e-15);
        }
    }

    #[test]
    fn names_sort_in_vietnamese_alphabetical_order() {
        let mut names = vec![
            "Yên Bái",
            "Đà Nẵng",
            "Điện Biên",
            "An Giang",
            "Bà Rịa - Vũng Tàu",
            "Ấp",
            "Ăn",
            "Dak Lak",
            "bắc Ninh",
            "Bạc Liêu",
            "Bắc Giang",
        ];
        names.sort_by(|a, b| vietnamese_order(a, b));
        assert_eq!(
            names,
            [
                "An Giang",
                "Ăn",
                "Ấp",
                "Bà Rịa - Vũng Tàu",
                "Bạc Liêu",
                "Bắc Giang",
                "bắc Ninh",
                "Dak Lak",
                "Đà Nẵng",
                "Điện Biên",
                "Yên Bái"
            ]
        );
    }

    #[test]
    fn lists_read_as_running_text() {
        assert_eq!(list_vi::<&str>(&[]), "");
        assert_eq!(list_vi(&["a"]), "a");
        assert_eq!(list_vi(&["a", "b"]), "a và b");
        assert_eq!(list_vi(&["a", "b", "c"]), "a, b và c");
        assert_eq!(
            list_vi(&[
                of_total(10, 22, "bộ, cơ quan ngang bộ"),
                of_total(62, 63, "địa phương")
            ]),
            "10/22 bộ, cơ quan ngang bộ và 62/63 địa phương"
        );
        assert_eq!(
            list_vi(&["10/22 bộ, ngành", "05/08 cơ quan", "62/63 địa phương"]),
            "10/22 bộ, ngành; 05/08 cơ quan và 62/63 địa phương"
        );
    }
}
