//! ESCO addresses in framework files, checked for their shape only: ESCO
//! names each concept by one `http://data.europa.eu/esco/...` URI, and a
//! system that receives a credential or a CASE package compares those
//! URIs as text, so `https://`, a trailing `/` or a mistyped identifier
//! links to nothing. A framework names an occupation (or an ISCO group), a
//! task names a skill.
//!
//! Whether the concept exists is not checked: that needs the ESCO dataset,
//! which kub does not bundle, and kub checks offline.

use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Location};
use crate::syntax::ast::{FrameworkDoc, FrameworkItem, Str, TaskDef, TaskItem};

const HOST: &str = "data.europa.eu";
const EXAMPLE_OCCUPATION: &str = "http://data.europa.eu/esco/occupation/<identifier>";
const EXAMPLE_SKILL: &str = "http://data.europa.eu/esco/skill/<identifier>";

/// Lints every `esco` line of a framework or library file: the header's
/// as an occupation, each task's as a skill.
pub(super) fn check_esco(file: FileId, doc: &FrameworkDoc) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for item in &doc.items {
        match item {
            FrameworkItem::Esco { uri, .. } => lint(file, uri, Expected::Occupation, &mut diagnostics),
            FrameworkItem::Area(area) | FrameworkItem::OverrideArea(area) => {
                area.tasks.iter().for_each(|task| check_task(file, task, &mut diagnostics));
            }
            FrameworkItem::OverrideTask(task) => check_task(file, task, &mut diagnostics),
            _ => {}
        }
    }
    diagnostics
}

fn check_task(file: FileId, task: &TaskDef, diagnostics: &mut Vec<Diagnostic>) {
    for item in &task.items {
        if let TaskItem::Esco { uri, .. } = item {
            lint(file, uri, Expected::Skill, diagnostics);
        }
    }
}

/// What an `esco` line should name where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expected {
    /// The framework's: an occupation or an ISCO group.
    Occupation,
    /// A task's: a skill.
    Skill,
}

/// The three kinds of concept an address can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pillar {
    Occupation,
    Isco,
    Skill,
}

impl Pillar {
    fn segment(self) -> &'static str {
        match self {
            Pillar::Occupation => "occupation",
            Pillar::Isco => "isco",
            Pillar::Skill => "skill",
        }
    }

    fn described(self) -> &'static str {
        match self {
            Pillar::Occupation => "an occupation",
            Pillar::Isco => "an ISCO occupation group",
            Pillar::Skill => "a skill",
        }
    }
}

/// What an address written as ESCO's turned out to be.
#[derive(Debug, PartialEq, Eq)]
enum Reading {
    /// A concept's address in ESCO's form.
    Exact(Pillar),
    /// A concept's address written another way: `https://`, or with the
    /// `flaws` named; `canonical` is how ESCO writes it.
    Fixable { pillar: Pillar, https: bool, flaws: Vec<String>, canonical: String },
    /// On ESCO's host, but no concept's address; `why` says what is wrong.
    Malformed { why: String },
    /// Not on ESCO's host at all; `inside` is the concept's address when
    /// the text is a link to ESCO's portal that carries one.
    Elsewhere { inside: Option<String> },
}

fn lint(file: FileId, uri: &Str, expected: Expected, diagnostics: &mut Vec<Diagnostic>) {
    let location = Location::new(file, uri.span);
    let example = match expected {
        Expected::Occupation => EXAMPLE_OCCUPATION,
        Expected::Skill => EXAMPLE_SKILL,
    };
    let pillar = match read(&uri.value) {
        Reading::Exact(pillar) => pillar,
        Reading::Fixable { pillar, https, flaws, canonical } => {
            diagnostics.push(fixable(https, &flaws, &canonical).at(location));
            pillar
        }
        Reading::Malformed { why } => {
            diagnostics.push(
                Diagnostic::new(Code::MalformedEscoUri, format!("this ESCO address {why}"))
                    .at(location)
                    .label("not an ESCO concept's address")
                    .hint(format!("copy the concept's URI from the ESCO portal; it looks like `{example}`")),
            );
            return;
        }
        Reading::Elsewhere { inside } => {
            let (message, hint) = match inside {
                Some(inside) => (
                    "this is the address of a page of the ESCO portal, not of an ESCO concept".to_string(),
                    format!("write the concept's URI, which the page shows: `{inside}`"),
                ),
                None => (
                    format!("`{}` is not an ESCO address", uri.value.trim()),
                    format!("copy the concept's URI from the ESCO portal; it looks like `{example}`"),
                ),
            };
            diagnostics.push(
                Diagnostic::new(Code::NotAnEscoUri, message)
                    .at(location)
                    .label(format!("expected an address that begins `http://{HOST}/esco/`"))
                    .hint(hint),
            );
            return;
        }
    };
    if let Some(diagnostic) = wrong_pillar(pillar, expected) {
        diagnostics.push(diagnostic.at(location));
    }
}

