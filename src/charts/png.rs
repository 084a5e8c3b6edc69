//! Charts as PNG: the core's SVG rasterised with resvg, text set in the system's fonts.

use std::sync::OnceLock;

use resvg::{tiny_skia, usvg};

use crate::error::{Error, Result};

fn options() -> &'static usvg::Options<'static> {
    static OPTIONS: OnceLock<usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut o = usvg::Options::default();
        o.fontdb_mut().load_system_fonts();
        o
    })
}

fn failed(e: impl std::fmt::Display) -> Error {
    Error::Export {
        message: format!("cannot rasterise the chart: {e}"),
    }
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
