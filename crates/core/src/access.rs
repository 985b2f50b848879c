//! Who may do what: the roles of the application and the one function that decides
//! every authorisation, so that the server enforces the same rules everywhere and the
//! rules can be tested as a matrix.

use serde::{Deserialize, Serialize};

crate::model::code_enum! {
    /// The role of an account.
    Role {
        /// Manages accounts and tokens, and may do everything a secretariat may.
        Administrator = "administrator",
        /// Reviews and edits all data of its programme (or of every programme).
        Secretariat = "secretariat",
        /// Enters its own agency's values while the period is open.
        Reporter = "reporter",
        /// Reads.
        Viewer = "viewer",
    }
}

impl Role {
    pub fn label_vi(self) -> &'static str {
        match self {
            Role::Administrator => "Quản trị hệ thống",
            Role::Secretariat => "Thư ký, tổng hợp",
            Role::Reporter => "Cán bộ báo cáo của cơ quan",
            Role::Viewer => "Người xem",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Role::Administrator => "Administrator",
            Role::Secretariat => "Secretariat",
            Role::Reporter => "Agency reporter",
            Role::Viewer => "Viewer",
        }
    }
}

/// The signed-in account as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Principal {
    pub account_id: String,
    pub role: Role,
    /// The reporter's agency.
    pub agency_id: Option<String>,
    /// The programme a secretariat account is limited to (None: every programme).
    pub programme_id: Option<String>,
}

/// Something a principal asks to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action<'a> {
    /// Read dashboards, records, reports and journals.
    Read,
    /// Enter or change a value for an agency in a programme's period (staged in the
    /// agency's submission).
    Enter {
        agency_id: &'a str,
        programme_id: &'a str,
        period_open: bool,
    },
    /// Send the agency's submission for review.
    Submit {
        agency_id: &'a str,
        programme_id: &'a str,
        period_open: bool,
    },
    /// Accept or return a submission.
    Review { programme_id: &'a str },
    /// Edit a stored record of a programme directly.
    Edit { programme_id: &'a str },
    /// Lock a period, or reopen it (with a reason).
    Lock { programme_id: &'a str },
    /// Create accounts and API tokens.
    Administer,
}

/// Why an action was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Denied {
    /// The role never allows this action.
    Role,
    /// A reporter acting for another agency.
    OtherAgency,
    /// A secretariat acting on another programme.
    OtherProgramme,
    /// The period is locked or not open for reporting.
    PeriodClosed,
}

impl Denied {
    pub fn code(self) -> &'static str {
        match self {
            Denied::Role => "forbidden_role",
            Denied::OtherAgency => "forbidden_other_agency",
            Denied::OtherProgramme => "forbidden_other_programme",
            Denied::PeriodClosed => "period_closed",
        }
    }

    pub fn message_vi(self) -> &'static str {
        match self {
            Denied::Role => "Vai trò của tài khoản không được phép thực hiện thao tác này.",
            Denied::OtherAgency => "Chỉ được nhập số liệu của cơ quan mình.",
            Denied::OtherProgramme => "Tài khoản chỉ được làm việc với chương trình được giao.",
            Denied::PeriodClosed => "Kỳ báo cáo đã khóa hoặc chưa mở; không thể nhập số liệu.",
        }
    }

    pub fn message_en(self) -> &'static str {
        match self {
            Denied::Role => "This account's role does not allow this action.",
            Denied::OtherAgency => "Reporters may only enter their own agency's data.",
            Denied::OtherProgramme => "This account is limited to another programme.",
            Denied::PeriodClosed => "The reporting period is locked or not open.",
        }
    }
}

