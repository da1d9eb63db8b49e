//! Document templates: the bundled ones and a user's own, rendered with
//! minijinja and escaped for the format they produce.
//!
//! A user's template folder is looked in first, so a file there replaces the
//! bundled template of the same name. Every template is loaded and checked
//! when [`Templates`] is built, so all syntax errors are reported at once,
//! before any document is made.
//!
//! Escaping is decided by the file name and cannot be forgotten: in `.typ`
//! templates every value is literal text in Typst markup (see
//! [`super::escape`]), in `.html` templates it is HTML-escaped. `|safe` opts
//! out, and `|typst_string` makes a Typst string literal for values used in
//! Typst code. Blocks swallow the line break after them and the indentation
//! before them, because a stray blank line is a paragraph break in Typst.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use minijinja::value::ValueKind;
use minijinja::{
    AutoEscape, Environment, Error, ErrorKind, Output, State, Template, UndefinedBehavior, Value,
    default_auto_escape_callback, escape_formatter,
};
use serde::Serialize;

use super::escape;
use super::excerpt::{Excerpt, Place};
use super::template_place::{self, TemplateSource};
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::model::text::bundled_text;

/// The templates compiled into kub, by name. A user's template of the same
/// name replaces one of these.
const BUNDLED: &[(&str, &str)] = &[
    ("base.typ", include_str!("../../templates/base.typ")),
    ("base.html", include_str!("../../templates/base.html")),
    ("parts/style.typ", include_str!("../../templates/parts/style.typ")),
    ("parts/facts.typ", include_str!("../../templates/parts/facts.typ")),
    ("layout/certificate.typ", include_str!("../../templates/layout/certificate.typ")),
    ("certificate.typ", include_str!("../../templates/certificate.typ")),
    ("progress.typ", include_str!("../../templates/progress.typ")),
    ("checklist.typ", include_str!("../../templates/checklist.typ")),
    ("summary.typ", include_str!("../../templates/summary.typ")),
    ("overview.typ", include_str!("../../templates/overview.typ")),
    ("parts/style.html", include_str!("../../templates/parts/style.html")),
    ("parts/macros.html", include_str!("../../templates/parts/macros.html")),
    ("layout/certificate.html", include_str!("../../templates/layout/certificate.html")),
    ("certificate.html", include_str!("../../templates/certificate.html")),
    ("progress.html", include_str!("../../templates/progress.html")),
    ("index.html", include_str!("../../templates/index.html")),
];

/// The file name endings of templates in a user's folder.
const TEMPLATE_EXTENSIONS: &[&str] = &["typ", "html"];

/// The auto-escape mode of `.typ` templates.
const TYPST: AutoEscape = AutoEscape::Custom("typst");

/// The templates of a run, ready to render. Cheap to share between threads.
pub struct Templates {
    env: Environment<'static>,
    /// Where each user template came from; the others are bundled.
    user_files: BTreeMap<String, PathBuf>,
}

impl Templates {
    /// Loads the bundled templates and, if given, the `.typ` and `.html`
    /// files in `user_dir` and its subfolders, named by their path relative
    /// to it with `/` separators (such as `parts/header.typ`).
    ///
    /// Fails with every template's syntax errors, or if the folder cannot be
    /// read.
    pub fn new(user_dir: Option<&Path>) -> Result<Templates, Vec<Diagnostic>> {
        let mut templates = Templates { env: environment(), user_files: BTreeMap::new() };
        let mut diagnostics = Vec::new();
        if let Some(dir) = user_dir {
            let files = template_files(dir).map_err(|error| {
                vec![
                    Diagnostic::new(
                        Code::FileUnreadable,
                        format!("cannot read the template folder {}: {error}", dir.display()),
                    )
                    .hint("check that the folder exists and is readable"),
                ]
            })?;
            for (name, path) in files {
                match fs::read_to_string(&path) {
                    Ok(source) => {
                        templates.user_files.insert(name.clone(), path);
                        templates.add(name, source, &mut diagnostics);
                    }
                    Err(error) => diagnostics.push(Diagnostic::new(
                        Code::FileUnreadable,
                        format!("cannot read the template {}: {error}", path.display()),
                    )),
                }
            }
        }
        for &(name, source) in BUNDLED {
            if !templates.user_files.contains_key(name) {
                templates.add(name.to_string(), source.to_string(), &mut diagnostics);
            }
        }
        if diagnostics.is_empty() { Ok(templates) } else { Err(diagnostics) }
    }

