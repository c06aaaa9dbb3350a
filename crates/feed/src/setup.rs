//! [`FeedConfig`] from the config file's `[feed]` and the command line
//! (which wins). Every error names the flag, key, variable or file, never
//! a secret's value.

use std::path::PathBuf;
use std::time::Duration;

use super::{FeedConfig, Secret};
use queuetop_engine::config::{self, FeedSection};

/// What the command line says about the feed.
#[derive(Clone, Copy, Debug, Default)]
pub struct Flags<'a> {
    pub url: Option<&'a str>,
    pub token_env: Option<&'a str>,
}

pub fn feed_config(
    file: &FeedSection,
    flags: Flags<'_>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<FeedConfig, String> {
    let url = flags
        .url
        .or(file.url.as_deref())
        .ok_or("no feed URL: give one with --url or key `feed.url`")?;
    let timing = config::feed_timing(file).map_err(|e| e.0)?;
    let ms = |m: i64| Duration::from_millis(m.max(0) as u64);
    Ok(FeedConfig {
        url: url.to_string(),
        token: token(file, flags, env)?,
        headers: file
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        subscribe: file.subscribe.clone(),
        ca_file: file.ca_file.as_ref().map(PathBuf::from),
        proxy: file.proxy.clone(),
        connect_timeout: ms(timing.connect_timeout),
        ping_interval: ms(timing.ping_interval),
        idle_timeout: ms(timing.idle_timeout),
        max_frame_bytes: timing.max_frame_bytes,
        max_message_bytes: timing.max_message_bytes,
    })
}

/// The bearer token: from the variable named by `--token-env` (or
/// `feed.token_env`), else from `feed.token_file`, else none.
fn token(
    file: &FeedSection,
    flags: Flags<'_>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<Secret>, String> {
    let named = match (flags.token_env, file.token_env.as_deref()) {
        (Some(name), _) => Some((name, "--token-env")),
        (None, Some(name)) => Some((name, "key `feed.token_env`")),
        (None, None) => None,
    };
    if let Some((name, from)) = named {
        return match env(name) {
            Some(v) if !v.trim().is_empty() => Ok(Some(Secret(v.trim().to_string()))),
            _ => Err(format!(
                "{from}: the environment variable {name} is not set or is empty (it should hold the feed's bearer token)"
            )),
        };
    }
    let Some(path) = &file.token_file else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("key `feed.token_file`: cannot read {path}: {e}"))?;
    let token = text.trim();
    if token.is_empty() {
        return Err(format!("key `feed.token_file`: {path} is empty"));
    }
    Ok(Some(Secret(token.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(toml: &str) -> FeedSection {
        config::parse(toml).unwrap().feed
    }

    #[test]
    fn flags_win_and_tokens_resolve() {
        let f = section("[feed]\nurl = \"ws://a\"\ntoken_env = \"A\"\n");
        let env = |n: &str| match n {
            "A" => Some("from-a".to_string()),
            "B" => Some("from-b\n".to_string()),
            _ => None,
        };
        let c = feed_config(&f, Flags::default(), &env).unwrap();
        assert_eq!(
            (c.url.as_str(), c.token),
            ("ws://a", Some(Secret("from-a".into())))
        );
        let flags = Flags {
            url: Some("wss://b"),
            token_env: Some("B"),
        };
        let c = feed_config(&f, flags, &env).unwrap();
        assert_eq!(
            (c.url.as_str(), c.token),
            ("wss://b", Some(Secret("from-b".into())))
        );
        assert_eq!(c.idle_timeout, Duration::from_secs(30));
    }

    #[test]
    fn missing_token_names_the_variable_not_a_value() {
        let f = section("[feed]\nurl = \"ws://a\"\n");
        let flags = Flags {
            url: None,
            token_env: Some("QT_NOPE"),
        };
        let e = feed_config(&f, flags, &|_| Some(String::new())).unwrap_err();
        assert!(e.contains("QT_NOPE") && e.starts_with("--token-env"), "{e}");
    }

    #[test]
    fn token_file_is_read_and_trimmed_or_named() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("token");
        std::fs::write(&p, "s3cret\n").unwrap();
        let f = section(&format!(
            "[feed]\nurl = \"ws://a\"\ntoken_file = {:?}\n",
            p.display().to_string()
        ));
        let c = feed_config(&f, Flags::default(), &|_| None).unwrap();
        assert_eq!(c.token, Some(Secret("s3cret".into())));
        let missing = dir.path().join("missing");
        let f = section(&format!(
            "[feed]\nurl = \"ws://a\"\ntoken_file = {:?}\n",
            missing.display().to_string()
        ));
        let e = feed_config(&f, Flags::default(), &|_| None).unwrap_err();
        assert!(
            e.contains("feed.token_file") && e.contains("missing"),
            "{e}"
        );
    }
}
