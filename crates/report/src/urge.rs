//! The urging letter (công văn đôn đốc) to one agency: in the layout of Nghị định
//! 30/2020/NĐ-CP, type "CÔNG VĂN" with the subject "V/v đôn đốc …", from the programme's
//! owner agency, listing what the agency owes at a date ([`tiendo_core::urge::owed`]): its
//! overdue assignments, the checklist items not done past their deadline and its missing
//! or late report, each with its deadline; then what falls due soon, a request to
//! complete and report by a date, and the closing.

use chrono::NaiveDate;
use tiendo_core::format;
use tiendo_core::model::{Agency, AgencyKind, Assignee, Dataset, Programme};
use tiendo_core::structure::{LeadOn, lead_on};
use tiendo_core::urge::Owed;

use crate::doc::{Block, Document, Inline, Letterhead, TableRow, text};

/// What a letter needs beyond what is owed.
#[derive(Debug, Clone, Copy)]
pub struct LetterRequest<'r> {
    pub programme: &'r Programme,
    /// The date the figures are computed at, and the letter's date.
    pub as_of: NaiveDate,
    /// The data known by this day.
    pub known_on: NaiveDate,
    /// The day by which the agency is asked to complete and report.
    pub reply_by: NaiveDate,
}

/// "Quyết định số 58/QĐ-UBQGCĐS ngày 19/4/2024 của Ủy ban Quốc gia … về …", for each
/// legal document that assigned what the letter lists: a task's own basis, else its
/// programme's; a requirement's programme's; the letter's programme's when it lists
/// nothing else (a missing report). In the order first cited, each once.
fn legal_basis(data: &Dataset, owed: &Owed<'_>, programme: &Programme) -> Vec<String> {
    let programme_basis = |id: &str| {
        data.programme(id)
            .map(|p| p.legal_basis.clone())
            .unwrap_or_default()
    };
    let mut ids: Vec<String> = Vec::new();
    let tasks = owed
        .overdue
        .iter()
        .chain(&owed.tasks_due_soon)
        .map(|t| t.task);
    for task in tasks {
        if task.legal_basis.is_empty() {
            ids.extend(programme_basis(&task.programme_id));
        } else {
            ids.extend(task.legal_basis.iter().cloned());
        }
    }
    for item in owed.missing_items.iter().chain(&owed.items_due_soon) {
        ids.extend(programme_basis(&item.requirement.programme_id));
    }
    if ids.is_empty() {
        ids.extend(programme.legal_basis.iter().cloned());
    }
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    ids.iter()
        .filter_map(|id| data.legal_document(id))
        .map(crate::progress::legal_reference)
        .collect()
}

/// Whether `owed` calls for a letter from the programme's owner: the agency is behind on
/// something, and it is not the letter's own issuing body.
pub fn owes_a_letter(
    data: &Dataset,
    programme: &Programme,
    owed: &Owed<'_>,
    date: NaiveDate,
) -> bool {
    owed.is_behind() && letterhead(data, programme, date).issuer_id != owed.agency.id
}

/// The letterhead: the programme's owner agency (its successor after a reorganisation)
/// issues it.
pub fn letterhead(data: &Dataset, programme: &Programme, date: NaiveDate) -> Letterhead {
    let owner = match lead_on(
        data,
        &Assignee::Agency(programme.owner_agency.clone()),
        date,
    ) {
        LeadOn::Passed { to, .. } => Some(to),
        LeadOn::Recorded | LeadOn::Unresolved { .. } => data.agency(&programme.owner_agency),
    };
    Letterhead {
        issuer_id: owner.map_or_else(|| programme.owner_agency.clone(), |a| a.id.clone()),
        issuer: owner.map_or_else(|| programme.owner_agency.clone(), |a| a.name.clone()),
        issuer_code: owner.map_or_else(
            || programme.owner_agency.clone(),
            |a| {
                if a.code.is_empty() {
                    a.id.clone()
                } else {
                    a.code.clone()
                }
            },
        ),
        place: "Hà Nội".to_string(),
        date,
        kind: "CÔNG VĂN".to_string(),
        subject: format!("V/v đôn đốc thực hiện {}", programme.name),
    }
}

/// Whom a letter to an agency is addressed to: a province's People's Committee ("Ủy ban
/// nhân dân tỉnh Yên Bái"), any other agency by its name.
pub fn addressee(agency: &Agency) -> String {
    if agency.kind != AgencyKind::Province {
        return agency.name.clone();
    }
    let mut chars = agency.name.chars();
    let lowered: String = chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default();
    format!("Ủy ban nhân dân {lowered}")
}

fn row(cells: Vec<String>) -> TableRow {
    TableRow {
        anchor: None,
        cells: cells.into_iter().map(|c| vec![text(c)]).collect(),
    }
}

