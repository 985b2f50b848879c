//! The narrative of a report (phần nhận định): what the secretariat writes beside the
//! computed figures, in Markdown, one text per section (highlights, results by theme,
//! shortcomings, next tasks, recommendations).
//!
//! A text may insert figures by reference, `{{kind:key}}` (for example `{{chi_tieu:1.1}}`,
//! `{{nhiem_vu:hoan_thanh}}`): each is filled by a [`Figures`] from the same computation as
//! the report's tables, so text and tables cannot disagree. A reference that does not
//! resolve is an error ([`NarrativeError`], every bad reference with its section and line),
//! never a blank. Everything else the writer typed, numbers included, stays as typed.
//!
//! The Markdown is read into the report's own blocks ([`Block`], [`Inline`]): paragraphs,
//! bullet lists (nested lists are flattened), numbered lists as numbered paragraphs,
//! headings, bold, footnotes. Raw HTML is dropped; links keep their text, images their
//! description.
//!
//! A section holds at most [`NARRATIVE_BYTES`] bytes: every write path refuses a longer
//! one ([`Narrative::check_size`]). Rendering does work linear in the text, whatever it
//! holds (brackets, unclosed references, thousands of lines), so that whatever was
//! written every reader can load: lines are found by binary search, each figure is
//! computed once per render, each footnote read once and cited at most
//! [`NOTE_CITATIONS`] times.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};
use tiendo_core::format;
pub use tiendo_core::limits::NARRATIVE_BYTES;

use crate::doc::{Block, Inline};

/// A section of the narrative, in the order of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// Một số kết quả nổi bật: at the start of I.
    Highlights,
    /// Kết quả theo lĩnh vực: at the end of I.
    Results,
    /// II. Tồn tại, hạn chế.
    Shortcomings,
    /// III. Nhiệm vụ, giải pháp trọng tâm thời gian tới.
    NextTasks,
    /// IV. Đề xuất, kiến nghị.
    Recommendations,
}

impl Section {
    pub const ALL: [Section; 5] = [
        Section::Highlights,
        Section::Results,
        Section::Shortcomings,
        Section::NextTasks,
        Section::Recommendations,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Section::Highlights => "highlights",
            Section::Results => "results",
            Section::Shortcomings => "shortcomings",
            Section::NextTasks => "next_tasks",
            Section::Recommendations => "recommendations",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Section::Highlights => "Kết quả nổi bật",
            Section::Results => "Kết quả theo lĩnh vực",
            Section::Shortcomings => "Tồn tại, hạn chế",
            Section::NextTasks => "Nhiệm vụ thời gian tới",
            Section::Recommendations => "Đề xuất, kiến nghị",
        }
    }

    /// The level of the writer's headings: under a numbered part of I. for the highlights
    /// and results, directly under II., III. and IV. otherwise.
    fn heading_level(self) -> u8 {
        match self {
            Section::Highlights | Section::Results => 5,
            Section::Shortcomings | Section::NextTasks | Section::Recommendations => 4,
        }
    }

    /// Refuse a text longer than [`NARRATIVE_BYTES`] for this section.
    pub fn check_size(self, text: &str) -> Result<(), NarrativeTooLong> {
        if text.len() > NARRATIVE_BYTES {
            Err(NarrativeTooLong {
                section: self,
                bytes: text.len(),
            })
        } else {
            Ok(())
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Section::Highlights => "Highlights",
            Section::Results => "Results by theme",
            Section::Shortcomings => "Shortcomings",
            Section::NextTasks => "Next tasks",
            Section::Recommendations => "Recommendations",
        }
    }
}

impl FromStr for Section {
    type Err = String;

    fn from_str(text: &str) -> Result<Section, String> {
        Section::ALL
            .into_iter()
            .find(|s| s.code() == text.trim())
            .ok_or_else(|| {
                let codes: Vec<&str> = Section::ALL.iter().map(|s| s.code()).collect();
                format!("không có mục \"{text}\" (các mục: {})", codes.join(", "))
            })
    }
}

/// The narrative of one report (a programme and a period): a Markdown text per section,
/// empty when nothing is written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Narrative {
    #[serde(default)]
    pub highlights: String,
    #[serde(default)]
    pub results: String,
    #[serde(default)]
    pub shortcomings: String,
    #[serde(default)]
    pub next_tasks: String,
    #[serde(default)]
    pub recommendations: String,
}

