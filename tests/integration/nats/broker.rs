//! A real nats-server for a test: JetStream on, its store in a temp dir, a
//! WebSocket listener, loopback ports picked free; killed on drop. It can
//! be stopped and started again on the same ports and store, as a broker
//! restart is.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Broker {
    pub port: u16,
    pub ws_port: u16,
    dir: PathBuf,
    child: Option<Child>,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

impl Broker {
    /// Starts a broker whose config and store live under `dir`.
    pub fn start(dir: &Path) -> Broker {
        Broker::start_with(dir, "")
    }

    /// The same, with `extra` added to its config (an authorization block).
    pub fn start_with(dir: &Path, extra: &str) -> Broker {
        Broker::configure(dir, extra, None)
    }

    /// TLS on both listeners; `files` gives `cert_file` and `key_file`.
    pub fn start_tls(dir: &Path, files: &str) -> Broker {
        Broker::configure(dir, "", Some(files))
    }

    fn configure(dir: &Path, extra: &str, tls: Option<&str>) -> Broker {
        let mut b = Broker {
            port: free_port(),
            ws_port: free_port(),
            dir: dir.to_path_buf(),
            child: None,
        };
        let (tls_block, ws_tls) = match tls {
            Some(files) => (
                format!("tls {{\n    {files}\n}}\n"),
                format!("tls {{\n    {files}\n  }}"),
            ),
            None => (String::new(), "no_tls: true".to_string()),
        };
        let conf = format!(
            "listen: \"127.0.0.1:{}\"\n{tls_block}jetstream {{\n  store_dir: \"{}\"\n}}\nwebsocket {{\n  listen: \"127.0.0.1:{}\"\n  {ws_tls}\n}}\n{extra}",
            b.port,
            dir.join("store").display(),
            b.ws_port
        );
        std::fs::write(dir.join("nats.conf"), conf).unwrap();
        b.run();
        b
    }

    fn run(&mut self) {
        let log = std::fs::File::create(self.dir.join("nats.log")).unwrap();
        let child = Command::new("nats-server")
            .arg("-c")
            .arg(self.dir.join("nats.conf"))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect(
                "nats-server (Debian package nats-server) must be installed; .ci/run installs it",
            );
        self.child = Some(child);
        // Ready once both listeners take connections and JetStream is up.
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let log = std::fs::read_to_string(self.dir.join("nats.log")).unwrap_or_default();
            let up = |p: u16| std::net::TcpStream::connect(("127.0.0.1", p)).is_ok();
            if log.contains("Server is ready") && up(self.port) && up(self.ws_port) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "nats-server did not start:\n{log}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops the broker (as a crash: killed).
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Starts it again on the same ports and store.
    pub fn restart(&mut self) {
        self.stop();
        self.run();
    }

    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    pub fn ws_url(&self) -> String {
        format!("nats+ws://127.0.0.1:{}", self.ws_port)
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        self.stop();
    }
}
