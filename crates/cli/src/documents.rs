//! Official documents on the command line: `tiendo report --format docx|pdf|xlsx` with
//! the report settings, `tiendo template`, and Excel workbooks in `tiendo import`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::Args;
use tiendo_app::accounts::{Account, Caller};
use tiendo_app::entry;
use tiendo_app::records::Records;
use tiendo_core::access::{Credential, Role};
use tiendo_core::model::Dataset;
use tiendo_core::period::Period;
use tiendo_document::SettingsOverrides;
use tiendo_document::template::TemplateRequest;
use tiendo_report::Document;
use tiendo_store::{Database, Store};

use crate::ReportFormat;

/// The header and footer of the official report (DOCX, PDF); defaults come from the
/// programme's owner agency.
#[derive(Args, Debug, Default)]
pub struct OfficialArgs {
    /// Cơ quan chủ quản (dòng trên tên cơ quan ban hành).
    #[arg(long)]
    parent_body: Option<String>,
    /// Cơ quan ban hành (mặc định: cơ quan chủ trì chương trình).
    #[arg(long)]
    issuing_body: Option<String>,
    /// Số văn bản (mặc định: để trống cho văn thư ghi).
    #[arg(long)]
    number: Option<String>,
    /// Ký hiệu sau số: BC-BTTTT.
    #[arg(long)]
    symbol: Option<String>,
    /// Địa danh (mặc định: Hà Nội).
    #[arg(long)]
    place: Option<String>,
    /// Ngày ban hành (mặc định: hôm nay, hoặc ngày theo --as-known-on).
    #[arg(long, value_parser = crate::date_arg)]
    date: Option<NaiveDate>,
    /// Kính gửi (lặp lại cho nhiều nơi).
    #[arg(long = "to")]
    addressees: Vec<String>,
    /// Thẩm quyền ký: "KT. BỘ TRƯỞNG", "TM. ỦY BAN NHÂN DÂN".
    #[arg(long)]
    signer_authority: Option<String>,
    /// Chức vụ người ký: "THỨ TRƯỞNG".
    #[arg(long)]
    signer_title: Option<String>,
    /// Họ tên người ký.
    #[arg(long)]
    signer_name: Option<String>,
    /// Nơi nhận (lặp lại cho nhiều nơi; "Lưu: VT" được thêm cuối cùng).
    #[arg(long = "recipient")]
    recipients: Vec<String>,
    /// Đơn vị soạn thảo, ghi sau "Lưu: VT,".
    #[arg(long)]
    archive_unit: Option<String>,
}

impl OfficialArgs {
    /// What was given, to apply over the programme's defaults.
    pub fn overrides(self) -> SettingsOverrides {
        SettingsOverrides {
            parent_body: self.parent_body,
            issuing_body: self.issuing_body,
            number: self.number,
            symbol: self.symbol,
            place: self.place,
            date: self.date,
            addressees: self.addressees,
            signer_authority: self.signer_authority,
            signer_title: self.signer_title,
            signer_name: self.signer_name,
            recipients: self.recipients,
            archive_unit: self.archive_unit,
        }
    }
}

/// The report in a binary format, or `None` for the text formats: the settings are what
/// was given on the command line, over the programme's stored settings.
pub async fn render_binary<S: Store>(
    format: ReportFormat,
    store: &S,
    data: &Dataset,
    doc: &Document,
    programme_id: &str,
    official: OfficialArgs,
) -> Result<Option<Vec<u8>>> {
    if matches!(format, ReportFormat::Md | ReportFormat::Html) {
        return Ok(None);
    }
    let settings = tiendo_app::editions::document_settings(
        store,
        data,
        doc,
        programme_id,
        official.overrides(),
    )
    .await?;
    Ok(Some(match format {
        ReportFormat::Docx => tiendo_document::docx::render(doc, &settings)?,
        ReportFormat::Pdf => tiendo_document::pdf::render(doc, &settings)?,
        _ => tiendo_document::xlsx::render(doc)?,
    }))
}

/// `tiendo settings`: show a programme's document settings, or change the ones given.
pub async fn settings<S: Store>(
    store: &S,
    programme_id: &str,
    official: OfficialArgs,
    actor: &str,
) -> Result<ExitCode> {
    let data = store.load().await?;
    if data.programme(programme_id).is_none() {
        bail!("không có chương trình \"{programme_id}\"");
    }
    let given = official.overrides();
    if given.number.is_some() || given.date.is_some() {
        bail!(
            "số văn bản và ngày ban hành được ghi cho từng bản khi ban hành (`tiendo issue --number … --date …`), không phải thiết lập của chương trình"
        );
    }
    let (stored, version) = tiendo_store::report_settings::get(store, programme_id).await?;
    let changed = given != SettingsOverrides::default();
    let settings = if changed {
        let list =
            |given: Vec<String>, stored: Vec<String>| if given.is_empty() { stored } else { given };
        let updated = tiendo_store::report_settings::DocumentSettings {
            parent_body: given.parent_body.unwrap_or(stored.parent_body.clone()),
            issuing_body: given.issuing_body.unwrap_or(stored.issuing_body.clone()),
            symbol: given.symbol.unwrap_or(stored.symbol.clone()),
            place: given.place.unwrap_or(stored.place.clone()),
            addressees: list(given.addressees, stored.addressees.clone()),
            signer_authority: given
                .signer_authority
                .unwrap_or(stored.signer_authority.clone()),
            signer_title: given.signer_title.unwrap_or(stored.signer_title.clone()),
            signer_name: given.signer_name.unwrap_or(stored.signer_name.clone()),
            recipients: list(given.recipients, stored.recipients.clone()),
            archive_unit: given.archive_unit.unwrap_or(stored.archive_unit.clone()),
            ..stored
        };
        tiendo_store::report_settings::save(store, &updated, version, actor).await?;
        println!("Đã lưu thiết lập văn bản của chương trình {programme_id}.");
        updated
    } else {
        stored
    };
    let show = |label: &str, value: &str| {
        println!(
            "  {label}: {}",
            if value.trim().is_empty() {
                "(mặc định)"
            } else {
                value
            }
        )
    };
    println!("Thiết lập văn bản của chương trình {programme_id}:");
    show("Cơ quan chủ quản", &settings.parent_body);
    show("Cơ quan ban hành", &settings.issuing_body);
    show("Ký hiệu", &settings.symbol);
    show("Địa danh", &settings.place);
    show("Kính gửi", &settings.addressees.join("; "));
    show("Thẩm quyền ký", &settings.signer_authority);
    show("Chức vụ người ký", &settings.signer_title);
    show("Người ký", &settings.signer_name);
    show("Nơi nhận", &settings.recipients.join("; "));
    show("Đơn vị soạn thảo", &settings.archive_unit);
    Ok(ExitCode::SUCCESS)
}

