//! The public site (cổng công khai), without sign-in: the issued editions the secretariat
//! published, their figures, files and machine-readable data, and what harvesters read.
//!
//! - `/cong-khai`: the programmes and their public editions; `/cong-khai/chuong-trinh/{id}`
//!   one programme (the dataset's landing page); `/cong-khai/ban/{id}` one edition: its
//!   figures as its documents state them, who signed it and when, its files, and the
//!   edition that replaced it;
//! - `/cong-khai/ban/{id}/tep/{pdf|docx|xlsx}`: the files as issued (immutable: an ETag of
//!   their SHA-256 and `Cache-Control: public, immutable`);
//! - `/cong-khai/ban/{id}/so-lieu.csv` and `.json`: the figures (UTF-8, ISO dates), the CSV
//!   with its CSVW metadata beside it (`so-lieu.csv-metadata.json`);
//! - `/cong-khai/danh-muc.jsonld`: the DCAT catalogue (DCAT-AP 3 terms) in JSON-LD, each
//!   programme a dataset, each edition's files its distributions;
//! - `/cong-khai/ban-moi.atom`: an Atom feed of the public editions;
//! - `/api/3/action/…`: the part of the CKAN action API harvesters call (`package_list`,
//!   `package_show`, `package_search` with `rows` and `start`,
//!   `current_package_list_with_resources`).
//!
//! What is public is decided by [`tiendo_app::publication`]: issued, published, past its
//! embargo, not withdrawn. The JSON-LD and the feed are written with `serde_json` and by
//! hand: a catalogue of a few terms does not justify an RDF library's build time (issue
//! #30 counts it), and the tests read it back with rdflib.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use minijinja::context;
use serde::Deserialize;
use serde_json::{Value, json};
use tiendo_app::publication::{Listing, PublicEdition, Publisher, publisher};
use tiendo_core::clock;
use tiendo_store::Store;
use tiendo_store::edition::Edition;
use tiendo_store::publication::Publication;

use crate::error::{AppError, AppResult};
use crate::page::{Guest, PageResult, v};
use crate::state::App;

/// The licence of the published figures and files.
pub const LICENCE: &str = "https://creativecommons.org/licenses/by/4.0/";
pub const LICENCE_NAME: &str = "Creative Commons Ghi công 4.0 Quốc tế (CC BY 4.0)";
/// How long a list (which grows when an edition is published) may be cached.
const LIST_MAX_AGE: &str = "public, max-age=300";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/cong-khai", get(index))
        .route("/cong-khai/chuong-trinh/{id}", get(programme))
        .route("/cong-khai/ban/{id}", get(edition_page))
        .route("/cong-khai/ban/{id}/tep/{format}", get(file))
        .route("/cong-khai/ban/{id}/so-lieu.csv", get(figures_csv))
        .route(
            "/cong-khai/ban/{id}/so-lieu.csv-metadata.json",
            get(figures_csvw),
        )
        .route("/cong-khai/ban/{id}/so-lieu.json", get(figures_json))
        .route("/cong-khai/danh-muc.jsonld", get(catalogue))
        .route("/cong-khai/ban-moi.atom", get(feed))
        .route("/api/3/action/package_list", get(package_list))
        .route("/api/3/action/package_show", get(package_show))
        .route("/api/3/action/package_search", get(package_search))
        .route(
            "/api/3/action/current_package_list_with_resources",
            get(current_package_list_with_resources),
        )
}

