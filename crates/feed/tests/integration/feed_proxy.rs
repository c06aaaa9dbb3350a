//! HTTP CONNECT proxies: from the config, from the environment, NO_PROXY,
//! and a proxy that refuses.

use crate::common;

use base64::Engine;
use common::{ConnectProxy, Ev, Rec, Server, spawn_client, spawn_client_env};
use queuetop_feed::FeedConfig;

fn cfg(url: String) -> FeedConfig {
    let mut c = FeedConfig::new(url);
    c.subscribe = Some("sub".into());
    c
}

#[tokio::test(start_paused = true)]
async fn the_configured_proxy_tunnels_with_basic_auth() {
    let mut server = Server::start().await;
    let proxy = ConnectProxy::start().await;
    let mut c = cfg(server.url());
    c.proxy = Some(format!("http://agent:pa%20ss@{}", proxy.addr));
    let rec = Rec::default();
    let client = spawn_client(c, rec.clone());
    let mut conn = server.conn().await;
    // The server sees the subscribe through the tunnel.
    assert_eq!(conn.recv_text().await, "sub");
    conn.send_text("through").await;
    rec.until("the frame", |e| e.contains(&Ev::Frame("through".into())))
        .await;
    let requests = proxy.requests();
    assert_eq!(requests.len(), 1);
    let head = &requests[0];
    assert!(
        head.starts_with(&format!("CONNECT {} HTTP/1.1\r\n", server.addr)),
        "{head}"
    );
    let basic = base64::engine::general_purpose::STANDARD.encode("agent:pa ss");
    assert!(
        head.contains(&format!("Proxy-Authorization: Basic {basic}\r\n")),
        "{head}"
    );
    client.abort();
}

#[tokio::test(start_paused = true)]
async fn the_environment_proxy_is_used_unless_no_proxy_names_the_host() {
    let mut server = Server::start().await;
    let proxy = ConnectProxy::start().await;
    let proxy_url = format!("http://{}", proxy.addr);
    // HTTP_PROXY for ws://.
    let env = |name: &str| (name == "HTTP_PROXY").then(|| proxy_url.clone());
    let client = spawn_client_env(cfg(server.url()), Rec::default(), &env);
    assert_eq!(server.conn().await.recv_text().await, "sub");
    assert_eq!(proxy.requests().len(), 1);
    client.abort();
    // NO_PROXY with the host and port: straight to the server.
    let no_proxy = format!("example.com, 127.0.0.1:{}", server.addr.port());
    let env = |name: &str| match name {
        "HTTP_PROXY" => Some(proxy_url.clone()),
        "no_proxy" => Some(no_proxy.clone()),
        _ => None,
    };
    let client = spawn_client_env(cfg(server.url()), Rec::default(), &env);
    assert_eq!(server.conn().await.recv_text().await, "sub");
    assert_eq!(proxy.requests().len(), 1, "the proxy was bypassed");
    client.abort();
    // An empty `feed.proxy` turns the environment's proxy off too.
    let mut c = cfg(server.url());
    c.proxy = Some(String::new());
    let env = |name: &str| (name == "HTTP_PROXY").then(|| proxy_url.clone());
    let client = spawn_client_env(c, Rec::default(), &env);
    assert_eq!(server.conn().await.recv_text().await, "sub");
    assert_eq!(proxy.requests().len(), 1);
    client.abort();
}

#[tokio::test(start_paused = true)]
async fn a_refused_tunnel_is_a_clear_reason() {
    // Nothing listens on the target port: the proxy answers 502.
    let gone = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let target = gone.local_addr().unwrap();
    drop(gone);
    let proxy = ConnectProxy::start().await;
    let mut c = cfg(format!("ws://{target}/"));
    c.proxy = Some(proxy.addr.to_string());
    let rec = Rec::default();
    let client = spawn_client(c, rec.clone());
    let last_error = rec.first_failure().await;
    assert_eq!(
        last_error,
        format!("proxy {} refused the tunnel: 502 Bad Gateway", proxy.addr)
    );
    client.abort();
}
