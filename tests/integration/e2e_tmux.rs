//! End to end: the real binary in a real terminal (tmux), on a replay.
//! Keys go in with `send-keys`, the screen comes back with `capture-pane`.
//! Each test runs its own tmux server (`-L`), killed at the end even when
//! the test fails.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

pub(crate) struct Tmux {
    socket: String,
}

impl Tmux {
    pub(crate) fn start(name: &str, cmd: &str) -> Tmux {
        let v = Command::new("tmux").arg("-V").output();
        assert!(
            v.is_ok_and(|o| o.status.success()),
            "tmux is required for this test (apt-get install tmux)"
        );
        let t = Tmux {
            socket: format!("queuetop-e2e-{name}-{}", std::process::id()),
        };
        let out = t.run(&[
            "new-session",
            "-d",
            // Wide enough for the whole stripped agent name beside every
            // agent column.
            "-x",
            "140",
            "-y",
            "30",
            "--",
            "sh",
            "-c",
            cmd,
        ]);
        assert!(out.status.success(), "tmux new-session: {out:?}");
        t
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            // No user config: the same server on every machine.
            .arg(";")
            .arg("set-option")
            .arg("-g")
            .arg("status")
            .arg("off")
            .output()
            .expect("tmux runs")
    }

    pub(crate) fn query(&self, format: &str) -> String {
        let o = Command::new("tmux")
            .args(["-L", &self.socket, "display-message", "-p", format])
            .output()
            .expect("tmux display");
        String::from_utf8_lossy(&o.stdout).trim().to_string()
    }

    pub(super) fn screen(&self) -> String {
        let o = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p"])
            .output()
            .expect("capture");
        String::from_utf8_lossy(&o.stdout).to_string()
    }

    /// The screen with its escape sequences (colours, attributes).
    pub(crate) fn screen_styled(&self) -> String {
        let o = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p", "-e"])
            .output()
            .expect("capture");
        String::from_utf8_lossy(&o.stdout).to_string()
    }

    /// The pid of queuetop: the child of the pane's shell.
    fn program_pid(&self) -> String {
        let shell = self.query("#{pane_pid}");
        let child = Command::new("pgrep")
            .args(["-P", &shell])
            .output()
            .expect("pgrep");
        let pid = String::from_utf8_lossy(&child.stdout).trim().to_string();
        assert!(!pid.is_empty(), "queuetop's pid");
        pid
    }

    pub(crate) fn keys(&self, keys: &[&str]) {
        let mut args = vec!["-L", self.socket.as_str(), "send-keys"];
        args.extend_from_slice(keys);
        let o = Command::new("tmux")
            .args(&args)
            .output()
            .expect("send-keys");
        assert!(o.status.success());
    }

    pub(crate) fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

pub(crate) fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/resources/ui")
        .join(name)
}

/// The shell command: queuetop on a replay, then a report of how the
/// terminal was left (exit status, canonical mode on or off).
pub(crate) fn command(log: &Path) -> String {
    format!(
        "XDG_CONFIG_HOME=/nonexistent '{bin}' --replay '{feed}' --speed max --config '{cfg}' --log '{log}'; \
         echo EXITED $?; stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; echo; sleep 60",
        bin = env!("CARGO_BIN_EXE_queuetop"),
        feed = fixture("e2e.jsonl").display(),
        cfg = fixture("config.toml").display(),
        log = log.display(),
    )
}