/// The site's address as the request reached it, for the absolute links of the catalogue.
fn base(app: &App, headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("localhost");
    let scheme = if app.settings.secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

fn today() -> chrono::NaiveDate {
    clock::today_in_vietnam()
}

async fn listing(app: &App) -> AppResult<Arc<Listing>> {
    Ok(app.public.listing(&app.store, today()).await?)
}

/// A page of the listing, rendered once per listing and language.
fn html(page: Arc<String>, control: &'static str) -> Response {
    with_cache(
        (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            page.as_str().to_string(),
        )
            .into_response(),
        control,
    )
}

async fn public_edition(app: &App, id: &str) -> AppResult<Arc<PublicEdition>> {
    app.public
        .edition(&app.store, id, today())
        .await
        .map_err(AppError::internal)?
        .ok_or_else(|| AppError::not_found("bản báo cáo công khai", "Public edition"))
}

fn with_cache(mut response: Response, control: &'static str) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(control));
    response
}

/// A programme with its public editions, newest first.
struct ProgrammeEditions {
    id: String,
    name: String,
    publisher: Publisher,
    editions: Vec<(Edition, Publication)>,
}

async fn by_programme(app: &App, listing: &Listing) -> AppResult<Vec<ProgrammeEditions>> {
    let data = app.data().await?;
    let mut out: Vec<ProgrammeEditions> = Vec::new();
    for (edition, publication) in listing.editions.iter().cloned() {
        match out.iter_mut().find(|p| p.id == edition.programme_id) {
            Some(p) => p.editions.push((edition, publication)),
            None => out.push(ProgrammeEditions {
                id: edition.programme_id.clone(),
                name: data
                    .programme(&edition.programme_id)
                    .map_or_else(|| edition.programme_id.clone(), |p| p.name.clone()),
                publisher: publisher(&app.store, &data, &edition.programme_id).await?,
                editions: vec![(edition, publication)],
            }),
        }
    }
    Ok(out)
}

fn edition_line(e: &Edition) -> Value {
    let period = e.period.parse::<tiendo_core::period::Period>().ok();
    json!({
        "id": e.id,
        "number": e.number,
        "period": e.period,
        "period_label": period.map(|p| p.label_vi()),
        "issued_on": tiendo_core::format::date(e.issued_on),
        "signer": e.signer,
        "replaces": e.replaces,
    })
}

async fn index(guest: Guest) -> PageResult {
    let listing = listing(&guest.app).await.map_err(|e| guest.fail(e))?;
    let programmes = by_programme(&guest.app, &listing)
        .await
        .map_err(|e| guest.fail(e))?;
    let page = listing
        .page(&format!("index|{}", guest.lang.code()), || {
            guest.render(
                "public_index.html",
                "public",
                context! { programmes => v(programme_lines(&programmes)), licence => LICENCE, licence_name => LICENCE_NAME },
            )
        })
        .map_err(|e| guest.fail(e))?;
    Ok(html(page, LIST_MAX_AGE))
}

fn programme_lines(programmes: &[ProgrammeEditions]) -> Vec<Value> {
    programmes
        .iter()
        .map(|p| {
            json!({"id": p.id, "name": p.name, "editions": p.editions.iter().map(|(e, _)| edition_line(e)).collect::<Vec<_>>()})
        })
        .collect()
}

async fn programme(guest: Guest, Path(id): Path<String>) -> PageResult {
    let listing = listing(&guest.app).await.map_err(|e| guest.fail(e))?;
    let programmes: Vec<ProgrammeEditions> = by_programme(&guest.app, &listing)
        .await
        .map_err(|e| guest.fail(e))?
        .into_iter()
        .filter(|p| p.id == id)
        .collect();
    if programmes.is_empty() {
        return Err(guest.fail(AppError::not_found(
            "chương trình công khai",
            "Public programme",
        )));
    }
    let page = listing
        .page(&format!("programme|{id}|{}", guest.lang.code()), || {
            guest.render(
                "public_index.html",
                "public",
                context! { programmes => v(programme_lines(&programmes)), licence => LICENCE, licence_name => LICENCE_NAME },
            )
        })
        .map_err(|e| guest.fail(e))?;
    Ok(html(page, LIST_MAX_AGE))
}

/// The figures of an edition as rows: what, the figure's words, its kind and subject.
fn figure_rows(edition: &PublicEdition) -> Vec<Value> {
    edition
        .figures
        .iter()
        .map(|f| {
            let subject = serde_json::to_value(&f.subject).unwrap_or(Value::Null);
            json!({
                "id": f.id,
                "kind": subject["kind"],
                "label": f.label,
                "text": f.text,
            })
        })
        .collect()
}

async fn edition_page(guest: Guest, Path(id): Path<String>) -> PageResult {
    let edition = public_edition(&guest.app, &id)
        .await
        .map_err(|e| guest.fail(e))?;
    let listing = listing(&guest.app).await.map_err(|e| guest.fail(e))?;
    let page = listing
        .page(&format!("edition|{id}|{}", guest.lang.code()), || {
            render_edition(&guest, &edition)
        })
        .map_err(|e| guest.fail(e))?;
    Ok(html(page, LIST_MAX_AGE))
}

fn render_edition(guest: &Guest, edition: &PublicEdition) -> Result<String, AppError> {
    let files: Vec<Value> = edition
        .edition
        .files
        .iter()
        .filter(|f| ["pdf", "docx", "xlsx"].contains(&f.format.as_str()))
        .map(|f| json!({"format": f.format, "size": tiendo_core::format::count(f.size), "sha256": f.sha256}))
        .collect();
    let sections: BTreeMap<&str, Vec<Value>> =
        figure_rows(edition)
            .into_iter()
            .fold(BTreeMap::new(), |mut by, row| {
                let section = match row["kind"].as_str() {
                    Some("tasks" | "cohort") => "1-tasks",
                    Some("task") => "4-task",
                    Some("requirement") => "3-requirement",
                    _ => "2-indicator",
                };
                by.entry(section).or_default().push(row);
                by
            });
    guest.render(
        "public_edition.html",
        "public",
        context! {
            e => v(edition),
            line => v(edition_line(&edition.edition)),
            issued_on => tiendo_core::format::date(edition.edition.issued_on),
            as_of => tiendo_core::format::date(edition.edition.as_of),
            files => v(files),
            sections => v(sections),
            licence => LICENCE,
            licence_name => LICENCE_NAME,
        },
    )
}

async fn file(
    State(app): State<Arc<App>>,
    Path((id, format)): Path<(String, String)>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let edition = public_edition(&app, &id).await?;
    let file = edition
        .edition
        .file(&format)
        .filter(|f| ["pdf", "docx", "xlsx"].contains(&f.format.as_str()))
        .ok_or_else(|| AppError::not_found("tệp", "File"))?;
    let etag = format!("\"{}\"", file.sha256);
    if headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == etag.as_bytes())
    {
        return Ok(with_cache(
            (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response(),
            IMMUTABLE,
        ));
    }
    let bytes = app
        .store
        .blob(&file.sha256)
        .await?
        .ok_or_else(|| AppError::not_found("tệp", "File"))?;
    let name = format!(
        "inline; filename=\"{}.{}\"",
        edition.edition.id, file.format
    );
    Ok(with_cache(
        (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(tiendo_document::edition::content_type(&file.format)),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_str(&name).map_err(AppError::internal)?,
                ),
                (
                    header::ETAG,
                    HeaderValue::from_str(&etag).map_err(AppError::internal)?,
                ),
            ],
            bytes,
        )
            .into_response(),
        IMMUTABLE,
    ))
}

