//! A JSON-LD document to RDF quads in one walk, by the term tables: the
//! expansion and node-map steps of JSON-LD 1.1 for the shapes kub's
//! credentials and proofs have (node objects, strings, whole numbers,
//! booleans, `@set`, `@list` and `@graph` containers, type- and
//! property-scoped contexts). Each function returns `None`, and the fast
//! path declines, for anything else.

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHasher};
use serde_json::{Map, Value};

use super::context::{self, Coercion, Container, Context, Mapping, Scope, Term, unprefixed_iri};

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const RDF_FIRST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first";
const RDF_REST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest";
const RDF_NIL: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil";
const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";
const XSD_BOOLEAN: &str = "http://www.w3.org/2001/XMLSchema#boolean";
const XSD_INTEGER: &str = "http://www.w3.org/2001/XMLSchema#integer";
const XSD_DOUBLE: &str = "http://www.w3.org/2001/XMLSchema#double";

/// A term of a quad: an IRI or literal of [`Quads::terms`], or a blank
/// node. Each text is written once, so that equal terms have equal ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Node {
    /// An IRI (`<…>`) or literal (`"…"^^<…>`) by its place in [`Quads::terms`].
    Term(u32),
    /// A blank node by its number in the document.
    Blank(u32),
}

/// One quad; `graph` is a blank node's number, or `None` for the default graph.
#[derive(Debug, Clone, Copy)]
pub(super) struct Quad {
    pub subject: Node,
    pub predicate: Node,
    pub object: Node,
    pub graph: Option<u32>,
}

/// A document's quads, with the N-Quads text of their IRIs and literals.
#[derive(Debug, Default)]
pub(super) struct Quads {
    /// Every IRI and literal as written, one after the other.
    pub text: String,
    /// The byte range in `text` of each distinct IRI and literal.
    pub terms: Vec<(u32, u32)>,
    pub quads: Vec<Quad>,
    pub blank_nodes: u32,
}

impl Quads {
    /// The N-Quads text of an IRI or literal.
    pub fn term(&self, id: u32) -> &str {
        let (start, end) = self.terms[id as usize];
        &self.text[start as usize..end as usize]
    }
}

/// `then` of the quads of `document` without its entry `left_out`, or
/// `None` where the document has a shape the tables do not model.
///
/// Each thread keeps the buffers of its last walk for the next, up to a
/// size, so that signing or verifying one credential after another does
/// not ask the system for fresh memory for each.
pub(super) fn with_quads<R>(
    document: &Map<String, Value>,
    left_out: &str,
    then: impl FnOnce(&Quads) -> Option<R>,
) -> Option<R> {
    const KEPT_BYTES: usize = 4 << 20;
    thread_local! {
        static SPARE: std::cell::Cell<Option<Box<Walk>>> = const { std::cell::Cell::new(None) };
    }
    let mut walk = SPARE.take().unwrap_or_default();
    walk.clear();
    let result = walk.run(document, left_out).and_then(|()| then(&walk.quads));
    if walk.quads.text.capacity() <= KEPT_BYTES && walk.quads.quads.len() * size_of::<Quad>() <= KEPT_BYTES {
        SPARE.set(Some(walk));
    }
    result
}

#[derive(Default)]
struct Walk {
    quads: Quads,
    graph: Option<u32>,
    /// Each term written so far, by the hash of its text.
    written: FxHashMap<u64, u32>,
    /// The scoped contexts derived so far, as [`context::derive`] keys
    /// them, so that the walk takes the process-wide table's lock once for
    /// each rather than at every node.
    derived: FxHashMap<(usize, usize, Scope), &'static Context>,
    /// The IRIs of the contexts' terms and of RDF itself met so far, by
    /// the address and length of their text, which lives as long as the
    /// process: every quad's predicate is one, and is found here without
    /// being written out and hashed again.
    known_iris: FxHashMap<(usize, usize), Node>,
}

impl Walk {
    /// Empty, keeping what its buffers have room for.
    fn clear(&mut self) {
        self.quads.text.clear();
        self.quads.terms.clear();
        self.quads.quads.clear();
        self.quads.blank_nodes = 0;
        self.graph = None;
        self.written.clear();
        self.derived.clear();
        self.known_iris.clear();
    }

