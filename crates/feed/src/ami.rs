//! The Asterisk Manager Interface over TCP: `--url ami://USER@HOST:5038`.
//!
//! AMI is a line protocol: a banner line (`Asterisk Call Manager/5.0.1`),
//! then blocks of `Key: Value` lines ended by a blank line (CRLF; bare LF is
//! accepted). We log in with `Action: Login` (the secret comes from the
//! environment or a file, never the command line), then every event block
//! is turned into one JSON object with AMI's keys and string values, the
//! very form AMI-to-WebSocket bridges send, and handed on as a text frame
//! for the Asterisk dialect. Answers to our `Action: Ping` are handed on
//! too (the dialect reads them as heartbeats).
//!
//! [`AmiTransport`] and [`AmiLink`] are a [`Transport`] and its [`Link`],
//! so the AMI source runs under the same supervisor as the WebSocket
//! client, with the same rules: our `Action: Ping` every `ping_interval`,
//! nothing heard for `idle_timeout` means the link is dead, reconnect with
//! backoff, and a refused login shows as an authentication failure.
//!
//! Every byte from the server is hostile: lines and blocks are bounded,
//! bad UTF-8 is replaced, a block too large is skipped and counted. A line
//! over [`MAX_LINE`] is dropped as it arrives and ends its block there (the
//! block is counted as too large); reading resumes at the next line.

use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::mpsc;

use super::Secret;
use super::error::LinkError;
use super::link::{Link, Received, Transport};
use queuetop_engine::protocol::RejectKind;

/// Longest line we keep (AMI lines are short; variables can be long).
pub const MAX_LINE: usize = 8 * 1024;
/// Most fields in one block.
pub const MAX_FIELDS: usize = 256;

/// Where to connect and as whom, from `ami://USER@HOST[:PORT]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AmiTarget {
    pub user: String,
    pub host: String,
    pub port: u16,
}

impl AmiTarget {
    /// Parses `ami://USER@HOST[:PORT]` (port 5038 by default). A password
    /// in the URL is refused: it would sit in argv and in shell history.
    pub fn parse(url: &str) -> Result<AmiTarget, String> {
        let rest = url
            .get(..6)
            .filter(|p| p.eq_ignore_ascii_case("ami://"))
            .map(|_| &url[6..])
            .ok_or_else(|| format!("'{url}' is not an ami:// URL"))?;
        let rest = rest.trim_end_matches('/');
        let (user, hostport) = rest
            .split_once('@')
            .ok_or_else(|| "an ami:// URL needs a user: ami://USER@HOST:5038".to_string())?;
        if user.contains(':') {
            return Err(
                "no password in the URL: put the AMI secret in the environment variable named by \
                 --token-env, or in feed.token_file"
                    .into(),
            );
        }
        if user.is_empty() || user.contains(['\r', '\n']) {
            return Err("the AMI user is empty or has a line break".into());
        }
        let port_of = |p: &str| p.parse::<u16>().map_err(|_| format!("'{p}' is not a port"));
        let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
            let (h, rest) = v6
                .split_once(']')
                .ok_or_else(|| "an IPv6 host needs its closing ]".to_string())?;
            match rest.strip_prefix(':') {
                Some(p) => (h, port_of(p)?),
                None if rest.is_empty() => (h, 5038),
                None => return Err(format!("'{hostport}' is not HOST:PORT")),
            }
        } else {
            match hostport.rsplit_once(':') {
                Some((h, p)) => (h, port_of(p)?),
                None => (hostport, 5038),
            }
        };
        if host.is_empty() {
            return Err("the AMI host is empty".into());
        }
        Ok(AmiTarget {
            user: user.to_string(),
            host: host.to_string(),
            port,
        })
    }
}

/// Limits of opening an AMI link (pings, idle timeout and backoff are the
/// supervisor's [`Rules`](super::supervisor::Rules)).
#[derive(Clone, Debug)]
pub struct AmiConfig {
    /// Bound on connecting, reading the banner and logging in.
    pub connect_timeout: Duration,
    /// A block larger than this is skipped (counted as too large).
    pub max_block_bytes: usize,
}

