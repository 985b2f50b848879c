//! The structure of the code, checked: the web crate's modules depend on each other
//! without a circle, the application state depends on no other module, every `crate::`
//! path names a module (not something the crate root re-exports), and no crate but the
//! store reads a stored row by position.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The code of a file with its whole-line comments and doc comments blanked.
fn code(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("//") {
                ""
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn identifier(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// The first segment of every `crate::` path in `code`, those of a `crate::{…}` group
/// included.
fn crate_paths(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let preceded = rest[..at]
            .chars()
            .last()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        rest = &rest[at + "crate::".len()..];
        if preceded {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if c.is_whitespace() => {}
                    _ if start => {
                        found.push(identifier(&group[i..]).to_string());
                        start = false;
                    }
                    _ => {}
                }
            }
        } else {
            found.push(identifier(rest).to_string());
        }
    }
    found
}

/// The top-level module a file of `src` belongs to: its name, or its directory's.
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap();
    let first = relative
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_str()
        .unwrap();
    first.strip_suffix(".rs").unwrap_or(first).to_string()
}

/// A circle in `graph`, if there is one, as the modules along it.
fn circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut found = path[at..].to_vec();
            found.push(node.to_string());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_web_modules_form_no_circle_and_the_state_uses_none() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = rust_files(&src);
    let modules: BTreeSet<String> = files
        .iter()
        .map(|f| module_of(&src, f))
        .filter(|m| m != "lib")
        .collect();
    for expected in [
        "state", "app", "api", "auth", "page", "pages", "views", "error",
    ] {
        assert!(
            modules.contains(expected),
            "no module {expected} among {modules:?}"
        );
    }
    let mut graph: BTreeMap<String, BTreeSet<String>> = modules
        .iter()
        .map(|m| (m.clone(), BTreeSet::new()))
        .collect();
    for file in &files {
        let module = module_of(&src, file);
        if module == "lib" {
            continue;
        }
        let code = code(file);
        if module == "state" {
            assert!(
                !code.contains("crate::") && !code.contains("super::"),
                "{} uses another module of the crate",
                file.display()
            );
        }
        for used in crate_paths(&code) {
            assert!(
                modules.contains(&used),
                "{}: crate::{used} is not a module of the crate (name the module the item is defined in)",
                file.display()
            );
            if used != module {
                graph.get_mut(&module).unwrap().insert(used);
            }
        }
    }
    assert!(graph["state"].is_empty());
    assert_eq!(
        circle(&graph),
        None,
        "the modules depend on each other in a circle: {graph:#?}"
    );
}

#[test]
fn the_circle_finder_finds_circles() {
    let graph = |edges: &[(&str, &str)]| {
        let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (from, to) in edges {
            g.entry(from.to_string())
                .or_default()
                .insert(to.to_string());
            g.entry(to.to_string()).or_default();
        }
        g
    };
    assert_eq!(
        circle(&graph(&[
            ("app", "pages"),
            ("pages", "page"),
            ("app", "page")
        ])),
        None
    );
    assert_eq!(
        circle(&graph(&[
            ("app", "pages"),
            ("pages", "api"),
            ("api", "pages")
        ])),
        Some(vec!["api".into(), "pages".into(), "api".into()])
    );
    assert_eq!(
        crate_paths(
            "use crate::{auth::Auth, error::{AppError, AppResult}};\nlet x = crate::views::overview(d);\nfoo_crate::x"
        ),
        vec!["auth", "error", "views"]
    );
}

/// Issue 15: a stored row is read by column name (typed records in the store), never by
/// position, anywhere but in the store itself.
#[test]
fn no_stored_row_is_read_by_position_outside_the_store() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf();
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&crates).unwrap() {
        let dir = entry.unwrap().path();
        if dir.file_name().is_some_and(|n| n == "store") || !dir.join("src").is_dir() {
            continue;
        }
        for file in rust_files(&dir.join("src")) {
            for (number, line) in code(&file).lines().enumerate() {
                let positional = ["row[", "row.get("].iter().any(|access| {
                    line.match_indices(access).any(|(at, _)| {
                        line[at + access.len()..]
                            .trim_start()
                            .starts_with(|c: char| c.is_ascii_digit())
                    })
                });
                if positional {
                    found.push(format!(
                        "{}:{}: {}",
                        file.display(),
                        number + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "rows read by position outside the store:\n{}",
        found.join("\n")
    );
}
