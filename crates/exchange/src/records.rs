//! The records of the exchange format: one [`Entity`] per file and per database table,
//! and the conversion of each domain record to and from a [`Row`] of text cells.
//!
//! A row holds each column's value in its canonical text form (ISO dates, `.` decimals,
//! `;` lists): the same text is written to CSV and, typed by [`ColumnType`], stored in
//! the database, so export → import → export is the identity.

use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use tiendo_core::deadline::Deadline;
use tiendo_core::model::*;
use tiendo_core::period::{Period, ReportingRegime};
use tiendo_core::structure::resolve_code;

/// The type of a column, for validation and for the database schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Text,
    Date,
    Number,
    Integer,
    Bool,
}

/// A column of an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub ty: ColumnType,
    /// Part of the record's key.
    pub key: bool,
    /// A column added to version 1 after its first release: it may be absent from a
    /// file's header (every cell is then empty).
    pub optional: bool,
}

/// A kind of record: a CSV file `<name>.csv` and a database table `<name>`.
#[derive(Debug, PartialEq, Eq)]
pub struct Entity {
    pub name: &'static str,
    pub columns: &'static [Column],
}

impl Entity {
    pub fn column_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.columns.iter().map(|c| c.name)
    }

    pub fn index(&self, column: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == column)
    }

    /// The key of a row: its key columns joined by `|`.
    pub fn key(&self, row: &Row) -> String {
        self.columns
            .iter()
            .zip(row)
            .filter(|(c, _)| c.key)
            .map(|(_, v)| v.as_deref().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("|")
    }

    pub fn by_name(name: &str) -> Option<&'static Entity> {
        ENTITIES.iter().copied().find(|e| e.name == name)
    }
}

/// One record as text cells in column order; `None` is an empty cell.
pub type Row = Vec<Option<String>>;

/// Rows of every entity, keyed.
pub type RowSet = BTreeMap<&'static str, BTreeMap<String, Row>>;

macro_rules! columns {
    ($($name:literal : $ty:ident $(key $key:tt)? $(optional $opt:tt)?),+ $(,)?) => {
        &[$(Column { name: $name, ty: ColumnType::$ty, key: columns!(@flag $($key)?), optional: columns!(@flag $($opt)?) }),+]
    };
    (@flag) => { false };
    (@flag $k:tt) => { true };
}

pub static AGENCIES: Entity = Entity {
    name: "agencies",
    columns: columns!["id": Text key 1, "code": Text, "name": Text, "short_name": Text, "kind": Text, "valid_from": Date, "valid_to": Date, "sort_order": Integer, "confidence": Text, "note": Text, "provenance": Text],
};
pub static AGENCY_GROUPS: Entity = Entity {
    name: "agency_groups",
    columns: columns!["id": Text key 1, "name": Text, "counted_as": Text, "provenance": Text],
};
pub static GROUP_MEMBERSHIPS: Entity = Entity {
    name: "group_memberships",
    columns: columns!["group_id": Text key 1, "agency_id": Text key 1, "valid_from": Date key 1, "valid_to": Date, "provenance": Text],
};
pub static LINEAGE: Entity = Entity {
    name: "lineage",
    columns: columns!["from_agency": Text key 1, "to_agency": Text key 1, "kind": Text key 1, "effective": Date, "functions": Text, "share": Number, "principal": Bool optional 1, "confidence": Text, "provenance": Text],
};
pub static LEGAL_DOCUMENTS: Entity = Entity {
    name: "legal_documents",
    columns: columns!["id": Text key 1, "kind": Text, "number": Text, "date": Date, "issuer": Text, "title": Text, "provenance": Text],
};
pub static PROGRAMMES: Entity = Entity {
    name: "programmes",
    columns: columns!["id": Text key 1, "parent_id": Text, "name": Text, "short_name": Text, "legal_basis": Text, "owner_agency": Text, "start": Date, "end": Date, "regime": Text, "provenance": Text],
};
pub static INDICATORS: Entity = Entity {
    name: "indicators",
    columns: columns!["id": Text key 1, "programme_id": Text, "code": Text, "heading": Text, "name": Text, "unit": Text, "direction": Text, "aggregation": Text, "restatement": Text optional 1, "scope": Text optional 1, "scope_groups": Text optional 1, "provenance": Text],
};
pub static TARGETS: Entity = Entity {
    name: "targets",
    columns: columns!["id": Text key 1, "indicator_id": Text, "agency_id": Text, "operator": Text, "value": Number, "deadline": Text, "due_date": Date, "provenance": Text],
};
pub static OBSERVATIONS: Entity = Entity {
    name: "observations",
    columns: columns!["indicator_id": Text key 1, "agency_id": Text key 1, "period": Text key 1, "source": Text key 1, "value": Number, "numerator": Number, "denominator": Number, "states": Text optional 1, "note": Text, "provenance": Text],
};
pub static TASKS: Entity = Entity {
    name: "tasks",
    columns: columns!["id": Text key 1, "programme_id": Text, "number": Text, "title": Text, "lead_agency": Text, "lead_group": Text, "coordinating": Text, "deadline": Text, "due_date": Date, "legal_basis": Text, "done_rule": Text optional 1, "provenance": Text],
};
pub static TASK_ASSIGNMENTS: Entity = Entity {
    name: "task_assignments",
    columns: columns!["task_id": Text key 1, "agency_id": Text key 1, "group_id": Text key 1, "role": Text, "required": Bool, "provenance": Text],
};
pub static ASSIGNMENT_UPDATES: Entity = Entity {
    name: "assignment_updates",
    columns: columns!["task_id": Text key 1, "agency_id": Text key 1, "period": Text key 1, "reported_on": Date, "status": Text, "completed_on": Date, "result": Text, "provenance": Text],
};
pub static EXCLUSIONS: Entity = Entity {
    name: "exclusions",
    columns: columns!["subject_id": Text key 1, "agency_id": Text key 1, "reason": Text, "provenance": Text],
};
pub static TASK_UPDATES: Entity = Entity {
    name: "task_updates",
    columns: columns!["task_id": Text key 1, "period": Text key 1, "reported_on": Date, "status": Text, "completed_on": Date, "result": Text, "provenance": Text],
};
pub static CHECKLIST_REQUIREMENTS: Entity = Entity {
    name: "checklist_requirements",
    columns: columns!["id": Text key 1, "programme_id": Text, "title": Text, "group_ids": Text, "deadline": Text, "due_date": Date, "restatement": Text optional 1, "provenance": Text],
};
pub static CHECKLIST_ITEMS: Entity = Entity {
    name: "checklist_items",
    columns: columns!["requirement_id": Text key 1, "agency_id": Text key 1, "reported_on": Date key 1, "done": Bool, "done_on": Date, "evidence": Text, "provenance": Text],
};
pub static TARGET_ASSESSMENTS: Entity = Entity {
    name: "target_assessments",
    columns: columns!["target_id": Text key 1, "period": Text key 1, "class": Text, "assessed_by": Text, "reason": Text, "provenance": Text],
};

