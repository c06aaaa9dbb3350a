//! The report as Markdown (charts as SVG files beside it, linked) or as one
//! HTML page (charts inline). Every string from the recording is cleaned of
//! control characters by the collector and escaped here for the format.

use queuetop_engine::report::{IntervalRow, Report};
use queuetop_engine::snapshot::FiguresJson;
use queuetop_engine::time::Ts;

/// Text for an HTML page: the five characters that could open markup.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in queuetop_engine::text::strip(std::borrow::Cow::Borrowed(s)).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Text for a Markdown table cell or heading: shown as written.
pub fn md_escape(s: &str) -> String {
    let mut out = String::new();
    for c in html_escape(s).chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `09:30:00` as `09:30`.
pub fn hhmm(mut hms: String) -> String {
    hms.truncate(5);
    hms
}

fn num(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |v| format!("{v:.1}"))
}

/// The interval table's columns: a label and the cell of one row.
pub const COLUMNS: [&str; 9] = [
    "interval",
    "entered",
    "answered",
    "abandoned",
    "SL %",
    "ASA s",
    "abandon %",
    "AHT s",
    "max wait s",
];

pub fn cells(row: &IntervalRow, f: &FiguresJson, clock: &dyn Fn(Ts) -> String) -> [String; 9] {
    [
        format!("{}-{}", hhmm(clock(row.start)), hhmm(clock(row.end))),
        f.entered.to_string(),
        f.answered.to_string(),
        f.abandoned.to_string(),
        num(f.service_level_pct),
        num(f.asa_s),
        num(f.abandon_rate_pct),
        num(f.aht_s),
        num(f.max_wait_s),
    ]
}

/// Every scope of the report: the floor first, then each queue met in any
/// interval, in id order, as (id, label).
pub fn scopes(report: &Report) -> Vec<(String, String)> {
    let mut out = vec![(String::new(), "all queues".to_string())];
    for row in &report.intervals {
        for q in &row.figures.queues {
            if !out.iter().any(|(id, _)| *id == q.queue) {
                let label = q.name.clone().unwrap_or_else(|| q.queue.clone());
                out.push((q.queue.clone(), label));
            }
        }
    }
    out[1..].sort();
    out
}

/// A scope's figures in one interval (`None`: the queue was not known yet).
pub fn figures<'r>(row: &'r IntervalRow, id: &str) -> Option<&'r FiguresJson> {
    if id.is_empty() {
        return Some(&row.figures.totals);
    }
    row.figures
        .queues
        .iter()
        .find(|q| q.queue == id)
        .map(|q| &q.figures)
}

/// A file name for a queue's chart: its id's safe characters, numbered so
/// that two ids differing only in others do not collide.
pub fn chart_name(i: usize, id: &str) -> String {
    let safe: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect();
    let safe = if safe.is_empty() {
        "all".to_string()
    } else {
        safe
    };
    format!("{i:02}-{safe}.svg")
}

/// The Markdown text; `charts` maps each scope to its SVG file's relative
/// path (empty when the charts are not written).
pub fn markdown(
    report: &Report,
    clock: &dyn Fn(Ts) -> String,
    charts: &[(String, String)],
) -> String {
    let mut out = format!("# Postmortem: {}\n\n", md_escape(&report.source));
    out.push_str(&span_line(report, clock));
    out.push_str("\n\n## Timeline\n\n");
    if report.timeline.is_empty() {
        out.push_str("Nothing to report: no alert crossings, gaps or marks.\n");
    } else {
        out.push_str("| time | what | |\n|---|---|---|\n");
        for m in &report.timeline {
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                clock(m.at),
                m.kind.as_str(),
                md_escape(&m.text)
            ));
        }
    }
    out.push_str("\n## Figures per interval\n");
    for (id, label) in scopes(report) {
        out.push_str(&format!("\n### {}\n\n", md_escape(&label)));
        out.push_str(&format!("| {} |\n", COLUMNS.join(" | ")));
        out.push_str(&format!("|{}\n", "---|".repeat(COLUMNS.len())));
        for row in &report.intervals {
            if let Some(f) = figures(row, &id) {
                out.push_str(&format!("| {} |\n", cells(row, f, clock).join(" | ")));
            }
        }
        if let Some((_, path)) = charts.iter().find(|(c, _)| *c == id) {
            out.push_str(&format!("\n![charts of {}]({path})\n", md_escape(&label)));
        }
    }
    if charts.is_empty() {
        out.push_str("\n(Charts are written beside the file with `--out`, or inline with `--format html`.)\n");
    }
    out
}

fn span_line(report: &Report, clock: &dyn Fn(Ts) -> String) -> String {
    match (report.first, report.last) {
        (Some(a), Some(b)) => format!(
            "From {} ({a}) to {} ({b}); times of day in the config's time zone.",
            clock(a),
            clock(b)
        ),
        _ => "The recording holds no events in the span reported.".to_string(),
    }
}

/// One HTML page: the same sections, the charts inline.
pub fn html(report: &Report, clock: &dyn Fn(Ts) -> String, charts: &[(String, String)]) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>queuetop postmortem</title>\n<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #999;padding:2px 8px;text-align:right}td:first-child,th:first-child{text-align:left}</style>\n</head><body>\n",
    );
    out.push_str(&format!(
        "<h1>Postmortem: {}</h1>\n<p>{}</p>\n<h2>Timeline</h2>\n",
        html_escape(&report.source),
        html_escape(&span_line(report, clock))
    ));
    if report.timeline.is_empty() {
        out.push_str("<p>Nothing to report: no alert crossings, gaps or marks.</p>\n");
    } else {
        out.push_str("<table id=\"timeline\"><tr><th>time</th><th>what</th><th></th></tr>\n");
        for m in &report.timeline {
            out.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                clock(m.at),
                m.kind.as_str(),
                html_escape(&m.text)
            ));
        }
        out.push_str("</table>\n");
    }
    out.push_str("<h2>Figures per interval</h2>\n");
    for (id, label) in scopes(report) {
        out.push_str(&format!(
            "<h3>{}</h3>\n<table class=\"intervals\"><tr>",
            html_escape(&label)
        ));
        for c in COLUMNS {
            out.push_str(&format!("<th>{c}</th>"));
        }
        out.push_str("</tr>\n");
        for row in &report.intervals {
            if let Some(f) = figures(row, &id) {
                out.push_str("<tr>");
                for c in cells(row, f, clock) {
                    out.push_str(&format!("<td>{}</td>", html_escape(&c)));
                }
                out.push_str("</tr>\n");
            }
        }
        out.push_str("</table>\n");
        if let Some((_, svg)) = charts.iter().find(|(c, _)| *c == id) {
            out.push_str(&format!("<figure class=\"chart\">{svg}</figure>\n"));
        }
    }
    out.push_str("</body></html>\n");
    out
}
