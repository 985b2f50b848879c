//! Reading files in the exchange format and planning the changes they make.
//!
//! Import is all-or-nothing: [`plan`] reads every file, checks every row's fields and
//! every reference (against the files and the existing data), and either returns the
//! complete list of changes or every error found, each with file, line, field and reason.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use tiendo_core::model::Dataset;

use crate::records::{Context, ENTITIES, Entity, Row, RowSet, from_rows, read_row, to_rows};
use crate::validate::validate_references;
use crate::{FORMAT_NAME, FORMAT_VERSION, MANIFEST};

/// One problem found in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub file: String,
    /// 1-based line of the record (the header is line 1).
    pub line: Option<usize>,
    pub field: Option<String>,
    pub reason: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ", dòng {line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ", cột {field}")?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// A file to import: its name for messages, its entity and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub entity: &'static Entity,
    pub text: String,
}

/// Collect the CSV files named by `paths` (files, or directories of files). Unknown
/// file names, unreadable files and manifests of another version are errors.
pub fn read_sources(paths: &[PathBuf]) -> Result<Vec<SourceFile>, Vec<ImportError>> {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if !path.exists() {
            errors.push(file_error(
                path,
                "không tìm thấy tệp hoặc thư mục".to_string(),
            ));
            continue;
        }
        let files: Vec<PathBuf> = if path.is_dir() {
            match check_manifest(path) {
                Ok(()) => {}
                Err(e) => errors.push(e),
            }
            match fs::read_dir(path) {
                Ok(entries) => {
                    let mut files: Vec<PathBuf> = entries
                        .filter_map(|e| e.ok().map(|e| e.path()))
                        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
                        .collect();
                    files.sort();
                    files
                }
                Err(e) => {
                    errors.push(file_error(path, format!("không đọc được thư mục: {e}")));
                    continue;
                }
            }
        } else {
            vec![path.clone()]
        };
        for file in files {
            let stem = file
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            let Some(entity) = Entity::by_name(stem) else {
                let known = ENTITIES
                    .iter()
                    .map(|e| format!("{}.csv", e.name))
                    .collect::<Vec<_>>()
                    .join(", ");
                errors.push(file_error(
                    &file,
                    format!("không rõ loại dữ liệu của tệp (tên tệp phải là một trong: {known})"),
                ));
                continue;
            };
            match fs::read(&file)
                .map_err(|e| format!("không đọc được tệp: {e}"))
                .and_then(|bytes| decode_text(&bytes))
            {
                Ok(text) => sources.push(SourceFile {
                    name: file.display().to_string(),
                    entity,
                    text,
                }),
                Err(reason) => errors.push(file_error(&file, reason)),
            }
        }
    }
    if errors.is_empty() {
        Ok(sources)
    } else {
        Err(errors)
    }
}

/// The text of a CSV file: UTF-8 (with or without a byte-order mark) or UTF-16 with its
/// byte-order mark (Excel's "Unicode Text"), converted. Any other encoding is refused with
/// how to save the file again: Windows-1258 and TCVN3 write Vietnamese letters that cannot
/// be told apart without guessing.
pub fn decode_text(bytes: &[u8]) -> Result<String, String> {
    let utf16 =
        |units: Vec<u16>| String::from_utf16(&units).map_err(|_| "tệp UTF-16 bị hỏng".to_string());
    match bytes {
        [0xFF, 0xFE, rest @ ..] => utf16(rest.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect()),
        [0xFE, 0xFF, rest @ ..] => utf16(rest.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect()),
        _ => String::from_utf8(bytes.to_vec()).map_err(|e| {
            format!(
                "tệp không phải UTF-8 (byte thứ {} không đọc được; có thể tệp được lưu bằng bảng mã Windows-1258 hoặc TCVN3): trong Excel, chọn Lưu thành “CSV UTF-8 (Comma delimited)”",
                e.utf8_error().valid_up_to() + 1
            )
        }),
    }
}

