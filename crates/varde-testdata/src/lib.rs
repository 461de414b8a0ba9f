//! The one place Varde's tests and benchmarks find the shared real data (`../shared/data` beside the
//! checkout, or `$VARDE_SHARED_DATA`).
//!
//! When a file or folder is absent:
//! - under `CI=true` the caller panics: CI always has the data, so its absence is a broken run, never
//!   a silent pass;
//! - elsewhere the skip is printed to stderr (visible with `--nocapture`) and appended to
//!   `target/shared-data-skips.txt`, which `scripts/test` counts and prints at the end of the run.

pub mod nats;
pub mod sim;

use std::io::Write;
use std::path::{Path, PathBuf};

/// The shared data root: `$VARDE_SHARED_DATA`, else `shared/data` beside the checkout.
pub fn root() -> PathBuf {
    std::env::var_os("VARDE_SHARED_DATA").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
        PathBuf::from,
    )
}

/// `rel` under the shared data root (e.g. `"ais/gpsd/sample.aivdm"`, `"geo"`), if it exists. If not:
/// panics under `CI=true`, else records a visible skip naming `user` (the test) and returns `None`.
pub fn shared(rel: &str, user: &str) -> Option<PathBuf> {
    let ci = std::env::var("CI").as_deref() == Ok("true");
    find(&root(), rel, user, ci, &skips_file())
}

fn find(root: &Path, rel: &str, user: &str, ci: bool, skips: &Path) -> Option<PathBuf> {
    let p = root.join(rel);
    if p.exists() {
        return Some(p);
    }
    assert!(
        !ci,
        "CI=true but the shared data {} is absent ({user} needs it)",
        p.display()
    );
    record_skip(&p, user, skips);
    None
}

/// The PostgreSQL + PostGIS server of the tests: `$VARDE_TEST_PG` (a URL; `scripts/pg start`
/// prints one and `scripts/test` exports it). When unset: panics under `CI=true`, else records a
/// visible skip naming `user` and returns `None`.
pub fn pg_server(user: &str) -> Option<String> {
    match std::env::var("VARDE_TEST_PG") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but VARDE_TEST_PG is unset ({user} needs a PostgreSQL + PostGIS server: \
                 scripts/pg start)"
            );
            record_skip(Path::new("$VARDE_TEST_PG"), user, &skips_file());
            None
        }
    }
}

/// Where skips are listed: `target/shared-data-skips.txt` of this workspace.
pub fn skips_file() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"),
        PathBuf::from,
    );
    target.join("shared-data-skips.txt")
}

pub(crate) fn record_skip(p: &Path, user: &str, file: &Path) {
    let line = format!("skipped {user}: {} is absent", p.display());
    eprintln!("{line}");
    if let Some(dir) = file.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
    {
        let _ = writeln!(f, "{line}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_absent_path_is_a_recorded_skip_locally_and_a_failure_under_ci() {
        let dir = std::env::temp_dir().join(format!("varde-testdata-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("present")).unwrap();
        let skips = dir.join("skips.txt");
        assert!(find(&dir, "present", "t", false, &skips).is_some());
        assert!(!skips.exists());
        assert!(find(&dir, "absent", "the finder test", false, &skips).is_none());
        let listed = std::fs::read_to_string(&skips).unwrap();
        assert!(listed.starts_with("skipped the finder test: "), "{listed}");
        let under_ci = std::panic::catch_unwind(|| find(&dir, "absent", "t", true, &skips));
        assert!(under_ci.is_err());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
