//! Work over many repositories, a bounded number at a time.
//!
//! [`for_each_bounded`] starts at most `jobs` scoped threads that take items from a shared
//! counter, and hands each result, as soon as it is ready, to a callback that runs on the
//! calling thread (so progress bars and store writes need no locking). Results arrive in
//! completion order, tagged with the item's index. [`for_each_bounded_with`] does the same and
//! gives each thread a state of its own, made once and kept from item to item (a buffer, a
//! searcher), so the work need not allocate one per item.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

/// Runs `work` on every item with at most `jobs` threads; `done(index, result)` runs on the
/// calling thread as each finishes.
pub fn for_each_bounded<T, R, W, D>(items: &[T], jobs: usize, work: W, done: D)
where
    T: Sync,
    R: Send,
    W: Fn(&T) -> R + Sync,
    D: FnMut(usize, R),
{
    for_each_bounded_with(items, jobs, || (), |(), item| work(item), done);
}

/// As [`for_each_bounded`], each thread first making its own state with `init` and handing it
/// to `work` for every item it takes.
pub fn for_each_bounded_with<T, S, R, I, W, D>(
    items: &[T],
    jobs: usize,
    init: I,
    work: W,
    mut done: D,
) where
    T: Sync,
    R: Send,
    I: Fn() -> S + Sync,
    W: Fn(&mut S, &T) -> R + Sync,
    D: FnMut(usize, R),
{
    let jobs = jobs.clamp(1, items.len().max(1));
    let next = AtomicUsize::new(0);
    let (sender, receiver) = mpsc::channel();
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            let sender = sender.clone();
            let (next, init, work) = (&next, &init, &work);
            scope.spawn(move || {
                let mut state = init();
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(index) else { break };
                    if sender.send((index, work(&mut state, item))).is_err() {
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

    /// Each thread's state is made once and kept: the items a thread took add up in it.
    #[test]
    fn state_per_thread_kept_from_item_to_item() {
        let items: Vec<u64> = (1..=100).collect();
        let made = AtomicUsize::new(0);
        let mut total = 0;
        let mut seen = 0;
        for_each_bounded_with(
            &items,
            3,
            || {
                made.fetch_add(1, Ordering::Relaxed);
                Vec::new()
            },
            |taken: &mut Vec<u64>, n| {
                taken.push(*n);
                taken.len()
            },
            |_, count| {
                seen += 1;
                total = total.max(count);
            },
        );
        assert_eq!(seen, 100);
        assert!(made.load(Ordering::Relaxed) <= 3);
        // One of at most three threads took at least 34 of the 100, and its list kept them all.
        assert!(total >= 34, "{total}");
    }
}
