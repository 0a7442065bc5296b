//! Connections bounded: at most so many open at once, and each closed once it has been idle
//! (nothing read or written) for a while. Without either, 1,100 silent connections held every
//! descriptor under a limit of 1,024 and every other reader waited for ever.
//!
//! The idle clock runs only while the server waits for the client: from the connection's
//! opening to its first byte, and from each byte the server writes to the client's next. It
//! stops while a request is in flight (the client's bytes were the last to move), so a sift
//! that computes for a minute is not cut off, and the page's server-sent events (a keep-alive
//! every 15 seconds) stay open. A silent client, or one kept alive and gone quiet, is closed.
//! Not covered: a client that drips its request a byte at a time holds its connection, within
//! the cap; a timeout on reading a request's headers would need hyper's own server loop.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, Sleep};

/// Connections open at once, at most: well under the usual 1,024 descriptors, and far more
/// than a class's browsers open.
pub const CONNECTIONS_MAX: usize = 256;

/// How long a connection may stay idle before it is closed.
pub const IDLE_MAX: Duration = Duration::from_secs(30);

/// A listener that holds a permit for every connection it has open.
pub(crate) struct Bounded {
    listener: TcpListener,
    permits: Arc<Semaphore>,
    idle_max: Duration,
}

impl Bounded {
    /// At most `connections_max` connections of `listener` at once, each closed after
    /// `idle_max` without a byte either way.
    pub(crate) fn new(
        listener: TcpListener,
        connections_max: usize,
        idle_max: Duration,
    ) -> Bounded {
        Bounded {
            listener,
            permits: Arc::new(Semaphore::new(connections_max)),
            idle_max,
        }
    }
}

impl axum::serve::Listener for Bounded {
    type Io = Connection;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Connection, std::net::SocketAddr) {
        // Waits for a connection to close before taking another: the kernel's backlog holds
        // the rest, and idle ones close within `idle_max`.
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .expect("the semaphore is never closed");
        loop {
            match self.listener.accept().await {
                Ok((stream, address)) => {
                    return (
                        Connection {
                            stream,
                            _permit: permit,
                            idle_max: self.idle_max,
                            deadline: Box::pin(tokio::time::sleep(self.idle_max)),
                            waiting_for_client: true,
                        },
                        address,
                    );
                }
                // Out of descriptors or a connection reset before it was taken: wait a
                // moment and go on, as axum's own listener does.
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<std::net::SocketAddr> {
        self.listener.local_addr()
    }
}

/// One connection: its stream, its permit (given back when it closes), and the moment it is
/// closed if no byte moves before.
pub(crate) struct Connection {
    stream: TcpStream,
    _permit: OwnedSemaphorePermit,
    idle_max: Duration,
    deadline: Pin<Box<Sleep>>,
    /// Whether the last bytes to move were the server's (or none yet): the client's turn.
    waiting_for_client: bool,
}

impl Connection {
    /// Bytes moved, the client's (`from_client`) or the server's: the clock starts again.
    fn moved(&mut self, from_client: bool) {
        self.waiting_for_client = !from_client;
        self.deadline.as_mut().reset(Instant::now() + self.idle_max);
    }

    /// An error once the deadline has passed while the client's turn (and a wake-up then).
    fn check_idle(&mut self, context: &mut Context<'_>) -> io::Result<()> {
        if !self.waiting_for_client {
            return Ok(());
        }
        match self.deadline.as_mut().poll(context) {
            Poll::Ready(()) => Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the connection was idle too long",
            )),
            Poll::Pending => Ok(()),
        }
    }
}

impl AsyncRead for Connection {
    fn poll_read(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buffer: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buffer.filled().len();
        match Pin::new(&mut this.stream).poll_read(context, buffer) {
            Poll::Ready(result) => {
                if buffer.filled().len() > before {
                    this.moved(true);
                }
                Poll::Ready(result)
            }
            Poll::Pending => {
                this.check_idle(context)?;
                Poll::Pending
            }
        }
    }
}

impl AsyncWrite for Connection {
    fn poll_write(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
        bytes: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.stream).poll_write(context, bytes) {
            Poll::Ready(result) => {
                if result.as_ref().is_ok_and(|written| *written > 0) {
                    this.moved(false);
                }
                Poll::Ready(result)
            }
            Poll::Pending => {
                this.check_idle(context)?;
                Poll::Pending
            }
        }
    }

    fn poll_flush(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(Pin::new(&mut this.stream).poll_flush(context))?;
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(context)
    }
}
