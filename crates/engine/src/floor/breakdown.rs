//! One queue looked at more closely (the details pane): who waits on which
//! channel, and which agent has been available longest. Live state only,
//! read on demand for one queue: nothing here is kept per event.

use super::{AgentIdx, DisplayState, Floor, QueueIdx};
use crate::time::{Millis, Ts};

/// The contacts waiting in a queue on one channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChannelWaiting<'f> {
    /// As the feed names it (`voice` when it names none).
    pub channel: &'f str,
    pub waiting: u32,
    /// The longest current wait on this channel.
    pub longest: Millis,
}

impl Floor {
    /// A queue's waiting contacts by channel, the longest wait first (then
    /// by channel name).
    pub fn waiting_by_channel(&self, q: QueueIdx) -> Vec<ChannelWaiting<'_>> {
        let mut out: Vec<ChannelWaiting<'_>> = Vec::new();
        for w in self.waiting_in(q) {
            match out.iter_mut().find(|c| c.channel == w.channel) {
                Some(c) => {
                    c.waiting += 1;
                    c.longest = c.longest.max(w.wait);
                }
                None => out.push(ChannelWaiting {
                    channel: w.channel,
                    waiting: 1,
                    longest: w.wait,
                }),
            }
        }
        out.sort_by(|a, b| b.longest.cmp(&a.longest).then(a.channel.cmp(b.channel)));
        out
    }

    /// The agent serving `q` who has been available longest, and for how
    /// long: the next to be offered a contact under longest-idle routing.
    /// Ties go to the smaller agent id, so the answer does not flicker.
    pub fn longest_available(&self, q: QueueIdx) -> Option<(AgentIdx, Millis)> {
        self.agents_of(q)
            .filter_map(|a| self.available_key(a))
            .min()
            .map(|(since, _, a)| (a, self.now().since(since)))
    }

    /// [`Floor::longest_available`] for every queue at once (indexed by
    /// queue), in one pass over the agents: what the snapshot needs for
    /// thousands of queues.
    pub fn longest_available_all(&self) -> Vec<Option<(AgentIdx, Millis)>> {
        let mut best: Vec<Option<(Ts, &str, AgentIdx)>> = vec![None; self.queues.len()];
        for a in self.agent_ids() {
            let Some(key) = self.available_key(a) else {
                continue;
            };
            for q in &self.agents[a.0 as usize].queues {
                if let Some(slot) = best.get_mut(q.0 as usize) {
                    if slot.is_none_or(|b| key < b) {
                        *slot = Some(key);
                    }
                }
            }
        }
        best.into_iter()
            .map(|b| b.map(|(since, _, a)| (a, self.now().since(since))))
            .collect()
    }

    /// An available agent's order in the longest-idle line: earliest
    /// available first, then the smaller id.
    fn available_key(&self, a: AgentIdx) -> Option<(Ts, &str, AgentIdx)> {
        let (id, _, state, since) = self.agent_brief(a);
        (state == DisplayState::Available).then_some((since, id, a))
    }
}

#[cfg(test)]
mod tests {
    use crate::time::Ts;

    use crate::floor::floor_of as floor;

    #[test]
    fn waiting_by_channel_and_longest_available() {
        let mut f = floor(&[
            r#"{"type":"agent.state","ts":1000,"agent_id":"b","state":"available","queues":["q"]}"#,
            r#"{"type":"agent.state","ts":2000,"agent_id":"a","state":"available","queues":["q"]}"#,
            r#"{"type":"agent.state","ts":500,"agent_id":"c","state":"away","queues":["q"]}"#,
            r#"{"type":"agent.state","ts":100,"agent_id":"d","state":"available","queues":["other"]}"#,
            r#"{"type":"contact.queued","ts":10000,"contact_id":"v1","queue":"q"}"#,
            r#"{"type":"contact.queued","ts":20000,"contact_id":"c1","queue":"q","channel":"chat"}"#,
            r#"{"type":"contact.queued","ts":30000,"contact_id":"v2","queue":"q","channel":"voice"}"#,
        ]);
        // Live time moves on with the view's tick, not with events.
        f.advance(Ts(70_000));
        let q = f.queue_index("q").expect("q");
        let by = f.waiting_by_channel(q);
        let got: Vec<(&str, u32, i64)> = by
            .iter()
            .map(|c| (c.channel, c.waiting, c.longest))
            .collect();
        assert_eq!(got, [("voice", 2, 60_000), ("chat", 1, 50_000)]);
        // b has been available since 1 s (a since 2 s; c is away, d serves
        // another queue).
        let (a, for_) = f.longest_available(q).expect("someone available");
        assert_eq!((f.agent_brief(a).0, for_), ("b", 69_000));
        let other = f.queue_index("other").expect("other");
        assert!(f.waiting_by_channel(other).is_empty());
        // The one-pass form agrees, queue by queue.
        let all = f.longest_available_all();
        for q in f.queue_ids() {
            assert_eq!(all[q.0 as usize], f.longest_available(q), "{q:?}");
        }
        assert_eq!(f.agent_brief(all[other.0 as usize].expect("d").0).0, "d");
    }
}