    /// Renders template `name` with `context`.
    pub fn render(&self, name: &str, context: impl Serialize) -> Result<String, Diagnostic> {
        let template = self.template(name)?;
        template.render(context).map_err(|error| self.diagnostic(&error, None))
    }

    /// Renders only block `block` of template `name`, as the document made
    /// from `name` fills it (a template that extends another may replace
    /// it), with `context`. One part of a document on its own, such as a
    /// certificate's `closing_text`, for checking an override or a test.
    pub fn render_block(&self, name: &str, block: &str, context: impl Serialize) -> Result<String, Diagnostic> {
        let template = self.template(name)?;
        // Blocks render in the state the whole template leaves, with its
        // macros and the blocks that replace the extended template's.
        let mut rendered = template.render_captured(context).map_err(|error| self.diagnostic(&error, None))?;
        rendered.with_state_mut(|state| state.render_block(block)).map_err(|error| self.diagnostic(&error, None))
    }

    /// Template `name`, or why there is none.
    fn template(&self, name: &str) -> Result<Template<'_, '_>, Diagnostic> {
        // Every template was added up front, so the only way to fail here is
        // a name that is not among them.
        self.env.get_template(name).map_err(|_| {
            let names = self.names();
            Diagnostic::new(Code::TemplateError, format!("there is no template named `{name}`"))
                .hint_if(did_you_mean(name, names.iter().map(String::as_str)))
        })
    }

    /// The place in the templates that line `line` of a document made
    /// from template `name` came from, marking what `error` (a byte range
    /// in the line) covers; see [`super::template_place`] for how a line is
    /// traced.
    pub(crate) fn origin(&self, name: &str, line: &str, error: Range<usize>) -> Option<Place> {
        let taking_part: Vec<(String, Template<'_, '_>)> = self
            .taking_part(name)
            .into_iter()
            .filter_map(|name| Some((self.file_name(&name), self.env.get_template(&name).ok()?)))
            .collect();
        let sources: Vec<TemplateSource<'_>> =
            taking_part.iter().map(|(file, template)| TemplateSource { file, source: template.source() }).collect();
        template_place::origin(&sources, line, error)
    }

    /// Template `name` and those it extends, includes and imports, however
    /// deep, the user's before the bundled ones.
    fn taking_part(&self, name: &str) -> Vec<String> {
        let mut found = vec![name.to_string()];
        let mut next = 0;
        while let Some(current) = found.get(next).cloned() {
            next += 1;
            let Ok(template) = self.env.get_template(&current) else { continue };
            for used in template_place::references(template.source()) {
                if !found.contains(&used) {
                    found.push(used);
                }
            }
        }
        found.sort_by_key(|name| !self.user_files.contains_key(name));
        found
    }

    /// A template as messages name it: the user's by its path, a bundled
    /// one by its name.
    fn file_name(&self, name: &str) -> String {
        match self.user_files.get(name) {
            Some(path) => path.display().to_string(),
            None => name.to_string(),
        }
    }

