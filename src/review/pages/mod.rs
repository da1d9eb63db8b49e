//! Laid-out pages as text a coordinator can read and diff: what each page
//! says in reading order, with its structure visible.
//!
//! Typst's frames are walked in order for text runs, images and links at
//! their places on the page, and for the tags that mark where each
//! paragraph, heading, grid and cell begins and ends. The structure gives
//! the reading order: a paragraph or a heading is one line however it
//! wraps, so a changed word changes one line of the diff; the cells of a
//! grid or table row are one line, separated by ` │ `; a grid whose cells
//! hold grids of their own (columns side by side) is read one column after
//! the other. Text outside any of these is read line by line, runs on one
//! baseline making a line. A large step down, or a jump back up to the top
//! of the next column, starts a new block (an empty line). Larger text is
//! marked as a heading (`#`, `##`, `###`), bold runs as `**…**`, images and
//! links as `[image]` and `⟨URL⟩`, drawn marks as symbols ([`marks`]). Positions come from the layout, never
//! from pixels, and only decide order and grouping, so the text is the same
//! on every machine.

mod lines;
mod marks;

use typst::introspection::{Location, Tag};
use typst::layout::{Frame, FrameItem, Point, Size, Transform};
use typst::model::Destination;
use typst::text::{FontWeight, TextItem};
use typst_layout::{Page, PagedDocument};

use lines::{Link, Piece, Run};

/// Where sections of a snapshot begin; the unified diff names the section
/// a change is in by the last such line above it.
pub const SECTION: &str = "── ";

/// A step between lines wider than this many font sizes starts a new
/// block: body text in Typst steps about 1.4 sizes from line to line.
const BLOCK_STEP: f64 = 1.65;

/// The elements whose tags give a page its structure; other tags (context,
/// metadata, artifacts) are passed through.
const STRUCTURE: [&str; 6] = ["par", "heading", "grid", "table", "cell", "item"];

/// Each page of `document` as text, under a heading naming it. Headings
/// are told by the size of the document's body text.
pub fn pages_text(document: &PagedDocument) -> String {
    let pages: Vec<(Element, Vec<Link>)> = document.pages().iter().map(read_page).collect();
    let body = lines::dominant_size(pages.iter().flat_map(|(page, _)| page.pieces()));
    let count = pages.len();
    let mut out = String::new();
    for (index, (page, links)) in pages.iter().enumerate() {
        let size = document.pages().get(index).map_or(Size::zero(), |page| page.frame.size());
        out.push_str(&format!("{SECTION}page {} of {count} · {}\n\n", index + 1, page_size(size)));
        out.push_str(&page_text(page, body, links));
        out.push('\n');
    }
    out
}

/// A page's elements and links.
fn read_page(page: &Page) -> (Element, Vec<Link>) {
    let mut walk = Walk::new();
    walk.frame(&page.frame, Transform::identity());
    let root = walk.finish();
    (root, walk.links)
}

/// A page's text, in reading order.
fn page_text(page: &Element, body: f64, links: &[Link]) -> String {
    let mut rendered = Vec::new();
    page.render(body, links, &mut rendered);
    let mut out = String::new();
    let mut previous: Option<&Run> = None;
    for run in &rendered {
        if let Some(previous) = previous
            && (run.first - previous.last > BLOCK_STEP * previous.size.max(run.size)
                || run.first < previous.first - 1.0)
        {
            out.push('\n');
        }
        out.push_str(&run.text);
        out.push('\n');
        previous = Some(run);
    }
    out
}

/// A page size in words: A4 and A5 by name, others in millimetres.
fn page_size(size: Size) -> String {
    let (width, height) = (size.x.to_mm().round(), size.y.to_mm().round());
    let (short, long) = (width.min(height), width.max(height));
    let orientation = if width > height { "landscape" } else { "portrait" };
    match (short as i64, long as i64) {
        (210, 297) => format!("A4 {orientation}"),
        (148, 210) => format!("A5 {orientation}"),
        _ => format!("{width} × {height} mm"),
    }
}

