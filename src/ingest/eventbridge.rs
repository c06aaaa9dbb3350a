//! Amazon EventBridge API-destination POSTs of Amazon Connect contact
//! events: a JSON body and a shared secret in a header (EventBridge's
//! "API key" connection authorization), compared in constant time.

use subtle::ConstantTimeEq;

/// Whether the header's value is the secret.
pub fn secret_ok(secret: &[u8], given: Option<&[u8]>) -> bool {
    match given {
        Some(g) => secret.ct_eq(g).into(),
        None => false,
    }
}

/// The frame the amazon-connect dialect decodes: the body, if it is one
/// JSON value (object or array of events).
pub fn frame(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    matches!(
        value,
        serde_json::Value::Object(_) | serde_json::Value::Array(_)
    )
    .then(|| text.to_string())
}