impl Default for AmiConfig {
    fn default() -> Self {
        AmiConfig {
            connect_timeout: Duration::from_secs(10),
            max_block_bytes: 64 * 1024,
        }
    }
}

/// Why a link could not be made or kept.
#[derive(Debug)]
pub enum AmiError {
    /// The server refused our user or secret.
    Auth(String),
    /// Not an AMI server, or it broke the protocol.
    Protocol(String),
    Io(std::io::Error),
    Timeout,
}

impl std::fmt::Display for AmiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AmiError::Auth(m) => write!(f, "AMI login refused: {m}"),
            AmiError::Protocol(m) => write!(f, "AMI protocol: {m}"),
            AmiError::Io(e) => write!(f, "{e}"),
            AmiError::Timeout => write!(f, "timed out"),
        }
    }
}

impl From<std::io::Error> for AmiError {
    fn from(e: std::io::Error) -> Self {
        AmiError::Io(e)
    }
}

impl From<AmiError> for LinkError {
    fn from(e: AmiError) -> Self {
        match e {
            AmiError::Auth(m) => LinkError::auth(format!("AMI login refused: {m}")),
            AmiError::Protocol(m) => LinkError::new(format!("AMI protocol: {m}")),
            AmiError::Io(e) => LinkError::io(&e, "AMI"),
            AmiError::Timeout => LinkError::timeout("logging in to AMI"),
        }
    }
}

/// One block from the server.
#[derive(Debug, PartialEq, Eq)]
pub enum Block {
    Fields(Vec<(String, String)>),
    /// Larger than the limit; skipped whole.
    TooLarge,
}

impl Block {
    fn get(&self, key: &str) -> Option<&str> {
        match self {
            Block::Fields(f) => f
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v.as_str()),
            Block::TooLarge => None,
        }
    }
}

/// Reads bounded lines and blocks from a byte stream.
pub struct BlockReader<R> {
    inner: BufReader<R>,
    max_block: usize,
    /// The last block was refused at a line over the limit, and no line
    /// has come since: another long line belongs to the same refusal.
    cut: bool,
}

enum Line {
    Text(String),
    TooLong,
}

impl<R: AsyncRead + Unpin> BlockReader<R> {
    pub fn new(inner: R, max_block: usize) -> Self {
        BlockReader {
            inner: BufReader::new(inner),
            max_block,
            cut: false,
        }
    }

    /// One line without its line ending; `None` at the end of the stream.
    async fn line(&mut self) -> std::io::Result<Option<Line>> {
        let mut buf = Vec::new();
        let mut too_long = false;
        loop {
            let chunk = self.inner.fill_buf().await?;
            if chunk.is_empty() {
                return Ok(if buf.is_empty() && !too_long {
                    None
                } else if too_long {
                    Some(Line::TooLong)
                } else {
                    Some(Line::Text(String::from_utf8_lossy(&buf).into_owned()))
                });
            }
            let (take, done) = match chunk.iter().position(|b| *b == b'\n') {
                Some(i) => (i, true),
                None => (chunk.len(), false),
            };
            if !too_long {
                if buf.len() + take > MAX_LINE {
                    too_long = true;
                    buf = Vec::new();
                } else {
                    buf.extend_from_slice(&chunk[..take]);
                }
            }
            self.inner.consume(if done { take + 1 } else { take });
            if done {
                if too_long {
                    return Ok(Some(Line::TooLong));
                }
                if buf.last() == Some(&b'\r') {
                    buf.pop();
                }
                return Ok(Some(Line::Text(String::from_utf8_lossy(&buf).into_owned())));
            }
        }
    }

    /// The banner: the first line, which names the protocol.
    pub async fn banner(&mut self) -> Result<String, AmiError> {
        match self.line().await? {
            Some(Line::Text(t)) if t.starts_with("Asterisk Call Manager/") => Ok(t),
            Some(Line::Text(t)) => Err(AmiError::Protocol(format!(
                "not an AMI server (banner {:?})",
                queuetop_engine::text::excerpt(&t)
            ))),
            Some(Line::TooLong) => Err(AmiError::Protocol("banner too long".into())),
            None => Err(AmiError::Protocol("closed before the banner".into())),
        }
    }

