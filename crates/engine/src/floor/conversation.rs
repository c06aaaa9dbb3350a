//! Conversation turns and survey answers: `contact.message` (ART, and the
//! first response it may be) and `contact.survey` (CSAT and NPS).
//!
//! A conversation of any length costs one timestamp per contact: the
//! earliest customer turn still unanswered. A customer message sets it when
//! none is pending (later ones before a reply change nothing); an agent
//! message with one pending takes a response sample and clears it (later
//! agent messages before the next customer turn answer nothing).

use super::Floor;
use super::live::{ContactKey, LastSegment};
use super::sample::{AgentIdx, SampleKind, dur};
use crate::protocol::Sender;
use crate::time::Ts;

impl Floor {
    pub(super) fn message(&mut self, id: &str, from: Sender, agent: Option<&str>, ts: Ts) {
        // A message for a contact we do not hold (never seen, or already
        // over) has no queue, segment or inquiry to time it against: it
        // creates nothing and counts nowhere.
        let Some(key) = self.known_contact(id) else {
            return self.counts.ignored += 1;
        };
        // Voice contacts have no ART (docs/metrics.md).
        if self.contacts[key].is_voice() {
            return self.counts.ignored += 1;
        }
        match from {
            Sender::Customer => {
                let c = &mut self.contacts[key];
                // Only the earliest unanswered turn is kept; one stamped
                // earlier than the one held (out of order) replaces it.
                c.pending_turn = Some(c.pending_turn.map_or(ts, |p| p.min(ts)));
            }
            Sender::Agent => {
                // feed-v1: the first agent message is also the first
                // response, whether or not a `contact.first_response` comes.
                let first = self.count_first_response(key, ts);
                let responded = self.respond(key, agent, ts);
                if !first && !responded {
                    self.counts.ignored += 1;
                }
            }
        }
    }

    /// An agent response at `ts`: if a customer turn is pending, one ART
    /// sample (never negative), in the queue the contact is in now (the
    /// segment's, or where it waits after a transfer), for the agent named
    /// by the event when we know it, else the segment's agent.
    pub(super) fn respond(&mut self, key: ContactKey, agent: Option<&str>, ts: Ts) -> bool {
        let c = &mut self.contacts[key];
        let Some(turn) = c.pending_turn.take() else {
            return false;
        };
        let queue = c.queue();
        let segment_agent = c.segment().filter(|_| c.is_connected()).map(|s| s.agent);
        let named = agent.and_then(|a| self.known_agent(a));
        let agent: Option<AgentIdx> = named.or(segment_agent);
        let ms = dur(ts.since(turn));
        self.sample(ts, queue, SampleKind::Response { agent, ms });
        true
    }

    pub(super) fn survey(&mut self, id: &str, csat: Option<u8>, nps: Option<u8>, ts: Ts) {
        if csat.is_none() && nps.is_none() {
            return self.counts.ignored += 1;
        }
        // The contact's last segment: live, or remembered after its end;
        // a contact we know nothing of counts in the totals only.
        let segment: Option<LastSegment> = match self.known_contact(id) {
            Some(key) => self.contacts[key].segment(),
            None => self.finished.last_segment(id).flatten(),
        };
        let queue = segment.and_then(|s| s.queue);
        let agent = segment.map(|s| s.agent);
        self.sample(ts, queue, SampleKind::Survey { agent, csat, nps });
    }
}
