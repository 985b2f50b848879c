//! The daily pass of e-mail reminders in `tiendo serve`: when a mail server is
//! configured, the agencies are reminded of what they owe once a day
//! ([`tiendo_remind::run_pass`]); the secretariat sees their journal on the chasing page
//! (`/urge`).

use std::sync::Arc;
use std::time::Duration;

use tiendo_core::clock::today_in_vietnam;
use tiendo_core::urge::is_digest_day;
use tiendo_remind::{MailSettings, PassOptions};

use crate::records::Records;

/// Run the reminder pass once a day (the first time when the server starts) through the
/// mail server `mail`; each pass's result and errors go to the log.
pub async fn run_daily(records: Arc<Records>, mail: MailSettings, days_before: i64) {
    let mut last = None;
    loop {
        let day = today_in_vietnam();
        if last != Some(day) {
            match records.data().await {
                Ok(data) => {
                    let options = PassOptions {
                        day,
                        days_before,
                        digest: is_digest_day(day),
                    };
                    match tiendo_remind::run_pass(
                        &records.store,
                        &data,
                        &mail,
                        &options,
                        "tiendo serve",
                    )
                    .await
                    {
                        Ok(outcome) => {
                            tracing::info!(
                                sent = outcome.sent().count(),
                                failed = outcome.failed().count(),
                                without_address = outcome.without_address.len(),
                                "lượt nhắc việc ngày {day}"
                            );
                            for m in outcome.failed() {
                                tracing::warn!(agency = %m.agency_id, error = m.error.as_deref().unwrap_or_default(), "thư nhắc việc không gửi được; sẽ gửi lại");
                            }
                            last = Some(day);
                        }
                        Err(e) => tracing::error!(error = %e, "lượt nhắc việc không chạy được"),
                    }
                }
                Err(e) => tracing::error!(error = %e, "lượt nhắc việc: không đọc được dữ liệu"),
            }
        }
        tokio::time::sleep(Duration::from_secs(15 * 60)).await;
    }
}