    /// The next non-empty block; `None` at the end of the stream.
    pub async fn block(&mut self) -> std::io::Result<Option<Block>> {
        let mut fields: Vec<(String, String)> = Vec::new();
        let mut size = 0usize;
        let mut too_large = false;
        loop {
            let line = match self.line().await? {
                None => {
                    // A block cut off by the end of the stream is dropped.
                    return Ok(None);
                }
                Some(l) => l,
            };
            if let Line::Text(_) = line {
                self.cut = false;
            }
            match line {
                Line::Text(t) if t.is_empty() => {
                    if too_large {
                        return Ok(Some(Block::TooLarge));
                    }
                    if !fields.is_empty() {
                        return Ok(Some(Block::Fields(fields)));
                    }
                }
                Line::Text(t) => {
                    size += t.len() + 2;
                    if size > self.max_block || fields.len() >= MAX_FIELDS {
                        too_large = true;
                        fields = Vec::new();
                        continue;
                    }
                    if too_large {
                        continue;
                    }
                    // `Key: Value`; lines without a colon (command output) are skipped.
                    if let Some((k, v)) = t.split_once(':') {
                        let k = k.trim();
                        if !k.is_empty() && !fields.iter().any(|(x, _)| x == k) {
                            fields.push((k.to_string(), v.trim_start().to_string()));
                        }
                    }
                }
                // The line was discarded as it came (memory stays bounded)
                // and its block is lost: it is refused now, at the line's
                // end, and reading starts afresh with the next line. Waiting
                // for the blank line instead would swallow the next message
                // too when the long line has none after it (a bare line of
                // garbage). What is left of a block cut this way has no
                // `Event:` and is passed over like any other answer. Long
                // lines one after another are one refusal.
                Line::TooLong if self.cut => {}
                Line::TooLong => {
                    self.cut = true;
                    return Ok(Some(Block::TooLarge));
                }
            }
        }
    }
}

/// An AMI block as the JSON object the Asterisk dialect reads:
/// `{"Event":"QueueCallerJoin","Queue":"support",...}`.
pub fn block_to_json(fields: &[(String, String)]) -> String {
    // Written by hand to keep AMI's key order (serde_json's map sorts keys).
    let mut out = String::from("{");
    for (i, (k, v)) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::Value::from(k.as_str()).to_string());
        out.push(':');
        out.push_str(&serde_json::Value::from(v.as_str()).to_string());
    }
    out.push('}');
    out
}

/// What the link yields.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    Text(String),
    TooLarge,
}

/// One connected, logged-in AMI link.
pub struct AmiLink {
    blocks: mpsc::Receiver<std::io::Result<Block>>,
    writer: OwnedWriteHalf,
    reader_task: tokio::task::JoinHandle<()>,
    pings: u64,
}

impl Drop for AmiLink {
    fn drop(&mut self) {
        self.reader_task.abort();
    }
}

/// A value safe to put on an AMI line.
fn one_line(s: &str) -> String {
    s.chars().filter(|c| *c != '\r' && *c != '\n').collect()
}

impl AmiLink {
    /// Connects, reads the banner and logs in, all within `connect_timeout`.
    pub async fn connect(
        target: &AmiTarget,
        secret: &Secret,
        cfg: &AmiConfig,
    ) -> Result<AmiLink, AmiError> {
        tokio::time::timeout(
            cfg.connect_timeout,
            Self::connect_inner(target, secret, cfg),
        )
        .await
        .map_err(|_| AmiError::Timeout)?
    }