fn fixable(https: bool, flaws: &[String], canonical: &str) -> Diagnostic {
    let mut problems: Vec<String> = flaws.to_vec();
    let code = if https {
        problems.insert(0, "starts with `https://`".into());
        Code::EscoUriNotHttp
    } else {
        Code::MalformedEscoUri
    };
    let mut diagnostic = Diagnostic::new(code, format!("this ESCO address {}", problems.join(" and ")))
        .label("written another way than ESCO writes it")
        .hint(format!("write `{canonical}`"));
    if https {
        diagnostic = diagnostic.hint("ESCO's URIs are names that start with `http://`; systems compare them letter by letter, so the `https://` form matches no concept");
    }
    diagnostic
}

fn wrong_pillar(pillar: Pillar, expected: Expected) -> Option<Diagnostic> {
    let (owner, wanted, fix) = match (expected, pillar) {
        (Expected::Occupation, Pillar::Occupation | Pillar::Isco) | (Expected::Skill, Pillar::Skill) => return None,
        (Expected::Occupation, Pillar::Skill) => (
            "a framework's",
            "an occupation (or an ISCO occupation group)",
            "give the occupation the framework validates here, and move the skill to the task it belongs to",
        ),
        (Expected::Skill, _) => (
            "a task's",
            "a skill",
            "give the skill the task practises here; the occupation belongs on the framework's own `esco` line",
        ),
    };
    Some(
        Diagnostic::new(
            Code::EscoWrongPillar,
            format!("{owner} ESCO address should name {wanted}, and this names {}", pillar.described()),
        )
        .label(format!("{} in ESCO", pillar.described()))
        .hint(fix),
    )
}

/// Reads `text` as an ESCO address.
fn read(text: &str) -> Reading {
    let mut flaws = Vec::new();
    let trimmed = text.trim();
    if trimmed != text {
        flaws.push("has spaces around it".to_string());
    }
    let lower = trimmed.to_ascii_lowercase();
    let (https, rest) = match (lower.strip_prefix("http://"), lower.strip_prefix("https://")) {
        (Some(_), _) => (false, &trimmed["http://".len()..]),
        (_, Some(_)) => (true, &trimmed["https://".len()..]),
        _ => return Reading::Elsewhere { inside: portal_link(trimmed) },
    };
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if !host.eq_ignore_ascii_case(HOST) {
        return Reading::Elsewhere { inside: portal_link(trimmed) };
    }
    if host != HOST {
        flaws.push(format!("writes the host as `{host}`"));
    }
    let path = match path.find(['?', '#']) {
        Some(at) => {
            flaws.push(format!("has `{}` after the identifier", &path[at..]));
            &path[..at]
        }
        None => path,
    };
    let bare = path.trim_end_matches('/');
    if bare.len() != path.len() {
        flaws.push("ends in `/`".into());
    }
    let segments: Vec<&str> = bare.split('/').collect();
    let [esco, kind, id] = segments[..] else {
        return Reading::Malformed {
            why: format!(
                "has the path `/{bare}`, not `/esco/` followed by `occupation/`, `skill/` or `isco/` and an identifier"
            ),
        };
    };
    if esco != "esco" {
        return Reading::Malformed {
            why: format!("has the path `/{bare}`, which is no ESCO concept (ESCO's begin `/esco/`)"),
        };
    }
    let Some(pillar) = pillar_of(kind, &mut flaws) else {
        return Reading::Malformed { why: format!("names `{kind}`, which is not `occupation`, `skill` or `isco`") };
    };
    let id = match identifier(pillar, id, &mut flaws) {
        Ok(id) => id,
        Err(why) => return Reading::Malformed { why },
    };
    if !https && flaws.is_empty() {
        return Reading::Exact(pillar);
    }
    let canonical = format!("http://{HOST}/esco/{}/{id}", pillar.segment());
    Reading::Fixable { pillar, https, flaws, canonical }
}

/// The pillar a path segment names; a capital or a plural `s` is a flaw.
fn pillar_of(kind: &str, flaws: &mut Vec<String>) -> Option<Pillar> {
    let lower = kind.to_ascii_lowercase();
    let pillar = match lower.strip_suffix('s').unwrap_or(&lower) {
        "occupation" => Pillar::Occupation,
        "skill" => Pillar::Skill,
        "isco" => Pillar::Isco,
        _ => return None,
    };
    if kind != pillar.segment() {
        flaws.push(format!("writes `/{kind}/` for `/{}/`", pillar.segment()));
    }
    Some(pillar)
}