    /// The names of all templates, user and bundled, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.env.templates().map(|(name, _)| name.to_string()).collect();
        names.sort();
        names
    }

    fn add(&mut self, name: String, source: String, diagnostics: &mut Vec<Diagnostic>) {
        if let Err(error) = self.env.add_template_owned(name, source.clone()) {
            diagnostics.push(self.diagnostic(&error, Some(&source)));
        }
    }

    /// A minijinja error as a diagnostic that names the template file and
    /// line. `source` is the template's text if it is not loaded (because it
    /// did not parse).
    fn diagnostic(&self, error: &Error, source: Option<&str>) -> Diagnostic {
        let (summary, excerpt) = self.describe(error, source);
        let mut diagnostic = Diagnostic::new(Code::TemplateError, summary).hint_if(excerpt);
        // An error in an included or extended template is the cause of one
        // at the `include` or `extends`; show where each happened.
        let mut cause = std::error::Error::source(error);
        while let Some(error) = cause {
            diagnostic = match error.downcast_ref::<Error>() {
                Some(inner) => {
                    let (summary, excerpt) = self.describe(inner, None);
                    diagnostic.hint(format!("caused by: {summary}")).hint_if(excerpt)
                }
                None => diagnostic.hint(format!("caused by: {error}")),
            };
            cause = error.source();
        }
        let name = error.name().unwrap_or_default();
        let bundled = !self.user_files.contains_key(name) && BUNDLED.iter().any(|&(bundled, _)| bundled == name);
        if bundled { diagnostic.hint(format!("`{name}` is a template bundled with kub")) } else { diagnostic }
    }

    /// `FILE:LINE: what went wrong` for one minijinja error, and the line.
    fn describe(&self, error: &Error, source: Option<&str>) -> (String, Option<String>) {
        let name = error.name().unwrap_or("template");
        let file = self.file_name(name);
        let place = match error.line() {
            Some(line) => format!("{file}:{line}"),
            None => file,
        };
        let what = match error.detail() {
            Some(detail) => format!("{}: {detail}", error.kind()),
            None => error.kind().to_string(),
        };
        let loaded = self.env.get_template(name).ok();
        let source = source.or_else(|| loaded.as_ref().map(|template| template.source()));
        let excerpt = source.and_then(|source| match (error.range(), error.line()) {
            (Some(range), _) => Excerpt::at(source, range),
            (None, Some(line)) => Excerpt::line(source, line),
            (None, None) => None,
        });
        (format!("{place}: {what}"), excerpt.map(|excerpt| excerpt.to_string()))
    }
}

/// The environment every template renders in.
fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_debug(true);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_auto_escape_callback(
        |name| {
            if name.ends_with(".typ") { TYPST } else { default_auto_escape_callback(name) }
        },
    );
    env.set_formatter(format_value);
    env.add_filter("typst_string", |value: Value| Value::from_safe_string(escape::typst_string(&value.to_string())));
    env.add_filter("date", date_filter);
    env.add_filter("unwrap", unwrap);
    env.add_filter("script", script);
    env
}

/// The `date` filter: an ISO date (`2026-02-03`, as dates arrive in the
/// context) written out in language `lang`, such as "3 februari 2026" (sv),
/// "3. februar 2026" (da) or "3 February 2026" (en). In a language without
/// a bundled string table the date stays in ISO form, which every reader can
/// read.
///
/// The result is a plain string, so it is escaped like any other value.
fn date_filter(value: &Value, lang: &str) -> Result<String, Error> {
    let text = value.as_str().map_or_else(|| value.to_string(), str::to_string);
    // A date and time keeps its date.
    let iso = text.get(..10).unwrap_or(&text);
    let date = chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").map_err(|_| {
        Error::new(ErrorKind::InvalidOperation, format!("`date` expects a date such as 2026-02-03, not `{text}`"))
    })?;
    Ok(long_date(date, lang))
}

