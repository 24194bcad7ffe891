//! Copy inside tmux, in a real terminal: with `$TMUX` set, `Y` hands the tab's text to
//! `tmux load-buffer -w -` (a fake `tmux` first on `PATH` records what it was given) and the
//! status bar says it went to tmux's paste buffer; no OSC 52 sequence is written.

mod support;

use support::pty::Tui;
use support::*;

#[test]
fn y_inside_tmux_loads_the_buffer() {
    use std::os::unix::fs::PermissionsExt;
    let sandbox = Sandbox::new();
    let bin = sandbox.path("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let record = sandbox.path("tmux-record");
    std::fs::create_dir_all(&record).unwrap();
    let tmux = bin.join("tmux");
    std::fs::write(
        &tmux,
        format!(
            "#!/bin/sh\necho \"$@\" > '{0}/args'\ncat > '{0}/stdin'\n",
            record.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&tmux, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:/usr/bin:/bin", bin.display());
    let file = asset_path("01-reference.json");
    let mut tui = Tui::start(
        sandbox,
        &["open", file.to_str().unwrap()],
        &[
            ("PATH", path.as_str()),
            ("TMUX", "/tmp/tmux-1000/default,1,0"),
        ],
        160,
        50,
    );
    tui.wait_for(&["WILL SMITH"]);
    let mark = tui.raw_len();
    tui.send("Y");
    tui.wait_for(&["to tmux's paste buffer"]);
    let args = std::fs::read_to_string(record.join("args")).unwrap();
    assert_eq!(args.trim(), "load-buffer -w -");
    let copied = std::fs::read_to_string(record.join("stdin")).unwrap();
    assert!(copied.contains("WILL SMITH"), "{copied}");
    let raw = tui.raw();
    assert!(
        !raw[mark..].windows(5).any(|w| w == b"]52;c"),
        "no OSC 52 as well"
    );
}
