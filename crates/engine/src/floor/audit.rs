//! Self-checks of the floor's invariants, for property tests and debugging:
//! the live tables agree with each other and no running sum is negative.

use super::Floor;
use super::live::Phase;
use super::sample::Agg;

fn non_negative(a: &Agg, scope: &str) -> Result<(), String> {
    let fields = [
        ("entered", a.entered),
        ("answered", a.answered),
        ("answered_wait", a.answered_wait),
        ("answered_within", a.answered_within),
        ("abandoned", a.abandoned),
        ("abandoned_counted", a.abandoned_counted),
        ("abandoned_counted_within", a.abandoned_counted_within),
        ("left", a.left),
        ("ended", a.ended),
        ("talk", a.talk),
        ("hold", a.hold),
        ("wrap", a.wrap),
        ("resolutions", a.resolutions),
        ("first_contact_resolved", a.first_contact_resolved),
        ("frt_sum", a.frt.sum()),
    ];
    match fields.iter().find(|(_, v)| *v < 0) {
        Some((name, v)) => Err(format!("{scope}: {name} is {v}")),
        None if a.answered_within > a.answered => {
            Err(format!("{scope}: more answered within T than answered"))
        }
        None if a.first_contact_resolved > a.resolutions => {
            Err(format!("{scope}: FCR above 100 %"))
        }
        None => Ok(()),
    }
}

impl Floor {
    /// Checks every invariant; the error names the first one broken.
    pub fn audit(&self) -> Result<(), String> {
        let mut waiting = 0;
        for (qi, q) in self.queues.iter().enumerate() {
            for (since, key) in &q.waiting {
                let c = self
                    .contacts
                    .get(*key)
                    .ok_or_else(|| format!("queue {} lists a dead contact", q.id))?;
                match c.phase {
                    Phase::Waiting { queue, since: s } if queue.0 as usize == qi && s == *since => {
                        waiting += 1
                    }
                    _ => {
                        return Err(format!(
                            "queue {} lists {} which is not waiting there",
                            q.id, c.id
                        ));
                    }
                }
            }
        }
        let mut connected = 0;
        for a in &self.agents {
            // The details view lists changes of what was shown: the same
            // state from the same instant twice is not a change.
            if a.history
                .iter()
                .zip(a.history.iter().skip(1))
                .any(|(x, y)| x == y)
            {
                return Err(format!(
                    "agent {} has a repeated state in its history",
                    a.id
                ));
            }
            for key in &a.contacts {
                let c = self
                    .contacts
                    .get(*key)
                    .ok_or_else(|| format!("agent {} holds a dead contact", a.id))?;
                match c.phase {
                    Phase::Connected { agent, .. }
                        if *self.agents[agent.0 as usize].id == *a.id =>
                    {
                        connected += 1
                    }
                    _ => {
                        return Err(format!(
                            "agent {} holds {} which is not connected to it",
                            a.id, c.id
                        ));
                    }
                }
            }
        }
        if waiting + connected != self.contacts.len() {
            return Err(format!(
                "{} waiting + {} connected != {} live contacts",
                waiting,
                connected,
                self.contacts.len()
            ));
        }
        if self.contact_index.len() != self.contacts.len() {
            return Err("contact index and contacts disagree".into());
        }
        for (key, c) in &self.contacts {
            if self.known_contact(&c.id) != Some(key) {
                return Err(format!("contact {} is not indexed where it is", c.id));
            }
        }
        for (name, scopes) in [
            ("rolling", &self.window.rolling),
            ("today", &self.window.today.sums),
            ("interval", &self.window.interval.sums),
        ] {
            non_negative(&scopes.total, name)?;
            for (i, q) in scopes.queues.iter().enumerate() {
                non_negative(q, &format!("{name} queue {}", self.queues[i].id))?;
            }
            if let Some(a) = scopes.agents.iter().find(|a| a.handled < 0 || a.talk < 0) {
                return Err(format!("{name}: an agent has negative sums {a:?}"));
            }
        }
        Ok(())
    }
}
