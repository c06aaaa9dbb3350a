//! An `exec` action: the program run with no shell, the alert as JSON on
//! its stdin and in `QUEUETOP_ALERT_*` variables, killed at its timeout.
//! Its output is read as it comes (so a program that floods stdout never
//! blocks on a full pipe) and only the first few KiB are kept, for the log.
//!
//! The program runs in a process group of its own: at the timeout the whole
//! group is killed, so a script's children (`sh -c 'curl ... & wait'`) go
//! with it instead of living on, unseen, holding its pipes.

use std::process::Stdio;
use std::time::Duration;

use rustix::process::{Pid, Signal, kill_process_group};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::process::Command;

use super::message::AlertMessage;

/// How much of stdout and of stderr is kept.
pub const KEEP: usize = 4096;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExecOutcome {
    Success,
    /// Could not start, or exited non-zero (the reason, for the log).
    Failed(String),
    /// Still running at the timeout: killed.
    TimedOut,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecReport {
    pub outcome: ExecOutcome,
    /// Bytes the program wrote to stdout, all of them counted.
    pub stdout_bytes: u64,
    /// The start of its stdout and stderr (at most [`KEEP`] bytes each).
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// A running program's process group. Dropped while the program runs (the
/// task running the action was cancelled), it kills the group, as
/// `kill_on_drop` kills the program alone.
struct Group(Option<Pid>);

impl Group {
    fn kill(&self) {
        if let Some(pgid) = self.0 {
            // ESRCH (already gone) is what we wanted anyway.
            let _ = kill_process_group(pgid, Signal::KILL);
        }
    }

    fn disarm(&mut self) {
        self.0 = None;
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Reads `r` to its end, keeping the first [`KEEP`] bytes and counting all.
async fn drain<R: AsyncRead + Unpin>(mut r: R) -> (Vec<u8>, u64) {
    let mut kept = Vec::new();
    let mut total = 0u64;
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        match r.read(&mut buf).await {
            Ok(0) | Err(_) => return (kept, total),
            Ok(n) => {
                total += n as u64;
                let room = KEEP.saturating_sub(kept.len());
                kept.extend_from_slice(&buf[..n.min(room)]);
            }
        }
    }
}

pub async fn run(argv: &[String], msg: &AlertMessage, timeout: Duration) -> ExecReport {
    let failed = |why: String| ExecReport {
        outcome: ExecOutcome::Failed(why),
        stdout_bytes: 0,
        stdout: Vec::new(),
        stderr: Vec::new(),
    };
    let Some((program, args)) = argv.split_first() else {
        return failed("no program".into());
    };
    let mut cmd = Command::new(program);
    cmd.args(args)
        .envs(msg.env())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own group (pgid = its pid), so that its children can be
        // killed with it.
        .process_group(0)
        // Dropped means killed: nothing outlives its action.
        .kill_on_drop(true);
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => return failed(format!("cannot start {program}: {e}")),
    };
    let mut group = Group(child.id().and_then(|id| Pid::from_raw(id as i32)));
    let stdin = child.stdin.take();
    let json = msg.json();
    // The program may never read its stdin: write it on the side, and
    // give up quietly if it closes the pipe.
    let writer = tokio::spawn(async move {
        if let Some(mut w) = stdin {
            let _ = w.write_all(json.as_bytes()).await;
            let _ = w.shutdown().await;
        }
    });
    let out = child.stdout.take().map(|o| tokio::spawn(drain(o)));
    let err = child.stderr.take().map(|e| tokio::spawn(drain(e)));
    let status = tokio::time::timeout(timeout, child.wait()).await;
    writer.abort();
    let outcome = match status {
        Ok(Ok(s)) if s.success() => ExecOutcome::Success,
        Ok(Ok(s)) => ExecOutcome::Failed(format!("{program} exited with {s}")),
        Ok(Err(e)) => ExecOutcome::Failed(format!("{program}: {e}")),
        Err(_) => {
            // The leader is not reaped yet, so its pid still names this
            // group: kill every member, then reap the leader.
            group.kill();
            let _ = child.kill().await;
            ExecOutcome::TimedOut
        }
    };
    // Reaped: its pid may name another process from here on.
    group.disarm();
    // The program is gone; its pipes end unless it left children holding
    // them: wait a little for what it wrote, then leave them.
    let collect = |h: Option<tokio::task::JoinHandle<(Vec<u8>, u64)>>| async move {
        match h {
            Some(h) => {
                let abort = h.abort_handle();
                match tokio::time::timeout(Duration::from_millis(500), h).await {
                    Ok(Ok(r)) => r,
                    _ => {
                        abort.abort();
                        (Vec::new(), 0)
                    }
                }
            }
            None => (Vec::new(), 0),
        }
    };
    let (stdout, stdout_bytes) = collect(out).await;
    let (stderr, _) = collect(err).await;
    ExecReport {
        outcome,
        stdout_bytes,
        stdout,
        stderr,
    }
}
