//! A resolved framework as a CASE 1.0 package (1EdTech Competencies and
//! Academic Standards Exchange): a `CFDocument` for the framework version,
//! a `CFItem` for each area, task, competence, language track and
//! milestone, `CFAssociations` for the tree and the links to ESCO and EQF,
//! `CFDefinitions` for the item types and the occupation, and a `CFRubric`
//! for each scale.
//!
//! Identifiers are UUIDv5 of the framework id and the item id, without the
//! version: an item keeps its identifier in every version, and a renamed
//! item keeps the one its first id gave it, so a CASE server that imports
//! a new version updates the items it holds instead of adding copies. What
//! differs between versions is said by `version` and `lastChangeDateTime`.
//! A tailoring's inherited items point back to the parent's with
//! `exactMatchOf`.

use serde_json::{Map, Value, json};

use super::ids::stable_id;
use crate::model::{Framework, FrameworkRef, ItemKind, Lang};

/// What a CASE export needs besides the framework.
#[derive(Debug, Clone)]
pub struct CaseOptions {
    /// The language of the statements; the framework's default gives the
    /// main package, another gives a translation linked to it.
    pub lang: Lang,
    /// When the framework last changed, `YYYY-MM-DDTHH:MM:SS+00:00`.
    pub changed: String,
    /// The base of every URI, such as `https://kub.example.se/ims/case/v1p0`;
    /// without one, URIs are `urn:uuid:` identifiers.
    pub base_url: Option<String>,
    /// Who made the framework: the organisation.
    pub creator: String,
}

/// The framework as a CASE 1.0 `CFPackage`.
pub fn case_package(framework: &Framework, options: &CaseOptions) -> Value {
    let mut package = Package::new(framework, options);
    package.areas_and_tasks();
    package.competences();
    package.tracks();
    package.finish()
}

/// A node an association starts or ends at: `{title, identifier, uri}`.
type Link = Value;

struct Package<'a> {
    framework: &'a Framework,
    options: &'a CaseOptions,
    /// The framework's id, with `#lang` for a translation: what every
    /// identifier of the package is named under.
    scope: String,
    document: Link,
    items: Vec<Value>,
    associations: Vec<Value>,
    item_types: Vec<&'static str>,
}

impl<'a> Package<'a> {
    fn new(framework: &'a Framework, options: &'a CaseOptions) -> Self {
        let translation = options.lang != framework.default_language();
        let scope = match translation {
            true => format!("{}#{}", framework.id, options.lang),
            false => framework.id.clone(),
        };
        let id = stable_id(&format!("case/document/{scope}"));
        let title = framework.title.best(options.lang, &framework.languages).to_string();
        let document = json!({"title": title, "identifier": id.to_string(), "uri": uri(options, "CFDocuments", id)});
        Package {
            framework,
            options,
            scope,
            document,
            items: Vec::new(),
            associations: Vec::new(),
            item_types: Vec::new(),
        }
    }

    fn text(&self, text: &crate::model::LocalizedText) -> String {
        text.best(self.options.lang, &self.framework.languages).to_string()
    }

    /// Adds an item and returns the link to it. `notes` are left out when empty.
    fn item(&mut self, kind: &'static str, id: &str, title: String, notes: Vec<String>) -> Link {
        let identifier = item_id(self.framework, &self.scope, kind, id);
        let link = json!({"title": title, "identifier": identifier.to_string(),
            "uri": uri(self.options, "CFItems", identifier)});
        let item_type = self.item_type(kind);
        let mut item = json!({
            "identifier": identifier.to_string(),
            "uri": link["uri"],
            "fullStatement": title,
            "humanCodingScheme": id,
            "CFItemType": kind,
            "CFItemTypeURI": item_type,
            "language": self.options.lang.code(),
            "lastChangeDateTime": self.options.changed,
            "CFDocumentURI": self.document,
        });
        let notes: Vec<String> = notes.into_iter().filter(|note| !note.is_empty()).collect();
        if !notes.is_empty() {
            item["notes"] = Value::String(notes.join("\n"));
        }
        self.items.push(item);
        self.translation_of(kind, id, &link);
        link
    }

    /// Links a translated item to the same item of the main package.
    fn translation_of(&mut self, kind: &str, id: &str, link: &Link) {
        let framework = self.framework;
        if self.options.lang == framework.default_language() {
            return;
        }
        let main = item_id(framework, &framework.id, kind, id);
        let title = link["title"].as_str().unwrap_or_default().to_string();
        let target = json!({"title": title, "identifier": main.to_string(), "uri": uri(self.options, "CFItems", main)});
        self.associate("exactMatchOf", link, &target, None);
    }

    /// Links an item inherited unchanged from the framework it tailors to
    /// that framework's item.
    fn inherited(&mut self, kind: &str, id: &str, defined_in: &str, unchanged: bool, link: &Link) {
        let Some(parent) = self.parent(defined_in).filter(|_| unchanged) else { return };
        let identifier = item_id(self.framework, &parent.id, kind, id);
        let title = link["title"].as_str().unwrap_or_default().to_string();
        let target = json!({"title": title, "identifier": identifier.to_string(), "uri": uri(self.options, "CFItems", identifier)});
        self.associate("exactMatchOf", link, &target, None);
    }

