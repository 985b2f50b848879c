//! A group's page: its members on a date, and the tasks given to the group as a whole
//! with each member's part.

use chrono::NaiveDate;
use serde::Serialize;
use tiendo_core::model::{Assignee, Dataset};
use tiendo_core::{clock, format, status};
use utoipa::ToSchema;

use super::{TaskRow, status_code, task_row};
use crate::i18n::Lang;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupPage {
    pub id: String,
    pub name: String,
    /// The noun after "x/N": "bộ, ngành", "địa phương".
    pub counted_as: String,
    /// The date of the members listed.
    pub date: String,
    pub members: Vec<GroupMember>,
    pub tasks: Vec<GroupTask>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupMember {
    pub agency_id: String,
    pub name: String,
}

/// A task given to the group, with each member's part.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupTask {
    pub task: TaskRow,
    pub parts: Vec<MemberPart>,
}

/// A member's own status in a task given to the group.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberPart {
    pub agency_id: String,
    pub name: String,
    pub status: String,
    pub status_text: String,
}

/// The group's page: members on `date` (default: the latest date its tasks are seen at,
/// else today), tasks at each programme's dates (or `date` when given).
pub fn group_page(
    data: &Dataset,
    id: &str,
    date: Option<NaiveDate>,
    lang: Lang,
) -> Option<GroupPage> {
    let group = data.group(id)?;
    let today = clock::today_in_vietnam();
    let given: Vec<&str> = data
        .tasks
        .iter()
        .filter(|t| {
            t.assignments
                .iter()
                .any(|a| a.assignee == Assignee::Group(id.to_string()))
        })
        .map(|t| t.programme_id.as_str())
        .collect();
    let views = status::task_views_dated(data, &given, date, today);
    let tasks = views
        .iter()
        .filter(|v| {
            v.task
                .assignments
                .iter()
                .any(|a| a.assignee == Assignee::Group(id.to_string()))
        })
        .map(|v| GroupTask {
            task: task_row(data, v, lang),
            parts: v
                .assignees
                .iter()
                .filter(|a| a.assignee.via_group.as_deref() == Some(id))
                .map(|a| MemberPart {
                    name: data
                        .agency(&a.assignee.agency_id)
                        .map_or_else(|| a.assignee.agency_id.clone(), |g| g.name.clone()),
                    agency_id: a.assignee.agency_id.clone(),
                    status: status_code(a.status).to_string(),
                    status_text: lang
                        .pick(a.status.label_vi(), a.status.label_en())
                        .to_string(),
                })
                .collect(),
        })
        .collect();
    // The members as the tasks see them: on the date asked, else on the latest date the
    // tasks are seen at (a 2024 plan's group as it was in 2024), else today.
    let on = date
        .or_else(|| views.iter().map(|v| v.as_of).max())
        .unwrap_or(today);
    Some(GroupPage {
        id: group.id.clone(),
        name: group.name.clone(),
        counted_as: group.counted_as.clone(),
        date: format::date(on),
        members: data
            .members_on(id, on)
            .into_iter()
            .map(|a| GroupMember {
                agency_id: a.id.clone(),
                name: a.name.clone(),
            })
            .collect(),
        tasks,
    })
}
