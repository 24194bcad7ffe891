//! Lists left unread: while [`skip_lists`] runs, a thread-local tells every `List` of the
//! chosen item types to note where its text lies instead of reading it, and [`read_list`]
//! reads that text later. A thread-local because serde gives a `Deserialize` impl no
//! context of its own; it is set and reset around one read on one thread.

use serde::de::{self, DeserializeOwned};
use serde::{Deserialize, Deserializer};

use super::Shape;
use super::list::{Item, List, list_of};
use super::object::AcceptKeys;

/// While [`skip_lists`] runs: the item types whose lists are skipped, and the input's
/// address range.
#[derive(Clone, Copy)]
struct Skip {
    items: [std::any::TypeId; 2],
    input: (usize, usize),
}

thread_local! {
    static SKIP: std::cell::Cell<Option<Skip>> = const { std::cell::Cell::new(None) };
}

pub(super) fn skipping<T: 'static>() -> bool {
    SKIP.get()
        .is_some_and(|s| s.items.contains(&std::any::TypeId::of::<T>()))
}

/// Where `text` starts in the input being read, if it lies in it.
fn in_input(text: &str) -> Option<usize> {
    let s = SKIP.get()?;
    let start = text.as_ptr() as usize;
    (start >= s.input.0 && start + text.len() <= s.input.1).then(|| start - s.input.0)
}

/// Runs `read` over `input` with every `List<I>` and `List<J>` left unread: empty and
/// absent, its [`left_out`](List::left_out) saying where its text lies in `input`, to be
/// read later with [`read_list`]. serde_json still checks the skipped text is well-formed
/// JSON, but not how deep it nests (the reader of the lists checks that). Lists inside
/// JSON-in-a-string are read as usual (their text is not in `input`).
pub(crate) fn skip_lists<I: 'static, J: 'static, R>(input: &[u8], read: impl FnOnce() -> R) -> R {
    struct Reset(Option<Skip>);
    impl Drop for Reset {
        fn drop(&mut self) {
            SKIP.set(self.0);
        }
    }
    let start = input.as_ptr() as usize;
    let _reset = Reset(SKIP.replace(Some(Skip {
        items: [std::any::TypeId::of::<I>(), std::any::TypeId::of::<J>()],
        input: (start, start + input.len()),
    })));
    read()
}

/// Reads the text of one list value as [`List`] would have, item by item when it is a JSON
/// list, calling `consumed(n)` now and then with how many bytes of `text` are behind it, so
/// a caller can let go of them (a memory-mapped file's pages).
pub(crate) fn read_list<T: AcceptKeys + DeserializeOwned + 'static>(
    text: &str,
    mut consumed: impl FnMut(usize),
) -> Result<List<T>, serde_json::Error> {
    /// Bytes read between two calls of `consumed`.
    const STEP: usize = 1 << 20;
    if !text.trim_start().starts_with('[') {
        let list = serde_json::from_str(text);
        consumed(text.len());
        return list;
    }
    let raws: Vec<&serde_json::value::RawValue> = serde_json::from_str(text)?;
    let mut out = list_of(Shape::Sent);
    out.items.reserve_exact(raws.len());
    let mut told = 0;
    for raw in raws {
        out.add(serde_json::from_str::<Item<T>>(raw.get())?);
        let behind = raw.get().as_ptr() as usize + raw.get().len() - text.as_ptr() as usize;
        if behind - told >= STEP {
            consumed(behind);
            told = behind;
        }
    }
    consumed(text.len());
    Ok(out)
}

/// A list of a skipped type, left unread: where its text lies in the input comes back in
/// [`List::left_out`].
pub(super) fn left_out<'de, D, T>(d: D) -> Result<List<T>, D::Error>
where
    D: Deserializer<'de>,
    T: AcceptKeys + DeserializeOwned + 'static,
{
    let raw = <&serde_json::value::RawValue>::deserialize(d)?;
    if let Some(at) = in_input(raw.get()) {
        // The list itself says where it was: a later duplicate of its parent replaces
        // it, mark and all, as a whole read would.
        return Ok(List {
            left_out: Some(at..at + raw.get().len()),
            ..List::default()
        });
    }
    // A list inside JSON-in-a-string lies in another buffer: read it now, as usual.
    let state = SKIP.take();
    let list = serde_json::from_str::<List<T>>(raw.get());
    SKIP.set(state);
    list.map_err(de::Error::custom)
}