/// Every entity, in dependency order (a record refers only to entities before it).
pub static ENTITIES: [&Entity; 17] = [
    &AGENCIES,
    &AGENCY_GROUPS,
    &GROUP_MEMBERSHIPS,
    &LINEAGE,
    &LEGAL_DOCUMENTS,
    &PROGRAMMES,
    &INDICATORS,
    &TARGETS,
    &OBSERVATIONS,
    &TASKS,
    &TASK_ASSIGNMENTS,
    &TASK_UPDATES,
    &ASSIGNMENT_UPDATES,
    &CHECKLIST_REQUIREMENTS,
    &CHECKLIST_ITEMS,
    &EXCLUSIONS,
    &TARGET_ASSESSMENTS,
];

/// A problem with one field of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub reason: String,
}

/// Why a text cannot be stored, if it cannot: it holds a control character other than
/// tab and line breaks (a NUL byte, which PostgreSQL refuses, or other invisible bytes
/// that a copy from another program left behind).
pub fn unprintable_reason(text: &str) -> Option<String> {
    let (position, c) = text
        .char_indices()
        .find(|(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))?;
    let shown = if c == '\0' {
        "NUL".to_string()
    } else {
        format!("U+{:04X}", c as u32)
    };
    Some(format!(
        "chứa ký tự điều khiển {shown} ở vị trí {} (không in được; hãy xóa nó)",
        text[..position].chars().count() + 1
    ))
}

/// What a row needs to know beyond itself: the year that gives context to deadlines, and
/// the agencies that official codes resolve to.
#[derive(Debug, Default, Clone)]
pub struct Context {
    pub programme_year: HashMap<String, i32>,
    pub indicator_programme: HashMap<String, String>,
    pub agencies: BTreeMap<String, Agency>,
}

/// The prefix of an agency reference given by official code (`code:15@2024-05-01`).
pub const CODE_REFERENCE: &str = "code:";

impl Context {
    pub fn learn(&mut self, data: &Dataset) {
        for a in &data.agencies {
            self.agencies.insert(a.id.clone(), a.clone());
        }
        for p in &data.programmes {
            self.learn_programme(p);
        }
        for i in &data.indicators {
            self.indicator_programme
                .insert(i.id.clone(), i.programme_id.clone());
        }
    }

    fn learn_programme(&mut self, p: &Programme) {
        if let Some(start) = p.start.or(p.end) {
            self.programme_year.insert(p.id.clone(), start.year());
        }
    }
}

/// Reads typed fields from a row, collecting every error.
pub struct Fields<'a> {
    entity: &'static Entity,
    row: &'a Row,
    pub errors: Vec<FieldError>,
}

impl<'a> Fields<'a> {
    pub fn new(entity: &'static Entity, row: &'a Row) -> Self {
        Fields {
            entity,
            row,
            errors: Vec::new(),
        }
    }

    fn raw(&self, column: &str) -> Option<&'a str> {
        let index = self
            .entity
            .index(column)
            .unwrap_or_else(|| panic!("{} has no column {column}", self.entity.name));
        self.row[index]
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    fn fail<T>(&mut self, column: &str, reason: impl Into<String>) -> Option<T> {
        self.errors.push(FieldError {
            field: column.to_string(),
            reason: reason.into(),
        });
        None
    }

    /// Free text; empty gives "".
    pub fn text(&mut self, column: &str) -> String {
        self.raw(column).unwrap_or_default().to_string()
    }

