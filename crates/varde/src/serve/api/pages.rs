//! Operator vessel pages kept for the state they were computed from, so that identical requests
//! between two changes of that state reuse the bytes instead of recomputing them.
//!
//! A page is an exact function of its query and of two counters: the view's revision (bumped by
//! every record applied or pruned, `VesselView::revision`) and the version of the vessels' labels
//! (`VesselLabels::version`). A kept page is served only to a request that finds both counters
//! where the page was computed, after applying what the engine had handed over (as a computation
//! would): it is byte for byte the page that request would compute, never older than the
//! picture's own freshness. Partners' pages are not kept (filtered, redacted and audited per
//! release). The view changes whenever the engine publishes (every 100 ms under a steady feed),
//! so a page lives at most that long; only pages of the newest state are kept, at most
//! [`MAX_BYTES`] of them.

use axum::body::Bytes;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// Most bytes of pages kept at once (a bbox page of a busy coast is about 2 MB).
pub const MAX_BYTES: usize = 32 << 20;

/// What a page was computed from: the view's revision and the labels' version.
pub type State = (u64, u64);

/// One vessel-list answer: its body and the cursor of the next page, if any.
pub type Page = (Bytes, Option<u32>);

/// Pages of the newest state, by query.
#[derive(Debug, Default)]
pub struct PageCache {
    kept: Mutex<Kept>,
    hits: AtomicU64,
    misses: AtomicU64,
}

#[derive(Debug, Default)]
struct Kept {
    state: State,
    pages: HashMap<String, Page>,
    bytes: usize,
}

impl PageCache {
    /// The page of `key` computed at `state`, if kept.
    pub fn get(&self, key: &str, state: State) -> Option<Page> {
        let kept = lock(&self.kept);
        let page = (kept.state == state)
            .then(|| kept.pages.get(key).cloned())
            .flatten();
        let counter = if page.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        page
    }

    /// Keeps `page` of `key`, computed at `state`: pages of an older state are dropped; a page
    /// of an older state than those kept, or one past [`MAX_BYTES`], is not kept.
    pub fn put(&self, key: String, state: State, page: Page) {
        let mut kept = lock(&self.kept);
        if state.0 < kept.state.0 || state.1 < kept.state.1 {
            return;
        }
        if state != kept.state {
            *kept = Kept {
                state,
                ..Kept::default()
            };
        }
        let len = page.0.len();
        if kept.bytes + len > MAX_BYTES {
            return;
        }
        if let Some(old) = kept.pages.insert(key, page) {
            kept.bytes -= old.0.len();
        }
        kept.bytes += len;
    }

    /// The counters as Prometheus text.
    pub fn render(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "# HELP varde_api_page_cache_total Operator vessel-list requests, by whether a page \
             kept for the same view revision and labels answered them.\n\
             # TYPE varde_api_page_cache_total counter\n\
             varde_api_page_cache_total{{result=\"hit\"}} {}\n\
             varde_api_page_cache_total{{result=\"miss\"}} {}",
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed)
        );
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(s: &'static str) -> Page {
        (Bytes::from_static(s.as_bytes()), None)
    }

    #[test]
    fn a_page_is_served_only_at_the_state_it_was_computed_from() {
        let c = PageCache::default();
        assert!(c.get("a", (1, 1)).is_none());
        c.put("a".into(), (1, 1), page("[1]"));
        assert_eq!(c.get("a", (1, 1)).unwrap().0, "[1]");
        assert!(c.get("b", (1, 1)).is_none(), "another query");
        assert!(c.get("a", (2, 1)).is_none(), "the view changed");
        assert!(c.get("a", (1, 2)).is_none(), "the labels changed");
        c.put("b".into(), (2, 1), page("[2]"));
        assert!(c.get("a", (1, 1)).is_none(), "older pages dropped");
        c.put("a".into(), (1, 1), page("[1]"));
        assert!(c.get("a", (1, 1)).is_none(), "an older page is not kept");
        assert_eq!(c.get("b", (2, 1)).unwrap().0, "[2]");
        let mut text = String::new();
        c.render(&mut text);
        assert!(text.contains("{result=\"hit\"} 2"), "{text}");
        assert!(text.contains("{result=\"miss\"} 6"), "{text}");
    }

    #[test]
    fn pages_past_the_byte_cap_are_not_kept() {
        let c = PageCache::default();
        let big = Bytes::from(vec![b' '; MAX_BYTES - 10]);
        c.put("big".into(), (1, 1), (big, None));
        c.put("small".into(), (1, 1), page("[0123456789]"));
        assert!(c.get("small", (1, 1)).is_none());
        c.put("tiny".into(), (1, 1), page("[]"));
        assert!(c.get("tiny", (1, 1)).is_some());
        assert!(c.get("big", (1, 1)).is_some());
    }
}
