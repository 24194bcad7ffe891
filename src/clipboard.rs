//! Copying: the system clipboard through `arboard` where a display is available, else inside
//! tmux its paste buffer (`tmux load-buffer -w -`, which tmux ≥ 3.2 also hands to the outer
//! terminal's clipboard), else an OSC 52 escape to the terminal (wrapped for screen, and for a
//! tmux that refused the buffer), else a file. Messages say only what was confirmed. One
//! arboard handle lives for the whole process, built on first use: X11 and Wayland clipboards
//! empty when their owner drops it.

use std::io::Write;
use std::path::PathBuf;

use base64::Engine;

/// How long `tmux load-buffer` may take before the copy falls back to OSC 52.
const TMUX_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// Above this much text an OSC 52 sequence risks being dropped by the terminal.
pub const OSC52_MAX_TEXT: usize = 74 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// In the desktop clipboard.
    System,
    /// In tmux's paste buffer (tmux may pass it on to the terminal: that is not confirmed).
    Tmux,
    /// Sent to the terminal, which gives no receipt.
    Terminal,
    /// Sent through tmux's passthrough, which tmux drops unless `allow-passthrough` is on.
    Passthrough,
    /// Written to a file instead.
    File(PathBuf),
    Failed(String),
}

/// The message for the status bar.
pub fn message(outcome: &Outcome, text: &str, what: &str) -> String {
    let n = text.lines().count().max(1);
    let amount = if n == 1 {
        format!("{what} (1 line)")
    } else {
        format!("{what} ({n} lines)")
    };
    match outcome {
        Outcome::System => format!("copied {amount} to the clipboard"),
        Outcome::Tmux => format!("copied {amount} to tmux's paste buffer"),
        Outcome::Terminal => format!("sent {amount} to the terminal's clipboard"),
        Outcome::Passthrough => format!(
            "sent {amount} through tmux to the terminal's clipboard (arrives only if tmux has allow-passthrough on)"
        ),
        Outcome::File(p) => format!(
            "too large for the terminal's clipboard: wrote {amount} to {}",
            p.display()
        ),
        Outcome::Failed(why) => format!("could not copy {what}: {why}"),
    }
}

