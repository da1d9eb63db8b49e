//! RDFC-1.0 for the common case: when every blank node's first-degree
//! hash is unique, the canonical labels follow the order of those hashes
//! (the spec's steps 3 and 4, after which step 5 has nothing to do). The
//! quads are then written with those labels into one buffer as N-Quads and
//! their lines sorted. When two blank nodes share a hash, this declines and
//! the caller runs the full algorithm.

use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use super::expand::{Node, Quad, Quads};

/// The canonical N-Quads of `quads`, lines sorted, or `None` when the
/// first-degree hashes do not tell every blank node apart.
pub(super) fn canonical_nquads(quads: &Quads) -> Option<String> {
    let unique = distinct(quads);
    let labels = labels(quads, &unique)?;
    let mut lines = Lines::with_capacity(quads.text.len() * 2, unique.len());
    for quad in &unique {
        lines.push(|out| {
            write_quad(out, quads, quad, |blank, out| {
                let _ = write!(out, "_:c14n{}", labels[blank as usize]);
            })
        });
    }
    let mut sorted = String::with_capacity(lines.text.len());
    for line in lines.sorted() {
        sorted.push_str(line);
    }
    Some(sorted)
}

/// The quads once each: a dataset is a set, and a repeated quad must not
/// count twice in a blank node's hash. Equal terms have equal ranges, so
/// any order of the ranges groups equal quads.
fn distinct(quads: &Quads) -> Vec<Quad> {
    let key = |quad: &Quad| (quad.subject, quad.predicate, quad.object, quad.graph);
    let mut unique = quads.quads.clone();
    unique.sort_unstable_by_key(key);
    unique.dedup_by_key(|quad| key(quad));
    unique
}

/// N-Quads lines written into one buffer, to be read in code point order.
struct Lines {
    text: String,
    ranges: Vec<(usize, usize)>,
}

impl Lines {
    fn with_capacity(bytes: usize, lines: usize) -> Lines {
        Lines { text: String::with_capacity(bytes), ranges: Vec::with_capacity(lines) }
    }

    fn clear(&mut self) {
        self.text.clear();
        self.ranges.clear();
    }

    fn push(&mut self, write: impl FnOnce(&mut String)) {
        let start = self.text.len();
        write(&mut self.text);
        self.ranges.push((start, self.text.len()));
    }

    fn sorted(&mut self) -> impl Iterator<Item = &str> {
        let text = &self.text;
        self.ranges.sort_unstable_by(|a, b| text[a.0..a.1].cmp(&text[b.0..b.1]));
        self.ranges.iter().map(move |&(start, end)| &text[start..end])
    }
}

/// Each blank node's canonical number, by the order of its first-degree
/// hash; `None` when two hashes are equal.
fn labels(quads: &Quads, unique: &[Quad]) -> Option<Vec<u32>> {
    let count = quads.blank_nodes as usize;
    let mut mentions: Vec<Vec<u32>> = vec![Vec::new(); count];
    for (index, quad) in unique.iter().enumerate() {
        for blank in blank_nodes(quad) {
            let list = &mut mentions[blank as usize];
            if list.last() != Some(&(index as u32)) {
                list.push(index as u32);
            }
        }
    }
    let mut hashes: Vec<([u8; 32], u32)> = Vec::with_capacity(count);
    let mut lines = Lines::with_capacity(1024, 16);
    for (blank, mentioned) in mentions.iter().enumerate().filter(|(_, list)| !list.is_empty()) {
        lines.clear();
        for &index in mentioned {
            lines.push(|out| {
                write_quad(out, quads, &unique[index as usize], |other, out| {
                    out.push_str(if other as usize == blank { "_:a" } else { "_:z" });
                })
            });
        }
        let mut hasher = Sha256::new();
        for line in lines.sorted() {
            hasher.update(line.as_bytes());
        }
        hashes.push((hasher.finalize().into(), blank as u32));
    }
    hashes.sort_unstable();
    if hashes.windows(2).any(|pair| pair[0].0 == pair[1].0) {
        return None;
    }
    let mut labels = vec![u32::MAX; count];
    for (label, (_, blank)) in hashes.iter().enumerate() {
        labels[*blank as usize] = label as u32;
    }
    Some(labels)
}

/// The blank nodes of a quad, in subject, object, graph order.
fn blank_nodes(quad: &Quad) -> impl Iterator<Item = u32> {
    let blank = |node: Node| match node {
        Node::Blank(blank) => Some(blank),
        Node::Text(..) => None,
    };
    [blank(quad.subject), blank(quad.object), quad.graph].into_iter().flatten()
}

/// One N-Quads line, blank nodes written by `blank`.
fn write_quad(out: &mut String, quads: &Quads, quad: &Quad, mut blank: impl FnMut(u32, &mut String)) {
    let mut node = |node: Node, out: &mut String| match node {
        Node::Text(start, end) => out.push_str(quads.text_of(start, end)),
        Node::Blank(number) => blank(number, out),
    };
    node(quad.subject, out);
    out.push(' ');
    node(quad.predicate, out);
    out.push(' ');
    node(quad.object, out);
    if let Some(graph) = quad.graph {
        out.push(' ');
        node(Node::Blank(graph), out);
    }
    out.push_str(" .\n");
}
