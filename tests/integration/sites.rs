//! Several sites in one view (docs/sites.md), through the real binary:
//! two demo sites and one that never connects, in tmux and as a snapshot;
//! and `[[feeds]]` mistakes stopping with status 2 and one line.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use super::e2e_tmux::Tmux;

/// A loopback port nobody listens on: a site there never connects.
fn dead_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

fn write_config(dir: &Path, body: &str) -> String {
    let path = dir.join("sites.toml");
    std::fs::write(&path, body).expect("config");
    path.display().to_string()
}

fn two_demos_and_a_dead_site(dir: &Path) -> String {
    write_config(
        dir,
        &format!(
            r#"timezone = "UTC"
[feed]
connect_timeout = "1s"

[[feeds]]
site = "paris"
demo = true
seed = 11

[[feeds]]
site = "lisbon"
demo = true
seed = 12

[[feeds]]
site = "rome"
url = "ws://127.0.0.1:{port}/floor"
"#,
            port = dead_port()
        ),
    )
}

fn queuetop(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_queuetop"))
        .args(args)
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .output()
        .expect("queuetop runs")
}

#[test]
fn two_sites_side_by_side_in_a_real_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = two_demos_and_a_dead_site(dir.path());
    let cmd = format!(
        "XDG_CONFIG_HOME=/nonexistent '{bin}' --config '{cfg}' --log '{log}'; echo EXITED $?; sleep 60",
        bin = env!("CARGO_BIN_EXE_queuetop"),
        log = dir.path().join("q.log").display(),
    );
    let t = Tmux::start("sites", &cmd);
    let row = |s: &str, start: &str| s.lines().any(|l| l.starts_with(start));
    // Both demo sites live, Rome shown dead, the whole view labelled DEMO.
    t.wait_for("two sites and a dead one", |s| {
        s.contains("DEMO")
            && s.contains("rome DOWN")
            && s.contains("paris ok")
            && s.contains("lisbon ok")
            && row(s, "▾ paris")
            && row(s, "TOTAL")
    });
    // Filter to Lisbon: Paris's group goes, Lisbon's stays.
    t.keys(&["/"]);
    for c in "site:lisbon".chars() {
        t.keys(&[&c.to_string()]);
    }
    t.keys(&["Enter"]);
    t.wait_for("Lisbon only", |s| {
        row(s, "▾ lisbon") && !row(s, "▾ paris") && s.contains("TOTAL (all)")
    });
    t.keys(&["q"]);
    let s = t.wait_for("exit", |s| s.contains("EXITED"));
    assert!(s.contains("EXITED 0"), "{s}");
}

#[test]
fn a_snapshot_of_sites_has_each_sites_link_and_totals() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = two_demos_and_a_dead_site(dir.path());
    let o = queuetop(&["snapshot", "--config", &cfg, "--after", "3s"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    let sites = v["sites"].as_array().expect("sites");
    let names: Vec<&str> = sites.iter().map(|s| s["site"].as_str().unwrap()).collect();
    assert_eq!(names, ["paris", "lisbon", "rome"]);
    assert_eq!(sites[0]["state"], "connected");
    assert_eq!(sites[1]["state"], "connected");
    assert_eq!(sites[2]["state"], "reconnecting");
    assert_eq!(v["feed"]["state"], "connected");
    assert_eq!(v["source"]["kind"], "demo");
    // Every queue and agent carries its site, and the totals add up.
    let entered = |s: &Value| s["totals"]["entered"].as_i64().unwrap();
    assert!(entered(&sites[0]) > 0 && entered(&sites[1]) > 0, "{v}");
    assert_eq!(entered(&v), entered(&sites[0]) + entered(&sites[1]));
    let events: u64 = sites.iter().map(|s| s["events"].as_u64().unwrap()).sum();
    assert_eq!(v["feed"]["events"].as_u64().unwrap(), events);
    for q in v["queues"].as_array().unwrap() {
        assert!(
            ["paris", "lisbon"].contains(&q["site"].as_str().unwrap()),
            "{q}"
        );
        assert!(!q["queue"].as_str().unwrap().contains('/'), "{q}");
    }
    let agents = v["agents"].as_array().unwrap();
    assert!(agents.iter().all(|a| a["site"].is_string()), "{v}");
}

#[test]
fn feeds_mistakes_stop_with_one_line_naming_the_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (body, says) in [
        (
            "[[feeds]]\nsite = \"paris\"\ndemo = true\n[[feeds]]\nsite = \"paris\"\ndemo = true\n",
            "`feeds[1].site`: 'paris' is named twice",
        ),
        (
            "[[feeds]]\nsite = \"a.b\"\ndemo = true\n",
            "`feeds[0].site`",
        ),
        ("[[feeds]]\nsite = \"paris\"\n", "`feeds[0].url`"),
        (
            "[[feeds]]\nsite = \"paris\"\nurl = \"wss://x.example/f\"\ntoken_env = \"QUEUETOP_TEST_UNSET_TOKEN\"\n",
            "QUEUETOP_TEST_UNSET_TOKEN",
        ),
    ] {
        let cfg = write_config(dir.path(), body);
        let o = queuetop(&["snapshot", "--config", &cfg]);
        let e = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{body}: {e}");
        assert!(e.contains(says), "{body}: {e}");
        assert_eq!(e.trim().lines().count(), 1, "{e}");
    }
}

/// `queuetop export` of sites: each queue under its own site label with
/// its own id, and each site's feed apart (the dead one down).
#[test]
fn the_exporter_labels_each_sites_queues_and_feed() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = two_demos_and_a_dead_site(dir.path());
    let mut child = Command::new(env!("CARGO_BIN_EXE_queuetop"))
        .args([
            "export",
            "--config",
            &cfg,
            "--metrics-listen",
            "127.0.0.1:0",
        ])
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start queuetop export");
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let addr = (0..50)
        .find_map(|_| {
            let mut line = String::new();
            stderr.read_line(&mut line).ok()?;
            line.trim()
                .strip_prefix("queuetop: serving metrics on http://")
                .and_then(|rest| rest.strip_suffix("/metrics"))
                .map(str::to_string)
        })
        .expect("the address on stderr");
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    let addr: std::net::SocketAddr = addr.parse().expect("an address");
    // The demos' first events, and the dead site's first failed try.
    std::thread::sleep(std::time::Duration::from_secs(3));
    let (code, _, body) = super::exporter::get(addr, "/metrics", "text/plain");
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(code, 200);
    let samples = super::exporter::samples(&body);
    for site in ["paris", "lisbon"] {
        let mine = samples
            .keys()
            .filter(|k| {
                k.starts_with("queuetop_queue_waiting{") && k.contains(&format!("site=\"{site}\""))
            })
            .count();
        assert!(mine > 0, "no queue of {site} in\n{body}");
        assert_eq!(
            samples[&format!("queuetop_feed_connected{{site=\"{site}\"}}")],
            1.0
        );
    }
    assert_eq!(samples["queuetop_feed_connected{site=\"rome\"}"], 0.0);
    assert!(!samples.contains_key("queuetop_feed_connected{site=\"\"}"));
    assert!(
        !body.contains("queue=\"paris/") && !body.contains("queue=\"lisbon/"),
        "a queue label kept its site prefix:\n{body}"
    );
}
