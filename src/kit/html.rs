//! The kit as one self-contained HTML file: no script, no external resource, styles inline,
//! a print stylesheet, and every text from the data escaped.

use super::markdown::to_html;
use super::Kit;

/// The kit's stylesheet (the app's CSP allows exactly this text by its SHA-256, so the
/// preview looks like the export).
pub const STYLE: &str = r#"
:root { color-scheme: light; }
body { font-family: "Noto Sans", "Noto Sans Arabic", "Noto Sans CJK SC", "DejaVu Sans", sans-serif;
  max-width: 46rem; margin: 2rem auto; padding: 0 1.25rem; line-height: 1.5; color: #1d2420; background: #fff; }
header { border-bottom: 3px solid #1f6f5c; margin-bottom: 1.5rem; }
h1 { color: #1f6f5c; margin: 0 0 0.25rem; }
.for { color: #555; margin: 0 0 1rem; }
h2 { color: #1f6f5c; border-bottom: 1px solid #d7ddd9; padding-bottom: 0.2rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #d7ddd9; padding: 0.3rem 0.5rem; text-align: start; }
th { background: #eef4f1; }
ul:has(input[type=checkbox]) { list-style: none; padding-inline-start: 0.5rem; }
footer { margin-top: 3rem; color: #777; font-size: 0.85rem; }
@page { size: A4; margin: 18mm; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } section { break-inside: avoid-page; } }
"#;

/// The whole HTML document.
pub fn render(kit: &Kit) -> String {
    let mut body = String::new();
    for s in &kit.sections {
        body.push_str(&format!(
            "<section id=\"{}\">\n<h2>{}</h2>\n{}</section>\n",
            html_escape(&s.id),
            html_escape(&s.title),
            to_html(&s.markdown)
        ));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\" dir=\"auto\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <header><h1>{title}</h1><p class=\"for\">{recipient}</p></header>\n{body}\
         <footer>{date}</footer>\n</body>\n</html>\n",
        lang = html_escape(&kit.lang),
        title = html_escape(&kit.title),
        recipient = html_escape(&kit.recipient),
        date = html_escape(&kit.date_written()),
    )
}

/// Escapes text for HTML element content and attribute values.
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Direction overrides are dropped: a name cannot reorder the text around it.
            c if crate::limits::is_bidi_control(c) => {}
            _ => out.push(c),
        }
    }
    out
}
