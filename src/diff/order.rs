//! Which items moved among their siblings. Inserting one task at the top of
//! an area shifts every task below it, but none of them moved; what moved
//! is what falls outside the longest run of items kept in their old order.

use std::collections::{HashMap, HashSet};

/// The ids, present in both lists, that are out of their old order. Runs in
/// O(n log n), so a framework of thousands of tasks stays quick.
pub(super) fn moved<'a>(old: &[&'a str], new: &[&'a str]) -> HashSet<&'a str> {
    let old_index: HashMap<&str, usize> = old.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let common: Vec<(&str, usize)> = new.iter().filter_map(|id| Some((*id, *old_index.get(id)?))).collect();
    let kept = longest_increasing(&common.iter().map(|(_, i)| *i).collect::<Vec<_>>());
    common.iter().enumerate().filter(|(at, _)| !kept.contains(at)).map(|(_, (id, _))| *id).collect()
}

/// The positions of one longest strictly increasing subsequence.
fn longest_increasing(values: &[usize]) -> HashSet<usize> {
    // tails[k]: the position of the smallest value ending a run of length k + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut previous: Vec<Option<usize>> = vec![None; values.len()];
    for (at, &value) in values.iter().enumerate() {
        let length = tails.partition_point(|&tail| values[tail] < value);
        previous[at] = length.checked_sub(1).map(|k| tails[k]);
        if length == tails.len() {
            tails.push(at);
        } else {
            tails[length] = at;
        }
    }
    let mut kept = HashSet::new();
    let mut at = tails.last().copied();
    while let Some(position) = at {
        kept.insert(position);
        at = previous[position];
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_insertion_moves_nothing() {
        assert!(moved(&["a", "b", "c"], &["x", "a", "b", "c"]).is_empty());
    }

    #[test]
    fn the_item_taken_out_of_order_is_the_one_moved() {
        assert_eq!(moved(&["a", "b", "c", "d"], &["a", "c", "d", "b"]), HashSet::from(["b"]));
        assert_eq!(moved(&["a", "b", "c", "d"], &["d", "a", "b", "c"]), HashSet::from(["d"]));
    }
}