/// The columns of the figures' CSV, in order, with their CSVW descriptions.
const COLUMNS: [(&str, &str, &str); 8] = [
    ("edition_id", "string", "Mã bản báo cáo"),
    ("programme_id", "string", "Mã chương trình"),
    (
        "period",
        "string",
        "Kỳ báo cáo (YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY)",
    ),
    ("as_of", "date", "Ngày chốt số liệu"),
    ("figure_id", "string", "Mã số liệu, ổn định giữa các bản"),
    (
        "kind",
        "string",
        "Loại số liệu: tasks, cohort, task, value, target, attainment, change, requirement",
    ),
    ("label", "string", "Số liệu"),
    ("text", "string", "Số liệu như văn bản ghi"),
];

fn csv_cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

async fn figures_csv(State(app): State<Arc<App>>, Path(id): Path<String>) -> AppResult<Response> {
    let edition = public_edition(&app, &id).await?;
    let mut out = COLUMNS.map(|c| c.0).join(",") + "\n";
    for row in figure_rows(&edition) {
        let cells = [
            edition.edition.id.clone(),
            edition.edition.programme_id.clone(),
            edition.edition.period.clone(),
            edition.edition.as_of.to_string(),
            row["id"].as_str().unwrap_or_default().to_string(),
            row["kind"].as_str().unwrap_or_default().to_string(),
            row["label"].as_str().unwrap_or_default().to_string(),
            row["text"].as_str().unwrap_or_default().to_string(),
        ];
        out += &cells.map(|c| csv_cell(&c)).join(",");
        out += "\n";
    }
    Ok(with_cache(
        ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], out).into_response(),
        IMMUTABLE,
    ))
}

async fn figures_csvw(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let edition = public_edition(&app, &id).await?;
    let base = base(&app, &headers);
    let columns: Vec<Value> = COLUMNS
        .iter()
        .map(|(name, datatype, title)| json!({"name": name, "titles": name, "datatype": datatype, "dc:description": {"@value": title, "@language": "vi"}}))
        .collect();
    let metadata = json!({
        "@context": "http://www.w3.org/ns/csvw",
        "url": format!("{base}/cong-khai/ban/{}/so-lieu.csv", edition.edition.id),
        "dc:title": {"@value": format!("Số liệu của {}", edition.title), "@language": "vi"},
        "dc:license": {"@id": LICENCE},
        "tableSchema": {"columns": columns, "primaryKey": ["edition_id", "figure_id"]},
    });
    Ok(with_cache(
        (
            [(header::CONTENT_TYPE, "application/csvm+json")],
            serde_json::to_string_pretty(&metadata).map_err(AppError::internal)?,
        )
            .into_response(),
        IMMUTABLE,
    ))
}