    /// The quads of `document` without its entry `left_out`.
    fn run(&mut self, document: &Map<String, Value>, left_out: &str) -> Option<()> {
        let urls: Vec<&str> = match document.get("@context")? {
            Value::String(url) => vec![url.as_str()],
            Value::Array(items) => items.iter().map(Value::as_str).collect::<Option<_>>()?,
            _ => return None,
        };
        let context = context::top_level(&urls)?;
        self.node(document, context, None, Some(left_out)).map(|_| ())
    }

    /// A node object's quads; its subject. `property` is the term it is
    /// the value of; `left_out` is set for the document itself, whose
    /// `@context` and left-out entry are skipped.
    fn node(
        &mut self,
        map: &Map<String, Value>,
        active: &'static Context,
        property: Option<&'static Term>,
        left_out: Option<&str>,
    ) -> Option<Node> {
        let top = left_out.is_some();
        let entries =
            || map.iter().filter(move |(key, _)| !top || (*key != "@context" && Some(key.as_str()) != left_out));
        if !top && map.contains_key("@context") {
            return None;
        }
        let only_id = map.len() == 1 && entries().all(|(key, _)| active.is_alias(key, &Mapping::Id));
        let mut context = match active.previous() {
            Some(previous) if !only_id => previous,
            _ => active,
        };
        if let Some(scoped) = property.and_then(|term| term.scoped.as_deref()) {
            context = self.derive(context, scoped, Scope::Property)?;
        }
        let type_scoped = context;
        let mut type_entries = entries().filter(|(key, _)| type_scoped.is_alias(key, &Mapping::Type));
        let types: Vec<&str> = match type_entries.next() {
            None => Vec::new(),
            Some(_) if type_entries.next().is_some() => return None,
            Some((_, Value::String(kind))) => vec![kind.as_str()],
            Some((_, Value::Array(kinds))) => kinds.iter().map(Value::as_str).collect::<Option<_>>()?,
            Some(_) => return None,
        };
        let mut sorted = types.clone();
        sorted.sort_unstable();
        for kind in sorted {
            if let Some(scoped) = type_scoped.term(kind).and_then(|term| term.scoped.as_deref()) {
                context = self.derive(context, scoped, Scope::Type)?;
            }
        }
        let mut ids = entries().filter(|(key, _)| context.is_alias(key, &Mapping::Id));
        let subject = match (ids.next(), ids.next()) {
            (None, _) => self.blank(),
            (Some((_, Value::String(id))), None) => self.iri(document_iri(context, id)?)?,
            _ => return None,
        };
        for (key, value) in entries() {
            let term = context.term(key)?;
            // Types were read in the context before type-scoped contexts;
            // a key that changed meaning between the two is not modelled.
            if type_scoped.is_alias(key, &Mapping::Type) != (term.mapping == Mapping::Type) {
                return None;
            }
            match &term.mapping {
                Mapping::Id => {}
                Mapping::Type => {
                    for kind in &types {
                        let object = self.vocab_iri(type_scoped, kind)?;
                        let predicate = self.known_iri(RDF_TYPE)?;
                        self.emit(subject, predicate, object);
                    }
                }
                Mapping::Iri(iri) => {
                    let predicate = self.known_iri(iri)?;
                    self.property(subject, predicate, key, term, value, context)?;
                }
                Mapping::Unmodelled => return None,
            }
        }
        Some(subject)
    }

