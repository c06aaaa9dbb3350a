//! Writes the benchmark stream (5,000 agents, 200 queues, 1,000,000 events)
//! to a file, for measuring a whole `snapshot --replay` run:
//!
//!     cargo run --release --example make_stream -- stream.jsonl
//!     /usr/bin/time -v target/release/queuetop snapshot --replay stream.jsonl --speed max
//!
//! With `--messages` after the file name, the stream whose conversations
//! make 30 % of the events `contact.message`.

#[path = "../benches/stream.rs"]
mod stream;

use std::io::Write;

fn main() -> std::io::Result<()> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "stream.jsonl".into());
    let shape = if std::env::args().nth(2).as_deref() == Some("--messages") {
        &stream::BENCH_MESSAGES
    } else {
        &stream::BENCH
    };
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
    for line in stream::generate(shape) {
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    eprintln!("wrote {path}");
    Ok(())
}
