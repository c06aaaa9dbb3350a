//! A handshake answer trickled one byte per TCP write, 1-2 ms apart (a slow
//! middlebox): the only limit is `connect_timeout`, not a count of reads.
//! Real time, not a paused clock: the point is how the bytes arrive.

use crate::common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{Ev, Rec, spawn_client};
use futures_util::SinkExt;
use queuetop_feed::FeedConfig;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::Role;

/// Reads the client's request head and returns its Sec-WebSocket-Key.
async fn read_key(tcp: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        assert!(tcp.read(&mut byte).await.unwrap() == 1 && head.len() < 8192);
        head.push(byte[0]);
    }
    String::from_utf8(head)
        .unwrap()
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("sec-websocket-key")
                .then(|| v.trim().to_string())
        })
        .expect("a key")
}

/// Answers the handshake one byte per write, then sends one frame.
/// Counts its writes in `writes`.
async fn trickle_server(listener: TcpListener, writes: Arc<AtomicUsize>) {
    let (mut tcp, _) = listener.accept().await.unwrap();
    tcp.set_nodelay(true).unwrap();
    let key = read_key(&mut tcp).await;
    let answer = format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Accept: {}\r\nX-Path: {}\r\n\r\n",
        derive_accept_key(key.as_bytes()),
        "jump-host-".repeat(12)
    );
    for (i, b) in answer.bytes().enumerate() {
        tcp.write_all(&[b]).await.unwrap();
        tcp.flush().await.unwrap();
        writes.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(1 + (i % 2) as u64)).await;
    }
    let mut ws = WebSocketStream::from_raw_socket(tcp, Role::Server, None).await;
    ws.send(Message::text("after the trickle")).await.unwrap();
    // Keep the link up while the client reads.
    tokio::time::sleep(Duration::from_secs(30)).await;
}

#[tokio::test]
async fn a_handshake_trickled_byte_by_byte_connects_within_the_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}/feed", listener.local_addr().unwrap());
    let writes = Arc::new(AtomicUsize::new(0));
    let server = tokio::spawn(trickle_server(listener, writes.clone()));
    let mut cfg = FeedConfig::new(url);
    cfg.connect_timeout = Duration::from_secs(10);
    let rec = Rec::default();
    let start = Instant::now();
    let client = spawn_client(cfg, rec.clone());
    let heard = rec.until("the frame after the handshake", |e| {
        e.contains(&Ev::Frame("after the trickle".into()))
    });
    // Well past the timeout: a refused handshake fails here, not in minutes.
    if tokio::time::timeout(Duration::from_secs(15), heard)
        .await
        .is_err()
    {
        panic!("not connected: {:?}", rec.events());
    }
    let took = start.elapsed();
    assert_eq!(rec.connects(), 1, "{:?}", rec.events());
    // Far more writes than tungstenite's own guard allows (64 reads
    // averaging under 128 bytes), and it took real time.
    assert!(writes.load(Ordering::SeqCst) > 200, "{writes:?}");
    client.abort();
    server.abort();
    assert!(took >= Duration::from_millis(200), "{took:?}");
    assert!(took < Duration::from_secs(10), "{took:?}");
}