/// The OSC 52 sequence that puts `text` in the terminal's clipboard; inside tmux or screen
/// wrapped in a DCS passthrough so the multiplexer hands it on.
pub fn osc52(text: &str, multiplexer: Multiplexer) -> Vec<u8> {
    let b64 = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    let inner = format!("\x1b]52;c;{b64}\x07");
    match multiplexer {
        Multiplexer::None => inner.into_bytes(),
        Multiplexer::Tmux => {
            format!("\x1bPtmux;{}\x1b\\", inner.replace('\x1b', "\x1b\x1b")).into_bytes()
        }
        Multiplexer::Screen => format!("\x1bP{inner}\x1b\\").into_bytes(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Multiplexer {
    None,
    Tmux,
    Screen,
}

impl Multiplexer {
    pub fn detect() -> Self {
        if std::env::var_os("TMUX").is_some() {
            Multiplexer::Tmux
        } else if std::env::var("TERM").is_ok_and(|t| t.starts_with("screen"))
            && std::env::var_os("STY").is_some()
        {
            Multiplexer::Screen
        } else {
            Multiplexer::None
        }
    }
}

/// Where copies go. The real one talks to arboard and the terminal; tests record.
pub trait Clipboard: Send {
    fn copy(&mut self, text: &str) -> Outcome;
}

/// The clipboard of a real session.
pub struct SystemClipboard {
    arboard: Option<arboard::Clipboard>,
    tried_arboard: bool,
    use_display: bool,
    multiplexer: Multiplexer,
    /// The tmux program to hand copies to, inside tmux.
    tmux: Option<PathBuf>,
    console: bool,
    overflow_dir: PathBuf,
    terminal: Box<dyn Write + Send>,
}

impl SystemClipboard {
    /// Reads the environment: a display (`DISPLAY`, `WAYLAND_DISPLAY`), tmux or screen, a bare
    /// Linux console (no clipboard at all). `terminal` receives OSC 52 sequences.
    pub fn new(terminal: Box<dyn Write + Send>, overflow_dir: PathBuf) -> Self {
        let display = std::env::var_os("DISPLAY").is_some_and(|v| !v.is_empty())
            || std::env::var_os("WAYLAND_DISPLAY").is_some_and(|v| !v.is_empty());
        let multiplexer = Multiplexer::detect();
        SystemClipboard {
            arboard: None,
            tried_arboard: false,
            use_display: display,
            multiplexer,
            tmux: (multiplexer == Multiplexer::Tmux).then(|| PathBuf::from("tmux")),
            console: std::env::var("TERM").is_ok_and(|t| t == "linux" || t == "dumb"),
            overflow_dir,
            terminal,
        }
    }

    fn system(&mut self, text: &str) -> Option<()> {
        if !self.use_display {
            return None;
        }
        if !self.tried_arboard {
            self.tried_arboard = true;
            self.arboard = arboard::Clipboard::new().ok();
        }
        self.arboard.as_mut()?.set_text(text.to_owned()).ok()
    }

    /// `tmux load-buffer -w -`: the way into tmux's clipboard that needs no option set (tmux
    /// drops an application's OSC 52 unless `set-clipboard on` or `allow-passthrough`).
    fn tmux_buffer(&self, text: &str) -> Option<()> {
        use std::process::{Command, Stdio};
        let program = self.tmux.as_ref()?;
        let mut child = Command::new(program)
            .args(["load-buffer", "-w", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        // Written from a thread: a tmux that does not read must not block the copy.
        let mut stdin = child.stdin.take()?;
        let bytes = text.as_bytes().to_vec();
        let writer = std::thread::spawn(move || stdin.write_all(&bytes).is_ok());
        // A wedged tmux server must not freeze the screen.
        let status = match wait_timeout::ChildExt::wait_timeout(&mut child, TMUX_WAIT) {
            Ok(Some(status)) => Some(status),
            Ok(None) | Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                None
            }
        };
        // The child is gone, so the writer has finished or fails on the closed pipe.
        let written = writer.join().unwrap_or(false);
        (status?.success() && written).then_some(())
    }

    fn to_file(&self, text: &str) -> Outcome {
        let name = format!(
            "clipboard-{}.txt",
            chrono::Local::now().format("%Y%m%d-%H%M%S%.3f")
        );
        let path = self.overflow_dir.join(name);
        match std::fs::create_dir_all(&self.overflow_dir)
            .and_then(|_| crate::config::write_atomic(&path, text.as_bytes(), true))
        {
            Ok(()) => Outcome::File(path),
            Err(e) => Outcome::Failed(format!(
                "no clipboard, and {} could not be written ({e})",
                path.display()
            )),
        }
    }
}

impl Clipboard for SystemClipboard {
    fn copy(&mut self, text: &str) -> Outcome {
        if self.system(text).is_some() {
            return Outcome::System;
        }
        if self.tmux_buffer(text).is_some() {
            return Outcome::Tmux;
        }
        if text.len() > OSC52_MAX_TEXT || self.console {
            return self.to_file(text);
        }
        let seq = osc52(text, self.multiplexer);
        match self
            .terminal
            .write_all(&seq)
            .and_then(|_| self.terminal.flush())
        {
            Ok(()) if self.multiplexer == Multiplexer::Tmux => Outcome::Passthrough,
            Ok(()) => Outcome::Terminal,
            Err(e) => Outcome::Failed(format!("the terminal could not be written ({e})")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_is_base64_of_the_exact_text() {
        let text = "00:03 Robot: Apa boleh 你好\n";
        let seq = String::from_utf8(osc52(text, Multiplexer::None)).unwrap();
        let b64 = seq
            .strip_prefix("\x1b]52;c;")
            .unwrap()
            .strip_suffix('\x07')
            .unwrap();
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        assert_eq!(decoded, text.as_bytes());
    }

    #[test]
    fn tmux_wrapping_doubles_escapes() {
        let seq = String::from_utf8(osc52("hi", Multiplexer::Tmux)).unwrap();
        assert_eq!(seq, "\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\");
        let seq = String::from_utf8(osc52("hi", Multiplexer::Screen)).unwrap();
        assert_eq!(seq, "\x1bP\x1b]52;c;aGk=\x07\x1b\\");
    }

    struct Sink(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
    impl Write for Sink {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn headless(dir: PathBuf) -> (SystemClipboard, std::sync::Arc<std::sync::Mutex<Vec<u8>>>) {
        let buf = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let clip = SystemClipboard {
            arboard: None,
            tried_arboard: false,
            use_display: false,
            multiplexer: Multiplexer::None,
            tmux: None,
            console: false,
            overflow_dir: dir,
            terminal: Box::new(Sink(buf.clone())),
        };
        (clip, buf)
    }

    #[test]
    fn without_display_it_sends_osc52_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let (mut clip, buf) = headless(dir.path().to_path_buf());
        let out = clip.copy("a\nb\nc");
        assert_eq!(out, Outcome::Terminal);
        assert!(buf.lock().unwrap().starts_with(b"\x1b]52;c;"));
        assert_eq!(
            message(&out, "a\nb\nc", "the transcript"),
            "sent the transcript (3 lines) to the terminal's clipboard"
        );
    }

    #[test]
    fn too_large_goes_to_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let (mut clip, buf) = headless(dir.path().to_path_buf());
        let big = "x".repeat(OSC52_MAX_TEXT + 1);
        match clip.copy(&big) {
            Outcome::File(p) => assert_eq!(std::fs::read_to_string(p).unwrap(), big),
            other => panic!("{other:?}"),
        }
        assert!(buf.lock().unwrap().is_empty());
    }

    /// A fake `tmux` that records its arguments and stdin, and exits with `code`.
    #[cfg(unix)]
    fn fake_tmux(dir: &std::path::Path, code: i32) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let p = dir.join("tmux");
        let script = format!(
            "#!/bin/sh\necho \"$@\" > '{0}/args'\ncat > '{0}/stdin'\nexit {code}\n",
            dir.display()
        );
        std::fs::write(&p, script).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        p
    }

    #[cfg(unix)]
    #[test]
    fn inside_tmux_the_text_goes_to_load_buffer_and_the_message_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let (mut clip, buf) = headless(dir.path().to_path_buf());
        clip.multiplexer = Multiplexer::Tmux;
        clip.tmux = Some(fake_tmux(dir.path(), 0));
        let text = "00:03 Robot: 你好\nline two";
        let out = clip.copy(text);
        assert_eq!(out, Outcome::Tmux);
        let args = std::fs::read_to_string(dir.path().join("args")).unwrap();
        assert_eq!(args.trim(), "load-buffer -w -");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("stdin")).unwrap(),
            text
        );
        assert!(buf.lock().unwrap().is_empty(), "no OSC 52 as well");
        assert_eq!(
            message(&out, text, "the selection"),
            "copied the selection (2 lines) to tmux's paste buffer"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_tmux_that_refuses_falls_back_to_the_wrapped_sequence() {
        let dir = tempfile::tempdir().unwrap();
        let (mut clip, buf) = headless(dir.path().to_path_buf());
        clip.multiplexer = Multiplexer::Tmux;
        clip.tmux = Some(fake_tmux(dir.path(), 1));
        let out = clip.copy("hi");
        assert_eq!(out, Outcome::Passthrough);
        assert!(message(&out, "hi", "it").contains("allow-passthrough"));
        assert!(buf.lock().unwrap().starts_with(b"\x1bPtmux;"));
        // No tmux at all: the same.
        let (mut clip, buf) = headless(dir.path().to_path_buf());
        clip.multiplexer = Multiplexer::Tmux;
        clip.tmux = Some(dir.path().join("no-such-tmux"));
        assert_eq!(clip.copy("hi"), Outcome::Passthrough);
        assert!(buf.lock().unwrap().starts_with(b"\x1bPtmux;"));
    }
}
