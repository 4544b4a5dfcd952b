//! Independent pieces of work spread over the machine's cores.
//!
//! Fitting a project's series and reading its result files are many small, independent jobs of
//! uneven size. [`map_on_all_cores`] runs one scoped thread per core; each takes the next job
//! from a shared counter until none are left, so a long job does not hold up the others, and
//! the results come back in the order of the inputs, whatever order they finished in.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The number of cores to use, asked once per process (the standard library reads the
/// cgroup limits on every call).
fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, usize::from))
}

/// `f` applied to every item, on all cores; the results in the items' order.
///
/// A panic inside `f` is a bug, and is raised again on the calling thread.
pub fn map_on_all_cores<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = cores().min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let k = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(k) else {
                break;
            };
            done.push((k, f(item)));
        }
        done
    };
    let finished: Vec<Vec<(usize, R)>> = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut all = vec![work()];
        for helper in helpers {
            all.push(
                helper
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        all
    });
    let mut slots: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    for (k, result) in finished.into_iter().flatten() {
        slots[k] = Some(result);
    }
    // Every index below items.len() was taken by exactly one thread.
    slots.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_input_order_whatever_the_job_sizes() {
        let items: Vec<u64> = (0..200).map(|i| (i * 7919) % 97).collect();
        let out = map_on_all_cores(&items, |&n| {
            // Uneven work: a loop whose length depends on the item.
            (0..n * 1000).fold(n, |acc, k| acc.wrapping_mul(31).wrapping_add(k)) ^ n
        });
        let expected: Vec<u64> = items
            .iter()
            .map(|&n| (0..n * 1000).fold(n, |acc, k| acc.wrapping_mul(31).wrapping_add(k)) ^ n)
            .collect();
        assert_eq!(out, expected);
        assert!(map_on_all_cores(&[] as &[u8], |&b| b).is_empty());
    }
}
