//! The listener's HTTP server (axum): one path, the method, the content
//! type, the size and the read time checked before the signature or the
//! secret, and only then a frame for the dialect. Every refusal is a 4xx
//! and a count; nothing a client sends can stop the server.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use tokio::net::TcpListener;

use super::counters::{Counters, Reject};
use super::{Listen, Route, eventbridge, twilio};
use crate::http::Unreadable;

/// Hands one checked frame to the relay.
pub type Deliver = Arc<dyn Fn(&str) + Send + Sync>;

struct App {
    listen: Listen,
    counters: Arc<Counters>,
    deliver: Deliver,
}

type Refusal = (Reject, &'static str);

/// Serves until the task is dropped.
pub async fn serve(
    listener: TcpListener,
    listen: Listen,
    counters: Arc<Counters>,
    deliver: Deliver,
) -> std::io::Result<()> {
    let path = listen.route.path();
    let app = Arc::new(App {
        listen,
        counters,
        deliver,
    });
    let read_timeout = app.listen.read_timeout;
    let counters = app.counters.clone();
    // hyper answers these itself (the router never sees them); they are
    // counted and logged as the router's refusals are.
    let refused = move |kind: Unreadable| {
        let reject = match kind {
            Unreadable::Malformed => Reject::Malformed,
            Unreadable::TooLarge => Reject::TooLarge,
        };
        counters.reject(reject, kind.why());
    };
    let router = Router::new()
        .route(path, any(handle))
        .fallback(not_found)
        .with_state(app);
    // A client that sends its headers a byte at a time and never ends
    // them is cut off after `--read-timeout`, as a slow body is.
    crate::http::serve(
        listener,
        router,
        read_timeout,
        "webhooks",
        refused,
        std::future::pending(),
    )
    .await
}

async fn not_found(State(app): State<Arc<App>>) -> Response {
    refuse(
        &app,
        (
            Reject::NotFound,
            "no such path (see docs/relay.md, Webhooks)",
        ),
    )
}

async fn handle(State(app): State<Arc<App>>, req: Request) -> Response {
    match accept(&app, req).await {
        Ok(()) => {
            app.counters.accept();
            StatusCode::OK.into_response()
        }
        Err(r) => refuse(&app, r),
    }
}

fn refuse(app: &App, (kind, why): Refusal) -> Response {
    app.counters.reject(kind, why);
    let status = match kind {
        Reject::Malformed => StatusCode::BAD_REQUEST,
        Reject::Signature => StatusCode::FORBIDDEN,
        Reject::NotFound => StatusCode::NOT_FOUND,
        Reject::Method => StatusCode::METHOD_NOT_ALLOWED,
        Reject::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        Reject::ContentType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        Reject::Timeout => StatusCode::REQUEST_TIMEOUT,
    };
    let mut resp = (status, format!("{why}\n")).into_response();
    if kind == Reject::Method {
        resp.headers_mut()
            .insert(header::ALLOW, header::HeaderValue::from_static("POST"));
    }
    resp
}

async fn accept(app: &App, req: Request) -> Result<(), Refusal> {
    if req.method() != Method::POST {
        return Err((Reject::Method, "only POST is accepted"));
    }
    let (parts, body) = req.into_parts();
    let headers = &parts.headers;
    match &app.listen.route {
        Route::Twilio { token, public_url } => {
            content_type(headers, "application/x-www-form-urlencoded")?;
            let body = read(app, headers, body).await?;
            let Some(given) = headers.get("x-twilio-signature") else {
                return Err((Reject::Signature, "no X-Twilio-Signature header"));
            };
            let form = twilio::parse_form(&body)
                .ok_or((Reject::Malformed, "the form is not UTF-8 text"))?;
            let given = given
                .to_str()
                .map_err(|_| (Reject::Signature, "X-Twilio-Signature is not text"))?;
            if !twilio::verify(token, public_url, &form, given) {
                return Err((
                    Reject::Signature,
                    "wrong X-Twilio-Signature (check the auth token and that --public-url is the URL configured in Twilio)",
                ));
            }
            if form.is_empty() {
                return Err((Reject::Malformed, "an empty form"));
            }
            (app.deliver)(&twilio::frame(&form));
        }
        Route::EventBridge { header, secret } => {
            content_type(headers, "application/json")?;
            let given = headers.get(header.as_str()).map(|v| v.as_bytes());
            if !eventbridge::secret_ok(secret, given) {
                return Err((Reject::Signature, "missing or wrong secret header"));
            }
            let body = read(app, headers, body).await?;
            let frame = eventbridge::frame(&body)
                .ok_or((Reject::Malformed, "the body is not a JSON object or array"))?;
            (app.deliver)(&frame);
        }
    }
    Ok(())
}

/// The media type, parameters (`; charset=...`) aside.
fn content_type(headers: &HeaderMap, want: &str) -> Result<(), Refusal> {
    let ok = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case(want));
    if ok {
        Ok(())
    } else {
        Err((Reject::ContentType, "wrong or missing Content-Type"))
    }
}

