//! Hover, go to definition, find references and rename: each starts from
//! the naming word under the cursor and follows it to its definition.

use std::collections::HashMap;
use std::path::PathBuf;

use lsp_types::{Location as LspLocation, Position, Range, TextEdit, Uri, WorkspaceEdit};

use super::analysis::View;
use super::names::{self, Name, Occurrence};
use super::position::{Encoding, LineIndex};
use crate::model::{Framework, LocalizedText};
use crate::source::{FileId, Location};
use crate::syntax::ast::ItemKind;

/// A check seen from the editor: files by URI, positions in its encoding.
pub struct Editor<'a> {
    /// The check the answers come from.
    pub view: View<'a>,
    /// How the editor counts columns.
    pub encoding: Encoding,
    /// The URIs the editor opened documents by, which answers name them by.
    pub uris: &'a HashMap<PathBuf, Uri>,
}

impl<'a> Editor<'a> {
    /// The URI of a file in the workspace.
    pub fn uri(&self, file: FileId) -> Option<Uri> {
        let path = super::diagnostics::absolute(self.view.path(file));
        self.uris.get(&path).cloned().or_else(|| super::paths::from_path(&path))
    }

    /// The line index of a file in the workspace.
    pub fn lines(&self, file: FileId) -> LineIndex<'a> {
        LineIndex::new(self.view.text(file), self.encoding)
    }

    /// A place in the workspace as the editor names it.
    pub fn location(&self, location: Location) -> Option<LspLocation> {
        Some(LspLocation::new(self.uri(location.file)?, self.lines(location.file).range(location.span)))
    }

    /// The naming word at a position of a file.
    pub fn occurrence_at(&self, file: FileId, position: Position) -> Option<Occurrence> {
        let offset = self.lines(file).offset(position);
        names::at(self.view.document(file)?, offset)
    }

    /// Every naming word in the workspace that leads to `definition`.
    fn occurrences_of(&self, definition: Location) -> Vec<(FileId, Occurrence)> {
        let mut found = Vec::new();
        for file in self.view.workspace().file_ids() {
            let Some(document) = self.view.document(file) else { continue };
            for occurrence in names::occurrences(document) {
                if names::resolve(&self.view, file, &occurrence) == Some(definition) {
                    found.push((file, occurrence));
                }
            }
        }
        found
    }

    /// Where the word at a position is defined.
    pub fn definition(&self, file: FileId, position: Position) -> Option<LspLocation> {
        let occurrence = self.occurrence_at(file, position)?;
        self.location(names::resolve(&self.view, file, &occurrence)?)
    }

    /// Every place the word at a position names the same thing, across files.
    pub fn references(&self, file: FileId, position: Position, with_definition: bool) -> Vec<LspLocation> {
        let Some(occurrence) = self.occurrence_at(file, position) else { return Vec::new() };
        let Some(definition) = names::resolve(&self.view, file, &occurrence) else { return Vec::new() };
        self.occurrences_of(definition)
            .into_iter()
            .filter(|(_, occurrence)| with_definition || !occurrence.defines)
            .filter_map(|(file, occurrence)| self.location(Location::new(file, occurrence.span)))
            .collect()
    }

    /// The range a rename at this position would change, if the word there can be renamed.
    pub fn prepare_rename(&self, file: FileId, position: Position) -> Result<Range, String> {
        let occurrence = self.occurrence_at(file, position).ok_or("there is no id here to rename")?;
        if matches!(occurrence.name, Name::Include(_)) {
            return Err("a file name is renamed in the file manager, not here".to_string());
        }
        names::resolve(&self.view, file, &occurrence)
            .ok_or_else(|| format!("`{}` is not defined anywhere kub can see", self.word(file, &occurrence)))?;
        Ok(self.lines(file).range(occurrence.span))
    }

    fn word(&self, file: FileId, occurrence: &Occurrence) -> &'a str {
        self.view.text(file).get(occurrence.span.range()).unwrap_or_default()
    }

    /// The edits that rename the id at a position in its definition and
    /// everywhere it is used, or why it cannot be renamed.
    // The protocol keys edits by URI; a URI hashes by its text, whatever
    // it caches inside.
    #[allow(clippy::mutable_key_type)]
    pub fn rename(&self, file: FileId, position: Position, new_id: &str) -> Result<WorkspaceEdit, String> {
        self.prepare_rename(file, position)?;
        let occurrence = self.occurrence_at(file, position).ok_or("there is no id here to rename")?;
        let definition = names::resolve(&self.view, file, &occurrence).ok_or("the id is not defined")?;
        check_new_id(new_id)?;
        if let Some(taken) = self.taken(&occurrence.name, definition, new_id) {
            return Err(taken);
        }
        let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
        for (file, occurrence) in self.occurrences_of(definition) {
            let Some(uri) = self.uri(file) else { continue };
            let range = self.lines(file).range(occurrence.span);
            changes.entry(uri).or_default().push(TextEdit::new(range, new_id.to_string()));
        }
        Ok(WorkspaceEdit::new(changes))
    }

    /// Why `new_id` cannot be given to what `name` names, if something of
    /// its kind already has it where it is defined.
    fn taken(&self, name: &Name, definition: Location, new_id: &str) -> Option<String> {
        let renamed = match name {
            Name::Framework { .. } => {
                let ids = self.view.checked.resolution.ids();
                return ids.contains(&new_id).then(|| format!("there is already a framework or library `{new_id}`"));
            }
            Name::Item(kind, _) => Name::Item(*kind, new_id.to_string()),
            Name::Scale(_) => Name::Scale(new_id.to_string()),
            Name::Level { of, .. } => Name::Level { of: of.clone(), id: new_id.to_string() },
            Name::Include(_) => return None,
        };
        let kind = match name {
            Name::Item(kind, _) => kind.word(),
            Name::Scale(_) => "scale",
            _ => "level",
        };
        let resolution = &self.view.checked.resolution;
        resolution
            .frameworks()
            .into_iter()
            .filter(|framework| names::definition(framework, name) == Some(definition))
            .find_map(|framework| {
                let other = names::definition(framework, &renamed)?;
                let (line, _) = self.view.workspace().sources.get(other.file).line_column(other.span.start);
                Some(format!(
                    "the {kind} id `{new_id}` is taken: `{}` already has one (line {line} of {})",
                    framework.id,
                    self.view.path(other.file).display()
                ))
            })
    }

    /// What the word at a position names, in Markdown.
    pub fn hover(&self, file: FileId, position: Position) -> Option<(String, Range)> {
        let occurrence = self.occurrence_at(file, position)?;
        let range = self.lines(file).range(occurrence.span);
        let text = match &occurrence.name {
            Name::Framework { id, version } => {
                let definition =
                    names::framework_definition(&self.view.checked.resolution, id, version.as_deref().unwrap_or(""));
                let framework = definition.and_then(|at| self.view.checked.resolution.framework_of(at.file))?;
                describe_framework(framework)
            }
            Name::Include(written) => format!("includes `{written}`"),
            name => describe(self.view.framework_of(file)?, name)?,
        };
        Some((text, range))
    }
}

