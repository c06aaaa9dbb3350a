//! A loopback server speaking just enough of AMI's text protocol (banner,
//! login, `Key: Value` blocks, pings) for the client's tests; also used by
//! the binary's tests.
#![allow(dead_code)]

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// Reads one AMI block (until a blank line) from the client.
pub async fn read_block(
    r: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).await.unwrap_or(0) == 0 {
            return out;
        }
        let line = line.trim_end();
        if line.is_empty() {
            if out.is_empty() {
                continue;
            }
            return out;
        }
        if let Some((k, v)) = line.split_once(": ") {
            out.push((k.to_string(), v.to_string()));
        }
    }
}

pub fn field<'a>(b: &'a [(String, String)], k: &str) -> Option<&'a str> {
    b.iter().find(|(x, _)| x == k).map(|(_, v)| v.as_str())
}

/// Banner and login; answers as the secret deserves. Returns the halves
/// when logged in.
pub async fn greet(
    s: TcpStream,
    secret: &str,
) -> Option<(
    BufReader<tokio::net::tcp::OwnedReadHalf>,
    tokio::net::tcp::OwnedWriteHalf,
)> {
    let (r, mut w) = s.into_split();
    let mut r = BufReader::new(r);
    w.write_all(b"Asterisk Call Manager/9.0.0\r\n").await.ok()?;
    let login = read_block(&mut r).await;
    assert_eq!(field(&login, "Action"), Some("Login"));
    assert_eq!(field(&login, "Username"), Some("queuetop"));
    let id = field(&login, "ActionID").unwrap_or("").to_string();
    if field(&login, "Secret") != Some(secret) {
        let msg =
            format!("Response: Error\r\nActionID: {id}\r\nMessage: Authentication failed\r\n\r\n");
        w.write_all(msg.as_bytes()).await.ok()?;
        return None;
    }
    let ok = format!(
        "Response: Success\r\nActionID: {id}\r\nMessage: Authentication accepted\r\n\r\n\
         Event: FullyBooted\r\nPrivilege: system,all\r\nStatus: Fully Booted\r\n\r\n"
    );
    w.write_all(ok.as_bytes()).await.ok()?;
    Some((r, w))
}

/// Answers pings with pongs until the client goes away.
pub async fn pong_forever(
    mut r: BufReader<tokio::net::tcp::OwnedReadHalf>,
    mut w: tokio::net::tcp::OwnedWriteHalf,
) {
    loop {
        let b = read_block(&mut r).await;
        if b.is_empty() {
            return;
        }
        if field(&b, "Action") == Some("Ping") {
            let id = field(&b, "ActionID").unwrap_or("");
            let msg = format!(
                "Response: Success\r\nActionID: {id}\r\nPing: Pong\r\nTimestamp: 1795424400.000000\r\n\r\n"
            );
            if w.write_all(msg.as_bytes()).await.is_err() {
                return;
            }
        }
    }
}
