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
    let t = |key: &str| lit(&words::t(r, key));
    let mut doc = format!(
        "#set document(title: {title})\n#set page(paper: {paper}, margin: 15mm)\n#set text(lang: {lang}, font: (\"Noto Sans\", \"Noto Sans Arabic\", \"Noto Sans CJK SC\", \"DejaVu Sans\"), size: 10pt)\n\
         #show heading: set text(fill: rgb(\"#1f6f5c\"))\n= #{title}\n#{}\n\n== #{}\n#table(columns: 3, stroke: 0.4pt + gray, [], [*#{}*], [*#{}*],\n",
        lit(&words::subtitle(r)),
        t("report.headlines"),
        t("report.thisPeriod"),
        t("report.previous"),
        paper = lit(if r.letter { "us-letter" } else { "a4" }),
        lang = lit(r.lang.code()),
        title = lit(&words::title(r)),
    );
    for (label, now, before) in headlines(r) {
        doc.push_str(&format!(
            "[#{}], [#{}], [#{}],\n",
            lit(&label),
            lit(&now),
            lit(&before)
        ));
    }
    // One chart per row, wide enough that its smallest text prints at 8 pt or more.
    doc.push_str(&format!(
        ")\n\n== #{}\n#grid(columns: 1, gutter: 8pt,\n",
        t("report.charts")
    ));
    // Each chart's sentence is its alternative text (PDF/UA refuses an image without one).
    for c in &r.charts {
        doc.push_str(&format!(
            "image(bytes({}), format: \"svg\", width: {CHART_WIDTH_MM}mm, alt: {}),\n",
            data_lit(&c.svg),
            lit(&c.alt)
        ));
    }
    doc.push_str(&format!(
        ")\n\n== #{}\n#{}\n\n=== #{}\n",
        t("report.highlights"),
        lit(&words::answered(r)),
        t("report.top")
    ));
    push_list(
        &mut doc,
        "+",
        r.top_contributors
            .iter()
            .map(|h| format!("{} ({})", h.name, h.contributions))
            .collect(),
        &words::t(r, "report.noContributors"),
    );
    doc.push_str(&format!("\n=== #{}\n", t("report.champions")));
    push_list(
        &mut doc,
        "-",
        r.champions.clone(),
        &words::t(r, "report.noChampions"),
    );
    doc.push_str(&format!("\n=== #{}\n", t("report.purposes")));
    push_list(&mut doc, "-", words::purposes(r), "");
    if let Some(note) = words::note(r) {
        doc.push_str(&format!("\n== #{}\n#{}\n", t("report.note"), lit(note)));
    }
    doc.push_str(&format!("\n== #{}\n", t("report.stories")));
    if r.stories.is_empty() {
        doc.push_str(&format!("#{}\n", t("report.noStories")));
    }
    for s in &r.stories {
        let who = s
            .member_name
            .as_deref()
            .map(|n| format!(" — {n}"))
            .unwrap_or_default();
        doc.push_str(&format!(
            "#text(size: 8pt, fill: rgb(\"#1f6f5c\"))[#{}]\n\n*#{}*\n\n#{}\n\n",
            lit(&words::story_tag(r, s.tag.as_str(), &s.told_on)),
            lit(&format!("{}{who}", s.title)),
            lit(&s.text)
        ));
    }
    doc
}

/// Items as a Typst list (`marker` "+" numbered, "-" bulleted), or the `empty` line.
fn push_list(doc: &mut String, marker: &str, items: Vec<String>, empty: &str) {
    if items.is_empty() && !empty.is_empty() {
        doc.push_str(&format!("#{}\n", lit(empty)));
    }
    for item in items {
        doc.push_str(&format!("{marker} #{}\n", lit(&item)));
    }
}

/// The report as PDF bytes.
pub fn render(r: &Report) -> Result<Vec<u8>> {
    typeset(&source(r))
}