impl Narrative {
    pub fn text(&self, section: Section) -> &str {
        match section {
            Section::Highlights => &self.highlights,
            Section::Results => &self.results,
            Section::Shortcomings => &self.shortcomings,
            Section::NextTasks => &self.next_tasks,
            Section::Recommendations => &self.recommendations,
        }
    }

    pub fn set(&mut self, section: Section, text: impl Into<String>) {
        let slot = match section {
            Section::Highlights => &mut self.highlights,
            Section::Results => &mut self.results,
            Section::Shortcomings => &mut self.shortcomings,
            Section::NextTasks => &mut self.next_tasks,
            Section::Recommendations => &mut self.recommendations,
        };
        *slot = text.into();
    }

    /// Refuse a narrative with a section longer than [`NARRATIVE_BYTES`]: every path that
    /// writes a narrative (the API, the web form, `tiendo narrative`) calls this before
    /// storing it. Reading and rendering accept any length (what is stored stays
    /// readable).
    pub fn check_size(&self) -> Result<(), NarrativeTooLong> {
        Section::ALL
            .into_iter()
            .try_for_each(|section| section.check_size(self.text(section)))
    }

    /// Set a section's text, refused (and nothing changed) when it is longer than
    /// [`NARRATIVE_BYTES`].
    pub fn try_set(
        &mut self,
        section: Section,
        text: impl Into<String>,
    ) -> Result<(), NarrativeTooLong> {
        let text = text.into();
        section.check_size(&text)?;
        self.set(section, text);
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        Section::ALL.iter().all(|s| self.text(*s).trim().is_empty())
    }

    /// Every section read into blocks with its references resolved, or every reference
    /// that does not resolve.
    pub fn render(&self, figures: &dyn Figures) -> Result<Rendered, NarrativeError> {
        let mut problems = Vec::new();
        let mut sections = BTreeMap::new();
        for section in Section::ALL {
            let text = self.text(section);
            if !text.trim().is_empty() {
                let (blocks, _work) = blocks(section, text, figures, &mut problems);
                sections.insert(section, blocks);
            }
        }
        if problems.is_empty() {
            Ok(Rendered { sections })
        } else {
            Err(NarrativeError(problems))
        }
    }
}

/// A narrative read into blocks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rendered {
    sections: BTreeMap<Section, Vec<Block>>,
}

impl Rendered {
    /// The blocks of a section (none when nothing is written).
    pub fn blocks(&self, section: Section) -> &[Block] {
        self.sections.get(&section).map_or(&[], Vec::as_slice)
    }
}

/// What figure references resolve against: the figures of one report.
pub trait Figures {
    /// The content of `{{kind:key}}` (figures carrying their records), or why it does not
    /// resolve, in words ("không có chỉ tiêu mã 9.9").
    fn figure(&self, kind: &str, key: &str) -> Result<Vec<Inline>, String>;
}

/// A section's text too long to be written: longer than [`NARRATIVE_BYTES`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NarrativeTooLong {
    pub section: Section,
    /// The length of the text, in bytes.
    pub bytes: usize,
}

impl std::error::Error for NarrativeTooLong {}

impl fmt::Display for NarrativeTooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "mục “{}” của phần nhận định dài {} byte, vượt quá giới hạn {} byte của một mục; hãy rút gọn nội dung",
            self.section.label_vi(),
            format::count(self.bytes as u64),
            format::count(NARRATIVE_BYTES as u64)
        )
    }
}

/// How many times one footnote may be cited in a section: each citation repeats the
/// note's text, so that without a bound a long note cited from every line would make the
/// rendered section grow with the square of the written one.
pub const NOTE_CITATIONS: usize = 10;

/// A reference that does not resolve.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BadReference {
    pub section: Section,
    /// The line of the section's text, from 1.
    pub line: usize,
    /// As written: `{{chi_tieu:9.9}}`.
    pub reference: String,
    pub reason: String,
}

impl fmt::Display for BadReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Tham chiếu {} ở mục {}, dòng {}: {}",
            self.reference,
            self.section.label_vi(),
            self.line,
            self.reason
        )
    }
}

/// Every reference of a narrative that does not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NarrativeError(pub Vec<BadReference>);

impl std::error::Error for NarrativeError {}

