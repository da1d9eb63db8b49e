//! Participants' output names that never change hands: each name in an
//! output folder belongs to the assessment file that first had it, and the
//! folder keeps a record of who that is.
//!
//! A participant's name is the plain one (`amal-hassan-slottsskogen`) when
//! it is free. When it belongs to someone else, the participant gets the
//! plain name with a short code made from their assessment file's path
//! (`amal-hassan-slottsskogen-3f9a1c`): the same code in every build,
//! whichever other files are built with it. A name is free again once
//! every document under it has been deleted.

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::plan::{DocumentKind, Format};
use crate::diagnostic::{Code, Diagnostic};
use crate::render::write_atomically;

/// The record of who owns which name, relative to the output folder. It is
/// hidden, so watch mode and folder walks pass it by.
pub const OWNERS_FILE: &str = ".kub/owners.json";

/// How many hexadecimal digits of the path's hash a suffixed name gets.
const SUFFIX_LENGTH: usize = 6;

/// How far down its list of names a participant's own name is looked for.
const OWNED_SEARCH: usize = 16;

/// The kinds whose documents are named after a participant.
const PARTICIPANT_KINDS: [DocumentKind; 2] = [DocumentKind::Certificate, DocumentKind::Progress];

/// What the owners file holds.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Record {
    /// Each participant document name, and the identity of its owner.
    participants: BTreeMap<String, String>,
}

/// The participant names of one output folder and who owns them.
#[derive(Debug, Clone, Default)]
pub struct OutputNames {
    /// The output folder, or `None` when nothing is recorded (a plan only
    /// looked at, never built).
    out: Option<PathBuf>,
    /// The folder that assessment paths are taken relative to.
    anchor: PathBuf,
    owners: BTreeMap<String, String>,
    changed: bool,
    problem: Option<Diagnostic>,
}

/// One participant asking for a name.
#[derive(Debug, Clone)]
pub struct Request {
    /// The name they would have if it were free.
    pub wanted: String,
    /// The assessment file they come from.
    pub file: PathBuf,
}

impl OutputNames {
    /// The names recorded in `out`. Assessment paths are identified relative
    /// to `anchor` (the project's folder), so that the same file is the same
    /// owner whichever folder kub runs in. An unreadable record is reported
    /// by [`OutputNames::problem`] and started afresh.
    pub fn load(out: &Path, anchor: &Path) -> OutputNames {
        let mut names = OutputNames { out: Some(out.to_path_buf()), anchor: absolute(anchor), ..Default::default() };
        let path = out.join(OWNERS_FILE);
        match std::fs::read(&path) {
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => names.problem = Some(unreadable(&path, &error.to_string())),
            Ok(bytes) => match serde_json::from_slice::<Record>(&bytes) {
                Ok(record) => names.owners = record.participants,
                Err(error) => names.problem = Some(unreadable(&path, &error.to_string())),
            },
        }
        // A name whose documents are all gone is free again.
        let before = names.owners.len();
        names.owners.retain(|name, _| has_documents(out, name));
        // An unreadable record is replaced by a good one.
        names.changed = names.owners.len() != before || names.problem.is_some();
        names
    }

    /// Names planned without an output folder: nothing is read or recorded.
    pub fn unrecorded(anchor: &Path) -> OutputNames {
        OutputNames { anchor: absolute(anchor), ..Default::default() }
    }

    /// Why the record could not be read, if it could not.
    pub fn problem(&self) -> Option<&Diagnostic> {
        self.problem.as_ref()
    }

    /// Gives every request its name, in the order given. A participant who
    /// owns a name keeps it; the others get the plain name if nobody owns
    /// it, else their own suffixed one. No name goes to two participants.
    pub fn assign(&mut self, requests: &[Request]) -> Vec<String> {
        let paths: Vec<String> = requests.iter().map(|request| self.relative(&request.file)).collect();
        let identities: Vec<String> = paths.iter().map(|path| identity_of(path)).collect();
        let mut names: Vec<Option<String>> = vec![None; requests.len()];
        let mut taken: HashMap<String, usize> = HashMap::new();
        for (index, request) in requests.iter().enumerate() {
            let owned = candidates(&request.wanted, &identities[index])
                .take(OWNED_SEARCH)
                .find(|name| self.owners.get(name) == Some(&identities[index]));
            if let Some(name) = owned
                && !taken.contains_key(&name)
            {
                taken.insert(name.clone(), index);
                names[index] = Some(name);
            }
        }
        // Newcomers wanting one free name settle it the same way every time:
        // the file nearest the top of the project first, so that an original
        // comes before its copy in a backup folder.
        let mut newcomers: Vec<usize> = (0..requests.len()).filter(|&index| names[index].is_none()).collect();
        newcomers.sort_by_key(|&index| (paths[index].matches('/').count(), &paths[index]));
        for index in newcomers {
            let identity = &identities[index];
            let name = candidates(&requests[index].wanted, identity)
                .find(|name| !taken.contains_key(name) && self.owners.get(name).is_none_or(|owner| owner == identity))
                .expect("the numbered names never run out");
            taken.insert(name.clone(), index);
            if self.owners.get(&name) != Some(identity) {
                self.owners.insert(name.clone(), identity.clone());
                self.changed = true;
            }
            names[index] = Some(name);
        }
        names.into_iter().map(|name| name.expect("every request is named")).collect()
    }

