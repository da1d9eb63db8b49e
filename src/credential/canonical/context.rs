//! Term tables of the bundled JSON-LD contexts: each term's IRI, type
//! coercion, container and scoped context, built once per process by the
//! parts of the JSON-LD 1.1 context processing algorithm those contexts
//! use. Anything else (a context kub does not hold, an inline context,
//! `@base`, `@language`, `@propagate`, a null context, a term shaped like a
//! compact IRI, a protected term redefined differently) makes the table
//! unbuildable, and the fast path declines.

use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::FxHashMap;
use serde_json::{Map, Value};

use super::super::contexts;

/// What a term stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Mapping {
    /// A property or class IRI.
    Iri(Arc<str>),
    /// An alias of `@id`.
    Id,
    /// An alias of `@type`.
    Type,
    /// Something the fast path does not model (another keyword, `@reverse`,
    /// `@nest`, a language or direction mapping…).
    Unmodelled,
}

/// How a string value of the term becomes an RDF term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Coercion {
    /// A plain `xsd:string` literal (no context here sets a language).
    None,
    /// `@type: @id`: an IRI.
    Id,
    /// `@type: @vocab`: a term or an IRI.
    Vocab,
    /// A literal of this datatype.
    Datatype(Arc<str>),
    /// `@json`, `@none`: not modelled.
    Unmodelled,
}

/// The term's `@container`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Container {
    /// None, or `@set`, which expands the same way.
    Set,
    /// `@list`: an RDF collection.
    List,
    /// `@graph`: each value in a named graph of its own.
    Graph,
    /// Index, language, id and type maps, and combinations.
    Unmodelled,
}

/// One term definition.
#[derive(Debug)]
pub(super) struct Term {
    pub mapping: Mapping,
    pub coercion: Coercion,
    pub container: Container,
    /// The term's own `@context`: property-scoped where the term is a
    /// property, type-scoped where it names a type.
    pub scoped: Option<Arc<Value>>,
    protected: bool,
    /// The definition as written (a string normalised to `{"@id": …}`),
    /// without `@protected`: a protected term may only be redefined the
    /// same way.
    written: Map<String, Value>,
}

impl Term {
    fn same_definition(&self, other: &Term) -> bool {
        self.mapping == other.mapping
            && self.coercion == other.coercion
            && self.container == other.container
            && self.scoped == other.scoped
            && self.written == other.written
    }
}

/// An active context: the terms in force and `@vocab`, with the context
/// that a type-scoped context falls back to in nested node objects.
#[derive(Debug, Clone, Default)]
pub(super) struct Context {
    terms: FxHashMap<String, Arc<Term>>,
    vocab: Option<Arc<str>>,
    previous: Option<&'static Context>,
    /// The terms that stand for `@id` and for `@type`, found when the
    /// context is kept: a node's every key is asked whether it is one, and
    /// a short list answers that faster than the table.
    id_aliases: Vec<String>,
    type_aliases: Vec<String>,
}

impl Context {
    /// The definition of `key`, if the context defines it.
    pub fn term(&self, key: &str) -> Option<&Term> {
        self.terms.get(key).map(Arc::as_ref)
    }

    /// The context a type-scoped context was applied to, which nested node
    /// objects return to (type-scoped contexts do not propagate).
    pub fn previous(&self) -> Option<&'static Context> {
        self.previous
    }

    /// Whether `key` is, in this context, an alias of the keyword
    /// `mapping` stands for.
    pub fn is_alias(&self, key: &str, mapping: &Mapping) -> bool {
        let aliases = match mapping {
            Mapping::Id => &self.id_aliases,
            Mapping::Type => &self.type_aliases,
            _ => return self.term(key).is_some_and(|term| term.mapping == *mapping),
        };
        aliases.iter().any(|alias| alias == key)
    }
}

/// How a scoped context is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Scope {
    /// From a node's type: applies to that node only.
    Type,
    /// From the property a value is under: propagates, and may redefine
    /// protected terms.
    Property,
}

/// A process-wide table of contexts processed once.
type Kept<K, V> = OnceLock<Mutex<FxHashMap<K, V>>>;

/// More processed contexts than this are not kept: a document with many
/// combinations of types must not grow the process without bound.
const KEPT: usize = 4096;

/// A processed context kept for the rest of the process. The tables keep
/// every context they hold until the process ends anyway, and a `'static`
/// reference lets every walk on every thread use one without counting
/// references to it, which both threads would otherwise contend for.
fn keep(mut context: Context) -> &'static Context {
    let aliases = |mapping: Mapping| -> Vec<String> {
        context.terms.iter().filter(|(_, term)| term.mapping == mapping).map(|(key, _)| key.clone()).collect()
    };
    (context.id_aliases, context.type_aliases) = (aliases(Mapping::Id), aliases(Mapping::Type));
    Box::leak(Box::new(context))
}

