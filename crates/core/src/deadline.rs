//! Deadline expressions (thời hạn) as written in the reports, and their normalised due
//! dates.
//!
//! [`Deadline::parse`] reads an expression with the programme's year as context and
//! keeps the text exactly as written. The rules:
//!
//! - **Normalisation.** The due date is the *last* day of the named period and
//!   `window_start` its *first* day: "Tháng 5" is due 31/5 and opens 1/5, "Quý II/2024"
//!   is due 30/6/2024 and opens 1/4/2024. For an exact date both are that date.
//! - **Missing year.** When the text names no year ("Tháng 5", "Quý III", "Trước ngày
//!   15/4", "6 tháng cuối năm"), the context year is used.
//! - **Spelling.** Matching is case-insensitive and ignores spaces between words, numbers
//!   and separators ("quý II / 2024" reads as "Quý II/2024"). Vietnamese letters are
//!   compared as a base letter and its marks in a fixed order, so precomposed (NFC),
//!   decomposed (NFD) and mixed text (as converted from Windows-1258, or with a tone typed
//!   before the breve or circumflex) read alike. Diacritics are required:
//!   "Thang 5" is not read. Trailing ".", "," and ";" are ignored.
//! - **Accepted forms** (a year is always four digits, 1000–9999; two-digit years are not
//!   read):
//!   - a day: "30/4/2024", "30/04/2024", "30-4-2024", "15/4" and "ngày 15 tháng 12 năm
//!     2023", "30 tháng 5" ([`DeadlineKind::Date`]);
//!   - a month: "Tháng 5", "Tháng 6/2024", "tháng 6 năm 2024", "T6/2024"
//!     ([`DeadlineKind::Month`]);
//!   - a quarter, in Roman (I–IV) or Arabic (1–4) numerals: "Quý I", "Quý II/2024",
//!     "Quý IV năm 2024", "quý 2/2024" ([`DeadlineKind::Quarter`]);
//!   - a half year: "6 tháng đầu năm 2024" (1/1–30/6), "6 tháng cuối năm" (1/7–31/12)
//!     ([`DeadlineKind::HalfYear`]);
//!   - a year or a span of years: "Năm 2022", "2025", "Năm 2024-2025", "2021-2025",
//!     "giai đoạn 2021-2025"; a span is due on 31/12 of its last year and opens on 1/1 of
//!     its first year ([`DeadlineKind::Year`]);
//!   - a window from one period to a later one, kept as written with its start and its
//!     end: quarters "Quý III–IV/2024", months "Tháng 9-12/2024", "9/2024 12/2024",
//!     "Tháng 9/2024 - tháng 3/2025" ([`DeadlineKind::Window`]); a window that ends before
//!     it starts is unparsed;
//!   - a recurrence: "Hàng năm"/"Hằng năm", "Hàng quý"/"Hằng quý", "Hàng
//!     tháng"/"Hằng tháng" ([`DeadlineKind::Recurring`], no fixed due date: see
//!     [`Deadline::due_for`]);
//!   - continuous work: "Thường xuyên" ([`DeadlineKind::Continuous`], no due date).
//! - **Leading words.** "Hoàn thành", then "Chậm nhất", then "Trong" may precede any form,
//!   and "Ngày" a day; they change nothing: "Chậm nhất ngày 30/6/2024" is due 30/6/2024,
//!   "Hoàn thành trong tháng 6" is due 30/6.
//! - **"Trước" is strict.** "Trước ngày 15/4" means *before* 15/4, so the due date is the
//!   day before, 14/4. "Trước" is read only before a day: "Trước tháng 6" or "Trước năm
//!   2025" could mean the start or the end of the period, so they are not read.
//! - **Status prefix.** A status word before the first "/" is recognised and the rest is
//!   read as a deadline: "Đang thực hiện/2025", "Đang triển khai/Quý III/2024", "Đang
//!   nghiên cứu thực hiện/2021-2025", "Đang nghiên cứu/2025" and "Đang thực hiện/Hàng năm" set
//!   `in_progress_mark`; "Đã hoàn thành/2023" marks nothing and reads the 2023. A status
//!   alone ("Đang thực hiện") names no deadline and is unparsed.
//! - **A period then a recurrence.** "Năm 2022 và hàng năm" keeps the named period
//!   (kind [`DeadlineKind::Year`], due 31/12/2022) and sets `recurrence` to
//!   [`Recurrence::Yearly`]: the first occurrence is 2022, then every year.
//! - **Never guess.** Anything else, including impossible dates ("31/2/2024", "Tháng 13",
//!   "Quý V") and reversed spans ("2025-2021"), is [`DeadlineKind::Unparsed`] with no due
//!   date, so that it is flagged. A person may then supply the date:
//!   [`Deadline::with_manual_due`].

use std::sync::LazyLock;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The form a deadline expression took.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DeadlineKind {
    /// A calendar day: "30/4/2024", "Trước ngày 15/4".
    Date,
    /// A month: "Tháng 5", "Tháng 6/2024".
    Month,
    /// A quarter: "Quý II/2024", "Quý III".
    Quarter,
    /// A half year: "6 tháng đầu năm 2024".
    HalfYear,
    /// A year or a span of years: "Năm 2022", "2025", "2021-2025".
    Year,
    /// A window from one period to a later one, as written: "Quý III–IV/2024", "Tháng
    /// 9-12/2024", "9/2024 12/2024", "Tháng 9/2024 - tháng 3/2025". It opens on the first
    /// day of the first period and is due on the last day of the second.
    Window,
    /// A recurring deadline: "Hàng năm", "Hàng tháng", "Hàng quý".
    Recurring,
    /// Continuous work with no due date: "Thường xuyên".
    Continuous,
    /// Text the parser could not read; kept as written and flagged, never guessed.
    Unparsed,
}

/// How often a recurring deadline falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Recurrence {
    Monthly,
    Quarterly,
    Yearly,
}