impl fmt::Display for NarrativeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let all: Vec<String> = self.0.iter().map(BadReference::to_string).collect();
        write!(
            f,
            "phần nhận định có tham chiếu số liệu không hợp lệ: {}",
            all.join("; ")
        )
    }
}

/// The text of inlines, without their records (headings and footnotes hold text only).
fn plain(inlines: &[Inline]) -> String {
    inlines
        .iter()
        .map(|i| match i {
            Inline::Text(t) | Inline::Bold(t) | Inline::Footnote(t) => t.as_str(),
            Inline::Figure { text, .. } => text.as_str(),
        })
        .collect()
}

/// The steps of a binary search in `len` items, for the count of work.
fn search_steps(len: usize) -> usize {
    (usize::BITS - len.leading_zeros()) as usize + 1
}

/// Where the lines of a text end, to find the line of a byte offset by binary search
/// (counting the line breaks before each offset anew made rendering quadratic).
struct LineIndex {
    /// The offset of every `\n`, in order.
    breaks: Vec<usize>,
}

impl LineIndex {
    fn new(source: &str, work: &mut usize) -> LineIndex {
        *work += source.len();
        LineIndex {
            breaks: source
                .bytes()
                .enumerate()
                .filter_map(|(i, b)| (b == b'\n').then_some(i))
                .collect(),
        }
    }

    /// The line (from 1) of a byte offset.
    fn line(&self, offset: usize, work: &mut usize) -> usize {
        *work += search_steps(self.breaks.len());
        self.breaks.partition_point(|&at| at < offset) + 1
    }
}

/// One section's text as blocks; the references that do not resolve go to `problems`.
/// Also returns the work done, in steps (bytes read, events, search steps), linear in the
/// text: the tests check it on texts made to be slow.
fn blocks(
    section: Section,
    source: &str,
    figures: &dyn Figures,
    problems: &mut Vec<BadReference>,
) -> (Vec<Block>, usize) {
    let options = Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let mut work = 0;
    let lines = LineIndex::new(source, &mut work);
    let notes = footnote_texts(source, options, &lines, &mut work);
    let mut w = Writer {
        section,
        figures,
        problems,
        seen: HashSet::new(),
        notes,
        figures_read: HashMap::new(),
        out: Vec::new(),
        current: Vec::new(),
        pending: String::new(),
        lines: Vec::new(),
        strong: 0,
        depth: 0,
        numbered: None,
        items: Vec::new(),
        work,
    };
    let mut in_note = 0usize;
    for (event, range) in Parser::new_ext(source, options).into_offset_iter() {
        w.work += 1;
        match event {
            Event::Start(Tag::FootnoteDefinition(_)) => in_note += 1,
            Event::End(TagEnd::FootnoteDefinition) => in_note -= 1,
            _ if in_note > 0 => {}
            Event::Text(t) | Event::Code(t) => {
                let line = lines.line(range.start, &mut w.work);
                w.push_text(&t, line);
            }
            Event::SoftBreak | Event::HardBreak => {
                let line = lines.line(range.start, &mut w.work);
                w.push_text(" ", line);
            }
            Event::Start(Tag::Strong) => {
                w.flush();
                w.strong += 1;
            }
            Event::End(TagEnd::Strong) => {
                w.flush();
                w.strong -= 1;
            }
            Event::Start(Tag::Heading { .. }) => w.flush_block(),
            Event::End(TagEnd::Heading(_)) => {
                w.flush();
                let title = plain(&std::mem::take(&mut w.current));
                w.work += title.len();
                if !title.trim().is_empty() {
                    w.out.push(Block::Heading(
                        w.section.heading_level(),
                        title.trim().to_string(),
                    ));
                }
            }
            Event::Start(Tag::List(first)) => {
                if w.depth > 0 {
                    w.end_item();
                } else {
                    w.flush_block();
                    w.numbered = first;
                }
                w.depth += 1;
            }
            Event::End(TagEnd::List(_)) => {
                w.end_item();
                w.depth -= 1;
                if w.depth == 0 && !w.items.is_empty() {
                    let items = std::mem::take(&mut w.items);
                    match w.numbered.take() {
                        Some(first) => {
                            w.out
                                .extend(items.into_iter().zip(first..).map(|(mut item, n)| {
                                    item.insert(0, Inline::Text(format!("{n}. ")));
                                    Block::Paragraph(item)
                                }))
                        }
                        None => w.out.push(Block::Bullets(items)),
                    }
                }
            }
            Event::End(TagEnd::Item) => w.end_item(),
            Event::End(TagEnd::Paragraph | TagEnd::CodeBlock | TagEnd::BlockQuote(_)) => {
                if w.depth > 0 {
                    let line = lines.line(range.end, &mut w.work);
                    w.push_text(" ", line);
                } else {
                    w.flush_block();
                }
            }
            Event::FootnoteReference(label) => {
                w.flush();
                let line = lines.line(range.start, &mut w.work);
                if let Some(note) = w.note(&label, line) {
                    w.current.push(Inline::Footnote(note));
                }
            }
            _ => {}
        }
    }
    w.flush_block();
    (w.out, w.work)
}