    /// Writes the record if it changed. Names planned without an output
    /// folder are never written.
    pub fn save(&mut self) -> Result<(), Diagnostic> {
        let Some(out) = &self.out else { return Ok(()) };
        if !self.changed {
            return Ok(());
        }
        let record = Record { participants: self.owners.clone() };
        let bytes = serde_json::to_vec_pretty(&record).expect("the record serialises");
        let path = out.join(OWNERS_FILE);
        write_atomically(&path, &bytes).map_err(|error| {
            Diagnostic::new(Code::OutputFailed, format!("cannot write {}: {error}", path.display()))
                .hint("check that the output folder is writable and that the disk has room")
        })?;
        self.changed = false;
        Ok(())
    }

    /// An assessment file's path from the anchor, with any personal
    /// identity number in it masked, so that the record never holds one,
    /// not even hashed.
    fn relative(&self, file: &Path) -> String {
        crate::personal_number::mask(&relative_path(&absolute(file), &self.anchor))
    }
}

/// Who an assessment file is, as the record holds it: a hash of its path.
fn identity_of(relative: &str) -> String {
    Sha256::digest(relative.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The names a participant may have, best first: the plain name, the name
/// with their own code, and numbered ones for the one-in-millions case of
/// two codes alike.
fn candidates<'a>(wanted: &'a str, identity: &'a str) -> impl Iterator<Item = String> + 'a {
    let code = &identity[..SUFFIX_LENGTH.min(identity.len())];
    std::iter::once(wanted.to_string())
        .chain(std::iter::once(format!("{wanted}-{code}")))
        .chain((2..).map(move |number| format!("{wanted}-{code}-{number}")))
}

/// Whether any document named `name` is in the output folder.
fn has_documents(out: &Path, name: &str) -> bool {
    PARTICIPANT_KINDS.iter().any(|kind| {
        kind.formats()
            .iter()
            .any(|format: &Format| out.join(kind.folder()).join(name).with_extension(format.extension()).exists())
    })
}

fn unreadable(path: &Path, why: &str) -> Diagnostic {
    Diagnostic::new(Code::OwnersUnreadable, format!("cannot read the record of output names {}: {why}", path.display()))
        .hint("kub starts a new record; a participant whose documents are already there keeps them")
        .hint(format!("if this happens again, delete {} and build again", path.display()))
}

/// `path` made absolute, with links resolved where the file exists.
fn absolute(path: &Path) -> PathBuf {
    path.canonicalize()
        .or_else(|_| std::path::absolute(path))
        .map(|path| crate::model::workspace::normalize(&path))
        .unwrap_or_else(|_| path.to_path_buf())
}

/// `path` relative to `anchor`, with `/` between parts on every system.
pub(crate) fn relative_path(path: &Path, anchor: &Path) -> String {
    let path: Vec<Component> = path.components().collect();
    let anchor: Vec<Component> = anchor.components().collect();
    let shared = path.iter().zip(&anchor).take_while(|(a, b)| a == b).count();
    let ups = std::iter::repeat_n("..".to_string(), anchor.len() - shared);
    let downs = path[shared..].iter().map(|part| part.as_os_str().to_string_lossy().into_owned());
    ups.chain(downs).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(wanted: &str, file: &str) -> Request {
        Request { wanted: wanted.to_string(), file: PathBuf::from(file) }
    }

    #[test]
    fn a_free_name_is_plain_and_a_taken_one_gets_the_participants_own_code() {
        let mut names = OutputNames::unrecorded(Path::new("/project"));
        let assigned = names.assign(&[request("amal", "/project/b.kub"), request("amal", "/project/a.kub")]);
        let code_of_b = &identity_of("b.kub")[..SUFFIX_LENGTH];
        // a.kub comes first among newcomers, whatever the order of the requests.
        assert_eq!(assigned, vec![format!("amal-{code_of_b}"), "amal".to_string()]);
    }

    #[test]
    fn an_owner_keeps_the_name_when_someone_new_arrives() {
        let mut names = OutputNames::unrecorded(Path::new("/project"));
        assert_eq!(names.assign(&[request("amal", "/project/z/z.kub")]), vec!["amal"]);
        let assigned = names.assign(&[request("amal", "/project/a.kub"), request("amal", "/project/z/z.kub")]);
        assert_eq!(assigned[1], "amal");
        assert!(assigned[0].starts_with("amal-") && assigned[0].len() == "amal-".len() + SUFFIX_LENGTH);
        // And the newcomer keeps their suffixed name when built alone.
        assert_eq!(names.assign(&[request("amal", "/project/a.kub")]), vec![assigned[0].clone()]);
    }

    #[test]
    fn identities_hold_no_personal_number() {
        let names = OutputNames::unrecorded(Path::new("/project"));
        assert_eq!(names.relative(Path::new("/project/in/19811218-9876.kub")), "in/XXXXXXXX-XXXX.kub");
        assert_eq!(names.relative(Path::new("/project/in/19900101-1234.kub")), "in/XXXXXXXX-XXXX.kub");
    }

    #[test]
    fn the_record_is_hidden_from_watch_mode() {
        let record = Path::new("/project/out").join(OWNERS_FILE);
        assert!(crate::watch::paths::is_hidden_below(&record, Path::new("/project")));
        assert!(crate::watch::paths::is_hidden_below(&record, Path::new("/project/out")));
    }

    #[test]
    fn paths_are_relative_to_the_anchor() {
        assert_eq!(relative_path(Path::new("/p/examples/a.kub"), Path::new("/p")), "examples/a.kub");
        assert_eq!(relative_path(Path::new("/p/a.kub"), Path::new("/p/out")), "../a.kub");
    }
}