/// The active context for a document's `@context` of bundled URLs, built
/// once per process; `None` when a URL is not bundled, a context uses a
/// feature the tables do not model, or the table is full.
pub(super) fn top_level(urls: &[&str]) -> Option<&'static Context> {
    static TOP_LEVEL: Kept<Vec<String>, Option<&'static Context>> = OnceLock::new();
    let cache = TOP_LEVEL.get_or_init(Mutex::default);
    let key: Vec<String> = urls.iter().map(|url| url.to_string()).collect();
    if let Some(known) = cache.lock().ok()?.get(&key) {
        return *known;
    }
    let built = urls.iter().try_fold(Context::default(), |context, url| process_bundled(&context, url));
    let mut cache = cache.lock().ok()?;
    if let Some(known) = cache.get(&key) {
        return *known;
    }
    if cache.len() >= KEPT {
        return None;
    }
    let kept = built.map(keep);
    cache.insert(key, kept);
    kept
}

/// `active` with the scoped context `scoped` applied, kept for every later
/// document: the same parent context and scoped context always give the
/// same result. `None` where the table is full.
pub(super) fn derive(active: &'static Context, scoped: &'static Value, scope: Scope) -> Option<&'static Context> {
    static DERIVED: Kept<(usize, usize, Scope), &'static Context> = OnceLock::new();
    let cache = DERIVED.get_or_init(Mutex::default);
    // Kept contexts and the scoped contexts their terms hold are never
    // freed, so their addresses are never reused for others.
    let key = (std::ptr::from_ref(active) as usize, std::ptr::from_ref(scoped) as usize, scope);
    if let Some(derived) = cache.lock().ok()?.get(&key) {
        return Some(*derived);
    }
    let derived = process_scoped(active, scoped, scope)?;
    let mut cache = cache.lock().ok()?;
    if let Some(known) = cache.get(&key) {
        return Some(*known);
    }
    if cache.len() >= KEPT {
        return None;
    }
    let kept = keep(derived);
    cache.insert(key, kept);
    Some(kept)
}

/// A bundled context document applied to `active`, as the top-level
/// `@context` applies it.
fn process_bundled(active: &Context, url: &str) -> Option<Context> {
    let document: Value = serde_json::from_str(contexts::bundled(url)?).ok()?;
    let mut result = active.clone();
    match document.get("@context")? {
        Value::Object(local) => define_all(&mut result, local, false)?,
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::Object(local) => define_all(&mut result, local, false)?,
                    Value::String(url) => result = process_bundled(&result, url)?,
                    _ => return None,
                }
            }
        }
        _ => return None,
    }
    Some(result)
}

/// A term's scoped context applied to `active`.
fn process_scoped(active: &'static Context, scoped: &Value, scope: Scope) -> Option<Context> {
    let Value::Object(local) = scoped else { return None };
    let mut result = active.clone();
    if scope == Scope::Type && result.previous.is_none() {
        result.previous = Some(active);
    }
    define_all(&mut result, local, scope == Scope::Property)?;
    Some(result)
}

/// Every definition of one local context object, into `result`.
fn define_all(result: &mut Context, local: &Map<String, Value>, override_protected: bool) -> Option<()> {
    let mut protected = false;
    for (key, value) in local {
        match (key.as_str(), value) {
            ("@version", Value::Number(version)) if version.as_f64() == Some(1.1) => {}
            ("@protected", Value::Bool(flag)) => protected = *flag,
            ("@vocab", Value::String(vocab)) => {
                result.vocab = Some(absolute_iri(result, vocab)?.into());
            }
            ("@vocab", Value::Null) => result.vocab = None,
            (key, _) if key.starts_with('@') => return None,
            _ => {}
        }
    }
    let mut definer = Definer { local, defined: FxHashMap::default(), protected, override_protected };
    for key in local.keys().filter(|key| !key.starts_with('@')) {
        definer.define(result, key)?;
    }
    Some(())
}

/// `value` when it is an absolute IRI that no term of `context` could be
/// the prefix of, as IRI expansion returns it unchanged.
pub(super) fn absolute_iri<'v>(context: &Context, value: &'v str) -> Option<&'v str> {
    unprefixed_iri(context, value).filter(|iri| oxrdf::NamedNodeRef::new(iri).is_ok())
}