/// The raw text of each footnote definition, by label, with the line it starts on.
fn footnote_texts(
    source: &str,
    options: Options,
    lines: &LineIndex,
    work: &mut usize,
) -> HashMap<String, Note> {
    let mut notes = HashMap::new();
    let mut current: Option<(String, String, usize)> = None;
    for (event, range) in Parser::new_ext(source, options).into_offset_iter() {
        *work += 1;
        match event {
            Event::Start(Tag::FootnoteDefinition(label)) => {
                current = Some((
                    label.to_string(),
                    String::new(),
                    lines.line(range.start, work),
                ))
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((label, text, line)) = current.take() {
                    notes.insert(
                        label,
                        Note {
                            text: text.trim().to_string(),
                            line,
                            read: None,
                            citations: 0,
                        },
                    );
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text, _)) = current.as_mut() {
                    *work += t.len();
                    text.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => {
                if let Some((_, text, _)) = current.as_mut() {
                    text.push(' ');
                }
            }
            _ => {}
        }
    }
    notes
}

/// A footnote definition.
struct Note {
    /// As written, references not resolved.
    text: String,
    /// The line it starts on.
    line: usize,
    /// The text with its references resolved, once cited.
    read: Option<String>,
    citations: usize,
}

/// Reads one section's events into blocks.
struct Writer<'a> {
    section: Section,
    figures: &'a dyn Figures,
    problems: &'a mut Vec<BadReference>,
    /// The problems of this section already listed.
    seen: HashSet<BadReference>,
    notes: HashMap<String, Note>,
    /// The figures computed, by kind and key: each once per render, however often the
    /// text cites it.
    figures_read: HashMap<(String, String), Result<Vec<Inline>, String>>,
    out: Vec<Block>,
    /// The inlines of the paragraph, item or heading being read.
    current: Vec<Inline>,
    /// Text not yet split into references, and the line each piece of it starts on.
    pending: String,
    /// (offset in `pending`, line), offsets in increasing order.
    lines: Vec<(usize, usize)>,
    strong: usize,
    /// Nesting of lists; their items all go to one list.
    depth: usize,
    /// The first number of the outermost list when it is numbered ("1.", "2."): its
    /// items are written as numbered paragraphs, as the writer typed them.
    numbered: Option<u64>,
    items: Vec<Vec<Inline>>,
    /// Steps done: bytes read and copied, events, search steps.
    work: usize,
}