    fn parent(&self, defined_in: &str) -> Option<&'a FrameworkRef> {
        self.framework.extends.iter().find(|parent| parent.id == defined_in && defined_in != self.framework.id)
    }

    fn associate(&mut self, kind: &str, origin: &Link, destination: &Link, sequence: Option<usize>) {
        let name =
            format!("case/association/{}/{kind}/{}/{}", self.scope, origin["identifier"], destination["identifier"]);
        let identifier = stable_id(&name);
        let mut association = json!({
            "identifier": identifier.to_string(),
            "uri": uri(self.options, "CFAssociations", identifier),
            "associationType": kind,
            "originNodeURI": origin,
            "destinationNodeURI": destination,
            "lastChangeDateTime": self.options.changed,
            "CFDocumentURI": self.document,
        });
        if let Some(sequence) = sequence {
            association["sequenceNumber"] = json!(sequence);
        }
        self.associations.push(association);
    }

    fn child_of(&mut self, child: &Link, parent: &Link, position: usize) {
        self.associate("isChildOf", child, parent, Some(position + 1));
    }

    fn areas_and_tasks(&mut self) {
        let framework = self.framework;
        let document = self.document.clone();
        for (position, area) in framework.areas.iter().enumerate() {
            let notes = area.description.iter().map(|d| self.text(d)).collect();
            let area_link = self.item("Area", &area.id, self.text(&area.title), notes);
            self.child_of(&area_link, &document, position);
            self.inherited("Area", &area.id, &area.defined_in, true, &area_link);
            for (position, task) in area.tasks.iter().enumerate() {
                let mut notes: Vec<String> = task.description.iter().map(|d| self.text(d)).collect();
                notes.extend(task.criteria.iter().map(|criterion| format!("– {}", self.text(criterion))));
                let link = self.item("Task", &task.id, self.text(&task.title), notes);
                self.child_of(&link, &area_link, position);
                self.inherited("Task", &task.id, &task.defined_in, task.overridden_in.is_empty(), &link);
                if let Some(seqf) = task.seqf {
                    let dimension = seqf.dimension.map(|d| format!(", {d}")).unwrap_or_default();
                    let title = format!("EQF level {0} (SeQF {0}{dimension})", seqf.level);
                    let eqf = format!("http://data.europa.eu/snb/eqf/{}", seqf.level);
                    self.associate("isRelatedTo", &link, &json!({"title": title, "identifier": eqf, "uri": eqf}), None);
                }
                if let Some(esco) = &task.esco {
                    let skill = json!({"title": "ESCO skill", "identifier": esco, "uri": esco});
                    self.associate("exactMatchOf", &link, &skill, None);
                }
            }
        }
    }

    fn competences(&mut self) {
        let framework = self.framework;
        let document = self.document.clone();
        let first = framework.areas.len();
        for (position, competence) in framework.competences.iter().enumerate() {
            let notes = competence.description.iter().map(|d| self.text(d)).collect();
            let link = self.item("Competence", &competence.id, self.text(&competence.title), notes);
            self.child_of(&link, &document, first + position);
            self.inherited("Competence", &competence.id, &competence.defined_in, true, &link);
        }
    }

    fn tracks(&mut self) {
        let framework = self.framework;
        let document = self.document.clone();
        let first = framework.areas.len() + framework.competences.len();
        for (position, track) in framework.tracks.iter().enumerate() {
            let mut notes: Vec<String> = track.description.iter().map(|d| self.text(d)).collect();
            notes.push(format!("CEFR: {}", track.skill));
            let track_link = self.item("Language track", &track.id, self.text(&track.title), notes);
            self.child_of(&track_link, &document, first + position);
            self.inherited("Language track", &track.id, &track.defined_in, true, &track_link);
            for (position, milestone) in track.milestones.iter().enumerate() {
                let mut notes: Vec<String> = milestone.description.iter().map(|d| self.text(d)).collect();
                notes.push(format!("CEFR {}", milestone.cefr));
                notes.extend(milestone.sfi.map(|course| format!("SFI {course}")));
                let link = self.item("Milestone", &milestone.id, self.text(&milestone.title), notes);
                self.child_of(&link, &track_link, position);
            }
        }
    }

    /// The link to an item type, recorded for `CFDefinitions`.
    fn item_type(&mut self, kind: &'static str) -> Link {
        if !self.item_types.contains(&kind) {
            self.item_types.push(kind);
        }
        let identifier = stable_id(&format!("case/item-type/{kind}"));
        json!({"title": kind, "identifier": identifier.to_string(), "uri": uri(self.options, "CFItemTypes", identifier)})
    }

    fn finish(self) -> Value {
        let mut package = Map::new();
        package.insert("CFDocument".into(), self.cf_document());
        package.insert("CFItems".into(), Value::Array(self.items.clone()));
        package.insert("CFAssociations".into(), Value::Array(self.associations.clone()));
        package.insert("CFDefinitions".into(), self.definitions());
        package.insert(
            "CFRubrics".into(),
            Value::Array(super::case_rubrics::rubrics(self.framework, self.rubric_scope())),
        );
        Value::Object(package)
    }

    fn rubric_scope(&self) -> super::case_rubrics::Scope<'_> {
        super::case_rubrics::Scope {
            name: &self.scope,
            lang: self.options.lang,
            changed: &self.options.changed,
            base_url: self.options.base_url.as_deref(),
        }
    }

    fn cf_document(&self) -> Value {
        let framework = self.framework;
        let identifier = self.document["identifier"].clone();
        let mut document = json!({
            "identifier": identifier,
            "uri": self.document["uri"],
            "creator": self.options.creator,
            "title": self.document["title"],
            "lastChangeDateTime": self.options.changed,
            "version": framework.version,
            "language": self.options.lang.code(),
            "CFPackageURI": {
                "title": self.document["title"],
                "identifier": identifier,
                "uri": uri_of(self.options, "CFPackages", identifier.as_str().unwrap_or_default()),
            },
        });
        if let Some(description) = &framework.description {
            document["description"] = json!(self.text(description));
        }
        if let Some(organisation) = &framework.organisation {
            document["publisher"] = json!(self.text(organisation));
        }
        if let Some(subject) = self.subject() {
            document["subject"] = json!([subject["title"]]);
            document["subjectURI"] =
                json!([{"title": subject["title"], "identifier": subject["identifier"], "uri": subject["uri"]}]);
        }
        document
    }

    /// The occupation the framework validates, as a CASE subject: its ESCO
    /// concept when the framework names one.
    fn subject(&self) -> Option<Value> {
        let framework = self.framework;
        let title = match (&framework.occupation, &framework.esco) {
            (Some(occupation), _) => self.text(occupation),
            (None, Some(_)) => "ESCO occupation".to_string(),
            (None, None) => return None,
        };
        let identifier = stable_id(&format!("case/subject/{}", framework.esco.as_deref().unwrap_or(&title)));
        let subject_uri = framework.esco.clone().unwrap_or_else(|| uri(self.options, "CFSubjects", identifier));
        Some(json!({
            "identifier": identifier.to_string(),
            "uri": subject_uri,
            "title": title,
            "hierarchyCode": if framework.esco.is_some() { "ESCO occupation" } else { "occupation" },
            "lastChangeDateTime": self.options.changed,
        }))
    }

    fn definitions(&self) -> Value {
        let item_types: Vec<Value> = self
            .item_types
            .iter()
            .map(|kind| {
                let identifier = stable_id(&format!("case/item-type/{kind}"));
                json!({
                    "identifier": identifier.to_string(),
                    "uri": uri(self.options, "CFItemTypes", identifier),
                    "title": kind,
                    "hierarchyCode": kind,
                    "lastChangeDateTime": self.options.changed,
                })
            })
            .collect();
        json!({"CFItemTypes": item_types, "CFSubjects": self.subject().into_iter().collect::<Vec<_>>()})
    }
}

