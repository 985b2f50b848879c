//! A check of the Thrift structures of a Parquet file, done before the `parquet` decoder
//! reads them, so that a malformed file costs time in proportion to its size.
//!
//! parquet 59 skips a field it does not know by walking its declared contents: a list
//! declares its length, and elements that take no bytes (booleans, as the decoder skips
//! them) or that run past the end of the file (page headers are read from a stream that
//! then yields nothing, without an error) are "skipped" one by one, up to two billion per
//! list. Fuzzing found a 40 KB file that kept the decoder busy for 40 s that way
//! (`testdata/fuzz-parquet-endless-skip.parquet`); upstream tracks the hardening of its
//! Thrift parser (apache/arrow-rs#9874).
//!
//! The check walks the footer (`FileMetaData`) and every page header the decoder asks
//! for, in the Thrift compact encoding, consuming the bytes exactly as the decoder does.
//! It knows the fields the decoder reads (the tables below, from `parquet.thrift` as
//! parquet 59 reads it) and refuses one whose encoded type is not the expected one, since
//! the decoder would read it as the expected type and from then on see other structures
//! than the ones checked. It refuses what would make the decoder's work outgrow the file:
//! a length past the end of the file, more than [`MAX_EMPTY_ELEMENTS`] elements that take
//! no bytes, nesting deeper than the decoder's own limit.

use datafusion::parquet::errors::ParquetError;
use datafusion::parquet::file::reader::{ChunkReader, Length};

/// The most elements of a list, set or map of booleans (which the decoder skips without
/// reading a byte) in a field the decoder does not know. No Parquet writer puts such a
/// collection in a footer or a page header.
const MAX_EMPTY_ELEMENTS: u64 = 64;

/// The decoder's limit of nesting when it skips a field (parquet 59: 64).
const SKIP_DEPTH: u8 = 64;

/// The largest page header read: far beyond any writer's (statistics are truncated).
const MAX_PAGE_HEADER: u64 = 16 << 20;