impl Writer<'_> {
    /// Text read, to be split into references when its style ends.
    fn push_text(&mut self, text: &str, line: usize) {
        self.work += text.len() + 1;
        self.lines.push((self.pending.len(), line));
        self.pending.push_str(text);
    }

    /// The line a byte of the pending text comes from.
    fn line_at(&mut self, offset: usize) -> usize {
        self.work += search_steps(self.lines.len());
        match self.lines.partition_point(|(start, _)| *start <= offset) {
            0 => 1,
            i => self.lines[i - 1].1,
        }
    }

    /// Split the pending text into text and resolved references. Each byte is read once:
    /// the search for a reference's end starts at its start, the next one at its end.
    fn flush(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        self.work += pending.len() + 1;
        let mut rest = 0;
        while let Some(open) = pending[rest..].find("{{").map(|i| rest + i) {
            self.push_plain(&pending[rest..open]);
            let line = self.line_at(open);
            let Some(close) = pending[open..].find("}}").map(|i| open + i + 2) else {
                let reference = &pending[open..];
                self.problem(line, reference, "thiếu dấu đóng \"}}\"".to_string());
                self.push_plain(reference);
                rest = pending.len();
                break;
            };
            let reference = &pending[open..close];
            match self.resolve(reference) {
                Ok(inlines) => {
                    self.work += inlines.len();
                    self.current.extend(inlines);
                }
                Err(reason) => {
                    self.problem(line, reference, reason);
                    self.push_plain(reference);
                }
            }
            rest = close;
        }
        self.push_plain(&pending[rest..]);
        self.lines.clear();
    }

    fn resolve(&mut self, reference: &str) -> Result<Vec<Inline>, String> {
        self.work += reference.len();
        let inner = reference
            .trim_start_matches("{{")
            .trim_end_matches("}}")
            .trim();
        match inner.split_once(':') {
            Some((kind, key)) if !kind.trim().is_empty() && !key.trim().is_empty() => {
                let at = (kind.trim().to_string(), key.trim().to_string());
                if let Some(read) = self.figures_read.get(&at) {
                    return read.clone();
                }
                let read = self.figures.figure(&at.0, &at.1);
                self.figures_read.insert(at, read.clone());
                read
            }
            _ => Err("không đúng dạng {{loại:mã}}".to_string()),
        }
    }

    fn problem(&mut self, line: usize, reference: &str, reason: String) {
        self.work += reference.len() + reason.len();
        let bad = BadReference {
            section: self.section,
            line,
            reference: reference.to_string(),
            reason,
        };
        if !self.seen.contains(&bad) {
            self.seen.insert(bad.clone());
            self.problems.push(bad);
        }
    }

    /// Text as typed, bold inside `**…**`.
    fn push_plain(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        self.work += text.len();
        match (self.current.last_mut(), self.strong > 0) {
            (Some(Inline::Text(t)), false) | (Some(Inline::Bold(t)), true) => t.push_str(text),
            (_, false) => self.current.push(Inline::Text(text.to_string())),
            (_, true) => self.current.push(Inline::Bold(text.to_string())),
        }
    }

    /// A footnote's text with its references resolved (a footnote holds text only): read
    /// on its first citation, repeated on the next ones, none past [`NOTE_CITATIONS`].
    fn note(&mut self, label: &str, line: usize) -> Option<String> {
        let Some(note) = self.notes.get_mut(label) else {
            self.problem(
                line,
                &format!("[^{label}]"),
                "không có chú thích này".to_string(),
            );
            return Some(String::new());
        };
        note.citations += 1;
        if note.citations > NOTE_CITATIONS {
            if note.citations == NOTE_CITATIONS + 1 {
                self.problem(
                    line,
                    &format!("[^{label}]"),
                    format!("một chú thích chỉ được dẫn tối đa {NOTE_CITATIONS} lần"),
                );
            }
            return None;
        }
        if let Some(read) = &note.read {
            let read = read.clone();
            self.work += read.len();
            return Some(read);
        }
        let (text, note_line) = (std::mem::take(&mut note.text), note.line);
        let saved = (
            std::mem::take(&mut self.current),
            std::mem::take(&mut self.lines),
            self.strong,
        );
        self.strong = 0;
        self.push_text(&text, note_line);
        self.flush();
        let read = plain(&self.current).trim().to_string();
        self.work += read.len();
        (self.current, self.lines, self.strong) = saved;
        if let Some(note) = self.notes.get_mut(label) {
            note.read = Some(read.clone());
        }
        Some(read)
    }

    /// End a list item: its inlines become one bullet.
    fn end_item(&mut self) {
        self.flush();
        trim_end(&mut self.current);
        if !self.current.is_empty() {
            let item = std::mem::take(&mut self.current);
            self.items.push(item);
        }
    }

    /// End a paragraph.
    fn flush_block(&mut self) {
        self.flush();
        trim_end(&mut self.current);
        if !self.current.is_empty() {
            let paragraph = std::mem::take(&mut self.current);
            self.out.push(Block::Paragraph(paragraph));
        }
    }
}

