//! The kit as PDF, typeset by Typst used as a library: the kit's Markdown becomes Typst
//! markup in which every piece of text is a string literal (so nothing from the data is
//! ever read as markup), laid out on A4 with the system's Noto fonts embedded.

use std::sync::OnceLock;

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::fonts::FontStore;
use typst_layout::PagedDocument;

use super::markdown::safe_events;
use super::Kit;
use crate::error::{DocumentError, Error, Result};

/// Fonts tried first, in order; Typst falls back to any other installed font for the rest.
const FONTS: &str = r#"("Noto Sans", "Noto Sans Arabic", "Noto Sans CJK SC", "Noto Sans Devanagari", "DejaVu Sans")"#;

fn fonts() -> &'static FontStore {
    static FONTS: OnceLock<FontStore> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut store = FontStore::new();
        store.extend(typst_kit::fonts::system());
        store
    })
}

fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::default()))
}

/// A Typst world holding one in-memory source and the system's fonts.
struct KitWorld {
    source: Source,
}

impl World for KitWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }
    fn book(&self) -> &LazyHash<FontBook> {
        fonts().book()
    }
    fn main(&self) -> FileId {
        self.source.id()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.source.id() {
            Ok(self.source.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.source.id() {
            Ok(Bytes::from_string(self.source.text().to_string()))
        } else {
            Err(FileError::AccessDenied)
        }
    }
    fn font(&self, index: usize) -> Option<Font> {
        fonts().font(index)
    }
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}

/// A Typst string literal holding `text`, without direction overrides (a name cannot
/// reorder the text around it), with combining marks capped per letter
/// ([`crate::clean::for_document`]: whatever a name kept before that rule holds, the
/// typesetter shapes small letters) and cut at [`crate::limits::MAX_DOCUMENT_TEXT_CHARS`].
/// Every piece of text from the data reaches the typesetter through here.
pub fn lit(text: &str) -> String {
    literal(
        &crate::clean::for_document(text),
        crate::limits::MAX_DOCUMENT_TEXT_CHARS,
    )
}

/// A Typst string literal holding the whole of `data` (a chart's SVG, made by Tend).
pub fn data_lit(data: &str) -> String {
    literal(data, usize::MAX)
}

fn literal(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max.saturating_mul(4)) + 2);
    out.push('"');
    let kept = text.chars().filter(|c| !crate::limits::is_bidi_control(*c));
    for (i, c) in kept.enumerate() {
        if i == max {
            out.push('…');
            break;
        }
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' | '\r' | '\t' => out.push(' '),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

fn level(l: HeadingLevel) -> usize {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        _ => 3,
    }
}

/// Typst markup for one section's Markdown (headings start one level below the section's).
pub fn markup(markdown: &str) -> String {
    let mut out = String::new();
    let mut lists: Vec<bool> = Vec::new();
    for event in safe_events(markdown) {
        match event {
            Event::Start(Tag::Heading { level: l, .. }) => {
                out.push_str(&format!("\n{} ", "=".repeat(level(l) + 2)))
            }
            Event::End(TagEnd::Heading(_)) => out.push('\n'),
            Event::End(TagEnd::Paragraph) => {
                out.push_str(if lists.is_empty() { "\n\n" } else { "" })
            }
            Event::Start(Tag::List(first)) => lists.push(first.is_some()),
            Event::End(TagEnd::List(_)) => {
                lists.pop();
                out.push('\n');
            }
            Event::Start(Tag::Item) => {
                let indent = "  ".repeat(lists.len().saturating_sub(1));
                let marker = if lists.last().copied().unwrap_or(false) {
                    "+"
                } else {
                    "-"
                };
                out.push_str(&format!("\n{indent}{marker} "));
            }
            Event::TaskListMarker(done) => {
                out.push_str(&format!("#{} ", lit(if done { "☑" } else { "☐" })))
            }
            Event::Start(Tag::Strong) => out.push_str("#strong["),
            Event::Start(Tag::Emphasis) => out.push_str("#emph["),
            Event::Start(Tag::Strikethrough) => out.push_str("#strike["),
            Event::Start(Tag::Link { dest_url, .. }) => {
                out.push_str(&format!("#link({})[", lit(&dest_url)))
            }
            Event::End(
                TagEnd::Strong | TagEnd::Emphasis | TagEnd::Strikethrough | TagEnd::Link,
            ) => out.push(']'),
            Event::Start(Tag::Table(aligns)) => {
                out.push_str(&format!("\n#table(columns: {}, ", aligns.len().max(1)))
            }
            Event::End(TagEnd::Table) => out.push_str(")\n\n"),
            Event::Start(Tag::TableCell) => out.push('['),
            Event::End(TagEnd::TableCell) => out.push_str("], "),
            Event::Text(t) => out.push_str(&format!("#{}", lit(&t))),
            Event::Code(t) => out.push_str(&format!("#raw({})", lit(&t))),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push_str("#linebreak()"),
            Event::Rule => out.push_str("\n#line(length: 100%)\n"),
            _ => {}
        }
    }
    out
}

