//! The runtime the inspector's requests run on: a thread of its own with a single-threaded
//! tokio runtime. A big answer's chunks then go from hyper's connection task to the body
//! buffer without hopping between worker threads — on loopback that hop cost a third of
//! the time to read a 17 MB body.

use std::future::Future;
use std::sync::OnceLock;

use tokio::runtime::{Builder, Handle};
use tokio::task::JoinHandle;

/// Runs `task` on the network thread (on the caller's runtime, should that thread not start).
pub fn spawn<F>(task: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    match handle() {
        Some(h) => h.spawn(task),
        None => tokio::spawn(task),
    }
}

fn handle() -> Option<&'static Handle> {
    static NET: OnceLock<Option<Handle>> = OnceLock::new();
    NET.get_or_init(|| {
        let rt = Builder::new_current_thread().enable_all().build().ok()?;
        let handle = rt.handle().clone();
        std::thread::Builder::new()
            .name("net".into())
            // Drives the runtime's tasks for as long as the process lives.
            .spawn(move || rt.block_on(std::future::pending::<()>()))
            .ok()?;
        Some(handle)
    })
    .as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn tasks_run_on_the_network_thread_and_can_be_aborted() {
        let name = spawn(async { std::thread::current().name().map(str::to_string) })
            .await
            .unwrap();
        assert_eq!(name.as_deref(), Some("net"));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let stuck = spawn(async move {
            let _tx = tx;
            std::future::pending::<()>().await
        });
        stuck.abort();
        assert!(stuck.await.unwrap_err().is_cancelled());
        // The aborted task dropped what it held.
        assert!(rx.await.is_err());
    }
}
