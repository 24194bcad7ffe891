//! Reading the files a user names (config, token, keys, secrets, CSV lists, pushes): only
//! regular files, since a FIFO with no writer blocks for ever and a device never ends, and the
//! small ones only up to a limit that fits what they hold. Each refusal says why in words the
//! caller puts after the file's name.

use std::io::Read;
use std::path::Path;

/// Opens `path` for reading when it is a regular file (after symlinks). The type is checked
/// before opening, because opening a FIFO with no writer already blocks.
pub(crate) fn open_regular(path: &Path) -> Result<std::fs::File, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err(not_regular(&meta.file_type()).into());
    }
    let f = std::fs::File::open(path).map_err(|e| e.to_string())?;
    // The name may have been swapped for something else in between: check what was opened.
    match f.metadata() {
        Ok(m) if m.is_file() => Ok(f),
        Ok(m) => Err(not_regular(&m.file_type()).into()),
        Err(e) => Err(e.to_string()),
    }
}

/// [`open_regular`], with `None` when nothing is there (a file made on first save).
pub(crate) fn open_regular_if_any(path: &Path) -> Result<Option<std::fs::File>, String> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        _ => open_regular(path).map(Some),
    }
}

/// The whole of a small regular file, refused past `limit` bytes (`what` names what such a
/// file holds, for the message: "a token").
pub(crate) fn read_small(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>, String> {
    let f = open_regular(path)?;
    let too_big = || {
        format!(
            "larger than {} — too large for {what}: is this the right file?",
            crate::api::error::human_bytes(limit)
        )
    };
    if f.metadata().is_ok_and(|m| m.len() > limit) {
        return Err(too_big());
    }
    let mut bytes = Vec::new();
    // The size can grow after the check (a file being written): read one byte past the limit.
    f.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(too_big());
    }
    Ok(bytes)
}

/// The whole of a regular file the user named, mapped when it is large (then its pages come
/// too), else read: what it holds and no more than it may have grown by meanwhile. A named
/// file has a known size and needs no cap; one that does not fit in memory is said so.
pub(crate) fn read_whole(
    path: &Path,
) -> Result<(bytes::Bytes, Option<crate::mapped::Pages>), String> {
    let f = open_regular(path)?;
    if let Some((bytes, pages)) = crate::mapped::map(&f) {
        return Ok((bytes, Some(pages)));
    }
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    let want = usize::try_from(len).unwrap_or(usize::MAX);
    let mut buf = Vec::new();
    if buf.try_reserve_exact(want).is_err() {
        return Err(format!(
            "{} does not fit in memory",
            crate::api::error::human_bytes(len)
        ));
    }
    // A file being written can grow after the size was read: at most as much again.
    f.take(len.saturating_add(len.max(1 << 20)))
        .read_to_end(&mut buf)
        .map_err(|e| e.to_string())?;
    Ok((bytes::Bytes::from(buf), None))
}

/// Writes `body` to `path` whole or not at all: a temporary file beside it (hidden,
/// `.saving-…`, mode 0600 as tempfile makes it), synced, then renamed over `path`. Saved
/// answers, exports of a review and the demo's samples hold names and numbers.
pub(crate) fn write_whole(path: &Path, body: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut file = tempfile::Builder::new()
        .prefix(".saving-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    file.write_all(body)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn not_regular(t: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_dir() {
        "is a directory, not a file"
    } else if t.is_fifo() {
        "is a named pipe (FIFO), not a regular file: reading it could wait for ever"
    } else if t.is_char_device() || t.is_block_device() {
        "is a device, not a regular file: reading it may never end"
    } else if t.is_socket() {
        "is a socket, not a regular file"
    } else {
        "is not a regular file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_files_read_and_large_ones_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("token");
        std::fs::write(&p, b"abc").unwrap();
        assert_eq!(read_small(&p, 3, "a token").unwrap(), b"abc");
        let e = read_small(&p, 2, "a token").unwrap_err();
        assert!(e.contains("too large for a token"), "{e}");
    }

    #[test]
    fn devices_directories_and_fifos_are_refused_without_blocking() {
        let e = read_small(Path::new("/dev/zero"), 1024, "a config").unwrap_err();
        assert!(e.contains("device"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        assert!(open_regular(dir.path()).unwrap_err().contains("directory"));
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let e = open_regular(&fifo).unwrap_err();
            assert!(e.contains("FIFO"), "{e}");
        }
        assert!(open_regular(&dir.path().join("missing")).is_err());
        assert!(
            open_regular_if_any(&dir.path().join("missing"))
                .unwrap()
                .is_none()
        );
        assert!(open_regular_if_any(dir.path()).is_err());
        if fifo.exists() {
            assert!(open_regular_if_any(&fifo).unwrap_err().contains("FIFO"));
        }
    }
}
