//! `--record`: every received frame appended to a file, one a line, in the
//! shape replay reads. The sink writes here after it has let go of the
//! monitor's lock, so a slow disk never stalls the screen.

use std::io::Write;

/// Appends received frames to a file, one a line (`--record`).
pub struct Recorder {
    out: std::io::BufWriter<std::fs::File>,
}

impl Recorder {
    pub fn create(path: &std::path::Path) -> std::io::Result<Self> {
        let f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        Ok(Recorder {
            out: std::io::BufWriter::new(f),
        })
    }

    pub fn write(&mut self, line: &str) {
        let ok = self
            .out
            .write_all(line.as_bytes())
            .and_then(|_| self.out.write_all(b"\n"));
        if let Err(e) = ok {
            tracing::error!("recording failed: {e}");
        }
    }

    pub fn flush(&mut self) {
        let _ = self.out.flush();
    }
}