    /// Text that must be present.
    pub fn required(&mut self, column: &str) -> String {
        match self.raw(column) {
            Some(v) => v.to_string(),
            None => {
                self.fail::<()>(column, "bắt buộc phải có giá trị");
                String::new()
            }
        }
    }

    pub fn optional(&mut self, column: &str) -> Option<String> {
        self.raw(column).map(str::to_string)
    }

    pub fn id(&mut self, column: &str) -> String {
        let value = self.required(column);
        if !value.is_empty()
            && !value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        {
            self.fail::<()>(
                column,
                format!("mã \"{value}\" chỉ được dùng chữ cái không dấu, chữ số, '-', '_', '.'"),
            );
        }
        value
    }

    /// An agency reference: an agency id, or an official code resolved on a date,
    /// `code:CODE@YYYY-MM-DD`, or `code:CODE` resolved on `record_date` (the date the
    /// record speaks of). A code without a date, or that names no single agency valid on
    /// the date, is an error: codes are reused across eras and are never guessed.
    pub fn agency(
        &mut self,
        column: &str,
        record_date: Option<NaiveDate>,
        ctx: &Context,
    ) -> String {
        match self.raw(column) {
            Some(raw) if raw.starts_with(CODE_REFERENCE) => {
                self.resolve_agency(column, raw, record_date, ctx)
            }
            _ => self.id(column),
        }
    }

    /// An optional agency reference (see [`Fields::agency`]).
    pub fn optional_agency(
        &mut self,
        column: &str,
        record_date: Option<NaiveDate>,
        ctx: &Context,
    ) -> Option<String> {
        self.raw(column)?;
        Some(self.agency(column, record_date, ctx))
    }

    /// A list of agency references (see [`Fields::agency`]).
    pub fn agency_list(
        &mut self,
        column: &str,
        record_date: Option<NaiveDate>,
        ctx: &Context,
    ) -> Vec<String> {
        let items = self.list(column);
        items
            .into_iter()
            .map(|item| {
                if item.starts_with(CODE_REFERENCE) {
                    self.resolve_agency(column, &item, record_date, ctx)
                } else {
                    if !item.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) {
                        self.fail::<()>(column, format!("mã \"{item}\" chỉ được dùng chữ cái không dấu, chữ số, '-', '_', '.'"));
                    }
                    item
                }
            })
            .collect()
    }

    fn resolve_agency(
        &mut self,
        column: &str,
        raw: &str,
        record_date: Option<NaiveDate>,
        ctx: &Context,
    ) -> String {
        let reference = &raw[CODE_REFERENCE.len()..];
        let (code, explicit) = match reference.split_once('@') {
            Some((code, date)) => {
                match tiendo_core::limits::parse_record_date(date) {
                    Ok(d) => (code, Some(d)),
                    _ => {
                        self.fail::<()>(column, format!("ngày \"{date}\" trong \"{raw}\" không hợp lệ (định dạng YYYY-MM-DD)"));
                        return String::new();
                    }
                }
            }
            None => (reference, None),
        };
        let Some(date) = explicit.or(record_date) else {
            self.fail::<()>(
                column,
                format!("mã cơ quan \"{code}\" cần một ngày để xác định (mã được dùng lại qua các thời kỳ): ghi {CODE_REFERENCE}{code}@YYYY-MM-DD hoặc mã định danh (id) của cơ quan"),
            );
            return String::new();
        };
        match resolve_code(ctx.agencies.values(), code, date) {
            Ok(agency) => agency.id.clone(),
            Err(e) => {
                self.fail::<()>(column, e.to_string());
                String::new()
            }
        }
    }

    pub fn list(&mut self, column: &str) -> Vec<String> {
        self.raw(column)
            .map(|v| {
                v.split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn date(&mut self, column: &str) -> Option<NaiveDate> {
        let raw = self.raw(column)?;
        match tiendo_core::limits::parse_record_date(raw) {
            Ok(d) => Some(d),
            Err(reason) => self.fail(column, reason),
        }
    }

    pub fn required_date(&mut self, column: &str) -> Option<NaiveDate> {
        if self.raw(column).is_none() {
            return self.fail(column, "bắt buộc phải có ngày (YYYY-MM-DD)");
        }
        self.date(column)
    }

    pub fn number(&mut self, column: &str) -> Option<f64> {
        let raw = self.raw(column)?;
        match raw.parse::<f64>() {
            Ok(v) if v.is_finite() && !raw.contains(',') => Some(v),
            _ => self.fail(column, format!("số \"{raw}\" không hợp lệ (dùng dấu chấm thập phân, không phân tách hàng nghìn)")),
        }
    }

    pub fn required_number(&mut self, column: &str) -> Option<f64> {
        if self.raw(column).is_none() {
            return self.fail(column, "bắt buộc phải có số");
        }
        self.number(column)
    }

    pub fn integer(&mut self, column: &str) -> Option<i64> {
        let raw = self.raw(column)?;
        raw.parse()
            .ok()
            .or_else(|| self.fail(column, format!("số nguyên \"{raw}\" không hợp lệ")))
    }

    pub fn boolean(&mut self, column: &str) -> Option<bool> {
        match self.raw(column) {
            Some("true") => Some(true),
            Some("false") => Some(false),
            Some(other) => self.fail(
                column,
                format!("\"{other}\" không hợp lệ (dùng true hoặc false)"),
            ),
            None => self.fail(column, "bắt buộc phải có true hoặc false"),
        }
    }

    /// `true` or `false`; empty is `None`.
    pub fn optional_boolean(&mut self, column: &str) -> Option<bool> {
        self.raw(column)?;
        self.boolean(column)
    }

    /// A code of a closed list, or empty.
    pub fn optional_code<T: FromStr<Err = String>>(&mut self, column: &str) -> Option<T> {
        self.raw(column)?;
        self.code(column)
    }

    pub fn code<T: FromStr<Err = String>>(&mut self, column: &str) -> Option<T> {
        let Some(raw) = self.raw(column) else {
            return self.fail(column, "bắt buộc phải có giá trị");
        };
        match raw.parse() {
            Ok(v) => Some(v),
            Err(reason) => self.fail(column, reason),
        }
    }

    pub fn period(&mut self, column: &str) -> Option<Period> {
        let Some(raw) = self.raw(column) else {
            return self.fail(column, "bắt buộc phải có kỳ (ví dụ 2024-05)");
        };
        match raw.parse() {
            Ok(v) => Some(v),
            Err(e) => self.fail(column, format!("{e}")),
        }
    }

    /// A deadline from the `deadline` and `due_date` columns. `strict` deadlines must
    /// resolve to a due date.
    pub fn deadline(&mut self, context_year: Option<i32>, strict: bool) -> Option<Deadline> {
        let text = self.text("deadline");
        let due = self.date("due_date");
        let year = context_year.unwrap_or_else(|| due.map_or(0, |d| d.year()));
        let parsed = Deadline::parse(&text, year);
        let deadline = match (parsed.is_unparsed(), due) {
            (true, Some(due)) => Deadline::with_manual_due(&text, due),
            (false, Some(due)) if parsed.due != Some(due) => {
                let shown = parsed
                    .due
                    .map_or("không có hạn".to_string(), |d| d.to_string());
                return self.fail(
                    "due_date",
                    format!("{due} không khớp với thời hạn \"{text}\" ({shown})"),
                );
            }
            _ => parsed,
        };
        if strict && deadline.due.is_none() {
            return self.fail(
                "deadline",
                format!("không đọc được thời hạn \"{text}\" thành một ngày; ghi rõ due_date"),
            );
        }
        Some(deadline)
    }

    /// Finish reading: the value if every field was valid.
    pub fn finish<T>(self, value: T) -> Result<T, Vec<FieldError>> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(self.errors)
        }
    }
}

