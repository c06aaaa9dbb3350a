//! Twilio TaskRouter event callbacks: a form-encoded POST signed with
//! `X-Twilio-Signature`, the base64 HMAC-SHA1 (key: the account's auth
//! token) of the webhook's full configured URL followed by every POST
//! parameter's name and value, sorted by name. The form becomes the JSON
//! object of PascalCase fields the Twilio dialect reads.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use subtle::ConstantTimeEq;

/// The form's fields, in the order received (names may repeat).
pub type Form = Vec<(String, String)>;

/// Parses a form-encoded body; `None` if it is not UTF-8 text.
pub fn parse_form(body: &[u8]) -> Option<Form> {
    std::str::from_utf8(body).ok()?;
    Some(
        url::form_urlencoded::parse(body)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect(),
    )
}

/// The signature Twilio sends for `form` posted to `url`.
pub fn signature(token: &[u8], url: &str, form: &Form) -> String {
    let mut sorted: Vec<&(String, String)> = form.iter().collect();
    // By name, then by value for a repeated name (as Twilio's helpers do).
    sorted.sort();
    // HMAC takes a key of any length: this cannot fail.
    let mut mac = match Hmac::<Sha1>::new_from_slice(token) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(url.as_bytes());
    for (k, v) in sorted {
        mac.update(k.as_bytes());
        mac.update(v.as_bytes());
    }
    STANDARD.encode(mac.finalize().into_bytes())
}

/// Whether `given` (the header's value) is the right signature; the
/// comparison takes the same time wherever the strings differ.
pub fn verify(token: &[u8], url: &str, form: &Form, given: &str) -> bool {
    let want = signature(token, url, form);
    want.as_bytes().ct_eq(given.trim().as_bytes()).into()
}

/// The frame the Twilio dialect decodes: one JSON object of the fields (a
/// repeated name keeps its last value).
pub fn frame(form: &Form) -> String {
    let mut obj = serde_json::Map::new();
    for (k, v) in form {
        obj.insert(k.clone(), serde_json::Value::String(v.clone()));
    }
    serde_json::Value::Object(obj).to_string()
}