/// A deadline: the text as written, and what it means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// The expression exactly as written.
    pub text: String,
    pub kind: DeadlineKind,
    /// The normalised due date: the last day of the named period.
    pub due: Option<NaiveDate>,
    /// The first day of the named period (a task done before it is "done early").
    pub window_start: Option<NaiveDate>,
    pub recurrence: Option<Recurrence>,
    /// The text says the work is under way ("Đang thực hiện/2025").
    pub in_progress_mark: bool,
}

impl Deadline {
    /// Parse a Vietnamese deadline expression; `context_year` supplies the year when the
    /// text has none. See the [module documentation](self) for the rules.
    pub fn parse(text: &str, context_year: i32) -> Deadline {
        let folded = fold(text);
        let tokens = tokenize(
            folded.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ',' | ';')),
        );
        let (in_progress_mark, rest) = split_status(&tokens);
        match read_with_recurrence(rest, context_year) {
            Some(reading) => Deadline {
                text: text.to_owned(),
                kind: reading.kind,
                due: reading.window.map(|(_, end)| end),
                window_start: reading.window.map(|(start, _)| start),
                recurrence: reading.recurrence,
                in_progress_mark,
            },
            None => Deadline {
                text: text.to_owned(),
                kind: DeadlineKind::Unparsed,
                due: None,
                window_start: None,
                recurrence: None,
                in_progress_mark: false,
            },
        }
    }

    /// A deadline whose text could not be parsed but whose due date a person gave.
    pub fn with_manual_due(text: &str, due: NaiveDate) -> Deadline {
        Deadline {
            text: text.to_owned(),
            kind: DeadlineKind::Unparsed,
            due: Some(due),
            window_start: Some(due),
            recurrence: None,
            in_progress_mark: false,
        }
    }

    /// The text could not be read and nobody has supplied a due date.
    pub fn is_unparsed(&self) -> bool {
        self.kind == DeadlineKind::Unparsed && self.due.is_none()
    }

    /// The due date of a recurring deadline for the occurrence containing `date` (end of
    /// that month/quarter/year); for non-recurring deadlines returns `self.due`.
    ///
    /// A deadline with a first period and a recurrence ("Năm 2022 và hàng năm") is due at
    /// the end of that first period for any date up to it, then at the end of the
    /// occurrence containing `date`.
    pub fn due_for(&self, date: NaiveDate) -> Option<NaiveDate> {
        let Some(recurrence) = self.recurrence else {
            return self.due;
        };
        if let Some(due) = self.due
            && date <= due
        {
            return Some(due);
        }
        let last_month = match recurrence {
            Recurrence::Monthly => date.month(),
            Recurrence::Quarterly => date.month().div_ceil(3) * 3,
            Recurrence::Yearly => 12,
        };
        last_day(date.year(), last_month)
    }
}

/// What an expression means, before it is attached to its text.
struct Reading {
    kind: DeadlineKind,
    /// First and last day of the named period.
    window: Option<(NaiveDate, NaiveDate)>,
    recurrence: Option<Recurrence>,
}

impl Reading {
    fn day(date: NaiveDate) -> Reading {
        Reading {
            kind: DeadlineKind::Date,
            window: Some((date, date)),
            recurrence: None,
        }
    }

    /// The months `first_month` of `first_year` to `last_month` of `last_year`.
    fn months(
        kind: DeadlineKind,
        first_year: i32,
        first_month: u32,
        last_year: i32,
        last_month: u32,
    ) -> Option<Reading> {
        let start = NaiveDate::from_ymd_opt(first_year, first_month, 1)?;
        let end = last_day(last_year, last_month)?;
        Some(Reading {
            kind,
            window: Some((start, end)),
            recurrence: None,
        })
    }

    fn without_date(kind: DeadlineKind, recurrence: Option<Recurrence>) -> Reading {
        Reading {
            kind,
            window: None,
            recurrence,
        }
    }
}

/// The last day of a month; `None` outside the calendar's range.
fn last_day(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, 1)?
        .checked_add_months(Months::new(1))?
        .pred_opt()
}

/// The words the parser knows, after folding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Word {
    Cham,
    Cuoi,
    Cuu,
    Da,
    Dang,
    Dau,
    Doan,
    Giai,
    Hang,
    Hien,
    Hoan,
    Khai,
    Nam,
    Ngay,
    Nghien,
    Nhat,
    Quy,
    /// "T" as in "T6/2024".
    T,
    Thang,
    Thanh,
    Thuc,
    Thuong,
    Trien,
    Trong,
    Truoc,
    Va,
    Xuyen,
}

const VOCABULARY: [(&str, Word); 28] = [
    ("chậm", Word::Cham),
    ("cuối", Word::Cuoi),
    ("cứu", Word::Cuu),
    ("đã", Word::Da),
    ("đang", Word::Dang),
    ("đầu", Word::Dau),
    ("đoạn", Word::Doan),
    ("giai", Word::Giai),
    ("hàng", Word::Hang),
    ("hằng", Word::Hang),
    ("hiện", Word::Hien),
    ("hoàn", Word::Hoan),
    ("khai", Word::Khai),
    ("năm", Word::Nam),
    ("ngày", Word::Ngay),
    ("nghiên", Word::Nghien),
    ("nhất", Word::Nhat),
    ("quý", Word::Quy),
    ("t", Word::T),
    ("tháng", Word::Thang),
    ("thành", Word::Thanh),
    ("thực", Word::Thuc),
    ("thường", Word::Thuong),
    ("triển", Word::Trien),
    ("trong", Word::Trong),
    ("trước", Word::Truoc),
    ("và", Word::Va),
    ("xuyên", Word::Xuyen),
];