/// The concept's identifier as ESCO writes it, or why it is none.
fn identifier(pillar: Pillar, id: &str, flaws: &mut Vec<String>) -> Result<String, String> {
    let (valid, lowered) = match pillar {
        Pillar::Isco => {
            let digits = id.strip_prefix(['C', 'c']).unwrap_or(id);
            let valid = (1..=4).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
            if valid && !id.starts_with('C') {
                flaws.push("leaves out the `C` before the ISCO code".into());
            }
            (valid, format!("C{digits}"))
        }
        // Skill groups of ESCO's hierarchy are named by codes such as `S1.2.3`.
        Pillar::Skill if is_hierarchy_code(id) => (true, id.to_string()),
        Pillar::Occupation | Pillar::Skill => {
            let lowered = id.to_ascii_lowercase();
            let valid = is_uuid(&lowered);
            if valid && lowered != id {
                flaws.push("has capital letters in its identifier".into());
            }
            (valid, lowered)
        }
    };
    if valid {
        return Ok(lowered);
    }
    Err(match pillar {
        Pillar::Isco => {
            format!("ends in `{id}`, which is no ISCO group: expected `C` and up to four digits, such as `C6113`")
        }
        _ => format!(
            "ends in `{id}`, which is no ESCO identifier: {} is named by a UUID, 32 hexadecimal digits in groups of 8-4-4-4-12",
            pillar.described()
        ),
    })
}

fn is_uuid(id: &str) -> bool {
    let groups: Vec<&str> = id.split('-').collect();
    groups.iter().map(|group| group.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|group| group.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
}

/// `S1.2.3`, `T4`, `K0712` or `L1`: a group of ESCO's skills hierarchy.
fn is_hierarchy_code(id: &str) -> bool {
    let Some(rest) = id.strip_prefix(['S', 'T', 'K', 'L']) else { return false };
    !rest.is_empty() && rest.split('.').all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}

/// The concept's address inside a link to a page of ESCO's portal, which
/// carries it as `?uri=` (percent-encoded or not).
fn portal_link(text: &str) -> Option<String> {
    let (_, query) = text.split_once("uri=")?;
    let encoded = query.split('&').next()?;
    let decoded = encoded.replace("%3A", ":").replace("%3a", ":").replace("%2F", "/").replace("%2f", "/");
    match read(&decoded) {
        Reading::Exact(_) => Some(decoded),
        Reading::Fixable { canonical, .. } => Some(canonical),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const UUID: &str = "ccdf3597-5c80-410f-896d-e1bdfa223de9";

    #[test]
    fn the_forms_esco_writes_are_read_as_their_pillar() {
        assert_eq!(read(&format!("http://data.europa.eu/esco/skill/{UUID}")), Reading::Exact(Pillar::Skill));
        assert_eq!(read(&format!("http://data.europa.eu/esco/occupation/{UUID}")), Reading::Exact(Pillar::Occupation));
        assert_eq!(read("http://data.europa.eu/esco/isco/C6113"), Reading::Exact(Pillar::Isco));
        assert_eq!(read("http://data.europa.eu/esco/skill/S1.2.3"), Reading::Exact(Pillar::Skill));
    }

    #[test]
    fn other_forms_of_a_concept_are_given_the_one_esco_writes() {
        let canonical = format!("http://data.europa.eu/esco/skill/{UUID}");
        for written in [
            format!("https://data.europa.eu/esco/skill/{UUID}"),
            format!("http://data.europa.eu/esco/skill/{UUID}/"),
            format!("http://data.europa.eu/esco/skills/{}", UUID.to_uppercase()),
            format!(" http://data.europa.eu/esco/skill/{UUID}?lang=sv"),
        ] {
            let Reading::Fixable { canonical: given, .. } = read(&written) else { panic!("{written}") };
            assert_eq!(given, canonical, "{written}");
        }
        let Reading::Fixable { canonical, .. } = read("http://data.europa.eu/esco/isco/6113") else { panic!() };
        assert_eq!(canonical, "http://data.europa.eu/esco/isco/C6113");
    }

    #[test]
    fn addresses_that_name_no_concept_say_why() {
        assert!(matches!(read("http://data.europa.eu/esco/skill/ccdf3597-5c80"), Reading::Malformed { .. }));
        assert!(matches!(read("http://data.europa.eu/snb/eqf/4"), Reading::Malformed { .. }));
        assert!(matches!(read("http://data.europa.eu/esco/concept/x"), Reading::Malformed { .. }));
        assert_eq!(read("http://example.org/esco/skill/x"), Reading::Elsewhere { inside: None });
        assert_eq!(read("grasklippning"), Reading::Elsewhere { inside: None });
    }

    #[test]
    fn a_portal_link_gives_the_concept_it_shows() {
        let link = format!(
            "https://esco.ec.europa.eu/en/classification/skill?uri=http%3A%2F%2Fdata.europa.eu%2Fesco%2Fskill%2F{UUID}"
        );
        let inside = Some(format!("http://data.europa.eu/esco/skill/{UUID}"));
        assert_eq!(read(&link), Reading::Elsewhere { inside });
    }
}