async fn figures_json(State(app): State<Arc<App>>, Path(id): Path<String>) -> AppResult<Response> {
    let edition = public_edition(&app, &id).await?;
    let e = &edition.edition;
    let body = json!({
        "edition_id": e.id,
        "programme_id": e.programme_id,
        "programme": edition.programme_name,
        "title": edition.title,
        "period": e.period,
        "as_of": e.as_of,
        "issued_on": e.issued_on,
        "number": e.number,
        "signer": e.signer,
        "replaces": e.replaces,
        "replaced_by": edition.replaced_by,
        "licence": LICENCE,
        "figures": figure_rows(&edition),
    });
    Ok(with_cache(Json(body).into_response(), IMMUTABLE))
}

/// A programme's public editions as a DCAT dataset, each edition's files distributions.
fn dataset(base: &str, p: &ProgrammeEditions) -> Value {
    let media = |format: &str| {
        format!(
            "https://www.iana.org/assignments/media-types/{}",
            tiendo_document::edition::content_type(format)
        )
    };
    let mut distributions = Vec::new();
    for (e, publication) in &p.editions {
        let title = format!("{} ({})", e.id, e.period);
        for f in e
            .files
            .iter()
            .filter(|f| ["pdf", "docx", "xlsx"].contains(&f.format.as_str()))
        {
            let url = format!("{base}/cong-khai/ban/{}/tep/{}", e.id, f.format);
            distributions.push(json!({
                "@id": url, "@type": "dcat:Distribution",
                "dct:title": {"@value": format!("{title}: {}", f.format.to_uppercase()), "@language": "vi"},
                "dcat:accessURL": {"@id": format!("{base}/cong-khai/ban/{}", e.id)},
                "dcat:downloadURL": {"@id": url},
                "dcat:mediaType": {"@id": media(&f.format)},
                "dcat:byteSize": {"@value": f.size.to_string(), "@type": "xsd:nonNegativeInteger"},
                "dct:issued": {"@value": publication.public_from.to_string(), "@type": "xsd:date"},
                "dct:license": {"@id": LICENCE},
            }));
        }
        for (name, mediatype) in [
            ("so-lieu.csv", "text/csv"),
            ("so-lieu.json", "application/json"),
        ] {
            let url = format!("{base}/cong-khai/ban/{}/{name}", e.id);
            distributions.push(json!({
                "@id": url, "@type": "dcat:Distribution",
                "dct:title": {"@value": format!("{title}: số liệu ({name})"), "@language": "vi"},
                "dcat:accessURL": {"@id": format!("{base}/cong-khai/ban/{}", e.id)},
                "dcat:downloadURL": {"@id": url},
                "dcat:mediaType": {"@id": format!("https://www.iana.org/assignments/media-types/{mediatype}")},
                "dct:issued": {"@value": publication.public_from.to_string(), "@type": "xsd:date"},
                "dct:license": {"@id": LICENCE},
            }));
        }
    }
    let issued = p.editions.iter().map(|(_, x)| x.public_from).min();
    let modified = p.editions.iter().map(|(_, x)| x.public_from).max();
    let periods: Vec<(chrono::NaiveDate, chrono::NaiveDate)> = p
        .editions
        .iter()
        .filter_map(|(e, _)| e.period.parse::<tiendo_core::period::Period>().ok())
        .map(|period| period.bounds(tiendo_core::period::ReportingRegime::CalendarMonth))
        .collect();
    json!({
        "@id": format!("{base}/cong-khai/chuong-trinh/{}", p.id),
        "@type": "dcat:Dataset",
        "dct:identifier": p.id,
        "dct:title": {"@value": p.name, "@language": "vi"},
        "dct:description": {"@value": format!("Các báo cáo đã ban hành về tình hình thực hiện {}: chỉ tiêu, mục tiêu, nhiệm vụ và yêu cầu, kèm tệp văn bản và số liệu.", p.name), "@language": "vi"},
        "dct:publisher": {"@id": format!("{base}/cong-khai/chuong-trinh/{}#co-quan", p.id), "@type": "foaf:Agent", "foaf:name": p.publisher.name},
        "dcat:contactPoint": {
            "@id": format!("{base}/cong-khai/chuong-trinh/{}#lien-he", p.id),
            "@type": "vcard:Organization",
            "vcard:fn": p.publisher.name,
            "vcard:hasEmail": p.publisher.emails.iter().map(|m| json!({"@id": format!("mailto:{m}")})).collect::<Vec<_>>(),
        },
        "dcat:landingPage": {"@id": format!("{base}/cong-khai/chuong-trinh/{}", p.id)},
        "dct:issued": issued.map(|d| json!({"@value": d.to_string(), "@type": "xsd:date"})),
        "dct:modified": modified.map(|d| json!({"@value": d.to_string(), "@type": "xsd:date"})),
        "dct:temporal": {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": periods.iter().map(|p| p.0).min().map(|d| json!({"@value": d.to_string(), "@type": "xsd:date"})),
            "dcat:endDate": periods.iter().map(|p| p.1).max().map(|d| json!({"@value": d.to_string(), "@type": "xsd:date"})),
        },
        "dct:license": {"@id": LICENCE},
        "dcat:distribution": distributions,
    })
}

