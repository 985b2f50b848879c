//! The concepts of the domain (see `DOMAIN.md` §2). Plain data: the rules that compute
//! with them live in their own modules.
//!
//! Every record has a stable `id` chosen by whoever prepares the data. An agency's `id`
//! is its identity across time; its `code` is the official code, which may be reused by a
//! different unit in another era (province code 15 was Yên Bái until 30/6/2025 and is Lào
//! Cai after), so records never refer to agencies by code.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::deadline::Deadline;
use crate::period::{Period, ReportingRegime};

/// Where a record came from: a seed file and its place in it, a person, a system.
/// Free text, e.g. `000_4feef377f0e2dc96.txt §I.9.b Phụ lục, dòng 4`.
pub type Provenance = String;

macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The code used in files and the database.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
            /// All codes, for error messages.
            pub fn codes() -> String {
                Self::ALL.iter().map(|v| v.code()).collect::<Vec<_>>().join(", ")
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                Self::ALL.iter().copied().find(|v| v.code() == s)
                    .ok_or_else(|| format!("giá trị \"{}\" không hợp lệ (dùng một trong: {})", s, Self::codes()))
            }
        }
    };
}
pub(crate) use code_enum;

code_enum! {
    /// What kind of body an agency is.
    AgencyKind {
        Ministry = "ministry",
        MinisterialAgency = "ministerial_agency",
        GovernmentAgency = "government_agency",
        Province = "province",
        OtherStateBody = "other_state_body",
        Organisation = "organisation",
        StateEnterprise = "state_enterprise",
        WorkingGroup = "working_group",
    }
}

impl AgencyKind {
    /// A ministry, ministerial-level agency or government agency (bộ, ngành), as opposed
    /// to a province and to other bodies.
    pub fn is_ministry_level(self) -> bool {
        matches!(
            self,
            AgencyKind::Ministry | AgencyKind::MinisterialAgency | AgencyKind::GovernmentAgency
        )
    }
}

code_enum! {
    /// How sure we are of a reference record.
    Confidence { Official = "official", NotConfirmed = "not_confirmed" }
}

code_enum! {
    /// How an agency relates to its successor after a reorganisation.
    LineageKind {
        MergedInto = "merged_into",
        SplitInto = "split_into",
        Renamed = "renamed",
        MovedUnder = "moved_under",
    }
}

code_enum! {
    /// How an indicator's values are restated to another structure (see
    /// [`crate::structure`]). Empty in the data: follow the aggregation
    /// ([`Indicator::restatement_rule`]).
    IndicatorRestatement {
        /// Values of merged units add up (counts, amounts).
        Sum = "sum",
        /// Numerators and denominators of merged units add up; the rate is recomputed.
        Ratio = "ratio",
        /// The unweighted mean of the merged units' values, marked as an estimate.
        Mean = "mean",
        /// Never restated: shown as not restatable.
        NotRestatable = "none",
    }
}

code_enum! {
    /// How a checklist requirement is restated when units merge (see [`crate::structure`]).
    ChecklistRestatement {
        /// Done only when every predecessor that had to do it had done it.
        All = "all",
        /// Done when at least one predecessor had done it.
        Any = "any",
        /// Never restated: shown as not restatable.
        NotRestatable = "none",
    }
}

code_enum! {
    /// The type of a legal document.
    LegalDocumentKind {
        Decision = "QĐ",
        Directive = "CT",
        Resolution = "NQ",
        Notice = "TB",
        OfficialLetter = "CV",
        Decree = "NĐ",
        Circular = "TT",
        Report = "BC",
        Law = "Luật",
        Plan = "KH",
    }
}

code_enum! {
    /// Which way is better for an indicator.
    Direction { HigherIsBetter = "higher", LowerIsBetter = "lower" }
}

code_enum! {
    /// How an indicator's agency values combine into a group or national value.
    Aggregation {
        /// Add the values (counts, amounts).
        Sum = "sum",
        /// Sum the numerators and the denominators, then divide.
        Ratio = "ratio",
        /// The plain mean of the agencies' values.
        Mean = "mean",
        /// The most recent value (national figures reported as a whole).
        Latest = "latest",
    }
}