/// `value` when it is shaped as an absolute IRI that no term of `context`
/// could be the prefix of; whether it is a valid IRI is for the caller to
/// check (the walk checks each distinct IRI once).
pub(super) fn unprefixed_iri<'v>(context: &Context, value: &'v str) -> Option<&'v str> {
    let (prefix, suffix) = value.split_once(':')?;
    if prefix == "_" || (!suffix.starts_with("//") && context.term(prefix).is_some()) {
        return None;
    }
    Some(value)
}

/// The Create Term Definition algorithm over one local context, with the
/// terms defined so far (a term may name another of the same context).
struct Definer<'l> {
    local: &'l Map<String, Value>,
    defined: FxHashMap<&'l str, bool>,
    protected: bool,
    override_protected: bool,
}

/// What an IRI-valued entry of a definition expands to.
enum Expanded {
    Iri(Arc<str>),
    Id,
    Type,
}

impl<'l> Definer<'l> {
    fn define(&mut self, result: &mut Context, term: &'l str) -> Option<()> {
        match self.defined.get(term) {
            Some(true) => return Some(()),
            Some(false) => return None,
            None => {}
        }
        self.defined.insert(term, false);
        if term.is_empty() || term.contains([':', '/']) {
            return None;
        }
        let written = match self.local.get(term)? {
            Value::String(id) => Map::from_iter([("@id".to_string(), Value::String(id.clone()))]),
            Value::Object(definition) => definition.clone(),
            _ => return None,
        };
        let previous = result.terms.remove(term);
        let definition = self.definition(result, &written)?;
        let kept = match previous {
            Some(previous) if previous.protected && !self.override_protected => {
                if !previous.same_definition(&definition) {
                    return None;
                }
                previous
            }
            _ => Arc::new(definition),
        };
        result.terms.insert(term.to_string(), kept);
        self.defined.insert(term, true);
        Some(())
    }

    fn definition(&mut self, result: &mut Context, written: &Map<String, Value>) -> Option<Term> {
        let protected = match written.get("@protected") {
            Some(Value::Bool(flag)) => *flag,
            Some(_) => return None,
            None => self.protected,
        };
        let mut written = written.clone();
        written.remove("@protected");
        let modelled = written.keys().all(|key| matches!(key.as_str(), "@id" | "@type" | "@container" | "@context"));
        let mapping = match written.get("@id") {
            _ if !modelled => Mapping::Unmodelled,
            Some(Value::String(id)) => match self.expand(result, id)? {
                Expanded::Iri(iri) => Mapping::Iri(iri),
                Expanded::Id => Mapping::Id,
                Expanded::Type => Mapping::Type,
            },
            _ => return None,
        };
        let coercion = match written.get("@type") {
            None => Coercion::None,
            Some(Value::String(kind)) => match kind.as_str() {
                "@id" => Coercion::Id,
                "@vocab" => Coercion::Vocab,
                "@json" | "@none" => Coercion::Unmodelled,
                _ => match self.expand(result, kind)? {
                    Expanded::Iri(iri) => Coercion::Datatype(iri),
                    _ => return None,
                },
            },
            Some(_) => return None,
        };
        let container = match written.get("@container") {
            None => Container::Set,
            Some(Value::String(kind)) => container(kind),
            Some(Value::Array(kinds)) => match kinds.as_slice() {
                [Value::String(kind)] => container(kind),
                _ => Container::Unmodelled,
            },
            Some(_) => return None,
        };
        let scoped = written.get("@context").map(|scoped| Arc::new(scoped.clone()));
        Some(Term { mapping, coercion, container, scoped, protected, written })
    }

    /// IRI expansion of an entry of a definition (vocabulary-relative),
    /// defining first a term of the same context that it names.
    fn expand(&mut self, result: &mut Context, value: &str) -> Option<Expanded> {
        match value {
            "@id" => return Some(Expanded::Id),
            "@type" => return Some(Expanded::Type),
            _ if value.starts_with('@') => return None,
            _ => {}
        }
        let local = self.local;
        if let Some((term, _)) = local.get_key_value(value) {
            self.define(result, term)?;
        }
        if let Some(term) = result.term(value) {
            return match &term.mapping {
                Mapping::Iri(iri) => Some(Expanded::Iri(iri.clone())),
                _ => None,
            };
        }
        let prefix = value.split_once(':')?.0;
        if self.local.contains_key(prefix) {
            return None;
        }
        absolute_iri(result, value).map(|iri| Expanded::Iri(iri.into()))
    }
}

fn container(kind: &str) -> Container {
    match kind {
        "@set" => Container::Set,
        "@list" => Container::List,
        "@graph" => Container::Graph,
        _ => Container::Unmodelled,
    }
}