/// Whether a word can be an id, as the grammar says: an ASCII letter, then
/// letters, digits, `-` and `_`, and not a word that starts a statement.
fn check_new_id(id: &str) -> Result<(), String> {
    let mut chars = id.chars();
    let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    if !starts_with_letter || !chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(format!(
            "`{id}` is not a valid id: an id starts with a letter a-z and has only letters a-z, digits, `-` and `_`"
        ));
    }
    if crate::syntax::statement_keywords().contains(&id) {
        return Err(format!("`{id}` starts a statement, so it cannot be an id"));
    }
    Ok(())
}

/// A text in every language it is written in.
fn every_language(text: &LocalizedText) -> String {
    text.iter().map(|(lang, value)| format!("{}: {value}", lang.code())).collect::<Vec<_>>().join("  \n")
}

fn heading(kind: &str, id: &str, title: &LocalizedText) -> String {
    format!("**{kind} `{id}`**\n\n{}", every_language(title))
}

fn describe_framework(framework: &Framework) -> String {
    let mut text = heading(
        if framework.kind == crate::syntax::ast::FrameworkKind::Library { "library" } else { "framework" },
        &framework.id,
        &framework.title,
    );
    if !framework.version.is_empty() {
        text.push_str(&format!("\n\nversion {}", framework.version));
    }
    if let Some(occupation) = &framework.occupation {
        text.push_str(&format!("  \noccupation: {}", occupation.best(framework.default_language(), &[])));
    }
    text
}