code_enum! {
    /// Who may report an indicator's values.
    IndicatorScope {
        /// One national figure, entered by the secretariat.
        National = "national",
        /// Each agency of the indicator's groups (all agencies when none are named)
        /// declares its own value; the national value is their aggregate or the
        /// secretariat's.
        Agencies = "agencies",
        /// Computed from dossier events; never typed.
        Measured = "measured",
    }
}

impl IndicatorScope {
    /// The scope of an indicator whose data does not say: a figure reported as a whole
    /// (aggregation `latest`) is national, any other is declared by agencies.
    pub fn default_for(aggregation: Aggregation) -> IndicatorScope {
        if aggregation == Aggregation::Latest {
            IndicatorScope::National
        } else {
            IndicatorScope::Agencies
        }
    }
}

code_enum! {
    /// The comparison a target asks for.
    Operator { AtLeast = ">=", Exactly = "=", AtMost = "<=" }
}

code_enum! {
    /// Where an observed value comes from.
    SourceKind {
        Declared = "declared",
        Measured = "measured",
        Imported = "imported",
        Estimated = "estimated",
    }
}

code_enum! {
    /// The status an agency reported for a task in a period. The status shown in reports
    /// is derived from dates (see [`crate::status`]); this is what was said.
    ReportedStatus {
        Done = "done",
        InProgress = "in_progress",
        NotStarted = "not_started",
        NotApplicable = "not_applicable",
    }
}

impl ReportedStatus {
    /// The status in the words every way of entering it offers (the form, the API's
    /// answers, the Excel template's list).
    pub const fn label_vi(self) -> &'static str {
        match self {
            ReportedStatus::Done => "Hoàn thành",
            ReportedStatus::InProgress => "Đang thực hiện",
            ReportedStatus::NotStarted => "Chưa triển khai",
            ReportedStatus::NotApplicable => "Không còn áp dụng",
        }
    }

    pub const fn label_en(self) -> &'static str {
        match self {
            ReportedStatus::Done => "Done",
            ReportedStatus::InProgress => "In progress",
            ReportedStatus::NotStarted => "Not started",
            ReportedStatus::NotApplicable => "No longer applicable",
        }
    }
}

code_enum! {
    /// The classification of a target's progress (DOMAIN §3).
    TargetClass {
        Achieved = "achieved",
        Likely = "likely",
        NeedsEffort = "needs_effort",
    }
}

/// A ministry, agency, province or other body, valid over a span of dates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agency {
    pub id: String,
    /// The official code in its era; may be reused by another unit in another era.
    pub code: String,
    pub name: String,
    /// The name used in running text and tables ("Bộ TT&TT", "An Giang").
    pub short_name: String,
    pub kind: AgencyKind,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    /// Order in lists: ministries in the official order, then provinces by code.
    pub sort_order: i64,
    pub confidence: Confidence,
    pub note: String,
    pub provenance: Provenance,
}

impl Agency {
    /// Whether the agency exists on a date.
    pub fn valid_on(&self, date: NaiveDate) -> bool {
        self.valid_from.is_none_or(|f| f <= date) && self.valid_to.is_none_or(|t| date <= t)
    }
}

/// A set of agencies used as a denominator ("bộ, cơ quan ngang bộ", "địa phương").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgencyGroup {
    pub id: String,
    /// As in running text: "bộ, cơ quan ngang bộ".
    pub name: String,
    /// The noun after "x/N" in reports: "bộ, ngành", "địa phương".
    pub counted_as: String,
    pub provenance: Provenance,
}

/// An agency's membership of a group over a span of dates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupMembership {
    pub group_id: String,
    pub agency_id: String,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    pub provenance: Provenance,
}

impl GroupMembership {
    pub fn valid_on(&self, date: NaiveDate) -> bool {
        self.valid_from.is_none_or(|f| f <= date) && self.valid_to.is_none_or(|t| date <= t)
    }
}