/// What a field holds, as the decoder reads it.
#[derive(Clone, Copy)]
enum Kind {
    Bool,
    Byte,
    I16,
    I32,
    I64,
    Double,
    Binary,
    Struct(&'static [(i16, Kind)]),
    List(&'static Kind),
}

impl Kind {
    /// Whether `wire`, a compact-protocol type, encodes this kind (field or element).
    fn encoded_as(self, wire: u8) -> bool {
        match self {
            Kind::Bool => wire == 1 || wire == 2,
            Kind::Byte => wire == 3,
            Kind::I16 => wire == 4,
            Kind::I32 => wire == 5,
            Kind::I64 => wire == 6,
            Kind::Double => wire == 7,
            Kind::Binary => wire == 8,
            Kind::List(_) => wire == 9,
            Kind::Struct(_) => wire == 12,
        }
    }
}

const EMPTY: &[(i16, Kind)] = &[];
const STATISTICS: &[(i16, Kind)] = &[
    (1, Kind::Binary),
    (2, Kind::Binary),
    (3, Kind::I64),
    (4, Kind::I64),
    (5, Kind::Binary),
    (6, Kind::Binary),
    (7, Kind::Bool),
    (8, Kind::Bool),
];
const TIME_UNIT: &[(i16, Kind)] = &[
    (1, Kind::Struct(EMPTY)),
    (2, Kind::Struct(EMPTY)),
    (3, Kind::Struct(EMPTY)),
];
const TIMESTAMP_TYPE: &[(i16, Kind)] = &[(1, Kind::Bool), (2, Kind::Struct(TIME_UNIT))];
const LOGICAL_TYPE: &[(i16, Kind)] = &[
    (1, Kind::Struct(EMPTY)),
    (2, Kind::Struct(EMPTY)),
    (3, Kind::Struct(EMPTY)),
    (4, Kind::Struct(EMPTY)),
    (5, Kind::Struct(&[(1, Kind::I32), (2, Kind::I32)])),
    (6, Kind::Struct(EMPTY)),
    (7, Kind::Struct(TIMESTAMP_TYPE)),
    (8, Kind::Struct(TIMESTAMP_TYPE)),
    (10, Kind::Struct(&[(1, Kind::Byte), (2, Kind::Bool)])),
    (11, Kind::Struct(EMPTY)),
    (12, Kind::Struct(EMPTY)),
    (13, Kind::Struct(EMPTY)),
    (14, Kind::Struct(EMPTY)),
    (15, Kind::Struct(EMPTY)),
    (16, Kind::Struct(&[(1, Kind::Byte)])),
    (17, Kind::Struct(&[(1, Kind::Binary)])),
    (18, Kind::Struct(&[(1, Kind::Binary), (2, Kind::I32)])),
];
const SCHEMA_ELEMENT: &[(i16, Kind)] = &[
    (1, Kind::I32),
    (2, Kind::I32),
    (3, Kind::I32),
    (4, Kind::Binary),
    (5, Kind::I32),
    (6, Kind::I32),
    (7, Kind::I32),
    (8, Kind::I32),
    (9, Kind::I32),
    (10, Kind::Struct(LOGICAL_TYPE)),
];
const KEY_VALUE: &[(i16, Kind)] = &[(1, Kind::Binary), (2, Kind::Binary)];
const COLUMN_META_DATA: &[(i16, Kind)] = &[
    (1, Kind::I32),
    (2, Kind::List(&Kind::I32)),
    (3, Kind::List(&Kind::Binary)),
    (4, Kind::I32),
    (5, Kind::I64),
    (6, Kind::I64),
    (7, Kind::I64),
    (8, Kind::List(&Kind::Struct(KEY_VALUE))),
    (9, Kind::I64),
    (10, Kind::I64),
    (11, Kind::I64),
    (12, Kind::Struct(STATISTICS)),
    (
        13,
        Kind::List(&Kind::Struct(&[
            (1, Kind::I32),
            (2, Kind::I32),
            (3, Kind::I32),
        ])),
    ),
    (14, Kind::I64),
    (15, Kind::I32),
    (
        16,
        Kind::Struct(&[
            (1, Kind::I64),
            (2, Kind::List(&Kind::I64)),
            (3, Kind::List(&Kind::I64)),
        ]),
    ),
    (
        17,
        Kind::Struct(&[
            (
                1,
                Kind::Struct(&[
                    (1, Kind::Double),
                    (2, Kind::Double),
                    (3, Kind::Double),
                    (4, Kind::Double),
                    (5, Kind::Double),
                    (6, Kind::Double),
                    (7, Kind::Double),
                    (8, Kind::Double),
                ]),
            ),
            (2, Kind::List(&Kind::I32)),
        ]),
    ),
];
const COLUMN_CHUNK: &[(i16, Kind)] = &[
    (1, Kind::Binary),
    (2, Kind::I64),
    (3, Kind::Struct(COLUMN_META_DATA)),
    (4, Kind::I64),
    (5, Kind::I32),
    (6, Kind::I64),
    (7, Kind::I32),
    (
        8,
        Kind::Struct(&[
            (1, Kind::Struct(EMPTY)),
            (
                2,
                Kind::Struct(&[(1, Kind::List(&Kind::Binary)), (2, Kind::Binary)]),
            ),
        ]),
    ),
    (9, Kind::Binary),
];
const ROW_GROUP: &[(i16, Kind)] = &[
    (1, Kind::List(&Kind::Struct(COLUMN_CHUNK))),
    (2, Kind::I64),
    (3, Kind::I64),
    (
        4,
        Kind::List(&Kind::Struct(&[
            (1, Kind::I32),
            (2, Kind::Bool),
            (3, Kind::Bool),
        ])),
    ),
    (5, Kind::I64),
    (6, Kind::I64),
    (7, Kind::I16),
];
const AES_GCM: &[(i16, Kind)] = &[(1, Kind::Binary), (2, Kind::Binary), (3, Kind::Bool)];
const FILE_META_DATA: &[(i16, Kind)] = &[
    (1, Kind::I32),
    (2, Kind::List(&Kind::Struct(SCHEMA_ELEMENT))),
    (3, Kind::I64),
    (4, Kind::List(&Kind::Struct(ROW_GROUP))),
    (5, Kind::List(&Kind::Struct(KEY_VALUE))),
    (6, Kind::Binary),
    (7, Kind::List(&Kind::Struct(&[(1, Kind::Struct(EMPTY))]))),
    (
        8,
        Kind::Struct(&[(1, Kind::Struct(AES_GCM)), (2, Kind::Struct(AES_GCM))]),
    ),
    (9, Kind::Binary),
];
const PAGE_HEADER: &[(i16, Kind)] = &[
    (1, Kind::I32),
    (2, Kind::I32),
    (3, Kind::I32),
    (4, Kind::I32),
    (
        5,
        Kind::Struct(&[
            (1, Kind::I32),
            (2, Kind::I32),
            (3, Kind::I32),
            (4, Kind::I32),
            (5, Kind::Struct(STATISTICS)),
        ]),
    ),
    (6, Kind::Struct(EMPTY)),
    (
        7,
        Kind::Struct(&[(1, Kind::I32), (2, Kind::I32), (3, Kind::Bool)]),
    ),
    (
        8,
        Kind::Struct(&[
            (1, Kind::I32),
            (2, Kind::I32),
            (3, Kind::I32),
            (4, Kind::I32),
            (5, Kind::I32),
            (6, Kind::I32),
            (7, Kind::Bool),
            (8, Kind::Struct(STATISTICS)),
        ]),
    ),
];

/// Why a structure was refused.
#[derive(Debug, PartialEq, Eq)]
enum Refusal {
    /// It runs past the bytes given (for a page header: read more and try again).
    Truncated,
    Malformed(&'static str),
}

/// A walk over compact-protocol bytes, consuming them as parquet 59's decoder does.
struct Walk<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Walk<'_> {
    fn byte(&mut self) -> Result<u8, Refusal> {
        let byte = *self.bytes.get(self.at).ok_or(Refusal::Truncated)?;
        self.at += 1;
        Ok(byte)
    }

    fn advance(&mut self, n: u64) -> Result<(), Refusal> {
        let left = (self.bytes.len() - self.at) as u64;
        if n > left {
            return Err(Refusal::Truncated);
        }
        self.at += n as usize;
        Ok(())
    }

    fn varint(&mut self) -> Result<u64, Refusal> {
        let mut value = 0u64;
        for shift in (0..70).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f).wrapping_shl(shift);
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(Refusal::Malformed("số nguyên mã hoá quá dài"))
    }

    fn field_id(&mut self, header: u8, last: i16) -> Result<i16, Refusal> {
        match header >> 4 {
            0 => {
                let zigzag = self.varint()?;
                Ok(((zigzag >> 1) as i64 ^ -((zigzag & 1) as i64)) as i16)
            }
            delta => last
                .checked_add(i16::from(delta))
                .ok_or(Refusal::Malformed("số hiệu trường vượt giới hạn")),
        }
    }

    /// A list or set header: element type and count.
    fn list_header(&mut self) -> Result<(u8, u64), Refusal> {
        let header = self.byte()?;
        if header == 0 {
            return Ok((3, 0));
        }
        let count = match header >> 4 {
            15 => self.varint()?,
            small => u64::from(small),
        };
        if count > i32::MAX as u64 {
            return Err(Refusal::Malformed("danh sách quá dài"));
        }
        Ok((element_type(header & 0x0f)?, count))
    }

    /// A struct whose known fields are `fields`.
    fn structure(&mut self, fields: &[(i16, Kind)], depth: u8) -> Result<(), Refusal> {
        let depth = depth
            .checked_sub(1)
            .ok_or(Refusal::Malformed("lồng quá sâu"))?;
        let mut last = 0;
        loop {
            let header = self.byte()?;
            let wire = header & 0x0f;
            if wire == 0 {
                return Ok(());
            }
            if wire > 13 {
                return Err(Refusal::Malformed("kiểu trường không hợp lệ"));
            }
            let id = self.field_id(header, last)?;
            match fields.iter().find(|(known, _)| *known == id) {
                Some((_, kind)) if kind.encoded_as(wire) => self.known(*kind, depth)?,
                Some(_) => {
                    return Err(Refusal::Malformed(
                        "một trường có kiểu khác với kiểu của nó trong đặc tả Parquet",
                    ));
                }
                None => self.skipped(wire, SKIP_DEPTH)?,
            }
            last = id;
        }
    }

    /// A field the decoder reads, of its expected kind.
    fn known(&mut self, kind: Kind, depth: u8) -> Result<(), Refusal> {
        match kind {
            Kind::Bool => Ok(()),
            Kind::Byte => self.advance(1),
            Kind::I16 | Kind::I32 | Kind::I64 => self.varint().map(drop),
            Kind::Double => self.advance(8),
            Kind::Binary => {
                let length = self.varint()?;
                self.advance(length)
            }
            Kind::Struct(fields) => self.structure(fields, depth),
            Kind::List(element) => {
                let (wire, count) = self.list_header()?;
                if count == 0 {
                    return Ok(());
                }
                // (No list the decoder reads holds booleans, which it would read as a
                // byte each, unlike the ones it skips.)
                if !element.encoded_as(wire) || matches!(element, Kind::Bool) {
                    return Err(Refusal::Malformed(
                        "phần tử danh sách có kiểu khác với đặc tả Parquet",
                    ));
                }
                for _ in 0..count {
                    self.known(*element, depth)?;
                }
                Ok(())
            }
        }
    }

    /// A field the decoder skips, walked as its `skip_till_depth` walks it.
    fn skipped(&mut self, wire: u8, depth: u8) -> Result<(), Refusal> {
        let depth = depth
            .checked_sub(1)
            .ok_or(Refusal::Malformed("lồng quá sâu"))?;
        match wire {
            1 | 2 => Ok(()),
            3 => self.advance(1),
            4..=6 => self.varint().map(drop),
            7 => self.advance(8),
            8 => {
                let length = self.varint()?;
                self.advance(length)
            }
            9 | 10 => {
                let (element, count) = self.list_header()?;
                self.elements(&[element], count, depth)
            }
            11 => {
                let count = self.varint()?;
                if count > i32::MAX as u64 {
                    return Err(Refusal::Malformed("bảng ánh xạ quá lớn"));
                }
                if count == 0 {
                    return Ok(());
                }
                let types = self.byte()?;
                let (key, value) = (element_type(types >> 4)?, element_type(types & 0x0f)?);
                self.elements(&[key, value], count, depth)
            }
            12 => loop {
                let header = self.byte()?;
                if header & 0x0f == 0 {
                    return Ok(());
                }
                if header & 0x0f > 13 {
                    return Err(Refusal::Malformed("kiểu trường không hợp lệ"));
                }
                self.field_id(header, 0)?;
                self.skipped(header & 0x0f, depth)?;
            },
            13 => self.advance(16),
            _ => Err(Refusal::Malformed("kiểu trường không hợp lệ")),
        }
    }

    /// `count` repetitions of `types` (a list's element, a map's key and value), skipped.
    /// Every repetition must take a byte at least, unless there are few of them.
    fn elements(&mut self, types: &[u8], count: u64, depth: u8) -> Result<(), Refusal> {
        let takes_no_bytes = types.iter().all(|t| *t == 1 || *t == 2);
        if takes_no_bytes && count > MAX_EMPTY_ELEMENTS {
            return Err(Refusal::Malformed("danh sách giá trị đúng/sai quá dài"));
        }
        if !takes_no_bytes && count > (self.bytes.len() - self.at) as u64 {
            return Err(Refusal::Truncated);
        }
        for _ in 0..count {
            for wire in types {
                self.skipped(*wire, depth)?;
            }
        }
        Ok(())
    }
}

/// A collection's element type as a field type (booleans as 1); unknown ones refused.
fn element_type(nibble: u8) -> Result<u8, Refusal> {
    match nibble {
        1 | 2 => Ok(1),
        3..=13 => Ok(nibble),
        _ => Err(Refusal::Malformed("kiểu phần tử không hợp lệ")),
    }
}

fn refused(what: &str, why: Refusal) -> ParquetError {
    let why = match why {
        Refusal::Truncated => "vượt quá cuối tệp",
        Refusal::Malformed(why) => why,
    };
    ParquetError::General(format!("tệp Parquet hỏng: {what}: {why}"))
}

/// Check the footer of the Parquet file `input` (its `FileMetaData`); the input whose
/// page headers are then checked as the decoder asks for them.
pub(crate) fn checked<R: ChunkReader>(input: R) -> Result<Checked<R>, ParquetError> {
    let length = input.len();
    if length < 12 {
        return Err(refused("phần cuối tệp", Refusal::Truncated));
    }
    let tail = input.get_bytes(length - 8, 8)?;
    if &tail[4..] != b"PAR1" {
        return Err(refused(
            "phần cuối tệp",
            Refusal::Malformed("không có dấu hiệu PAR1"),
        ));
    }
    let footer = u64::from(u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]));
    if footer > length - 12 {
        return Err(refused("siêu dữ liệu", Refusal::Truncated));
    }
    let footer_start = length - 8 - footer;
    let bytes = input.get_bytes(footer_start, footer as usize)?;
    Walk {
        bytes: &bytes,
        at: 0,
    }
    .structure(FILE_META_DATA, SKIP_DEPTH)
    .map_err(|why| refused("siêu dữ liệu", why))?;
    Ok(Checked {
        input,
        footer_start,
        budget: None,
    })
}

