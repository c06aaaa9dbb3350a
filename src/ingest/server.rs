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