/// The whole kit as a Typst document.
pub fn source(kit: &Kit) -> String {
    let mut doc = format!(
        "#set document(title: {title})\n#set page(paper: \"a4\", margin: 18mm, footer: align(right, text(size: 8pt, fill: gray)[#{date}]))\n\
         #set text(font: {FONTS}, size: 10.5pt, lang: {lang})\n#set par(justify: false)\n\
         #show heading: set text(fill: rgb(\"#1f6f5c\"))\n#set table(stroke: 0.5pt + rgb(\"#c8d0cb\"), inset: 5pt)\n\
         = #{title}\n\n#text(fill: rgb(\"#555555\"))[#{recipient}]\n\n",
        title = lit(&kit.title),
        date = lit(&kit.date_written()),
        lang = lit(&kit.lang),
        recipient = lit(&kit.recipient),
    );
    for s in &kit.sections {
        doc.push_str(&format!(
            "\n== #{}\n\n{}\n",
            lit(&s.title),
            markup(&s.markdown)
        ));
    }
    doc
}

/// Typesets `typst_source` to PDF/UA-1 bytes: an export Typst cannot make conform fails.
pub fn typeset(typst_source: &str) -> Result<Vec<u8>> {
    let world = KitWorld {
        source: Source::detached(typst_source),
    };
    let failed = |doing, diags: &[typst::diag::SourceDiagnostic]| {
        let reason = diags.iter().map(|d| d.message.as_str());
        Error::from(DocumentError::Typeset {
            doing,
            reason: reason.collect::<Vec<_>>().join("; "),
        })
    };
    let document: PagedDocument = typst::compile(&world)
        .output
        .map_err(|e| failed("lay out the document", &e))?;
    typst_pdf::pdf(&document, &ua_options()?).map_err(|e| failed("write the PDF", &e))
}

/// Export options asking for PDF/UA-1: a tagged PDF with the document's title and
/// language, and alternative text on every image. Typst checks it while writing and
/// refuses, naming what is missing, rather than write a PDF that does not conform.
fn ua_options() -> Result<typst_pdf::PdfOptions> {
    let standards = typst_pdf::PdfStandards::new(&[typst_pdf::PdfStandard::Ua_1]).map_err(|e| {
        Error::from(DocumentError::Typeset {
            doing: "ask for PDF/UA-1",
            reason: e.message().to_string(),
        })
    })?;
    Ok(typst_pdf::PdfOptions {
        standards,
        ..typst_pdf::PdfOptions::default()
    })
}

/// The kit as PDF bytes.
pub fn render(kit: &Kit) -> Result<Vec<u8>> {
    typeset(&source(kit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_the_data_is_a_string_literal_never_markup() {
        let m = markup("**#set page(width: 1pt) \"quoted\" \\ $x$**");
        assert!(m.starts_with("#strong[#\""), "{m}");
        assert!(m.contains("\\\"quoted\\\""), "{m}");
        assert_eq!(lit("a\"b\\c"), "\"a\\\"b\\\\c\"");
    }
}
