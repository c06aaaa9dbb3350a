//! TLS for wss://: rustls with the `ring` provider (set explicitly, so no
//! process-wide default is needed and none can be missing), the operating
//! system's trusted roots, and an optional extra CA file for private feeds.

use std::path::Path;
use std::sync::Arc;

use rustls::RootCertStore;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use super::error::LinkError;

/// Builds the client configuration once per run: reading the system's roots
/// costs a few milliseconds of file reads.
pub fn client_config(ca_file: Option<&Path>) -> Result<Arc<rustls::ClientConfig>, String> {
    let mut roots = RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    for e in &native.errors {
        tracing::warn!("system CA certificates: {e}");
    }
    let (added, ignored) = roots.add_parsable_certificates(native.certs);
    if ignored > 0 {
        tracing::warn!("system CA certificates: {ignored} could not be used");
    }
    tracing::info!("system CA certificates: {added} trusted");
    if let Some(path) = ca_file {
        let extra = read_pem_certs(path)?;
        let (added, _) = roots.add_parsable_certificates(extra);
        if added == 0 {
            return Err(format!(
                "key `feed.ca_file` {}: no usable CA certificate in it",
                path.display()
            ));
        }
    }
    if roots.is_empty() {
        return Err(
            "no trusted CA certificates: the system has none; give one with `feed.ca_file`".into(),
        );
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

fn read_pem_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let bytes =
        std::fs::read(path).map_err(|e| format!("key `feed.ca_file` {}: {e}", path.display()))?;
    let certs: Result<Vec<_>, _> = CertificateDer::pem_slice_iter(&bytes).collect();
    match certs {
        Ok(c) if !c.is_empty() => Ok(c),
        Ok(_) => Err(format!(
            "key `feed.ca_file` {}: no PEM certificate in it",
            path.display()
        )),
        Err(e) => Err(format!("key `feed.ca_file` {}: {e}", path.display())),
    }
}

/// The TLS handshake over `stream` (a TCP connection or a proxy tunnel).
pub async fn handshake<S: AsyncRead + AsyncWrite + Unpin>(
    config: Arc<rustls::ClientConfig>,
    host: &str,
    stream: S,
) -> Result<TlsStream<S>, LinkError> {
    let name = ServerName::try_from(host.to_string())
        .map_err(|_| LinkError::new(format!("'{host}' is not a valid TLS server name")))?;
    TlsConnector::from(config)
        .connect(name, stream)
        .await
        .map_err(|e| {
            // rustls errors arrive wrapped in io::Error; their text is the
            // reason ("invalid peer certificate: UnknownIssuer").
            let inner = e
                .get_ref()
                .map(|i| i.to_string())
                .unwrap_or_else(|| super::error::io_reason(&e));
            LinkError::new(format!("TLS: {inner}"))
        })
}
