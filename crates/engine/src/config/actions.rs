//! Alert actions from the config (docs/alerts.md, Actions): what each
//! `[[alerts.actions]]` does, checked once. Running them (processes, HTTP)
//! is the program's job, not the engine's: this is data only.

use super::file::{ActionSection, ConfigFile};
use super::{ConfigError, err};
use crate::alert::Level;
use crate::time::{Millis, parse_duration};

/// What a webhook sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyFormat {
    /// The alert as JSON.
    Json,
    /// `{"text": "..."}`: what Slack and Teams incoming webhooks take.
    Text,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActionKind {
    /// A program and its arguments, run without a shell.
    Exec { argv: Vec<String> },
    Webhook {
        url: String,
        format: BodyFormat,
        /// The environment variable holding a bearer token (the token itself
        /// is read by the program, never kept in the config).
        token_env: Option<String>,
        retries: u32,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct ActionSpec {
    pub kind: ActionKind,
    /// How long one run (or one HTTP attempt) may take.
    pub timeout: Millis,
    /// The mildest level acted on: a crossing into it or above, and the
    /// return of an alert that had reached it.
    pub min_level: Level,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Actions {
    pub list: Vec<ActionSpec>,
    pub per_rule_per_minute: u32,
    pub per_minute: u32,
}

impl Default for Actions {
    fn default() -> Self {
        Actions {
            list: Vec::new(),
            per_rule_per_minute: 6,
            per_minute: 30,
        }
    }
}

const MAX_RETRIES: u32 = 10;

fn one(key: &str, a: &ActionSection) -> Result<ActionSpec, String> {
    let timeout = match &a.timeout {
        None => 10_000,
        Some(super::Dur(s)) => match parse_duration(s) {
            Ok(0) => return Err(format!("`{key}.timeout` must be longer than zero")),
            Ok(ms) => ms,
            Err(e) => return Err(format!("`{key}.timeout`: {e}")),
        },
    };
    let min_level = match a.min_level.as_deref() {
        None | Some("warning") => Level::Warn,
        Some("critical") => Level::Crit,
        Some(other) => {
            return Err(format!(
                "`{key}.min_level`: '{other}' is not warning or critical"
            ));
        }
    };
    let webhook_only = |what: &str, set: bool| {
        if set {
            Err(format!("`{key}.{what}` only applies to a webhook"))
        } else {
            Ok(())
        }
    };
    let kind = match (&a.exec, &a.webhook) {
        (Some(argv), None) => {
            webhook_only("format", a.format.is_some())?;
            webhook_only("token_env", a.token_env.is_some())?;
            webhook_only("retries", a.retries.is_some())?;
            if argv.first().is_none_or(|p| p.trim().is_empty()) {
                return Err(format!("`{key}.exec` needs a program to run"));
            }
            ActionKind::Exec { argv: argv.clone() }
        }
        (None, Some(url)) => {
            let lower = url.to_ascii_lowercase();
            if !(lower.starts_with("http://") || lower.starts_with("https://")) {
                return Err(format!(
                    "`{key}.webhook` must start with http:// or https://"
                ));
            }
            let format = match a.format.as_deref() {
                None | Some("json") => BodyFormat::Json,
                Some("text") => BodyFormat::Text,
                Some(other) => {
                    return Err(format!("`{key}.format`: '{other}' is not json or text"));
                }
            };
            let retries = a.retries.unwrap_or(3);
            if retries > MAX_RETRIES {
                return Err(format!("`{key}.retries`: at most {MAX_RETRIES}"));
            }
            ActionKind::Webhook {
                url: url.clone(),
                format,
                token_env: a.token_env.clone(),
                retries,
            }
        }
        _ => return Err(format!("`{key}` needs exactly one of `exec` and `webhook`")),
    };
    Ok(ActionSpec {
        kind,
        timeout,
        min_level,
    })
}

/// Every action of the config, with the rate limits.
pub fn actions(file: &ConfigFile) -> Result<Actions, ConfigError> {
    let a = &file.alerts;
    let mut out = Actions::default();
    for (i, s) in a.actions.iter().enumerate() {
        let line = file
            .line_starts
            .partition_point(|&l| l <= s.span().start)
            .max(1);
        let key = format!("alerts.actions[{i}]");
        out.list
            .push(one(&key, s.get_ref()).map_err(|e| err(format!("line {line}: key {e}")))?);
    }
    if let Some(n) = a.actions_per_rule_per_minute {
        out.per_rule_per_minute = n;
    }
    if let Some(n) = a.actions_per_minute {
        out.per_minute = n;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;

    #[test]
    fn exec_and_webhook_with_their_defaults() {
        let f = parse(
            "[alerts]\nactions_per_minute = 10\n\
             [[alerts.actions]]\nexec = [\"/usr/local/bin/page\", \"--team\", \"ops\"]\ntimeout = \"5s\"\n\
             [[alerts.actions]]\nwebhook = \"https://hooks.example.com/x\"\nformat = \"text\"\ntoken_env = \"HOOK_TOKEN\"\nmin_level = \"critical\"\n",
        )
        .unwrap();
        let a = actions(&f).unwrap();
        assert_eq!((a.per_minute, a.per_rule_per_minute), (10, 6));
        assert_eq!(a.list[0].timeout, 5_000);
        assert_eq!(a.list[0].min_level, Level::Warn);
        assert!(matches!(&a.list[0].kind, ActionKind::Exec { argv } if argv.len() == 3));
        assert_eq!(a.list[1].min_level, Level::Crit);
        assert_eq!(
            a.list[1].kind,
            ActionKind::Webhook {
                url: "https://hooks.example.com/x".into(),
                format: BodyFormat::Text,
                token_env: Some("HOOK_TOKEN".into()),
                retries: 3,
            }
        );
    }

    #[test]
    fn errors_name_the_action_and_its_line() {
        for (text, want) in [
            ("[[alerts.actions]]\ntimeout = \"5s\"\n", "exactly one of"),
            (
                "[[alerts.actions]]\nexec = [\"x\"]\nwebhook = \"http://h/\"\n",
                "exactly one of",
            ),
            ("[[alerts.actions]]\nexec = []\n", "needs a program"),
            (
                "[[alerts.actions]]\nwebhook = \"ftp://h/\"\n",
                "http:// or https://",
            ),
            (
                "[[alerts.actions]]\nexec = [\"x\"]\nformat = \"text\"\n",
                "only applies to a webhook",
            ),
            (
                "[[alerts.actions]]\nwebhook = \"http://h/\"\nformat = \"xml\"\n",
                "not json or text",
            ),
            (
                "[[alerts.actions]]\nwebhook = \"http://h/\"\nmin_level = \"ok\"\n",
                "min_level",
            ),
        ] {
            let e = actions(&parse(text).unwrap()).unwrap_err().0;
            assert!(
                e.starts_with("line 1: key `alerts.actions[0]") && e.contains(want),
                "{text}: {e}"
            );
        }
    }
}
