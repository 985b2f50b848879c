//! The interface language: Vietnamese by default, English on request (a `lang` cookie set
//! from the language switch, or `?lang=en`). Labels live in one table, [`LABELS`].

pub use tiendo_core::lang::Lang;

/// The interface's words in a language: labels, stored codes and coded values.
pub trait Labels {
    /// The label for a key, or the key itself when it has none (so a missing label shows).
    fn label(self, key: &str) -> &str;
    /// A stored code in words: a table, a column, or a coded value (status, source,
    /// action); the code itself when it has none.
    fn word(self, code: &str) -> &str;
    /// A stored value of a coded column in words: a status, a source, yes or no.
    fn value_word<'a>(self, column: &str, value: &'a str) -> &'a str;
}

impl Labels for Lang {
    fn label(self, key: &str) -> &str {
        LABELS
            .iter()
            .find(|(k, _, _)| *k == key)
            .map_or(key, |(_, vi, en)| self.pick(vi, en))
    }

    fn word(self, code: &str) -> &str {
        WORDS
            .iter()
            .find(|(k, _, _)| *k == code)
            .map_or(code, |(_, vi, en)| self.pick(vi, en))
    }

    fn value_word<'a>(self, column: &str, value: &'a str) -> &'a str {
        match (column, value) {
            ("status", "done") => self.pick("hoàn thành", "done"),
            _ if CODED_COLUMNS.contains(&column) => self.word(value),
            _ => value,
        }
    }
}

/// The columns whose values are codes to put in words in the journal.
pub const CODED_COLUMNS: [&str; 7] = [
    "status", "source", "role", "done", "locked", "active", "required",
];

/// Stored codes in words: (code, Vietnamese, English).
const WORDS: &[(&str, &str, &str)] = &[
    ("agencies", "Cơ quan", "Agency"),
    ("programmes", "Chương trình", "Programme"),
    ("indicators", "Chỉ tiêu", "Indicator"),
    ("targets", "Mục tiêu", "Target"),
    ("observations", "Số liệu chỉ tiêu", "Indicator value"),
    ("tasks", "Nhiệm vụ", "Task"),
    ("task_assignments", "Phân công nhiệm vụ", "Task assignment"),
    ("task_updates", "Báo cáo tình hình nhiệm vụ", "Task report"),
    (
        "assignment_updates",
        "Báo cáo phần việc của cơ quan",
        "Assignee's report",
    ),
    ("checklist_requirements", "Yêu cầu", "Requirement"),
    (
        "checklist_items",
        "Kết quả thực hiện yêu cầu",
        "Requirement result",
    ),
    ("submissions", "Báo cáo của cơ quan", "Agency submission"),
    ("submission_items", "Số liệu chờ duyệt", "Staged entry"),
    ("period_locks", "Khóa kỳ báo cáo", "Period lock"),
    ("editions", "Bản báo cáo ban hành", "Issued edition"),
    ("insert", "thêm", "added"),
    ("update", "sửa", "changed"),
    ("status", "trạng thái", "status"),
    ("result", "kết quả", "result"),
    ("completed_on", "ngày hoàn thành", "completed on"),
    ("reported_on", "ngày báo cáo", "reported on"),
    ("period", "kỳ", "period"),
    ("value", "giá trị", "value"),
    ("numerator", "tử số", "numerator"),
    ("denominator", "mẫu số", "denominator"),
    ("source", "nguồn số liệu", "source"),
    ("note", "ghi chú", "note"),
    ("provenance", "xuất xứ", "provenance"),
    ("done", "đã thực hiện", "done"),
    ("done_on", "ngày thực hiện", "done on"),
    ("evidence", "minh chứng", "evidence"),
    ("title", "tên", "title"),
    ("name", "tên", "name"),
    ("deadline", "thời hạn", "deadline"),
    ("due_date", "ngày đến hạn", "due date"),
    ("review_comment", "ý kiến duyệt", "review comment"),
    ("in_progress", "đang thực hiện", "in progress"),
    ("not_started", "chưa triển khai", "not started"),
    (
        "not_applicable",
        "không còn áp dụng",
        "no longer applicable",
    ),
    ("declared", "số liệu báo cáo", "declared"),
    ("measured", "số liệu đo lường", "measured"),
    ("imported", "nhập từ hệ thống khác", "imported"),
    ("estimated", "ước tính", "estimated"),
    ("submitted", "đã gửi", "submitted"),
    ("accepted", "đã chấp nhận", "accepted"),
    ("returned", "trả lại", "returned"),
    ("draft", "đang soạn", "draft"),
    ("true", "có", "yes"),
    ("false", "không", "no"),
];