/// A name of a framework described for hover.
fn describe(framework: &Framework, name: &Name) -> Option<String> {
    let lang = framework.default_language();
    let mut text = match name {
        Name::Item(ItemKind::Task, id) => describe_task(framework, id)?,
        Name::Item(ItemKind::Competence, id) => {
            let competence = framework.competence(id)?;
            let mut text = heading("competence", id, &competence.title);
            if let Some(scale) = &competence.scale {
                text.push_str(&format!("\n\nrated on `{scale}`"));
            }
            text
        }
        Name::Item(ItemKind::Milestone, id) => {
            let (track, milestone) = framework.milestone(id)?;
            let mut text = heading("milestone", id, &milestone.title);
            text.push_str(&format!(
                "\n\ntrack: {} (`{}`)  \nCEFR {}",
                track.title.best(lang, &[]),
                track.id,
                milestone.cefr
            ));
            if let Some(sfi) = milestone.sfi {
                text.push_str(&format!("  \nSFI course {sfi}"));
            }
            text.push_str("\n\nrated `reached` or `not-yet`");
            text
        }
        Name::Item(ItemKind::Area, id) => {
            let area = framework.areas.iter().find(|area| area.id == *id)?;
            let mut text = heading("area", id, &area.title);
            text.push_str(&format!("\n\n{} tasks", area.tasks.len()));
            text
        }
        Name::Item(ItemKind::Track, id) => {
            let track = framework.tracks.iter().find(|track| track.id == *id)?;
            let mut text = heading("track", id, &track.title);
            text.push_str(&format!("\n\nskill: {}  \n{} milestones", track.skill, track.milestones.len()));
            text
        }
        Name::Scale(id) => {
            let scale = framework.scale(id)?;
            let mut text = format!("**scale `{id}`**");
            if let Some(title) = &scale.title {
                text.push_str(&format!("\n\n{}", every_language(title)));
            }
            text.push_str("\n\nlevels, lowest first:");
            for level in &scale.levels {
                text.push_str(&format!("\n1. `{}`: {}", level.id, level.label.best(lang, &[])));
            }
            text
        }
        Name::Level { of, id } => {
            let (scale, level) = names::level(framework, of, id)?;
            let rank = scale.rank(id).map_or(0, |rank| rank + 1);
            let mut text = heading("level", id, &level.label);
            text.push_str(&format!("\n\nlevel {rank} of {} on the scale `{}`", scale.levels.len(), scale.id));
            if let Some(description) = &level.description {
                text.push_str(&format!("\n\n{}", every_language(description)));
            }
            text
        }
        Name::Framework { .. } | Name::Include(_) => return None,
    };
    if let Some(description) = item_description(framework, name) {
        text.push_str(&format!("\n\n{}", description.best(lang, &[])));
    }
    Some(text)
}

/// A task: its titles, area, SeQF level, whether it is required, its scale and criteria.
fn describe_task(framework: &Framework, id: &str) -> Option<String> {
    let lang = framework.default_language();
    let task = framework.task(id)?;
    let mut text = heading("task", id, &task.title);
    if let Some(area) = framework.areas.iter().find(|area| area.tasks.iter().any(|t| t.id == id)) {
        text.push_str(&format!("\n\narea: {} (`{}`)", area.title.best(lang, &[]), area.id));
    }
    if let Some(seqf) = &task.seqf {
        let dimension = seqf.dimension.map(|d| format!(" ({d})")).unwrap_or_default();
        text.push_str(&format!("  \nSeQF level {}{dimension}", seqf.level.get()));
    }
    text.push_str(if task.required { "  \nrequired" } else { "  \noptional" });
    if let Some(scale) = &task.scale {
        text.push_str(&format!("  \nrated on `{scale}`"));
    }
    for criterion in &task.criteria {
        text.push_str(&format!("\n- {}", criterion.best(lang, &[])));
    }
    Some(text)
}

fn item_description<'f>(framework: &'f Framework, name: &Name) -> Option<&'f LocalizedText> {
    match name {
        Name::Item(ItemKind::Task, id) => framework.task(id)?.description.as_ref(),
        Name::Item(ItemKind::Competence, id) => framework.competence(id)?.description.as_ref(),
        Name::Item(ItemKind::Milestone, id) => framework.milestone(id)?.1.description.as_ref(),
        Name::Item(ItemKind::Area, id) => framework.areas.iter().find(|a| a.id == *id)?.description.as_ref(),
        Name::Item(ItemKind::Track, id) => framework.tracks.iter().find(|t| t.id == *id)?.description.as_ref(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::check_new_id;

    #[test]
    fn new_ids_follow_the_grammar() {
        assert!(check_new_id("beskarning-2").is_ok());
        assert!(check_new_id("beskärning").unwrap_err().contains("not a valid id"));
        assert!(check_new_id("2task").is_err());
        assert!(check_new_id("").is_err());
        assert!(check_new_id("task").unwrap_err().contains("starts a statement"));
    }
}
