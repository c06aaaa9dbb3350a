//! `queuetop serve-demo`: the demo floor as a WebSocket feed for any client.

use crate::cli::ServeDemoArgs;
use crate::error::{AppError, AppResult};
use crate::logging::init_log;

use super::server::{DEFAULT_SEED, serve};
use super::sim::MAX_RATE;

/// The `--rate` factor, checked: a number from 0 (no traffic) to [`MAX_RATE`].
pub fn parse_rate(rate: Option<f64>) -> AppResult<f64> {
    match rate {
        None => Ok(1.0),
        Some(r) if r.is_finite() && (0.0..=MAX_RATE).contains(&r) => Ok(r),
        Some(r) => Err(AppError::Usage(format!(
            "--rate: '{r}' is not a factor from 0 to {MAX_RATE} (1 = a normal day)"
        ))),
    }
}

pub fn serve_demo(args: ServeDemoArgs) -> AppResult<()> {
    let rate = parse_rate(args.rate)?;
    let seed = args.seed.unwrap_or(DEFAULT_SEED);
    match &args.log {
        Some(path) => init_log(Some(path))?,
        // No terminal UI here: without a log file, warnings go to stderr.
        None => {
            let _ = tracing_subscriber::fmt()
                .with_writer(std::io::stderr)
                .with_max_level(tracing::Level::WARN)
                .try_init();
        }
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| AppError::Runtime(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(async {
        let listen = &args.listen;
        let addr = tokio::net::lookup_host(listen.as_str())
            .await
            .ok()
            .and_then(|mut addrs| addrs.next())
            .ok_or_else(|| {
                AppError::Usage(format!(
                    "--listen: '{listen}' is not an address to listen on, like 127.0.0.1:8765"
                ))
            })?;
        // As for --metrics-listen: an address that cannot be had is the
        // command line's to fix (status 2), not a failure at run time.
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| AppError::Usage(format!("--listen {listen}: {e}")))?;
        let bound = listener
            .local_addr()
            .map_err(|e| AppError::Runtime(format!("cannot listen on {listen}: {e}")))?;
        println!("serving the demo feed on ws://{bound}");
        tokio::select! {
            () = serve(listener, seed, rate) => Ok(()),
            _ = tokio::signal::ctrl_c() => Ok(()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_is_checked() {
        assert_eq!(parse_rate(None).ok(), Some(1.0));
        assert_eq!(parse_rate(Some(2.5)).ok(), Some(2.5));
        assert_eq!(parse_rate(Some(0.0)).ok(), Some(0.0));
        for bad in [-1.0, 101.0, f64::NAN, f64::INFINITY] {
            let err = parse_rate(Some(bad)).unwrap_err();
            assert_eq!(err.exit_code(), 2);
            assert!(err.message().starts_with("--rate"));
        }
    }
}
