//! The snapshot as aligned tables, for a person at a terminal. Same figures
//! as the JSON; `-` where the JSON says null.

use std::fmt::Write;

use super::{FiguresJson, Snapshot};

fn num(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |v| format!("{v:.1}"))
}

/// A survey mean, to two decimals as in the JSON.
fn num2(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |v| format!("{v:.2}"))
}

/// A cell's width in terminal columns, as the view measures it: a CJK
/// letter or an emoji takes two, a combining or zero-width mark none.
fn width(cell: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(cell)
}

/// Left-aligns the first `left` columns, right-aligns the rest, padding by
/// display width (not by characters) so that columns line up on screen.
fn table(out: &mut String, rows: &[Vec<String>], left: usize) {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| width(s.as_str()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            if c > 0 {
                line.push_str("  ");
            }
            let pad = widths[c].saturating_sub(width(cell));
            if c < left {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

fn figure_cells(f: &FiguresJson) -> Vec<String> {
    vec![
        f.waiting.to_string(),
        format!("{:.1}", f.longest_wait_s),
        f.agents.available.to_string(),
        f.agents.on_contact.to_string(),
        f.agents.wrap_up.to_string(),
        (f.agents.away + f.agents.busy).to_string(),
        f.entered.to_string(),
        f.answered.to_string(),
        f.abandoned.to_string(),
        num(f.service_level_pct),
        num(f.asa_s),
        num(f.abandon_rate_pct),
        num(f.att_s),
        num(f.avg_hold_s),
        num(f.aht_s),
        num(f.frt_s.avg),
        num(f.frt_s.p90),
        num(f.fcr_pct),
        num(f.art_s.avg),
        num(f.art_s.p90),
        num(f.resolution_s.avg),
        num(f.avg_wait_s),
        num(f.max_wait_s),
        num(f.csat_pct),
        num2(f.csat_avg),
        num(f.nps),
        num(f.occupancy_pct),
    ]
}

/// An id as the tables show it: `site/id` in a view of several sites.
fn sited(site: &Option<String>, id: &str) -> String {
    match site {
        Some(s) => format!("{s}/{id}"),
        None => id.to_string(),
    }
}

/// The queues' table: with sites, each site's queues (as `site/queue`),
/// then its total row where the snapshot has one (`site_totals`), then the
/// grand total.
fn queue_table(
    out: &mut String,
    s: &Snapshot,
    queues: &[super::QueueJson],
    totals: &FiguresJson,
    site_totals: bool,
) {
    let mut rows = vec![
        [
            "QUEUE",
            "NAME",
            "WAITING",
            "LONGEST_S",
            "AVAIL",
            "ON_CONTACT",
            "WRAP",
            "AWAY+BUSY",
            "ENTERED",
            "ANSWERED",
            "ABANDONED",
            "SL%",
            "ASA_S",
            "ABANDON%",
            "ATT_S",
            "HOLD_S",
            "AHT_S",
            "FRT_AVG_S",
            "FRT_P90_S",
            "FCR%",
            "ART_AVG_S",
            "ART_P90_S",
            "RES_AVG_S",
            "WAIT_AVG_S",
            "WAIT_MAX_S",
            "CSAT%",
            "CSAT_AVG",
            "NPS",
            "OCC%",
        ]
        .iter()
        .map(|h| h.to_string())
        .collect::<Vec<_>>(),
    ];
    let groups: Vec<Option<&super::SiteJson>> = if s.sites.is_empty() {
        vec![None]
    } else {
        s.sites.iter().map(Some).collect()
    };
    for site in groups {
        let name = site.map(|x| x.site.as_str());
        for q in queues.iter().filter(|q| q.site.as_deref() == name) {
            let mut row = vec![
                sited(&q.site, &q.queue),
                q.name.clone().unwrap_or_else(|| "-".into()),
            ];
            row.extend(figure_cells(&q.figures));
            rows.push(row);
        }
        if let Some(x) = site.filter(|_| site_totals) {
            let mut row = vec![format!("{} TOTAL", x.site), String::new()];
            row.extend(figure_cells(&x.totals));
            rows.push(row);
        }
    }
    let mut total = vec!["TOTAL".to_string(), String::new()];
    total.extend(figure_cells(totals));
    rows.push(total);
    table(out, &rows, 2);
    out.push('\n');
}

pub fn render_text(s: &Snapshot) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "now {}   window {} s   source {} {}",
        s.now, s.window_s, s.source.kind, s.source.target
    );
    let f = &s.feed;
    let _ = writeln!(
        out,
        "feed {}   events {}   rejected {}   unknown {}   duplicates {}   gaps {}   reconnects {}   clock offset {:.1} s",
        f.state,
        f.events,
        f.rejected,
        f.unknown,
        f.duplicates,
        f.gaps,
        f.reconnects,
        f.clock_offset_s
    );
    for x in &s.sites {
        let _ = writeln!(
            out,
            "site {} {}   events {}   rejected {}   duplicates {}   gaps {}   reconnects {}   source {} {}",
            x.site,
            x.state,
            x.events,
            x.rejected,
            x.duplicates,
            x.gaps,
            x.reconnects,
            x.source.kind,
            x.source.target
        );
    }
    out.push('\n');

    queue_table(&mut out, s, &s.queues, &s.totals, true);
    let i = &s.interval;
    let _ = writeln!(
        out,
        "interval from {}   {} s of {} s{}",
        i.start,
        i.window_s,
        i.length_s,
        i.uncertain_since
            .as_ref()
            .map_or_else(String::new, |u| format!("   uncertain since {u}"))
    );
    queue_table(&mut out, s, &i.queues, &i.totals, false);

    let mut rows = vec![
        [
            "AGENT",
            "NAME",
            "STATE",
            "FOR_S",
            "QUEUES",
            "CONTACTS",
            "HANDLED",
            "ATT_S",
            "ART_AVG_S",
            "ART_P90_S",
            "CSAT_AVG",
            "OCC%",
        ]
        .iter()
        .map(|h| h.to_string())
        .collect::<Vec<_>>(),
    ];
    for a in &s.agents {
        let state = match &a.reason {
            Some(r) => format!("{} ({r})", a.state),
            None => a.state.to_string(),
        };
        let contacts = a
            .contacts
            .iter()
            .map(|c| {
                format!(
                    "{} {:.0}s{}",
                    c.contact_id,
                    c.talk_s,
                    if c.on_hold { " hold" } else { "" }
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        rows.push(vec![
            sited(&a.site, &a.agent_id),
            a.name.clone().unwrap_or_else(|| "-".into()),
            state,
            format!("{:.0}", a.state_for_s),
            a.queues.join(","),
            contacts,
            a.handled.to_string(),
            num(a.att_s),
            num(a.art_s.avg),
            num(a.art_s.p90),
            num2(a.csat_avg),
            num(a.occupancy_pct),
        ]);
    }
    // Text columns left, counts right: reorder alignment by column.
    table(&mut out, &rows, 6);
    out
}
