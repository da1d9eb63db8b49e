//! Spreadsheets of progression data: CSV that Excel opens correctly in
//! Swedish and Danish, and xlsx with typed cells.
//!
//! The CSV is UTF-8 with a byte order mark (without it Excel reads UTF-8 as
//! the local 8-bit code page and breaks å, ä, ö and every non-Latin name),
//! `;` between fields and CRLF between rows. The semicolon is the list
//! separator of Swedish, Danish and Norwegian Windows, where the comma is the
//! decimal mark: a comma-separated file opens there as one column. Numbers
//! are whole (steps, levels), so no decimal mark is ever written, and dates
//! are ISO 8601 (2026-03-01), which Excel reads as dates in every locale.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::report::sheet::{ItemKind, SheetRow};

/// The fixed texts of one language, by key, as `templates/strings.toml`
/// holds them.
pub type Texts = std::collections::BTreeMap<String, toml::Value>;

/// The byte order mark that tells Excel the file is UTF-8.
const BOM: &str = "\u{feff}";

/// The field separator; see the module's notes for why not a comma.
pub const CSV_SEPARATOR: char = ';';

/// A cell's value, typed as the xlsx stores it and the CSV writes it.
enum Cell {
    Text(String),
    Number(usize),
    Yes(bool),
    Date(NaiveDate),
    Empty,
}

/// The columns, each as its header's key in the texts and how a row fills it.
type Column = (&'static str, fn(&SheetRow, &Texts) -> Cell);

const COLUMNS: &[Column] = &[
    ("participant", |row, _| Cell::Text(row.participant.clone())),
    ("reference", |row, _| text(row.reference.as_deref())),
    ("workplace", |row, _| text(row.workplace.as_deref())),
    ("framework", |row, _| Cell::Text(row.framework.clone())),
    ("sheet_framework_title", |row, _| Cell::Text(row.framework_title.clone())),
    ("area", |row, t| match row.kind {
        ItemKind::Competence => Cell::Text(word(t, "competences")),
        _ => Cell::Text(row.area.clone()),
    }),
    ("sheet_kind", |row, t| Cell::Text(word(t, row.kind.text_key()))),
    ("sheet_item_id", |row, _| Cell::Text(row.item_id.clone())),
    ("sheet_item", |row, _| Cell::Text(row.item_title.clone())),
    ("required", |row, _| match row.kind {
        ItemKind::Task => Cell::Yes(row.required),
        _ => Cell::Empty,
    }),
    ("seqf_level", |row, _| row.seqf.map_or(Cell::Empty, |level| Cell::Number(level.into()))),
    ("cefr_level", |row, _| text(row.cefr.as_deref())),
    ("level", |row, _| text(row.rating.as_deref())),
    ("sheet_step", |row, _| row.rank.map_or(Cell::Empty, Cell::Number)),
    ("sheet_steps", |row, _| row.steps.map_or(Cell::Empty, Cell::Number)),
    ("achieved", |row, _| Cell::Yes(row.achieved)),
    ("date", |row, _| row.date.map_or(Cell::Empty, Cell::Date)),
    ("assessor", |row, _| text(row.assessor.as_deref())),
    ("status", |row, t| Cell::Text(word(t, row.status.text_key()))),
];

fn text(value: Option<&str>) -> Cell {
    value.map_or(Cell::Empty, |value| Cell::Text(value.to_string()))
}

/// The text of `key` in the document's language; the key itself if an
/// organisation's strings lack it, so that no column goes nameless.
fn word(texts: &Texts, key: &str) -> String {
    texts.get(key).and_then(|value| value.as_str()).unwrap_or(key).to_string()
}

/// The rows as CSV: a header row in the texts' language, then one row each.
pub fn csv(rows: &[SheetRow], texts: &Texts) -> String {
    let mut out = String::from(BOM);
    let headers: Vec<String> = COLUMNS.iter().map(|(key, _)| csv_field(&word(texts, key))).collect();
    push_line(&mut out, &headers);
    for row in rows {
        let fields: Vec<String> = COLUMNS
            .iter()
            .map(|(_, cell)| match cell(row, texts) {
                Cell::Text(value) => csv_field(&value),
                Cell::Number(number) => number.to_string(),
                Cell::Yes(yes) => csv_field(&word(texts, if yes { "yes" } else { "no" })),
                Cell::Date(date) => date.format("%Y-%m-%d").to_string(),
                Cell::Empty => String::new(),
            })
            .collect();
        push_line(&mut out, &fields);
    }
    out
}

fn push_line(out: &mut String, fields: &[String]) {
    out.push_str(&fields.join(&CSV_SEPARATOR.to_string()));
    out.push_str("\r\n");
}

/// One text field, quoted when it holds the separator, a quote or a line
/// break. A text that Excel would take for a formula (`=`, `+`, `-`, `@`)
/// gets a leading `'`, Excel's own mark for "this is text", so that a name
/// in a file can never run as a formula on a coordinator's machine.
fn csv_field(value: &str) -> String {
    let guarded =
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_string() };
    if guarded.contains([CSV_SEPARATOR, '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// The rows as an xlsx workbook of one sheet named `sheet` (cut to Excel's
/// 31 characters): text as text, steps and levels as numbers, dates as
/// dates, achieved as true or false; the header row frozen and filtered.
pub fn xlsx(rows: &[SheetRow], texts: &Texts, sheet: &str) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let worksheet = workbook.add_worksheet();
    worksheet.set_name(sheet_name(sheet))?;
    let header = Format::new().set_bold().set_border_bottom(FormatBorder::Thin);
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (column, (key, _)) in COLUMNS.iter().enumerate() {
        worksheet.write_string_with_format(0, column as u16, word(texts, key), &header)?;
    }
    for (index, row) in rows.iter().enumerate() {
        let line = index as u32 + 1;
        for (column, (_, cell)) in COLUMNS.iter().enumerate() {
            write_cell(worksheet, line, column as u16, cell(row, texts), &date)?;
        }
    }
    worksheet.set_freeze_panes(1, 0)?;
    worksheet.autofilter(0, 0, rows.len() as u32, COLUMNS.len() as u16 - 1)?;
    worksheet.autofit();
    // The workbook's own dates stay fixed, so that building twice gives the same bytes.
    workbook.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&fixed_creation()));
    workbook.save_to_buffer()
}

