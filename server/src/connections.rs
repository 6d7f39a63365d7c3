//! Accepts connections and serves each over HTTP/1.1, with a deadline for
//! every request's headers.
//!
//! `axum::serve` gives hyper no timer, so hyper's header read timeout never
//! fires there and a client sending one byte a second holds a connection
//! (and its task) for as long as it likes. This loop is `axum::serve`'s
//! shape with that one difference: each connection gets a timer and the
//! header deadline. The body's deadline is kept where the body is read
//! (`middleware::body_limit`), the handler's by a timeout layer.

use std::{convert::Infallible, future::Future, io, net::SocketAddr, time::Duration};

use axum::{body::Body, extract::ConnectInfo, Router};
use http::Request;
use hyper::{body::Incoming, server::conn::http1};
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    service::TowerToHyperService,
};
use tokio::{net::TcpListener, sync::watch};
use tower::{Service, ServiceExt};

/// Serves `router` on `listener` until `shutdown` completes; then accepts
/// no more connections, lets each finish the request it is in, and returns
/// once all have closed. Handlers see the peer as `ConnectInfo<SocketAddr>`,
/// as with `into_make_service_with_connect_info`.
pub async fn serve_connections(
    listener: TcpListener,
    router: Router,
    header_timeout: Duration,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    // Every connection holds a receiver of `open`; `open` closes when the
    // last one is gone. `stopping` tells them to finish up.
    let (open, open_receiver) = watch::channel(());
    let (stopping, stopping_receiver) = watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: wait rather than spin.
                    tracing::warn!(%error, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = with_peer(router.clone(), peer);
        let mut stopping = stopping_receiver.clone();
        let open = open_receiver.clone();
        tokio::spawn(async move {
            let connection = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
            tokio::pin!(connection);
            let finished = tokio::select! {
                finished = connection.as_mut() => finished,
                _ = stopping.changed() => {
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            if let Err(error) = finished {
                // A client that went away, or was too slow with its headers.
                tracing::debug!(%error, %peer, "connection ended with an error");
            }
            drop(open);
        });
    }
    drop(listener);
    let _ = stopping.send(true);
    drop(open_receiver);
    open.closed().await;
    Ok(())
}

/// `router` as a service of hyper's requests that records the peer address
/// in each request.
fn with_peer(
    router: Router,
    peer: SocketAddr,
) -> impl Service<
    Request<Incoming>,
    Response = axum::response::Response,
    Error = Infallible,
    Future = impl Send,
> + Clone
       + Send
       + 'static {
    router.map_request(move |request: Request<Incoming>| {
        let mut request = request.map(Body::new);
        request.extensions_mut().insert(ConnectInfo(peer));
        request
    })
}
