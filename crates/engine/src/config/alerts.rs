//! Alert rules from the config (docs/alerts.md): `[defaults]` and
//! `[queues.ID]` rule tables (with the older flat keys for the first three),
//! `[agents]`, and `[alerts]` (timing defaults, `[alerts.feed]`). Every
//! error names the key and its line.

use toml::Spanned;

use super::file::{ConfigFile, QueueSection, RuleKey, RuleSection};
use super::{ConfigError, err};
use crate::alert::{AgentRule, Direction, FeedRule, Limit, QueueLimits, QueueRule, Rules};
use crate::time::{Millis, parse_duration};

/// Timing that applies where a rule says nothing.
#[derive(Clone, Copy)]
struct Timing {
    hold: Millis,
    clear_for: Millis,
}

fn line_of(file: &ConfigFile, at: usize) -> usize {
    file.line_starts.partition_point(|&s| s <= at).max(1)
}

fn dur(key: &str, d: &Option<super::Dur>) -> Result<Option<Millis>, ConfigError> {
    match d {
        None => Ok(None),
        Some(super::Dur(s)) => parse_duration(s)
            .map(Some)
            .map_err(|e| err(format!("key `{key}`: {e}"))),
    }
}

/// Checks one rule table and merges it over `base` (field by field).
fn limit(
    file: &ConfigFile,
    key: &str,
    spanned: &Spanned<RuleSection>,
    base: Limit,
    dir: Direction,
) -> Result<Limit, ConfigError> {
    let line = line_of(file, spanned.span().start);
    let bad = |what: String| err(format!("line {line}: key `{key}`: {what}"));
    let r = spanned.get_ref();
    if r.off == Some(true) {
        return Ok(Limit::default());
    }
    for (name, v) in [
        ("warn", r.warn),
        ("crit", r.crit),
        ("clear_margin", r.clear_margin),
    ] {
        if let Some(v) = v
            && !(v.is_finite() && (0.0..=1e12).contains(&v))
        {
            return Err(bad(format!("`{name}` = {v} is not a number >= 0")));
        }
    }
    let l = Limit {
        warn: r.warn.or(base.warn),
        crit: r.crit.or(base.crit),
        hold: dur(&format!("{key}.for"), &r.hold)
            .map_err(|e| bad(e.0))?
            .unwrap_or(base.hold),
        clear_for: dur(&format!("{key}.clear_for"), &r.clear_for)
            .map_err(|e| bad(e.0))?
            .unwrap_or(base.clear_for),
        clear_margin: r.clear_margin.unwrap_or(base.clear_margin),
    };
    check_order(&l, dir).map_err(bad)?;
    Ok(l)
}

fn check_order(l: &Limit, dir: Direction) -> Result<(), String> {
    if let (Some(w), Some(c)) = (l.warn, l.crit) {
        match dir {
            Direction::Above if c < w => {
                return Err(format!("crit {c} is below warn {w} (worse is higher)"));
            }
            Direction::Below if c > w => {
                return Err(format!("crit {c} is above warn {w} (worse is lower)"));
            }
            _ => {}
        }
    }
    Ok(())
}

fn opt(
    file: &ConfigFile,
    key: &str,
    k: &RuleKey,
    base: Limit,
    dir: Direction,
) -> Result<Limit, ConfigError> {
    match k {
        Some(s) => limit(file, key, s, base, dir),
        None => Ok(base),
    }
}

fn table(q: &QueueSection, r: QueueRule) -> &RuleKey {
    match r {
        QueueRule::LongestWait => &q.longest_wait_s,
        QueueRule::Waiting => &q.waiting,
        QueueRule::ServiceLevel => &q.service_level_pct,
        QueueRule::AbandonRate => &q.abandon_rate_pct,
        QueueRule::Asa => &q.asa_s,
        QueueRule::Entered => &q.entered,
        QueueRule::NoAgent => &q.no_agent_waiting,
        QueueRule::WaitForecast => &q.wait_forecast_s,
        QueueRule::AgentsShort => &q.agents_short,
        QueueRule::Csat => &q.csat_pct,
        QueueRule::Art => &q.art_s,
        QueueRule::Occupancy => &q.occupancy_pct,
    }
}

/// The flat keys of the first three rules (docs/metrics.md, Alerts), as a table.
fn flat(q: &QueueSection, r: QueueRule) -> (Option<f64>, Option<f64>, &'static str) {
    match r {
        QueueRule::LongestWait => (
            q.longest_wait_warn_s,
            q.longest_wait_crit_s,
            "longest_wait_warn_s",
        ),
        QueueRule::Waiting => (
            q.waiting_warn.map(f64::from),
            q.waiting_crit.map(f64::from),
            "waiting_warn",
        ),
        QueueRule::ServiceLevel => (q.sl_target_pct, None, "sl_target_pct"),
        _ => (None, None, ""),
    }
}

fn queue_limits(
    file: &ConfigFile,
    scope: &str,
    q: &QueueSection,
    base: &QueueLimits,
    timing: Timing,
) -> Result<QueueLimits, ConfigError> {
    let mut out = *base;
    for r in QueueRule::ALL {
        let key = format!("{scope}.{}", r.as_str());
        let (fw, fc, flat_key) = flat(q, r);
        let mut b = base[r.index()];
        if scope == "defaults" {
            b.hold = timing.hold;
            b.clear_for = timing.clear_for;
        }
        if fw.is_some() || fc.is_some() {
            if let Some(t) = table(q, r) {
                let line = line_of(file, t.span().start);
                return Err(err(format!(
                    "line {line}: key `{key}`: also set by `{scope}.{flat_key}`; use one of them"
                )));
            }
            b.warn = fw.or(b.warn);
            b.crit = fc.or(b.crit);
            check_order(&b, r.direction())
                .map_err(|e| err(format!("key `{scope}.{flat_key}`: {e}")))?;
        }
        out[r.index()] = opt(file, &key, table(q, r), b, r.direction())?;
    }
    Ok(out)
}