static FOLDED_VOCABULARY: LazyLock<Vec<(String, Word)>> = LazyLock::new(|| {
    VOCABULARY
        .iter()
        .map(|&(text, word)| (fold(text), word))
        .collect()
});

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    /// A run of ASCII digits: its value (saturated at `u32::MAX`) and its number of digits.
    Number(u32, usize),
    Word(Word),
    /// A Roman numeral that can name a quarter: I to IV.
    Roman(u32),
    Slash,
    /// "-" or "–".
    Dash,
    /// An unknown word or any other character: matches no form.
    Other,
}

/// The base letters of Vietnamese vowels with their modifier mark (breve, circumflex or
/// horn), and the six tones of each, in the order of [`TONES`].
const VOWELS: [(char, Option<char>, &str); 12] = [
    ('a', None, "aàáảãạ"),
    ('a', Some('\u{306}'), "ăằắẳẵặ"),
    ('a', Some('\u{302}'), "âầấẩẫậ"),
    ('e', None, "eèéẻẽẹ"),
    ('e', Some('\u{302}'), "êềếểễệ"),
    ('i', None, "iìíỉĩị"),
    ('o', None, "oòóỏõọ"),
    ('o', Some('\u{302}'), "ôồốổỗộ"),
    ('o', Some('\u{31b}'), "ơờớởỡợ"),
    ('u', None, "uùúủũụ"),
    ('u', Some('\u{31b}'), "ưừứửữự"),
    ('y', None, "yỳýỷỹỵ"),
];

/// No tone, grave, acute, hook above, tilde, dot below.
const TONES: [Option<char>; 6] = [
    None,
    Some('\u{300}'),
    Some('\u{301}'),
    Some('\u{309}'),
    Some('\u{303}'),
    Some('\u{323}'),
];

fn is_mark(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// The place of a mark after its base letter in a folded word: horn, dot below, breve or
/// circumflex, then the other tones. This is the order of NFD for every Vietnamese letter
/// and also puts a modifier typed after its tone ("a" + grave + breve) where it belongs.
fn mark_rank(mark: char) -> u8 {
    match mark {
        '\u{31b}' => 0,
        '\u{323}' => 1,
        '\u{302}' | '\u{306}' => 2,
        _ => 3,
    }
}

/// Lower-case `text` and decompose its Vietnamese letters into a base letter and its
/// marks in a fixed order, so that precomposed (NFC), decomposed (NFD) and mixed
/// spellings of a word compare equal.
fn fold(text: &str) -> String {
    fn flush(out: &mut String, marks: &mut Vec<char>) {
        marks.sort_by_key(|&mark| mark_rank(mark));
        out.extend(marks.drain(..));
    }
    let mut out = String::with_capacity(text.len());
    let mut marks = Vec::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if is_mark(c) {
            marks.push(c);
            continue;
        }
        flush(&mut out, &mut marks);
        let decomposed = VOWELS.iter().find_map(|&(base, modifier, row)| {
            row.chars()
                .position(|v| v == c)
                .map(|tone| (base, modifier, TONES[tone]))
        });
        match decomposed {
            Some((base, modifier, tone)) => {
                out.push(base);
                marks.extend(modifier);
                marks.extend(tone);
            }
            None => out.push(c),
        }
    }
    flush(&mut out, &mut marks);
    out
}

fn tokenize(folded: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = folded.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        if let Some(digit) = c.to_digit(10) {
            let (mut value, mut digits) = (digit, 1);
            while let Some(next) = chars.next_if(char::is_ascii_digit) {
                value = value
                    .saturating_mul(10)
                    .saturating_add(next.to_digit(10).unwrap_or(0));
                digits += 1;
            }
            tokens.push(Token::Number(value, digits));
        } else if c.is_alphabetic() {
            let mut word = String::from(c);
            while let Some(next) = chars.next_if(|&n| n.is_alphabetic() || is_mark(n)) {
                word.push(next);
            }
            tokens.push(word_token(&word));
        } else {
            tokens.push(match c {
                '/' => Token::Slash,
                '-' | '–' => Token::Dash,
                _ => Token::Other,
            });
        }
    }
    tokens
}

fn word_token(word: &str) -> Token {
    match word {
        "i" => Token::Roman(1),
        "ii" => Token::Roman(2),
        "iii" => Token::Roman(3),
        "iv" => Token::Roman(4),
        _ => FOLDED_VOCABULARY
            .iter()
            .find(|(known, _)| known == word)
            .map_or(Token::Other, |&(_, w)| Token::Word(w)),
    }
}

/// A status word before the first "/": whether it marks the work as under way, and the
/// tokens after the "/". Without a recognised status the tokens are returned whole.
fn split_status(tokens: &[Token]) -> (bool, &[Token]) {
    use Token::Word as W;
    use Word::*;
    let Some(slash) = tokens.iter().position(|t| *t == Token::Slash) else {
        return (false, tokens);
    };
    let in_progress = match &tokens[..slash] {
        [W(Dang), W(Thuc), W(Hien)]
        | [W(Dang), W(Trien), W(Khai)]
        | [W(Dang), W(Nghien), W(Cuu)]
        | [W(Dang), W(Nghien), W(Cuu), W(Thuc), W(Hien)] => true,
        [W(Da), W(Hoan), W(Thanh)] | [W(Hoan), W(Thanh)] => false,
        _ => return (false, tokens),
    };
    (in_progress, &tokens[slash + 1..])
}

/// An expression, possibly followed by "và hàng năm|quý|tháng".
fn read_with_recurrence(tokens: &[Token], year: i32) -> Option<Reading> {
    use Token::Word as W;
    match tokens {
        [first @ .., W(Word::Va), W(Word::Hang), unit] => {
            let reading = read(first, year)?;
            if reading.window.is_none() || reading.recurrence.is_some() {
                return None;
            }
            Some(Reading {
                recurrence: Some(recurrence(unit)?),
                ..reading
            })
        }
        _ => read(tokens, year),
    }
}

