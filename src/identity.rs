//! One member per person: how e-mail addresses are compared across sources.

/// The form of an e-mail address used to match identities: lower-case, trimmed, and for
/// Gmail (which ignores dots and `+tags` in the local part) without them. `None` when the
/// text is not an address.
pub fn normalize_email(raw: &str) -> Option<String> {
    let e = raw
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim()
        .to_lowercase();
    let (local, domain) = e.rsplit_once('@')?;
    if local.is_empty() || !domain.contains('.') || e.contains(char::is_whitespace) {
        return None;
    }
    match domain {
        "gmail.com" | "googlemail.com" => {
            let base = local.split('+').next().unwrap_or(local).replace('.', "");
            Some(format!("{base}@gmail.com"))
        }
        _ => Some(e),
    }
}

#[cfg(test)]
mod tests {
    use super::normalize_email;

    #[test]
    fn addresses_normalise_as_their_providers_compare_them() {
        let cases = [
            ("Ana.Silva@Example.org", Some("ana.silva@example.org")),
            ("  <ana@example.org> ", Some("ana@example.org")),
            ("a.n.a+cop@gmail.com", Some("ana@gmail.com")),
            ("ANA@googlemail.com", Some("ana@gmail.com")),
            ("first.last@unicef.org", Some("first.last@unicef.org")),
            ("not an address", None),
            ("@example.org", None),
            ("ana@localhost", None),
        ];
        for (raw, expected) in cases {
            assert_eq!(normalize_email(raw).as_deref(), expected, "{raw}");
        }
    }
}