    async fn connect_inner(
        target: &AmiTarget,
        secret: &Secret,
        cfg: &AmiConfig,
    ) -> Result<AmiLink, AmiError> {
        let stream = TcpStream::connect((target.host.as_str(), target.port)).await?;
        let _ = stream.set_nodelay(true);
        let (r, mut w) = stream.into_split();
        let mut reader = BlockReader::new(r, cfg.max_block_bytes);
        reader.banner().await?;
        let login = format!(
            "Action: Login\r\nActionID: queuetop-login\r\nUsername: {}\r\nSecret: {}\r\nEvents: on\r\n\r\n",
            one_line(&target.user),
            one_line(&secret.0)
        );
        w.write_all(login.as_bytes()).await?;
        loop {
            let Some(block) = reader.block().await? else {
                return Err(AmiError::Protocol("closed during login".into()));
            };
            let Some(resp) = block.get("Response") else {
                continue; // events before the answer
            };
            if block.get("ActionID").is_some_and(|a| a != "queuetop-login") {
                continue;
            }
            if resp.eq_ignore_ascii_case("Success") {
                break;
            }
            let msg = block.get("Message").unwrap_or("no reason given");
            return Err(AmiError::Auth(queuetop_engine::text::excerpt(msg)));
        }
        let (tx, rx) = mpsc::channel(1024);
        let reader_task = tokio::spawn(read_blocks(reader, tx));
        Ok(AmiLink {
            blocks: rx,
            writer: w,
            reader_task,
            pings: 0,
        })
    }

    /// The next frame: an event block as JSON, or a ping's answer. `None`
    /// when the server closed the link. Cancel-safe.
    pub async fn next_frame(&mut self) -> Result<Option<Frame>, AmiError> {
        loop {
            let block = match self.blocks.recv().await {
                None => return Ok(None),
                Some(Err(e)) => return Err(AmiError::Io(e)),
                Some(Ok(b)) => b,
            };
            match &block {
                Block::TooLarge => return Ok(Some(Frame::TooLarge)),
                Block::Fields(f) => {
                    let pong = block
                        .get("Ping")
                        .is_some_and(|p| p.eq_ignore_ascii_case("pong"));
                    if block.get("Event").is_some() || pong {
                        return Ok(Some(Frame::Text(block_to_json(f))));
                    }
                    // Other answers to our actions say nothing.
                }
            }
        }
    }

    /// Sends `Action: Ping`; its answer comes back as a frame.
    pub async fn ping(&mut self) -> Result<(), AmiError> {
        self.pings += 1;
        let msg = format!(
            "Action: Ping\r\nActionID: queuetop-ping-{}\r\n\r\n",
            self.pings
        );
        self.writer.write_all(msg.as_bytes()).await?;
        Ok(())
    }
}

async fn read_blocks(
    mut reader: BlockReader<OwnedReadHalf>,
    tx: mpsc::Sender<std::io::Result<Block>>,
) {
    loop {
        let r = reader.block().await;
        let stop = !matches!(r, Ok(Some(_)));
        let item = match r {
            Ok(Some(b)) => Ok(b),
            Ok(None) => return,
            Err(e) => Err(e),
        };
        if tx.send(item).await.is_err() || stop {
            return;
        }
    }
}

/// Opens logged-in AMI links to one server as one user.
pub struct AmiTransport {
    target: AmiTarget,
    secret: Secret,
    cfg: AmiConfig,
}

impl AmiTransport {
    pub fn new(target: AmiTarget, secret: Secret, cfg: AmiConfig) -> Self {
        AmiTransport {
            target,
            secret,
            cfg,
        }
    }
}

impl Transport for AmiTransport {
    type Link = AmiLink;

    async fn connect(&self) -> Result<AmiLink, LinkError> {
        Ok(AmiLink::connect(&self.target, &self.secret, &self.cfg).await?)
    }

    fn describe(&self) -> String {
        format!(
            "ami://{}@{}:{}",
            self.target.user, self.target.host, self.target.port
        )
    }
}

impl Link for AmiLink {
    type Text = String;

    async fn next(&mut self) -> Result<Received<String>, LinkError> {
        match self.next_frame().await? {
            Some(Frame::Text(t)) => Ok(Received::Text(t)),
            Some(Frame::TooLarge) => Ok(Received::Refused(RejectKind::TooLarge)),
            None => Err(LinkError::new("the AMI server closed the link")),
        }
    }

