//! Connections bounded: at most so many open at once, and each closed when the client keeps
//! it without using it. Without a bound, 1,100 silent connections held every descriptor
//! under a limit of 1,024 and every other reader waited for ever.
//!
//! Each connection has one clock, which runs against the client in every phase:
//!
//! - **idle**, waiting for a request (from the opening, and from each byte the server writes):
//!   closed after `idle_max` without a byte. The page's server-sent events write a keep-alive
//!   every 15 seconds, so they stay open.
//! - **headers**, from a request's first byte until the blank line that ends its headers:
//!   closed if they are not all in within `headers_max`, however the bytes drip (a client
//!   sending a byte a second would otherwise hold its connection for ever);
//! - **request**, from the end of the headers until the server writes its answer: closed
//!   after `request_max`, longer than the handlers' own limit (they answer a timeout at
//!   [`crate::api::REQUEST_MAX`]), so only a body that drips in is cut off, never a sift
//!   that computes for a minute.
//!
//! The headers' end is found by watching the bytes go by (HTTP/1.1, the only protocol the
//! server speaks: a request's headers end at the first empty line), so no server loop of our
//! own is needed under axum's.

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

/// How long a request's headers may take to arrive, from their first byte: a browser sends
/// them in one packet.
pub const HEADERS_MAX: Duration = Duration::from_secs(10);

/// How long from a request's headers to the first byte of its answer, at most: the handlers
/// answer by [`crate::api::REQUEST_MAX`] (a timeout, if it comes to that); the margin is for
/// the body's arrival.
const REQUEST_MAX: Duration = Duration::from_secs(crate::api::REQUEST_MAX.as_secs() + 10);

/// How long each phase of a connection may last ([`Bounded::new`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Clocks {
    /// Waiting for a request.
    pub(crate) idle_max: Duration,
    /// Reading a request's headers.
    pub(crate) headers_max: Duration,
}

/// A listener that holds a permit for every connection it has open.
pub(crate) struct Bounded {
    listener: TcpListener,
    permits: Arc<Semaphore>,
    clocks: Clocks,
}

impl Bounded {
    /// At most `connections_max` connections of `listener` at once, each closed when a phase
    /// outlasts its clock.
    pub(crate) fn new(listener: TcpListener, connections_max: usize, clocks: Clocks) -> Bounded {
        Bounded {
            listener,
            permits: Arc::new(Semaphore::new(connections_max)),
            clocks,
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
                            clocks: self.clocks,
                            deadline: Box::pin(tokio::time::sleep(self.clocks.idle_max)),
                            phase: Phase::Idle,
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

/// Where a connection is in its exchange with the client (see the module's documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Waiting for a request.
    Idle,
    /// Reading a request's headers; the last bytes read, to find the empty line that ends
    /// them across reads.
    Headers { last: [u8; 3] },
    /// The headers are in: the body, and the server's work on the request.
    Request,
}

/// One connection: its stream, its permit (given back when it closes), its phase and the
/// moment it is closed if the phase has not moved on.
pub(crate) struct Connection {
    stream: TcpStream,
    _permit: OwnedSemaphorePermit,
    clocks: Clocks,
    deadline: Pin<Box<Sleep>>,
    phase: Phase,
}

/// Whether `bytes`, read after `last` (the three bytes before them), hold the empty line that
/// ends a request's headers; `last` becomes the three bytes before the next read.
fn ends_headers(last: &mut [u8; 3], bytes: &[u8]) -> bool {
    let mut window = u32::from_be_bytes([0, last[0], last[1], last[2]]);
    for &byte in bytes {
        window = (window << 8) | u32::from(byte);
        if window == u32::from_be_bytes(*b"\r\n\r\n") || (window & 0xFFFF) == 0x0A0A {
            return true;
        }
    }
    let [_, a, b, c] = window.to_be_bytes();
    *last = [a, b, c];
    false
}

impl Connection {
    /// The client's bytes `bytes` read: a request begins, or its headers end.
    fn read(&mut self, bytes: &[u8]) {
        let now = Instant::now();
        if self.phase == Phase::Idle {
            self.phase = Phase::Headers { last: [0; 3] };
            self.deadline.as_mut().reset(now + self.clocks.headers_max);
        }
        if let Phase::Headers { last } = &mut self.phase
            && ends_headers(last, bytes)
        {
            self.phase = Phase::Request;
            self.deadline.as_mut().reset(now + REQUEST_MAX);
        }
    }

    /// The server wrote: the client's turn again.
    fn wrote(&mut self) {
        self.phase = Phase::Idle;
        self.deadline
            .as_mut()
            .reset(Instant::now() + self.clocks.idle_max);
    }

    /// An error once the phase's deadline has passed (and a wake-up then).
    fn check_deadline(&mut self, context: &mut Context<'_>) -> io::Result<()> {
        match self.deadline.as_mut().poll(context) {
            Poll::Ready(()) => Err(io::Error::new(
                io::ErrorKind::TimedOut,
                match self.phase {
                    Phase::Idle => "the connection was idle too long",
                    Phase::Headers { .. } => "the request's headers took too long to arrive",
                    Phase::Request => "the request took too long to arrive",
                },
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
                let read = &buffer.filled()[before..];
                if !read.is_empty() {
                    this.read(read);
                }
                Poll::Ready(result)
            }
            Poll::Pending => {
                this.check_deadline(context)?;
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
                    this.wrote();
                }
                Poll::Ready(result)
            }
            Poll::Pending => {
                this.check_deadline(context)?;
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

#[cfg(test)]
mod tests {
    use super::ends_headers;

    /// Goal: the headers' end is found wherever the reads split it, and only there. Method: a
    /// request cut at every byte into two reads; a request line and a header with no empty
    /// line; a bare-LF request.
    #[test]
    fn the_end_of_the_headers_is_found_across_reads() {
        let request = b"GET /api/version HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        for cut in 0..=request.len() {
            let mut last = [0; 3];
            let (first, second) = request.split_at(cut);
            let found = ends_headers(&mut last, first) || ends_headers(&mut last, second);
            assert!(found, "cut at {cut}");
        }
        let mut last = [0; 3];
        for byte in b"GET / HTTP/1.1\r\nX-Drip: y\r\nX-Drip: y\r\n" {
            assert!(!ends_headers(&mut last, &[*byte]));
        }
        assert!(ends_headers(&mut last, b"\r\n"));
        assert!(ends_headers(&mut [0; 3], b"GET / HTTP/1.1\nHost: x\n\n"));
    }
}
