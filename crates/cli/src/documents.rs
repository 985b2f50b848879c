//! Official documents on the command line: `tiendo report --format docx|pdf|xlsx` with
//! the report settings, `tiendo template`, and Excel workbooks in `tiendo import`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::Args;
use tiendo_core::model::Dataset;
use tiendo_core::period::Period;
use tiendo_document::template::{TemplateRequest, plan_import as plan_with_workbooks};
use tiendo_document::{ReportSettings, SettingsOverrides};
use tiendo_exchange::import::{ImportError, Plan, read_sources};
use tiendo_report::Document;

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
    /// Ngày ban hành (mặc định: ngày chốt số liệu).
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
    fn settings(self, data: &Dataset, doc: &Document) -> Result<ReportSettings> {
        let letterhead = doc.letterhead.as_ref().context("báo cáo không có phần đầu văn bản")?;
        Ok(ReportSettings::defaults(data, letterhead).with(self.overrides()))
    }

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

/// The report in a binary format, or `None` for the text formats.
pub fn render_binary(format: ReportFormat, data: &Dataset, doc: &Document, official: OfficialArgs) -> Result<Option<Vec<u8>>> {
    Ok(match format {
        ReportFormat::Md | ReportFormat::Html => None,
        ReportFormat::Docx => Some(tiendo_document::docx::render(doc, &official.settings(data, doc)?)?),
        ReportFormat::Pdf => Some(tiendo_document::pdf::render(doc, &official.settings(data, doc)?)?),
        ReportFormat::Xlsx => Some(tiendo_document::xlsx::render(doc)?),
    })
}

/// Write a binary report to its file (required: binary output is not printed).
pub fn write_binary(bytes: &[u8], output: Option<&Path>) -> Result<()> {
    let Some(path) = output else { bail!("định dạng này cần tệp ghi kết quả: --output TỆP") };
    std::fs::write(path, bytes).with_context(|| format!("không ghi được {}", path.display()))?;
    println!("Đã ghi báo cáo: {}", path.display());
    Ok(())
}

/// `tiendo template`.
pub fn template(data: &Dataset, agency: String, period: Period, programme: Option<String>, output: &Path) -> Result<ExitCode> {
    let bytes = tiendo_document::template::template(data, &TemplateRequest { agency_id: agency, period, programme_id: programme })?;
    std::fs::write(output, bytes).with_context(|| format!("không ghi được {}", output.display()))?;
    println!("Đã ghi biểu mẫu: {}", output.display());
    Ok(ExitCode::SUCCESS)
}

/// Plan an import of CSV files, directories and filled Excel templates together.
pub fn plan_import(paths: &[PathBuf], existing: &Dataset) -> Result<Plan, Vec<ImportError>> {
    let (workbooks, others): (Vec<&PathBuf>, Vec<&PathBuf>) = paths.iter().partition(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx")));
    let others: Vec<PathBuf> = others.into_iter().cloned().collect();
    let csv = if others.is_empty() { Vec::new() } else { read_sources(&others)? };
    let mut books = Vec::new();
    let mut errors = Vec::new();
    for path in workbooks {
        let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().to_string());
        match std::fs::read(path) {
            Ok(bytes) => books.push((name, bytes)),
            Err(e) => errors.push(ImportError { file: path.display().to_string(), line: None, field: None, reason: format!("không đọc được tệp: {e}") }),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    plan_with_workbooks(csv, &books, existing)
}

/// The demo report as DOCX and PDF beside its Markdown and HTML.
pub fn demo_files(data: &Dataset, doc: &Document, dir: &Path, stem: &str) -> Result<Vec<PathBuf>> {
    let settings = OfficialArgs::default().settings(data, doc)?;
    let mut written = Vec::new();
    for (ext, bytes) in [("docx", tiendo_document::docx::render(doc, &settings)?), ("pdf", tiendo_document::pdf::render(doc, &settings)?)] {
        let path = dir.join(format!("{stem}.{ext}"));
        std::fs::write(&path, bytes).with_context(|| format!("không ghi được {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}
