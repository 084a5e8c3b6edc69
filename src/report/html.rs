//! The report as one self-contained HTML file: charts embedded as images (an SVG shown as an
//! image runs nothing), every text from the data escaped, a print stylesheet.

use base64::Engine;

use super::{headlines, words, Report};
use crate::kit::html::html_escape as esc;

const STYLE: &str = r#"
body { font-family: "Noto Sans", "DejaVu Sans", sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1.25rem; color: #1d2420; line-height: 1.45; }
h1, h2 { color: #1f6f5c; } h2 { border-bottom: 1px solid #d7ddd9; margin-top: 2rem; }
table { border-collapse: collapse; } td, th { border-bottom: 1px solid #d7ddd9; padding: 0.3rem 0.7rem; text-align: start; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; } .charts img { width: 100%; border: 1px solid #d7ddd9; }
.tag { font-size: 0.8rem; text-transform: uppercase; color: #1f6f5c; } .note { white-space: pre-wrap; }
@page { size: A4; margin: 15mm; } @media print { body { margin: 0; max-width: none; } .charts { break-inside: avoid; } }
"#;

fn list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("<li>{}</li>", esc(i)))
        .collect()
}

/// `block`, or one plain line when there is nothing to show.
fn or_line(block: String, empty: bool, line: &str) -> String {
    if empty {
        format!("<p class=\"empty\">{}</p>", esc(line))
    } else {
        block
    }
}

/// The whole HTML document.
pub fn render(r: &Report) -> String {
    let rows: String = headlines(r)
        .iter()
        .map(|(label, now, before)| {
            format!(
                "<tr><td>{label}</td><td><strong>{}</strong></td><td>{}</td></tr>",
                esc(now),
                esc(before)
            )
        })
        .collect();
    let charts: String = r
        .charts
        .iter()
        .map(|(title, svg)| {
            let data = base64::engine::general_purpose::STANDARD.encode(svg);
            format!(
                "<img alt=\"{}\" src=\"data:image/svg+xml;base64,{data}\">",
                esc(title)
            )
        })
        .collect();
    let top: Vec<String> = r
        .top_contributors
        .iter()
        .map(|h| format!("{} ({})", h.name, h.contributions))
        .collect();
    let stories: String = r
        .stories
        .iter()
        .map(|s| {
            let who = s.member_name.as_deref().map(|n| format!(" — {}", esc(n))).unwrap_or_default();
            format!("<article><div class=\"tag\">{} value · {}</div><h3>{}{who}</h3><p>{}</p></article>", s.tag.as_str(), esc(&s.told_on), esc(&s.title), esc(&s.text))
        })
        .collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
         <title>{title}</title><style>{STYLE}</style></head>\n<body>\n<h1>{title}</h1><p>{from} – {to}{segment}{pseudo}</p>\n\
         <h2>Headline numbers</h2><table><thead><tr><th></th><th>This period</th><th>Previous period</th></tr></thead><tbody>{rows}</tbody></table>\n\
         <h2>Charts</h2><div class=\"charts\">{charts}</div>\n\
         <h2>Highlights</h2><p>{answered}</p><h3>Top contributors</h3>{top}<h3>Champions</h3>{champions}\n\
         {note}<h2>Value-creation stories</h2>{stories}\n</body>\n</html>\n",
        title = esc(&format!("{} — participation health", r.community)),
        from = esc(&r.from),
        to = esc(&r.to),
        segment = esc(&words::segment_line(&r.health.segment)),
        pseudo = if r.pseudonymised { " · pseudonymised: names are stable aliases" } else { "" },
        answered = esc(&words::answered(r)),
        top = or_line(format!("<ol>{}</ol>", list(&top)), top.is_empty(), words::NO_CONTRIBUTORS),
        champions = or_line(format!("<ul>{}</ul>", list(&r.champions)), r.champions.is_empty(), words::NO_CHAMPIONS),
        note = words::note(r).map(|n| format!("<h2>The facilitator's note</h2><p class=\"note\">{}</p>\n", esc(n))).unwrap_or_default(),
        stories = or_line(stories, r.stories.is_empty(), words::NO_STORIES),
    )
}
