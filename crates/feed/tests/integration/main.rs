//! The feed client's integration tests, each against a real server on
//! loopback (WebSocket, TLS, an HTTP proxy, AMI over TCP).

mod ami_server;
mod common;
mod dialect_ami_tcp;
mod feed_batch;
mod feed_connect;
mod feed_frames;
mod feed_mbb;
mod feed_proxy;
mod feed_reconnect;
mod feed_resume;
mod feed_tls;
mod feed_trickle;