#[test]
fn keys_work_and_the_terminal_is_restored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let t = Tmux::start("keys", &command(&dir.path().join("q.log")));
    let title_before = t.query("#{pane_title}");
    // Every check on a screen is part of its wait: tmux can be read in the
    // middle of a frame, when only its top rows are new.
    let s = t.wait_for("the floor", |s| {
        s.contains("Technical supp")
            && s.contains("ended")
            && s.contains("REPLAY")
            && s.contains("Eve]0;pwned[31mRed1mXZ")
    });
    assert_eq!(
        t.query("#{alternate_on}"),
        "1",
        "the view uses the alternate screen"
    );

    // Hostile names: shown stripped (checked above), and the terminal
    // title never changed.
    assert!(s.contains("pwned"), "{s}");
    assert_eq!(
        t.query("#{pane_title}"),
        title_before,
        "the feed retitled the terminal"
    );
    let styled = t.screen_styled();
    let evil = styled
        .lines()
        .find(|l| l.contains("pwned"))
        .expect("the hostile row");
    assert!(
        !evil.contains("\u{1b}[31m") && !evil.contains("\u{1b}[1m"),
        "stray attributes on the hostile row: {evil:?}"
    );

    // ? shows the help, Esc closes it.
    t.keys(&["?"]);
    t.wait_for("help", |s| s.contains("Keys (Esc closes)"));
    t.keys(&["Escape"]);
    t.wait_for("help closed", |s| !s.contains("Keys (Esc closes)"));

    // s sorts by the next column (waiting): Sales, the only queue with a
    // caller waiting, comes first.
    t.keys(&["s"]);
    let first_queue = |s: &str| {
        s.lines()
            .skip_while(|l| !l.contains("QUEUE"))
            .nth(1)
            .unwrap_or_default()
            .to_string()
    };
    t.wait_for("sort by WAIT, Sales first", |s| {
        s.contains("sort WAIT") && first_queue(s).starts_with("Sales")
    });

    // / filters by name, queue or state.
    t.keys(&["/", "s", "u", "p"]);
    t.wait_for("filter on support", |s| {
        s.contains("Queues 1 of 4") && s.contains("filter: sup") && !s.contains("Kim Park")
    });
    t.keys(&["Enter", "Escape"]);
    t.wait_for("filter cleared", |s| s.contains("Queues 4 "));

    // A resize applies at once, and the key after it is not lost (crossterm
    // once swallowed a key that arrived while a resize was still unread).
    let o = t.run(&["resize-window", "-x", "80", "-y", "24"]);
    assert!(o.status.success(), "resize-window: {o:?}");
    t.wait_for("the 80x24 layout", |s| {
        s.lines().count() <= 24
            && s.lines().all(|l| l.chars().count() <= 80)
            && s.contains("Queues 4 ")
    });
    std::thread::sleep(Duration::from_millis(300));

    // q quits; the terminal is as it was: main screen, cooked mode, echo.
    t.keys(&["q"]);
    let s = t.wait_for("exit", |s| s.contains("EXITED") && s.contains("canon"));
    assert!(s.contains("EXITED 0"), "{s}");
    assert!(
        s.contains("icanon") && !s.contains("-icanon"),
        "raw mode left on: {s}"
    );
    assert!(!s.contains("-echo"), "echo left off: {s}");
    assert_eq!(
        t.query("#{alternate_on}"),
        "0",
        "still on the alternate screen"
    );
    assert_eq!(t.query("#{cursor_flag}"), "1", "cursor left hidden");
    assert_eq!(t.query("#{pane_title}"), title_before);
}

/// SIGTERM and SIGHUP (an SSH drop) restore the terminal like `q` does,
/// and so do the other signals that would end it by default.
#[test]
fn signals_restore_the_terminal() {
    for sig in ["TERM", "HUP", "QUIT", "USR1", "USR2", "ALRM"] {
        let dir = tempfile::tempdir().expect("tempdir");
        let t = Tmux::start(&sig.to_lowercase(), &command(&dir.path().join("q.log")));
        t.wait_for("the floor", |s| s.contains("Technical supp"));
        let pid = t.program_pid();
        let k = Command::new("kill")
            .args([&format!("-{sig}"), &pid])
            .status()
            .expect("kill");
        assert!(k.success());
        let s = t.wait_for("exit", |s| s.contains("EXITED") && s.contains("canon"));
        assert!(
            s.contains("icanon") && !s.contains("-icanon"),
            "SIG{sig}: {s}"
        );
        assert_eq!(t.query("#{alternate_on}"), "0", "SIG{sig}");
        assert_eq!(t.query("#{cursor_flag}"), "1", "SIG{sig}");
    }
}