fn write_cell(sheet: &mut Worksheet, row: u32, column: u16, cell: Cell, date: &Format) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(value) => sheet.write_string(row, column, value).map(drop),
        Cell::Number(number) => sheet.write_number(row, column, number as f64).map(drop),
        Cell::Yes(yes) => sheet.write_boolean(row, column, yes).map(drop),
        Cell::Date(day) => {
            let value = ExcelDateTime::from_ymd(day.year() as u16, day.month() as u8, day.day() as u8)?;
            sheet.write_datetime_with_format(row, column, &value, date).map(drop)
        }
        Cell::Empty => Ok(()),
    }
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(wanted: &str) -> String {
    let cleaned: String = wanted.chars().filter(|c| !"[]:*?/\\'".contains(*c)).take(31).collect();
    if cleaned.trim().is_empty() { "kub".to_string() } else { cleaned }
}

fn fixed_creation() -> ExcelDateTime {
    ExcelDateTime::from_ymd(2000, 1, 1).expect("a valid date")
}

#[cfg(test)]
mod tests {
    use super::{csv_field, sheet_name};

    #[test]
    fn a_field_is_quoted_only_where_excel_needs_it() {
        assert_eq!(csv_field("Åsa Öberg"), "Åsa Öberg");
        assert_eq!(csv_field("a;b"), "\"a;b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("-1"), "'-1");
    }

    #[test]
    fn a_sheet_name_fits_excels_rules() {
        assert_eq!(sheet_name("park/och:natur"), "parkochnatur");
        assert_eq!(sheet_name(&"x".repeat(40)).len(), 31);
        assert_eq!(sheet_name("[]"), "kub");
    }
}
