//! What closes a JSON text cut short: the brackets and braces still open at its end, so the
//! first part of a big answer can be read as a document of its own while the rest arrives.

/// Deeper than this, a cut text is not worth closing (the push is a few levels deep).
const MAX_DEPTH: usize = 256;

/// The bytes that close every array and object open at the end of `prefix`, innermost first;
/// `None` when the text ends inside a string, closes what it never opened, or nests deeper
/// than [`MAX_DEPTH`]. Only the nesting is checked: whatever reads the closed text checks
/// the rest.
pub(crate) fn closers(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut open: Vec<u8> = Vec::new();
    let mut i = 0;
    while i < prefix.len() {
        match prefix[i] {
            b'"' => {
                // To the string's closing quote, a stretch at a time.
                let mut j = i + 1;
                loop {
                    let k = j + memchr::memchr2(b'"', b'\\', prefix.get(j..)?)?;
                    if prefix[k] == b'"' {
                        i = k;
                        break;
                    }
                    j = k + 2;
                }
            }
            b'{' | b'[' if open.len() >= MAX_DEPTH => return None,
            b'{' => open.push(b'}'),
            b'[' => open.push(b']'),
            // Popped in the guard: a match goes on to the next byte.
            c @ (b'}' | b']') if open.pop() != Some(c) => return None,
            _ => {}
        }
        i += 1;
    }
    open.reverse();
    Some(open)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn closed(prefix: &str) -> Option<String> {
        closers(prefix.as_bytes()).map(|c| String::from_utf8(c).unwrap())
    }

    #[test]
    fn closes_what_is_open_innermost_first() {
        assert_eq!(
            closed(r#"{"data": {"call": {"x": [1, {"a": 2}], "asr_result": "#),
            Some("}}}".into())
        );
        assert_eq!(closed(r#"[{"a": ["#), Some("]}]".into()));
        assert_eq!(closed(""), Some(String::new()));
        assert_eq!(closed(r#"{"a": 1}"#), Some(String::new()));
    }

    #[test]
    fn brackets_in_strings_and_escapes_do_not_count() {
        assert_eq!(closed(r#"{"a": "x}]\"{[", "b\\": ["#), Some("]}".into()));
        assert_eq!(closed(r#"{"a": "\\\\", "b": {"#), Some("}}".into()));
    }

    #[test]
    fn refuses_a_text_cut_in_a_string_or_wrongly_nested() {
        assert_eq!(closed(r#"{"a": "unfinished"#), None);
        assert_eq!(closed(r#"{"a": "ends in an escape\"#), None);
        assert_eq!(closed(r#"{"a": ]"#), None);
        assert_eq!(closed("}"), None);
        assert_eq!(closed(&"[".repeat(MAX_DEPTH + 1)), None);
        assert_eq!(closed(&"[".repeat(MAX_DEPTH)), Some("]".repeat(MAX_DEPTH)));
    }
}