/// A terminal that goes away (the SSH link drops, the tmux server dies)
/// ends queuetop: it must not linger, reading nothing forever at full CPU.
#[test]
fn a_vanished_terminal_ends_the_program() {
    let dir = tempfile::tempdir().expect("tempdir");
    let t = Tmux::start("gone", &command(&dir.path().join("q.log")));
    t.wait_for("the floor", |s| s.contains("Technical supp"));
    let pid = t.program_pid();
    drop(t); // kills the tmux server: the terminal is gone
    let alive = |pid: &str| {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .is_ok_and(|s| s.split_whitespace().nth(2).is_none_or(|st| st != "Z"))
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    while alive(&pid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    if alive(&pid) {
        let _ = Command::new("kill").args(["-9", &pid]).status();
        panic!("queuetop (pid {pid}) kept running after its terminal was gone");
    }
    // It left quietly: nothing panicked writing to the dead terminal.
    let log = std::fs::read_to_string(dir.path().join("q.log")).unwrap_or_default();
    assert!(log.contains("leaving"), "{log}");
    assert!(!log.contains("panic"), "{log}");
}

/// `--metrics-listen` on the view: the figures on screen are served to
/// Prometheus too, and nothing about it reaches the screen (the address
/// goes to the log).
#[test]
fn the_view_serves_metrics_alongside() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("q.log");
    // Prometheus-style setups choose the port; a free one, released for us.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let cmd = command(&log).replacen(
        " --log ",
        &format!(" --metrics-listen 127.0.0.1:{port} --log "),
        1,
    );
    let t = Tmux::start("metrics", &cmd);
    let s = t.wait_for("the floor", |s| {
        s.contains("Technical supp") && s.contains("ended")
    });
    assert!(!s.contains("metrics"), "{s}");
    let mut conn = std::net::TcpStream::connect(("127.0.0.1", port)).expect("the exporter listens");
    write!(conn, "GET /metrics HTTP/1.0\r\n\r\n").unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.0 200"), "{answer}");
    assert!(
        answer.contains("queuetop_feed_state{site=\"\",state=\"ended\"} 1"),
        "{answer}"
    );
    // The same floor as a snapshot of the same replay.
    let out = Command::new(env!("CARGO_BIN_EXE_queuetop"))
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .args(["snapshot", "--replay"])
        .arg(fixture("e2e.jsonl"))
        .arg("--config")
        .arg(fixture("config.toml"))
        .output()
        .unwrap();
    let snap: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let waiting = snap["totals"]["waiting"].as_u64().unwrap();
    assert!(
        answer.contains(&format!("queuetop_floor_waiting{{site=\"\"}} {waiting}.0")),
        "{answer}"
    );
    let logged = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        logged.contains(&format!(
            "serving metrics on http://127.0.0.1:{port}/metrics"
        )),
        "{logged}"
    );
}

#[test]
fn a_mark_set_on_screen_goes_into_the_recording_and_replays() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rec = dir.path().join("incident.jsonl");
    let cmd = format!(
        "XDG_CONFIG_HOME=/nonexistent '{bin}' --demo --record '{rec}' --log '{log}'; echo EXITED $?; sleep 60",
        bin = env!("CARGO_BIN_EXE_queuetop"),
        rec = rec.display(),
        log = dir.path().join("q.log").display(),
    );
    let t = Tmux::start("mark", &cmd);
    t.wait_for("the demo", |s| s.contains("DEMO") && s.contains("TOTAL"));
    t.keys(&["m"]);
    t.wait_for("the note prompt", |s| s.contains("mark note: _"));
    t.keys(&["-l", "trunk down"]);
    t.keys(&["Enter"]);
    t.wait_for("the mark in the log", |s| s.contains("mark: trunk down"));
    t.keys(&["M"]);
    t.wait_for("the change since it", |s| s.contains("CHANGE since mark"));
    t.keys(&["q"]);
    let s = t.wait_for("exit", |s| s.contains("EXITED"));
    assert!(s.contains("EXITED 0"), "{s}");

    let text = std::fs::read_to_string(&rec).expect("the recording");
    let marks: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("\"queuetop.mark\""))
        .collect();
    assert_eq!(marks.len(), 1, "{marks:?}");
    let mark: serde_json::Value = serde_json::from_str(marks[0]).expect("a JSON line");
    assert_eq!(mark["note"], "trunk down");
    // Replayed, the mark is neither an event, nor unknown, nor refused.
    let out = Command::new(env!("CARGO_BIN_EXE_queuetop"))
        .args(["snapshot", "--replay"])
        .arg(&rec)
        .args(["--speed", "max", "--format", "json"])
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .output()
        .expect("snapshot");
    assert!(out.status.success(), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["feed"]["unknown"], 0, "{}", v["feed"]);
    assert_eq!(v["feed"]["rejected"], 0, "{}", v["feed"]);
    assert!(
        v["feed"]["events"].as_u64().unwrap_or(0) > 0,
        "{}",
        v["feed"]
    );
}