/// A lineage edge: `from` became (part of) `to` on `effective`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineageEdge {
    pub from_agency: String,
    pub to_agency: String,
    pub kind: LineageKind,
    pub effective: NaiveDate,
    /// For splits: the functions that moved to `to`.
    pub functions: String,
    /// For splits where a number must be apportioned: the share that moved (0–1).
    pub share: Option<f64>,
    /// For splits: this successor continues the predecessor's role and takes over the
    /// tasks it led. Merges, renames and moves pass tasks on without it.
    pub principal: bool,
    pub confidence: Confidence,
    pub provenance: Provenance,
}

/// A legal document cited as the basis of a programme, task or indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LegalDocument {
    pub id: String,
    pub kind: LegalDocumentKind,
    /// Number and symbol: "942/QĐ-TTg".
    pub number: String,
    pub date: Option<NaiveDate>,
    pub issuer: String,
    pub title: String,
    pub provenance: Provenance,
}

/// A programme (chương trình, kế hoạch, đề án, chiến lược).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Programme {
    pub id: String,
    /// A programme reported as part of a wider one (the 2024 plan within the national
    /// programme's monthly report). Reports on a programme include its sub-programmes.
    pub parent_id: Option<String>,
    pub name: String,
    pub short_name: String,
    /// Ids of legal documents.
    pub legal_basis: Vec<String>,
    pub owner_agency: String,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub regime: ReportingRegime,
    pub provenance: Provenance,
}

/// An indicator (chỉ tiêu).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub id: String,
    pub programme_id: String,
    /// As numbered in the programme: "1.1".
    pub code: String,
    /// The heading or theme it sits under.
    pub heading: String,
    pub name: String,
    /// "%", "count", "VND", or a unit noun ("dịch vụ", "điểm").
    pub unit: String,
    pub direction: Direction,
    pub aggregation: Aggregation,
    /// How values are restated to another structure; `None` follows the aggregation.
    pub restatement: Option<IndicatorRestatement>,
    /// Who may report it.
    pub scope: IndicatorScope,
    /// For [`IndicatorScope::Agencies`]: the groups whose members report it (empty: any
    /// agency).
    pub scope_groups: Vec<String>,
    pub provenance: Provenance,
}

impl Indicator {
    /// A count ("count"): values are whole numbers.
    pub fn is_count(&self) -> bool {
        self.unit == "count"
    }

    /// Why a value cannot be this indicator's, if it cannot: a negative or fractional
    /// count, a percentage outside 0–100, a numerator above its denominator for a rate,
    /// a negative numerator or denominator.
    pub fn value_problem(
        &self,
        value: f64,
        numerator: Option<f64>,
        denominator: Option<f64>,
    ) -> Option<(&'static str, String)> {
        if self.is_count() && (value < 0.0 || value.fract() != 0.0) {
            return Some((
                "value",
                format!("{value} không hợp lệ: chỉ tiêu đếm số lượng cần số nguyên không âm"),
            ));
        }
        if self.is_rate() && !(0.0..=100.0).contains(&value) {
            return Some((
                "value",
                format!("{value} không hợp lệ: tỷ lệ phần trăm phải từ 0 đến 100"),
            ));
        }
        if numerator.is_some_and(|n| n < 0.0) || denominator.is_some_and(|d| d < 0.0) {
            return Some(("numerator", "tử số, mẫu số không được âm".to_string()));
        }
        if let (Some(n), Some(d)) = (numerator, denominator)
            && self.is_rate()
            && n > d
        {
            return Some(("numerator", format!("tử số {n} lớn hơn mẫu số {d}")));
        }
        None
    }