fn cell(s: impl Into<String>) -> Option<String> {
    let s = s.into();
    (!s.is_empty()).then_some(s)
}

fn date_cell(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

fn number_cell(v: Option<f64>) -> Option<String> {
    v.map(|v| format!("{v}"))
}

fn list_cell(values: &[String]) -> Option<String> {
    cell(values.join(";"))
}

fn deadline_cells(d: &Deadline) -> [Option<String>; 2] {
    [
        cell(d.text.clone()),
        date_cell(d.due.filter(|_| d.recurrence.is_none())),
    ]
}

/// Convert a row of an entity into its domain record, pushed onto the dataset.
pub fn read_row(
    entity: &'static Entity,
    row: &Row,
    ctx: &Context,
    into: &mut Dataset,
) -> Result<(), Vec<FieldError>> {
    let unprintable: Vec<FieldError> = entity
        .column_names()
        .zip(row)
        .filter_map(|(column, value)| Some((column, value.as_deref()?)))
        .filter_map(|(column, value)| {
            Some(FieldError {
                field: column.to_string(),
                reason: unprintable_reason(value)?,
            })
        })
        .collect();
    if !unprintable.is_empty() {
        return Err(unprintable);
    }
    let mut f = Fields::new(entity, row);
    match entity.name {
        "agencies" => {
            let v = Agency {
                id: f.id("id"),
                code: f.text("code"),
                name: f.required("name"),
                short_name: f.required("short_name"),
                kind: f.code("kind").unwrap_or(AgencyKind::Ministry),
                valid_from: f.date("valid_from"),
                valid_to: f.date("valid_to"),
                sort_order: f.integer("sort_order").unwrap_or_default(),
                confidence: f.code("confidence").unwrap_or(Confidence::Official),
                note: f.text("note"),
                provenance: f.text("provenance"),
            };
            if let (Some(from), Some(to)) = (v.valid_from, v.valid_to)
                && from > to
            {
                f.fail::<()>(
                    "valid_to",
                    format!("{to} trước ngày bắt đầu hiệu lực {from}"),
                );
            }
            into.agencies.push(f.finish(v)?);
        }
        "agency_groups" => {
            let v = AgencyGroup {
                id: f.id("id"),
                name: f.required("name"),
                counted_as: f.required("counted_as"),
                provenance: f.text("provenance"),
            };
            into.agency_groups.push(f.finish(v)?);
        }
        "group_memberships" => {
            let (valid_from, valid_to) = (f.date("valid_from"), f.date("valid_to"));
            let v = GroupMembership {
                group_id: f.id("group_id"),
                agency_id: f.agency("agency_id", valid_from.or(valid_to), ctx),
                valid_from,
                valid_to,
                provenance: f.text("provenance"),
            };
            into.group_memberships.push(f.finish(v)?);
        }
        "lineage" => {
            let effective = f.required_date("effective");
            let v = LineageEdge {
                from_agency: f.agency("from_agency", effective.and_then(|d| d.pred_opt()), ctx),
                to_agency: f.agency("to_agency", effective, ctx),
                kind: f.code("kind").unwrap_or(LineageKind::MergedInto),
                effective: effective.unwrap_or_default(),
                functions: f.text("functions"),
                share: f.number("share"),
                principal: f.optional_boolean("principal").unwrap_or_default(),
                confidence: f.code("confidence").unwrap_or(Confidence::Official),
                provenance: f.text("provenance"),
            };
            if v.share.is_some_and(|s| !(0.0..=1.0).contains(&s)) {
                f.fail::<()>("share", "tỷ trọng phải trong khoảng 0–1");
            }
            if v.share.is_some() && v.kind != LineageKind::SplitInto {
                f.fail::<()>("share", "chỉ ghi tỷ trọng cho chia tách (split_into)");
            }
            if v.principal && v.kind != LineageKind::SplitInto {
                f.fail::<()>(
                    "principal",
                    "chỉ đánh dấu đơn vị kế thừa chính cho chia tách (split_into)",
                );
            }
            into.lineage.push(f.finish(v)?);
        }
        "legal_documents" => {
            let v = LegalDocument {
                id: f.id("id"),
                kind: f.code("kind").unwrap_or(LegalDocumentKind::Decision),
                number: f.text("number"),
                date: f.date("date"),
                issuer: f.text("issuer"),
                title: f.text("title"),
                provenance: f.text("provenance"),
            };
            into.legal_documents.push(f.finish(v)?);
        }
        "programmes" => {
            let (start, end) = (f.date("start"), f.date("end"));
            let v = Programme {
                id: f.id("id"),
                parent_id: f.optional("parent_id"),
                name: f.required("name"),
                short_name: f.text("short_name"),
                legal_basis: f.list("legal_basis"),
                owner_agency: f.agency("owner_agency", start.or(end), ctx),
                start,
                end,
                regime: f.code::<ReportingRegime>("regime").unwrap_or_default(),
                provenance: f.text("provenance"),
            };
            into.programmes.push(f.finish(v)?);
        }
        "indicators" => {
            let v = Indicator {
                id: f.id("id"),
                programme_id: f.id("programme_id"),
                code: f.text("code"),
                heading: f.text("heading"),
                name: f.required("name"),
                unit: f.required("unit"),
                direction: f.code("direction").unwrap_or(Direction::HigherIsBetter),
                aggregation: f.code("aggregation").unwrap_or(Aggregation::Latest),
                restatement: f.optional_code("restatement"),
                scope: IndicatorScope::Agencies,
                scope_groups: f.list("scope_groups"),
                provenance: f.text("provenance"),
            };
            let scope = f
                .optional_code("scope")
                .unwrap_or(IndicatorScope::default_for(v.aggregation));
            into.indicators.push(f.finish(Indicator { scope, ..v })?);
        }
        "targets" => {
            let indicator_id = f.id("indicator_id");
            let year = ctx
                .indicator_programme
                .get(&indicator_id)
                .and_then(|p| ctx.programme_year.get(p))
                .copied();
            let deadline = f.deadline(year, true);
            let due = deadline.as_ref().and_then(|d| d.due);
            let v = Target {
                id: f.id("id"),
                indicator_id,
                agency_id: f.optional_agency("agency_id", due, ctx),
                operator: f.code("operator").unwrap_or(Operator::AtLeast),
                value: f.required_number("value").unwrap_or_default(),
                deadline: deadline.unwrap_or_else(|| Deadline::parse("", 0)),
                provenance: f.text("provenance"),
            };
            into.targets.push(f.finish(v)?);
        }
        "observations" => {
            let period = f.period("period");
            let v = Observation {
                indicator_id: f.id("indicator_id"),
                agency_id: f.optional_agency(
                    "agency_id",
                    period.map(|p| p.end(ReportingRegime::CalendarMonth)),
                    ctx,
                ),
                period: period.unwrap_or(Period::year(0)),
                value: f.required_number("value").unwrap_or_default(),
                numerator: f.number("numerator"),
                denominator: f.number("denominator"),
                source: f.code("source").unwrap_or(SourceKind::Declared),
                states: f.optional_code("states"),
                note: f.text("note"),
                provenance: f.text("provenance"),
            };
            if v.numerator.is_some() != v.denominator.is_some() {
                f.fail::<()>(
                    "denominator",
                    "tử số và mẫu số phải cùng có hoặc cùng để trống",
                );
            }
            into.observations.push(f.finish(v)?);
        }
        "tasks" => {
            let programme_id = f.id("programme_id");
            let year = ctx.programme_year.get(&programme_id).copied();
            let deadline = f.deadline(year, false);
            let due = deadline.as_ref().and_then(|d| d.due);
            let listed = |assignee: Assignee, role: AssignmentRole| Assignment {
                assignee,
                role,
                required: role != AssignmentRole::Coordinating,
                provenance: String::new(),
            };
            let mut assignments: Vec<Assignment> = f
                .agency_list("lead_agency", due, ctx)
                .into_iter()
                .map(|a| listed(Assignee::Agency(a), AssignmentRole::Lead))
                .collect();
            assignments.extend(
                f.list("lead_group")
                    .into_iter()
                    .map(|g| listed(Assignee::Group(g), AssignmentRole::Lead)),
            );
            assignments.extend(
                f.agency_list("coordinating", due, ctx)
                    .into_iter()
                    .map(|a| listed(Assignee::Agency(a), AssignmentRole::Coordinating)),
            );
            let v = Task {
                id: f.id("id"),
                programme_id,
                number: f.text("number"),
                title: f.required("title"),
                assignments,
                done_rule: f
                    .optional("done_rule")
                    .map_or(Some(DoneRule::All), |_| f.code("done_rule"))
                    .unwrap_or(DoneRule::All),
                deadline: deadline.unwrap_or_else(|| Deadline::parse("", 0)),
                legal_basis: f.list("legal_basis"),
                provenance: f.text("provenance"),
            };
            into.tasks.push(f.finish(v)?);
        }
        "task_assignments" => {
            let task_id = f.id("task_id");
            let assignee = match (f.optional("agency_id"), f.optional("group_id")) {
                (Some(_), None) => Some(Assignee::Agency(f.agency("agency_id", None, ctx))),
                (None, Some(_)) => Some(Assignee::Group(f.id("group_id"))),
                _ => f.fail(
                    "agency_id",
                    "cần đúng một trong agency_id (cơ quan) hoặc group_id (nhóm cơ quan)",
                ),
            };
            let role: Option<AssignmentRole> = f.code("role");
            let required = f.optional_boolean("required");
            let assignment = Assignment {
                assignee: assignee.unwrap_or(Assignee::Agency(String::new())),
                role: role.unwrap_or(AssignmentRole::Lead),
                required: required.unwrap_or(role != Some(AssignmentRole::Coordinating)),
                provenance: f.text("provenance"),
            };
            if assignment.role != AssignmentRole::Coordinating && required == Some(false) {
                f.fail::<()>(
                    "required",
                    "cơ quan chủ trì, đồng chủ trì luôn phải thực hiện (required = true)",
                );
            }
            into.task_assignments.push(f.finish(TaskAssignment {
                task_id,
                assignment,
            })?);
        }
        "assignment_updates" => {
            let v = AssignmentUpdate {
                task_id: f.id("task_id"),
                agency_id: f.agency("agency_id", None, ctx),
                period: f.period("period").unwrap_or(Period::year(0)),
                reported_on: f.required_date("reported_on").unwrap_or_default(),
                status: f.code("status").unwrap_or(ReportedStatus::InProgress),
                completed_on: f.date("completed_on"),
                result: f.text("result"),
                provenance: f.text("provenance"),
            };
            if v.status == ReportedStatus::Done && v.completed_on.is_some_and(|c| c > v.reported_on)
            {
                f.fail::<()>("completed_on", "ngày hoàn thành sau ngày báo cáo");
            }
            into.assignment_updates.push(f.finish(v)?);
        }
        "exclusions" => {
            let v = Exclusion {
                subject_id: f.id("subject_id"),
                agency_id: f.agency("agency_id", None, ctx),
                reason: f.required("reason"),
                provenance: f.text("provenance"),
            };
            into.exclusions.push(f.finish(v)?);
        }
        "task_updates" => {
            let v = TaskUpdate {
                task_id: f.id("task_id"),
                period: f.period("period").unwrap_or(Period::year(0)),
                reported_on: f.required_date("reported_on").unwrap_or_default(),
                status: f.code("status").unwrap_or(ReportedStatus::InProgress),
                completed_on: f.date("completed_on"),
                result: f.text("result"),
                provenance: f.text("provenance"),
            };
            if v.completed_on.is_some() && v.status != ReportedStatus::Done {
                f.fail::<()>(
                    "completed_on",
                    "chỉ ghi ngày hoàn thành khi trạng thái là done",
                );
            }
            into.task_updates.push(f.finish(v)?);
        }
        "checklist_requirements" => {
            let programme_id = f.id("programme_id");
            let year = ctx.programme_year.get(&programme_id).copied();
            let v = ChecklistRequirement {
                id: f.id("id"),
                programme_id,
                title: f.required("title"),
                group_ids: f.list("group_ids"),
                deadline: f
                    .deadline(year, false)
                    .unwrap_or_else(|| Deadline::parse("", 0)),
                restatement: f.optional_code("restatement"),
                provenance: f.text("provenance"),
            };
            if v.group_ids.is_empty() {
                f.fail::<()>("group_ids", "cần ít nhất một nhóm cơ quan");
            }
            into.checklist_requirements.push(f.finish(v)?);
        }
        "checklist_items" => {
            let reported_on = f.required_date("reported_on");
            let v = ChecklistItem {
                requirement_id: f.id("requirement_id"),
                agency_id: f.agency("agency_id", reported_on, ctx),
                reported_on: reported_on.unwrap_or_default(),
                done: f.boolean("done").unwrap_or_default(),
                done_on: f.date("done_on"),
                evidence: f.text("evidence"),
                provenance: f.text("provenance"),
            };
            if v.done_on.is_some() && !v.done {
                f.fail::<()>("done_on", "chỉ ghi ngày hoàn thành khi done là true");
            }
            into.checklist_items.push(f.finish(v)?);
        }
        "target_assessments" => {
            let v = TargetAssessment {
                target_id: f.id("target_id"),
                period: f.period("period").unwrap_or(Period::year(0)),
                class: f.code("class").unwrap_or(TargetClass::Likely),
                assessed_by: f.required("assessed_by"),
                reason: f.required("reason"),
                provenance: f.text("provenance"),
            };
            into.target_assessments.push(f.finish(v)?);
        }
        other => unreachable!("unknown entity {other}"),
    }
    Ok(())
}

/// Every record of a dataset as rows, keyed, entity by entity.
pub fn to_rows(data: &Dataset) -> RowSet {
    let mut set: RowSet = ENTITIES.iter().map(|e| (e.name, BTreeMap::new())).collect();
    let mut put = |entity: &'static Entity, row: Row| {
        set.get_mut(entity.name)
            .expect("every entity")
            .insert(entity.key(&row), row);
    };
    for v in &data.agencies {
        put(
            &AGENCIES,
            vec![
                cell(&v.id),
                cell(&v.code),
                cell(&v.name),
                cell(&v.short_name),
                cell(v.kind.code()),
                date_cell(v.valid_from),
                date_cell(v.valid_to),
                cell(v.sort_order.to_string()),
                cell(v.confidence.code()),
                cell(&v.note),
                cell(&v.provenance),
            ],
        );
    }
    for v in &data.agency_groups {
        put(
            &AGENCY_GROUPS,
            vec![
                cell(&v.id),
                cell(&v.name),
                cell(&v.counted_as),
                cell(&v.provenance),
            ],
        );
    }
    for v in &data.group_memberships {
        put(
            &GROUP_MEMBERSHIPS,
            vec![
                cell(&v.group_id),
                cell(&v.agency_id),
                date_cell(v.valid_from),
                date_cell(v.valid_to),
                cell(&v.provenance),
            ],
        );
    }
    for v in &data.lineage {
        put(
            &LINEAGE,
            vec![
                cell(&v.from_agency),
                cell(&v.to_agency),
                cell(v.kind.code()),
                date_cell(Some(v.effective)),
                cell(&v.functions),
                number_cell(v.share),
                v.principal.then(|| "true".to_string()),
                cell(v.confidence.code()),
                cell(&v.provenance),
            ],
        );
    }
    for v in &data.legal_documents {
        put(
            &LEGAL_DOCUMENTS,
            vec![
                cell(&v.id),
                cell(v.kind.code()),
                cell(&v.number),
                date_cell(v.date),
                cell(&v.issuer),
                cell(&v.title),
                cell(&v.provenance),
            ],
        );
    }
    for v in &data.programmes {
        put(
            &PROGRAMMES,
            vec![
                cell(&v.id),
                v.parent_id.clone(),
                cell(&v.name),
                cell(&v.short_name),
                list_cell(&v.legal_basis),
                cell(&v.owner_agency),
                date_cell(v.start),
                date_cell(v.end),
                cell(v.regime.code()),
                cell(&v.provenance),
            ],
        );
    }
    for v in &data.indicators {
        let scope = (v.scope != IndicatorScope::default_for(v.aggregation))
            .then(|| v.scope.code().to_string());
        put(
            &INDICATORS,
            vec![
                cell(&v.id),
                cell(&v.programme_id),
                cell(&v.code),
                cell(&v.heading),
                cell(&v.name),
                cell(&v.unit),
                cell(v.direction.code()),
                cell(v.aggregation.code()),
                v.restatement.map(|r| r.code().to_string()),
                scope,
                list_cell(&v.scope_groups),
                cell(&v.provenance),
            ],
        );
    }
    for v in &data.targets {
        let [deadline, due] = deadline_cells(&v.deadline);
        put(
            &TARGETS,
            vec![
                cell(&v.id),
                cell(&v.indicator_id),
                v.agency_id.clone(),
                cell(v.operator.code()),
                number_cell(Some(v.value)),
                deadline,
                due,
                cell(&v.provenance),
            ],
        );
    }
    for v in &data.observations {
        put(
            &OBSERVATIONS,
            vec![
                cell(&v.indicator_id),
                v.agency_id.clone(),
                cell(v.period.code()),
                cell(v.source.code()),
                number_cell(Some(v.value)),
                number_cell(v.numerator),
                number_cell(v.denominator),
                v.states.as_ref().map(Stated::code),
                cell(&v.note),
                cell(&v.provenance),
            ],
        );
    }
    for v in &data.tasks {
        let listed = |role: AssignmentRole, group: bool| -> Vec<String> {
            v.assignments
                .iter()
                .filter(|a| a.role == role)
                .filter_map(|a| match &a.assignee {
                    Assignee::Agency(id) if !group => Some(id.clone()),
                    Assignee::Group(id) if group => Some(id.clone()),
                    _ => None,
                })
                .collect()
        };
        let [deadline, due] = deadline_cells(&v.deadline);
        let done_rule = (v.done_rule != DoneRule::All).then(|| v.done_rule.code().to_string());
        let row = vec![
            cell(&v.id),
            cell(&v.programme_id),
            cell(&v.number),
            cell(&v.title),
            list_cell(&listed(AssignmentRole::Lead, false)),
            list_cell(&listed(AssignmentRole::Lead, true)),
            list_cell(&listed(AssignmentRole::Coordinating, false)),
            deadline,
            due,
            list_cell(&v.legal_basis),
            done_rule,
            cell(&v.provenance),
        ];
        put(&TASKS, row);
    }
    for v in &data.task_assignments {
        let (agency, group) = match &v.assignment.assignee {
            Assignee::Agency(a) => (cell(a), None),
            Assignee::Group(g) => (None, cell(g)),
        };
        put(
            &TASK_ASSIGNMENTS,
            vec![
                cell(&v.task_id),
                agency,
                group,
                cell(v.assignment.role.code()),
                cell(v.assignment.required.to_string()),
                cell(&v.assignment.provenance),
            ],
        );
    }
    for v in &data.task_updates {
        put(
            &TASK_UPDATES,
            vec![
                cell(&v.task_id),
                cell(v.period.code()),
                date_cell(Some(v.reported_on)),
                cell(v.status.code()),
                date_cell(v.completed_on),
                cell(&v.result),
                cell(&v.provenance),
            ],
        );
    }
    for v in &data.assignment_updates {
        put(
            &ASSIGNMENT_UPDATES,
            vec![
                cell(&v.task_id),
                cell(&v.agency_id),
                cell(v.period.code()),
                date_cell(Some(v.reported_on)),
                cell(v.status.code()),
                date_cell(v.completed_on),
                cell(&v.result),
                cell(&v.provenance),
            ],
        );
    }
    for v in &data.exclusions {
        put(
            &EXCLUSIONS,
            vec![
                cell(&v.subject_id),
                cell(&v.agency_id),
                cell(&v.reason),
                cell(&v.provenance),
            ],
        );
    }
    for v in &data.checklist_requirements {
        let [deadline, due] = deadline_cells(&v.deadline);
        put(
            &CHECKLIST_REQUIREMENTS,
            vec![
                cell(&v.id),
                cell(&v.programme_id),
                cell(&v.title),
                list_cell(&v.group_ids),
                deadline,
                due,
                v.restatement.map(|r| r.code().to_string()),
                cell(&v.provenance),
            ],
        );
    }
    for v in &data.checklist_items {
        put(
            &CHECKLIST_ITEMS,
            vec![
                cell(&v.requirement_id),
                cell(&v.agency_id),
                date_cell(Some(v.reported_on)),
                cell(v.done.to_string()),
                date_cell(v.done_on),
                cell(&v.evidence),
                cell(&v.provenance),
            ],
        );
    }
    for v in &data.target_assessments {
        put(
            &TARGET_ASSESSMENTS,
            vec![
                cell(&v.target_id),
                cell(v.period.code()),
                cell(v.class.code()),
                cell(&v.assessed_by),
                cell(&v.reason),
                cell(&v.provenance),
            ],
        );
    }
    set
}