fn read(tokens: &[Token], year: i32) -> Option<Reading> {
    use Token::Word as W;
    let tokens = strip(tokens, &[W(Word::Hoan), W(Word::Thanh)]);
    let tokens = strip(tokens, &[W(Word::Cham), W(Word::Nhat)]);
    if let [W(Word::Truoc), rest @ ..] = tokens {
        return Some(Reading::day(read_day(rest, year)?.pred_opt()?));
    }
    let tokens = strip(tokens, &[W(Word::Trong)]);
    if let Some(day) = read_day(tokens, year) {
        return Some(Reading::day(day));
    }
    read_period(tokens, year)
}

/// `tokens` without `prefix` when they start with it.
fn strip<'a>(tokens: &'a [Token], prefix: &[Token]) -> &'a [Token] {
    tokens.strip_prefix(prefix).unwrap_or(tokens)
}

/// A four-digit year.
fn year_of(token: &Token) -> Option<i32> {
    match *token {
        Token::Number(y, 4) if y >= 1000 => i32::try_from(y).ok(),
        _ => None,
    }
}

/// An optional year after a period: none (the context year), or "/2024", "-2024",
/// "năm 2024".
fn trailing_year(tokens: &[Token], year: i32) -> Option<i32> {
    match tokens {
        [] => Some(year),
        [Token::Slash | Token::Dash | Token::Word(Word::Nam), y] => year_of(y),
        _ => None,
    }
}

/// "30/4/2024", "30-4-2024", "15/4", "ngày 15 tháng 12 năm 2023", "30 tháng 5".
fn read_day(tokens: &[Token], year: i32) -> Option<NaiveDate> {
    use Token::{Number as N, Word as W};
    let tokens = strip(tokens, &[W(Word::Ngay)]);
    let (day, month, year) = match tokens {
        [
            N(d, 1 | 2),
            sep @ (Token::Slash | Token::Dash),
            N(m, 1 | 2),
            rest @ ..,
        ] => {
            let year = match rest {
                [] => year,
                [s, y] if s == sep => year_of(y)?,
                _ => return None,
            };
            (*d, *m, year)
        }
        [N(d, 1 | 2), W(Word::Thang), N(m, 1 | 2), rest @ ..] => {
            let year = match rest {
                [] => year,
                [W(Word::Nam), y] => year_of(y)?,
                _ => return None,
            };
            (*d, *m, year)
        }
        _ => return None,
    };
    NaiveDate::from_ymd_opt(year, month, day)
}

fn recurrence(unit: &Token) -> Option<Recurrence> {
    match unit {
        Token::Word(Word::Thang) => Some(Recurrence::Monthly),
        Token::Word(Word::Quy) => Some(Recurrence::Quarterly),
        Token::Word(Word::Nam) => Some(Recurrence::Yearly),
        _ => None,
    }
}

/// A month and its year: "9/2024", "Tháng 9/2024", "tháng 9 năm 2024", "T9/2024";
/// returns them with the tokens after.
fn month_and_year(tokens: &[Token]) -> Option<(i32, u32, &[Token])> {
    use Token::{Number as N, Word as W};
    let tokens = strip(tokens, &[W(Word::Thang)]);
    let tokens = strip(tokens, &[W(Word::T)]);
    match tokens {
        [
            N(m @ 1..=12, 1 | 2),
            Token::Slash | Token::Dash | W(Word::Nam),
            y,
            rest @ ..,
        ] => Some((year_of(y)?, *m, rest)),
        _ => None,
    }
}

/// A window between two months with their years: "9/2024 12/2024", "Tháng 9/2024 - tháng
/// 3/2025".
fn month_window(tokens: &[Token]) -> Option<Reading> {
    let (y1, m1, rest) = month_and_year(tokens)?;
    let rest = strip(rest, &[Token::Dash]);
    let (y2, m2, rest) = month_and_year(rest)?;
    (rest.is_empty() && (y1, m1) < (y2, m2))
        .then(|| Reading::months(DeadlineKind::Window, y1, m1, y2, m2))
        .flatten()
}

/// A quarter's number, in Roman or Arabic numerals.
fn quarter_number(token: &Token) -> Option<u32> {
    match *token {
        Token::Roman(q) | Token::Number(q @ 1..=4, 1) => Some(q),
        _ => None,
    }
}