/// Drop the spaces that end a paragraph or item (the joins of its lines).
fn trim_end(inlines: &mut Vec<Inline>) {
    while let Some(Inline::Text(t) | Inline::Bold(t)) = inlines.last_mut() {
        let kept = t.trim_end().len();
        t.truncate(kept);
        if !t.is_empty() {
            break;
        }
        inlines.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Source, figure, text};

    /// Two figures: indicator 1.1 and the tasks done.
    struct Fake;

    impl Figures for Fake {
        fn figure(&self, kind: &str, key: &str) -> Result<Vec<Inline>, String> {
            match (kind, key) {
                ("chi_tieu", "1.1") => Ok(vec![figure(
                    "81,2%",
                    vec![Source {
                        anchor: Some("indicator-i1".into()),
                        label: "i1 2024-05".into(),
                    }],
                )]),
                ("nhiem_vu", "hoan_thanh") => Ok(vec![figure("08/20", Vec::new())]),
                ("chi_tieu", code) => Err(format!("không có chỉ tiêu mã {code}")),
                (kind, _) => Err(format!("không có loại số liệu \"{kind}\"")),
            }
        }
    }

    fn one(section: Section, text: &str) -> Result<Vec<Block>, NarrativeError> {
        let mut n = Narrative::default();
        n.set(section, text);
        n.render(&Fake).map(|r| r.blocks(section).to_vec())
    }

    #[test]
    fn paragraphs_bullets_bold_and_headings_become_blocks() {
        let blocks = one(Section::Highlights, "### Về thể chế\n\nĐã ban hành **03 Nghị định**,\ntrên 53,88 triệu tài khoản.\n\n- một\n- hai\n  - hai a\n").unwrap();
        assert_eq!(
            blocks,
            vec![
                Block::Heading(5, "Về thể chế".into()),
                Block::Paragraph(vec![
                    text("Đã ban hành "),
                    Inline::Bold("03 Nghị định".into()),
                    text(", trên 53,88 triệu tài khoản.")
                ]),
                Block::Bullets(vec![
                    vec![text("một")],
                    vec![text("hai")],
                    vec![text("hai a")]
                ]),
            ]
        );
    }

    /// Issue 28: the secretariat's "1. … 2. …" was printed as dashes.
    #[test]
    fn a_numbered_list_keeps_its_numbers() {
        let blocks = one(
            Section::NextTasks,
            "1. Hoàn thành Đề án.\n2. Trình Chính phủ.\n",
        )
        .unwrap();
        assert_eq!(
            blocks,
            vec![
                Block::Paragraph(vec![text("1. "), text("Hoàn thành Đề án.")]),
                Block::Paragraph(vec![text("2. "), text("Trình Chính phủ.")]),
            ]
        );
    }

    #[test]
    fn references_become_figures_with_their_records() {
        let blocks = one(
            Section::Results,
            "Tỷ lệ {{chi_tieu:1.1}}; đã hoàn thành {{ nhiem_vu:hoan_thanh }} nhiệm vụ.",
        )
        .unwrap();
        let Block::Paragraph(inlines) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(inlines[0], text("Tỷ lệ "));
        assert!(
            matches!(&inlines[1], Inline::Figure { text, sources } if text == "81,2%" && sources[0].anchor.as_deref() == Some("indicator-i1"))
        );
        assert_eq!(inlines[2], text("; đã hoàn thành "));
        assert!(matches!(&inlines[3], Inline::Figure { text, .. } if text == "08/20"));
        assert_eq!(inlines[4], text(" nhiệm vụ."));
    }

    #[test]
    fn numbers_typed_in_the_text_stay_as_typed() {
        let blocks = one(
            Section::Highlights,
            "Trên 53,88 triệu tài khoản; 1.534 tỷ đồng; 03 Nghị định; 81.2%.",
        )
        .unwrap();
        assert_eq!(
            blocks,
            vec![Block::Paragraph(vec![text(
                "Trên 53,88 triệu tài khoản; 1.534 tỷ đồng; 03 Nghị định; 81.2%."
            )])]
        );
    }

    #[test]
    fn raw_html_is_dropped() {
        let blocks = one(Section::NextTasks, "<script>alert(1)</script>\n\nCó <b>đậm</b> và <img src=x onerror=alert(1)> chữ.\n\n<div>\nkhối\n</div>\n").unwrap();
        assert_eq!(
            blocks,
            vec![Block::Paragraph(vec![text("Có đậm và  chữ.")])]
        );
        let all = format!("{blocks:?}");
        assert!(!all.contains('<'), "{all}");
    }

    #[test]
    fn every_bad_reference_is_listed_with_its_section_and_line() {
        let mut n = Narrative::default();
        n.set(
            Section::Recommendations,
            "Đề nghị:\n\n- một {{chi_tieu:1.1}}\n- {{chi_tieu:9.9}} và {{khong_co:x}}\n",
        );
        n.set(Section::Highlights, "Dòng một\n{{sai}} và {{chi_tieu:1.1");
        let err = n.render(&Fake).unwrap_err();
        let messages: Vec<String> = err.0.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            vec![
                "Tham chiếu {{sai}} ở mục Kết quả nổi bật, dòng 2: không đúng dạng {{loại:mã}}",
                "Tham chiếu {{chi_tieu:1.1 ở mục Kết quả nổi bật, dòng 2: thiếu dấu đóng \"}}\"",
                "Tham chiếu {{chi_tieu:9.9}} ở mục Đề xuất, kiến nghị, dòng 4: không có chỉ tiêu mã 9.9",
                "Tham chiếu {{khong_co:x}} ở mục Đề xuất, kiến nghị, dòng 4: không có loại số liệu \"khong_co\"",
            ]
        );
        assert!(err.to_string().contains(
            "Tham chiếu {{chi_tieu:9.9}} ở mục Đề xuất, kiến nghị, dòng 4: không có chỉ tiêu mã 9.9"
        ));
    }

    #[test]
    fn footnotes_keep_their_text_and_resolve_their_references() {
        let blocks = one(
            Section::Shortcomings,
            "Còn chậm[^1].\n\n[^1]: Tỷ lệ {{chi_tieu:1.1}}: Bộ A, Bộ B.\n",
        )
        .unwrap();
        assert_eq!(
            blocks,
            vec![Block::Paragraph(vec![
                text("Còn chậm"),
                Inline::Footnote("Tỷ lệ 81,2%: Bộ A, Bộ B.".into()),
                text(".")
            ])]
        );
        let err = one(
            Section::Shortcomings,
            "Còn chậm[^1].\n\n[^1]: {{chi_tieu:7.7}}\n",
        )
        .unwrap_err();
        assert_eq!(err.0[0].line, 3);
    }

    /// The work of rendering a section of `text`, and whether it rendered without problems.
    fn work(text: &str) -> (usize, bool) {
        let mut problems = Vec::new();
        let (_, work) = blocks(Section::Results, text, &Fake, &mut problems);
        (work, problems.is_empty())
    }

    /// `unit` repeated to `bytes` bytes (whole characters).
    fn repeated(unit: &str, bytes: usize) -> String {
        let mut text = unit.repeat(bytes / unit.len() + 1);
        let mut end = bytes;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text
    }

    /// Texts made to be slow: brackets, unclosed references, thousands of short lines
    /// (each line break was once counted from the start of the text: 400 KB of lines took
    /// 260 s), bad references (each compared with every one listed before), footnotes
    /// cited from every line.
    const SLOW: [&str; 16] = [
        "{{{{[[((",
        "{{",
        "{{chi_tieu:1.1",
        "}}{{",
        "[",
        "[a](",
        "![[a]](b)",
        "a\n",
        "a\n\n",
        "- a\n",
        "  - {{chi_tieu:9.9}}\n",
        "*a_**b",
        "> a\n",
        "Tỷ lệ {{chi_tieu:1.1}} đạt; {{ nhiem_vu:hoan_thanh }} nhiệm vụ.\n",
        "Còn {{chi_tieu:9.9}} và {{sai}}.\n",
        "[^1]: Ghi chú {{chi_tieu:1.1}} dài.\n\nx[^1][^2]\n",
    ];

    /// The work is a small multiple of the text, for a section of the largest size a
    /// writer may save, whatever it holds.
    #[test]
    fn the_largest_sections_render_with_work_linear_in_their_size() {
        for unit in SLOW {
            let text = repeated(unit, NARRATIVE_BYTES);
            let (work, _) = work(&text);
            assert!(
                work <= 40 * text.len(),
                "{unit:?}: {work} steps for {} bytes",
                text.len()
            );
        }
        let mut n = Narrative::default();
        for (section, unit) in Section::ALL.into_iter().zip(SLOW) {
            n.set(section, repeated(unit, NARRATIVE_BYTES));
        }
        assert!(n.check_size().is_ok());
        assert!(n.render(&Fake).is_err(), "bad references are listed");
    }

    /// Four times the text is about four times the work (a quadratic renderer does
    /// sixteen times); the binary searches of lines add a logarithm.
    #[test]
    fn the_work_grows_linearly_with_the_text() {
        for unit in SLOW {
            let small = work(&repeated(unit, NARRATIVE_BYTES / 8)).0;
            let large = work(&repeated(unit, NARRATIVE_BYTES / 2)).0;
            assert!(
                large <= 5 * small,
                "{unit:?}: {small} steps, then {large} for four times the text"
            );
        }
    }

    #[test]
    fn each_bad_reference_is_listed_once() {
        let err = one(Section::Results, &"{{chi_tieu:9.9}} {{sai}}".repeat(1000)).unwrap_err();
        assert_eq!(err.0.len(), 2, "{err}");
        let text = "Còn {{chi_tieu:9.9}}.\n".repeat(3);
        let lines: Vec<usize> = one(Section::Results, &text)
            .unwrap_err()
            .0
            .iter()
            .map(|b| b.line)
            .collect();
        assert_eq!(lines, vec![1, 2, 3]);
    }

    #[test]
    fn a_footnote_is_cited_at_most_a_few_times() {
        let cited = |times: usize| {
            one(
                Section::Shortcomings,
                &format!(
                    "{}\n\n[^1]: Tỷ lệ {{{{chi_tieu:1.1}}}}.\n",
                    "Có[^1].".repeat(times)
                ),
            )
        };
        let blocks = cited(NOTE_CITATIONS).unwrap();
        let Block::Paragraph(inlines) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        let notes: Vec<&Inline> = inlines
            .iter()
            .filter(|i| matches!(i, Inline::Footnote(_)))
            .collect();
        assert_eq!(notes.len(), NOTE_CITATIONS);
        assert!(
            notes
                .iter()
                .all(|n| **n == Inline::Footnote("Tỷ lệ 81,2%.".into()))
        );
        let err = cited(NOTE_CITATIONS + 1).unwrap_err();
        assert_eq!(
            err.0.iter().map(ToString::to_string).collect::<Vec<_>>(),
            vec![format!(
                "Tham chiếu [^1] ở mục Tồn tại, hạn chế, dòng 1: một chú thích chỉ được dẫn tối đa {NOTE_CITATIONS} lần"
            )]
        );
    }

    /// Each figure is asked for once per render, however often the text cites it.
    #[test]
    fn each_figure_is_computed_once() {
        struct Counting(std::cell::Cell<usize>);
        impl Figures for Counting {
            fn figure(&self, kind: &str, key: &str) -> Result<Vec<Inline>, String> {
                self.0.set(self.0.get() + 1);
                Fake.figure(kind, key)
            }
        }
        let figures = Counting(std::cell::Cell::new(0));
        let mut n = Narrative::default();
        n.set(
            Section::Highlights,
            "{{chi_tieu:1.1}} {{ chi_tieu : 1.1 }}\n".repeat(500),
        );
        n.render(&figures).unwrap();
        assert_eq!(figures.0.get(), 1);
    }

    #[test]
    fn a_section_longer_than_the_limit_is_refused() {
        let mut n = Narrative::default();
        assert_eq!(
            n.try_set(Section::NextTasks, "a".repeat(NARRATIVE_BYTES)),
            Ok(())
        );
        assert!(n.check_size().is_ok());
        let err = n
            .try_set(Section::NextTasks, "ơ".repeat(NARRATIVE_BYTES / 2 + 1))
            .unwrap_err();
        assert_eq!(n.next_tasks.len(), NARRATIVE_BYTES, "nothing changed");
        assert_eq!(
            err,
            NarrativeTooLong {
                section: Section::NextTasks,
                bytes: NARRATIVE_BYTES + 2
            }
        );
        assert_eq!(
            err.to_string(),
            "mục “Nhiệm vụ thời gian tới” của phần nhận định dài 200.002 byte, vượt quá giới hạn 200.000 byte của một mục; hãy rút gọn nội dung"
        );
        n.set(Section::Recommendations, "a".repeat(NARRATIVE_BYTES + 1));
        assert_eq!(
            n.check_size().map_err(|e| e.section),
            Err(Section::Recommendations)
        );
    }

    #[test]
    fn empty_sections_have_no_blocks() {
        let n = Narrative {
            highlights: "  \n".into(),
            ..Narrative::default()
        };
        assert!(n.is_empty());
        assert!(
            n.render(&Fake)
                .unwrap()
                .blocks(Section::Highlights)
                .is_empty()
        );
        assert_eq!("next_tasks".parse::<Section>(), Ok(Section::NextTasks));
        assert!("khac".parse::<Section>().is_err());
    }
}
