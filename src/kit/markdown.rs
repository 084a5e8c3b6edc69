//! Markdown made safe: values from imported data are backslash-escaped before they enter a
//! template, and when Markdown is rendered, raw HTML is shown as text and only web and mail
//! links stay links.

use pulldown_cmark::{Event, Options, Parser, Tag};

/// Escapes every ASCII punctuation character, so `text` stays literal text in Markdown.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        if c == '\n' || c == '\r' {
            out.push(' ');
        } else if crate::limits::is_bidi_control(c) {
            // dropped: a name cannot reorder the text around it
        } else {
            out.push(c);
        }
    }
    out
}

/// The options Tend renders with: tables and task lists.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH
}

fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:")
}

/// Parses `markdown` into events with raw HTML turned into text and unsafe links unlinked.
pub fn safe_events(markdown: &str) -> Vec<Event<'_>> {
    let mut out = Vec::new();
    let mut dropped_links = 0usize;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Html(h) | Event::InlineHtml(h) => out.push(Event::Text(h)),
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. })
                if !safe_url(&dest_url) =>
            {
                dropped_links += 1;
            }
            Event::Start(Tag::Image {
                dest_url,
                title,
                id,
                ..
            }) => {
                // Images would load from the network: keep them as links.
                out.push(Event::Start(Tag::Link {
                    link_type: pulldown_cmark::LinkType::Inline,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::End(pulldown_cmark::TagEnd::Link)
            | Event::End(pulldown_cmark::TagEnd::Image)
                if dropped_links > 0 =>
            {
                dropped_links -= 1;
            }
            Event::End(pulldown_cmark::TagEnd::Image) => {
                out.push(Event::End(pulldown_cmark::TagEnd::Link))
            }
            other => out.push(other),
        }
    }
    out
}

/// Renders Markdown to HTML safely (see [`safe_events`]).
pub fn to_html(markdown: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, safe_events(markdown).into_iter());
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_stay_text() {
        let name = "<img src=x onerror=alert(1)> [x](javascript:alert(1)) *b*";
        let html = to_html(&format!("Hello **{}**", escape(name)));
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "{html}"
        );
        assert!(!html.contains("href"), "{html}");
        assert!(!html.contains("<em>"), "{html}");
    }

    #[test]
    fn raw_html_and_script_links_in_a_template_are_neutralised() {
        let html = to_html(
            "<script>alert(1)</script>\n\n[a](javascript:alert(1)) [b](https://example.org)",
        );
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("href=\"https://example.org\""), "{html}");
    }
}