/// Build a dataset from rows (as stored); rows are in their canonical form already.
pub fn from_rows(rows: &RowSet) -> Result<Dataset, Vec<(String, String, FieldError)>> {
    let data = from_stored_rows(rows);
    if data.unreadable.is_empty() {
        Ok(data)
    } else {
        Err(data
            .unreadable
            .into_iter()
            .map(|u| {
                let error = FieldError {
                    field: u.field,
                    reason: u.reason,
                };
                (u.entity, u.key, error)
            })
            .collect())
    }
}

/// The dataset of stored rows: a row that cannot be read is left out and listed in
/// [`Dataset::unreadable`] (each of its field errors), so that one bad record never
/// stops the others from loading.
pub fn from_stored_rows(rows: &RowSet) -> Dataset {
    let mut data = Dataset::default();
    let mut ctx = Context::default();
    let mut unreadable = Vec::new();
    for entity in ENTITIES {
        ctx.learn(&data);
        for (key, row) in rows.get(entity.name).into_iter().flatten() {
            if let Err(es) = read_row(entity, row, &ctx, &mut data) {
                unreadable.extend(es.into_iter().map(|e| UnreadableRecord {
                    entity: entity.name.to_string(),
                    key: key.clone(),
                    field: e.field,
                    reason: e.reason,
                }));
            }
        }
    }
    data.unreadable = unreadable;
    data
}

/// The entities whose rows the loader reads in the context of other records (a deadline
/// is read in its programme's year), and the entities that give that context.
pub const CONTEXT_DEPENDENT: [&str; 3] = ["tasks", "targets", "checklist_requirements"];
pub const CONTEXT_GIVING: [&str; 2] = ["programmes", "indicators"];

/// Check one row as the loader will read it, before it is stored: `Err` with every field
/// error when the loader would refuse it. Rows name agencies by id (as stored); `ctx`
/// holds the stored programmes and indicators for the rows of [`CONTEXT_DEPENDENT`].
pub fn check_storable(
    entity: &'static Entity,
    row: &Row,
    ctx: &Context,
) -> Result<(), Vec<FieldError>> {
    if !ENTITIES.iter().any(|e| e.name == entity.name) {
        return Ok(());
    }
    read_row(entity, row, ctx, &mut Dataset::default())
}
