//! The program's integration tests: the command line, the demo, bytes sent
//! to a terminal, and the real binary end to end in tmux.

mod alerts_cli;
mod cli;
mod demo_cli;
mod demo_server;
mod demo_sim;
mod dialect_cli;
mod e2e_mouse;
mod e2e_rewind;
mod e2e_tmux;
mod exporter;
mod feed_cli;
mod ingest;
mod ingest_slow;
mod nats;
mod notify;
mod report;
mod sites;
mod snapshot_skew;
mod snapshot_stream;
mod snapshot_text;
mod ui_bytes;
mod views_cli;