async fn catalogue(State(app): State<Arc<App>>, headers: HeaderMap) -> AppResult<Response> {
    let base = base(&app, &headers);
    let listing = listing(&app).await?;
    let programmes = by_programme(&app, &listing).await?;
    let body = json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
        },
        "@id": format!("{base}/cong-khai/danh-muc.jsonld"),
        "@type": "dcat:Catalog",
        "dct:title": {"@value": "Số liệu công khai về tiến độ thực hiện các chương trình chuyển đổi số", "@language": "vi"},
        "dct:description": {"@value": "Các báo cáo đã ban hành và được công bố: văn bản, số liệu và nguồn gốc của từng số liệu.", "@language": "vi"},
        "dct:publisher": {"@id": format!("{base}/cong-khai#co-quan"), "@type": "foaf:Agent", "foaf:name": "Cơ quan thường trực chương trình"},
        "dct:license": {"@id": LICENCE},
        "dcat:dataset": programmes.iter().map(|p| dataset(&base, p)).collect::<Vec<_>>(),
    });
    Ok(with_cache(
        (
            [(header::CONTENT_TYPE, "application/ld+json")],
            serde_json::to_string_pretty(&body).map_err(AppError::internal)?,
        )
            .into_response(),
        LIST_MAX_AGE,
    ))
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

async fn feed(State(app): State<Arc<App>>, headers: HeaderMap) -> AppResult<Response> {
    let base = base(&app, &headers);
    let data = app.data().await?;
    let listing = listing(&app).await?;
    let list = &listing.editions;
    let updated = list
        .iter()
        .map(|(_, p)| p.published_at.as_str())
        .max()
        .unwrap_or("2000-01-01T00:00:00Z");
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"vi\">\n<id>{base}/cong-khai/ban-moi.atom</id>\n<title>Báo cáo mới công bố</title>\n<updated>{updated}</updated>\n<link rel=\"self\" href=\"{base}/cong-khai/ban-moi.atom\"/>\n<link rel=\"alternate\" href=\"{base}/cong-khai\"/>\n<author><name>tiendo</name></author>\n"
    );
    for (e, p) in list {
        let title = data
            .programme(&e.programme_id)
            .zip(e.period.parse().ok())
            .map_or_else(
                || e.id.clone(),
                |(programme, period)| tiendo_report::subject_of(programme, period),
            );
        xml += &format!(
            "<entry>\n<id>{base}/cong-khai/ban/{id}</id>\n<title>{title}</title>\n<updated>{updated}</updated>\n<published>{updated}</published>\n<link rel=\"alternate\" href=\"{base}/cong-khai/ban/{id}\"/>\n<summary>{summary}</summary>\n</entry>\n",
            id = xml_escape(&e.id),
            title = xml_escape(&title),
            updated = xml_escape(&p.published_at),
            summary = xml_escape(&format!(
                "Số {}, ngày {}, {}",
                if e.number.is_empty() {
                    "—"
                } else {
                    &e.number
                },
                tiendo_core::format::date(e.issued_on),
                e.signer
            )),
        );
    }
    xml += "</feed>\n";
    Ok(with_cache(
        (
            [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
            xml,
        )
            .into_response(),
        LIST_MAX_AGE,
    ))
}

