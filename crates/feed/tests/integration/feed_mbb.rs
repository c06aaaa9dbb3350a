//! Make-before-break: the server announces it will close the socket; the
//! client opens the next connection first and switches once it is up.

use crate::common;

use common::{Ev, Rec, Server, spawn_client};
use futures_util::SinkExt;
use queuetop_engine::health::LinkState;
use queuetop_feed::FeedConfig;
use tokio_tungstenite::tungstenite::Message;

#[tokio::test(start_paused = true)]
async fn reconnect_soon_switches_before_the_old_socket_drops() {
    let mut server = Server::start().await;
    let mut cfg = FeedConfig::new(server.url());
    cfg.subscribe = Some("sub".into());
    let rec = Rec {
        marker: Some("socket_closing"),
        ..Rec::default()
    };
    let client = spawn_client(cfg, rec.clone());
    let mut old = server.conn().await;
    assert_eq!(old.recv_text().await, "sub");
    old.send_text("a1").await;
    old.send_text(r#"{"topicName":"channel.metadata","eventBody":{"message":"socket_closing"}}"#)
        .await;
    // Still delivered: the old socket is read while the new one opens.
    old.send_text("a2").await;
    let mut new = server.conn().await;
    assert_eq!(new.recv_text().await, "sub", "the new link is greeted too");
    // The client leaves the old socket with a close frame, after the new one is up.
    loop {
        match old.recv().await {
            Some(Message::Close(_)) => break,
            Some(_) => continue,
            None => panic!("the old socket dropped without a close frame"),
        }
    }
    new.send_text("b1").await;
    rec.until("b1", |e| e.contains(&Ev::Frame("b1".into())))
        .await;
    let frames = rec.frames();
    assert_eq!(frames[0], "a1");
    assert_eq!(frames[2..], ["a2", "b1"]);
    assert_eq!(rec.connects(), 2);
    // No gap was ever shown: the link went from connected to connected.
    assert!(
        rec.states()
            .iter()
            .all(|s| matches!(s, LinkState::Connecting | LinkState::Connected)),
        "{:?}",
        rec.states()
    );
    // A frame the old socket sends now is not delivered.
    let _ = old.ws.send(Message::text("late")).await;
    new.send_text("b2").await;
    rec.until("b2", |e| e.contains(&Ev::Frame("b2".into())))
        .await;
    assert!(!rec.frames().contains(&"late".to_string()));
    client.abort();
}