/// The urging letter to the agency of `owed`.
pub fn urging_letter(data: &Dataset, owed: &Owed<'_>, request: &LetterRequest<'_>) -> Document {
    let programme = request.programme;
    let head = letterhead(data, programme, request.as_of);
    let agency = addressee(owed.agency);
    let mut blocks = Vec::new();
    let basis = legal_basis(data, owed, programme);
    let basis = if basis.is_empty() {
        format!("Thực hiện {}", programme.name)
    } else {
        format!("Thực hiện {}", basis.join("; "))
    };
    blocks.push(Block::Paragraph(vec![text(format!(
        "{basis}, {} theo dõi, tổng hợp tình hình thực hiện của các bộ, ngành, địa phương. Theo số liệu trên hệ thống theo dõi tiến độ tính đến ngày {} (theo số liệu nhận đến ngày {}), {} còn các nội dung chưa hoàn thành sau đây:",
        head.issuer,
        format::date(request.as_of),
        format::date(request.known_on),
        agency
    ))]));
    let mut section = 0;
    let mut heading = |blocks: &mut Vec<Block>, title: &str| {
        section += 1;
        blocks.push(Block::Heading(3, format!("{section}. {title}")));
    };
    if !owed.overdue.is_empty() {
        heading(
            &mut blocks,
            &format!(
                "Nhiệm vụ đã quá hạn ({})",
                format::count(owed.overdue.len() as u64)
            ),
        );
        let rows = owed
            .overdue
            .iter()
            .enumerate()
            .map(|(i, t)| {
                row(vec![
                    (i + 1).to_string(),
                    format!("{}. {}", t.task.number, t.task.title),
                    t.role.label_vi(data),
                    t.task.deadline.text.clone(),
                    format::date(t.due),
                    t.days.to_string(),
                ])
            })
            .collect();
        blocks.push(Block::Table {
            header: [
                "TT",
                "Nhiệm vụ",
                "Vai trò",
                "Thời hạn",
                "Hạn",
                "Số ngày quá hạn",
            ]
            .map(String::from)
            .to_vec(),
            rows,
        });
    }
    if !owed.missing_items.is_empty() {
        heading(
            &mut blocks,
            &format!(
                "Yêu cầu chưa hoàn thành ({})",
                format::count(owed.missing_items.len() as u64)
            ),
        );
        let rows = owed
            .missing_items
            .iter()
            .enumerate()
            .map(|(i, m)| {
                row(vec![
                    (i + 1).to_string(),
                    m.requirement.title.clone(),
                    m.requirement.deadline.text.clone(),
                    format::date(m.due),
                    m.days.to_string(),
                ])
            })
            .collect();
        blocks.push(Block::Table {
            header: ["TT", "Yêu cầu", "Thời hạn", "Hạn", "Số ngày quá hạn"]
                .map(String::from)
                .to_vec(),
            rows,
        });
    }
    if let Some(r) = &owed.report {
        heading(&mut blocks, "Báo cáo chưa gửi hoặc gửi muộn");
        let state = match r.submitted_on {
            Some(sent) => format!(
                "Gửi muộn ngày {} ({} ngày)",
                format::date(sent),
                (sent - r.due).num_days()
            ),
            None => format!(
                "Chưa gửi (quá hạn {} ngày)",
                (request.as_of - r.due).num_days()
            ),
        };
        let rows = vec![row(vec![
            format!("Báo cáo {}", r.period.label_vi()),
            format::count(r.expected as u64),
            format::date(r.due),
            state,
        ])];
        blocks.push(Block::Table {
            header: [
                "Báo cáo",
                "Số nội dung phải báo cáo",
                "Hạn gửi",
                "Tình trạng",
            ]
            .map(String::from)
            .to_vec(),
            rows,
        });
    }
    if owed.has_due_soon() {
        heading(&mut blocks, "Nội dung sắp đến hạn");
        let mut items: Vec<Vec<Inline>> = owed
            .tasks_due_soon
            .iter()
            .map(|t| {
                vec![text(format!(
                    "Nhiệm vụ {}. {} (thời hạn: {}; hạn {}, còn {} ngày);",
                    t.task.number,
                    t.task.title,
                    t.task.deadline.text,
                    format::date(t.due),
                    t.days
                ))]
            })
            .collect();
        items.extend(owed.items_due_soon.iter().map(|m| {
            vec![text(format!(
                "{} (thời hạn: {}; hạn {}, còn {} ngày);",
                m.requirement.title,
                m.requirement.deadline.text,
                format::date(m.due),
                m.days
            ))]
        }));
        items.extend(owed.report_due_soon.iter().map(|r| {
            vec![text(format!(
                "Báo cáo {} (hạn gửi {});",
                r.period.label_vi(),
                format::date(r.due)
            ))]
        }));
        blocks.push(Block::Bullets(items));
    }
    blocks.push(Block::Paragraph(vec![text(format!(
        "{} đề nghị {} khẩn trương chỉ đạo hoàn thành các nội dung nêu trên, cập nhật kết quả và gửi báo cáo trên hệ thống theo dõi tiến độ trước ngày {}.",
        head.issuer,
        agency,
        format::date(request.reply_by)
    ))]));
    blocks.push(Block::Paragraph(vec![text("Trân trọng.")]));
    Document {
        title: format!("Công văn đôn đốc {} – {}", owed.agency.name, programme.name),
        dates: format!(
            "tính đến ngày {}, theo số liệu nhận đến ngày {}",
            format::date(request.as_of),
            format::date(request.known_on)
        ),
        letterhead: Some(head),
        blocks,
    }
}

/// The letter with "Kính gửi" as its first paragraph, for the formats that have no
/// official layout (Markdown, HTML); DOCX and PDF print it from the settings' addressees.
pub fn addressed(doc: &Document, addressee: &str) -> Document {
    let mut out = doc.clone();
    out.blocks.insert(
        0,
        Block::Paragraph(vec![
            Inline::Bold("Kính gửi:".into()),
            text(format!(" {}.", addressee.trim_end_matches('.'))),
        ]),
    );
    out
}
