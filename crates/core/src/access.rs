//! Who may do what: the roles of the application and the one function that decides
//! every authorisation, reads included, so that the server enforces the same rules
//! everywhere and the rules can be tested as a matrix.
//!
//! A decision depends on the account (its role, its agency, the programme a secretariat
//! is limited to) and on the credential the request came with: a browser session carries
//! every right of its account; an API token only those of its scopes (`read`, `write`,
//! `events:<source>`).

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

/// How a request proves who it is, and so how much of its account's rights it carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Credential {
    /// A browser session: every right of the account.
    Session,
    /// A bearer token: only what its scopes name.
    Token(TokenScopes),
}

/// The scopes of an API token.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TokenScopes {
    /// `read`: dashboards, records, journals, reports.
    pub read: bool,
    /// `write`: entries, reviews, edits, locks, tokens (and reading).
    pub write: bool,
    /// `events:<source>`: push dossier events of these sources, nothing else.
    pub event_sources: Vec<String>,
}

impl TokenScopes {
    /// Read a space-separated list; `None` if a scope is unknown or the list is empty.
    pub fn parse(text: &str) -> Option<TokenScopes> {
        let mut scopes = TokenScopes::default();
        for scope in text.split_whitespace() {
            match scope {
                "read" => scopes.read = true,
                "write" => scopes.write = true,
                other => match other.strip_prefix("events:") {
                    Some(source) if !source.is_empty() => {
                        scopes.event_sources.push(source.to_string())
                    }
                    _ => return None,
                },
            }
        }
        (scopes.read || scopes.write || !scopes.event_sources.is_empty()).then_some(scopes)
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
    pub credential: Credential,
}

/// Something a principal asks to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action<'a> {
    /// Read dashboards, programme records, reports and their journals.
    Read,
    /// Read an agency's submission for a programme's period: its staged entries, its
    /// review comments and their journal (drafts until accepted).
    ReadSubmission {
        agency_id: &'a str,
        programme_id: &'a str,
    },
    /// Read an uploaded evidence file, attached for these agencies in these programmes.
    ReadEvidence {
        agency_ids: &'a [&'a str],
        programme_ids: &'a [&'a str],
    },
    /// Read accounts and API tokens and their journal.
    ReadAccounts,
    /// Read an agency's e-mail addresses and the reminders sent to it, and their journal.
    ReadContacts { agency_id: &'a str },
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
    /// Issue an edition of a programme's report (ban hành).
    Issue { programme_id: &'a str },
    /// Create and revoke accounts and API tokens.
    Administer,
    /// Push dossier events of a source system.
    Ingest { source: &'a str },
}

impl Action<'_> {
    /// Whether the action only reads.
    fn reads(&self) -> bool {
        matches!(
            self,
            Action::Read
                | Action::ReadSubmission { .. }
                | Action::ReadEvidence { .. }
                | Action::ReadAccounts
                | Action::ReadContacts { .. }
        )
    }
}

/// The action that reading one journaled record needs, from its table and key (key
/// columns joined by `|`). Evidence files need [`Action::ReadEvidence`], which depends on
/// where they are attached: the caller decides those.
pub fn read_record_action<'a>(entity: &str, record_key: &'a str) -> Action<'a> {
    match entity {
        "accounts" | "api_tokens" => Action::ReadAccounts,
        "agency_contacts" | "reminders" => Action::ReadContacts {
            agency_id: record_key.split('|').next().unwrap_or(""),
        },
        "submissions" | "submission_items" => {
            let mut parts = record_key.split('|');
            let agency_id = parts.next().unwrap_or("");
            let programme_id = parts.next().unwrap_or("");
            Action::ReadSubmission {
                agency_id,
                programme_id,
            }
        }
        _ => Action::Read,
    }
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
    /// The API token's scopes do not cover the action.
    TokenScope,
}

impl Denied {
    pub fn code(self) -> &'static str {
        match self {
            Denied::Role => "forbidden_role",
            Denied::OtherAgency => "forbidden_other_agency",
            Denied::OtherProgramme => "forbidden_other_programme",
            Denied::PeriodClosed => "period_closed",
            Denied::TokenScope => "token_scope",
        }
    }

    pub fn message_vi(self) -> &'static str {
        match self {
            Denied::Role => "Vai trò của tài khoản không được phép thực hiện thao tác này.",
            Denied::OtherAgency => "Chỉ được xem và nhập số liệu của cơ quan mình.",
            Denied::OtherProgramme => "Tài khoản chỉ được làm việc với chương trình được giao.",
            Denied::PeriodClosed => "Kỳ báo cáo đã khóa hoặc chưa mở; không thể nhập số liệu.",
            Denied::TokenScope => {
                "Mã truy cập không có phạm vi cho thao tác này (read, write hoặc events:<nguồn>)."
            }
        }
    }

    pub fn message_en(self) -> &'static str {
        match self {
            Denied::Role => "This account's role does not allow this action.",
            Denied::OtherAgency => "Reporters may only see and enter their own agency's data.",
            Denied::OtherProgramme => "This account is limited to another programme.",
            Denied::PeriodClosed => "The reporting period is locked or not open.",
            Denied::TokenScope => {
                "This token's scopes do not cover this action (read, write or events:<source>)."
            }
        }
    }
}