/// Every alert rule of the config.
pub fn rules(file: &ConfigFile) -> Result<Rules, ConfigError> {
    let a = &file.alerts;
    let timing = Timing {
        hold: dur("alerts.for", &a.hold)?.unwrap_or(0),
        clear_for: dur("alerts.clear_for", &a.clear_for)?.unwrap_or(0),
    };
    let base = Limit {
        hold: timing.hold,
        clear_for: timing.clear_for,
        ..Limit::default()
    };
    let defaults = queue_limits(file, "defaults", &file.defaults, &[base; 12], timing)?;
    let mut rules = Rules {
        defaults,
        ..Rules::default()
    };
    for (id, q) in &file.queues {
        let l = queue_limits(file, &format!("queues.{id}"), q, &rules.defaults, timing)?;
        rules.queues.insert(id.clone(), l);
    }
    let ag = &file.agents;
    for r in AgentRule::ALL {
        let k = match r {
            AgentRule::WrapUp => &ag.wrap_up_s,
            AgentRule::Busy => &ag.busy_s,
            AgentRule::Away => &ag.away_s,
            AgentRule::OnHold => &ag.on_hold_s,
            AgentRule::Talk => &ag.talk_s,
            AgentRule::Ghost => &ag.ghost_s,
        };
        rules.agents.rules[r.index()] = opt(
            file,
            &format!("agents.{}", r.as_str()),
            k,
            base,
            Direction::Above,
        )?;
    }
    if ag.away_reasons.len() > u16::MAX as usize {
        return Err(err("key `agents.away_reasons`: too many reasons"));
    }
    for (reason, t) in &ag.away_reasons {
        let key = format!("agents.away_reasons.{reason}");
        let l = limit(file, &key, t, base, Direction::Above)?;
        let name = format!("away_s:{reason}");
        rules
            .agents
            .reasons
            .push((name.into(), reason.as_str().into(), l));
    }
    for r in FeedRule::ALL {
        let k = match r {
            FeedRule::Stale => &a.feed.stale_s,
            FeedRule::Disconnected => &a.feed.disconnected_s,
            FeedRule::Resync => &a.feed.resync_s,
        };
        rules.feed[r.index()] = opt(
            file,
            &format!("alerts.feed.{}", r.as_str()),
            k,
            base,
            Direction::Above,
        )?;
    }
    Ok(rules)
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;

    #[test]
    fn flat_keys_and_tables_merge_queue_over_defaults() {
        let f = parse(
            "[alerts]\nfor = \"10s\"\n[defaults]\nwaiting_warn = 5\nasa_s = { warn = 30, crit = 60, clear_margin = 5 }\n\
             [queues.b]\nasa_s = { crit = 90, for = \"1m\" }\nlongest_wait_s = { warn = 60, clear_for = \"30s\" }\n",
        )
        .unwrap();
        let r = rules(&f).unwrap();
        let d = &r.defaults;
        assert_eq!(d[QueueRule::Waiting.index()].warn, Some(5.0));
        assert_eq!(d[QueueRule::Waiting.index()].hold, 10_000);
        let b = r.for_queue("b");
        let asa = b[QueueRule::Asa.index()];
        assert_eq!(
            (asa.warn, asa.crit, asa.hold, asa.clear_margin),
            (Some(30.0), Some(90.0), 60_000, 5.0)
        );
        let lw = b[QueueRule::LongestWait.index()];
        assert_eq!(
            (lw.warn, lw.clear_for, lw.hold),
            (Some(60.0), 30_000, 10_000)
        );
        assert_eq!(b[QueueRule::Waiting.index()].warn, Some(5.0));
    }

    #[test]
    fn errors_name_key_and_line() {
        let f = parse("[defaults]\nwaiting_warn = 5\n\nwaiting = { warn = 3 }\n").unwrap();
        let e = rules(&f).unwrap_err().0;
        assert!(e.starts_with("line 4: key `defaults.waiting`"), "{e}");
        let f = parse("[agents]\nwrap_up_s = { warn = 300, crit = 100 }\n").unwrap();
        let e = rules(&f).unwrap_err().0;
        assert!(
            e.starts_with("line 2: key `agents.wrap_up_s`: crit 100"),
            "{e}"
        );
        let f = parse("[defaults]\nservice_level_pct = { warn = 60, crit = 80 }\n").unwrap();
        assert!(rules(&f).unwrap_err().0.contains("worse is lower"));
        let f = parse("[alerts.feed]\n\nstale_s = { warn = 5, for = \"soon\" }\n").unwrap();
        let e = rules(&f).unwrap_err().0;
        assert!(e.starts_with("line 3: key `alerts.feed.stale_s`"), "{e}");
        let e = parse("[agents]\nwrap_up_s = { warn = 5, crt = 9 }\n")
            .unwrap_err()
            .0;
        assert!(e.starts_with("line 2:") && e.contains("crt"), "{e}");
    }

    #[test]
    fn away_reasons_and_off() {
        let f = parse(
            "[defaults]\nwaiting = { warn = 5 }\n[queues.email]\nwaiting = { off = true }\n\
             [agents]\naway_s = { warn = 900 }\n[agents.away_reasons]\nlunch = { warn = 3600, crit = 4500 }\n",
        )
        .unwrap();
        let r = rules(&f).unwrap();
        assert!(!r.for_queue("email")[QueueRule::Waiting.index()].is_set());
        assert_eq!(&*r.agents.reasons[0].0, "away_s:lunch");
        assert_eq!(r.agents.reasons[0].2.crit, Some(4500.0));
    }
}