    /// The quads of one property's value.
    fn property(
        &mut self,
        subject: Node,
        predicate: Node,
        key: &str,
        term: &'static Term,
        value: &Value,
        context: &'static Context,
    ) -> Option<()> {
        let items = match value {
            Value::Null => return Some(()),
            Value::Array(items) => items.as_slice(),
            single => std::slice::from_ref(single),
        };
        match term.container {
            Container::Set => {
                for item in items.iter().filter(|item| !item.is_null()) {
                    let object = self.value(key, term, item, context)?;
                    self.emit(subject, predicate, object);
                }
            }
            Container::List => {
                let mut objects = Vec::with_capacity(items.len());
                for item in items.iter().filter(|item| !item.is_null()) {
                    objects.push(self.value(key, term, item, context)?);
                }
                let head = self.list(&objects)?;
                self.emit(subject, predicate, head);
            }
            Container::Graph => {
                for item in items.iter().filter(|item| !item.is_null()) {
                    let Value::Object(map) = item else { return None };
                    let graph = self.blank_number();
                    self.emit(subject, predicate, Node::Blank(graph));
                    let outer = self.graph.replace(graph);
                    let before = self.quads.quads.len();
                    self.node(map, context, Some(term), None)?;
                    if self.quads.quads.len() == before {
                        return None;
                    }
                    self.graph = outer;
                }
            }
            Container::Unmodelled => return None,
        }
        Some(())
    }

    /// An RDF collection of `objects`; its head. Built from the tail, so
    /// that a long list needs no deep recursion.
    fn list(&mut self, objects: &[Node]) -> Option<Node> {
        let mut tail = self.known_iri(RDF_NIL)?;
        for object in objects.iter().rev() {
            let head = self.blank();
            let (first, rest) = (self.known_iri(RDF_FIRST)?, self.known_iri(RDF_REST)?);
            self.emit(head, first, *object);
            self.emit(head, rest, tail);
            tail = head;
        }
        Some(tail)
    }

    /// One value of property `key`: a node object, or a scalar expanded by
    /// the term's coercion.
    fn value(&mut self, key: &str, term: &'static Term, item: &Value, context: &'static Context) -> Option<Node> {
        if let Value::Object(map) = item {
            return self.node(map, context, Some(term), None);
        }
        // A scalar is read in the property-scoped context (it is never a
        // new node, so type-scoped contexts still apply), and by the
        // property's definition there.
        let (context, term) = match term.scoped.as_deref() {
            Some(local) => {
                let scoped = self.derive(context, local, Scope::Property)?;
                (scoped, scoped.term(key)?)
            }
            None => (context, term),
        };
        match (item, &term.coercion) {
            (Value::String(text), Coercion::None) => self.literal(text, XSD_STRING),
            (Value::String(text), Coercion::Datatype(datatype)) => self.literal(text, datatype),
            (Value::String(text), Coercion::Id) => self.iri(document_iri(context, text)?),
            (Value::String(text), Coercion::Vocab) => self.vocab_iri(context, text),
            (Value::Bool(flag), Coercion::None) => self.literal(if *flag { "true" } else { "false" }, XSD_BOOLEAN),
            (Value::Bool(flag), Coercion::Datatype(datatype)) => {
                self.literal(if *flag { "true" } else { "false" }, datatype)
            }
            (Value::Number(number), Coercion::None | Coercion::Datatype(_)) => {
                let whole =
                    number.as_i64().map(|n| n.to_string()).or_else(|| number.as_u64().map(|n| n.to_string()))?;
                let datatype = match &term.coercion {
                    Coercion::Datatype(datatype) if &**datatype == XSD_DOUBLE => return None,
                    Coercion::Datatype(datatype) => datatype,
                    _ => XSD_INTEGER,
                };
                self.literal(&whole, datatype)
            }
            _ => None,
        }
    }

