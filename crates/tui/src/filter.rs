//! The filter language: words that must all hold for a row to be shown.
//!
//! - `word`: the row's id, name, state or queues contain it (any case);
//! - `!term`: the term must not hold;
//! - `field:value`: `state:` (a state word, or the start of one: `state:av`),
//!   `queue:` (a queue's id or name; for an agent, the queues it serves),
//!   `reason:` (an away reason), `name:`, `id:`, `agent:` (an agent's id or
//!   name), `site:` (a row's site, in a view of several; with one feed no
//!   row has one, so it matches nothing);
//! - `"two words"` and `queue:"tech support"` keep spaces in one value.
//!
//! A field a table does not have is skipped on that table: `state:away`
//! narrows the agents and leaves the queues whole. Pure: no floor, no
//! terminal; the rows are seen through [`Subject`].

use std::fmt;

use queuetop_engine::floor::DisplayState;

use crate::fit::contains_ci;

/// A field a term can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    State,
    Queue,
    Reason,
    Name,
    Id,
    Agent,
    Site,
}

impl Field {
    const NAMES: &'static [(&'static str, Field)] = &[
        ("state", Field::State),
        ("queue", Field::Queue),
        ("reason", Field::Reason),
        ("name", Field::Name),
        ("id", Field::Id),
        ("agent", Field::Agent),
        ("site", Field::Site),
    ];

    fn parse(key: &str) -> Option<Field> {
        let key = key.to_lowercase();
        Self::NAMES.iter().find(|(n, _)| *n == key).map(|(_, f)| *f)
    }
}