/// The `unwrap` filter: a text written over several lines, such as a
/// description in triple quotes, as running text. A single line break
/// becomes a space; an empty line, which separates paragraphs, is kept as
/// one.
fn unwrap(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .split(|line| line.is_empty())
        .filter(|paragraph| !paragraph.is_empty())
        .map(|paragraph| paragraph.join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The `script` filter: the ISO 15924 code of the script most of a text's
/// letters are written in, such as `Latn`, `Arab`, `Ethi` or `Cyrl`, or
/// `Zyyy` when it has no letters or none of a script told apart here. HTML
/// templates mark a name in another script with `lang="und-Arab"`: the
/// language of a name is not known, its script is.
fn script(text: &str) -> &'static str {
    crate::script::dominant_code(text)
}

/// `date` with the month's name in language `lang`, as the bundled string
/// table of the language writes dates (its `date_format` and `months`); in
/// ISO form for a language without one.
fn long_date(date: chrono::NaiveDate, lang: &str) -> String {
    use chrono::Datelike;
    let month = bundled_text(lang, "months")
        .and_then(toml::Value::as_array)
        .and_then(|months| months.get(date.month0() as usize))
        .and_then(toml::Value::as_str);
    let format = bundled_text(lang, "date_format").and_then(toml::Value::as_str);
    match (month, format) {
        (Some(month), Some(format)) => format
            .replace("{day}", &date.day().to_string())
            .replace("{month}", month)
            .replace("{year}", &date.year().to_string()),
        _ => date.format("%Y-%m-%d").to_string(),
    }
}

/// Writes a value into a template's output, escaped for the output format.
///
/// In Typst, numbers and booleans are written as Typst literals (`true`,
/// not minijinja's `True`): that is literal text in markup, and valid code
/// where a template uses them in code, such as `#v({{ gap }}pt)`.
fn format_value(out: &mut Output, state: &State, value: &Value) -> Result<(), Error> {
    if value.is_safe() {
        return escape_formatter(out, state, value);
    }
    if state.auto_escape() != TYPST {
        // The isolates are characters, not tags, so they are as right in
        // an attribute as in running text.
        let isolate = value.as_str().is_some_and(escape::needs_isolation);
        if isolate {
            out.write_char(escape::ISOLATE_START)?;
        }
        // HTML has no place for control characters; `kub check` refuses
        // them in texts, and a value from elsewhere shows a replacement mark.
        match value.as_str().filter(|text| text.chars().any(escape::is_html_control)) {
            Some(text) => {
                let cleaned: String =
                    text.chars().map(|c| if escape::is_html_control(c) { '\u{fffd}' } else { c }).collect();
                escape_formatter(out, state, &Value::from(cleaned))?;
            }
            None => escape_formatter(out, state, value)?,
        }
        if isolate {
            out.write_char(escape::ISOLATE_END)?;
        }
        return Ok(());
    }
    let text = match value.kind() {
        ValueKind::Number => value.to_string(),
        ValueKind::Bool => value.is_true().to_string(),
        _ => escape::isolated(escape::typst_markup(&value.to_string())),
    };
    out.write_str(&text).map_err(Error::from)
}

/// The template files under `dir`, by template name.
fn template_files(dir: &Path) -> io::Result<BTreeMap<String, PathBuf>> {
    let mut files = BTreeMap::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder)? {
            let path = entry?.path();
            let hidden = path.file_name().is_some_and(|name| name.to_string_lossy().starts_with('.'));
            if hidden {
                continue;
            }
            if path.is_dir() {
                folders.push(path);
            } else if is_template(&path) {
                files.insert(template_name(dir, &path), path);
            }
        }
    }
    Ok(files)
}

fn is_template(path: &Path) -> bool {
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| TEMPLATE_EXTENSIONS.contains(&extension))
}