/// The column separator of a CSV text: `;` when its header has semicolons and no comma
/// (Excel's default on a Vietnamese Windows), `,` otherwise.
pub fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or_default();
    if header.contains(';') && !header.contains(',') {
        b';'
    } else {
        b','
    }
}

fn file_error(path: &Path, reason: String) -> ImportError {
    ImportError {
        file: path.display().to_string(),
        line: None,
        field: None,
        reason,
    }
}

fn check_manifest(dir: &Path) -> Result<(), ImportError> {
    let path = dir.join(MANIFEST);
    let Ok(text) = fs::read_to_string(&path) else {
        return Ok(());
    };
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| file_error(&path, format!("JSON không hợp lệ: {e}")))?;
    if value["format"] != FORMAT_NAME || value["version"] != FORMAT_VERSION {
        return Err(file_error(
            &path,
            format!("cần định dạng {FORMAT_NAME} phiên bản {FORMAT_VERSION}, tệp ghi {value}"),
        ));
    }
    Ok(())
}

/// One record to insert or update.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub entity: &'static Entity,
    pub key: String,
    pub before: Option<Row>,
    pub after: Row,
}

/// What an import will do.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub changes: Vec<Change>,
    /// Records in the files that are identical to what is stored.
    pub unchanged: usize,
    /// The dataset after the import.
    pub result: Dataset,
}

impl Plan {
    pub fn inserted(&self) -> usize {
        self.changes.iter().filter(|c| c.before.is_none()).count()
    }
    pub fn updated(&self) -> usize {
        self.changes.iter().filter(|c| c.before.is_some()).count()
    }
}

