//! `relay --listen` against a real nats-server and real HTTP requests on
//! loopback: signed Twilio callbacks are taken, unsigned or wrongly signed
//! ones get 403, an oversized body 413, EventBridge needs its secret. The
//! signature is computed here as Twilio documents it, with the crates
//! directly: base64(HMAC-SHA1(token, URL + sorted name/value pairs)).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

use base64::Engine;
use hmac::{Hmac, Mac};

use crate::nats::broker::Broker;

pub(super) const TOKEN: &str = "12345";
pub(super) const URL: &str = "https://hooks.example.com/twilio";

pub(super) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub(super) fn sign(params: &[(&str, &str)]) -> String {
    let mut sorted = params.to_vec();
    sorted.sort();
    let mut data = URL.to_string();
    for (k, v) in sorted {
        data.push_str(k);
        data.push_str(v);
    }
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(TOKEN.as_bytes()).unwrap();
    mac.update(data.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

pub(super) fn form(params: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish()
}

/// One request; the status code of the answer.
pub(super) fn post(
    port: u16,
    path: &str,
    ctype: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> u16 {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut req = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    let _ = s.write_all(body);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out);
    text.split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

pub(super) fn wait_up(port: u16) {
    for _ in 0..200 {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the relay did not listen");
}

/// The relay taking webhooks on `port` (the test's token and secret in
/// its environment), with `extra` flags.
pub(super) fn relay_with(
    dir: &std::path::Path,
    broker: &Broker,
    port: u16,
    extra: &[&str],
) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_queuetop"))
        .args([
            "relay",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--public-url",
            URL,
            "--to",
            &broker.url(),
        ])
        .args(extra)
        .current_dir(dir)
        .env("XDG_CONFIG_HOME", dir)
        .env("HOME", dir)
        .env("QUEUETOP_TWILIO_AUTH_TOKEN", TOKEN)
        .env("QUEUETOP_WEBHOOK_SECRET", "s3cret")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn relay(dir: &std::path::Path, broker: &Broker, port: u16, dialect: &str) -> std::process::Child {
    relay_with(
        dir,
        broker,
        port,
        &["--dialect", dialect, "--max-body", "1048576"],
    )
}

#[test]
fn twilio_signed_accepted_bad_refused() {
    let dir = tempfile::tempdir().unwrap();
    let broker = Broker::start(dir.path());
    let port = free_port();
    let mut child = relay(dir.path(), &broker, port, "twilio");
    wait_up(port);
    let params = [
        ("EventType", "task.created"),
        ("TaskSid", "WT1"),
        ("TaskQueueSid", "WQ1"),
        ("TaskQueueName", "Sales"),
        ("Timestamp", "1700000000"),
    ];
    let body = form(&params);
    let ct = "application/x-www-form-urlencoded";
    let good = sign(&params);
    assert_eq!(
        post(
            port,
            "/twilio",
            ct,
            &[("X-Twilio-Signature", &good)],
            body.as_bytes()
        ),
        200
    );
    assert_eq!(post(port, "/twilio", ct, &[], body.as_bytes()), 403);
    let wrong = sign(&[("EventType", "task.canceled")]);
    assert_eq!(
        post(
            port,
            "/twilio",
            ct,
            &[("X-Twilio-Signature", &wrong)],
            body.as_bytes()
        ),
        403
    );
    assert_eq!(post(port, "/twilio", "application/json", &[], b"{}"), 415);
    assert_eq!(post(port, "/nowhere", ct, &[], b""), 404);
    let big = vec![b'a'; 10 * 1024 * 1024];
    assert_eq!(
        post(port, "/twilio", ct, &[("X-Twilio-Signature", &good)], &big),
        413
    );
    // Still serving after all that.
    assert_eq!(
        post(
            port,
            "/twilio",
            ct,
            &[("X-Twilio-Signature", &good)],
            body.as_bytes()
        ),
        200
    );
    assert!(child.try_wait().unwrap().is_none(), "the relay exited");
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn eventbridge_needs_the_secret() {
    let dir = tempfile::tempdir().unwrap();
    let broker = Broker::start(dir.path());
    let port = free_port();
    let mut child = relay(dir.path(), &broker, port, "amazon-connect");
    wait_up(port);
    let ct = "application/json";
    let body = br#"{"detail-type":"Amazon Connect Contact Event","detail":{}}"#;
    assert_eq!(
        post(
            port,
            "/eventbridge",
            ct,
            &[("X-Queuetop-Secret", "s3cret")],
            body
        ),
        200
    );
    assert_eq!(
        post(
            port,
            "/eventbridge",
            ct,
            &[("X-Queuetop-Secret", "nope")],
            body
        ),
        403
    );
    assert_eq!(post(port, "/eventbridge", ct, &[], body), 403);
    assert_eq!(
        post(
            port,
            "/eventbridge",
            ct,
            &[("X-Queuetop-Secret", "s3cret")],
            b"not json"
        ),
        400
    );
    assert_eq!(post(port, "/twilio", ct, &[], body), 404);
    let _ = child.kill();
    let _ = child.wait();
}

/// Requests hyper refuses before the listener's own checks (garbage: 400; a
/// header block over its limit: 431) are counted like the others: the
/// relay logs each kind and the totals at stop.
#[test]
fn requests_refused_before_the_handler_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let broker = Broker::start(dir.path());
    let port = free_port();
    let log = dir.path().join("relay.log");
    let log_arg = log.to_string_lossy().into_owned();
    let mut child = relay_with(
        dir.path(),
        &broker,
        port,
        &["--dialect", "twilio", "--log", &log_arg],
    );
    wait_up(port);

    let raw = |bytes: &[u8]| -> String {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        // The server may answer and close before reading all of it.
        let _ = s.write_all(bytes);
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    };
    let answer = raw(b"\x16\x03\x01 this is not HTTP\r\n\r\n");
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer:?}");
    let mut big = b"POST /twilio HTTP/1.1\r\nHost: 127.0.0.1\r\n".to_vec();
    for i in 0..64 {
        big.extend_from_slice(format!("X-Pad-{i}: {}\r\n", "a".repeat(8 * 1024)).as_bytes());
    }
    big.extend_from_slice(b"\r\n");
    raw(&big);
    // Still serving.
    assert_eq!(post(port, "/nowhere", "text/plain", &[], b""), 404);

    assert!(
        Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap()
            .success()
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while child.try_wait().unwrap().is_none() {
        assert!(
            std::time::Instant::now() < deadline,
            "the relay did not stop"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("rejected (malformed)"), "{text}");
    assert!(text.contains("rejected (too_large)"), "{text}");
    assert!(
        text.contains("malformed=1 ")
            && text.contains("not_found=1 ")
            && text.contains("too_large=1 "),
        "{text}"
    );
}