/// The whole body, at most `max_body` bytes, within `read_timeout`: a
/// client that stalls is answered 408 and its connection closed.
async fn read(app: &App, headers: &HeaderMap, body: Body) -> Result<Vec<u8>, Refusal> {
    let max = app.listen.max_body;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max as u64) {
        return Err((Reject::TooLarge, "the body is over --max-body"));
    }
    let limited = http_body_util::Limited::new(body, max);
    let collect = http_body_util::BodyExt::collect(limited);
    match tokio::time::timeout(app.listen.read_timeout, collect).await {
        Err(_) => Err((
            Reject::Timeout,
            "the body did not arrive within --read-timeout",
        )),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => {
            Err((Reject::TooLarge, "the body is over --max-body"))
        }
        Ok(Err(_)) => Err((Reject::Malformed, "the body could not be read")),
        Ok(Ok(c)) => Ok(c.to_bytes().to_vec()),
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    use super::*;

    /// The listener on a loopback port, with its counters.
    async fn listening() -> (u16, Arc<Counters>, tokio::task::JoinHandle<()>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let listen = Listen {
            addr: format!("127.0.0.1:{port}"),
            route: Route::EventBridge {
                header: "X-Queuetop-Secret".into(),
                secret: b"s3cret".to_vec(),
            },
            max_body: 1024,
            read_timeout: Duration::from_secs(10),
        };
        let counters = Arc::new(Counters::default());
        let deliver: Deliver = Arc::new(|_| {});
        let c = counters.clone();
        let task = tokio::spawn(async move {
            let _ = serve(listener, listen, c, deliver).await;
        });
        (port, counters, task)
    }

    /// Sends `bytes` on a fresh connection and reads what comes back
    /// until the server closes (a write or read the server cut short is
    /// fine: it may close before reading everything).
    async fn exchange(port: u16, bytes: Vec<u8>) -> String {
        let s = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        let (mut r, mut w) = s.into_split();
        let writer = tokio::spawn(async move {
            let _ = w.write_all(&bytes).await;
            w
        });
        let mut got = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(5), r.read_to_end(&mut got)).await;
        drop(writer.await);
        String::from_utf8_lossy(&got).into_owned()
    }

    async fn until(what: &str, ok: impl Fn() -> bool) {
        let start = Instant::now();
        while !ok() {
            assert!(start.elapsed() < Duration::from_secs(5), "{what}");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    #[tokio::test]
    async fn requests_hyper_refuses_are_counted() {
        let (port, counters, task) = listening().await;

        let answer = exchange(port, b"NOT AN HTTP REQUEST\r\n\r\n".to_vec()).await;
        assert!(answer.starts_with("HTTP/1.1 400"), "{answer:?}");
        until("the garbage is counted as malformed", || {
            counters.rejected(Reject::Malformed) == 1
        })
        .await;

        // A header block far over hyper's limit (about 400 KiB).
        let mut big = b"POST /eventbridge HTTP/1.1\r\nHost: 127.0.0.1\r\n".to_vec();
        for i in 0..64 {
            big.extend_from_slice(format!("X-Pad-{i}: {}\r\n", "a".repeat(8 * 1024)).as_bytes());
        }
        big.extend_from_slice(b"\r\n");
        exchange(port, big).await;
        until("the oversized head is counted as too large", || {
            counters.rejected(Reject::TooLarge) == 1
        })
        .await;

        // The router's own refusals are counted beside them, as before.
        let answer = exchange(
            port,
            b"GET /eventbridge HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".to_vec(),
        )
        .await;
        assert!(answer.starts_with("HTTP/1.1 405"), "{answer:?}");
        let summary = counters.summary();
        assert!(
            summary.contains("malformed=1")
                && summary.contains("too_large=1")
                && summary.contains("method=1"),
            "{summary}"
        );
        task.abort();
    }
}