/// Decide whether `principal` may perform `action`.
pub fn authorize(principal: &Principal, action: &Action<'_>) -> Result<(), Denied> {
    let programme_allowed = |programme_id: &str| {
        principal
            .programme_id
            .as_deref()
            .is_none_or(|p| p == programme_id)
    };
    match (principal.role, action) {
        (_, Action::Read) => Ok(()),
        (Role::Administrator, Action::Enter { .. } | Action::Submit { .. }) => Err(Denied::Role),
        (Role::Administrator, _) => Ok(()),
        (
            Role::Secretariat,
            Action::Review { programme_id }
            | Action::Edit { programme_id }
            | Action::Lock { programme_id },
        ) => {
            if programme_allowed(programme_id) {
                Ok(())
            } else {
                Err(Denied::OtherProgramme)
            }
        }
        (
            Role::Reporter,
            Action::Enter {
                agency_id,
                period_open,
                ..
            }
            | Action::Submit {
                agency_id,
                period_open,
                ..
            },
        ) => {
            if principal.agency_id.as_deref() != Some(*agency_id) {
                Err(Denied::OtherAgency)
            } else if !period_open {
                Err(Denied::PeriodClosed)
            } else {
                Ok(())
            }
        }
        _ => Err(Denied::Role),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(role: Role) -> Principal {
        let agency_id = (role == Role::Reporter).then(|| "yen-bai".to_string());
        let programme_id = (role == Role::Secretariat).then(|| "kh2024".to_string());
        Principal {
            account_id: role.code().into(),
            role,
            agency_id,
            programme_id,
        }
    }

    /// Every role against every action, including another agency, another programme and
    /// a closed period. `true` means allowed.
    #[test]
    fn authorisation_matrix() {
        let actions: [(&str, Action); 12] = [
            ("read", Action::Read),
            (
                "enter own open",
                Action::Enter {
                    agency_id: "yen-bai",
                    programme_id: "kh2024",
                    period_open: true,
                },
            ),
            (
                "enter own closed",
                Action::Enter {
                    agency_id: "yen-bai",
                    programme_id: "kh2024",
                    period_open: false,
                },
            ),
            (
                "enter other agency",
                Action::Enter {
                    agency_id: "ha-noi",
                    programme_id: "kh2024",
                    period_open: true,
                },
            ),
            (
                "submit own open",
                Action::Submit {
                    agency_id: "yen-bai",
                    programme_id: "kh2024",
                    period_open: true,
                },
            ),
            (
                "submit other agency",
                Action::Submit {
                    agency_id: "ha-noi",
                    programme_id: "kh2024",
                    period_open: true,
                },
            ),
            (
                "review own programme",
                Action::Review {
                    programme_id: "kh2024",
                },
            ),
            (
                "review other programme",
                Action::Review {
                    programme_id: "cl942",
                },
            ),
            (
                "edit own programme",
                Action::Edit {
                    programme_id: "kh2024",
                },
            ),
            (
                "edit other programme",
                Action::Edit {
                    programme_id: "cl942",
                },
            ),
            (
                "lock own programme",
                Action::Lock {
                    programme_id: "kh2024",
                },
            ),
            ("administer", Action::Administer),
        ];
        let expected: [(Role, [bool; 12]); 4] = [
            (
                Role::Administrator,
                [
                    true, false, false, false, false, false, true, true, true, true, true, true,
                ],
            ),
            (
                Role::Secretariat,
                [
                    true, false, false, false, false, false, true, false, true, false, true, false,
                ],
            ),
            (
                Role::Reporter,
                [
                    true, true, false, false, true, false, false, false, false, false, false, false,
                ],
            ),
            (
                Role::Viewer,
                [
                    true, false, false, false, false, false, false, false, false, false, false,
                    false,
                ],
            ),
        ];
        for (role, allowed) in expected {
            let p = principal(role);
            for ((name, action), allow) in actions.iter().zip(allowed) {
                assert_eq!(authorize(&p, action).is_ok(), allow, "{role:?} {name}");
            }
        }
        let reporter = principal(Role::Reporter);
        assert_eq!(
            authorize(&reporter, &actions[3].1),
            Err(Denied::OtherAgency)
        );
        assert_eq!(
            authorize(&reporter, &actions[2].1),
            Err(Denied::PeriodClosed)
        );
        assert_eq!(
            authorize(&principal(Role::Secretariat), &actions[7].1),
            Err(Denied::OtherProgramme)
        );
    }
}
