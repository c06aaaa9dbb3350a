//! A contact's life: it arrives and waits, is offered to an agent (who
//! picks it up a few seconds later) or abandoned when the customer's
//! patience runs out, then follows a plan drawn when it is answered: holds,
//! a first reply, a transfer to another queue, the end, resolved or not.
//! Unresolved customers often come back later: the repeat contacts that
//! first-contact resolution counts.

use std::collections::VecDeque;

use super::dist;
use super::roster::{Dur, MAX_WAITING, Medium, QUEUES};
use super::sim::{Action, Sim};
use queuetop_engine::protocol::{Csat, EventKind, Nps, Priority, Sender};
use queuetop_engine::time::Ts;

/// Share of new contacts from a customer seen lately (besides the
/// unresolved ones who come back).
const REPEAT_P: f64 = 0.06;
/// Share of unresolved customers who contact the center again.
const RETURN_P: f64 = 0.45;
/// Share of ended contacts whose customer answers the survey.
const SURVEY_P: f64 = 0.35;
/// Most exchanges (customer turn, agent reply) after a chat's first reply.
const MAX_EXCHANGES: usize = 5;
/// How many recent customers are remembered for repeats.
const RECENT_CUSTOMERS: usize = 400;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Phase {
    Waiting,
    /// Offered to an agent, not answered yet (still waiting, on the feed).
    Ringing {
        agent: usize,
    },
    Connected {
        agent: usize,
        answered: Ts,
        on_hold: bool,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Step {
    Hold,
    Resume,
    FirstResponse,
    /// A later turn of a chat or email conversation.
    CustomerMessage,
    AgentMessage,
    Transfer(usize),
    End,
}

/// One customer in twelve is a priority customer (a VIP line): their
/// contacts carry `priority` 1 and are answered first in their queue.
fn priority_of(customer: u64) -> i32 {
    i32::from(customer % 12 == 0)
}

/// The priority as the feed sends it: only when it is not the default.
pub(super) fn sent(priority: i32) -> Priority {
    if priority == 0 {
        Priority::Absent
    } else {
        Priority::Given(priority)
    }
}

#[derive(Debug)]
pub(super) struct Contact {
    pub customer: u64,
    /// Where it waits now, or where its segment was answered.
    pub queue: usize,
    pub medium: Medium,
    pub first_queued: Ts,
    pub wait_since: Ts,
    /// The routing priority: 1 for a priority customer, else 0.
    pub priority: i32,
    /// Which wait this is (0 for the first, 1 after a transfer, ...): an
    /// abandon timer set for an earlier wait does nothing.
    pub wait_no: u32,
    pub phase: Phase,
    /// What happens next while connected, in time order.
    pub plan: VecDeque<(Ts, Step)>,
}

pub(super) fn contact_id(n: u64) -> String {
    format!("c{n}")
}

pub(super) fn customer_id(n: u64) -> String {
    format!("cus-{n}")
}

impl Sim {
    pub(super) fn on_arrival_candidate(&mut self, q: usize) {
        if let Some(gap) = self.arrivals.next_candidate(&mut self.rng, q) {
            self.schedule(self.now.plus(gap), Action::Arrival(q));
        }
        let at = self.ms_of_day();
        if self.arrivals.keep(&mut self.rng, q, at) {
            let customer = self.pick_customer();
            self.arrive(q, customer);
        }
    }

    fn pick_customer(&mut self) -> u64 {
        let n = self.recent_customers.len();
        if n > 0 && dist::chance(&mut self.rng, REPEAT_P) {
            let i = dist::pick(&mut self.rng, n);
            // Someone still on the line or in a chat does not start another.
            if let Some(&c) = self.recent_customers.get(i)
                && !self.contacts.values().any(|live| live.customer == c)
            {
                return c;
            }
        }
        let new = self.next_customer;
        self.next_customer += 1;
        new
    }

    /// A new contact from `customer` starts waiting in queue `q`, unless
    /// the queue is full.
    pub(super) fn arrive(&mut self, q: usize, customer: u64) {
        if self.queues[q].waiting.len() >= MAX_WAITING {
            return;
        }
        let n = self.next_contact;
        self.next_contact += 1;
        if self.recent_customers.len() >= RECENT_CUSTOMERS {
            self.recent_customers.pop_front();
        }
        self.recent_customers.push_back(customer);
        let medium = QUEUES[q].medium;
        let priority = priority_of(customer);
        self.contacts.insert(
            n,
            Contact {
                customer,
                queue: q,
                medium,
                first_queued: self.now,
                wait_since: self.now,
                priority,
                wait_no: 0,
                phase: Phase::Waiting,
                plan: VecDeque::new(),
            },
        );
        self.emit(EventKind::Queued {
            contact: contact_id(n).into(),
            queue: QUEUES[q].id.into(),
            channel: Some(medium.channel().into()),
            customer: Some(customer_id(customer).into()),
            priority: sent(priority),
        });
        self.start_wait(n);
    }

    /// The contact joins its queue's line; the customer's patience starts.
    fn start_wait(&mut self, n: u64) {
        let Some(c) = self.contacts.get(&n) else {
            return;
        };
        let (q, wait_no) = (c.queue, c.wait_no);
        self.queues[q].waiting.push_back(n);
        if let Some(patience) = QUEUES[q].patience {
            let after = dist::lognormal(&mut self.rng, patience, 5.0, 3600.0);
            self.schedule(
                self.now.plus(after),
                Action::Abandon {
                    contact: n,
                    wait_no,
                },
            );
        }
        self.route_contact(n);
    }

    /// Offers a waiting contact to the best free agent, if any: the least
    /// loaded, then the one free the longest.
    fn route_contact(&mut self, n: u64) {
        let Some(c) = self.contacts.get(&n) else {
            return;
        };
        let (q, medium) = (c.queue, c.medium);
        let best = self
            .agents
            .iter()
            .enumerate()
            .filter(|(_, a)| a.skills.contains(&q) && a.can_take(medium))
            .min_by_key(|(i, a)| (a.load(), a.free_since, *i))
            .map(|(i, _)| i);
        if let Some(a) = best {
            self.offer(n, a);
        }
    }

    /// Offers waiting contacts to agent `a` while it has room: calls first,
    /// then chats, then email; within each, the agent's first skill first
    /// (a Spanish speaker takes the Spanish line before billing), then the
    /// longest wait.
    pub(super) fn route_agent(&mut self, a: usize) {
        loop {
            let agent = &self.agents[a];
            let mut best: Option<(u8, usize, Ts, u64)> = None;
            for (rank, &q) in agent.skills.iter().enumerate() {
                let medium = QUEUES[q].medium;
                if !agent.can_take(medium) {
                    continue;
                }
                // The most urgent first, then the longest waiting (the
                // line is in arrival order; the first of the highest wins).
                let first = self.queues[q]
                    .waiting
                    .iter()
                    .filter_map(|n| self.contacts.get(n).map(|c| (n, c)))
                    .filter(|(_, c)| c.phase == Phase::Waiting)
                    .rev()
                    .max_by_key(|(_, c)| c.priority)
                    .map(|(n, _)| n);
                if let Some(&n) = first {
                    let since = self.contacts.get(&n).map_or(self.now, |c| c.wait_since);
                    let key = (medium.priority(), rank, since, n);
                    if best.is_none_or(|b| key < b) {
                        best = Some(key);
                    }
                }
            }
            match best {
                Some((_, _, _, n)) => self.offer(n, a),
                None => return,
            }
        }
    }

    fn offer(&mut self, n: u64, a: usize) {
        let Some(c) = self.contacts.get_mut(&n) else {
            return;
        };
        c.phase = Phase::Ringing { agent: a };
        let medium = c.medium;
        let agent = &mut self.agents[a];
        agent.reserved += 1;
        agent.mode = Some(medium);
        let (lo, hi) = match medium {
            Medium::Voice => (2.0, 7.0),
            Medium::Chat => (1.0, 5.0),
            Medium::Email => (1.0, 3.0),
        };
        let after = dist::uniform(&mut self.rng, lo, hi);
        self.schedule(self.now.plus(after), Action::Answer(n));
    }

    pub(super) fn on_answer(&mut self, n: u64) {
        let Some(c) = self.contacts.get_mut(&n) else {
            return;
        };
        let Phase::Ringing { agent: a } = c.phase else {
            return;
        };
        c.phase = Phase::Connected {
            agent: a,
            answered: self.now,
            on_hold: false,
        };
        let (q, medium) = (c.queue, c.medium);
        self.queues[q].waiting.retain(|w| *w != n);
        let agent = &mut self.agents[a];
        agent.reserved = agent.reserved.saturating_sub(1);
        agent.contacts.push(n);
        self.emit(EventKind::Answered {
            contact: contact_id(n).into(),
            agent: self.agents[a].spec.id.into(),
        });
        let plan = self.draw_plan(n);
        if let Some(&(at, _)) = plan.front() {
            self.schedule(at, Action::Step(n));
        }
        if let Some(c) = self.contacts.get_mut(&n) {
            c.plan = plan;
        }
        // A chat agent with room left takes the next chat straight away.
        if medium == Medium::Chat {
            self.route_agent(a);
        }
    }

    /// What will happen to a contact just answered, and when.
    fn draw_plan(&mut self, n: u64) -> VecDeque<(Ts, Step)> {
        let mut plan = VecDeque::new();
        let Some(c) = self.contacts.get(&n) else {
            return plan;
        };
        let (spec, medium, transferred) = (&QUEUES[c.queue], c.medium, c.wait_no > 0);
        let t0 = self.now;
        let rng = &mut self.rng;
        match medium {
            Medium::Voice => {
                let talk = dist::lognormal(rng, spec.handle, 20.0, 3600.0);
                let mut held = 0;
                if dist::chance(rng, spec.hold_p) {
                    let at = t0.plus((talk as f64 * (0.2 + 0.5 * dist::unit(rng))) as i64);
                    held = dist::lognormal(
                        rng,
                        Dur {
                            mean_s: 45.0,
                            cv: 0.7,
                        },
                        5.0,
                        360.0,
                    );
                    plan.push_back((at, Step::Hold));
                    plan.push_back((at.plus(held), Step::Resume));
                }
                let end = t0.plus(talk + held);
                // One transfer at most: no customer is passed around forever.
                let transfer = !transferred
                    && !spec.transfer_to.is_empty()
                    && dist::chance(rng, spec.transfer_p);
                let last = if transfer {
                    let to = spec.transfer_to[dist::pick(rng, spec.transfer_to.len())];
                    super::roster::queue_index(to).map_or(Step::End, Step::Transfer)
                } else {
                    Step::End
                };
                plan.push_back((end, last));
            }
            Medium::Chat => {
                let first = dist::lognormal(
                    rng,
                    Dur {
                        mean_s: 20.0,
                        cv: 0.6,
                    },
                    3.0,
                    180.0,
                );
                let length = dist::lognormal(rng, spec.handle, 60.0, 5400.0).max(first + 30_000);
                plan.push_back((t0.plus(first), Step::FirstResponse));
                // The conversation goes on: the customer writes (sometimes
                // twice before a reply), the agent answers, until the end.
                let mut t = first;
                for _ in 0..dist::pick(rng, MAX_EXCHANGES + 1) {
                    let think = Dur {
                        mean_s: 40.0,
                        cv: 0.8,
                    };
                    let reply = Dur {
                        mean_s: 25.0,
                        cv: 0.7,
                    };
                    let customer = t + dist::lognormal(rng, think, 5.0, 300.0);
                    let again =
                        dist::chance(rng, 0.3).then(|| customer + dist::uniform(rng, 3.0, 15.0));
                    let answer =
                        again.unwrap_or(customer) + dist::lognormal(rng, reply, 3.0, 240.0);
                    if answer + 5_000 >= length {
                        break;
                    }
                    plan.push_back((t0.plus(customer), Step::CustomerMessage));
                    if let Some(again) = again {
                        plan.push_back((t0.plus(again), Step::CustomerMessage));
                    }
                    plan.push_back((t0.plus(answer), Step::AgentMessage));
                    t = answer;
                }
                plan.push_back((t0.plus(length), Step::End));
            }
            Medium::Email => {
                let work = dist::lognormal(rng, spec.handle, 60.0, 2700.0);
                let send = dist::uniform(rng, 1.0, 5.0);
                // Some customers write again before the answer: the reply
                // is still timed from their first mail.
                if dist::chance(rng, 0.3) {
                    plan.push_back((t0.plus(work / 2), Step::CustomerMessage));
                }
                // The answer is a message: it is also the first response.
                plan.push_back((t0.plus(work), Step::AgentMessage));
                plan.push_back((t0.plus(work + send), Step::End));
            }
        }
        plan
    }

    pub(super) fn on_step(&mut self, n: u64) {
        let Some(c) = self.contacts.get_mut(&n) else {
            return;
        };
        let Phase::Connected { agent: a, .. } = c.phase else {
            return;
        };
        let Some((_, step)) = c.plan.pop_front() else {
            return;
        };
        if let Some(&(at, _)) = c.plan.front() {
            self.schedule(at, Action::Step(n));
        }
        let id = contact_id(n).into();
        match step {
            Step::Hold | Step::Resume => {
                let hold = step == Step::Hold;
                if let Some(Contact {
                    phase: Phase::Connected { on_hold, .. },
                    ..
                }) = self.contacts.get_mut(&n)
                {
                    *on_hold = hold;
                }
                self.emit(if hold {
                    EventKind::Hold { contact: id }
                } else {
                    EventKind::Resumed { contact: id }
                });
            }
            Step::FirstResponse => {
                let agent = Some(self.agents[a].spec.id.into());
                self.emit(EventKind::FirstResponse { contact: id, agent });
            }
            Step::CustomerMessage => self.emit(EventKind::Message {
                contact: id,
                from: Sender::Customer,
                agent: None,
            }),
            Step::AgentMessage => {
                let agent = Some(self.agents[a].spec.id.into());
                self.emit(EventKind::Message {
                    contact: id,
                    from: Sender::Agent,
                    agent,
                });
            }
            Step::Transfer(to) => self.transfer(n, a, to),
            Step::End => self.end(n, a),
        }
    }

    /// The agent lets go of contact `n`; wrap-up follows unless the agent
    /// still has other work. Emits the wrap-up first, so the agent goes
    /// straight from the contact to wrap-up on the feed.
    fn release(&mut self, n: u64, a: usize, queue: usize) -> bool {
        let agent = &self.agents[a];
        let wraps = agent.load() == 1;
        if wraps {
            self.start_wrap(a, queue);
        }
        let agent = &mut self.agents[a];
        agent.contacts.retain(|c| *c != n);
        if agent.load() == 0 {
            agent.mode = None;
        }
        if agent.contacts.is_empty() {
            // Shown as something else than on contact from now.
            agent.since = self.now;
        }
        agent.free_since = self.now;
        wraps
    }

    /// A second `contact.queued` while connected: a transfer.
    fn transfer(&mut self, n: u64, a: usize, to: usize) {
        let Some(c) = self.contacts.get(&n) else {
            return;
        };
        let (from, customer, medium, priority) = (c.queue, c.customer, c.medium, c.priority);
        let wraps = self.release(n, a, from);
        if let Some(c) = self.contacts.get_mut(&n) {
            c.queue = to;
            c.wait_no += 1;
            c.wait_since = self.now;
            c.phase = Phase::Waiting;
            c.plan.clear();
        }
        self.emit(EventKind::Queued {
            contact: contact_id(n).into(),
            queue: QUEUES[to].id.into(),
            channel: Some(medium.channel().into()),
            customer: Some(customer_id(customer).into()),
            priority: sent(priority),
        });
        self.start_wait(n);
        if !wraps {
            self.agent_freed(a);
        }
    }

    fn end(&mut self, n: u64, a: usize) {
        let Some(c) = self.contacts.get(&n) else {
            return;
        };
        let (q, customer) = (c.queue, c.customer);
        let wraps = self.release(n, a, q);
        self.contacts.remove(&n);
        let resolved = dist::chance(&mut self.rng, QUEUES[q].resolve_p);
        self.emit(EventKind::Ended {
            contact: contact_id(n).into(),
            resolved: Some(resolved),
        });
        if dist::chance(&mut self.rng, SURVEY_P) {
            self.schedule_survey(n, resolved);
        }
        if !resolved && dist::chance(&mut self.rng, RETURN_P) {
            let later = dist::lognormal(
                &mut self.rng,
                Dur {
                    mean_s: 2700.0,
                    cv: 0.6,
                },
                600.0,
                10_800.0,
            );
            self.schedule(self.now.plus(later), Action::Return { queue: q, customer });
        }
        if !wraps {
            self.agent_freed(a);
        }
    }

    /// The customer answers the survey a few minutes after the end:
    /// mostly satisfied when the issue was resolved, mostly not otherwise.
    fn schedule_survey(&mut self, n: u64, resolved: bool) {
        let rng = &mut self.rng;
        let later = dist::lognormal(
            rng,
            Dur {
                mean_s: 150.0,
                cv: 0.6,
            },
            20.0,
            900.0,
        );
        // (lowest, how many values): csat 3-5 or 1-3, nps 6-10 or 0-7.
        let ((c_lo, c_n), (n_lo, n_n)) = if resolved {
            ((3, 3), (6, 5))
        } else {
            ((1, 3), (0, 8))
        };
        let csat = (!dist::chance(rng, 0.1)).then(|| c_lo + dist::pick(rng, c_n) as u8);
        let nps = dist::chance(rng, 0.7).then(|| n_lo + dist::pick(rng, n_n) as u8);
        self.schedule(
            self.now.plus(later),
            Action::Survey {
                contact: n,
                csat,
                nps,
            },
        );
    }

    pub(super) fn on_survey(&mut self, n: u64, csat: Option<u8>, nps: Option<u8>) {
        if csat.is_none() && nps.is_none() {
            return;
        }
        self.emit(EventKind::Survey {
            contact: contact_id(n).into(),
            csat: csat.and_then(|c| Csat::new(c.into())),
            nps: nps.and_then(|v| Nps::new(v.into())),
        });
    }

    pub(super) fn on_abandon(&mut self, n: u64, wait_no: u32) {
        let Some(c) = self.contacts.get(&n) else {
            return;
        };
        if c.wait_no != wait_no {
            return;
        }
        let offered_to = match c.phase {
            Phase::Waiting => None,
            Phase::Ringing { agent } => Some(agent),
            Phase::Connected { .. } => return,
        };
        let q = c.queue;
        self.queues[q].waiting.retain(|w| *w != n);
        self.contacts.remove(&n);
        self.emit(EventKind::Abandoned {
            contact: contact_id(n).into(),
        });
        if let Some(a) = offered_to {
            let agent = &mut self.agents[a];
            agent.reserved = agent.reserved.saturating_sub(1);
            self.agent_freed(a);
        }
    }
}