/// The name a template is known by: its path relative to the template
/// folder, with `/` between folders on every platform.
fn template_name(dir: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(dir).unwrap_or(path);
    relative.components().map(|part| part.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use minijinja::context;

    fn render(name: &str, source: &str, context: Value) -> String {
        let mut env = environment();
        env.add_template_owned(name.to_string(), source.to_string()).unwrap();
        env.get_template(name).unwrap().render(context).unwrap()
    }

    #[test]
    fn typst_templates_escape_every_value() {
        let out = render("t.typ", "Hej {{ name }}!", context! { name => "#read(\"x\")" });
        assert_eq!(out, r#"Hej \#read\(\"x\"\)!"#);
    }

    #[test]
    fn html_templates_escape_html() {
        let out = render("t.html", "<p>{{ name }}</p>", context! { name => "<b>&" });
        assert_eq!(out, "<p>&lt;b&gt;&amp;</p>");
    }

    #[test]
    fn safe_opts_out_of_escaping() {
        let out = render("t.typ", "{{ markup|safe }}", context! { markup => "*bold*" });
        assert_eq!(out, "*bold*");
    }

    #[test]
    fn numbers_and_booleans_stay_literals() {
        let out = render("t.typ", "#v({{ gap }}pt) {{ yes }}", context! { gap => -1.5, yes => true });
        assert_eq!(out, "#v(-1.5pt) true");
    }

    #[test]
    fn typst_string_makes_a_string_literal() {
        let out = render("t.typ", "#let n = {{ name|typst_string }}", context! { name => "a\"b\\" });
        assert_eq!(out, r#"#let n = "a\"b\\""#);
    }

    #[test]
    fn dates_are_written_out_in_the_document_language() {
        let source = "{{ d|date('sv') }}; {{ d|date('da') }}; {{ d|date('en') }}; {{ d|date('fi') }}";
        let out = render("t.html", source, context! { d => "2026-02-03" });
        assert_eq!(out, "3 februari 2026; 3. februar 2026; 3 February 2026; 2026-02-03");
        let out = render("t.typ", "{{ d|date(lang) }}", context! { d => "2026-12-24", lang => "da" });
        assert_eq!(out, r"24\. december 2026");
    }

    #[test]
    fn unwrap_joins_lines_and_keeps_paragraphs() {
        let out = render("t.html", "{{ d|unwrap }}", context! { d => "Arbetar i\nett lag.\r\n\n  Året runt.\n" });
        assert_eq!(out, "Arbetar i ett lag.\n\nÅret runt.");
    }

    #[test]
    fn script_names_the_script_of_most_letters() {
        let out = render(
            "t.html",
            "{% for n in names %}{{ n|script }} {% endfor %}",
            context! { names => ["Åsa Öberg", "أمل حسن", "ሰላም ተስፋይ", "Олена Коваленко", "שרה", "12 – ?"] },
        );
        assert_eq!(out, "Latn Arab Ethi Cyrl Hebr Zyyy ");
    }

    #[test]
    fn a_date_filter_on_something_else_is_an_error() {
        let mut env = environment();
        env.add_template("t.typ", "{{ d|date('sv') }}").unwrap();
        let template = env.get_template("t.typ").unwrap();
        assert!(template.render(context! { d => "soon" }).is_err());
        assert!(template.render(context! { d => () }).is_err());
    }

    #[test]
    fn undefined_values_are_errors() {
        let mut env = environment();
        env.add_template("t.typ", "{{ missing }}").unwrap();
        assert!(env.get_template("t.typ").unwrap().render(()).is_err());
    }

    #[test]
    fn templates_can_be_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<Templates>();
    }

    #[test]
    fn bundled_templates_parse() {
        let templates = Templates::new(None).unwrap();
        for &(name, _) in BUNDLED {
            assert!(templates.names().contains(&name.to_string()));
        }
    }

    #[test]
    fn user_templates_replace_bundled_ones_and_are_named_by_path() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("parts")).unwrap();
        fs::write(dir.path().join("base.typ"), "mine: {{ lang }}").unwrap();
        fs::write(dir.path().join("parts/name.typ"), "{{ name }}").unwrap();
        fs::write(dir.path().join("logo.png"), [0x89, b'P', b'N', b'G']).unwrap();

        let templates = Templates::new(Some(dir.path())).unwrap();

        assert_eq!(templates.render("base.typ", context! { lang => "sv" }).unwrap(), "mine: sv");
        let mut expected: Vec<String> =
            BUNDLED.iter().map(|&(name, _)| name.to_string()).chain(["parts/name.typ".to_string()]).collect();
        expected.sort();
        assert_eq!(templates.names(), expected);
    }

    #[test]
    fn an_error_in_an_included_template_shows_both_places() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("page.typ"), "= Intyg\n{% include \"name.typ\" %}\n").unwrap();
        fs::write(dir.path().join("name.typ"), "Namn:\n{{ person.name }}\n").unwrap();
        let templates = Templates::new(Some(dir.path())).unwrap();

        let error = templates.render("page.typ", ()).unwrap_err();

        let page = dir.path().join("page.typ").display().to_string();
        let name = dir.path().join("name.typ").display().to_string();
        assert!(error.message.starts_with(&format!("{page}:2: ")), "{error:#?}");
        let cause = format!("caused by: {name}:2: undefined value");
        assert!(error.hints.contains(&cause), "{error:#?}");
        assert!(error.hints.iter().any(|hint| hint.starts_with("2 | {{ person.name }}")));
    }

    #[test]
    fn one_block_renders_as_the_extending_template_fills_it() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("layout.typ"), "= Intyg\n{% block body %}bundled{% endblock %}\nslut").unwrap();
        let page = "{% extends \"layout.typ\" %}{% block body %}Hej {{ name }}{% endblock %}";
        fs::write(dir.path().join("page.typ"), page).unwrap();
        let templates = Templates::new(Some(dir.path())).unwrap();

        let body = templates.render_block("page.typ", "body", context! { name => "Åsa #1" }).unwrap();
        assert_eq!(body, r"Hej Åsa \#1");
        let unknown = templates.render_block("page.typ", "bdy", context! { name => "Åsa" }).unwrap_err();
        assert_eq!(unknown.code, Code::TemplateError);
    }

    #[test]
    fn an_unknown_template_suggests_a_known_one() {
        let templates = Templates::new(None).unwrap();
        let error = templates.render("bse.typ", ()).unwrap_err();
        assert_eq!(error.code, Code::TemplateError);
        assert!(error.hints.contains(&"did you mean `base.typ`?".to_string()));
    }
}