    /// [`context::derive`], asked of the process-wide table once per walk.
    fn derive(&mut self, active: &'static Context, scoped: &'static Value, scope: Scope) -> Option<&'static Context> {
        let key = (std::ptr::from_ref(active) as usize, std::ptr::from_ref(scoped) as usize, scope);
        if let Some(derived) = self.derived.get(&key) {
            return Some(*derived);
        }
        let derived = context::derive(active, scoped, scope)?;
        self.derived.insert(key, derived);
        Some(derived)
    }

    fn emit(&mut self, subject: Node, predicate: Node, object: Node) {
        self.quads.quads.push(Quad { subject, predicate, object, graph: self.graph });
    }

    fn blank_number(&mut self) -> u32 {
        self.quads.blank_nodes += 1;
        self.quads.blank_nodes - 1
    }

    fn blank(&mut self) -> Node {
        Node::Blank(self.blank_number())
    }

    /// An IRI whose text lives as long as the process, written once.
    fn known_iri(&mut self, iri: &'static str) -> Option<Node> {
        let key = (iri.as_ptr() as usize, iri.len());
        if let Some(node) = self.known_iris.get(&key) {
            return Some(*node);
        }
        let node = self.iri(iri)?;
        self.known_iris.insert(key, node);
        Some(node)
    }

    /// A type or `@type: @vocab` value: a term's IRI, or an absolute IRI.
    fn vocab_iri(&mut self, context: &'static Context, value: &str) -> Option<Node> {
        if value.starts_with('@') {
            return None;
        }
        match context.term(value) {
            Some(term) => match &term.mapping {
                Mapping::Iri(iri) => self.known_iri(iri),
                _ => None,
            },
            None => self.iri(unprefixed_iri(context, value)?),
        }
    }

    /// An IRI, checked to be one the first time the walk meets it.
    fn iri(&mut self, iri: &str) -> Option<Node> {
        let start = self.quads.text.len();
        let text = &mut self.quads.text;
        text.push('<');
        text.push_str(iri);
        text.push('>');
        let (node, first) = self.written_once(start)?;
        if first {
            oxrdf::NamedNodeRef::new(iri).ok()?;
        }
        Some(node)
    }

    /// A literal in canonical N-Quads form: `xsd:string` unmarked, other
    /// datatypes after `^^`.
    fn literal(&mut self, lexical: &str, datatype: &str) -> Option<Node> {
        let start = self.quads.text.len();
        let text = &mut self.quads.text;
        write_quoted(text, lexical);
        if datatype != XSD_STRING {
            text.push_str("^^<");
            text.push_str(datatype);
            text.push('>');
        }
        self.written_once(start).map(|(node, _)| node)
    }

    /// The text written from `start` as a term, and whether it is new;
    /// written before, it is taken back and the earlier term given.
    /// Declines where two texts share a hash, which a chosen input could
    /// bring about.
    fn written_once(&mut self, start: usize) -> Option<(Node, bool)> {
        let text = &mut self.quads.text;
        let mut hasher = FxHasher::default();
        text[start..].hash(&mut hasher);
        let next = u32::try_from(self.quads.terms.len()).ok()?;
        let id = *self.written.entry(hasher.finish()).or_insert(next);
        if id == next {
            let range = (u32::try_from(start).ok()?, u32::try_from(text.len()).ok()?);
            self.quads.terms.push(range);
            return Some((Node::Term(id), true));
        }
        let (first, last) = self.quads.terms[id as usize];
        if text[first as usize..last as usize] != text[start..] {
            return None;
        }
        text.truncate(start);
        Some((Node::Term(id), false))
    }
}

/// `text` quoted with N-Quads escapes, as oxrdf writes literals (and so as
/// the general path hashes them).
fn write_quoted(out: &mut String, text: &str) {
    out.push('"');
    // U+FFFE and U+FFFF begin with the byte 0xEF, as do other letters,
    // which then take the slow path.
    const ESCAPED: [bool; 256] = {
        let mut escaped = [false; 256];
        let mut byte = 0;
        while byte < 256 {
            escaped[byte] =
                byte < 0x20 || byte == b'"' as usize || byte == b'\\' as usize || byte == 0x7F || byte == 0xEF;
            byte += 1;
        }
        escaped
    };
    if !text.bytes().any(|b| ESCAPED[b as usize]) {
        out.push_str(text);
        out.push('"');
        return;
    }
    for c in text.chars() {
        match c {
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{C}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\0'..='\u{1F}' | '\u{7F}' | '\u{FFFE}' | '\u{FFFF}' => {
                out.push_str(&format!("\\u{:04X}", u32::from(c)));
            }
            _ => out.push(c),
        }
    }
    out.push('"');
}

/// An `@id` or `@type: @id` value: an absolute IRI (relative IRIs,
/// blank node identifiers and compact IRIs are not modelled).
fn document_iri<'v>(context: &Context, value: &'v str) -> Option<&'v str> {
    if value.starts_with('@') {
        return None;
    }
    unprefixed_iri(context, value)
}