    /// Why an agency (None: the nation) may not report this indicator's value from a
    /// source, if it may not. Values measured from events are the system's own, whatever
    /// the scope.
    pub fn scope_problem(
        &self,
        data: &Dataset,
        agency_id: Option<&str>,
        source: SourceKind,
        on: NaiveDate,
    ) -> Option<String> {
        match (self.scope, agency_id) {
            (IndicatorScope::Measured, _) if source != SourceKind::Measured => Some(format!(
                "chỉ tiêu “{}” được đo lường tự động từ dữ liệu hồ sơ; không nhập tay",
                self.name
            )),
            (_, _) if source == SourceKind::Measured => None,
            (IndicatorScope::National, Some(_)) => Some(format!(
                "chỉ tiêu “{}” là số liệu toàn quốc do cơ quan tổng hợp báo cáo; cơ quan, địa phương không báo cáo chỉ tiêu này",
                self.name
            )),
            (IndicatorScope::Agencies, Some(agency)) if !self.scope_groups.is_empty() => {
                let member = self
                    .scope_groups
                    .iter()
                    .any(|g| data.members_on(g, on).iter().any(|a| a.id == agency));
                (!member).then(|| {
                    let groups: Vec<String> = self
                        .scope_groups
                        .iter()
                        .map(|g| data.group(g).map_or_else(|| g.clone(), |g| g.name.clone()))
                        .collect();
                    format!(
                        "chỉ tiêu “{}” do {} báo cáo; {agency} không thuộc các nhóm này",
                        self.name,
                        groups.join("; ")
                    )
                })
            }
            _ => None,
        }
    }

    pub fn is_rate(&self) -> bool {
        self.unit == "%"
    }

    /// The restatement rule that applies: the indicator's own, or by its aggregation
    /// (sum → sum, ratio → ratio, mean and latest → not restatable: a mean of rates or
    /// a national figure cannot be recombined by unit).
    pub fn restatement_rule(&self) -> IndicatorRestatement {
        self.restatement.unwrap_or(match self.aggregation {
            Aggregation::Sum => IndicatorRestatement::Sum,
            Aggregation::Ratio => IndicatorRestatement::Ratio,
            Aggregation::Mean | Aggregation::Latest => IndicatorRestatement::NotRestatable,
        })
    }
}

/// A target (mục tiêu) for an indicator, nationally or for one agency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub id: String,
    pub indicator_id: String,
    pub agency_id: Option<String>,
    pub operator: Operator,
    pub value: f64,
    pub deadline: Deadline,
    pub provenance: Provenance,
}

/// A value of an indicator for an agency (or the nation when `agency_id` is None) and a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub indicator_id: String,
    pub agency_id: Option<String>,
    pub period: Period,
    pub value: f64,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub source: SourceKind,
    /// What the records can also compute that this figure states, to be compared
    /// ([`crate::check`]): see [`Stated`].
    pub states: Option<Stated>,
    pub note: String,
    pub provenance: Provenance,
}

/// A figure that the records can also compute: the link that lets a stated figure be
/// checked against them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stated {
    /// "x/N" (numerator and denominator, or the value as x) of a checklist requirement:
    /// `checklist:<requirement id>`.
    Checklist(String),
    /// The number of tasks of a programme done: `tasks_done:<programme id>`.
    TasksDone(String),
    /// A national value that is the aggregate of the agencies' values of the same
    /// indicator, period and source: `agencies`.
    AgencyAggregate,
}

impl Stated {
    pub fn code(&self) -> String {
        match self {
            Stated::Checklist(id) => format!("checklist:{id}"),
            Stated::TasksDone(id) => format!("tasks_done:{id}"),
            Stated::AgencyAggregate => "agencies".to_string(),
        }
    }
}

impl std::str::FromStr for Stated {
    type Err = String;
    fn from_str(s: &str) -> Result<Stated, String> {
        match s.split_once(':') {
            Some(("checklist", id)) if !id.is_empty() => Ok(Stated::Checklist(id.to_string())),
            Some(("tasks_done", id)) if !id.is_empty() => Ok(Stated::TasksDone(id.to_string())),
            None if s == "agencies" => Ok(Stated::AgencyAggregate),
            _ => Err(format!(
                "\"{s}\" không hợp lệ (dùng checklist:<mã yêu cầu>, tasks_done:<mã chương trình> hoặc agencies)"
            )),
        }
    }
}

