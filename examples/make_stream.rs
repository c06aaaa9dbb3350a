//! Writes the benchmark stream (by default 5,000 agents, 200 queues,
//! 1,000,000 events) to a file, for measuring a whole `snapshot --replay`
//! run:
//!
//!     cargo run --release --example make_stream -- stream.jsonl
//!     /usr/bin/time -v target/release/queuetop snapshot --replay stream.jsonl --speed max
//!
//! Flags after the file name: `--messages` for the stream whose
//! conversations make 30 % of the events `contact.message`; `--big` for the
//! 50,000-agent, 2,000-queue, 2,000,000-event floor; `--agents N`,
//! `--queues N`, `--events N` for any other size.

#[path = "../benches/stream.rs"]
mod stream;

use std::io::Write;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| "stream.jsonl".into());
    let mut shape = stream::BENCH;
    while let Some(flag) = args.next() {
        let mut number = |what: &str| -> std::io::Result<u64> {
            args.next()
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| std::io::Error::other(format!("{what} needs a number")))
        };
        match flag.as_str() {
            "--messages" => shape.conversations = true,
            "--big" => {
                shape = stream::Shape {
                    conversations: shape.conversations,
                    ..stream::BIG
                }
            }
            "--agents" => shape.agents = number("--agents")? as u32,
            "--queues" => shape.queues = number("--queues")? as u32,
            "--events" => shape.events = number("--events")? as usize,
            other => return Err(std::io::Error::other(format!("unknown flag {other}"))),
        }
    }
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
    for line in stream::generate(&shape) {
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    eprintln!(
        "wrote {path}: {} agents, {} queues, {} events{}",
        shape.agents,
        shape.queues,
        shape.events,
        if shape.conversations {
            ", conversations"
        } else {
            ""
        }
    );
    Ok(())
}
