//! What a question is: the one rule that tells a post that asks from one that shares,
//! announces or tells. Response times, the unanswered list, Today's "answer" actions, the
//! report and the kits all count questions by it.
//!
//! A post asks when its title (a topic's title, a mail's subject, a chat conversation's
//! opening line) holds a question mark in any script, or opens with a word that asks in
//! the languages members write (English, French, Spanish, Portuguese: "how", "comment",
//! "¿cómo", "alguém"…), or reports a problem ("problem with", "not working", "no funciona"),
//! once list tags (`[Numpy-discussion]`) and reply marks (`Re:`) are
//! set aside. A post whose title opens by telling ("Sharing…", "Lessons learned…",
//! "Welcome…", "Nouveau guide…", "Compartimos…") does not ask. Any other post (a title
//! that neither asks nor tells, an image alone, a row imported before titles were kept)
//! asks when its space is for asking ([`space_is_for_asking`]). Everything that does not
//! ask is a conversation: it may get replies, and they count for peer replies, but nobody
//! waits for an answer.

/// Words that open a question, lower case, accents as written. A title's first word (or
/// first two, for "est-ce", "por qué", "y a-t-il") is looked up here.
const OPENERS: &[&str] = &[
    // English
    "how",
    "what",
    "why",
    "where",
    "when",
    "who",
    "whom",
    "whose",
    "which",
    "is",
    "are",
    "was",
    "were",
    "can",
    "could",
    "does",
    "do",
    "did",
    "should",
    "would",
    "will",
    "has",
    "have",
    "had",
    "shall",
    "anyone",
    "anybody",
    "any",
    "help",
    "question",
    "question:",
    "q:",
    "ask:",
    "need",
    "looking",
    "seeking",
    "advice",
    // French
    "comment",
    "pourquoi",
    "quel",
    "quelle",
    "quels",
    "quelles",
    "qui",
    "où",
    "quand",
    "combien",
    "est-ce",
    "est-il",
    "peut-on",
    "pouvez-vous",
    "savez-vous",
    "avez-vous",
    "connaissez-vous",
    "quelqu'un",
    "y",
    "aide",
    "besoin",
    "cherche",
    "recherche",
    // Spanish
    "cómo",
    "qué",
    "por",
    "dónde",
    "cuándo",
    "quién",
    "quiénes",
    "cuál",
    "cuáles",
    "cuánto",
    "cuántos",
    "alguien",
    "podría",
    "podrían",
    "sabe",
    "saben",
    "ayuda",
    "pregunta",
    "necesito",
    "busco",
    "consulta",
    // Portuguese
    "quem",
    "onde",
    "quando",
    "alguém",
    "preciso",
    "dúvida",
];

/// Openers that ask only with the word after them ("por qué", "y a-t-il", "any advice").
const PAIRED: &[(&str, &[&str])] = &[
    ("por", &["qué", "que"]),
    ("y", &["a-t-il", "a"]),
    (
        "any",
        &[
            "advice",
            "ideas",
            "suggestions",
            "recommendations",
            "tips",
            "experience",
        ],
    ),
    ("need", &["help", "advice", "input", "ideas"]),
    ("looking", &["for"]),
    ("seeking", &["advice", "help", "input"]),
    ("advice", &["on", "needed", "wanted"]),
    ("besoin", &["d'aide", "d'avis", "de"]),
];

/// Words that report a problem, anywhere in a title: a member stuck asks for help even
/// without a question mark ("A small problem with the chlorinator", "Pump not working").
const TROUBLE: &[&str] = &[
    "problem",
    "problems",
    "issue",
    "issues",
    "error",
    "errors",
    "trouble",
    "stuck",
    "bug",
    "broken",
    "crash",
    "crashes",
    "fails",
    "failing",
    "not working",
    "doesn't work",
    "does not work",
    "can't",
    "cannot",
    "unable",
    "problème",
    "problèmes",
    "erreur",
    "bloqué",
    "bloquée",
    "ne fonctionne pas",
    "ne marche pas",
    "problema",
    "problemas",
    "no funciona",
    "no puedo",
    "não funciona",
];

/// Words that open a post that tells: a share, an announcement, a report, thanks.
const TELLERS: &[&str] = &[
    // English
    "sharing",
    "share",
    "shared",
    "lessons",
    "lesson",
    "announcement",
    "announcing",
    "ann",
    "fyi",
    "welcome",
    "reminder",
    "invitation",
    "update",
    "updated",
    "news",
    "new",
    "released",
    "release",
    "report",
    "summary",
    "minutes",
    "notes",
    "slides",
    "recording",
    "thanks",
    "thank",
    "congratulations",
    "hello",
    "hi",
    // French
    "partage",
    "nouveau",
    "nouvelle",
    "annonce",
    "rappel",
    "bienvenue",
    "compte-rendu",
    "merci",
    "retour",
    "bonjour",
    // Spanish
    "compartimos",
    "comparto",
    "compartiendo",
    "nuevo",
    "nueva",
    "anuncio",
    "recordatorio",
    "invitación",
    "bienvenidos",
    "bienvenida",
    "gracias",
    "lecciones",
    "hola",
    // Portuguese
    "partilha",
    "novo",
    "aviso",
    "obrigado",
    "obrigada",
    "olá",
];

/// Question marks of the scripts members write: Latin, Spanish's opening mark, Arabic,
/// full width, Armenian, Ethiopic (Greek's is a semicolon: [`greek_question`]).
const MARKS: &[char] = &['?', '¿', '؟', '？', '՞', '፧'];