/// Whether the credential carries the right for the action, whatever the role.
fn credential_allows(credential: &Credential, action: &Action<'_>) -> bool {
    match (credential, action) {
        (Credential::Session, Action::Ingest { .. }) => false,
        (Credential::Session, _) => true,
        (Credential::Token(scopes), Action::Ingest { source }) => {
            scopes.event_sources.iter().any(|s| s == source)
        }
        (Credential::Token(scopes), a) if a.reads() => scopes.read || scopes.write,
        (Credential::Token(scopes), _) => scopes.write,
    }
}

/// Decide whether `principal` may perform `action`.
pub fn authorize(principal: &Principal, action: &Action<'_>) -> Result<(), Denied> {
    if !credential_allows(&principal.credential, action) {
        return Err(Denied::TokenScope);
    }
    let programme_allowed = |programme_id: &str| {
        principal
            .programme_id
            .as_deref()
            .is_none_or(|p| p == programme_id)
    };
    let in_programme = |programme_id: &str| {
        if programme_allowed(programme_id) {
            Ok(())
        } else {
            Err(Denied::OtherProgramme)
        }
    };
    let own_agency = |agency_id: &str| {
        if principal.agency_id.as_deref() == Some(agency_id) {
            Ok(())
        } else {
            Err(Denied::OtherAgency)
        }
    };
    match (principal.role, action) {
        (_, Action::Read | Action::Ingest { .. }) => Ok(()),
        (Role::Administrator, Action::Enter { .. } | Action::Submit { .. }) => Err(Denied::Role),
        (Role::Administrator, _) => Ok(()),
        (
            Role::Secretariat,
            Action::ReadSubmission { programme_id, .. }
            | Action::Review { programme_id }
            | Action::Edit { programme_id }
            | Action::Lock { programme_id }
            | Action::Issue { programme_id },
        ) => in_programme(programme_id),
        (Role::Secretariat, Action::ReadEvidence { programme_ids, .. }) => {
            if principal.programme_id.is_none()
                || programme_ids.iter().any(|p| programme_allowed(p))
            {
                Ok(())
            } else {
                Err(Denied::OtherProgramme)
            }
        }
        (Role::Secretariat, Action::ReadContacts { .. }) => Ok(()),
        (Role::Reporter, Action::ReadSubmission { agency_id, .. }) => own_agency(agency_id),
        (Role::Reporter, Action::ReadContacts { agency_id }) => own_agency(agency_id),
        (Role::Reporter, Action::ReadEvidence { agency_ids, .. }) => {
            if agency_ids
                .iter()
                .any(|a| principal.agency_id.as_deref() == Some(*a))
            {
                Ok(())
            } else {
                Err(Denied::OtherAgency)
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
            own_agency(agency_id)?;
            if *period_open {
                Ok(())
            } else {
                Err(Denied::PeriodClosed)
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
            credential: Credential::Session,
        }
    }

    const OWN: &[&str] = &["yen-bai"];
    const OTHER: &[&str] = &["ha-noi"];
    const KH: &[&str] = &["kh2024"];
    const CL: &[&str] = &["cl942"];

    /// Every role against every action, including another agency, another programme and
    /// a closed period. `true` means allowed.
    #[test]
    fn authorisation_matrix() {
        let actions: [(&str, Action); 21] = [
            ("read", Action::Read),
            (
                "read own submission",
                Action::ReadSubmission {
                    agency_id: "yen-bai",
                    programme_id: "kh2024",
                },
            ),
            (
                "read other agency's submission",
                Action::ReadSubmission {
                    agency_id: "ha-noi",
                    programme_id: "kh2024",
                },
            ),
            (
                "read submission of other programme",
                Action::ReadSubmission {
                    agency_id: "yen-bai",
                    programme_id: "cl942",
                },
            ),
            (
                "read own evidence",
                Action::ReadEvidence {
                    agency_ids: OWN,
                    programme_ids: KH,
                },
            ),
            (
                "read other agency's evidence",
                Action::ReadEvidence {
                    agency_ids: OTHER,
                    programme_ids: KH,
                },
            ),
            (
                "read evidence of other programme",
                Action::ReadEvidence {
                    agency_ids: OWN,
                    programme_ids: CL,
                },
            ),
            ("read accounts", Action::ReadAccounts),
            (
                "read own contacts",
                Action::ReadContacts {
                    agency_id: "yen-bai",
                },
            ),
            (
                "read other agency's contacts",
                Action::ReadContacts {
                    agency_id: "ha-noi",
                },
            ),
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
        #[rustfmt::skip]
        let expected: [(Role, [u8; 21]); 4] = [
            //                    read sub       evidence   acc cont  enter    submit rev  edit lock adm
            (Role::Administrator, [1, 1, 1, 1,   1, 1, 1,   1,  1, 1,  0, 0, 0, 0, 0,  1, 1, 1, 1, 1,  1]),
            (Role::Secretariat,   [1, 1, 1, 0,   1, 1, 0,   0,  1, 1,  0, 0, 0, 0, 0,  1, 0, 1, 0, 1,  0]),
            (Role::Reporter,      [1, 1, 0, 1,   1, 0, 1,   0,  1, 0,  1, 0, 0, 1, 0,  0, 0, 0, 0, 0,  0]),
            (Role::Viewer,        [1, 0, 0, 0,   0, 0, 0,   0,  0, 0,  0, 0, 0, 0, 0,  0, 0, 0, 0, 0,  0]),
        ];
        for (role, allowed) in expected {
            let p = principal(role);
            for ((name, action), allow) in actions.iter().zip(allowed) {
                assert_eq!(authorize(&p, action).is_ok(), allow == 1, "{role:?} {name}");
            }
        }
        let reporter = principal(Role::Reporter);
        assert_eq!(
            authorize(&reporter, &actions[12].1),
            Err(Denied::OtherAgency)
        );
        assert_eq!(
            authorize(&reporter, &actions[2].1),
            Err(Denied::OtherAgency)
        );
        assert_eq!(
            authorize(&reporter, &actions[11].1),
            Err(Denied::PeriodClosed)
        );
        assert_eq!(
            authorize(&principal(Role::Secretariat), &actions[16].1),
            Err(Denied::OtherProgramme)
        );
        assert_eq!(
            authorize(&principal(Role::Secretariat), &actions[6].1),
            Err(Denied::OtherProgramme)
        );
    }

    /// A token carries only its scopes: `read` reads, `write` also writes, `events:<source>`
    /// pushes that source's events and nothing else; a session never pushes events.
    #[test]
    fn token_scopes_limit_the_account() {
        let with = |scopes: &str| Principal {
            credential: Credential::Token(TokenScopes::parse(scopes).unwrap()),
            ..principal(Role::Administrator)
        };
        let revoke = Action::Administer;
        let ingest = Action::Ingest { source: "cong-dvc" };
        let journal = Action::ReadSubmission {
            agency_id: "yen-bai",
            programme_id: "kh2024",
        };
        assert_eq!(
            authorize(&with("read"), &revoke),
            Err(Denied::TokenScope),
            "a read token cannot revoke tokens"
        );
        assert_eq!(authorize(&with("read"), &Action::Read), Ok(()));
        assert_eq!(authorize(&with("read"), &ingest), Err(Denied::TokenScope));
        assert_eq!(authorize(&with("write"), &revoke), Ok(()));
        assert_eq!(
            authorize(&with("write"), &journal),
            Ok(()),
            "write implies read"
        );
        assert_eq!(authorize(&with("events:cong-dvc"), &ingest), Ok(()));
        assert_eq!(
            authorize(&with("events:cong-dvc"), &Action::Ingest { source: "khac" }),
            Err(Denied::TokenScope)
        );
        for action in [Action::Read, journal, Action::ReadAccounts, revoke] {
            assert_eq!(
                authorize(&with("events:cong-dvc"), &action),
                Err(Denied::TokenScope),
                "an events token reads nothing: {action:?}"
            );
        }
        assert_eq!(
            authorize(&principal(Role::Administrator), &ingest),
            Err(Denied::TokenScope),
            "sessions do not push events"
        );
        assert_eq!(TokenScopes::parse("read bogus"), None);
        assert_eq!(TokenScopes::parse("events:"), None);
        assert_eq!(TokenScopes::parse("  "), None);
    }

    #[test]
    fn journal_records_need_the_right_of_their_kind() {
        assert_eq!(
            read_record_action(
                "submission_items",
                "BTTTT|cdsqg|2024-06|task_updates|kh2024-t13|2024-06"
            ),
            Action::ReadSubmission {
                agency_id: "BTTTT",
                programme_id: "cdsqg"
            }
        );
        assert_eq!(
            read_record_action("api_tokens", "abc"),
            Action::ReadAccounts
        );
        assert_eq!(read_record_action("tasks", "kh2024-t13"), Action::Read);
    }
}