/// Every word a state answers to: the JSON's and the screen's.
fn state_words(s: DisplayState) -> &'static [&'static str] {
    match s {
        DisplayState::OnContact => &["on_contact", "on contact", "on-contact"],
        DisplayState::Available => &["available"],
        DisplayState::Busy => &["busy"],
        DisplayState::WrapUp => &["wrap_up", "wrap-up", "wrap up"],
        DisplayState::Away => &["away"],
        DisplayState::Offline => &["offline"],
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Test {
    /// A bare word, lowercased.
    Text(String),
    /// The states a `state:` value names (at least one).
    State(Vec<DisplayState>),
    /// Any other field, its value lowercased.
    Field(Field, String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Term {
    negated: bool,
    test: Test,
}

/// A parsed filter: every term must hold. The empty filter shows all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    terms: Vec<Term>,
}

/// Why a filter could not be read, in a line for the footer or stderr.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilterError(pub String);

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FilterError {}

/// What a row offers the filter. `None` from `state` or `reason` means the
/// table has no such field (the term is skipped); an agent who is not away
/// has the field and no value (`reason:x` does not match it).
pub trait Subject {
    fn id(&self) -> &str;
    fn name(&self) -> Option<&str>;
    /// Whether this is an agent (`agent:` applies).
    fn is_agent(&self) -> bool;
    fn state(&self) -> Option<DisplayState>;
    fn reason(&self) -> Option<Option<&str>>;
    /// Whether any queue of the row (its own for a queue, those served for
    /// an agent) has an id or name containing `needle` (lowercase).
    fn any_queue(&self, needle: &str) -> bool;
    fn site(&self) -> Option<&str> {
        None
    }
}

impl Filter {
    pub fn parse(text: &str) -> Result<Filter, FilterError> {
        let mut terms = Vec::new();
        for (negated, key, value) in tokens(text) {
            let test = match key {
                None if value.is_empty() && negated => {
                    return Err(FilterError("`!` needs a term after it".into()));
                }
                None if value.is_empty() => continue,
                None => Test::Text(value.to_lowercase()),
                Some(key) => {
                    let field = Field::parse(&key).ok_or_else(|| {
                        FilterError(format!(
                            "unknown field `{key}:` (state, queue, reason, name, id, agent, site)"
                        ))
                    })?;
                    if value.is_empty() {
                        return Err(FilterError(format!("`{key}:` needs a value")));
                    }
                    let value = value.to_lowercase();
                    if field == Field::State {
                        let states: Vec<DisplayState> = DisplayState::ALL
                            .into_iter()
                            .filter(|s| state_words(*s).iter().any(|w| w.starts_with(&value)))
                            .collect();
                        if states.is_empty() {
                            return Err(FilterError(format!(
                                "unknown state `{value}` (available, on_contact, wrap_up, busy, away, offline)"
                            )));
                        }
                        Test::State(states)
                    } else {
                        Test::Field(field, value)
                    }
                }
            };
            terms.push(Term { negated, test });
        }
        Ok(Filter { terms })
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether the filter names a field (for builders that gather a field
    /// only when asked for it).
    pub fn uses(&self, field: Field) -> bool {
        self.terms.iter().any(|t| match &t.test {
            Test::Field(f, _) => *f == field,
            Test::State(_) => field == Field::State,
            Test::Text(_) => false,
        })
    }

    pub fn matches(&self, row: &impl Subject) -> bool {
        self.terms
            .iter()
            .all(|t| test(&t.test, row).is_none_or(|hit| hit != t.negated))
    }
}

/// Whether `t` holds for `row`; `None` when the row has no such field.
fn test(t: &Test, row: &impl Subject) -> Option<bool> {
    let has = |s: Option<&str>, n: &str| s.is_some_and(|s| contains_ci(s, n));
    Some(match t {
        Test::Text(n) => {
            contains_ci(row.id(), n)
                || has(row.name(), n)
                || row
                    .state()
                    .is_some_and(|s| state_words(s).iter().any(|w| w.contains(n.as_str())))
                || row.any_queue(n)
        }
        Test::State(set) => set.contains(&row.state()?),
        Test::Field(Field::Reason, n) => has(row.reason()?, n),
        Test::Field(Field::Queue, n) => row.any_queue(n),
        Test::Field(Field::Name, n) => has(row.name(), n),
        Test::Field(Field::Id, n) => contains_ci(row.id(), n),
        Test::Field(Field::Agent, n) => {
            if !row.is_agent() {
                return None;
            }
            contains_ci(row.id(), n) || has(row.name(), n)
        }
        Test::Field(Field::Site, n) => has(row.site(), n),
        Test::Field(Field::State, _) => unreachable!("state terms are parsed to Test::State"),
    })
}

/// Splits into (negated, field, value) terms at unquoted whitespace. A
/// double quote keeps spaces until the next quote (an unclosed one runs to
/// the end, so a filter being typed reads as it looks). A colon before any
/// quote splits the field from the value.
fn tokens(text: &str) -> Vec<(bool, Option<String>, String)> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return out;
        }
        let negated = chars.next_if_eq(&'!').is_some();
        let mut key = None;
        let mut value = String::new();
        let mut quoted = false;
        let mut seen_quote = false;
        while let Some(c) = chars.next_if(|c| quoted || !c.is_whitespace()) {
            match c {
                '"' => {
                    quoted = !quoted;
                    seen_quote = true;
                }
                ':' if !seen_quote && key.is_none() => key = Some(std::mem::take(&mut value)),
                c => value.push(c),
            }
        }
        out.push((negated, key, value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(Clone, Debug)]
    struct Row {
        id: String,
        name: Option<String>,
        agent: bool,
        state: Option<DisplayState>,
        reason: Option<Option<String>>,
        queues: Vec<(String, String)>,
    }

    impl Subject for Row {
        fn id(&self) -> &str {
            &self.id
        }
        fn name(&self) -> Option<&str> {
            self.name.as_deref()
        }
        fn is_agent(&self) -> bool {
            self.agent
        }
        fn state(&self) -> Option<DisplayState> {
            self.state
        }
        fn reason(&self) -> Option<Option<&str>> {
            self.reason.as_ref().map(|r| r.as_deref())
        }
        fn any_queue(&self, n: &str) -> bool {
            self.queues
                .iter()
                .any(|(id, name)| contains_ci(id, n) || contains_ci(name, n))
        }
    }

    fn agent(id: &str, name: &str, state: DisplayState, reason: Option<&str>, q: &[&str]) -> Row {
        Row {
            id: id.into(),
            name: Some(name.into()),
            agent: true,
            state: Some(state),
            reason: Some(reason.map(Into::into)),
            queues: q
                .iter()
                .map(|q| (q.to_string(), q.to_uppercase()))
                .collect(),
        }
    }

    fn queue(id: &str, name: &str) -> Row {
        Row {
            id: id.into(),
            name: Some(name.into()),
            agent: false,
            state: None,
            reason: None,
            queues: vec![(id.into(), name.into())],
        }
    }

    fn m(f: &str, r: &Row) -> bool {
        Filter::parse(f).expect("parses").matches(r)
    }

    #[test]
    fn bare_words_are_substrings_in_any_case() {
        let a = agent("a1", "Ana Silva", DisplayState::Available, None, &["sales"]);
        assert!(m("", &a));
        assert!(m("SIL", &a));
        assert!(m("avail", &a));
        assert!(m("sales", &a));
        assert!(!m("billing", &a));
        let q = queue("tech", "Tech Support");
        assert!(m("support", &q));
        assert!(!m("avail", &q));
    }

    #[test]
    fn fields_negation_and_and() {
        let a = agent("a1", "Ana", DisplayState::Away, Some("Lunch"), &["billing"]);
        let b = agent("a2", "Bo", DisplayState::OnContact, None, &["sales"]);
        assert!(m("state:away", &a) && !m("state:away", &b));
        assert!(m("state:on_contact", &b) && m("state:\"on contact\"", &b));
        assert!(
            m("state:on", &b)
                && m(
                    "state:wrap-up",
                    &agent("x", "x", DisplayState::WrapUp, None, &[])
                )
        );
        assert!(m("reason:lunch", &a) && !m("reason:lunch", &b));
        assert!(m("queue:billing", &a) && m("queue:BILL", &a) && !m("queue:billing", &b));
        assert!(m("!state:away", &b) && !m("!state:away", &a));
        assert!(m("state:away queue:billing", &a));
        assert!(!m("state:away queue:sales", &a));
        assert!(m("agent:ana id:a1 name:an", &a));
        assert!(!m("site:lisbon", &a) && m("!site:lisbon", &a));
    }

    #[test]
    fn fields_a_table_lacks_are_skipped() {
        let q = queue("tech", "Tech Support");
        assert!(m("state:away", &q) && m("!state:away", &q));
        assert!(m("reason:lunch", &q) && m("agent:ana", &q));
        assert!(m("queue:\"tech support\"", &q));
        assert!(!m("queue:billing", &q));
        assert!(m("name:support", &q) && !m("site:x", &q));
    }

    #[test]
    fn bad_filters_say_why() {
        let e = |f: &str| Filter::parse(f).expect_err(f).0;
        assert!(e("state:bogus").contains("unknown state `bogus`"));
        assert!(e("colour:red").contains("unknown field `colour:`"));
        assert!(e("queue:").contains("needs a value"));
        assert!(e("!").contains("needs a term"));
        assert!(Filter::parse("  ").expect("blank").is_empty());
        // An unclosed quote runs to the end: a filter being typed.
        let q = queue("tech", "Tech Support");
        assert!(m("queue:\"tech sup", &q));
    }

    fn arb_row() -> impl Strategy<Value = Row> {
        (
            "[a-c]{0,3}",
            proptest::option::of("[a-c ]{0,4}"),
            any::<bool>(),
            proptest::sample::select(DisplayState::ALL.to_vec()),
            proptest::option::of("[a-c]{0,3}"),
            proptest::collection::vec(("[a-c]{0,2}", "[a-c]{0,2}"), 0..3),
        )
            .prop_map(|(id, name, agent, state, reason, queues)| Row {
                id,
                name,
                agent,
                state: agent.then_some(state),
                reason: agent.then_some(reason),
                queues,
            })
    }

    proptest! {
        #[test]
        fn never_panics(text in "\\PC{0,40}", row in arb_row()) {
            if let Ok(f) = Filter::parse(&text) {
                let _ = f.matches(&row);
            }
        }

        /// On every row, exactly one of `x` and `!x` holds (for a term the
        /// row's table has: a skipped term holds both ways, by design).
        #[test]
        fn a_term_and_its_negation_partition_the_rows(
            term in "(state:|queue:|reason:|name:|id:|agent:|site:)?[a-c]{1,3}",
            row in arb_row(),
        ) {
            let state_on_agent = term.starts_with("state:");
            let negated = format!("!{}", term);
            let (Ok(x), Ok(not_x)) = (Filter::parse(&term), Filter::parse(&negated)) else {
                // Only `state:` values that name no state fail, and both do.
                let both_fail = Filter::parse(&term).is_err() && Filter::parse(&negated).is_err();
                prop_assert!(state_on_agent && both_fail);
                return Ok(());
            };
            let skipped = !row.agent
                && ["state:", "reason:", "agent:"].iter().any(|p| term.starts_with(p));
            if skipped {
                prop_assert!(x.matches(&row) && not_x.matches(&row));
            } else {
                prop_assert_ne!(x.matches(&row), not_x.matches(&row));
            }
        }
    }
}
