//! Where each part of the screen goes, for a terminal size. The body is
//! shared between the queues (as many rows as there are queues, up to about
//! half), the agents (the rest) and the event log (a fifth, when there is
//! room, shrunk to the entries it holds down to [`LOG_MIN_ROWS`]: rows it
//! does not need go to the tables). Below the minimum size only a message (and the source label) shows.

use ratatui::layout::Rect;

pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;
pub const HEADER_ROWS: u16 = 2;
/// The smallest event log: its title and two entries, so that the first
/// alert of a quiet floor shows without a resize.
pub const LOG_MIN_ROWS: u16 = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Plan {
    pub area: Rect,
    pub too_small: bool,
    pub header: Rect,
    /// Everything between header and footer (the details view uses it whole).
    pub body: Rect,
    pub queues: Rect,
    pub agents: Rect,
    pub log: Rect,
    pub footer: Rect,
}

impl Plan {
    /// Data rows the queues pane can show (title, header and totals rows aside).
    pub fn queue_rows(&self) -> usize {
        self.queues.height.saturating_sub(3) as usize
    }

    pub fn agent_rows(&self) -> usize {
        self.agents.height.saturating_sub(2) as usize
    }

    pub fn log_rows(&self) -> usize {
        self.log.height.saturating_sub(1) as usize
    }
}

fn rows(area: Rect, y: u16, h: u16) -> Rect {
    Rect::new(area.x, y, area.width, h)
}

/// Lays out a screen of `area` with `queues` queue rows and `log_entries`
/// event log entries to show.
pub fn plan(area: Rect, queues: usize, log_entries: usize) -> Plan {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return Plan {
            area,
            too_small: true,
            ..Plan::default()
        };
    }
    let header = rows(area, area.y, HEADER_ROWS);
    let footer = rows(area, area.bottom() - 1, 1);
    let body_h = area.height - HEADER_ROWS - 1;
    let body = rows(area, area.y + HEADER_ROWS, body_h);
    let log_h = if body_h >= 14 {
        let want = u16::try_from(log_entries)
            .unwrap_or(u16::MAX)
            .saturating_add(1)
            .max(LOG_MIN_ROWS);
        (body_h / 4).clamp(4, 10).min(want)
    } else {
        0
    };
    let rest = body_h - log_h;
    // Title, column headers, the queues, the totals row.
    let want = (queues as u16).saturating_add(3);
    let queue_h = want.min(rest / 2).max(4.min(rest));
    let agent_h = rest - queue_h;
    let queues_r = rows(area, body.y, queue_h);
    let agents_r = rows(area, body.y + queue_h, agent_h);
    let log_r = rows(area, body.y + queue_h + agent_h, log_h);
    Plan {
        area,
        too_small: false,
        header,
        body,
        queues: queues_r,
        agents: agents_r,
        log: log_r,
        footer,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_tile_the_screen() {
        for (w, h, q) in [(80, 24, 4), (160, 48, 200), (40, 10, 0), (100, 30, 1)] {
            let p = plan(Rect::new(0, 0, w, h), q, 100);
            assert!(!p.too_small);
            let total = p.header.height + p.queues.height + p.agents.height + p.log.height + 1;
            assert_eq!(total, h, "{w}x{h}");
            assert!(p.queues.height >= 4);
        }
    }

    #[test]
    fn small_screens_are_flagged() {
        assert!(plan(Rect::new(0, 0, 39, 24), 1, 0).too_small);
        assert!(plan(Rect::new(0, 0, 80, 9), 1, 0).too_small);
        assert!(plan(Rect::new(0, 0, 0, 0), 1, 0).too_small);
    }

    #[test]
    fn queues_take_what_they_need() {
        let p = plan(Rect::new(0, 0, 80, 24), 4, 100);
        assert_eq!(p.queue_rows(), 4);
        assert!(p.agent_rows() >= 6);
    }

    #[test]
    fn the_log_shrinks_to_its_entries_and_the_agents_get_the_rows() {
        let area = Rect::new(0, 0, 200, 60);
        let full = plan(area, 4, 100);
        assert_eq!(full.log_rows(), 9, "a tenth of a busy log at most");
        let one = plan(area, 4, 1);
        assert_eq!(one.log.height, LOG_MIN_ROWS);
        assert_eq!(one.log_rows(), 2);
        let five = plan(area, 4, 5);
        assert_eq!(five.log_rows(), 5);
        assert_eq!(
            one.agents.height,
            full.agents.height + full.log.height - LOG_MIN_ROWS
        );
        assert_eq!(one.queues, full.queues);
    }
}
