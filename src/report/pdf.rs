//! The report as PDF, through the same Typst pipeline as the kits: text only as string
//! literals, charts as SVG images.

use super::{headlines, words, Report};
use crate::error::Result;
use crate::kit::pdf::{data_lit, lit, typeset};

/// How wide each chart prints, in millimetres (the text width of A4 with 15 mm margins):
/// a 640-pixel chart's smallest labels come out at 8.4 pt (a test holds every chart's
/// text to 8 pt or more at this width).
pub const CHART_WIDTH_MM: f64 = 180.0;

/// Typst source of the report.
pub fn source(r: &Report) -> String {
    let mut doc = format!(
        "#set page(paper: {paper}, margin: 15mm)\n#set text(font: (\"Noto Sans\", \"Noto Sans Arabic\", \"Noto Sans CJK SC\", \"DejaVu Sans\"), size: 10pt)\n\
         #show heading: set text(fill: rgb(\"#1f6f5c\"))\n= #{}\n#{}\n\n== #{}\n#table(columns: 3, stroke: 0.4pt + gray, [], [*This period*], [*Previous*],\n",
        lit(&format!("{} — participation health", r.community)),
        lit(&format!(
            "{} – {}{}{}",
            r.from,
            r.to,
            words::segment_line(&r.health.segment),
            if r.pseudonymised { " · pseudonymised" } else { "" }
        )),
        lit("Headline numbers"),
        paper = lit(if r.letter { "us-letter" } else { "a4" }),
    );
    for (label, now, before) in headlines(r) {
        doc.push_str(&format!(
            "[#{}], [#{}], [#{}],\n",
            lit(label),
            lit(&now),
            lit(&before)
        ));
    }
    // One chart per row, wide enough that its smallest text prints at 8 pt or more.
    doc.push_str(")\n\n== Charts\n#grid(columns: 1, gutter: 8pt,\n");
    for (_, svg) in &r.charts {
        doc.push_str(&format!(
            "image(bytes({}), format: \"svg\", width: {CHART_WIDTH_MM}mm),\n",
            data_lit(svg)
        ));
    }
    doc.push_str(&format!(
        ")\n\n== Highlights\n#{}\n\n=== Top contributors\n",
        lit(&words::answered(r))
    ));
    if r.top_contributors.is_empty() {
        doc.push_str(&format!("#{}\n", lit(words::NO_CONTRIBUTORS)));
    }
    for h in &r.top_contributors {
        doc.push_str(&format!(
            "+ #{}\n",
            lit(&format!("{} ({})", h.name, h.contributions))
        ));
    }
    doc.push_str("\n=== Champions\n");
    if r.champions.is_empty() {
        doc.push_str(&format!("#{}\n", lit(words::NO_CHAMPIONS)));
    }
    for c in &r.champions {
        doc.push_str(&format!("- #{}\n", lit(c)));
    }
    if let Some(note) = words::note(r) {
        doc.push_str(&format!("\n== The facilitator's note\n#{}\n", lit(note)));
    }
    doc.push_str("\n== Value-creation stories\n");
    if r.stories.is_empty() {
        doc.push_str(&format!("#{}\n", lit(words::NO_STORIES)));
    }
    for s in &r.stories {
        let who = s
            .member_name
            .as_deref()
            .map(|n| format!(" — {n}"))
            .unwrap_or_default();
        doc.push_str(&format!(
            "#text(size: 8pt, fill: rgb(\"#1f6f5c\"))[#{}]\n\n*#{}*\n\n#{}\n\n",
            lit(&format!("{} value · {}", s.tag.as_str(), s.told_on)),
            lit(&format!("{}{who}", s.title)),
            lit(&s.text)
        ));
    }
    doc
}

/// The report as PDF bytes.
pub fn render(r: &Report) -> Result<Vec<u8>> {
    typeset(&source(r))
}
