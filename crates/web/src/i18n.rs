//! The interface language: Vietnamese by default, English on request (a `lang` cookie set
//! from the language switch, or `?lang=en`). Labels live in one table, [`LABELS`].

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// The label for a key, or the key itself when it has none (so a missing label shows).
    pub fn label(self, key: &str) -> &str {
        LABELS.iter().find(|(k, _, _)| *k == key).map_or(key, |(_, vi, en)| if self == Lang::Vi { vi } else { en })
    }

    /// Pick the Vietnamese or the English text.
    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        if self == Lang::Vi { vi } else { en }
    }
}

/// Interface labels: (key, Vietnamese, English).
pub const LABELS: &[(&str, &str, &str)] = &[
    ("app", "Theo dõi tiến độ chuyển đổi số", "Digital transformation progress"),
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
    ("change", "Thay đổi so với kỳ trước", "Change since previous period"),
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
    ("checklists", "Yêu cầu đối với bộ, ngành, địa phương", "Requirements for ministries and provinces"),
    ("overdue_cohorts", "Nhiệm vụ chậm theo tháng đến hạn", "Overdue tasks by month due"),
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
    ("completeness", "Tình hình gửi báo cáo", "Reporting completeness"),
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
