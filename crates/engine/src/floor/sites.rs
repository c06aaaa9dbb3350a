//! What the floor offers several sites sharing it (docs/sites.md): their
//! ids carry the site as a prefix (`paris/billing`), so one floor holds
//! them all and the grand total is exact; a site's snapshot replaces that
//! site's live state only, and a site's total row adds up its queues.

use super::Floor;
use super::view::{AgentCounts, QueueView, WindowKind};
use crate::protocol::Event;

impl Floor {
    /// Applies an event of the site whose ids start with `prefix`: as
    /// [`Floor::apply`], except that a snapshot replaces that site's
    /// queues, agents and contacts and leaves the other sites' alone.
    /// `first`: nothing of this site was applied before (its first
    /// snapshot replaces nothing and raises no doubt).
    pub fn apply_in_site(&mut self, ev: &Event<'_>, prefix: &str, first: bool) {
        self.site_scope = Some(prefix.into());
        self.site_first = first;
        self.apply(ev);
        self.site_scope = None;
        self.site_first = false;
    }

    /// A site's own numbering found a duplicate or a gap (each site counts
    /// its `seq` apart, so its events reach the floor without one): counted
    /// in the feed's figures, and a gap puts the window figures in doubt.
    pub fn note_site_seq(&mut self, duplicate: bool, gap: bool) {
        let before = self.doubt_counters();
        if duplicate {
            self.counts.duplicates += 1;
        }
        if gap {
            self.counts.gaps += 1;
        }
        self.doubt_from(before);
    }

    /// A site reconnected: its live state may be stale until its snapshot.
    /// The window figures are in doubt; the floor as a whole is not resyncing.
    pub fn doubt_resync(&mut self) {
        self.doubt(super::Doubt::Resync);
    }

    /// The total row of the site whose ids start with `prefix`: its queues'
    /// window sums added up (a sample that belongs to no queue counts in
    /// the grand total only), its waits, and `agents` counted by the caller.
    pub fn site_totals<'f>(
        &'f self,
        prefix: &'f str,
        kind: WindowKind,
        agents: AgentCounts,
    ) -> QueueView<'f> {
        let sum = self.sum_queues(kind, |id| id.starts_with(prefix));
        self.sum_view(prefix, None, sum, agents)
    }
}
