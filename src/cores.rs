//! Independent jobs shared between the cores, balanced by their size, results in input order.

/// `f` applied to each of `items` on all cores (this thread working too), the items dealt out so
/// that each core gets about the same total `size`; the results come back in `items`' order.
///
/// For start-up work such as parsing clauses, where one core would otherwise idle: jobs of very
/// different sizes dealt out by count left one core with over half again the other's work.
pub fn map<T: Sync, R: Send>(
    items: &[T],
    size: impl Fn(&T) -> usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let cores = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    if cores <= 1 {
        return items.iter().map(f).collect();
    }
    // Largest first, each to the core with the least so far.
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(size(&items[i])));
    let mut shares: Vec<(usize, Vec<usize>)> = vec![(0, Vec::new()); cores];
    for i in order {
        let least = shares
            .iter_mut()
            .min_by_key(|(total, _)| *total)
            .expect("at least one core");
        least.0 += size(&items[i]);
        least.1.push(i);
    }
    let run = |share: &[usize]| share.iter().map(|&i| (i, f(&items[i]))).collect::<Vec<_>>();
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let others: Vec<_> = shares[1..]
            .iter()
            .map(|(_, share)| scope.spawn(|| run(share)))
            .collect();
        let mut done = run(&shares[0].1);
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