/// A paragraph, heading, grid, table, cell or list item, or the page
/// itself, with what it holds in order.
#[derive(Debug, Default)]
struct Element {
    name: &'static str,
    children: Vec<Child>,
}

#[derive(Debug)]
enum Child {
    Piece(Piece),
    Element(Element),
}

impl Element {
    /// Every piece inside, however deep.
    fn pieces(&self) -> impl Iterator<Item = &Piece> {
        let mut stack: Vec<&Child> = self.children.iter().rev().collect();
        std::iter::from_fn(move || {
            while let Some(child) = stack.pop() {
                match child {
                    Child::Piece(piece) => return Some(piece),
                    Child::Element(element) => stack.extend(element.children.iter().rev()),
                }
            }
            None
        })
    }

    /// Whether it holds no grid, table or cell: then it reads as one line.
    fn is_leaf(&self) -> bool {
        self.children.iter().all(|child| match child {
            Child::Piece(_) => true,
            Child::Element(element) => !matches!(element.name, "grid" | "table" | "cell") && element.is_leaf(),
        })
    }

    /// Where it begins and ends on the page, by its text's baselines.
    fn extent(&self) -> Option<(f64, f64)> {
        self.pieces().fold(None, |extent, piece| {
            let (top, bottom) = (piece.baseline() - piece.size, piece.baseline());
            Some(extent.map_or((top, bottom), |(t, b): (f64, f64)| (t.min(top), b.max(bottom))))
        })
    }

    fn render(&self, body: f64, links: &[Link], out: &mut Vec<Run>) {
        if self.name != "page" && self.is_leaf() {
            // Inside one cell or paragraph a gap only aligns text.
            out.extend(Run::joined(self.pieces(), (" ", " "), body, links));
        } else if matches!(self.name, "grid" | "table") {
            let cells: Vec<&Element> = self
                .children
                .iter()
                .filter_map(|child| match child {
                    Child::Element(cell) => Some(cell),
                    Child::Piece(_) => None,
                })
                .collect();
            render_rows(&cells, self.name == "table", body, links, out);
        } else {
            self.render_children(body, links, out);
        }
    }

    /// Loose pieces line by line, elements each in its place. Cells of a
    /// table that began on an earlier page come without their table, and
    /// are read as its rows.
    fn render_children(&self, body: f64, links: &[Link], out: &mut Vec<Run>) {
        let mut loose: Vec<&Piece> = Vec::new();
        let mut cells: Vec<&Element> = Vec::new();
        for child in &self.children {
            match child {
                Child::Piece(piece) => loose.push(piece),
                Child::Element(cell) if cell.name == "cell" => {
                    out.extend(lines::by_baseline(loose.drain(..), body, links));
                    cells.push(cell);
                }
                Child::Element(element) => {
                    out.extend(lines::by_baseline(loose.drain(..), body, links));
                    render_rows(&std::mem::take(&mut cells), true, body, links, out);
                    element.render(body, links, out);
                }
            }
        }
        out.extend(lines::by_baseline(loose, body, links));
        render_rows(&cells, true, body, links, out);
    }
}

/// The cells of a grid or table, row by row: a row of plain cells is one
/// line; a row of cells holding grids of their own is read cell after cell,
/// as columns are read. An empty cell of a table (`keep_empty`) keeps the
/// columns after it in their places; a grid's empty cells only make room.
fn render_rows(cells: &[&Element], keep_empty: bool, body: f64, links: &[Link], out: &mut Vec<Run>) {
    let mut rows: Vec<(Vec<&Element>, (f64, f64))> = Vec::new();
    for &cell in cells {
        let Some((top, bottom)) = cell.extent() else {
            if let (Some((row, _)), true) = (rows.last_mut(), keep_empty) {
                row.push(cell);
            }
            continue;
        };
        match rows.last_mut() {
            Some((row, extent)) if top < extent.1 && bottom > extent.0 => {
                row.push(cell);
                *extent = (extent.0.min(top), extent.1.max(bottom));
            }
            _ => rows.push((vec![cell], (top, bottom))),
        }
    }
    for (row, _) in rows {
        if row.iter().all(|cell| cell.is_leaf()) {
            // Inside one cell a gap only aligns text.
            let texts = row.iter().map(|cell| Run::joined(cell.pieces(), (" ", " "), body, links)).collect();
            out.extend(Run::row(texts));
        } else {
            for cell in row {
                cell.render(body, links, out);
            }
        }
    }
}

