//! The fonts built into the binary: Liberation Serif 2.1 (SIL OFL 1.1, see
//! `assets/fonts/LICENSE-OFL.txt`), metric-compatible with Times New Roman and covering
//! every Vietnamese letter. The PDF and the charts use them; the DOCX names Times New
//! Roman, which Word has and LibreOffice maps to Liberation Serif.

use std::sync::OnceLock;

/// The family name inside the font files.
pub const FAMILY: &str = "Liberation Serif";

/// The font the DOCX names (NĐ 30/2020 asks for Times New Roman).
pub const DOCX_FAMILY: &str = "Times New Roman";

pub const REGULAR: &[u8] = include_bytes!("../../../assets/fonts/LiberationSerif-Regular.ttf");
pub const BOLD: &[u8] = include_bytes!("../../../assets/fonts/LiberationSerif-Bold.ttf");
pub const ITALIC: &[u8] = include_bytes!("../../../assets/fonts/LiberationSerif-Italic.ttf");
pub const BOLD_ITALIC: &[u8] =
    include_bytes!("../../../assets/fonts/LiberationSerif-BoldItalic.ttf");

/// The four faces: regular, bold, italic, bold italic.
pub const ALL: [&[u8]; 4] = [REGULAR, BOLD, ITALIC, BOLD_ITALIC];

/// The width of `text` in points, set in Liberation Serif (metric-compatible with Times
/// New Roman, so the same in Word) at `size` points, regular or bold. Used to size table
/// columns and to break a heading line between words, never inside one.
pub fn width_pt(text: &str, size: f64, bold: bool) -> f64 {
    static FACES: OnceLock<[ttf_parser::Face<'static>; 2]> = OnceLock::new();
    let faces = FACES.get_or_init(|| {
        [
            ttf_parser::Face::parse(REGULAR, 0).expect("built-in font parses"),
            ttf_parser::Face::parse(BOLD, 0).expect("built-in font parses"),
        ]
    });
    let face = &faces[usize::from(bold)];
    let units: u32 = text
        .chars()
        .map(|c| {
            face.glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .map_or(u32::from(face.units_per_em()) / 2, u32::from)
        })
        .sum();
    f64::from(units) * size / f64::from(face.units_per_em())
}

/// Words that begin a phrase: a line never ends with one ("… VÀ / TRUYỀN THÔNG").
const JOINING_WORDS: [&str; 8] = ["và", "về", "của", "cho", "với", "các", "thuộc", "tại"];

/// `text` broken between words into as few lines as fit `max_width` points (at `size`,
/// regular or bold), two lines balanced so that neither is much longer than the other
/// and no line ends with a joining word: "BỘ THÔNG TIN" / "VÀ TRUYỀN THÔNG" rather than
/// "BỘ THÔNG TIN VÀ TRUYỀN" / "THÔNG".
pub fn balanced_lines(text: &str, size: f64, bold: bool, max_width: f64) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let width = |ws: &[&str]| width_pt(&ws.join(" "), size, bold);
    if words.len() < 2 || width(&words) <= max_width {
        return vec![words.join(" ")];
    }
    let joining = |w: &str| JOINING_WORDS.contains(&w.to_lowercase().as_str());
    let best_pair = (1..words.len())
        .filter(|&i| !joining(words[i - 1]))
        .map(|i| (width(&words[..i]).max(width(&words[i..])), i))
        .filter(|(w, _)| *w <= max_width)
        .min_by(|a, b| a.0.total_cmp(&b.0));
    if let Some((_, i)) = best_pair {
        return vec![words[..i].join(" "), words[i..].join(" ")];
    }
    let mut lines: Vec<Vec<&str>> = vec![Vec::new()];
    for w in words {
        let line = lines.last_mut().expect("one line at least");
        line.push(w);
        if line.len() > 1 && width(line) > max_width {
            line.pop();
            lines.push(vec![w]);
        }
    }
    lines.into_iter().map(|l| l.join(" ")).collect()
}

/// Every letter of Vietnamese, lower and upper case.
pub const VIETNAMESE_LETTERS: &str = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ\
AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬBCDĐEÈÉẺẼẸÊỀẾỂỄỆGHIÌÍỈĨỊKLMNOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢPQRSTUÙÚỦŨỤƯỪỨỬỮỰVXYỲÝỶỸỴ";

#[cfg(test)]
mod tests {
    use super::*;
    use typst::text::Font;

    #[test]
    fn every_face_covers_every_vietnamese_letter() {
        assert_eq!(VIETNAMESE_LETTERS.chars().count(), 2 * 89);
        for data in ALL {
            let font = Font::new(typst::foundations::Bytes::new(data), 0).expect("font parses");
            assert_eq!(font.info().family, FAMILY);
            let missing: String = VIETNAMESE_LETTERS
                .chars()
                .filter(|c| !font.info().coverage.contains(*c as u32))
                .collect();
            assert!(
                missing.is_empty(),
                "{:?} lacks {missing}",
                font.info().variant
            );
        }
    }

    #[test]
    fn widths_follow_the_glyphs() {
        let m = width_pt("M", 12.0, false);
        assert!((m - 12.0 * 0.889).abs() < 0.1, "M is {m} pt");
        assert!(width_pt("NN&PTNT", 12.0, true) > width_pt("NN&PTNT", 12.0, false));
        assert!(width_pt("iiii", 12.0, false) < width_pt("WWWW", 12.0, false) / 2.0);
        assert_eq!(width_pt("", 14.0, false), 0.0);
    }

    #[test]
    fn a_long_name_breaks_between_phrases_into_balanced_lines() {
        let lines = balanced_lines("BỘ THÔNG TIN VÀ TRUYỀN THÔNG", 13.0, true, 175.0);
        assert_eq!(lines, vec!["BỘ THÔNG TIN", "VÀ TRUYỀN THÔNG"]);
        assert_eq!(
            balanced_lines("BỘ CÔNG AN", 13.0, true, 175.0),
            vec!["BỘ CÔNG AN"]
        );
        let many = balanced_lines(
            "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH VÀ CÁC CƠ QUAN CHUYÊN MÔN THUỘC ỦY BAN",
            13.0,
            true,
            175.0,
        );
        assert!(many.len() >= 3, "{many:?}");
        assert!(
            many.iter()
                .all(|l| width_pt(l, 13.0, true) <= 175.0 || !l.contains(' ')),
            "{many:?}"
        );
    }
}
