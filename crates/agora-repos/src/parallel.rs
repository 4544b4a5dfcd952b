//! Work over many repositories, a bounded number at a time.
//!
//! [`for_each_bounded`] starts at most `jobs` scoped threads that take items from a shared
//! counter, and hands each result, as soon as it is ready, to a callback that runs on the
//! calling thread (so progress bars and store writes need no locking). Results arrive in
//! completion order, tagged with the item's index.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

/// Runs `work` on every item with at most `jobs` threads; `done(index, result)` runs on the
/// calling thread as each finishes.
pub fn for_each_bounded<T, R, W, D>(items: &[T], jobs: usize, work: W, mut done: D)
where
    T: Sync,
    R: Send,
    W: Fn(&T) -> R + Sync,
    D: FnMut(usize, R),
{
    let jobs = jobs.clamp(1, items.len().max(1));
    let next = AtomicUsize::new(0);
    let (sender, receiver) = mpsc::channel();
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            let sender = sender.clone();
            let (next, work) = (&next, &work);
            scope.spawn(move || {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(index) else { break };
                    if sender.send((index, work(item))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        for (index, result) in receiver {
            done(index, result);
        }
    });
}

/// The number of threads to use by default: the machine's parallelism (at least 1).
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_once_in_any_order() {
        let items: Vec<u64> = (0..50).collect();
        let mut seen = vec![0u64; 50];
        for_each_bounded(
            &items,
            4,
            |n| n * 2,
            |index, result| {
                seen[index] += 1;
                assert_eq!(result, items[index] * 2);
            },
        );
        assert!(seen.iter().all(|&n| n == 1));
        let mut none = 0;
        for_each_bounded(&[] as &[u8], 4, |_| (), |_, ()| none += 1);
        assert_eq!(none, 0);
    }
}
