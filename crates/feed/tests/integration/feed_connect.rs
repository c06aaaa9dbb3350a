//! Connecting: what arrives at the server, pings both ways, refused credentials.

use crate::common;

use std::time::Duration;

use futures_util::SinkExt;

use common::{Ev, Rec, Server, ServerOpts, spawn_client};
use queuetop_engine::health::LinkState;
use queuetop_feed::{FeedConfig, Secret};
use tokio_tungstenite::tungstenite::Message;

fn cfg(url: String) -> FeedConfig {
    let mut c = FeedConfig::new(url);
    c.subscribe = Some(r#"{"op":"subscribe","floor":"main"}"#.into());
    c.token = Some(Secret("t0ken-s3cret".into()));
    c.headers = vec![("X-Tenant".into(), "acme".into())];
    c
}

#[tokio::test(start_paused = true)]
async fn subscribe_headers_and_greeting_arrive() {
    let mut server = Server::start().await;
    let rec = Rec {
        greeting: vec![r#"{"op":"hello"}"#.into()],
        ..Rec::default()
    };
    let client = spawn_client(cfg(server.url()), rec.clone());
    let mut conn = server.conn().await;
    assert_eq!(conn.path, "/feed");
    assert_eq!(conn.headers["authorization"], "Bearer t0ken-s3cret");
    assert_eq!(conn.headers["x-tenant"], "acme");
    // The configured subscribe first, verbatim, then the sink's messages.
    assert_eq!(
        conn.recv_text().await,
        r#"{"op":"subscribe","floor":"main"}"#
    );
    assert_eq!(conn.recv_text().await, r#"{"op":"hello"}"#);
    conn.send_text(r#"{"type":"heartbeat","ts":1}"#).await;
    rec.until("the frame", |e| {
        e.contains(&Ev::Frame(r#"{"type":"heartbeat","ts":1}"#.into()))
    })
    .await;
    assert_eq!(
        rec.events()[..2],
        [Ev::State(LinkState::Connecting), Ev::Connected]
    );
    assert_eq!(rec.states().last(), Some(&LinkState::Connected));
    client.abort();
}

#[tokio::test(start_paused = true)]
async fn pings_are_answered_and_sent() {
    let mut server = Server::start().await;
    let rec = Rec::default();
    let client = spawn_client(cfg(server.url()), rec.clone());
    let mut conn = server.conn().await;
    conn.recv_text().await;
    // Our ping is answered with a pong, flushed at once.
    conn.ws.send(Message::Ping(vec![7u8].into())).await.unwrap();
    let got = tokio::time::timeout(Duration::from_secs(1), conn.recv())
        .await
        .unwrap();
    assert_eq!(got, Some(Message::Pong(vec![7u8].into())));
    // The client pings us every ping_interval (10 s by default).
    let start = tokio::time::Instant::now();
    let got = tokio::time::timeout(Duration::from_secs(11), conn.recv())
        .await
        .unwrap();
    assert!(matches!(got, Some(Message::Ping(_))), "{got:?}");
    assert!(start.elapsed() >= Duration::from_secs(9));
    client.abort();
}

#[tokio::test(start_paused = true)]
async fn refused_credentials_show_as_auth_failed_and_retry() {
    let mut server = Server::with(ServerOpts {
        require_token: Some("the-right-one".into()),
        ..ServerOpts::default()
    })
    .await;
    let rec = Rec::default();
    let client = spawn_client(cfg(server.url()), rec.clone());
    rec.until("two auth failures", |e| {
        e.iter()
            .filter(|e| matches!(e, Ev::State(LinkState::AuthFailed { .. })))
            .count()
            >= 2
    })
    .await;
    let states = rec.states();
    let Some(LinkState::AuthFailed { detail, .. }) = states.last() else {
        panic!("{states:?}");
    };
    assert_eq!(detail, "HTTP 401 Unauthorized");
    assert!(*server.refused.lock().unwrap() >= 2);
    assert_eq!(rec.connects(), 0);
    // The token is nowhere in what the screen can show.
    assert!(!format!("{:?}", rec.events()).contains("t0ken-s3cret"));
    // No connection was accepted.
    assert!(
        tokio::time::timeout(Duration::from_millis(1), server.conn())
            .await
            .is_err()
    );
    client.abort();
}

#[tokio::test(start_paused = true)]
async fn a_4xxx_close_is_an_auth_failure() {
    let mut server = Server::start().await;
    let rec = Rec::default();
    let client = spawn_client(cfg(server.url()), rec.clone());
    let mut conn = server.conn().await;
    conn.recv_text().await;
    conn.close(4001).await;
    rec.until("auth failure", |e| {
        e.iter()
            .any(|e| matches!(e, Ev::State(LinkState::AuthFailed { .. })))
    })
    .await;
    let states = rec.states();
    assert!(
        matches!(states.last(), Some(LinkState::AuthFailed { detail, .. }) if detail == "closed by server (4001: bye)"),
        "{states:?}"
    );
    // ... and it tries again.
    let mut again = server.conn().await;
    assert_eq!(
        again.recv_text().await,
        r#"{"op":"subscribe","floor":"main"}"#
    );
    client.abort();
}