/// Check the page header at `start`, reading more of the file while it runs on; returns
/// the page's declared uncompressed size.
fn check_page_header<R: ChunkReader>(input: &R, start: u64) -> Result<u64, ParquetError> {
    let left = input.len().saturating_sub(start);
    let mut window = left.min(4096);
    loop {
        let bytes = input.get_bytes(start, window as usize)?;
        match (Walk {
            bytes: &bytes,
            at: 0,
        })
        .structure(PAGE_HEADER, SKIP_DEPTH)
        {
            Ok(()) => return Ok(uncompressed_page_size(&bytes)),
            Err(Refusal::Truncated) if window < left.min(MAX_PAGE_HEADER) => {
                window = (window * 16).min(left).min(MAX_PAGE_HEADER)
            }
            Err(why) => return Err(refused(&format!("đầu trang dữ liệu ở byte {start}"), why)),
        }
    }
}

/// The uncompressed size (field 2) a page header that passed the check declares; 0 if
/// it declares none or a negative one (the decoder refuses those itself).
fn uncompressed_page_size(bytes: &[u8]) -> u64 {
    let mut walk = Walk { bytes, at: 0 };
    let mut last = 0;
    let mut field = || -> Result<Option<u64>, Refusal> {
        loop {
            let header = walk.byte()?;
            let wire = header & 0x0f;
            if wire == 0 {
                return Ok(None);
            }
            let id = walk.field_id(header, last)?;
            if id == 2 && wire == 5 {
                let zigzag = walk.varint()?;
                let value = (zigzag >> 1) as i64 ^ -((zigzag & 1) as i64);
                return Ok(u64::try_from(value).ok());
            }
            // The same bytes the check walked: skipping consumes them as it did.
            walk.skipped(wire, SKIP_DEPTH)?;
            last = id;
        }
    };
    field().ok().flatten().unwrap_or(0)
}