/// A programme as a CKAN package, its public editions' files and data as resources.
fn package(base: &str, p: &ProgrammeEditions) -> Value {
    let mut resources = Vec::new();
    for (e, publication) in &p.editions {
        for f in e
            .files
            .iter()
            .filter(|f| ["pdf", "docx", "xlsx"].contains(&f.format.as_str()))
        {
            resources.push(json!({
                "id": format!("{}-{}", e.id, f.format),
                "package_id": p.id,
                "name": format!("{} ({})", e.id, f.format.to_uppercase()),
                "url": format!("{base}/cong-khai/ban/{}/tep/{}", e.id, f.format),
                "format": f.format.to_uppercase(),
                "mimetype": tiendo_document::edition::content_type(&f.format),
                "size": f.size,
                "hash": format!("sha256:{}", f.sha256),
                "created": publication.public_from.to_string(),
            }));
        }
        for (name, format) in [("so-lieu.csv", "CSV"), ("so-lieu.json", "JSON")] {
            resources.push(json!({
                "id": format!("{}-{}", e.id, format.to_lowercase()),
                "package_id": p.id,
                "name": format!("{} ({format})", e.id),
                "url": format!("{base}/cong-khai/ban/{}/{name}", e.id),
                "format": format,
                "created": publication.public_from.to_string(),
            }));
        }
    }
    json!({
        "id": p.id,
        "name": p.id,
        "title": p.name,
        "notes": format!("Các báo cáo đã ban hành về tình hình thực hiện {}.", p.name),
        "author": p.publisher.name,
        "maintainer": p.publisher.name,
        "maintainer_email": p.publisher.emails.first(),
        "license_id": "cc-by",
        "license_url": LICENCE,
        "license_title": LICENCE_NAME,
        "url": format!("{base}/cong-khai/chuong-trinh/{}", p.id),
        "metadata_created": p.editions.iter().map(|(_, x)| x.published_at.clone()).min(),
        "metadata_modified": p.editions.iter().map(|(_, x)| x.published_at.clone()).max(),
        "num_resources": resources.len(),
        "resources": resources,
        "extras": [{"key": "dcat_catalogue", "value": format!("{base}/cong-khai/danh-muc.jsonld")}],
    })
}

fn ckan(result: Value) -> Response {
    with_cache(
        Json(json!({"help": "/api/3/action/help_show", "success": true, "result": result}))
            .into_response(),
        LIST_MAX_AGE,
    )
}

async fn package_list(State(app): State<Arc<App>>) -> AppResult<Response> {
    let listing = listing(&app).await?;
    let ids: Vec<String> = by_programme(&app, &listing)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    Ok(ckan(json!(ids)))
}

#[derive(Deserialize)]
struct ShowQuery {
    id: String,
}

async fn package_show(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Query<ShowQuery>,
) -> AppResult<Response> {
    let base = base(&app, &headers);
    let listing = listing(&app).await?;
    let p = by_programme(&app, &listing)
        .await?
        .into_iter()
        .find(|p| p.id == q.id)
        .ok_or_else(|| AppError::not_found("gói dữ liệu", "Package"))?;
    Ok(ckan(package(&base, &p)))
}

/// The most rows one search or list call answers.
const MAX_ROWS: usize = 1000;

#[derive(Deserialize)]
struct SearchQuery {
    rows: Option<usize>,
    start: Option<usize>,
    limit: Option<usize>,
    offset: Option<usize>,
}

async fn package_search(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Query<SearchQuery>,
) -> AppResult<Response> {
    let base = base(&app, &headers);
    let listing = listing(&app).await?;
    let all = by_programme(&app, &listing).await?;
    let results: Vec<Value> = all
        .iter()
        .skip(q.start.unwrap_or(0))
        .take(q.rows.unwrap_or(10).min(MAX_ROWS))
        .map(|p| package(&base, p))
        .collect();
    Ok(ckan(json!({"count": all.len(), "results": results})))
}

async fn current_package_list_with_resources(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Query<SearchQuery>,
) -> AppResult<Response> {
    let base = base(&app, &headers);
    let listing = listing(&app).await?;
    let all = by_programme(&app, &listing).await?;
    let results: Vec<Value> = all
        .iter()
        .skip(q.offset.unwrap_or(0))
        .take(q.limit.unwrap_or(MAX_ROWS).min(MAX_ROWS))
        .map(|p| package(&base, p))
        .collect();
    Ok(ckan(json!(results)))
}