/// Interface labels: (key, Vietnamese, English).
pub const LABELS: &[(&str, &str, &str)] = &[
    (
        "app",
        "Theo dõi tiến độ chuyển đổi số",
        "Digital transformation progress",
    ),
    ("overview", "Tổng quan", "Overview"),
    ("tasks", "Nhiệm vụ", "Tasks"),
    ("indicators", "Chỉ tiêu", "Indicators"),
    ("agencies", "Cơ quan", "Agencies"),
    ("reports", "Báo cáo", "Reports"),
    ("measured", "Đo lường", "Measured"),
    ("entry", "Nhập số liệu", "Data entry"),
    ("review", "Duyệt báo cáo", "Review"),
    ("accounts", "Tài khoản", "Accounts"),
    ("login", "Đăng nhập", "Sign in"),
    ("logout", "Đăng xuất", "Sign out"),
    ("username", "Tên đăng nhập", "Username"),
    ("password", "Mật khẩu", "Password"),
    ("programme", "Chương trình", "Programme"),
    ("indicator", "Chỉ tiêu", "Indicator"),
    ("target", "Mục tiêu", "Target"),
    ("value", "Giá trị", "Value"),
    ("attainment", "Mức đạt", "Attainment"),
    (
        "change",
        "Thay đổi so với kỳ trước",
        "Change since previous period",
    ),
    ("period", "Kỳ", "Period"),
    ("status", "Trạng thái", "Status"),
    ("lead", "Cơ quan chủ trì", "Lead agency"),
    ("deadline", "Thời hạn", "Deadline"),
    ("due", "Hạn", "Due"),
    ("days_late", "Số ngày chậm", "Days late"),
    ("result", "Kết quả", "Result"),
    ("history", "Lịch sử thay đổi", "Change history"),
    ("done", "Hoàn thành", "Done"),
    ("overdue", "Quá hạn", "Overdue"),
    ("in_progress", "Đang thực hiện", "In progress"),
    ("total", "Tổng số", "Total"),
    (
        "checklists",
        "Yêu cầu đối với bộ, ngành, địa phương",
        "Requirements for ministries and provinces",
    ),
    (
        "overdue_cohorts",
        "Nhiệm vụ chậm theo tháng đến hạn",
        "Overdue tasks by month due",
    ),
    ("filter", "Lọc", "Filter"),
    ("all", "Tất cả", "All"),
    ("save", "Lưu", "Save"),
    ("submit", "Gửi báo cáo", "Submit"),
    ("accept", "Chấp nhận", "Accept"),
    ("return", "Trả lại", "Return"),
    ("comment", "Ý kiến", "Comment"),
    ("reason", "Lý do", "Reason"),
    ("lock", "Khóa kỳ", "Lock period"),
    ("reopen", "Mở lại kỳ", "Reopen period"),
    ("when", "Thời điểm", "When"),
    ("who", "Người thực hiện", "Who"),
    ("before", "Trước", "Before"),
    ("after", "Sau", "After"),
    ("action", "Thao tác", "Action"),
    ("evidence", "Minh chứng", "Evidence"),
    ("numerator", "Tử số", "Numerator"),
    ("denominator", "Mẫu số", "Denominator"),
    (
        "completeness",
        "Tình hình gửi báo cáo",
        "Reporting completeness",
    ),
    ("expected", "Số mục phải báo cáo", "Items due"),
    ("on_time", "Đúng hạn", "On time"),
    ("late", "Muộn", "Late"),
    ("not_received", "Chưa gửi", "Not received"),
    ("generate", "Lập báo cáo", "Generate"),
    ("download", "Tải về", "Download"),
    ("map", "Bản đồ theo tỉnh, thành phố", "Map by province"),
    ("trend", "Diễn biến theo kỳ", "Trend by period"),
    ("by_agency", "Theo cơ quan", "By agency"),
    ("scorecard", "Kết quả của cơ quan", "Agency scorecard"),
    ("rank", "Xếp hạng", "Rank"),
    ("language", "English", "Tiếng Việt"),
    ("no_data", "Chưa có số liệu", "No data"),
    ("open_period", "Kỳ đang mở", "Open period"),
    ("staged", "Đã nhập, chờ gửi", "Entered, not yet sent"),
];
