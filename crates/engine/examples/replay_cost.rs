//! The two sides of the replay ratio (benches/replay_ratio.rs) over a file,
//! one per run, for an instruction counter such as callgrind:
//!
//!     cargo build --release -p queuetop-engine --example replay_cost
//!     valgrind --tool=callgrind target/release/examples/replay_cost serde stream.jsonl
//!     valgrind --tool=callgrind target/release/examples/replay_cost replay stream.jsonl
//!
//! `serde` parses each line into `IgnoredAny`; `decode` only decodes each
//! line; `replay` decodes and applies each line as `snapshot --replay
//! --speed max` does. Both read the file
//! with the same line reader, so the difference is the decoding and the floor.

use std::io::BufReader;

use queuetop_engine::dialect::DialectKind;
use queuetop_engine::floor::{Floor, Settings};
use queuetop_engine::monitor::{Monitor, SourceInfo, SourceKind};
use queuetop_engine::protocol::{Decoded, decode_frame};
use queuetop_engine::replay::{LineReader, LineRef, apply_all};
use serde::de::IgnoredAny;

const MAX_LINE: usize = 1 << 20;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [mode, path] = args.as_slice() else {
        eprintln!("usage: replay_cost serde|decode|replay FILE");
        std::process::exit(2);
    };
    let file = std::fs::File::open(path).expect("the stream opens");
    let input = BufReader::new(file);
    match mode.as_str() {
        "serde" => {
            let mut lines = LineReader::new(input, MAX_LINE);
            let mut n = 0u64;
            while let Some(line) = lines.next_line_ref().expect("the stream reads") {
                if let LineRef::Frame(text) = line {
                    std::hint::black_box(
                        serde_json::from_str::<IgnoredAny>(text).expect("the stream is JSON"),
                    );
                    n += 1;
                }
            }
            println!("{n} lines parsed");
        }
        "decode" => {
            let mut lines = LineReader::new(input, MAX_LINE);
            let mut n = 0u64;
            while let Some(line) = lines.next_line_ref().expect("the stream reads") {
                if let LineRef::Frame(text) = line {
                    decode_frame(text, |d| {
                        n += matches!(d, Decoded::Event(_)) as u64;
                        std::hint::black_box(d);
                    });
                }
            }
            println!("{n} events decoded");
        }
        "replay" => {
            let source = SourceInfo {
                kind: SourceKind::Replay,
                target: path.clone(),
            };
            let mut m = Monitor::new(
                Floor::new(Settings::default()),
                source,
                DialectKind::Native.make(),
            );
            apply_all(&mut m, input, MAX_LINE).expect("the stream reads");
            let c = m.floor.counts();
            println!("{} events applied, {} rejected", c.events, c.rejected);
        }
        _ => {
            eprintln!("usage: replay_cost serde|decode|replay FILE");
            std::process::exit(2);
        }
    }
}