/// The walk through a page's frames: elements opened by tags and not yet
/// closed, innermost last, under the page itself.
#[derive(Debug)]
struct Walk {
    open: Vec<(Option<Location>, Element)>,
    links: Vec<Link>,
}

impl Walk {
    fn new() -> Walk {
        Walk { open: vec![(None, Element { name: "page", children: Vec::new() })], links: Vec::new() }
    }

    fn frame(&mut self, frame: &Frame, transform: Transform) {
        for (position, item) in frame.items() {
            match item {
                FrameItem::Group(group) => {
                    let at = Transform::translate(position.x, position.y);
                    self.frame(&group.frame, transform.pre_concat(at).pre_concat(group.transform));
                }
                FrameItem::Text(text) => {
                    if let Some(piece) = text_piece(text, position.transform(transform)) {
                        self.add(Child::Piece(piece));
                    }
                }
                FrameItem::Image(image, size, _) => {
                    let alt = image.alt().map(str::trim).filter(|alt| !alt.is_empty());
                    let text = alt.map_or_else(|| "[image]".to_string(), |alt| format!("[image: {alt}]"));
                    self.add(Child::Piece(Piece::image(position.transform(transform), *size, text)));
                }
                FrameItem::Link(Destination::Url(url), size) => {
                    self.links.push(Link::new(position.transform(transform), *size, url.to_string()));
                }
                FrameItem::Tag(Tag::Start(content, _)) => {
                    let name = content.elem().name();
                    if STRUCTURE.contains(&name) {
                        self.open.push((content.location(), Element { name, children: Vec::new() }));
                    }
                }
                FrameItem::Tag(Tag::End(location, ..)) => self.close(*location),
                FrameItem::Shape(shape, _) => {
                    if let Some((symbol, corner, width)) = marks::mark(shape) {
                        let place = (*position + corner).transform(transform);
                        self.add(Child::Piece(Piece::mark(place, width.to_pt(), symbol)));
                    }
                }
                FrameItem::Link(..) => {}
            }
        }
    }

    fn add(&mut self, child: Child) {
        if let Some((_, element)) = self.open.last_mut() {
            element.children.push(child);
        }
    }

    /// Closes the element at `location` and any left open inside it; an
    /// element that began on an earlier page has nothing to close here.
    fn close(&mut self, location: Location) {
        if !self.open.iter().any(|(open, _)| *open == Some(location)) {
            return;
        }
        while self.open.len() > 1 {
            let Some((open, element)) = self.open.pop() else { break };
            self.add(Child::Element(element));
            if open == Some(location) {
                break;
            }
        }
    }

    /// The page with every element closed.
    fn finish(&mut self) -> Element {
        while self.open.len() > 1 {
            let Some((_, element)) = self.open.pop() else { break };
            self.add(Child::Element(element));
        }
        self.open.pop().map(|(_, page)| page).unwrap_or_default()
    }
}

fn text_piece(text: &TextItem, origin: Point) -> Option<Piece> {
    if text.text.is_empty() {
        return None;
    }
    // Italic is left unmarked: it is rare in kub's documents and reads
    // fine as it is.
    let bold = text.font.font().info().variant.weight >= FontWeight::SEMIBOLD;
    Some(Piece::text(origin, text.width().to_pt(), text.size.to_pt(), text.text.to_string(), bold))
}

#[cfg(test)]
mod tests {
    use super::*;
    use typst::layout::Abs;

    #[test]
    fn a4_is_named() {
        assert_eq!(page_size(Size::new(Abs::mm(210.0), Abs::mm(297.0))), "A4 portrait");
        assert_eq!(page_size(Size::new(Abs::mm(297.0), Abs::mm(210.0))), "A4 landscape");
        assert_eq!(page_size(Size::new(Abs::mm(100.0), Abs::mm(50.0))), "100 × 50 mm");
    }
}
