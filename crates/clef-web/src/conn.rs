//! The connection under HTTP. A request the HTTP layer cannot read (an
//! address longer than it parses, headers over its limits, bytes that are
//! not HTTP/1.1) is answered there, before any handler runs, with a status
//! and an empty body. [`ProblemIo`] gives those answers a problem+json body
//! that says what was wrong, like every other error of Clef.

use axum::serve::Listener;
use std::{
    io,
    net::SocketAddr,
    pin::Pin,
    task::{Context, Poll, ready},
};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// A TCP listener whose connections are [`ProblemIo`]s.
pub(crate) struct ClefListener(pub(crate) tokio::net::TcpListener);

impl Listener for ClefListener {
    type Io = ProblemIo<tokio::net::TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        // The listener's own accept waits out errors such as too many
        // open files.
        let (stream, addr) = Listener::accept(&mut self.0).await;
        (ProblemIo::new(stream), addr)
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.0.local_addr()
    }
}

/// A connection that completes the HTTP layer's own bodiless refusals.
pub(crate) struct ProblemIo<S> {
    inner: S,
    /// An answer being written in place of the refusal: its bytes, how
    /// many are written, and the length of the refusal it stands for.
    answer: Option<(Vec<u8>, usize, usize)>,
}

impl<S> ProblemIo<S> {
    pub(crate) fn new(inner: S) -> Self {
        Self {
            inner,
            answer: None,
        }
    }
}

/// What each refusal of the HTTP layer means, said to the sender.
fn detail(status: u16) -> Option<&'static str> {
    Some(match status {
        400 => {
            "the request is not HTTP/1.1 that the server can read: check the request line and the headers"
        }
        414 => {
            "the address is longer than the 65,534 characters the server reads: send fewer or shorter values in the query"
        }
        431 => {
            "the headers are larger than the server reads (at most 100 headers and about 400 KB): send fewer or shorter headers, fewer cookies for instance"
        }
        _ => return None,
    })
}

/// The refusal in `head` with a problem+json body, when `head` is one: a
/// whole response head of status 400, 414 or 431 that closes the connection
/// and has no body. Every such answer of Clef's handlers has a body, so
/// only the HTTP layer's refusals match.
fn with_problem(head: &[u8]) -> Option<Vec<u8>> {
    // Most writes are other answers and bodies: a glance tells them apart.
    if head.len() > 1024 || !head.starts_with(b"HTTP/1.1 4") || !head.ends_with(b"\r\n\r\n") {
        return None;
    }
    let text = std::str::from_utf8(head).ok()?;
    let rest = text.strip_prefix("HTTP/1.1 ")?;
    let status: u16 = rest.get(..3)?.parse().ok()?;
    let detail = detail(status)?;
    let fields = text.strip_suffix("\r\n\r\n")?;
    // One head alone: not answers written together (pipelined requests).
    if fields.contains("\r\n\r\n") || text.matches("HTTP/1.1 ").count() != 1 {
        return None;
    }
    let lines: Vec<&str> = fields.split("\r\n").collect();
    let has = |want: &str| lines.iter().any(|l| l.eq_ignore_ascii_case(want));
    if !has("connection: close") || !has("content-length: 0") {
        return None;
    }
    let title = rest.get(4..)?.split("\r\n").next()?;
    let body = serde_json::json!({
        "type": "/problems/http",
        "title": title,
        "status": status,
        "detail": detail,
    })
    .to_string();
    let mut out = String::with_capacity(head.len() + body.len() + 64);
    for line in lines {
        if line.eq_ignore_ascii_case("content-length: 0") {
            out.push_str("content-type: application/problem+json\r\n");
            out.push_str(&format!("content-length: {}\r\n", body.len()));
        } else {
            out.push_str(line);
            out.push_str("\r\n");
        }
    }
    out.push_str("\r\n");
    out.push_str(&body);
    Some(out.into_bytes())
}

impl<S: AsyncRead + Unpin> AsyncRead for ProblemIo<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for ProblemIo<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if this.answer.is_none() {
            match with_problem(buf) {
                Some(bytes) => this.answer = Some((bytes, 0, buf.len())),
                None => return Pin::new(&mut this.inner).poll_write(cx, buf),
            }
        }
        let Some((bytes, written, stands_for)) = this.answer.as_mut() else {
            return Poll::Ready(Ok(0));
        };
        while *written < bytes.len() {
            match ready!(Pin::new(&mut this.inner).poll_write(cx, &bytes[*written..]))? {
                0 => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                n => *written += n,
            }
        }
        let n = *stands_for;
        this.answer = None;
        Poll::Ready(Ok(n))
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        // A refusal is a head alone, written as one slice.
        let first = bufs.iter().find(|b| !b.is_empty());
        match first {
            Some(b) if self.answer.is_some() || (bufs.len() == 1 && with_problem(b).is_some()) => {
                self.poll_write(cx, b)
            }
            _ => Pin::new(&mut self.inner).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::with_problem;

    #[test]
    fn only_bodiless_refusals_that_close_get_a_problem() {
        let head = b"HTTP/1.1 431 Request Header Fields Too Large\r\nconnection: close\r\ncontent-length: 0\r\ndate: Tue, 24 Nov 2026 22:58:15 GMT\r\n\r\n";
        let out = String::from_utf8(with_problem(head).unwrap()).unwrap();
        let (h, body) = out.split_once("\r\n\r\n").unwrap();
        assert!(h.contains("content-type: application/problem+json"), "{h}");
        assert!(
            h.contains(&format!("content-length: {}", body.len())),
            "{h}"
        );
        assert!(h.contains("date: Tue, 24 Nov 2026"), "{h}");
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["status"], 431);
        assert_eq!(v["title"], "Request Header Fields Too Large");
        // A handler's answer, a kept-alive connection, or another status
        // pass untouched.
        assert!(with_problem(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n").is_none());
        assert!(
            with_problem(
                b"HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n"
            )
            .is_none()
        );
        assert!(
            with_problem(
                b"HTTP/1.1 414 URI Too Long\r\nconnection: close\r\ncontent-length: 12\r\n\r\n"
            )
            .is_none()
        );
        assert!(with_problem(b"{\"status\": 400}").is_none());
        // Two answers written at once (pipelined requests): left alone.
        assert!(
            with_problem(
                b"HTTP/1.1 400 Bad Request\r\ncontent-length: 2\r\n\r\n{}HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 0\r\n\r\n"
            )
            .is_none()
        );
    }
}

/// The address a connection comes from, for the requests it carries
/// (`ConnectInfo<PeerAddr>`).
#[derive(Debug, Clone, Copy)]
pub struct PeerAddr(pub SocketAddr);

impl axum::extract::connect_info::Connected<axum::serve::IncomingStream<'_, ClefListener>>
    for PeerAddr
{
    fn connect_info(stream: axum::serve::IncomingStream<'_, ClefListener>) -> Self {
        PeerAddr(*stream.remote_addr())
    }
}
