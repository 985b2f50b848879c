//! The Excel data request for one agency and one period (`tiendo template`).
//!
//! The workbook has an instructions sheet in Vietnamese and three data sheets holding
//! what the agency owes for the period ([`tiendo_core::submission::due_items`], the items
//! its entry form asks for): its tasks not yet done, the indicators it reports, and the
//! checklist requirements of its groups not yet met. Key and reference
//! columns are locked (the sheets are protected); entry columns have drop-down lists
//! for statuses and validation for numbers and dates. The layout, and the reading of a
//! filled workbook, are [`tiendo_exchange::workbook`]'s.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook,
    Worksheet,
};
use tiendo_core::checklist;
use tiendo_core::format;
use tiendo_core::model::{Dataset, Programme};
use tiendo_core::period::Period;
use tiendo_core::status;
use tiendo_exchange::workbook::{
    AGENCY_CELL, CHECKLIST, CHECKLIST_COLUMNS, DONE, FIRST_ROW, FORMAT, FORMAT_CELL, HEADER_ROW,
    INDICATOR_COLUMNS, INDICATORS, INSTRUCTIONS, NOT_DONE, PERIOD_CELL, PROGRAMME_CELL, STATUSES,
    TASK_COLUMNS, TASKS,
};

use crate::DocumentError;

/// What to ask for.
#[derive(Debug, Clone)]
pub struct TemplateRequest {
    pub agency_id: String,
    pub period: Period,
    /// A programme (with its sub-programmes); `None`: every programme running in the period.
    pub programme_id: Option<String>,
}

/// The programmes a template covers.
fn programmes<'a>(
    data: &'a Dataset,
    request: &TemplateRequest,
) -> Result<Vec<&'a Programme>, DocumentError> {
    match &request.programme_id {
        Some(id) => {
            let root = data.programme(id).ok_or_else(|| {
                DocumentError::Template(format!("không có chương trình \"{id}\""))
            })?;
            let mut out = vec![root];
            let mut i = 0;
            while i < out.len() {
                let parent = out[i].id.clone();
                out.extend(
                    data.programmes
                        .iter()
                        .filter(|p| p.parent_id.as_deref() == Some(parent.as_str())),
                );
                i += 1;
            }
            Ok(out)
        }
        None => Ok(data
            .programmes
            .iter()
            .filter(|p| {
                let (from, to) = request.period.bounds(p.regime);
                p.start.is_none_or(|s| s <= to) && p.end.is_none_or(|e| e >= from)
            })
            .collect()),
    }
}

struct Formats {
    title: Format,
    head: Format,
    locked: Format,
    entry: Format,
    entry_date: Format,
    entry_number: Format,
}

fn formats() -> Formats {
    let border = Format::new()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let entry = border.clone().set_unlocked().set_background_color("FFF2CC");
    Formats {
        title: Format::new().set_bold().set_font_size(13),
        head: Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_border(FormatBorder::Thin)
            .set_background_color("D9E1F2"),
        locked: border.set_background_color("F2F2F2"),
        entry_date: entry.clone().set_num_format("dd/mm/yyyy"),
        entry_number: entry.clone().set_num_format("#,##0.##"),
        entry,
    }
}

fn sheet_head(
    sheet: &mut Worksheet,
    f: &Formats,
    title: &str,
    subtitle: &str,
    columns: &[(&str, Option<&str>, bool)],
    widths: &[f64],
) -> Result<(), DocumentError> {
    sheet.write_string_with_format(0, 0, title, &f.title)?;
    sheet.write_string(1, 0, subtitle)?;
    for (c, ((name, _, _), width)) in columns.iter().zip(widths).enumerate() {
        sheet.write_string_with_format(HEADER_ROW, c as u16, *name, &f.head)?;
        sheet.set_column_width(c as u16, *width)?;
    }
    sheet.set_row_height(HEADER_ROW, 32)?;
    sheet.set_freeze_panes(FIRST_ROW, 1)?;
    Ok(())
}

fn validation_list(items: &[&str], title: &str) -> Result<DataValidation, DocumentError> {
    Ok(DataValidation::new()
        .allow_list_strings(items)?
        .set_input_title(title)?
        .set_input_message("Chọn trong danh sách.")?
        .set_error_title("Giá trị không hợp lệ")?
        .set_error_message(format!("Chọn một trong: {}.", items.join(", ")))?)
}

