//! An agent's recent display states, newest last (the details view lists
//! them). Times and states are kept apart: as pairs, each 1-byte state
//! would take 8 bytes of padding, and a floor holds 50,000 agents.

use super::live::DisplayState;
use crate::time::Ts;

/// How many recent display states an agent remembers.
pub const AGENT_HISTORY: usize = 8;

#[derive(Clone, Debug)]
pub struct Recent {
    at: [Ts; AGENT_HISTORY],
    shown: [DisplayState; AGENT_HISTORY],
    len: u8,
}

impl Default for Recent {
    fn default() -> Self {
        Recent {
            at: [Ts(0); AGENT_HISTORY],
            shown: [DisplayState::Available; AGENT_HISTORY],
            len: 0,
        }
    }
}

impl Recent {
    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds the newest; past [`AGENT_HISTORY`] the oldest goes.
    pub fn push(&mut self, at: Ts, shown: DisplayState) {
        let n = self.len();
        if n == AGENT_HISTORY {
            self.at.copy_within(1.., 0);
            self.shown.copy_within(1.., 0);
            self.at[n - 1] = at;
            self.shown[n - 1] = shown;
        } else {
            self.at[n] = at;
            self.shown[n] = shown;
            self.len += 1;
        }
    }

    pub fn last(&self) -> Option<(Ts, DisplayState)> {
        self.len()
            .checked_sub(1)
            .map(|i| (self.at[i], self.shown[i]))
    }

    /// Oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (Ts, DisplayState)> + '_ {
        let n = self.len();
        self.at[..n]
            .iter()
            .copied()
            .zip(self.shown[..n].iter().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_go_past_the_bound_and_order_stays() {
        let mut r = Recent::default();
        assert_eq!(r.last(), None);
        for i in 0..11 {
            let shown = if i % 2 == 0 {
                DisplayState::Available
            } else {
                DisplayState::Away
            };
            r.push(Ts(i), shown);
        }
        assert_eq!(r.len(), AGENT_HISTORY);
        let times: Vec<i64> = r.iter().map(|(t, _)| t.0).collect();
        assert_eq!(times, [3, 4, 5, 6, 7, 8, 9, 10]);
        assert_eq!(r.last(), Some((Ts(10), DisplayState::Available)));
        assert_eq!(r.iter().next(), Some((Ts(3), DisplayState::Away)));
    }
}