/// Who a task is assigned to: one agency, or each member of an agency group (valid on
/// the task's due date, less the task's exclusions).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Assignee {
    Agency(String),
    Group(String),
}

code_enum! {
    /// An assignee's part in a task.
    AssignmentRole {
        /// Chủ trì: leads the task.
        Lead = "lead",
        /// Đồng chủ trì: leads it together with the other joint leads; each counts the
        /// task as its own.
        JointLead = "joint_lead",
        /// Phối hợp: helps; not counted for the task's status unless marked required.
        Coordinating = "coordinating",
    }
}

code_enum! {
    /// When a task with several required assignees counts as done.
    DoneRule {
        /// When every required assignee has done its part (the default).
        All = "all",
        /// When any one of them has ("một trong các cơ quan").
        Any = "any",
    }
}

/// One assignee's part in a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub assignee: Assignee,
    pub role: AssignmentRole,
    /// Whether the task's status waits for this assignee: leads and joint leads always,
    /// coordinating agencies only when so marked.
    pub required: bool,
    pub provenance: Provenance,
}

/// A task (nhiệm vụ).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    pub id: String,
    pub programme_id: String,
    /// The number in the programme's list or the report's appendix.
    pub number: String,
    pub title: String,
    /// Who must do it and who helps, as given on the task's own record (leads first);
    /// further assignments are [`Dataset::task_assignments`]: all of them together are
    /// [`Dataset::assignments_of`].
    pub assignments: Vec<Assignment>,
    pub done_rule: DoneRule,
    pub deadline: Deadline,
    /// Ids of legal documents.
    pub legal_basis: Vec<String>,
    pub provenance: Provenance,
}

/// An assignment given as a record of its own (a joint lead, a required coordinating
/// agency, an assignment with its own source).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskAssignment {
    pub task_id: String,
    pub assignment: Assignment,
}

/// An agency left out of the denominator of a task or checklist requirement addressed to
/// its group, with the reason the report's footnote gives ("trừ Văn phòng Chính phủ,
/// không có hệ thống giải quyết TTHC").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exclusion {
    /// The task or checklist requirement.
    pub subject_id: String,
    pub agency_id: String,
    pub reason: String,
    pub provenance: Provenance,
}

/// What one assignee reported about its part of a task for a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssignmentUpdate {
    pub task_id: String,
    pub agency_id: String,
    pub period: Period,
    /// The date the report states its information as of.
    pub reported_on: NaiveDate,
    pub status: ReportedStatus,
    pub completed_on: Option<NaiveDate>,
    pub result: String,
    pub provenance: Provenance,
}

/// What was reported about a task for a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskUpdate {
    pub task_id: String,
    pub period: Period,
    /// The date the report states its information as of.
    pub reported_on: NaiveDate,
    pub status: ReportedStatus,
    pub completed_on: Option<NaiveDate>,
    pub result: String,
    pub provenance: Provenance,
}

/// Something every agency of one or more groups must do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChecklistRequirement {
    pub id: String,
    pub programme_id: String,
    pub title: String,
    pub group_ids: Vec<String>,
    pub deadline: Deadline,
    /// How results are restated when units merge; `None` is [`ChecklistRestatement::All`].
    pub restatement: Option<ChecklistRestatement>,
    pub provenance: Provenance,
}

impl ChecklistRequirement {
    /// The restatement rule that applies (default: done only when all predecessors had done it).
    pub fn restatement_rule(&self) -> ChecklistRestatement {
        self.restatement.unwrap_or(ChecklistRestatement::All)
    }
}

/// One agency's answer to a checklist requirement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChecklistItem {
    pub requirement_id: String,
    pub agency_id: String,
    pub done: bool,
    /// When it was done, if known.
    pub done_on: Option<NaiveDate>,
    /// The date the information was reported as of; a done item with no `done_on`
    /// counts as done from this date.
    pub reported_on: NaiveDate,
    pub evidence: String,
    pub provenance: Provenance,
}

