//! Splitting independent work over a few threads, keeping the order.

use std::num::NonZeroUsize;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// One thread per core, as the machine reports it.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, NonZeroUsize::get)
}

/// `items.iter().map(work)` on up to `threads` threads, results in order.
/// Small inputs stay on the calling thread: starting threads costs more.
///
/// Items are handed out in small blocks to whichever thread is free, the
/// calling thread among them, so that the threads finish together however
/// much the items' work differs (a long file among short ones).
pub fn map<T: Sync, R: Send>(items: &[T], threads: usize, work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    const WORTH_A_THREAD: usize = 64;
    let threads = threads.clamp(1, items.len().div_ceil(WORTH_A_THREAD).max(1));
    if threads == 1 {
        return items.iter().map(work).collect();
    }
    // Blocks small enough to even out the end, large enough that taking one
    // is rare next to the work in it.
    let block = (items.len() / (threads * 32)).clamp(1, 64);
    let next = AtomicUsize::new(0);
    let worker = || {
        let mut done: Vec<(usize, Vec<R>)> = Vec::new();
        loop {
            let start = next.fetch_add(block, Ordering::Relaxed);
            if start >= items.len() {
                break done;
            }
            let end = (start + block).min(items.len());
            done.push((start, items[start..end].iter().map(&work).collect()));
        }
    };
    let mut blocks = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(worker)).collect();
        let mut blocks = worker();
        for helper in helpers {
            blocks.extend(helper.join().expect("a worker does not panic"));
        }
        blocks
    });
    blocks.sort_unstable_by_key(|(start, _)| *start);
    let mut results = Vec::with_capacity(items.len());
    for (_, block) in blocks {
        results.extend(block);
    }
    results
}

/// `items.iter().map(work)` on up to `threads` threads, each with a stack of
/// `stack_size` bytes, one item at a time to whichever thread is free, for
/// work as uneven and as deep as laying out documents; results in order.
pub fn map_with_stack<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    stack_size: usize,
    work: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    let worker = || {
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(index) else { break };
            let result = work(item);
            results.lock().expect("no worker panics while holding the results")[index] = Some(result);
        }
    };
    std::thread::scope(|scope| {
        for _ in 0..threads.clamp(1, items.len().max(1)) {
            std::thread::Builder::new()
                .stack_size(stack_size)
                .spawn_scoped(scope, worker)
                .expect("a worker thread starts");
        }
    });
    results.into_inner().expect("workers are done").into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_the_order_whatever_the_threads() {
        let items: Vec<u32> = (0..1000).collect();
        for threads in [1, 2, 3, 8] {
            assert_eq!(super::map(&items, threads, |n| n * 2), items.iter().map(|n| n * 2).collect::<Vec<_>>());
            // Uneven work: some items take far longer than the rest.
            let uneven = super::map(&items, threads, |n| (0..(n % 97) * 100).fold(*n, |sum, k| sum ^ k));
            assert_eq!(
                uneven,
                items.iter().map(|n| (0..(n % 97) * 100).fold(*n, |sum, k| sum ^ k)).collect::<Vec<_>>()
            );
            let deep = super::map_with_stack(&items, threads, 1024 * 1024, |n| n * 2);
            assert_eq!(deep, items.iter().map(|n| n * 2).collect::<Vec<_>>());
        }
    }
}
