//! One accepted connection: the socket wrapped so that every byte moved marks it active, and a
//! watchdog that ends the connection once it has been idle for the configured time.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::Instant;

/// When a connection last moved a byte, as milliseconds after it opened.
#[derive(Debug, Clone)]
pub struct Activity {
    opened: Instant,
    last_ms: Arc<AtomicU64>,
}

impl Activity {
    fn new() -> Self {
        Self {
            opened: Instant::now(),
            last_ms: Arc::new(AtomicU64::new(0)),
        }
    }

    fn touch(&self) {
        let ms = u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.fetch_max(ms, Ordering::Relaxed);
    }

    fn last(&self) -> Instant {
        self.opened + Duration::from_millis(self.last_ms.load(Ordering::Relaxed))
    }

    /// Resolves once no byte has moved either way for `limit`.
    pub async fn idle_for(&self, limit: Duration) {
        loop {
            let deadline = self.last() + limit;
            if Instant::now() >= deadline {
                return;
            }
            tokio::time::sleep_until(deadline).await;
        }
    }
}

/// A TCP stream that records its activity.
#[derive(Debug)]
pub struct Tracked {
    inner: TcpStream,
    activity: Activity,
}

impl Tracked {
    /// Wraps `inner`; the connection counts as active from now.
    pub fn new(inner: TcpStream) -> Self {
        Self {
            inner,
            activity: Activity::new(),
        }
    }

    /// A handle on this connection's activity, for the watchdog.
    pub fn activity(&self) -> Activity {
        self.activity.clone()
    }
}

impl AsyncRead for Tracked {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(r, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.touch();
        }
        r
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        r
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        r
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
    use super::*;
    use futures_util::FutureExt;
    use tokio::time::advance;

    #[tokio::test(start_paused = true)]
    async fn a_connection_is_idle_only_after_the_limit_passes_without_a_byte() {
        let activity = Activity::new();
        let limit = Duration::from_secs(60);
        let mut idle = Box::pin(activity.idle_for(limit));
        advance(Duration::from_secs(59)).await;
        assert!((&mut idle).now_or_never().is_none(), "59 s: not idle yet");
        activity.touch();
        advance(Duration::from_secs(59)).await;
        assert!(
            (&mut idle).now_or_never().is_none(),
            "59 s after a byte: not idle"
        );
        advance(Duration::from_secs(2)).await;
        assert!(
            (&mut idle).now_or_never().is_some(),
            "61 s after the last byte: idle"
        );
    }

    #[tokio::test]
    async fn bytes_read_and_written_mark_the_stream_active() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (server, _) = listener.accept().await.unwrap();
        let mut tracked = Tracked::new(server);
        let activity = tracked.activity();
        assert_eq!(activity.last_ms.load(Ordering::Relaxed), 0);
        tokio::time::sleep(Duration::from_millis(20)).await;
        client.write_all(b"x").await.unwrap();
        let mut b = [0u8; 1];
        tracked.read_exact(&mut b).await.unwrap();
        let after_read = activity.last_ms.load(Ordering::Relaxed);
        assert!(after_read >= 20, "read noted at {after_read} ms");
        tokio::time::sleep(Duration::from_millis(20)).await;
        tracked.write_all(b"y").await.unwrap();
        let after_write = activity.last_ms.load(Ordering::Relaxed);
        assert!(
            after_write >= after_read + 20,
            "write noted at {after_write} ms"
        );
    }
}