/// Where each incoming record came from.
pub(crate) type Locations = HashMap<(&'static str, String), (String, usize)>;

/// Plan the import of `sources` over `existing`. Records are matched by key: a new key
/// inserts, a known key updates.
pub fn plan(sources: &[SourceFile], existing: &Dataset) -> Result<Plan, Vec<ImportError>> {
    let mut errors = Vec::new();
    let mut incoming: RowSet = ENTITIES.iter().map(|e| (e.name, BTreeMap::new())).collect();
    let mut locations: Locations = HashMap::new();
    let mut ctx = Context::default();
    ctx.learn(existing);
    let mut parsed = Dataset::default();

    for entity in ENTITIES {
        ctx.learn(&parsed);
        for source in sources.iter().filter(|s| std::ptr::eq(s.entity, entity)) {
            read_file(
                source,
                &ctx,
                &mut parsed,
                &mut incoming,
                &mut locations,
                &mut errors,
            );
        }
    }

    let existing_rows = to_rows(existing);
    let mut merged = existing_rows.clone();
    for (entity, rows) in &incoming {
        merged
            .get_mut(entity)
            .expect("every entity")
            .extend(rows.iter().map(|(k, r)| (k.clone(), r.clone())));
    }
    let result = match from_rows(&merged) {
        Ok(result) => result,
        Err(es) => {
            // A record read from a file is named by that file and line; one already stored
            // (not in any file) by its table.
            errors.extend(es.into_iter().map(|(entity, key, e)| {
                let place = ENTITIES
                    .iter()
                    .find(|x| x.name == entity)
                    .and_then(|x| locations.get(&(x.name, key.clone())));
                let (file, line) =
                    place.map_or((entity, None), |(file, line)| (file.clone(), Some(*line)));
                ImportError {
                    file,
                    line,
                    field: Some(e.field),
                    reason: format!("{} ({key})", e.reason),
                }
            }));
            Dataset::default()
        }
    };
    validate_references(&result, &incoming, &locations, &mut errors);
    if !errors.is_empty() {
        errors.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        return Err(errors);
    }

    let mut changes = Vec::new();
    let mut unchanged = 0;
    for entity in ENTITIES {
        for (key, row) in &incoming[entity.name] {
            let before = existing_rows[entity.name].get(key);
            if before == Some(row) {
                unchanged += 1;
            } else {
                changes.push(Change {
                    entity,
                    key: key.clone(),
                    before: before.cloned(),
                    after: row.clone(),
                });
            }
        }
    }
    Ok(Plan {
        changes,
        unchanged,
        result,
    })
}

fn read_file(
    source: &SourceFile,
    ctx: &Context,
    parsed: &mut Dataset,
    incoming: &mut RowSet,
    locations: &mut Locations,
    errors: &mut Vec<ImportError>,
) {
    let entity = source.entity;
    let error = |line: Option<usize>, field: Option<&str>, reason: String| ImportError {
        file: source.name.clone(),
        line,
        field: field.map(str::to_string),
        reason,
    };
    let text = source.text.strip_prefix('\u{feff}').unwrap_or(&source.text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
        Err(e) => {
            errors.push(error(
                Some(1),
                None,
                format!("không đọc được dòng tiêu đề: {e}"),
            ));
            return;
        }
    };
    let mut positions = Vec::new();
    let mut header_ok = true;
    for column in entity.columns {
        match header.iter().position(|h| h == column.name) {
            Some(p) => positions.push(Some(p)),
            None if column.optional => positions.push(None),
            None => {
                errors.push(error(Some(1), Some(column.name), "thiếu cột".to_string()));
                header_ok = false;
            }
        }
    }
    for (i, h) in header.iter().enumerate() {
        if entity.index(h).is_none() {
            errors.push(error(
                Some(1),
                Some(h),
                format!("cột không có trong định dạng {}.csv", entity.name),
            ));
            header_ok = false;
        } else if header[..i].contains(h) {
            errors.push(error(Some(1), Some(h), "cột bị lặp".to_string()));
            header_ok = false;
        }
    }
    if !header_ok {
        return;
    }
    let targets = incoming.get_mut(entity.name).expect("every entity");
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize);
                errors.push(error(line, None, format!("dòng CSV hỏng: {e}")));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.len() != header.len() {
            errors.push(error(
                Some(line),
                None,
                format!(
                    "dòng có {} ô, tiêu đề có {} cột",
                    record.len(),
                    header.len()
                ),
            ));
            continue;
        }
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let raw: Row = positions
            .iter()
            .map(|p| {
                p.and_then(|p| {
                    Some(crate::export::unescape_cell(record[p].trim()).to_string())
                        .filter(|s| !s.is_empty())
                })
            })
            .collect();
        if let Err(field_errors) = read_row(entity, &raw, ctx, parsed) {
            errors.extend(
                field_errors
                    .into_iter()
                    .map(|e| error(Some(line), Some(&e.field), e.reason)),
            );
            continue;
        }
        let canonical = canonical_row(parsed, entity);
        let key = entity.key(&canonical);
        if let Some((file, first)) = locations.get(&(entity.name, key.clone())) {
            errors.push(error(
                Some(line),
                None,
                format!("khóa \"{key}\" trùng với {file}, dòng {first}"),
            ));
            continue;
        }
        locations.insert((entity.name, key.clone()), (source.name.clone(), line));
        targets.insert(key, canonical);
    }
}

/// The canonical row of the record just read (the last of its entity).
fn canonical_row(parsed: &Dataset, entity: &Entity) -> Row {
    let mut last = Dataset::default();
    macro_rules! take_last {
        ($($field:ident),+) => {
            match entity.name {
                $(stringify!($field) => last.$field.push(parsed.$field.last().expect("just read").clone()),)+
                other => unreachable!("unknown entity {other}"),
            }
        };
    }
    take_last!(
        agencies,
        agency_groups,
        group_memberships,
        lineage,
        legal_documents,
        programmes,
        indicators,
        targets,
        observations,
        tasks,
        task_assignments,
        task_updates,
        assignment_updates,
        checklist_requirements,
        checklist_items,
        exclusions,
        target_assessments
    );
    to_rows(&last)
        .remove(entity.name)
        .expect("every entity")
        .into_values()
        .next()
        .expect("one row")
}
