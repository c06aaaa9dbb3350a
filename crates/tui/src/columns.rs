//! The columns of the two tables: label, width, and which to drop first when
//! the terminal is narrow (a higher `priority` number goes first).

/// One column's shape. `width` is the fixed width; the name column takes
/// what is left, but never less than `width`.
#[derive(Clone, Copy, Debug)]
pub struct ColumnSpec {
    pub label: &'static str,
    pub width: u16,
    pub priority: u8,
    pub right: bool,
    /// How many columns it may grow by when there is room to spare.
    pub grow: u16,
}

const fn spec(label: &'static str, width: u16, priority: u8, right: bool) -> ColumnSpec {
    ColumnSpec {
        label,
        width,
        priority,
        right,
        grow: 0,
    }
}

const fn grows(s: ColumnSpec, grow: u16) -> ColumnSpec {
    ColumnSpec { grow, ..s }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QueueCol {
    Name,
    Waiting,
    Longest,
    Available,
    OnContact,
    WrapUp,
    Away,
    ServiceLevel,
    Asa,
    AbandonRate,
    Att,
    Aht,
    FrtAvg,
    FrtP90,
    Fcr,
    Occupancy,
    Art,
    ArtP90,
    Csat,
    Nps,
    AvgWait,
    MaxWait,
    Resolution,
    Trend,
}

impl QueueCol {
    pub const ALL: [QueueCol; 24] = [
        QueueCol::Name,
        QueueCol::Waiting,
        QueueCol::Longest,
        QueueCol::Available,
        QueueCol::OnContact,
        QueueCol::WrapUp,
        QueueCol::Away,
        QueueCol::ServiceLevel,
        QueueCol::Asa,
        QueueCol::AbandonRate,
        QueueCol::Att,
        QueueCol::Aht,
        QueueCol::FrtAvg,
        QueueCol::FrtP90,
        QueueCol::Fcr,
        QueueCol::Occupancy,
        QueueCol::Art,
        QueueCol::ArtP90,
        QueueCol::Csat,
        QueueCol::Nps,
        QueueCol::AvgWait,
        QueueCol::MaxWait,
        QueueCol::Resolution,
        QueueCol::Trend,
    ];

    pub fn spec(self) -> ColumnSpec {
        match self {
            QueueCol::Name => grows(spec("QUEUE", 10, 0, false), 26),
            QueueCol::Waiting => spec("WAIT", 6, 0, true),
            QueueCol::Longest => spec("LONGEST", 8, 0, true),
            QueueCol::Available => spec("AVL", 4, 1, true),
            QueueCol::OnContact => spec("ONC", 4, 1, true),
            QueueCol::WrapUp => spec("WRP", 4, 3, true),
            QueueCol::Away => spec("AWY", 4, 3, true),
            QueueCol::ServiceLevel => spec("SL%", 7, 0, true),
            QueueCol::Asa => spec("ASA", 6, 2, true),
            QueueCol::AbandonRate => spec("ABN%", 6, 2, true),
            QueueCol::Att => spec("ATT", 6, 4, true),
            QueueCol::Aht => spec("AHT", 6, 4, true),
            QueueCol::FrtAvg => spec("FRT", 6, 6, true),
            QueueCol::FrtP90 => spec("FRT90", 6, 6, true),
            QueueCol::Fcr => spec("FCR%", 6, 7, true),
            // docs/ui.md: occupancy shows from 80 columns, the others
            // but ART p90 and resolution time at 160; all in the details.
            QueueCol::Occupancy => spec("OCC%", 5, 3, true),
            QueueCol::Art => spec("ART", 6, 6, true),
            QueueCol::ArtP90 => spec("ART90", 6, 9, true),
            QueueCol::Csat => spec("CSAT%", 6, 7, true),
            QueueCol::Nps => spec("NPS", 6, 8, true),
            QueueCol::AvgWait => spec("AWAIT", 6, 8, true),
            QueueCol::MaxWait => spec("MAXW", 6, 5, true),
            QueueCol::Resolution => spec("RES", 6, 9, true),
            QueueCol::Trend => grows(spec("WAITING 5m", 10, 5, false), 20),
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// The column whose header reads `label` (any case), if it sorts.
    pub fn sortable_by_label(label: &str) -> Option<QueueCol> {
        QueueCol::ALL
            .into_iter()
            .filter(|c| *c != QueueCol::Trend)
            .find(|c| c.spec().label.eq_ignore_ascii_case(label))
    }

    /// Sort order `s` steps through (every column but the sparkline).
    pub fn next_sort(self) -> QueueCol {
        let i = (self.index() + 1) % (QueueCol::ALL.len() - 1);
        QueueCol::ALL[i]
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AgentCol {
    Name,
    State,
    For,
    Contacts,
    Queue,
    Handled,
    Att,
    Occupancy,
    Art,
    Csat,
}

impl AgentCol {
    pub const ALL: [AgentCol; 10] = [
        AgentCol::Name,
        AgentCol::State,
        AgentCol::For,
        AgentCol::Contacts,
        AgentCol::Queue,
        AgentCol::Handled,
        AgentCol::Att,
        AgentCol::Occupancy,
        AgentCol::Art,
        AgentCol::Csat,
    ];

    pub fn spec(self) -> ColumnSpec {
        match self {
            AgentCol::Name => grows(spec("AGENT", 10, 0, false), 22),
            AgentCol::State => spec("STATE", 14, 0, false),
            // Seven: a time and the alert symbol after it ("20m00s‼").
            AgentCol::For => spec("FOR", 7, 0, true),
            AgentCol::Contacts => grows(spec("CONTACTS", 20, 1, false), 40),
            AgentCol::Queue => grows(spec("QUEUE", 12, 2, false), 12),
            AgentCol::Handled => spec("HND", 4, 3, true),
            AgentCol::Att => spec("ATT", 6, 3, true),
            AgentCol::Occupancy => spec("OCC%", 5, 4, true),
            AgentCol::Art => spec("ART", 6, 4, true),
            AgentCol::Csat => spec("CSAT", 5, 5, true),
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// The column whose header reads `label` (any case), if agents sort
    /// by it.
    pub fn sortable_by_label(label: &str) -> Option<AgentCol> {
        [
            AgentCol::Name,
            AgentCol::State,
            AgentCol::For,
            AgentCol::Queue,
        ]
        .into_iter()
        .find(|c| c.spec().label.eq_ignore_ascii_case(label))
    }

    /// Agents sort by what is cheap to know for thousands of them: name,
    /// state, time in state, first queue.
    pub fn next_sort(self) -> AgentCol {
        match self {
            AgentCol::Name => AgentCol::State,
            AgentCol::State => AgentCol::For,
            AgentCol::For => AgentCol::Queue,
            _ => AgentCol::Name,
        }
    }
}

impl QueueCol {
    /// Every column sorts but the sparkline.
    pub fn sorts(self) -> bool {
        self != QueueCol::Trend
    }

    /// The column a view names: its header (any case), or `trend` for the
    /// sparkline (whose header says how long it spans).
    pub fn by_name(name: &str) -> Option<QueueCol> {
        if name.eq_ignore_ascii_case("trend") {
            return Some(QueueCol::Trend);
        }
        QueueCol::ALL
            .into_iter()
            .find(|c| c.spec().label.eq_ignore_ascii_case(name))
    }
}

impl AgentCol {
    /// Agents sort by name, state, time in state and first queue only
    /// (cheap to know for thousands of them).
    pub fn sorts(self) -> bool {
        AgentCol::sortable_by_label(self.spec().label) == Some(self)
    }

    /// The column a view names: its header (any case).
    pub fn by_name(name: &str) -> Option<AgentCol> {
        AgentCol::ALL
            .into_iter()
            .find(|c| c.spec().label.eq_ignore_ascii_case(name))
    }
}

/// A view's column list read: each name a column (see `by_name`), none
/// twice, and the name column kept (first, when the list leaves it out:
/// a row must say whose it is). The error names the column and lists the
/// table's.
pub fn parse_list<C: Copy + PartialEq>(
    names: &[String],
    by_name: impl Fn(&str) -> Option<C>,
    all: &[C],
    label: impl Fn(C) -> &'static str,
) -> Result<Vec<C>, String> {
    let known = || all.iter().map(|c| label(*c)).collect::<Vec<_>>().join(", ");
    if names.is_empty() {
        return Err(format!("lists no column (one of: {})", known()));
    }
    let mut out = Vec::with_capacity(names.len() + 1);
    for n in names {
        let Some(c) = by_name(n.trim()) else {
            return Err(format!("unknown column `{n}` (one of: {})", known()));
        };
        if out.contains(&c) {
            return Err(format!("lists `{n}` twice"));
        }
        out.push(c);
    }
    if let Some(first) = all.first().filter(|n| !out.contains(n)) {
        out.insert(0, *first);
    }
    Ok(out)
}

/// Chooses which columns fit in `width` (one space between columns),
/// dropping the highest priority numbers first, and shares what is left
/// among the columns that grow, in table order (the name first). Returns
/// the columns in table order with their widths.
pub fn fit<C: Copy>(cols: &[C], spec: impl Fn(C) -> ColumnSpec, width: u16) -> Vec<(C, u16)> {
    let mut keep: Vec<bool> = vec![true; cols.len()];
    let need = |keep: &[bool]| -> u32 {
        let (mut sum, mut n) = (0u32, 0u32);
        for (c, k) in cols.iter().zip(keep) {
            if *k {
                sum += u32::from(spec(*c).width);
                n += 1;
            }
        }
        sum + n.saturating_sub(1)
    };
    let mut levels: Vec<u8> = cols.iter().map(|c| spec(*c).priority).collect();
    levels.sort_unstable();
    levels.dedup();
    while need(&keep) > u32::from(width) {
        let Some(&top) = levels.last() else { break };
        if top == 0 {
            break;
        }
        levels.pop();
        for (i, c) in cols.iter().enumerate() {
            if spec(*c).priority == top {
                keep[i] = false;
            }
        }
    }
    let mut spare = u32::from(width).saturating_sub(need(&keep)) as u16;
    cols.iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(c, _)| {
            let s = spec(*c);
            let extra = s.grow.min(spare);
            spare -= extra;
            (*c, s.width + extra)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_terminals_keep_every_column() {
        let cols = fit(&QueueCol::ALL, QueueCol::spec, 200);
        assert_eq!(cols.len(), QueueCol::ALL.len());
        let total: u32 = cols.iter().map(|(_, w)| u32::from(*w)).sum::<u32>() + 23;
        assert!(total <= 200);
        assert_eq!(cols[0].1, 36, "the name grows first, up to its limit");
    }

    #[test]
    fn default_columns_at_80_and_160() {
        let at = |w| -> Vec<QueueCol> {
            fit(&QueueCol::ALL, QueueCol::spec, w)
                .into_iter()
                .map(|(c, _)| c)
                .collect()
        };
        let (narrow, wide) = (at(78), at(158));
        assert!(narrow.contains(&QueueCol::Occupancy));
        assert!(!narrow.contains(&QueueCol::Art));
        for c in [
            QueueCol::Occupancy,
            QueueCol::MaxWait,
            QueueCol::Art,
            QueueCol::Csat,
            QueueCol::Fcr,
            QueueCol::Nps,
            QueueCol::AvgWait,
        ] {
            assert!(wide.contains(&c), "{c:?} at 160 columns");
        }
        for c in [QueueCol::ArtP90, QueueCol::Resolution] {
            assert!(!wide.contains(&c), "{c:?} only in the details");
        }
    }

    #[test]
    fn narrow_terminals_drop_by_priority() {
        let cols: Vec<QueueCol> = fit(&QueueCol::ALL, QueueCol::spec, 78)
            .into_iter()
            .map(|(c, _)| c)
            .collect();
        assert!(cols.contains(&QueueCol::Waiting));
        assert!(cols.contains(&QueueCol::ServiceLevel));
        assert!(!cols.contains(&QueueCol::Fcr));
        assert!(!cols.contains(&QueueCol::Trend));
        // Never wider than asked, even when the must-haves do not fit.
        let tiny = fit(&QueueCol::ALL, QueueCol::spec, 20);
        assert!(tiny.iter().all(|(c, _)| c.spec().priority == 0));
    }

    #[test]
    fn view_column_lists_are_checked() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let q = |v: &[&str]| {
            parse_list(&names(v), QueueCol::by_name, &QueueCol::ALL, |c| {
                c.spec().label
            })
        };
        assert_eq!(
            q(&["sl%", "WAIT", "trend"]).expect("known"),
            [
                QueueCol::Name,
                QueueCol::ServiceLevel,
                QueueCol::Waiting,
                QueueCol::Trend
            ]
        );
        assert_eq!(
            q(&["WAIT", "queue"]).expect("name kept where it is"),
            [QueueCol::Waiting, QueueCol::Name]
        );
        let e = q(&["WAIT", "bogus"]).unwrap_err();
        assert!(e.contains("`bogus`") && e.contains("SL%"), "{e}");
        assert!(q(&["WAIT", "wait"]).unwrap_err().contains("twice"));
        assert!(q(&[]).is_err());
        let a = parse_list(
            &names(&["for", "state"]),
            AgentCol::by_name,
            &AgentCol::ALL,
            |c| c.spec().label,
        );
        assert_eq!(
            a.expect("agents"),
            [AgentCol::Name, AgentCol::For, AgentCol::State]
        );
    }

    #[test]
    fn sort_cycles_skip_the_sparkline() {
        let mut c = QueueCol::Name;
        for _ in 0..QueueCol::ALL.len() {
            c = c.next_sort();
            assert_ne!(c, QueueCol::Trend);
        }
        assert_eq!(QueueCol::Resolution.next_sort(), QueueCol::Name);
    }
}