/// Months, quarters, half years, years, windows, recurrences and continuous work.
fn read_period(tokens: &[Token], year: i32) -> Option<Reading> {
    use Token::{Number as N, Word as W};
    use Word::*;
    if let Some(window) = month_window(tokens) {
        return Some(window);
    }
    match tokens {
        [W(Quy), first, Token::Dash, W(Quy), last, rest @ ..]
        | [W(Quy), first, Token::Dash, last, rest @ ..] => {
            let (a, b) = (quarter_number(first)?, quarter_number(last)?);
            let y = trailing_year(rest, year)?;
            (a < b)
                .then(|| Reading::months(DeadlineKind::Window, y, 3 * a - 2, y, 3 * b))
                .flatten()
        }
        [
            W(Thang | T),
            N(a, 1 | 2),
            Token::Dash,
            N(b, 1 | 2),
            rest @ ..,
        ] => {
            let y = trailing_year(rest, year)?;
            (a < b)
                .then(|| Reading::months(DeadlineKind::Window, y, *a, y, *b))
                .flatten()
        }
        [W(Thuong), W(Xuyen)] => Some(Reading::without_date(DeadlineKind::Continuous, None)),
        [W(Hang), unit] => Some(Reading::without_date(
            DeadlineKind::Recurring,
            Some(recurrence(unit)?),
        )),
        [W(Thang | T), N(m, 1 | 2), rest @ ..] => {
            let y = trailing_year(rest, year)?;
            Reading::months(DeadlineKind::Month, y, *m, y, *m)
        }
        [W(Quy), quarter, rest @ ..] => {
            let q = match *quarter {
                Token::Roman(q) | N(q @ 1..=4, 1) => q,
                _ => return None,
            };
            let y = trailing_year(rest, year)?;
            Reading::months(DeadlineKind::Quarter, y, 3 * q - 2, y, 3 * q)
        }
        [N(6, 1), W(Thang), W(half @ (Dau | Cuoi)), W(Nam), rest @ ..] => {
            let y = match rest {
                [] => year,
                [y] | [Token::Slash, y] => year_of(y)?,
                _ => return None,
            };
            let first_month = if *half == Dau { 1 } else { 7 };
            Reading::months(DeadlineKind::HalfYear, y, first_month, y, first_month + 5)
        }
        [W(Giai), W(Doan), rest @ ..] | [W(Nam), rest @ ..] | rest => {
            let (first, last) = match rest {
                [y] => (year_of(y)?, year_of(y)?),
                [a, Token::Dash, b] => (year_of(a)?, year_of(b)?),
                _ => return None,
            };
            (first <= last)
                .then(|| Reading::months(DeadlineKind::Year, first, 1, last, 12))
                .flatten()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// Parse `text` with 2024 as context and check kind, window start and due date.
    #[track_caller]
    fn check(text: &str, kind: DeadlineKind, start: NaiveDate, due: NaiveDate) -> Deadline {
        let deadline = Deadline::parse(text, 2024);
        assert_eq!(deadline.text, text);
        assert_eq!(
            (deadline.kind, deadline.window_start, deadline.due),
            (kind, Some(start), Some(due)),
            "{text}"
        );
        deadline
    }

    #[track_caller]
    fn check_day(text: &str, due: NaiveDate) {
        let deadline = check(text, DeadlineKind::Date, due, due);
        assert_eq!(deadline.recurrence, None);
        assert!(!deadline.in_progress_mark);
    }

    #[track_caller]
    fn check_unparsed(text: &str) {
        let deadline = Deadline::parse(text, 2024);
        assert_eq!(
            deadline,
            Deadline {
                text: text.to_owned(),
                kind: DeadlineKind::Unparsed,
                due: None,
                window_start: None,
                recurrence: None,
                in_progress_mark: false
            }
        );
        assert!(deadline.is_unparsed());
    }

    #[test]
    fn exact_dates() {
        check_day("30/4/2024", ymd(2024, 4, 30));
        check_day("1/5/2024", ymd(2024, 5, 1));
        check_day("15/12/2023", ymd(2023, 12, 15));
        check_day("30/04/2024", ymd(2024, 4, 30));
        check_day("15/4/2024", ymd(2024, 4, 15));
        check_day("30-4-2024", ymd(2024, 4, 30));
        check_day("ngày 15 tháng 12 năm 2023", ymd(2023, 12, 15));
        check_day("Ngày 09/5/2024", ymd(2024, 5, 9));
        check_day("15/4", ymd(2024, 4, 15));
        check_day("30 tháng 5", ymd(2024, 5, 30));
        check_day("29/2/2024", ymd(2024, 2, 29));
    }

    #[test]
    fn before_a_day_is_strict() {
        check_day("Trước ngày 15/4", ymd(2024, 4, 14));
        check_day("Trước ngày 30 tháng 5 năm 2024", ymd(2024, 5, 29));
        check_day("Trước 01/01/2025", ymd(2024, 12, 31));
        check_day("trước ngày 1/3/2024", ymd(2024, 2, 29));
        check_day("Hoàn thành trước ngày 30/6/2024", ymd(2024, 6, 29));
        check_unparsed("Trước tháng 6");
        check_unparsed("Trước năm 2025");
        check_unparsed("Trước");
    }

    #[test]
    fn leading_words() {
        check_day("Chậm nhất ngày 30/6/2024", ymd(2024, 6, 30));
        check_day("Chậm nhất 15/8", ymd(2024, 8, 15));
        check(
            "Hoàn thành trong tháng 6/2024",
            DeadlineKind::Month,
            ymd(2024, 6, 1),
            ymd(2024, 6, 30),
        );
        check(
            "Trong Quý III",
            DeadlineKind::Quarter,
            ymd(2024, 7, 1),
            ymd(2024, 9, 30),
        );
        check(
            "Trong năm 2025",
            DeadlineKind::Year,
            ymd(2025, 1, 1),
            ymd(2025, 12, 31),
        );
        check(
            "Chậm nhất trong tháng 10",
            DeadlineKind::Month,
            ymd(2024, 10, 1),
            ymd(2024, 10, 31),
        );
    }

    #[test]
    fn months() {
        check(
            "Tháng 5",
            DeadlineKind::Month,
            ymd(2024, 5, 1),
            ymd(2024, 5, 31),
        );
        check(
            "Tháng 2",
            DeadlineKind::Month,
            ymd(2024, 2, 1),
            ymd(2024, 2, 29),
        );
        check(
            "Tháng 6/2024",
            DeadlineKind::Month,
            ymd(2024, 6, 1),
            ymd(2024, 6, 30),
        );
        check(
            "tháng 6 năm 2024",
            DeadlineKind::Month,
            ymd(2024, 6, 1),
            ymd(2024, 6, 30),
        );
        check(
            "T6/2024",
            DeadlineKind::Month,
            ymd(2024, 6, 1),
            ymd(2024, 6, 30),
        );
        check(
            "Tháng 12/2023",
            DeadlineKind::Month,
            ymd(2023, 12, 1),
            ymd(2023, 12, 31),
        );
        check(
            "Tháng 02/2023",
            DeadlineKind::Month,
            ymd(2023, 2, 1),
            ymd(2023, 2, 28),
        );
        check(
            "THÁNG 7",
            DeadlineKind::Month,
            ymd(2024, 7, 1),
            ymd(2024, 7, 31),
        );
    }

    #[test]
    fn quarters() {
        check(
            "Quý I",
            DeadlineKind::Quarter,
            ymd(2024, 1, 1),
            ymd(2024, 3, 31),
        );
        check(
            "Quý II/2024",
            DeadlineKind::Quarter,
            ymd(2024, 4, 1),
            ymd(2024, 6, 30),
        );
        check(
            "Quý III",
            DeadlineKind::Quarter,
            ymd(2024, 7, 1),
            ymd(2024, 9, 30),
        );
        check(
            "Quý IV năm 2024",
            DeadlineKind::Quarter,
            ymd(2024, 10, 1),
            ymd(2024, 12, 31),
        );
        check(
            "quý 2/2024",
            DeadlineKind::Quarter,
            ymd(2024, 4, 1),
            ymd(2024, 6, 30),
        );
        check(
            "QUÝ iv/2023",
            DeadlineKind::Quarter,
            ymd(2023, 10, 1),
            ymd(2023, 12, 31),
        );
    }

    #[test]
    fn half_years() {
        check(
            "6 tháng đầu năm 2024",
            DeadlineKind::HalfYear,
            ymd(2024, 1, 1),
            ymd(2024, 6, 30),
        );
        check(
            "6 tháng cuối năm",
            DeadlineKind::HalfYear,
            ymd(2024, 7, 1),
            ymd(2024, 12, 31),
        );
        check(
            "6 tháng cuối năm 2023",
            DeadlineKind::HalfYear,
            ymd(2023, 7, 1),
            ymd(2023, 12, 31),
        );
        check(
            "6 tháng đầu năm",
            DeadlineKind::HalfYear,
            ymd(2024, 1, 1),
            ymd(2024, 6, 30),
        );
    }

    #[test]
    fn windows_are_read_with_their_start_and_end() {
        check(
            "Quý III–IV/2024",
            DeadlineKind::Window,
            ymd(2024, 7, 1),
            ymd(2024, 12, 31),
        );
        check(
            "Quý III - IV năm 2024",
            DeadlineKind::Window,
            ymd(2024, 7, 1),
            ymd(2024, 12, 31),
        );
        check(
            "Quý 3-Quý 4/2024",
            DeadlineKind::Window,
            ymd(2024, 7, 1),
            ymd(2024, 12, 31),
        );
        check(
            "Tháng 9-12/2024",
            DeadlineKind::Window,
            ymd(2024, 9, 1),
            ymd(2024, 12, 31),
        );
        check(
            "9/2024 12/2024",
            DeadlineKind::Window,
            ymd(2024, 9, 1),
            ymd(2024, 12, 31),
        );
        check(
            "Tháng 9/2024 - tháng 3/2025",
            DeadlineKind::Window,
            ymd(2024, 9, 1),
            ymd(2025, 3, 31),
        );
        for reversed in [
            "Quý IV–II/2024",
            "Tháng 12-9/2024",
            "12/2024 9/2024",
            "9/2024 9/2024",
        ] {
            check_unparsed(reversed);
        }
        check(
            "Tháng 6-2024",
            DeadlineKind::Month,
            ymd(2024, 6, 1),
            ymd(2024, 6, 30),
        );
    }

    #[test]
    fn years_and_spans() {
        check(
            "Năm 2022",
            DeadlineKind::Year,
            ymd(2022, 1, 1),
            ymd(2022, 12, 31),
        );
        check(
            "2025",
            DeadlineKind::Year,
            ymd(2025, 1, 1),
            ymd(2025, 12, 31),
        );
        check(
            "Năm 2024-2025",
            DeadlineKind::Year,
            ymd(2024, 1, 1),
            ymd(2025, 12, 31),
        );
        check(
            "2021-2025",
            DeadlineKind::Year,
            ymd(2021, 1, 1),
            ymd(2025, 12, 31),
        );
        check(
            "giai đoạn 2021-2025",
            DeadlineKind::Year,
            ymd(2021, 1, 1),
            ymd(2025, 12, 31),
        );
        check(
            "Giai đoạn 2021 – 2025",
            DeadlineKind::Year,
            ymd(2021, 1, 1),
            ymd(2025, 12, 31),
        );
    }

    #[test]
    fn recurring_and_continuous() {
        for (text, recurrence) in [
            ("Hàng năm", Recurrence::Yearly),
            ("Hằng năm", Recurrence::Yearly),
            ("Hàng tháng", Recurrence::Monthly),
            ("Hằng tháng", Recurrence::Monthly),
            ("Hàng quý", Recurrence::Quarterly),
            ("hằng quý", Recurrence::Quarterly),
        ] {
            let deadline = Deadline::parse(text, 2024);
            assert_eq!(deadline.kind, DeadlineKind::Recurring, "{text}");
            assert_eq!(deadline.recurrence, Some(recurrence), "{text}");
            assert_eq!(
                (deadline.due, deadline.window_start),
                (None, None),
                "{text}"
            );
            assert!(!deadline.is_unparsed());
        }
        let continuous = Deadline::parse("Thường xuyên", 2024);
        assert_eq!(continuous.kind, DeadlineKind::Continuous);
        assert_eq!(
            (
                continuous.due,
                continuous.window_start,
                continuous.recurrence
            ),
            (None, None, None)
        );
        assert!(!continuous.is_unparsed());
    }

    #[test]
    fn status_prefixes() {
        let d = check(
            "Đang thực hiện/2025",
            DeadlineKind::Year,
            ymd(2025, 1, 1),
            ymd(2025, 12, 31),
        );
        assert!(d.in_progress_mark);
        let d = check(
            "Đang nghiên cứu thực hiện/2021-2025",
            DeadlineKind::Year,
            ymd(2021, 1, 1),
            ymd(2025, 12, 31),
        );
        assert!(d.in_progress_mark);
        let d = check(
            "Đang triển khai/Quý III/2024",
            DeadlineKind::Quarter,
            ymd(2024, 7, 1),
            ymd(2024, 9, 30),
        );
        assert!(d.in_progress_mark);
        let d = check(
            "Đã hoàn thành/2023",
            DeadlineKind::Year,
            ymd(2023, 1, 1),
            ymd(2023, 12, 31),
        );
        assert!(!d.in_progress_mark);
        let d = check(
            "Hoàn thành/2023",
            DeadlineKind::Year,
            ymd(2023, 1, 1),
            ymd(2023, 12, 31),
        );
        assert!(!d.in_progress_mark);
        let d = check(
            "Đang nghiên cứu/2021-2025",
            DeadlineKind::Year,
            ymd(2021, 1, 1),
            ymd(2025, 12, 31),
        );
        assert!(d.in_progress_mark);
        let d = Deadline::parse("Đang thực hiện/Hàng năm", 2024);
        assert_eq!(
            (d.kind, d.recurrence, d.due, d.in_progress_mark),
            (
                DeadlineKind::Recurring,
                Some(Recurrence::Yearly),
                None,
                true
            )
        );
        let d = check(
            "Đang thực hiện / Tháng 6/2024",
            DeadlineKind::Month,
            ymd(2024, 6, 1),
            ymd(2024, 6, 30),
        );
        assert!(d.in_progress_mark);
        check_unparsed("Đang thực hiện");
        check_unparsed("Đang thực hiện/");
        check_unparsed("Đang làm/2025");
    }

    #[test]
    fn a_period_then_a_recurrence() {
        let d = check(
            "Năm 2022 và hàng năm",
            DeadlineKind::Year,
            ymd(2022, 1, 1),
            ymd(2022, 12, 31),
        );
        assert_eq!(d.recurrence, Some(Recurrence::Yearly));
        let d = check(
            "Quý I/2024 và hằng quý",
            DeadlineKind::Quarter,
            ymd(2024, 1, 1),
            ymd(2024, 3, 31),
        );
        assert_eq!(d.recurrence, Some(Recurrence::Quarterly));
        check_unparsed("Thường xuyên và hàng năm");
        check_unparsed("Hàng tháng và hàng năm");
        check_unparsed("Năm 2022 và hàng ngày");
    }

    #[test]
    fn case_spaces_punctuation_and_unicode_forms() {
        check(
            "  quý   II  /  2024 ",
            DeadlineKind::Quarter,
            ymd(2024, 4, 1),
            ymd(2024, 6, 30),
        );
        check(
            "QUÝ II/2024",
            DeadlineKind::Quarter,
            ymd(2024, 4, 1),
            ymd(2024, 6, 30),
        );
        check_day("30 / 4 / 2024.", ymd(2024, 4, 30));
        // Decomposed (NFD): "Quý" as y + combining acute, "Tháng" as a + combining acute.
        check(
            "Qu\u{79}\u{301} II/2024",
            DeadlineKind::Quarter,
            ymd(2024, 4, 1),
            ymd(2024, 6, 30),
        );
        check(
            "Tha\u{301}ng 5",
            DeadlineKind::Month,
            ymd(2024, 5, 1),
            ymd(2024, 5, 31),
        );
        // "Trước" as NFD (o + horn + acute), and as a Windows-1258-style mix (ơ + acute).
        check_day(
            "Tru\u{31b}o\u{31b}\u{301}c nga\u{300}y 15/4",
            ymd(2024, 4, 14),
        );
        check_day("Trư\u{1a1}\u{301}c ngày 15/4", ymd(2024, 4, 14));
        // "Hằng" with its marks in the non-canonical order.
        assert_eq!(
            Deadline::parse("Ha\u{300}\u{306}ng năm", 2024).recurrence,
            Some(Recurrence::Yearly)
        );
    }

    #[test]
    fn invalid_and_unknown_text_is_unparsed() {
        for text in [
            "31/2/2024",
            "29/2/2023",
            "32/1/2024",
            "0/1/2024",
            "15/13/2024",
            "Tháng 13",
            "Tháng 0/2024",
            "Quý V",
            "Quý 5/2024",
            "Quý 0",
            "2025-2021",
            "30/4/24",
            "30/4-2024",
            "Năm 0999",
            "6 tháng giữa năm",
            "Thang 5",
            "Quy II/2024",
            "Sớm",
            "",
            "   ",
            "theo tiến độ dự án",
            "30/4/2024 và 30/5/2024",
            "Tháng 5 năm",
            "Ngày",
            "Trước ngày 31/2",
        ] {
            check_unparsed(text);
        }
    }

    #[test]
    fn text_is_kept_verbatim() {
        let text = "  Quý  II/2024. ";
        assert_eq!(Deadline::parse(text, 2024).text, text);
        assert_eq!(Deadline::parse("Không rõ", 2024).text, "Không rõ");
    }

    #[test]
    fn context_year_out_of_range_is_unparsed() {
        assert!(Deadline::parse("Tháng 5", i32::MAX).is_unparsed());
        assert!(Deadline::parse("Trước ngày 1/1", i32::MIN).is_unparsed());
        assert_eq!(
            Deadline::parse("Tháng 5/2024", i32::MAX).due,
            Some(ymd(2024, 5, 31))
        );
    }

    #[test]
    fn manual_due() {
        let d = Deadline::with_manual_due("theo tiến độ dự án", ymd(2024, 9, 30));
        assert_eq!(d.text, "theo tiến độ dự án");
        assert_eq!(
            (d.kind, d.due, d.window_start),
            (
                DeadlineKind::Unparsed,
                Some(ymd(2024, 9, 30)),
                Some(ymd(2024, 9, 30))
            )
        );
        assert!(!d.is_unparsed());
        assert_eq!(d.due_for(ymd(2025, 1, 1)), Some(ymd(2024, 9, 30)));
    }

    #[test]
    fn due_for_recurring_deadlines() {
        let monthly = Deadline::parse("Hàng tháng", 2024);
        assert_eq!(monthly.due_for(ymd(2024, 2, 10)), Some(ymd(2024, 2, 29)));
        assert_eq!(monthly.due_for(ymd(2024, 12, 31)), Some(ymd(2024, 12, 31)));
        let quarterly = Deadline::parse("Hằng quý", 2024);
        assert_eq!(quarterly.due_for(ymd(2024, 1, 1)), Some(ymd(2024, 3, 31)));
        assert_eq!(quarterly.due_for(ymd(2024, 5, 15)), Some(ymd(2024, 6, 30)));
        assert_eq!(quarterly.due_for(ymd(2024, 9, 30)), Some(ymd(2024, 9, 30)));
        assert_eq!(quarterly.due_for(ymd(2024, 10, 1)), Some(ymd(2024, 12, 31)));
        let yearly = Deadline::parse("Hàng năm", 2024);
        assert_eq!(yearly.due_for(ymd(2023, 3, 1)), Some(ymd(2023, 12, 31)));
        assert_eq!(yearly.due_for(NaiveDate::MAX), None);
    }

    #[test]
    fn due_for_a_period_then_a_recurrence() {
        let d = Deadline::parse("Năm 2022 và hàng năm", 2024);
        assert_eq!(d.due_for(ymd(2021, 6, 1)), Some(ymd(2022, 12, 31)));
        assert_eq!(d.due_for(ymd(2022, 6, 1)), Some(ymd(2022, 12, 31)));
        assert_eq!(d.due_for(ymd(2024, 6, 1)), Some(ymd(2024, 12, 31)));
    }

    #[test]
    fn due_for_other_deadlines_is_their_due_date() {
        let d = Deadline::parse("Quý II/2024", 2023);
        assert_eq!(d.due_for(ymd(2020, 1, 1)), Some(ymd(2024, 6, 30)));
        assert_eq!(d.due_for(ymd(2030, 1, 1)), Some(ymd(2024, 6, 30)));
        assert_eq!(
            Deadline::parse("Thường xuyên", 2024).due_for(ymd(2024, 1, 1)),
            None
        );
        assert_eq!(Deadline::parse("???", 2024).due_for(ymd(2024, 1, 1)), None);
    }

    #[test]
    fn folding_matches_precomposed_and_decomposed_text() {
        assert_eq!(fold("Quý"), fold("QU\u{59}\u{301}"));
        assert_eq!(fold("Hằng"), fold("ha\u{306}\u{300}ng"));
        assert_eq!(fold("Hằng"), fold("ha\u{300}\u{306}ng"));
        assert_eq!(fold("nghiên cứu"), fold("nghie\u{302}n cu\u{31b}\u{301}u"));
        assert_eq!(fold("ĐANG"), "đang");
        assert_ne!(fold("năm"), fold("nam"));
    }

    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("Tháng".to_owned()),
            Just("Quý".to_owned()),
            Just("năm".to_owned()),
            Just("ngày".to_owned()),
            Just("Trước".to_owned()),
            Just("hàng".to_owned()),
            Just("và".to_owned()),
            Just("Đang thực hiện".to_owned()),
            Just("6 tháng đầu".to_owned()),
            Just("giai đoạn".to_owned()),
            Just("/".to_owned()),
            Just("-".to_owned()),
            Just("II".to_owned()),
            Just("\u{301}".to_owned()),
            (0u64..100_000_000_000).prop_map(|n| n.to_string()),
            "\\PC{0,3}",
        ]
    }

    /// Any date chrono can represent.
    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce())
            .prop_map(|days| NaiveDate::from_num_days_from_ce_opt(days).unwrap())
    }

    /// A date whose year has four digits, as the parser requires.
    fn four_digit_year_date() -> impl Strategy<Value = NaiveDate> {
        (ymd(1000, 1, 1).num_days_from_ce()..=ymd(9999, 12, 31).num_days_from_ce())
            .prop_map(|days| NaiveDate::from_num_days_from_ce_opt(days).unwrap())
    }

    proptest! {
        #[test]
        fn parse_never_panics(text in "\\PC*", year in any::<i32>()) {
            let d = Deadline::parse(&text, year);
            prop_assert_eq!(d.text, text);
        }

        #[test]
        fn parse_never_panics_on_near_forms(
            parts in prop::collection::vec(fragment(), 0..7),
            year in any::<i32>(),
            on in any_date(),
        ) {
            let text = parts.join(" ");
            let d = Deadline::parse(&text, year);
            d.due_for(on);
            prop_assert_eq!(d.kind == DeadlineKind::Unparsed, d.is_unparsed());
            if let (Some(start), Some(due)) = (d.window_start, d.due) {
                prop_assert!(start <= due);
            }
        }

        #[test]
        fn dates_read_back(date in four_digit_year_date(), context in any::<i32>()) {
            for text in [
                format!("{}/{}/{}", date.day(), date.month(), date.year()),
                format!("{:02}/{:02}/{}", date.day(), date.month(), date.year()),
            ] {
                let d = Deadline::parse(&text, context);
                let read = (d.kind, d.due, d.window_start);
                prop_assert_eq!(read, (DeadlineKind::Date, Some(date), Some(date)), "{}", text);
            }
        }

        #[test]
        fn months_end_on_their_last_day(month in 1u32..=12, year in 1000i32..=9999, context in any::<i32>()) {
            let d = Deadline::parse(&format!("Tháng {month}/{year}"), context);
            let due = d.due.unwrap();
            prop_assert_eq!(d.kind, DeadlineKind::Month);
            prop_assert_eq!((due.year(), due.month()), (year, month));
            prop_assert_eq!(due.succ_opt().unwrap().day(), 1);
            prop_assert!(d.window_start.unwrap() <= due);
            prop_assert_eq!(d.window_start, NaiveDate::from_ymd_opt(year, month, 1));
        }
    }
}