/// An item's identifier: named by the framework (`scope`), the item's kind
/// and the id it had first, so that renaming an item keeps its identifier.
pub(super) fn item_id(framework: &Framework, scope: &str, kind: &str, id: &str) -> uuid::Uuid {
    stable_id(&format!("case/item/{scope}/{kind}/{}", first_id(framework, kind, id)))
}

/// The id an item had before the framework's `renamed` lines renamed it,
/// following them back to the first. A step back stops where the older id
/// names an item the framework has (which check reports, K0229), so that
/// no two items can share an identifier.
fn first_id<'a>(framework: &'a Framework, kind: &str, id: &'a str) -> &'a str {
    let Some(kind) = item_kind(kind) else { return id };
    let mut first = id;
    let mut seen = vec![id];
    while let Some(rename) = framework.renames.iter().find(|rename| rename.kind == kind && rename.to == first) {
        let older = rename.from.as_str();
        if seen.contains(&older) || framework.has_item(kind, older) {
            break;
        }
        seen.push(older);
        first = older;
    }
    first
}

/// The kind of item a CASE item type holds.
fn item_kind(case_type: &str) -> Option<ItemKind> {
    match case_type {
        "Area" => Some(ItemKind::Area),
        "Task" => Some(ItemKind::Task),
        "Competence" => Some(ItemKind::Competence),
        "Language track" => Some(ItemKind::Track),
        "Milestone" => Some(ItemKind::Milestone),
        _ => None,
    }
}

/// The URI of an object: under the base URL in the collection CASE names
/// (`CFItems`, `CFDocuments` and so on), or its `urn:uuid:`.
pub(super) fn uri(options: &CaseOptions, collection: &str, identifier: uuid::Uuid) -> String {
    uri_of(options, collection, &identifier.to_string())
}

fn uri_of(options: &CaseOptions, collection: &str, identifier: &str) -> String {
    super::case_rubrics::uri_under(options.base_url.as_deref(), collection, identifier)
}
