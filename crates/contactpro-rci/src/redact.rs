//! The forms in which a server may echo a secret back in an error message: as sent, base64 (as in
//! a Basic header), percent-encoded (as in a query or form body) and JSON-escaped.

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

pub(crate) const REDACTED: &str = "<redacted>";

/// Every form of `value` worth looking for; empty for an empty value.
pub(crate) fn forms(value: &str) -> Vec<String> {
    if value.is_empty() {
        return Vec::new();
    }
    let mut forms = vec![value.to_string()];
    // Padded forms first: the unpadded one is a prefix and would leave the `=` behind.
    for engine in [&STANDARD, &URL_SAFE, &STANDARD_NO_PAD, &URL_SAFE_NO_PAD] {
        forms.push(engine.encode(value));
    }
    let form: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
    for percent in [
        utf8_percent_encode(value, NON_ALPHANUMERIC).to_string(),
        utf8_percent_encode(value, COMPONENT).to_string(),
        form.replace('+', "%20"),
        form,
    ] {
        forms.push(lower_hex(&percent));
        forms.push(percent);
    }
    if let Ok(json) = serde_json::to_string(value) {
        forms.push(json.trim_matches('"').to_string());
    }
    forms.sort();
    forms.dedup();
    forms
}

/// What JavaScript's `encodeURIComponent` leaves alone.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// `%2F` → `%2f`: servers differ in the case of their escapes.
fn lower_hex(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut chars = encoded.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '%' {
            out.extend(chars.by_ref().take(2).map(|h| h.to_ascii_lowercase()));
        }
    }
    out
}

/// The base64 forms of `user:password`, the value of a Basic header.
pub(crate) fn basic_forms(username: &str, password: &str) -> Vec<String> {
    if password.is_empty() {
        return Vec::new();
    }
    let pair = format!("{username}:{password}");
    [&STANDARD, &URL_SAFE, &STANDARD_NO_PAD, &URL_SAFE_NO_PAD]
        .into_iter()
        .map(|engine| engine.encode(&pair))
        .collect()
}

/// `url` for a log line or a `Debug`: user info and query values masked, since either may hold
/// a password or key (the client refuses both, but a config is shown before it is checked).
pub(crate) fn url_shown(url: &url::Url) -> String {
    let mut shown = url.clone();
    if !shown.username().is_empty() || shown.password().is_some() {
        let _ = shown.set_username("***");
        let _ = shown.set_password(None);
    }
    if shown.query().is_some() {
        let names: Vec<String> = shown
            .query_pairs()
            .map(|(name, _)| name.into_owned())
            .collect();
        shown
            .query_pairs_mut()
            .clear()
            .extend_pairs(names.iter().map(|n| (n.as_str(), "***")));
    }
    shown.set_fragment(None);
    shown.to_string()
}

/// Replaces every needle in `text`, longest first so a short form cannot split a longer one.
pub(crate) fn scrub<'a>(text: &mut String, needles: impl IntoIterator<Item = &'a String>) {
    let mut needles: Vec<&String> = needles.into_iter().filter(|n| !n.is_empty()).collect();
    needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
    for needle in needles {
        if text.contains(needle.as_str()) {
            *text = text.replace(needle.as_str(), REDACTED);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scrubbed(text: &str, secret: &str) -> String {
        let mut text = text.to_string();
        scrub(&mut text, &forms(secret));
        text
    }

    #[test]
    fn every_encoded_form_is_removed() {
        let secret = "p w/+é?-x";
        for echoed in [
            secret.to_string(),
            STANDARD.encode(secret),
            URL_SAFE_NO_PAD.encode(secret),
            "p%20w%2F%2B%C3%A9%3F%2Dx".into(),
            "p%20w%2f%2b%c3%a9%3f-x".into(),
            "p+w%2F%2B%C3%A9%3F-x".into(),
        ] {
            let out = scrubbed(&format!("bad value [{echoed}] here"), secret);
            assert_eq!(out, "bad value [<redacted>] here", "{echoed}");
        }
    }

    #[test]
    fn a_shown_url_has_no_user_info_or_query_values() {
        let url = "https://api:pw-5e1@tenant.example/t/RI?key=k-8c2&x=1#frag-3"
            .parse()
            .unwrap();
        let shown = url_shown(&url);
        assert_eq!(shown, "https://***@tenant.example/t/RI?key=***&x=***");
        let plain = "https://tenant.example/t/RI".parse().unwrap();
        assert_eq!(url_shown(&plain), "https://tenant.example/t/RI");
    }

    /// A URL with only a user (an API key put there) or only a password still loses it.
    #[test]
    fn a_shown_url_masks_a_lone_user_or_a_lone_password() {
        for url in [
            "https://k-4f1@tenant.example/t/RI",
            "https://:pw-9d3@tenant.example/t/RI",
        ] {
            let shown = url_shown(&url.parse().unwrap());
            assert_eq!(shown, "https://***@tenant.example/t/RI", "{url}");
        }
    }

    #[test]
    fn the_basic_header_value_is_removed() {
        let mut text = format!("got Basic {}", STANDARD.encode("admin:pw-1"));
        scrub(&mut text, &basic_forms("admin", "pw-1"));
        assert_eq!(text, "got Basic <redacted>");
    }
}
