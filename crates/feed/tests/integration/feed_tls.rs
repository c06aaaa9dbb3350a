//! wss:// against a loopback TLS server whose CA is given by `feed.ca_file`.
//!
//! These run on tokio's real clock: nothing here waits on a timer, and a
//! paused clock may jump past the handshake timeouts while both TLS ends
//! are busy on the one test thread.

use crate::common;

use std::sync::Arc;

use common::{Acceptor, ConnectProxy, Ev, Io, Rec, Server, ServerOpts, spawn_client};
use queuetop_feed::FeedConfig;
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

struct Pki {
    ca_pem: String,
    leaf: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
}

fn make_pki(name: &str) -> Pki {
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name.push(DnType::CommonName, name);
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca = CertifiedIssuer::self_signed(ca, KeyPair::generate().unwrap()).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])
        .unwrap()
        .signed_by(&leaf_key, &ca)
        .unwrap();
    Pki {
        ca_pem: ca.pem(),
        leaf: leaf.der().clone(),
        key: PrivatePkcs8KeyDer::from(leaf_key.serialize_der()).into(),
    }
}

async fn tls_server(pki: &Pki) -> Server {
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![pki.leaf.clone()], pki.key.clone_key())
    .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let wrap: Acceptor = Arc::new(move |tcp| {
        let acceptor = acceptor.clone();
        Box::pin(async move { Ok(Box::new(acceptor.accept(tcp).await?) as Box<dyn Io>) })
    });
    Server::with(ServerOpts {
        acceptor: Some(wrap),
        ..ServerOpts::default()
    })
    .await
}

fn cfg_with_ca(server: &Server, ca_pem: &str, dir: &tempfile::TempDir) -> FeedConfig {
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, ca_pem).unwrap();
    let mut cfg = FeedConfig::new(format!("wss://127.0.0.1:{}/feed", server.addr.port()));
    cfg.ca_file = Some(ca_file);
    cfg.subscribe = Some("sub".into());
    cfg
}

#[tokio::test]
async fn wss_with_a_private_ca() {
    let pki = make_pki("queuetop test CA");
    let mut server = tls_server(&pki).await;
    let dir = tempfile::tempdir().unwrap();
    let rec = Rec::default();
    let client = spawn_client(cfg_with_ca(&server, &pki.ca_pem, &dir), rec.clone());
    let mut conn = server.conn().await;
    assert_eq!(conn.recv_text().await, "sub");
    conn.send_text("over tls").await;
    rec.until("the frame", |e| e.contains(&Ev::Frame("over tls".into())))
        .await;
    client.abort();
}

#[tokio::test]
async fn wss_through_a_connect_proxy() {
    let pki = make_pki("queuetop test CA");
    let mut server = tls_server(&pki).await;
    let proxy = ConnectProxy::start().await;
    let dir = tempfile::tempdir().unwrap();
    let rec = Rec::default();
    let mut cfg = cfg_with_ca(&server, &pki.ca_pem, &dir);
    cfg.proxy = Some(format!("http://{}", proxy.addr));
    let client = spawn_client(cfg, rec.clone());
    let mut conn = server.conn().await;
    assert_eq!(conn.recv_text().await, "sub");
    let requests = proxy.requests();
    assert_eq!(requests.len(), 1);
    assert!(requests[0].starts_with(&format!(
        "CONNECT 127.0.0.1:{} HTTP/1.1\r\n",
        server.addr.port()
    )));
    client.abort();
}

#[tokio::test]
async fn an_unknown_ca_is_refused_with_a_clear_reason() {
    let pki = make_pki("queuetop test CA");
    let other = make_pki("some other CA");
    let server = tls_server(&pki).await;
    let dir = tempfile::tempdir().unwrap();
    let rec = Rec::default();
    let client = spawn_client(cfg_with_ca(&server, &other.ca_pem, &dir), rec.clone());
    let last_error = rec.first_failure().await;
    assert!(
        last_error.starts_with("TLS: invalid peer certificate"),
        "{last_error}"
    );
    assert_eq!(rec.connects(), 0);
    client.abort();
}
