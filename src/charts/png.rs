//! Charts as PNG: the core's SVG rasterised with resvg, text set in the system's fonts.

use std::sync::OnceLock;

use resvg::{tiny_skia, usvg};

use crate::error::{Error, Result};

/// Families tried, in order, for the charts' `sans-serif`: fontdb maps that name to Arial,
/// which Linux laptops rarely have, and without it every label was silently left out.
const SANS: [&str; 4] = ["Noto Sans", "DejaVu Sans", "Liberation Sans", "Arial"];

fn options() -> &'static usvg::Options<'static> {
    static OPTIONS: OnceLock<usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut o = usvg::Options::default();
        let db = o.fontdb_mut();
        db.load_system_fonts();
        let installed = |name: &str| {
            db.faces()
                .any(|f| f.families.iter().any(|(family, _)| family == name))
        };
        if let Some(family) = SANS.into_iter().find(|f| installed(f)) {
            db.set_sans_serif_family(family);
        }
        o
    })
}

fn failed(e: impl std::fmt::Display) -> Error {
    Error::Document(crate::error::DocumentError::Rasterise {
        reason: e.to_string(),
    })
}

/// Rasterises `svg` at `scale` (2.0 for sharp prints) to PNG bytes.
pub fn from_svg(svg: &str, scale: f32) -> Result<Vec<u8>> {
    let tree = usvg::Tree::from_str(svg, options()).map_err(failed)?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or_else(|| failed("empty size"))?;
    let mut pixmap =
        tiny_skia::Pixmap::new(size.width(), size.height()).ok_or_else(|| failed("empty size"))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(failed)
}

/// Where one piece of a chart's text lands once laid out in the system's fonts, in the
/// SVG's pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct TextBox {
    /// The text.
    pub text: String,
    /// Left edge.
    pub left: f32,
    /// Top edge.
    pub top: f32,
    /// Right edge.
    pub right: f32,
    /// Bottom edge.
    pub bottom: f32,
}

impl TextBox {
    /// Whether two boxes share more than `slack` pixels each way.
    pub fn overlaps(&self, other: &TextBox, slack: f32) -> bool {
        self.left + slack < other.right
            && other.left + slack < self.right
            && self.top + slack < other.bottom
            && other.top + slack < self.bottom
    }
}

/// The canvas size of `svg` and the box of every text in it, laid out as the PNG export
/// and a browser would (for the test that no label is clipped or overlaps another).
pub fn text_boxes(svg: &str) -> Result<((f32, f32), Vec<TextBox>)> {
    let tree = usvg::Tree::from_str(svg, options()).map_err(failed)?;
    let mut out = Vec::new();
    collect(tree.root(), &mut out);
    Ok(((tree.size().width(), tree.size().height()), out))
}

fn collect(group: &usvg::Group, out: &mut Vec<TextBox>) {
    for node in group.children() {
        match node {
            usvg::Node::Group(g) => collect(g, out),
            usvg::Node::Text(t) => {
                let b = t.abs_bounding_box();
                out.push(TextBox {
                    text: t.chunks().iter().map(|c| c.text()).collect(),
                    left: b.left(),
                    top: b.top(),
                    right: b.right(),
                    bottom: b.bottom(),
                });
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_in_sans_serif_are_drawn() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">
            <text x="4" y="28" font-family="sans-serif" font-size="20" fill="black">Label</text></svg>"#;
        let png = from_svg(svg, 1.0).expect("png");
        let pixmap = tiny_skia::Pixmap::decode_png(&png).expect("decode");
        let inked = pixmap.pixels().iter().filter(|p| p.alpha() > 0).count();
        assert!(inked > 50, "the label drew {inked} pixels");
    }
}
