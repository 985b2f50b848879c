//! The fonts built into the binary: Liberation Serif 2.1 (SIL OFL 1.1, see
//! `assets/fonts/LICENSE-OFL.txt`), metric-compatible with Times New Roman and covering
//! every Vietnamese letter. The PDF and the charts use them; the DOCX names Times New
//! Roman, which Word has and LibreOffice maps to Liberation Serif.

/// The family name inside the font files.
pub const FAMILY: &str = "Liberation Serif";

/// The font the DOCX names (NĐ 30/2020 asks for Times New Roman).
pub const DOCX_FAMILY: &str = "Times New Roman";

pub const REGULAR: &[u8] = include_bytes!("../../../assets/fonts/LiberationSerif-Regular.ttf");
pub const BOLD: &[u8] = include_bytes!("../../../assets/fonts/LiberationSerif-Bold.ttf");
pub const ITALIC: &[u8] = include_bytes!("../../../assets/fonts/LiberationSerif-Italic.ttf");
pub const BOLD_ITALIC: &[u8] = include_bytes!("../../../assets/fonts/LiberationSerif-BoldItalic.ttf");

/// The four faces: regular, bold, italic, bold italic.
pub const ALL: [&[u8]; 4] = [REGULAR, BOLD, ITALIC, BOLD_ITALIC];

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
            let missing: String = VIETNAMESE_LETTERS.chars().filter(|c| !font.info().coverage.contains(*c as u32)).collect();
            assert!(missing.is_empty(), "{:?} lacks {missing}", font.info().variant);
        }
    }
}
