//! The report as one self-contained HTML file: charts embedded as images (an SVG shown as an
//! image runs nothing), every text from the data escaped, a print stylesheet.

use base64::Engine;

use super::{headlines, words, Report};
use crate::charts::{Chart, DataTable};
use crate::kit::html::html_escape as esc;

const STYLE: &str = r#"
body { font-family: "Noto Sans", "DejaVu Sans", sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1.25rem; color: #1d2420; line-height: 1.45; }
h1, h2 { color: #1f6f5c; } h2 { border-bottom: 1px solid #d7ddd9; margin-top: 2rem; }
table { border-collapse: collapse; } td, th { border-bottom: 1px solid #d7ddd9; padding: 0.3rem 0.7rem; text-align: start; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; } .charts figure { margin: 0; } .charts img { width: 100%; border: 1px solid #d7ddd9; }
summary { cursor: pointer; color: #1f6f5c; } .charts table { font-size: 0.85rem; margin-top: 0.4rem; }
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

/// A chart's data as an HTML table: column headers, and each row headed by its first cell.
fn data_table(t: &DataTable) -> String {
    let head: String = t
        .columns
        .iter()
        .map(|c| format!("<th scope=\"col\">{}</th>", esc(c)))
        .collect();
    let rows: String = t
        .rows
        .iter()
        .map(|row| {
            let cells: String = row
                .iter()
                .enumerate()
                .map(|(i, c)| match i {
                    0 => format!("<th scope=\"row\">{}</th>", esc(c)),
                    _ => format!("<td>{}</td>", esc(c)),
                })
                .collect();
            format!("<tr>{cells}</tr>")
        })
        .collect();
    format!("<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
}

/// A chart as a figure: the drawing with its sentence as alternative text, and its data as
/// a table one click away (a table with no row is left out).
fn figure(r: &Report, c: &Chart) -> String {
    let data = base64::engine::general_purpose::STANDARD.encode(&c.svg);
    let table = if c.table.rows.is_empty() {
        String::new()
    } else {
        format!(
            "<details><summary>{}</summary>{}</details>",
            esc(&words::t(r, "chart.showTable")),
            data_table(&c.table)
        )
    };
    format!(
        "<figure><img alt=\"{}\" src=\"data:image/svg+xml;base64,{data}\">{table}</figure>",
        esc(&c.alt)
    )
}

/// The whole HTML document.
pub fn render(r: &Report) -> String {
    let rows: String = headlines(r)
        .iter()
        .map(|(label, now, before)| {
            format!(
                "<tr><td>{}</td><td><strong>{}</strong></td><td>{}</td></tr>",
                esc(label),
                esc(now),
                esc(before)
            )
        })
        .collect();
    let charts: String = r.charts.iter().map(|c| figure(r, c)).collect();
    let top: Vec<String> = r
        .top_contributors
        .iter()
        .map(|h| format!("{} ({})", h.name, h.contributions))
        .collect();
    let stories: String = r
        .stories
        .iter()
        .map(|s| {
            let who = s
                .member_name
                .as_deref()
                .map(|n| format!(" — {}", esc(n)))
                .unwrap_or_default();
            let tag = words::story_tag(r, s.tag.as_str(), &s.told_on);
            format!(
                "<article><div class=\"tag\">{}</div><h3>{}{who}</h3><p>{}</p></article>",
                esc(&tag),
                esc(&s.title),
                esc(&s.text)
            )
        })
        .collect();
    let t = |key: &str| esc(&words::t(r, key));
    let purposes: Vec<String> = words::purposes(r);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
         <title>{title}</title><style>{STYLE}</style></head>\n<body>\n<h1>{title}</h1><p>{subtitle}</p>\n\
         <h2>{headlines}</h2><table><thead><tr><th></th><th>{this}</th><th>{previous}</th></tr></thead><tbody>{rows}</tbody></table>\n\
         <h2>{charts_title}</h2><div class=\"charts\">{charts}</div>\n\
         <h2>{highlights}</h2><p>{answered}</p><h3>{top_title}</h3>{top}<h3>{champions_title}</h3>{champions}\n\
         <h3>{purposes_title}</h3><ul>{purposes}</ul>\n\
         {note}<h2>{stories_title}</h2>{stories}\n</body>\n</html>\n",
        lang = r.lang.code(),
        title = esc(&words::title(r)),
        subtitle = esc(&words::subtitle(r)),
        headlines = t("report.headlines"),
        this = t("report.thisPeriod"),
        previous = t("report.previous"),
        charts_title = t("report.charts"),
        highlights = t("report.highlights"),
        top_title = t("report.top"),
        champions_title = t("report.champions"),
        purposes_title = t("report.purposes"),
        stories_title = t("report.stories"),
        answered = esc(&words::answered(r)),
        top = or_line(format!("<ol>{}</ol>", list(&top)), top.is_empty(), &words::t(r, "report.noContributors")),
        champions = or_line(format!("<ul>{}</ul>", list(&r.champions)), r.champions.is_empty(), &words::t(r, "report.noChampions")),
        purposes = list(&purposes),
        note = words::note(r).map(|n| format!("<h2>{}</h2><p class=\"note\">{}</p>\n", t("report.note"), esc(n))).unwrap_or_default(),
        stories = or_line(stories, r.stories.is_empty(), &words::t(r, "report.noStories")),
    )
}