/// The most bytes the pages of a file may declare they hold once uncompressed, and what
/// the pages read so far declare (each page once, however often its header is read).
struct Budget {
    limit: u64,
    counted: std::sync::Mutex<(u64, std::collections::HashSet<u64>)>,
}

/// A Parquet input whose footer was checked and whose every page header is checked
/// before the decoder reads it.
pub(crate) struct Checked<R> {
    input: R,
    /// Where the footer starts: reads from there on are of the footer, not page headers.
    footer_start: u64,
    budget: Option<Budget>,
}

impl<R: Length> Checked<R> {
    /// Also refuse, before the decoder allocates for it, the page whose declared
    /// uncompressed size brings the total of the pages read past `limit` bytes: a page
    /// is decompressed into a buffer of the size it declares, and compresses a long run of
    /// one value a thousandfold.
    pub(crate) fn within(mut self, limit: u64) -> Checked<R> {
        self.budget = Some(Budget {
            limit,
            counted: std::sync::Mutex::new((0, std::collections::HashSet::new())),
        });
        self
    }

    fn count(&self, start: u64, size: u64) -> Result<(), ParquetError> {
        let Some(budget) = &self.budget else {
            return Ok(());
        };
        let mut counted = budget.counted.lock().unwrap_or_else(|e| e.into_inner());
        let (total, seen) = &mut *counted;
        if seen.insert(start) {
            *total = total.saturating_add(size);
        }
        if *total > budget.limit {
            return Err(ParquetError::General(format!(
                "tệp Parquet quá lớn khi giải nén: các trang dữ liệu đã đọc khai báo {} MB sau giải nén (tệp {} MB), quá giới hạn {} MB",
                megabytes(*total),
                megabytes(self.input.len()),
                megabytes(budget.limit)
            )));
        }
        Ok(())
    }
}