    /// Sends a configured message (an AMI action, written by the user) as is.
    async fn send(&mut self, text: String) -> Result<(), LinkError> {
        let mut msg = text.replace("\r\n", "\n").replace('\n', "\r\n");
        while !msg.ends_with("\r\n\r\n") {
            msg.push_str("\r\n");
        }
        self.writer
            .write_all(msg.as_bytes())
            .await
            .map_err(|e| LinkError::io(&e, "sending to AMI"))
    }

    async fn ping(&mut self) -> Result<(), LinkError> {
        Ok(AmiLink::ping(self).await?)
    }

    async fn close(&mut self) {
        let _ = self.writer.write_all(b"Action: Logoff\r\n\r\n").await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            AmiTarget::parse("ami://queuetop@pbx.example.com:5038"),
            Ok(AmiTarget {
                user: "queuetop".into(),
                host: "pbx.example.com".into(),
                port: 5038
            })
        );
        assert_eq!(
            AmiTarget::parse("ami://u@[::1]").map(|t| (t.host, t.port)),
            Ok(("::1".into(), 5038))
        );
        assert!(
            AmiTarget::parse("ami://u:pw@h")
                .unwrap_err()
                .contains("no password")
        );
        assert!(AmiTarget::parse("ws://h").is_err());
        assert!(AmiTarget::parse("ami://h:5038").is_err());
        assert!(AmiTarget::parse("ami://u@h:99999").is_err());
    }

    #[tokio::test]
    async fn long_lines_one_after_another_are_one_refusal() {
        let long = "x".repeat(MAX_LINE + 1);
        let input = format!("Event: X\r\nA: {long}\r\nB: {long}\r\n\r\nEvent: Y\r\n\r\n");
        let mut r = BlockReader::new(input.as_bytes(), 1 << 20);
        assert_eq!(r.block().await.unwrap(), Some(Block::TooLarge));
        assert_eq!(
            r.block().await.unwrap(),
            Some(Block::Fields(vec![("Event".into(), "Y".into())]))
        );
        assert_eq!(r.block().await.unwrap(), None);
    }

    #[tokio::test]
    async fn blocks_are_bounded_and_hostile_bytes_survive() {
        let mut input: Vec<u8> = b"Event: A\r\nQueue: q\r\n\r\n\r\n".to_vec();
        input.extend_from_slice(b"Event: B\nValue: \xff\x1b[2J\n\n");
        input.extend_from_slice(format!("Event: C\r\nBig: {}\r\n\r\n", "x".repeat(300)).as_bytes());
        input.extend_from_slice(
            format!("Event: D\r\nHuge: {}\r\n\r\n", "y".repeat(MAX_LINE + 10)).as_bytes(),
        );
        // A bare long line with the next block right after it: only the
        // long line is lost.
        input.extend_from_slice(format!("{}\r\n", "z".repeat(MAX_LINE + 1)).as_bytes());
        input.extend_from_slice(b"Event: E\r\nEvent: dup\r\n--END COMMAND--\r\n\r\nEvent: cut");
        let mut r = BlockReader::new(&input[..], 200);
        assert_eq!(
            r.block().await.unwrap(),
            Some(Block::Fields(vec![
                ("Event".into(), "A".into()),
                ("Queue".into(), "q".into())
            ]))
        );
        let b = r.block().await.unwrap().unwrap();
        assert_eq!(
            b.get("Value"),
            Some("\u{fffd}\u{1b}[2J"),
            "kept as text; the dialect strips it"
        );
        assert_eq!(r.block().await.unwrap(), Some(Block::TooLarge));
        assert_eq!(r.block().await.unwrap(), Some(Block::TooLarge));
        assert_eq!(r.block().await.unwrap(), Some(Block::TooLarge));
        assert_eq!(
            r.block().await.unwrap(),
            Some(Block::Fields(vec![("Event".into(), "E".into())]))
        );
        assert_eq!(
            r.block().await.unwrap(),
            None,
            "a block cut off by the end is dropped"
        );
    }

    #[test]
    fn blocks_become_the_dialects_json() {
        let j = block_to_json(&[
            ("Event".into(), "QueueCallerJoin".into()),
            ("Count".into(), "1".into()),
        ]);
        assert_eq!(j, r#"{"Event":"QueueCallerJoin","Count":"1"}"#);
    }
}
