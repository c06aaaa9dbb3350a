//! Writes the benchmark stream (5,000 agents, 200 queues, 1,000,000 events)
//! to a file, for measuring a whole `snapshot --replay` run:
//!
//!     cargo run --release --example make_stream -- stream.jsonl
//!     /usr/bin/time -v target/release/queuetop snapshot --replay stream.jsonl --speed max
//!
//! With `--messages` after the file name, the stream whose conversations
//! make 30 % of the events `contact.message`; with `--events N`, N events
//! of the same floor instead of 1,000,000 (a longer or shorter day: about
//! 1,000 contacts a minute).

#[path = "../benches/stream.rs"]
mod stream;

use std::io::Write;

fn main() -> std::io::Result<()> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "stream.jsonl".into());
    let args: Vec<String> = std::env::args().skip(2).collect();
    let base = if args.iter().any(|a| a == "--messages") {
        stream::BENCH_MESSAGES
    } else {
        stream::BENCH
    };
    let events = args
        .iter()
        .position(|a| a == "--events")
        .and_then(|i| args.get(i + 1))
        .map(|n| n.parse::<usize>())
        .transpose()
        .map_err(|e| std::io::Error::other(format!("--events: {e}")))?
        .unwrap_or(base.events);
    let shape = &stream::Shape { events, ..base };
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
    for line in stream::generate(shape) {
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    eprintln!("wrote {path}");
    Ok(())
}
