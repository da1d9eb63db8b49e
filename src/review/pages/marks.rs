//! Small drawn marks as the symbols a reader sees in them. The bundled
//! fonts have no check marks, arrows or geometric shapes, so the templates
//! draw them; a snapshot writes them as `✓`, `▲`, `▼`, `●`, `○` and `☐`,
//! since they say whether a task is achieved, required or improved.

use typst::layout::{Abs, Point};
use typst::visualize::{CurveItem, Geometry, Shape};

/// Shapes larger than this many points are lines, frames and backgrounds,
/// not marks.
const LARGEST_MARK: f64 = 14.0;

/// The symbol for a small shape, and where it sits relative to the shape's
/// place: its left edge and its bottom edge; `None` for anything else.
pub fn mark(shape: &Shape) -> Option<(&'static str, Point, Abs)> {
    let bbox = shape.bbox(false);
    let size = bbox.size();
    let (width, height) = (size.x.to_pt(), size.y.to_pt());
    if width > LARGEST_MARK || height > LARGEST_MARK || (width < 1.0 && height < 1.0) {
        return None;
    }
    let symbol = match &shape.geometry {
        Geometry::Rect(_) if shape.fill.is_none() => "☐",
        Geometry::Rect(_) | Geometry::Line(_) => return None,
        Geometry::Curve(curve) => {
            let round = curve.0.iter().any(|item| matches!(item, CurveItem::Cubic(..)));
            match (round, shape.fill.is_some()) {
                (true, true) => "●",
                (true, false) => "○",
                (false, false) => "✓",
                (false, true) => triangle(&curve.0)?,
            }
        }
    };
    Some((symbol, Point::new(bbox.min.x, bbox.max.y), size.x))
}

/// `▲` for a triangle whose lone corner is at the top, `▼` for one whose
/// lone corner is at the bottom.
fn triangle(items: &[CurveItem]) -> Option<&'static str> {
    let corners: Vec<Point> = items
        .iter()
        .filter_map(|item| match item {
            CurveItem::Move(point) | CurveItem::Line(point) => Some(*point),
            _ => None,
        })
        .collect();
    let [a, b, c] = corners[..] else { return None };
    let lone = if a.y == b.y {
        c
    } else if a.y == c.y {
        b
    } else {
        a
    };
    let others = [a, b, c].iter().filter(|point| **point != lone).map(|point| point.y).fold(Abs::zero(), Abs::max);
    Some(if lone.y < others { "▲" } else { "▼" })
}
