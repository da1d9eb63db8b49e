//! RDFC-1.0 for the common case: when every blank node's first-degree
//! hash is unique, the canonical labels follow the order of those hashes
//! (the spec's steps 3 and 4, after which step 5 has nothing to do). The
//! quads are then written with those labels as N-Quads lines in code point
//! order, to a text or straight into a hash. When two blank nodes share a
//! hash, this declines and the caller runs the full algorithm.
//!
//! Lines are put in order without comparing their text. A line is its
//! terms joined by spaces, and no term is a proper prefix of another term
//! that goes on with a space or a lower byte (an IRI ends at its only `>`,
//! a literal's lexical form at its only unescaped `"`, and a longer blank
//! node label goes on with a digit). So two lines compare as their terms
//! do, term by term, and a line without a graph sorts before the same
//! triple in a graph (` .` before ` _:`). Each term's place among all the
//! document's terms is found once, and lines are sorted by those places.

use sha2::{Digest, Sha256};

use super::expand::{Node, Quad, Quads};

/// The canonical N-Quads of `quads`, lines sorted, or `None` when the
/// first-degree hashes do not tell every blank node apart.
pub(super) fn canonical_nquads(quads: &Quads) -> Option<String> {
    let mut text = String::with_capacity(quads.text.len() * 2);
    write_canonical(quads, |line| text.push_str(line))?;
    Some(text)
}

/// The SHA-256 of [`canonical_nquads`], without writing the whole text.
pub(super) fn canonical_hash(quads: &Quads) -> Option<[u8; 32]> {
    let mut hasher = Sha256::new();
    write_canonical(quads, |line| hasher.update(line.as_bytes()))?;
    Some(hasher.finalize().into())
}

/// Each canonical N-Quads line of `quads`, in code point order, to `emit`.
fn write_canonical(quads: &Quads, mut emit: impl FnMut(&str)) -> Option<()> {
    // Quads are numbered with a term or blank node in 31 bits.
    if quads.terms.len() >= 1 << 31 || quads.blank_nodes >= 1 << 31 {
        return None;
    }
    let unique = distinct(quads);
    let places = Places::of_terms(quads);
    let labels = labels(quads, &unique, &places)?;
    let names: Vec<String> = labels.iter().map(|label| format!("_:c14n{label}")).collect();
    // A canonical label's place among the labels, which all sort after
    // every IRI and literal.
    let mut by_name: Vec<u32> = (0..names.len() as u32).collect();
    by_name.sort_unstable_by(|&a, &b| names[a as usize].cmp(&names[b as usize]));
    let mut blank_places = vec![0; names.len()];
    for (place, &blank) in by_name.iter().enumerate() {
        blank_places[blank as usize] = places.after_terms + place as u32;
    }
    let mut order: Vec<(u128, u32)> = unique
        .iter()
        .enumerate()
        .map(|(index, quad)| (places.key(quad, |blank| blank_places[blank as usize]), index as u32))
        .collect();
    order.sort_unstable();
    let mut line = String::with_capacity(256);
    for (_, index) in order {
        line.clear();
        write_quad(&mut line, quads, &unique[index as usize], |blank, out| out.push_str(&names[blank as usize]));
        emit(&line);
    }
    Some(())
}

/// The quads once each: a dataset is a set, and a repeated quad must not
/// count twice in a blank node's hash. Equal terms have equal ids, so
/// sorting by ids groups equal quads.
fn distinct(quads: &Quads) -> Vec<Quad> {
    let mut identities: Vec<u128> = quads.quads.iter().map(identity).collect();
    identities.sort_unstable();
    identities.dedup();
    identities.into_iter().map(from_identity).collect()
}

/// A quad as one number: equal for equal quads, whatever their order.
fn identity(quad: &Quad) -> u128 {
    let node = |node: Node| match node {
        Node::Term(id) => u128::from(id) << 1,
        Node::Blank(number) => (u128::from(number) << 1) | 1,
    };
    let graph = quad.graph.map_or(0, |graph| u128::from(graph) + 1);
    (node(quad.subject) << 96) | (node(quad.predicate) << 64) | (node(quad.object) << 32) | graph
}

/// The quad [`identity`] numbers.
fn from_identity(identity: u128) -> Quad {
    let node = |bits: u32| if bits & 1 == 0 { Node::Term(bits >> 1) } else { Node::Blank(bits >> 1) };
    let part = |shift: u32| (identity >> shift) as u32;
    let graph = part(0).checked_sub(1);
    Quad { subject: node(part(96)), predicate: node(part(64)), object: node(part(32)), graph }
}

/// Where each IRI and literal of the document comes in code point order;
/// blank nodes come after them all, since `_` follows `"` and `<`.
struct Places {
    of_term: Vec<u32>,
    after_terms: u32,
}

impl Places {
    fn of_terms(quads: &Quads) -> Places {
        let count = quads.terms.len() as u32;
        let mut sorted: Vec<u32> = (0..count).collect();
        sorted.sort_unstable_by(|&a, &b| quads.term(a).cmp(quads.term(b)));
        let mut of_term = vec![0; sorted.len()];
        for (place, &term) in sorted.iter().enumerate() {
            of_term[term as usize] = place as u32;
        }
        Places { of_term, after_terms: count }
    }

    /// A number that orders the quad's line among others as its text
    /// would: the places of its terms, blank nodes placed by `blank`.
    fn key(&self, quad: &Quad, blank: impl Fn(u32) -> u32) -> u128 {
        let place = |node: Node| match node {
            Node::Term(id) => u128::from(self.of_term[id as usize]),
            Node::Blank(number) => u128::from(blank(number)),
        };
        let graph = quad.graph.map_or(0, |graph| u128::from(blank(graph)) + 1);
        (place(quad.subject) << 96) | (place(quad.predicate) << 64) | (place(quad.object) << 32) | graph
    }
}

/// Each blank node's canonical number, by the order of its first-degree
/// hash; `None` when two hashes are equal.
fn labels(quads: &Quads, unique: &[Quad], places: &Places) -> Option<Vec<u32>> {
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
    // `_:a` and `_:z` come after every IRI and literal, in that order.
    let (reference, other) = (places.after_terms, places.after_terms + 1);
    let mut hashes: Vec<([u8; 32], u32)> = Vec::with_capacity(count);
    let mut order: Vec<(u128, u32)> = Vec::with_capacity(16);
    let mut line = String::with_capacity(256);
    for (blank, mentioned) in mentions.iter().enumerate().filter(|(_, list)| !list.is_empty()) {
        let stand_in = |number: u32| if number as usize == blank { reference } else { other };
        order.clear();
        order.extend(mentioned.iter().map(|&index| (places.key(&unique[index as usize], stand_in), index)));
        order.sort_unstable();
        let mut hasher = Sha256::new();
        for &(_, index) in &order {
            line.clear();
            write_quad(&mut line, quads, &unique[index as usize], |number, out| {
                out.push_str(if number as usize == blank { "_:a" } else { "_:z" });
            });
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
        Node::Term(_) => None,
    };
    [blank(quad.subject), blank(quad.object), quad.graph].into_iter().flatten()
}

/// One N-Quads line, blank nodes written by `blank`.
fn write_quad(out: &mut String, quads: &Quads, quad: &Quad, mut blank: impl FnMut(u32, &mut String)) {
    let mut node = |node: Node, out: &mut String| match node {
        Node::Term(id) => out.push_str(quads.term(id)),
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
