//! The server's handshake answer gathered whole before the WebSocket
//! library reads it.
//!
//! tungstenite counts the reads of a handshake answer and refuses one that
//! came in more than 64 reads averaging under 128 bytes (a guard against
//! slow-loris servers). A slow middlebox on a jump-host path can trickle a
//! genuine answer a few bytes per TCP segment, and the guard then refuses
//! it. The only limit we want there is `connect_timeout`, which the caller
//! already puts around the handshake. So this stream keeps reading until
//! it holds the whole HTTP head (up to the blank line), or [`MAX_HEAD`]
//! bytes, and only then hands it on, in one read; after that it passes
//! everything through.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Most bytes gathered; the library refuses a longer head by its own limit.
pub const MAX_HEAD: usize = 64 * 1024;

pub struct GatherHead<S> {
    inner: S,
    /// What has been read and not yet handed on.
    buf: Vec<u8>,
    /// Whether the head is complete (or the stream ended, or hit the cap):
    /// from then on reads hand on `buf` first, then pass through.
    done: bool,
}

impl<S> GatherHead<S> {
    pub fn new(inner: S) -> Self {
        GatherHead {
            inner,
            buf: Vec::new(),
            done: false,
        }
    }
}

fn head_complete(buf: &[u8]) -> bool {
    memchr::memmem::find(buf, b"\r\n\r\n").is_some()
}

impl<S: AsyncRead + Unpin> AsyncRead for GatherHead<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        out: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        while !this.done {
            let mut chunk = [0u8; 1024];
            let mut rb = ReadBuf::new(&mut chunk);
            match Pin::new(&mut this.inner).poll_read(cx, &mut rb) {
                // The inner stream has registered the waker.
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Ready(Ok(())) => {
                    let got = rb.filled();
                    this.buf.extend_from_slice(got);
                    this.done =
                        got.is_empty() || head_complete(&this.buf) || this.buf.len() >= MAX_HEAD;
                }
            }
        }
        if !this.buf.is_empty() {
            let n = this.buf.len().min(out.remaining());
            out.put_slice(&this.buf[..n]);
            this.buf.drain(..n);
            if this.buf.is_empty() {
                this.buf = Vec::new();
            }
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.inner).poll_read(cx, out)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for GatherHead<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, data)
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }
    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[tokio::test]
    async fn a_trickled_head_is_handed_on_in_one_read_with_its_tail() {
        let (mut server, client) = tokio::io::duplex(64);
        let mut g = GatherHead::new(client);
        let sent = b"HTTP/1.1 101 OK\r\nA: b\r\n\r\nTAIL";
        let writer = tokio::spawn(async move {
            for b in sent {
                server.write_all(&[*b]).await.unwrap();
                tokio::task::yield_now().await;
            }
            server
        });
        let mut first = vec![0u8; 4096];
        let n = g.read(&mut first).await.unwrap();
        assert!(head_complete(&first[..n]), "{:?}", &first[..n]);
        let _server = writer.await.unwrap();
        let mut rest = Vec::new();
        rest.extend_from_slice(&first[..n]);
        while !rest.ends_with(b"TAIL") {
            let n = g.read(&mut first).await.unwrap();
            rest.extend_from_slice(&first[..n]);
        }
        assert_eq!(rest, sent);
    }
}
