//! Independent jobs shared between the cores, largest first, results in input order.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `f` applied to each of `items` on all cores (this thread working too), largest `size` first,
/// each core taking the next item when it is free; the results come back in `items`' order.
///
/// For start-up work such as parsing clauses, where one core would otherwise idle. Items are
/// taken as cores come free rather than dealt out beforehand: jobs dealt by count left one core
/// with over half again the other's work, and a thread just started can take some milliseconds
/// to be scheduled on this virtual machine, while this thread gets on with the work.
pub fn map<T: Sync, R: Send>(
    items: &[T],
    size: impl Fn(&T) -> usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    // Asking for the cores reads the cgroup's limits from files: not for one item or none.
    let cores = if items.len() <= 1 {
        1
    } else {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(items.len())
    };
    if cores <= 1 {
        return items.iter().map(f).collect();
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(size(&items[i])));
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
            done.push((i, f(&items[i])));
        }
        done
    };
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let others: Vec<_> = (1..cores).map(|_| scope.spawn(work)).collect();
        let mut done = work();
        for other in others {
            done.extend(other.join().expect("a job does not panic"));
        }
        done
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_come_back_in_order_whatever_the_sizes() {
        let items: Vec<usize> = (0..50).map(|i| (i * 37) % 11).collect();
        let out = super::map(&items, |&n| n, |&n| n * 2);
        assert_eq!(out, items.iter().map(|n| n * 2).collect::<Vec<_>>());
        assert!(super::map(&[] as &[usize], |&n| n, |&n| n).is_empty());
    }
}
