//! The JetStream stream that keeps the day: the relay creates it or adds
//! its subject to it, with the retention asked for; a reader finds it by
//! its subject.

use std::time::Duration;

use async_nats::jetstream::{self, stream};

use crate::error::LinkError;

/// Default stream name: one stream for every site's subject.
pub const DEFAULT_STREAM: &str = "QUEUETOP";

/// What the relay asks of the stream.
#[derive(Clone, Debug)]
pub struct StreamPlan {
    pub name: String,
    pub subject: String,
    /// How long a frame is kept.
    pub max_age: Duration,
}

/// Creates the stream, or updates it so it carries our subject with our
/// retention. A stream of that name shared with other sites keeps their
/// subjects.
pub async fn ensure(
    js: &jetstream::Context,
    plan: &StreamPlan,
) -> Result<stream::Stream, LinkError> {
    match js.get_stream(&plan.name).await {
        Ok(mut s) => {
            let mut config = s
                .info()
                .await
                .map_err(|e| LinkError::new(format!("stream {}: {e}", plan.name)))?
                .config
                .clone();
            let covered = config
                .subjects
                .iter()
                .any(|s| subject_matches(s, &plan.subject));
            if !covered || config.max_age != plan.max_age {
                if !covered {
                    config.subjects.push(plan.subject.clone());
                }
                config.max_age = plan.max_age;
                js.update_stream(config)
                    .await
                    .map_err(|e| LinkError::new(format!("updating stream {}: {e}", plan.name)))?;
            }
            Ok(s)
        }
        Err(e)
            if matches!(
                e.kind(),
                jetstream::context::GetStreamErrorKind::JetStream(_)
            ) =>
        {
            js.create_stream(stream::Config {
                name: plan.name.clone(),
                subjects: vec![plan.subject.clone()],
                max_age: plan.max_age,
                storage: stream::StorageType::File,
                // A frame retried after a lost acknowledgement carries the
                // same message id and is stored once.
                duplicate_window: Duration::from_secs(120).min(plan.max_age),
                ..Default::default()
            })
            .await
            .map_err(|e| LinkError::new(format!("creating stream {}: {e}", plan.name)))
        }
        Err(e) => Err(LinkError::new(format!("stream {}: {e}", plan.name))),
    }
}

/// The stream that stores `subject` (which may hold wildcards).
pub async fn find(js: &jetstream::Context, subject: &str) -> Result<stream::Stream, LinkError> {
    let name = js
        .stream_by_subject(subject)
        .await
        .map_err(|e| LinkError::new(format!("no stream stores {subject}: {e}")))?;
    js.get_stream(&name)
        .await
        .map_err(|e| LinkError::new(format!("stream {name}: {e}")))
}

/// Whether a stream subject (with `*` and `>` wildcards) covers `subject`.
pub fn subject_matches(pattern: &str, subject: &str) -> bool {
    let mut p = pattern.split('.');
    let mut s = subject.split('.');
    loop {
        match (p.next(), s.next()) {
            (Some(">"), Some(_)) => return true,
            (Some("*"), Some(_)) => {}
            (Some(a), Some(b)) if a == b => {}
            (None, None) => return true,
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::subject_matches;

    #[test]
    fn wildcards_cover_subjects() {
        assert!(subject_matches(
            "queuetop.*.events",
            "queuetop.paris.events"
        ));
        assert!(subject_matches("queuetop.>", "queuetop.paris.events"));
        assert!(subject_matches("a.b", "a.b"));
        assert!(!subject_matches(
            "queuetop.*.events",
            "queuetop.paris.other"
        ));
        assert!(!subject_matches("a.b", "a.b.c"));
        assert!(!subject_matches("a.>", "a"));
    }
}
