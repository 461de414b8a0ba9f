//! Re-reading the configuration file while serving: on SIGHUP and whenever the file's
//! modification time changes (polled every [`POLL`]). Used by the operator accounts
//! (`api::auth`) and the share partners (`share`).

use std::path::PathBuf;
use std::sync::{Arc, Weak};
use std::time::Duration;

/// How often the configuration file's modification time is checked.
pub const POLL: Duration = Duration::from_secs(2);

/// Spawns the reloader of `path` on the current tokio runtime: `reload(&owner)` runs after each
/// SIGHUP and each change of the file's modification time, while `owner` is alive (the task ends
/// once it is dropped).
pub fn spawn<T, F>(path: PathBuf, owner: &Arc<T>, reload: F)
where
    T: Send + Sync + 'static,
    F: Fn(&T) + Send + 'static,
{
    let owner: Weak<T> = Arc::downgrade(owner);
    tokio::spawn(async move {
        let mtime = |p: &PathBuf| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        let mut seen = mtime(&path);
        #[cfg(unix)]
        let mut hup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).ok();
        loop {
            let poll = tokio::time::sleep(POLL);
            #[cfg(unix)]
            let signalled = match hup.as_mut() {
                Some(h) => tokio::select! {
                    _ = h.recv() => true,
                    () = poll => false,
                },
                None => {
                    poll.await;
                    false
                }
            };
            #[cfg(not(unix))]
            let signalled = {
                poll.await;
                false
            };
            let Some(owner) = owner.upgrade() else { return };
            let now = mtime(&path);
            if signalled || now != seen {
                seen = now;
                reload(&owner);
            }
        }
    });
}