/// A person's classification of a target at a period, overriding the computed one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetAssessment {
    pub target_id: String,
    pub period: Period,
    pub class: TargetClass,
    pub reason: String,
    pub assessed_by: String,
    pub provenance: Provenance,
}

/// Everything the system knows, as plain records.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    pub agencies: Vec<Agency>,
    pub agency_groups: Vec<AgencyGroup>,
    pub group_memberships: Vec<GroupMembership>,
    pub lineage: Vec<LineageEdge>,
    pub legal_documents: Vec<LegalDocument>,
    pub programmes: Vec<Programme>,
    pub indicators: Vec<Indicator>,
    pub targets: Vec<Target>,
    pub observations: Vec<Observation>,
    pub tasks: Vec<Task>,
    pub task_updates: Vec<TaskUpdate>,
    pub checklist_requirements: Vec<ChecklistRequirement>,
    pub checklist_items: Vec<ChecklistItem>,
    pub target_assessments: Vec<TargetAssessment>,
    pub task_assignments: Vec<TaskAssignment>,
    pub exclusions: Vec<Exclusion>,
    pub assignment_updates: Vec<AssignmentUpdate>,
    /// Stored records the loader could not read (a value out of range, written before
    /// the rule that refuses it): left out of every figure and listed by `tiendo check`,
    /// so that one bad record never stops the rest of the data from loading.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unreadable: Vec<UnreadableRecord>,
    /// The periods open for entry (opened and not locked), by programme: their drafts are
    /// still arriving, so no page opens on them by default ([`crate::clock`]). Kept by the
    /// store beside the records, not part of the exchange format.
    #[serde(skip)]
    pub open_periods: Vec<(String, crate::period::Period)>,
}

/// A stored record left out of the data because one of its fields cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnreadableRecord {
    /// The table (`task_updates`).
    pub entity: String,
    /// The record's key columns joined by `|`.
    pub key: String,
    pub field: String,
    pub reason: String,
}

impl Dataset {
    pub fn agency(&self, id: &str) -> Option<&Agency> {
        self.agencies.iter().find(|a| a.id == id)
    }

    pub fn group(&self, id: &str) -> Option<&AgencyGroup> {
        self.agency_groups.iter().find(|g| g.id == id)
    }

    pub fn programme(&self, id: &str) -> Option<&Programme> {
        self.programmes.iter().find(|p| p.id == id)
    }

    /// A programme followed by its sub-programmes, depth first by level.
    pub fn programme_family(&self, root: &str) -> Vec<&Programme> {
        let mut out: Vec<&Programme> = self.programme(root).into_iter().collect();
        let mut i = 0;
        while i < out.len() {
            let id = out[i].id.as_str();
            out.extend(
                self.programmes
                    .iter()
                    .filter(|p| p.parent_id.as_deref() == Some(id)),
            );
            i += 1;
        }
        out
    }

    pub fn legal_document(&self, id: &str) -> Option<&LegalDocument> {
        self.legal_documents.iter().find(|d| d.id == id)
    }

    /// The members of a group on a date, in the stable list order (sort order, then code).
    pub fn members_on(&self, group_id: &str, date: NaiveDate) -> Vec<&Agency> {
        let mut members: Vec<&Agency> = self
            .group_memberships
            .iter()
            .filter(|m| m.group_id == group_id && m.valid_on(date))
            .filter_map(|m| self.agency(&m.agency_id))
            .filter(|a| a.valid_on(date))
            .collect();
        members.sort_by(|a, b| agency_order(a, b));
        members.dedup_by(|a, b| a.id == b.id);
        members
    }

    /// The display name of an assignee: the agency's short name or the group's name.
    pub fn assignee_name(&self, assignee: &Assignee) -> String {
        match assignee {
            Assignee::Agency(id) => self
                .agency(id)
                .map_or_else(|| id.clone(), |a| a.short_name.clone()),
            Assignee::Group(id) => self
                .group(id)
                .map_or_else(|| id.clone(), |g| g.name.clone()),
        }
    }

