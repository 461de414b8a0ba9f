//! Identical requests answered together: a vessel page of a busy map viewport costs milliseconds
//! and megabytes, and many clients ask for the same viewports.
//!
//! Requests with the same key queue on one slot. The first computes the answer; the ones that
//! arrived before that computation started take its answer (it was computed after they arrived,
//! so it is as fresh as one of their own); a request that arrived while it ran computes the next
//! one. A slot lives while requests use it: nothing is kept once the last one has its answer.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

/// Slots by key.
#[derive(Debug)]
pub struct Coalescer<K, V> {
    slots: Mutex<HashMap<K, Arc<Slot<V>>>>,
}

impl<K, V> Default for Coalescer<K, V> {
    fn default() -> Self {
        Self {
            slots: Mutex::default(),
        }
    }
}

/// The requests of one key.
#[derive(Debug)]
struct Slot<V> {
    /// Requests that have arrived (each takes the next number).
    arrived: Mutex<u64>,
    /// The last answer and the arrivals it serves (every number up to it).
    last: tokio::sync::Mutex<Option<(u64, V)>>,
}

impl<K: Hash + Eq + Clone, V: Clone> Coalescer<K, V> {
    /// The answer to `key`: computed by `compute`, or shared with identical requests that arrived
    /// before a computation started.
    pub async fn run<F, Fut, E>(&self, key: K, compute: F) -> Result<V, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        let held = Held {
            slot: self.slot(&key),
            key,
            owner: self,
        };
        let slot = &held.slot;
        let ticket = {
            let mut n = lock(&slot.arrived);
            *n += 1;
            *n
        };
        let out = {
            let mut last = slot.last.lock().await;
            match &*last {
                Some((served, v)) if *served >= ticket => Ok(v.clone()),
                _ => {
                    // Everyone who has arrived so far gets this answer.
                    let serves = *lock(&slot.arrived);
                    let v = compute().await;
                    match &v {
                        Ok(v) => *last = Some((serves, v.clone())),
                        // The others compute their own.
                        Err(_) => *last = None,
                    }
                    v
                }
            }
        };
        drop(held);
        out
    }

    fn slot(&self, key: &K) -> Arc<Slot<V>> {
        lock(&self.slots)
            .entry(key.clone())
            .or_insert_with(|| {
                Arc::new(Slot {
                    arrived: Mutex::new(0),
                    last: tokio::sync::Mutex::new(None),
                })
            })
            .clone()
    }

    /// Keys with requests under way.
    #[cfg(test)]
    pub fn busy(&self) -> usize {
        lock(&self.slots).len()
    }
}

/// A request's hold on its slot; letting go (answered or cancelled) drops the slot when no other
/// request holds it, under the map's lock, where new requests take it.
struct Held<'a, K: Hash + Eq, V> {
    owner: &'a Coalescer<K, V>,
    key: K,
    slot: Arc<Slot<V>>,
}

impl<K: Hash + Eq, V> Drop for Held<'_, K, V> {
    fn drop(&mut self) {
        let mut slots = lock(&self.owner.slots);
        // This request's handle and the map's.
        if Arc::strong_count(&self.slot) == 2 {
            slots.remove(&self.key);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::Duration;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn requests_waiting_share_an_answer_computed_after_they_arrived_and_nothing_is_kept() {
        let c = Arc::new(Coalescer::<&'static str, u64>::default());
        // The state the answers read; each computation answers what it saw when it started.
        let state = Arc::new(AtomicU64::new(0));
        let computed = Arc::new(AtomicU64::new(0));
        let ask = |at: u64| {
            let (c, state, computed) = (c.clone(), state.clone(), computed.clone());
            tokio::spawn(async move {
                let got = c
                    .run("viewport", || async {
                        let seen = state.load(Ordering::SeqCst);
                        computed.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        Ok::<_, ()>(seen)
                    })
                    .await
                    .unwrap();
                (at, got)
            })
        };
        // One computes; three arrive while it runs (after a change): they share the next answer.
        let first = ask(0);
        tokio::time::sleep(Duration::from_millis(30)).await;
        state.store(1, Ordering::SeqCst);
        let waiting: Vec<_> = (0..3).map(|_| ask(1)).collect();
        tokio::time::sleep(Duration::from_millis(10)).await;
        assert_eq!(c.busy(), 1);
        assert_eq!(first.await.unwrap(), (0, 0));
        for w in waiting {
            let (at, got) = w.await.unwrap();
            assert!(got >= at, "an answer older than the request: {got} < {at}");
        }
        assert_eq!(computed.load(Ordering::SeqCst), 2);
        assert_eq!(c.busy(), 0, "no slot is kept once answered");
        // A later request computes afresh.
        state.store(2, Ordering::SeqCst);
        assert_eq!(ask(2).await.unwrap(), (2, 2));
        assert_eq!(computed.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn a_failed_computation_is_not_shared() {
        let c = Coalescer::<u8, u8>::default();
        assert_eq!(
            c.run(1, || async { Err::<u8, _>("boom") }).await,
            Err("boom")
        );
        assert_eq!(c.run(1, || async { Ok::<_, &str>(7) }).await, Ok(7));
        assert_eq!(c.busy(), 0);
    }
}