fn validation_date(from: NaiveDate, to: NaiveDate) -> Result<DataValidation, DocumentError> {
    let d = |x: NaiveDate| ExcelDateTime::from_ymd(x.year() as u16, x.month() as u8, x.day() as u8);
    Ok(DataValidation::new()
        .allow_date(DataValidationRule::Between(d(from)?, d(to)?))
        .set_input_title("Ngày")?
        .set_input_message(format!(
            "Nhập ngày dạng dd/mm/yyyy, từ {} đến {}.",
            format::date(from),
            format::date(to)
        ))?
        .set_error_title("Ngày không hợp lệ")?
        .set_error_message(format!(
            "Nhập ngày từ {} đến {}.",
            format::date(from),
            format::date(to)
        ))?)
}

fn validation_number(min: f64, title: &str) -> Result<DataValidation, DocumentError> {
    Ok(DataValidation::new()
        .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(min))
        .set_input_title(title)?
        .set_input_message("Nhập một số (tỷ lệ phần trăm ghi 80,5 cho 80,5%).")?
        .set_error_title("Không phải là số")?
        .set_error_message("Nhập một số không âm.")?)
}

/// Write the template workbook.
pub fn template(data: &Dataset, request: &TemplateRequest) -> Result<Vec<u8>, DocumentError> {
    let agency = data.agency(&request.agency_id).ok_or_else(|| {
        DocumentError::Template(format!("không có cơ quan \"{}\"", request.agency_id))
    })?;
    let programmes = programmes(data, request)?;
    let ids: Vec<&str> = programmes.iter().map(|p| p.id.as_str()).collect();
    let regime = programmes
        .first()
        .map_or(tiendo_core::period::ReportingRegime::CalendarMonth, |p| {
            p.regime
        });
    let (from, to) = request.period.bounds(regime);
    let before = from.pred_opt().unwrap_or(from);
    let period = request.period.label_vi();
    let period_code = request.period.code();
    let subtitle = format!("{} ({}) — {}", agency.name, agency.id, period);
    // What the agency owes: the same items as its entry form asks for.
    let due = tiendo_core::submission::due_items(data, &ids, &agency.id, request.period);
    let f = formats();
    let mut workbook = Workbook::new();

    let sheet = workbook.add_worksheet();
    sheet.set_name(INSTRUCTIONS)?;
    sheet.set_column_width(0, 18)?;
    sheet.set_column_width(1, 16)?;
    sheet.set_column_width(2, 90)?;
    sheet.write_string_with_format(
        0,
        0,
        format!(
            "BIỂU MẪU BÁO CÁO {} — {}",
            period.to_uppercase(),
            agency.name.to_uppercase()
        ),
        &f.title,
    )?;
    let meta = [
        (
            AGENCY_CELL,
            "Cơ quan",
            agency.id.as_str(),
            agency.name.clone(),
        ),
        (
            PERIOD_CELL,
            "Kỳ báo cáo",
            period_code.as_str(),
            format!(
                "{period} (từ {} đến {})",
                format::date(from),
                format::date(to)
            ),
        ),
        (
            PROGRAMME_CELL,
            "Chương trình",
            request.programme_id.as_deref().unwrap_or(""),
            programmes
                .iter()
                .map(|p| p.short_name.clone())
                .collect::<Vec<_>>()
                .join("; "),
        ),
        (
            FORMAT_CELL,
            "Biểu mẫu",
            FORMAT,
            "Không sửa các ô ở cột B của trang này.".to_string(),
        ),
    ];
    for ((row, col), label, key, text) in meta {
        sheet.write_string_with_format(row, 0, label, &f.head)?;
        sheet.write_string_with_format(row, col, key, &f.locked)?;
        sheet.write_string_with_format(row, col + 1, text, &f.locked)?;
    }
    let steps = [
        "Cách điền:".to_string(),
        format!(
            "1. Trang “{TASKS}”: các nhiệm vụ {} được giao (chủ trì, đồng chủ trì hoặc thuộc nhóm cơ quan được giao) chưa hoàn thành đến ngày {}. Chọn “Trạng thái” trong danh sách; khi hoàn thành, ghi “Ngày hoàn thành”; ghi tóm tắt “Kết quả thực hiện”.",
            agency.short_name,
            format::date(before)
        ),
        format!("2. Trang “{INDICATORS}”: ghi “Giá trị kỳ này” của chỉ tiêu tại {} trong {period}; tỷ lệ phần trăm ghi số phần trăm (80,5 cho 80,5%); nếu có, ghi tử số và mẫu số.", agency.short_name),
        format!("3. Trang “{CHECKLIST}”: chọn “{DONE}” hoặc “{NOT_DONE}” cho từng yêu cầu; ghi ngày thực hiện và minh chứng (số, ký hiệu văn bản)."),
        "4. Chỉ điền vào các ô nền vàng; các cột mã và thông tin tham khảo đã được khóa. Dòng để trống được bỏ qua.".to_string(),
        "5. Gửi lại tệp; cơ quan tổng hợp nhập bằng lệnh `tiendo import TỆP.xlsx`. Tệp chỉ được nhập khi không có lỗi; mọi lỗi được báo theo trang, ô và lý do.".to_string(),
    ];
    for (i, step) in steps.iter().enumerate() {
        sheet.write_string(8 + i as u32, 0, step)?;
    }
    sheet.protect();

    // Tasks the agency owes a report on: its own part not yet done before the period.
    let views = status::task_views(data, &ids, before);
    let mut tasks: Vec<_> = views
        .iter()
        .filter(|v| due.tasks.iter().any(|t| t.id == v.task.id))
        .collect();
    tasks.sort_by(|a, b| {
        (
            a.task.programme_id.as_str(),
            status::natural_key(&a.task.number),
        )
            .cmp(&(
                b.task.programme_id.as_str(),
                status::natural_key(&b.task.number),
            ))
    });
    let sheet = workbook.add_worksheet();
    sheet.set_name(TASKS)?;
    sheet_head(
        sheet,
        &f,
        &format!("NHIỆM VỤ {} ĐƯỢC GIAO", agency.short_name.to_uppercase()),
        &subtitle,
        &TASK_COLUMNS,
        &[14.0, 6.0, 60.0, 18.0, 16.0, 18.0, 14.0, 50.0],
    )?;
    for (i, v) in tasks.iter().enumerate() {
        let row = FIRST_ROW + i as u32;
        let due = v
            .due
            .map(|d| format!(" ({})", format::date(d)))
            .unwrap_or_default();
        let own = v.assignee(&agency.id).map_or(v.status, |a| a.status);
        for (col, text) in [
            v.task.id.clone(),
            v.task.number.clone(),
            v.task.title.clone(),
            format!("{}{due}", v.task.deadline.text),
            own.label_vi().to_string(),
        ]
        .iter()
        .enumerate()
        {
            sheet.write_string_with_format(row, col as u16, text, &f.locked)?;
        }
        sheet.write_blank(row, 5, &f.entry)?;
        sheet.write_blank(row, 6, &f.entry_date)?;
        sheet.write_blank(row, 7, &f.entry)?;
    }
    if let Some(last) = (!tasks.is_empty()).then(|| FIRST_ROW + tasks.len() as u32 - 1) {
        sheet.add_data_validation(
            FIRST_ROW,
            5,
            last,
            5,
            &validation_list(&STATUSES.map(|(l, _)| l), "Trạng thái")?,
        )?;
        sheet.add_data_validation(
            FIRST_ROW,
            6,
            last,
            6,
            &validation_date(NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(from), to)?,
        )?;
    } else {
        sheet.write_string(FIRST_ROW, 0, "Không có nhiệm vụ cần báo cáo.")?;
    }
    sheet.protect();

    // Indicators of the programmes, with the agency's latest value before the period.
    let mut indicators = due.indicators.clone();
    indicators.sort_by(|a, b| {
        (
            ids.iter().position(|p| *p == a.programme_id),
            status::natural_key(&a.code),
        )
            .cmp(&(
                ids.iter().position(|p| *p == b.programme_id),
                status::natural_key(&b.code),
            ))
    });
    let sheet = workbook.add_worksheet();
    sheet.set_name(INDICATORS)?;
    sheet_head(
        sheet,
        &f,
        &format!("SỐ LIỆU CHỈ TIÊU CỦA {}", agency.short_name.to_uppercase()),
        &subtitle,
        &INDICATOR_COLUMNS,
        &[18.0, 8.0, 60.0, 12.0, 18.0, 14.0, 12.0, 12.0, 30.0],
    )?;
    for (i, ind) in indicators.iter().enumerate() {
        let row = FIRST_ROW + i as u32;
        let latest = data
            .observations
            .iter()
            .filter(|o| {
                o.indicator_id == ind.id
                    && o.agency_id.as_deref() == Some(agency.id.as_str())
                    && o.period < request.period
            })
            .max_by_key(|o| o.period);
        let latest = latest.map_or_else(
            || "—".to_string(),
            |o| {
                format!(
                    "{}: {}",
                    o.period.label_vi(),
                    tiendo_core::figure::value(ind, o.value, tiendo_core::lang::Lang::Vi)
                )
            },
        );
        for (col, text) in [
            ind.id.as_str(),
            ind.code.as_str(),
            ind.name.as_str(),
            ind.unit.as_str(),
            latest.as_str(),
        ]
        .iter()
        .enumerate()
        {
            sheet.write_string_with_format(row, col as u16, *text, &f.locked)?;
        }
        for col in 5..=7 {
            sheet.write_blank(row, col, &f.entry_number)?;
        }
        sheet.write_blank(row, 8, &f.entry)?;
    }
    if let Some(last) = (!indicators.is_empty()).then(|| FIRST_ROW + indicators.len() as u32 - 1) {
        sheet.add_data_validation(FIRST_ROW, 5, last, 7, &validation_number(0.0, "Số liệu")?)?;
    } else {
        sheet.write_string(FIRST_ROW, 0, "Không có chỉ tiêu cần báo cáo.")?;
    }
    sheet.protect();

    // Checklist requirements of groups the agency belongs to at the end of the period.
    let requirements = &due.requirements;
    let sheet = workbook.add_worksheet();
    sheet.set_name(CHECKLIST)?;
    sheet_head(
        sheet,
        &f,
        &format!(
            "KẾT QUẢ THỰC HIỆN CÁC YÊU CẦU CỦA {}",
            agency.short_name.to_uppercase()
        ),
        &subtitle,
        &CHECKLIST_COLUMNS,
        &[18.0, 60.0, 18.0, 22.0, 16.0, 14.0, 40.0],
    )?;
    for (i, r) in requirements.iter().enumerate() {
        let row = FIRST_ROW + i as u32;
        let previous = match checklist::item_at(data, &r.id, &agency.id, before) {
            Some(item) if checklist::done_at(item, before) => format!(
                "{DONE}{}",
                item.done_on
                    .map(|d| format!(" ({})", format::date(d)))
                    .unwrap_or_default()
            ),
            Some(_) => NOT_DONE.to_string(),
            None => "Chưa có báo cáo".to_string(),
        };
        for (col, text) in [
            r.id.as_str(),
            r.title.as_str(),
            r.deadline.text.as_str(),
            previous.as_str(),
        ]
        .iter()
        .enumerate()
        {
            sheet.write_string_with_format(row, col as u16, *text, &f.locked)?;
        }
        sheet.write_blank(row, 4, &f.entry)?;
        sheet.write_blank(row, 5, &f.entry_date)?;
        sheet.write_blank(row, 6, &f.entry)?;
    }
    if let Some(last) =
        (!requirements.is_empty()).then(|| FIRST_ROW + requirements.len() as u32 - 1)
    {
        sheet.add_data_validation(
            FIRST_ROW,
            4,
            last,
            4,
            &validation_list(&[DONE, NOT_DONE], "Kết quả")?,
        )?;
        sheet.add_data_validation(
            FIRST_ROW,
            5,
            last,
            5,
            &validation_date(NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(from), to)?,
        )?;
    } else {
        sheet.write_string(FIRST_ROW, 0, "Không có yêu cầu cần báo cáo.")?;
    }
    sheet.protect();
    Ok(workbook.save_to_buffer()?)
}
