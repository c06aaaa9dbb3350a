//! Sites: several feeds (or one broker subject per site) in one view. A
//! site's queues, agents and contacts live in the shared floor under ids
//! prefixed with the site's name and a `/` (`paris/billing`), so `billing`
//! at paris and at lisbon are two queues and the grand total is exact.
//! With no sites (one feed) nothing is prefixed and nothing changes.

mod rename;

pub use rename::into_site;

/// Between a site's name and the site's own id in a floor id.
pub const SEP: char = '/';

/// Longest site name: it is shown in the header beside the others.
pub const MAX_NAME: usize = 32;

/// A site's name: 1 to 32 of `A-Z a-z 0-9 _ -`, so that it is one NATS
/// subject token, never holds the separator, and is safe on any screen.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SiteName(Box<str>);

impl SiteName {
    pub fn new(s: &str) -> Result<Self, String> {
        let ok = !s.is_empty()
            && s.len() <= MAX_NAME
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if ok {
            Ok(SiteName(s.into()))
        } else {
            Err(format!(
                "site name '{}' must be 1 to {MAX_NAME} letters, digits, '_' or '-'",
                crate::text::strip(std::borrow::Cow::Borrowed(s))
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the floor ids of this site start with: the name and the separator.
    pub fn prefix(&self) -> String {
        format!("{}{SEP}", self.0)
    }
}

impl std::fmt::Display for SiteName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A floor id of a floor with sites, split into the site and the site's
/// own id. Site names never hold the separator, so the first one ends the
/// site whatever the feed's own id holds. An id without one has no site.
pub fn split(id: &str) -> (Option<&str>, &str) {
    match id.split_once(SEP) {
        Some((site, own)) => (Some(site), own),
        None => (None, id),
    }
}

/// A config map keyed by queue id (`[queues.ID]`: settings, alert rules)
/// for a floor of `sites`: a key naming a site (`paris/billing`) applies
/// there only; any other (`billing`) applies to that queue at every site
/// that has no key of its own for it.
pub fn per_site<V: Clone>(
    map: &std::collections::HashMap<String, V>,
    sites: &[SiteName],
) -> std::collections::HashMap<String, V> {
    let sited = |k: &str| matches!(split(k).0, Some(s) if sites.iter().any(|n| n.as_str() == s));
    let mut out: std::collections::HashMap<String, V> = map
        .iter()
        .filter(|(k, _)| sited(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (k, v) in map.iter().filter(|(k, _)| !sited(k)) {
        for s in sites {
            out.entry(format!("{}{k}", s.prefix()))
                .or_insert_with(|| v.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_queue_key_applies_at_every_site_unless_a_site_has_its_own() {
        let sites = [
            SiteName::new("paris").unwrap(),
            SiteName::new("lisbon").unwrap(),
        ];
        let map: std::collections::HashMap<String, u32> = [
            ("billing".to_string(), 20),
            ("paris/billing".to_string(), 30),
        ]
        .into();
        let got = per_site(&map, &sites);
        assert_eq!(got.len(), 2);
        assert_eq!(got["paris/billing"], 30);
        assert_eq!(got["lisbon/billing"], 20);
    }

    #[test]
    fn names_are_one_subject_token_without_the_separator() {
        assert!(SiteName::new("paris").is_ok());
        assert!(SiteName::new("eu-west_2").is_ok());
        for bad in ["", "a/b", "a.b", "a b", "a*", "é", &"x".repeat(33)] {
            assert!(SiteName::new(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_first_separator_ends_the_site() {
        assert_eq!(split("paris/billing"), (Some("paris"), "billing"));
        // A feed's own id may hold the separator: it stays whole.
        assert_eq!(split("paris/sales/eu"), (Some("paris"), "sales/eu"));
        assert_eq!(split("billing"), (None, "billing"));
    }
}
