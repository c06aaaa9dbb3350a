//! Which text format a scrape is answered in. Prometheus asks for
//! OpenMetrics in its `Accept` header and gets what `prometheus-client`
//! encodes. Anything else (curl, `promtool check metrics`, older scrapers)
//! gets the classic Prometheus text format 0.0.4, which differs only in
//! its comment lines: counters are named with their `_total` suffix in
//! HELP and TYPE, info metrics are gauges named `_info`, and there are no
//! UNIT or EOF lines. The samples are the same bytes.

use std::collections::HashMap;

pub const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";
pub const PROMETHEUS_TEXT: &str = "text/plain; version=0.0.4; charset=utf-8";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    OpenMetrics,
    PrometheusText,
}

impl Format {
    /// The format an `Accept` header asks for.
    pub fn from_accept(accept: Option<&str>) -> Format {
        match accept {
            Some(a) if a.contains("application/openmetrics-text") => Format::OpenMetrics,
            _ => Format::PrometheusText,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::OpenMetrics => OPENMETRICS,
            Format::PrometheusText => PROMETHEUS_TEXT,
        }
    }
}

/// OpenMetrics text, as `prometheus-client` writes it, in the classic
/// Prometheus text format.
pub fn to_prometheus_text(openmetrics: &str) -> String {
    // The family name a sample is exported under, by family, from TYPE.
    let mut renamed: HashMap<&str, (String, &str)> = HashMap::new();
    for line in openmetrics.lines() {
        if let Some((name, kind)) = line.strip_prefix("# TYPE ").and_then(|r| r.split_once(' ')) {
            match kind {
                "counter" => renamed.insert(name, (format!("{name}_total"), "counter")),
                "info" => renamed.insert(name, (format!("{name}_info"), "gauge")),
                _ => None,
            };
        }
    }
    let mut out = String::with_capacity(openmetrics.len());
    for line in openmetrics.lines() {
        if line == "# EOF" || line.starts_with("# UNIT ") {
            continue;
        }
        let comment = ["# TYPE ", "# HELP "]
            .into_iter()
            .find_map(|p| line.strip_prefix(p).map(|rest| (p, rest)));
        if let Some((prefix, rest)) = comment {
            let (name, tail) = rest.split_once(' ').unwrap_or((rest, ""));
            if let Some((new_name, new_kind)) = renamed.get(name) {
                let tail = if prefix == "# TYPE " { new_kind } else { tail };
                out.push_str(&format!("{prefix}{new_name} {tail}\n"));
                continue;
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prometheus_asks_for_openmetrics_others_get_the_classic_text() {
        let prom = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
        assert_eq!(Format::from_accept(Some(prom)), Format::OpenMetrics);
        assert_eq!(Format::from_accept(Some("*/*")), Format::PrometheusText);
        assert_eq!(Format::from_accept(None), Format::PrometheusText);
    }

    #[test]
    fn counters_and_infos_are_renamed_units_and_eof_dropped() {
        let om = "# HELP x_events Events.\n# TYPE x_events counter\nx_events_total{site=\"\"} 3\n\
                  # HELP x_wait_seconds Wait.\n# TYPE x_wait_seconds gauge\n# UNIT x_wait_seconds seconds\nx_wait_seconds 1.5\n\
                  # HELP x_build Build.\n# TYPE x_build info\nx_build_info{version=\"1\"} 1\n# EOF\n";
        let want = "# HELP x_events_total Events.\n# TYPE x_events_total counter\nx_events_total{site=\"\"} 3\n\
                    # HELP x_wait_seconds Wait.\n# TYPE x_wait_seconds gauge\nx_wait_seconds 1.5\n\
                    # HELP x_build_info Build.\n# TYPE x_build_info gauge\nx_build_info{version=\"1\"} 1\n";
        assert_eq!(to_prometheus_text(om), want);
    }
}