/// Whether a post with this title asks (`Some(true)`) or tells (`Some(false)`); `None`
/// when its words say neither, or it has none: its space decides ([`post_asks`]).
pub fn asks(title: &str) -> Option<bool> {
    let words = words_after_tags(title);
    if words.is_empty() {
        return None;
    }
    let announced = title.trim_start().to_lowercase();
    if ["[ann]", "[announce", "[news]"]
        .iter()
        .any(|a| announced.starts_with(a))
    {
        return Some(false);
    }
    if title.chars().any(|c| MARKS.contains(&c)) || greek_question(title) {
        return Some(true);
    }
    let spaced = format!(" {} ", words.join(" "));
    if TROUBLE.iter().any(|t| spaced.contains(&format!(" {t} "))) {
        return Some(true);
    }
    let first = words[0].as_str();
    let second = words.get(1).map(String::as_str).unwrap_or("");
    let opens = match PAIRED.iter().find(|(w, _)| *w == first) {
        Some((_, next)) => next.contains(&second),
        None => OPENERS.contains(&first),
    };
    if opens {
        Some(true)
    } else if TELLERS.contains(&first) {
        Some(false)
    } else {
        None
    }
}

/// The rule for a post, given its title where one is known and its space's name.
pub fn post_asks(title: Option<&str>, space: Option<&str>) -> bool {
    title
        .and_then(asks)
        .unwrap_or_else(|| space.is_some_and(space_is_for_asking))
}

/// Whether a space is where members ask for help, by its name ("questions", "help-desk",
/// "ask-us", "Q&A", "aide", "ayuda", "preguntas", "dúvidas").
pub fn space_is_for_asking(name: &str) -> bool {
    let name = name.to_lowercase();
    const ASKING: &[&str] = &[
        "question", "help", "ask", "q&a", "qna", "faq", "support", "aide", "ayuda", "pregunta",
        "consulta", "dúvida", "duvida",
    ];
    ASKING.iter().any(|w| name.contains(w))
}

/// A Greek question ends with ";" (the Greek question mark's usual stand-in) after Greek
/// letters.
fn greek_question(title: &str) -> bool {
    let t = title.trim_end();
    t.ends_with(';')
        && t.chars()
            .rev()
            .nth(1)
            .is_some_and(|c| ('\u{0370}'..='\u{03FF}').contains(&c))
}

/// The title's words, lower case, with list tags (`[List]`), reply and forward marks
/// (`Re:`, `AW:`, `Fwd:`) and leading punctuation or emoji set aside.
fn words_after_tags(title: &str) -> Vec<String> {
    let mut rest = title.trim();
    loop {
        let before = rest;
        if let Some(after) = rest.strip_prefix('[').and_then(|r| r.split_once(']')) {
            rest = after.1.trim_start();
        }
        let lower = rest.to_lowercase();
        for mark in ["re:", "aw:", "sv:", "fwd:", "fw:", "tr:", "rv:", "r:"] {
            if lower.starts_with(mark) {
                rest = rest[mark.len()..].trim_start();
                break;
            }
        }
        if rest == before {
            break;
        }
    }
    rest.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-' && c != '&')
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Titles people really wrote: the demo's, the corpus's (Discourse, mailing lists, the
    /// houstondatavis Slack), and the issue's.
    #[test]
    fn questions_and_conversations_by_their_titles() {
        let questions = [
            "How do you get households to keep handwashing stations stocked?",
            "Anyone used D3 with React",
            "¿Cómo organizan la recogida de residuos en campamentos?",
            "Comment motiver les relais communautaires",
            "Question about chlorination during the rainy season",
            "Re: [Numpy-discussion] Is there a way to read a Fortran file",
            "Por qué falla la bomba manual",
            "Any advice on latrine slabs for clay soils",
            "Alguém já usou filtros de cerâmica",
            "Need help with the monthly report",
            "A small problem with InstantiateXML",
            "Bomba manual no funciona después de la lluvia",
            "Est-ce que quelqu'un a un modèle",
            "هل لديكم تجربة مع الفلاتر؟",
        ];
        for t in questions {
            assert_eq!(asks(t), Some(true), "{t}");
        }
        // They tell, wherever they are posted.
        let told = [
            "Sharing our toolkit on latrine designs for flood areas",
            "Lessons learned: monitoring water quality with field kits",
            "Welcome to our new members",
            "[ANN] NumPy 1.2 released",
            "Re: Slides from last week's session",
            "Nouveau guide sur l'assainissement",
            "Compartimos nuestra experiencia en Lima",
        ];
        for t in told {
            assert_eq!(asks(t), Some(false), "{t}");
            assert!(!post_asks(Some(t), Some("questions")), "{t}");
        }
        // Neither: the space decides.
        for t in ["Meetup tonight at 6:30", "Chlorine dosing", "  📷  "] {
            assert_eq!(asks(t), None, "{t}");
            assert!(post_asks(Some(t), Some("help-desk")) && !post_asks(Some(t), Some("general")));
        }
    }

    #[test]
    fn a_post_without_words_asks_only_in_a_space_for_asking() {
        assert!(post_asks(None, Some("help-desk")));
        assert!(post_asks(Some("🙂"), Some("Preguntas")));
        assert!(!post_asks(None, Some("general")));
        assert!(!post_asks(None, None));
        assert!(!post_asks(
            Some("Sharing photos from the field visit"),
            Some("questions")
        ));
        assert!(post_asks(Some("How?"), Some("general")));
        assert!(space_is_for_asking("Q&A") && !space_is_for_asking("random"));
    }
}