    /// The names of several assignees as the reports write them: "Bộ Công an; TANDTC".
    pub fn assignee_names<'a>(&self, assignees: impl IntoIterator<Item = &'a Assignee>) -> String {
        assignees
            .into_iter()
            .map(|a| self.assignee_name(a))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Every assignment of a task: those on its own record, then those given as records
    /// of their own (which replace one on the task's record for the same assignee).
    pub fn assignments_of(&self, task: &Task) -> Vec<Assignment> {
        let extra: Vec<&Assignment> = self
            .task_assignments
            .iter()
            .filter(|a| a.task_id == task.id)
            .map(|a| &a.assignment)
            .collect();
        let mut all: Vec<Assignment> = task
            .assignments
            .iter()
            .filter(|a| extra.iter().all(|e| e.assignee != a.assignee))
            .cloned()
            .collect();
        all.extend(extra.into_iter().cloned());
        all.sort_by_key(|a| a.role);
        all
    }

    /// The leads and joint leads of a task, leads first.
    pub fn leads_of(&self, task: &Task) -> Vec<Assignee> {
        self.assignments_of(task)
            .into_iter()
            .filter(|a| a.role != AssignmentRole::Coordinating)
            .map(|a| a.assignee)
            .collect()
    }

    /// The coordinating agencies and groups of a task.
    pub fn coordinating_of(&self, task: &Task) -> Vec<Assignee> {
        self.assignments_of(task)
            .into_iter()
            .filter(|a| a.role == AssignmentRole::Coordinating)
            .map(|a| a.assignee)
            .collect()
    }

    /// The exclusions of a task or checklist requirement.
    pub fn exclusions_of<'a>(
        &'a self,
        subject_id: &'a str,
    ) -> impl Iterator<Item = &'a Exclusion> + 'a {
        self.exclusions
            .iter()
            .filter(move |e| e.subject_id == subject_id)
    }

    /// The latest update of each task valid at `as_of` ([`crate::clock::valid_on`]): of the
    /// reports that count by then, the one made last.
    pub fn latest_updates(&self, as_of: NaiveDate) -> BTreeMap<&str, &TaskUpdate> {
        let regimes = self.task_regimes();
        let mut latest: BTreeMap<&str, &TaskUpdate> = BTreeMap::new();
        for u in self.task_updates.iter() {
            let regime = regimes.get(u.task_id.as_str()).copied().unwrap_or_default();
            if crate::clock::valid_on(u.period, regime, u.reported_on, u.status, u.completed_on)
                > as_of
            {
                continue;
            }
            let newer = latest
                .get(u.task_id.as_str())
                .is_none_or(|prev| (prev.reported_on, prev.period) <= (u.reported_on, u.period));
            if newer {
                latest.insert(&u.task_id, u);
            }
        }
        latest
    }

    /// The top-level programme a programme belongs to (itself when it has no parent).
    pub fn root_programme(&self, id: &str) -> Option<&Programme> {
        let mut programme = self.programme(id)?;
        for _ in 0..self.programmes.len() {
            match programme
                .parent_id
                .as_deref()
                .and_then(|parent| self.programme(parent))
            {
                Some(parent) => programme = parent,
                None => break,
            }
        }
        Some(programme)
    }

    /// The reporting regime of each task's programme.
    pub fn task_regimes(&self) -> BTreeMap<&str, crate::period::ReportingRegime> {
        self.tasks
            .iter()
            .map(|t| {
                (
                    t.id.as_str(),
                    self.programme(&t.programme_id)
                        .map(|p| p.regime)
                        .unwrap_or_default(),
                )
            })
            .collect()
    }
}

/// The documented order of agencies in every list: by `sort_order` (ministries in the
/// official order, then provinces by code), then by code, then by id.
pub fn agency_order(a: &Agency, b: &Agency) -> std::cmp::Ordering {
    (a.sort_order, &a.code, &a.id).cmp(&(b.sort_order, &b.code, &b.id))
}
