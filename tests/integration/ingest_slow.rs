//! The webhook listener against clients that misbehave on purpose, and a
//! webhook followed all the way to a reader: `relay --listen` with a real
//! nats-server on loopback, requests over raw TCP.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::ingest::{form, free_port, post, sign, wait_up};
use crate::nats::broker::Broker;

const FORM: &str = "application/x-www-form-urlencoded";

fn relay(dir: &std::path::Path, broker: &Broker, port: u16, site: &str) -> std::process::Child {
    super::ingest::relay_with(
        dir,
        broker,
        port,
        &[
            "--dialect",
            "twilio",
            "--read-timeout",
            "2s",
            "--site",
            site,
        ],
    )
}

/// Whether the server has closed (or answered) `s`: a read that returns,
/// with the end of the stream (0 bytes) or an answer (any).
fn closed(s: &mut TcpStream) -> bool {
    let mut buf = [0u8; 512];
    match s.read(&mut buf) {
        Ok(0) => true,
        Ok(_n) => true,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    }
}

/// A client that sends its headers a byte at a time and never ends them
/// is cut off within the read timeout (plus slack), and meanwhile other
/// requests are answered at once.
#[test]
fn a_client_dribbling_headers_is_cut_off_and_stalls_nobody() {
    let dir = tempfile::tempdir().unwrap();
    let broker = Broker::start(dir.path());
    let port = free_port();
    let mut child = relay(dir.path(), &broker, port, "slow");
    wait_up(port);

    let mut slow: Vec<TcpStream> = (0..4)
        .map(|_| {
            let s = TcpStream::connect(("127.0.0.1", port)).unwrap();
            s.set_read_timeout(Some(Duration::from_millis(10))).unwrap();
            s
        })
        .collect();
    let head = b"POST /twilio HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ";
    let params = [
        ("EventType", "task.created"),
        ("TaskSid", "WT1"),
        ("TaskQueueSid", "WQ1"),
        ("TaskQueueName", "Sales"),
        ("Timestamp", "1700000000"),
    ];
    let body = form(&params);
    let good = sign(&params);
    let start = Instant::now();
    let mut cut: Vec<Option<Duration>> = vec![None; slow.len()];
    let mut sent = 0usize;
    let mut answered_meanwhile = 0;
    while cut.iter().any(Option::is_none) && start.elapsed() < Duration::from_secs(20) {
        for (i, s) in slow.iter_mut().enumerate() {
            if cut[i].is_some() {
                continue;
            }
            // The header never ends: after the real ones, padding forever.
            let byte = head.get(sent).copied().unwrap_or(b'a');
            if s.write_all(&[byte]).is_err() || closed(s) {
                cut[i] = Some(start.elapsed());
            }
        }
        sent += 1;
        // A well-behaved request in the middle of it all is answered at once.
        if sent % 3 == 0 && cut.iter().all(Option::is_none) {
            let t = Instant::now();
            let code = post(
                port,
                "/twilio",
                FORM,
                &[("X-Twilio-Signature", &good)],
                body.as_bytes(),
            );
            assert_eq!(code, 200);
            assert!(
                t.elapsed() < Duration::from_secs(1),
                "stalled: {:?}",
                t.elapsed()
            );
            answered_meanwhile += 1;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        answered_meanwhile >= 2,
        "no request was tried while the slow ones hung on"
    );
    for (i, c) in cut.iter().enumerate() {
        let c = c.unwrap_or_else(|| panic!("slow client {i} was never cut off"));
        // --read-timeout 2s: cut off after it, well before 20 s.
        assert!(c >= Duration::from_millis(1500), "client {i} cut at {c:?}");
        assert!(c < Duration::from_secs(8), "client {i} cut only at {c:?}");
    }
    assert!(child.try_wait().unwrap().is_none(), "the relay exited");
    let _ = child.kill();
    let _ = child.wait();
}

/// A signed Twilio callback taken by the relay reaches a NATS reader's
/// snapshot: the task's queue has it waiting.
#[test]
fn a_webhook_reaches_a_readers_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let broker = Broker::start(dir.path());
    let port = free_port();
    let mut child = relay(dir.path(), &broker, port, "hooks");
    wait_up(port);
    let now_s = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string();
    for task in ["WT1", "WT2"] {
        let params = [
            ("EventType", "task.created"),
            ("TaskSid", task),
            ("TaskQueueSid", "WQ1"),
            ("TaskQueueName", "Sales"),
            ("Timestamp", now_s.as_str()),
        ];
        let code = post(
            port,
            "/twilio",
            FORM,
            &[("X-Twilio-Signature", &sign(&params))],
            form(&params).as_bytes(),
        );
        assert_eq!(code, 200);
    }
    let out = Command::new(env!("CARGO_BIN_EXE_queuetop"))
        .args([
            "snapshot",
            "--url",
            &broker.url(),
            "--subject",
            "queuetop.hooks.events",
            "--after",
            "3s",
            "--window",
            "today",
        ])
        .current_dir(dir.path())
        .env("XDG_CONFIG_HOME", dir.path())
        .env("HOME", dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(v["totals"]["waiting"], 2, "{v}");
    assert_eq!(v["totals"]["entered"], 2, "{v}");
    let queues = v["queues"].as_array().unwrap();
    assert_eq!(queues.len(), 1, "{v}");
    assert_eq!(queues[0]["waiting"], 2, "{v}");
}