/// Write a binary report to its file (required: binary output is not printed).
pub fn write_binary(bytes: &[u8], output: Option<&Path>) -> Result<()> {
    let Some(path) = output else {
        bail!("định dạng này cần tệp ghi kết quả: --output TỆP")
    };
    std::fs::write(path, bytes).with_context(|| format!("không ghi được {}", path.display()))?;
    println!("Đã ghi báo cáo: {}", path.display());
    Ok(())
}

/// `tiendo template`.
pub fn template(
    data: &Dataset,
    agency: String,
    period: Period,
    programme: Option<String>,
    output: &Path,
) -> Result<ExitCode> {
    let bytes = tiendo_document::template::template(
        data,
        &TemplateRequest {
            agency_id: agency,
            period,
            programme_id: programme,
        },
    )?;
    std::fs::write(output, bytes)
        .with_context(|| format!("không ghi được {}", output.display()))?;
    println!("Đã ghi biểu mẫu: {}", output.display());
    Ok(ExitCode::SUCCESS)
}

/// Whether a path is an Excel workbook (a filled template), by its extension.
pub fn is_workbook(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

/// Send filled Excel templates in, each as its agency would from the entry page: staged
/// in the agency's submission for the template's programme and period through the same
/// checks as the form, all or nothing per file, then sent for the secretariat's review.
/// Nothing reaches the figures before the secretariat accepts it. `actor` is who did it,
/// kept in the journal and on the staged entries. Returns whether every file went in.
pub async fn send_templates(store: Database, paths: &[PathBuf], actor: &str) -> Result<bool> {
    let records = Records::new(store, std::time::Duration::ZERO);
    let mut all = true;
    for path in paths {
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().to_string(),
        );
        let bytes =
            std::fs::read(path).with_context(|| format!("không đọc được {}", path.display()))?;
        match send_template(&records, &name, &bytes, actor).await {
            Ok(line) => println!("{line}"),
            Err(e) => {
                all = false;
                eprintln!("Không nhập được {name}: {}", e.body.message_vi);
            }
        }
    }
    Ok(all)
}

async fn send_template(
    records: &Records,
    name: &str,
    bytes: &[u8],
    actor: &str,
) -> Result<String, tiendo_app::error::Error> {
    let data = records.data().await?;
    // The reader's errors, if any, come from staging with every row's place.
    let filled = tiendo_exchange::workbook::read_filled(name, bytes, &data);
    if filled.as_ref().is_ok_and(|f| f.rows.is_empty()) {
        return Err(tiendo_app::error::Error::invalid(
            "file",
            "biểu mẫu chưa điền mục nào; không có gì để gửi.",
            "the template has nothing filled in; nothing to send.",
        ));
    }
    let agency_id = filled.map(|f| f.agency_id).unwrap_or_default();
    let caller = Caller::new(
        Account {
            id: actor.to_string(),
            display_name: actor.to_string(),
            role: Role::Reporter,
            agency_id: Some(agency_id),
            programme_id: None,
            password_hash: String::new(),
            active: true,
        },
        Credential::Session,
    );
    let staged = entry::stage_template(records, &caller, name, bytes, None).await?;
    let (agency, programme, period) = (&staged.agency_id, &staged.programme_id, staged.period);
    entry::submit(records, &caller, agency, programme, period).await?;
    let agency_name = data
        .agency(agency)
        .map_or(agency.as_str(), |a| a.name.as_str());
    let programme_name = data
        .programme(programme)
        .map_or(programme.as_str(), |p| p.short_name.as_str());
    Ok(format!(
        "{name}: đã gửi {} mục của {agency_name} cho {programme_name}, {}, để cơ quan tổng hợp duyệt.",
        tiendo_core::format::count(staged.staged as u64),
        period.label_vi()
    ))
}

/// The demo report as DOCX and PDF beside its Markdown and HTML, with the programme's
/// stored settings.
pub async fn demo_files<S: Store>(
    store: &S,
    data: &Dataset,
    doc: &Document,
    programme_id: &str,
    dir: &Path,
    stem: &str,
) -> Result<Vec<PathBuf>> {
    let settings = tiendo_app::editions::document_settings(
        store,
        data,
        doc,
        programme_id,
        SettingsOverrides::default(),
    )
    .await?;
    let mut written = Vec::new();
    for (ext, bytes) in [
        ("docx", tiendo_document::docx::render(doc, &settings)?),
        ("pdf", tiendo_document::pdf::render(doc, &settings)?),
    ] {
        let path = dir.join(format!("{stem}.{ext}"));
        std::fs::write(&path, bytes)
            .with_context(|| format!("không ghi được {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}