/// Bytes in megabytes, as Vietnamese writes them (`1,5`).
pub(crate) fn megabytes(bytes: u64) -> String {
    tiendo_core::format::decimal(bytes as f64 / f64::from(1 << 20), 1)
}

impl<R: Length> Length for Checked<R> {
    fn len(&self) -> u64 {
        self.input.len()
    }
}

impl<R: ChunkReader> ChunkReader for Checked<R> {
    type T = R::T;

    /// The decoder reads page headers from here, and the footer's last 8 bytes.
    fn get_read(&self, start: u64) -> Result<Self::T, ParquetError> {
        if start < self.footer_start {
            let size = check_page_header(&self.input, start)?;
            self.count(start, size)?;
        }
        self.input.get_read(start)
    }

    fn get_bytes(&self, start: u64, length: usize) -> Result<bytes::Bytes, ParquetError> {
        self.input.get_bytes(start, length)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk(bytes: &[u8], fields: &'static [(i16, Kind)]) -> Result<(), Refusal> {
        Walk { bytes, at: 0 }.structure(fields, SKIP_DEPTH)
    }

    #[test]
    fn a_page_header_as_written_passes() {
        // type 0 (data page), sizes 10 and 8, data page header {num_values 2, encodings 0}.
        let header = [
            0x15, 0x00, 0x15, 0x14, 0x15, 0x10, 0x2c, 0x15, 0x04, 0x15, 0x00, 0x15, 0x00, 0x15,
            0x00, 0x00, 0x00,
        ];
        assert_eq!(walk(&header, PAGE_HEADER), Ok(()));
        assert_eq!(walk(&header[..10], PAGE_HEADER), Err(Refusal::Truncated));
    }

    #[test]
    fn a_long_list_of_booleans_in_an_unknown_field_is_refused() {
        // field 15, a list of 2^31 - 1 booleans: the decoder would loop that many times.
        let header = [0xf9, 0xf2, 0xff, 0xff, 0xff, 0xff, 0x07, 0x00];
        assert!(matches!(
            walk(&header, PAGE_HEADER),
            Err(Refusal::Malformed(_))
        ));
        let few = [0xf9, 0x32, 0x00];
        assert_eq!(
            walk(&few, PAGE_HEADER),
            Ok(()),
            "three booleans take no bytes, as the decoder skips them"
        );
        let map = [0x0b, 0xc8, 0x01, 0xff, 0xff, 0xff, 0xff, 0x07, 0x11, 0x00];
        assert!(
            matches!(walk(&map, PAGE_HEADER), Err(Refusal::Malformed(_))),
            "a map of booleans to booleans"
        );
    }

    #[test]
    fn a_list_longer_than_the_bytes_left_is_refused() {
        // field 15, a list of 2^31 - 1 doubles in a few bytes.
        let header = [0xf9, 0xf7, 0xff, 0xff, 0xff, 0xff, 0x07, 0x00];
        assert_eq!(walk(&header, PAGE_HEADER), Err(Refusal::Truncated));
    }

    #[test]
    fn a_known_field_of_another_type_is_refused() {
        // field 5 (data page header, a struct) encoded as an i32: the decoder would read
        // the bytes after it as a struct, not as what was checked.
        let header = [0x55, 0x02, 0x00];
        assert!(matches!(
            walk(&header, PAGE_HEADER),
            Err(Refusal::Malformed(_))
        ));
    }

    #[test]
    fn nesting_deeper_than_the_decoder_allows_is_refused() {
        let mut header = vec![0xfc];
        header.extend(std::iter::repeat_n(0x1c, 100));
        assert!(matches!(
            walk(&header, PAGE_HEADER),
            Err(Refusal::Malformed(_))
        ));
    }

    proptest::proptest! {
        /// Any bytes: an answer, no panic, and never more steps than bytes allow.
        #[test]
        fn any_bytes_are_walked_or_refused(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512)) {
            let _ = walk(&bytes, FILE_META_DATA);
            let _ = walk(&bytes, PAGE_HEADER);
        }
    }
}
