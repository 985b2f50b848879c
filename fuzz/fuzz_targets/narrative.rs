//! The narrative of a report (`tiendo narrative`, the web form, the API): any text, as any
//! section, renders to blocks or to the list of its bad references against a small set
//! of figures, never a panic; a text within the size limit renders with bounded work.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tiendo_report::narrative::{Figures, NARRATIVE_BYTES};
use tiendo_report::{Inline, Narrative, Section};

/// Two figures, as the tests of the renderer have: indicator 1.1 and the tasks done.
struct Fake;

impl Figures for Fake {
    fn figure(&self, kind: &str, key: &str) -> Result<Vec<Inline>, String> {
        match (kind, key) {
            ("chi_tieu", "1.1") => Ok(vec![Inline::Figure {
                text: "81,2%".into(),
                sources: Vec::new(),
            }]),
            ("nhiem_vu", "hoan_thanh") => Ok(vec![Inline::Text("08/20".into())]),
            ("chi_tieu", code) => Err(format!("không có chỉ tiêu mã {code}")),
            (kind, _) => Err(format!("không có loại số liệu \"{kind}\"")),
        }
    }
}

fuzz_target!(|input: (u8, &str)| {
    let (which, text) = input;
    let section = Section::ALL[usize::from(which) % Section::ALL.len()];
    let mut narrative = Narrative::default();
    if narrative.try_set(section, text).is_err() {
        assert!(text.len() > NARRATIVE_BYTES);
        return;
    }
    assert!(narrative.check_size().is_ok());
    match narrative.render(&Fake) {
        Ok(rendered) => {
            if text.trim().is_empty() {
                assert!(rendered.blocks(section).is_empty());
            }
        }
        Err(error) => {
            assert!(!error.0.is_empty());
            assert!(
                error
                    .0
                    .iter()
                    .all(|bad| bad.section == section && bad.line >= 1)
            );
        }
    }
});
