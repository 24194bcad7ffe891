//! Pretty-prints JSON straight from the bytes, keeping every token exactly as sent (numbers
//! like `20000.00`, key order, escapes), so what we show is what the server wrote.
//! Raw C1 controls and bidi overrides inside strings are written as `\uXXXX` escapes: the same
//! JSON value, but nothing a terminal could act on.
//!
//! The printer goes a line at a time: a `LineStart` is all it needs to print a line and find
//! where the next one starts, so a viewer can keep one every few lines of a big answer and
//! print only the lines it shows (`line`); [`pretty`] is all the lines joined.

/// Where a line of the pretty form starts in the source: enough to print it and go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct LineStart {
    /// Byte offset in the source.
    pub pos: usize,
    /// Indent level (two spaces each).
    pub depth: usize,
    /// The line opens with the closing bracket at `pos` (its line break is made already).
    pub closer: bool,
}

/// Where printed bytes go: a buffer, or nowhere when only the next line's start is wanted.
pub(crate) trait Sink {
    fn put(&mut self, b: u8);
    fn put_all(&mut self, s: &[u8]);
    fn spaces(&mut self, n: usize);
}

impl Sink for Vec<u8> {
    #[inline]
    fn put(&mut self, b: u8) {
        Vec::push(self, b);
    }
    #[inline]
    fn put_all(&mut self, s: &[u8]) {
        self.extend_from_slice(s);
    }
    #[inline]
    fn spaces(&mut self, n: usize) {
        self.resize(self.len() + n, b' ');
    }
}

/// A sink that drops everything: walks over lines at the cost of reading them.
pub(crate) struct Skip;

impl Sink for Skip {
    #[inline]
    fn put(&mut self, _: u8) {}
    #[inline]
    fn put_all(&mut self, _: &[u8]) {}
    #[inline]
    fn spaces(&mut self, _: usize) {}
}

/// Pretty-prints `bytes` (assumed to be JSON) with two-space indents.
pub fn pretty(bytes: &[u8]) -> String {
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 4);
    let mut at = line(bytes, LineStart::default(), &mut out);
    while let Some(start) = at {
        out.push(b'\n');
        at = line(bytes, start, &mut out);
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Prints the line of the pretty form that starts at `at` (without a line break) to `out`;
/// returns where the next line starts, `None` after the last one. Any bytes at all are
/// accepted: invalid JSON prints as best it can and never panics.
pub(crate) fn line<S: Sink>(src: &[u8], at: LineStart, out: &mut S) -> Option<LineStart> {
    let n = src.len();
    let depth = at.depth;
    out.spaces(depth.saturating_mul(2));
    let mut i = at.pos;
    if at.closer && i < n {
        out.put(src[i]);
        i += 1;
    }
    while i < n {
        let b = src[i];
        match b {
            b' ' | b'\t' | b'\n' | b'\r' => i = skip_ws(src, i + 1),
            b'"' => i = copy_string(src, i, out),
            b'{' | b'[' => {
                let close = if b == b'{' { b'}' } else { b']' };
                let next = skip_ws(src, i + 1);
                out.put(b);
                if next < n && src[next] == close {
                    out.put(close);
                    i = next + 1;
                } else {
                    return Some(LineStart {
                        pos: i + 1,
                        depth: depth + 1,
                        closer: false,
                    });
                }
            }
            b'}' | b']' => {
                return Some(LineStart {
                    pos: i,
                    depth: depth.saturating_sub(1),
                    closer: true,
                });
            }
            b',' => {
                out.put(b',');
                return Some(LineStart {
                    pos: i + 1,
                    depth,
                    closer: false,
                });
            }
            b':' => {
                out.put_all(b": ");
                i += 1;
            }
            _ => {
                // A number, a literal, or anything else up to the next token.
                let run = 1 + src[i + 1..]
                    .iter()
                    .position(|&b| !PLAIN[b as usize])
                    .unwrap_or(n - i - 1);
                out.put_all(&src[i..i + run]);
                i += run;
            }
        }
    }
    None
}

/// Bytes with no meaning to the printer outside strings.
const PLAIN: [bool; 256] = {
    let mut t = [true; 256];
    let special = b" \t\n\r\"{}[],:";
    let mut k = 0;
    while k < special.len() {
        t[special[k] as usize] = false;
        k += 1;
    }
    t
};

/// Bytes a string's copy has to look at.
const IN_STRING: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = true;
        b += 1;
    }
    t[b'\\' as usize] = true;
    t[b'"' as usize] = true;
    t[0xC2] = true;
    t[0xE2] = true;
    t
};

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// `\u` and four lowercase hex digits.
fn escape<S: Sink>(out: &mut S, c: u32) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.put_all(b"\\u");
    for shift in [12, 8, 4, 0] {
        out.put(HEX[(c >> shift) as usize & 0xF]);
    }
}

/// Copies the string starting at `bytes[start] == '"'`; returns the index after its end.
fn copy_string<S: Sink>(bytes: &[u8], start: usize, out: &mut S) -> usize {
    out.put(b'"');
    let mut i = start + 1;
    let n = bytes.len();
    while i < n {
        // Plain text in one go.
        let run = bytes[i..]
            .iter()
            .position(|&b| IN_STRING[b as usize])
            .unwrap_or(n - i);
        out.put_all(&bytes[i..i + run]);
        i += run;
        if i >= n {
            break;
        }
        let b = bytes[i];
        match b {
            b'\\' => {
                out.put(b);
                if i + 1 < n {
                    out.put(bytes[i + 1]);
                }
                i += 2;
            }
            b'"' => {
                out.put(b);
                return i + 1;
            }
            0xC2 if i + 1 < n && (0x80..=0x9F).contains(&bytes[i + 1]) => {
                escape(out, bytes[i + 1] as u32);
                i += 2;
            }
            0xE2 if i + 2 < n && is_bidi(bytes[i + 1], bytes[i + 2]) => {
                escape(
                    out,
                    0x2000 | ((bytes[i + 1] as u32 & 0x3F) << 6) | (bytes[i + 2] as u32 & 0x3F),
                );
                i += 3;
            }
            b if b < 0x20 => {
                escape(out, b as u32);
                i += 1;
            }
            _ => {
                out.put(b);
                i += 1;
            }
        }
    }
    i
}

/// U+202A..U+202E (E2 80 AA..AE) and U+2066..U+2069 (E2 81 A6..A9).
fn is_bidi(b1: u8, b2: u8) -> bool {
    (b1 == 0x80 && (0xAA..=0xAE).contains(&b2)) || (b1 == 0x81 && (0xA6..=0xA9).contains(&b2))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The printer as it was before it went line by line, kept as the reference.
    pub(crate) fn old_pretty(bytes: &[u8]) -> String {
        let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 4);
        let mut depth = 0usize;
        let mut i = 0;
        let n = bytes.len();
        while i < n {
            let b = bytes[i];
            match b {
                b' ' | b'\t' | b'\n' | b'\r' => i += 1,
                b'"' => {
                    i = old_copy_string(bytes, i, &mut out);
                }
                b'{' | b'[' => {
                    let close = if b == b'{' { b'}' } else { b']' };
                    let next = skip_ws(bytes, i + 1);
                    if next < n && bytes[next] == close {
                        out.push(b);
                        out.push(close);
                        i = next + 1;
                    } else {
                        out.push(b);
                        depth += 1;
                        old_newline(&mut out, depth);
                        i += 1;
                    }
                }
                b'}' | b']' => {
                    depth = depth.saturating_sub(1);
                    old_newline(&mut out, depth);
                    out.push(b);
                    i += 1;
                }
                b',' => {
                    out.push(b',');
                    old_newline(&mut out, depth);
                    i += 1;
                }
                b':' => {
                    out.extend_from_slice(b": ");
                    i += 1;
                }
                _ => {
                    out.push(b);
                    i += 1;
                }
            }
        }
        String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }

    fn old_newline(out: &mut Vec<u8>, depth: usize) {
        out.push(b'\n');
        out.resize(out.len() + depth * 2, b' ');
    }

    fn old_copy_string(bytes: &[u8], start: usize, out: &mut Vec<u8>) -> usize {
        out.push(b'"');
        let mut i = start + 1;
        while i < bytes.len() {
            let b = bytes[i];
            match b {
                b'\\' => {
                    out.push(b);
                    if i + 1 < bytes.len() {
                        out.push(bytes[i + 1]);
                    }
                    i += 2;
                }
                b'"' => {
                    out.push(b);
                    return i + 1;
                }
                0xC2 if i + 1 < bytes.len() && (0x80..=0x9F).contains(&bytes[i + 1]) => {
                    out.extend_from_slice(format!("\\u{:04x}", bytes[i + 1] as u32).as_bytes());
                    i += 2;
                }
                0xE2 if i + 2 < bytes.len() && is_bidi(bytes[i + 1], bytes[i + 2]) => {
                    let c =
                        0x2000 | ((bytes[i + 1] as u32 & 0x3F) << 6) | (bytes[i + 2] as u32 & 0x3F);
                    out.extend_from_slice(format!("\\u{c:04x}").as_bytes());
                    i += 3;
                }
                b if b < 0x20 => {
                    out.extend_from_slice(format!("\\u{:04x}", b).as_bytes());
                    i += 1;
                }
                _ => {
                    out.push(b);
                    i += 1;
                }
            }
        }
        i
    }

    /// Bodies that exercise every path of the printer, valid JSON or not.
    pub(crate) const CORPUS: &[&[u8]] = &[
        b"",
        b"   \n\t ",
        b"42",
        b"20000.00",
        b"-1.5e+10",
        b"null",
        b"{}",
        b"[]",
        b"{ }",
        b"[ \n\t ]",
        b"{\"a\":{},\"b\":[],\"c\":[{}],\"d\":{\"e\":[[]]},\"f\":[ {  } , [ ] ]}",
        b"[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]",
        b"{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":[1,2,{\"i\":true}]}}}}}}}}",
        br#"{"b":20000.00,"a":[1, 2,{}],"e":[],"s":"x\"y, {z}:"}"#,
        br#"{"esc":"\\ \" \/ \b \f \n \r \t \u00e9 \ud83d\ude00","k\"ey":"v"}"#,
        "{\"zh\":\"你好，世界\",\"emoji\":\"👨‍👩‍👧 🇲🇽\",\"ar\":\"مرحبا\",\"ümlaut\":\"ÄÖÜ ß\"}"
            .as_bytes(),
        "{\"n\":\"a\u{9b}31mb\u{202e}c\u{2066}d\u{2069} 你好\",\"ctl\":\"a\u{1}b\u{7f}\u{1b}[2J\"}"
            .as_bytes(),
        b"{\"nums\":[0,-0,1e5,1E-5,0.10,123456789012345678901234567890,-0.0e+0]}",
        b"{\"lit\":[true,false,null],\"weird\":[tru,nul,NaN,Infinity,-Infinity]}",
        // Invalid: unbalanced, trailing commas, missing values, unterminated things.
        b"]]]}}}",
        b"{\"a\":1,}",
        b"[1,2,,3,]",
        b"{\"a\":,\"b\"::1}",
        b"{\"a\":[1,2",
        b"{\"a\":\"unterminated",
        b"{\"a\":\"ends in a backslash\\",
        b"\"\\",
        b"[\"a\" \"b\" 1 2 {\"c\" 3}]",
        b"<html><body>502 Bad Gateway</body></html>",
        b"plain text, with: commas {and} [brackets]",
        // Invalid UTF-8, inside and outside strings, cut at a line break.
        b"{\"a\":\"\xff\xfe\",\"b\":\xe4\xbd,\"c\":\"\xe4\xbd\xa0\xe5\"}",
        b"[\xe4,\xbd\xa0]",
        b"{\"c1\":\"\xc2\",\"e2\":\"\xe2\x80\",\"e2b\":\"\xe2\"}",
        // Controls the printer leaves as they are: outside strings, after a backslash.
        b"{\"a\":1,\x1b]0;title\x07\"b\":2}",
        b"{\"a\":\"x\\\ny\",\"b\":[1,\n2]}",
        b"{\"a\":\"x\\\ry\"}",
        b"{\"a\":\x0c1,\"b\":\x7f}",
        b"[\xc2\x85,\xc2 \x9b]",
        b"{\"a\":\"\\\xc2\x9b\"}",
        b"[\xe2\x80\xae1]",
    ];

    #[test]
    fn keeps_tokens_and_order() {
        let src = br#"{"b":20000.00,"a":[1, 2,{}],"e":[],"s":"x\"y, {z}:"}"#;
        let p = pretty(src);
        assert_eq!(
            p,
            "{\n  \"b\": 20000.00,\n  \"a\": [\n    1,\n    2,\n    {}\n  ],\n  \"e\": [],\n  \"s\": \"x\\\"y, {z}:\"\n}"
        );
        let a: serde_json::Value = serde_json::from_slice(src).unwrap();
        let b: serde_json::Value = serde_json::from_str(&p).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn escapes_c1_and_bidi_but_keeps_the_value() {
        let src = "{\"n\":\"a\u{9b}31mb\u{202e}c 你好\"}";
        let p = pretty(src.as_bytes());
        assert!(p.contains("\\u009b") && p.contains("\\u202e") && p.contains("你好"));
        let a: serde_json::Value = serde_json::from_str(src).unwrap();
        let b: serde_json::Value = serde_json::from_str(&p).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn line_by_line_is_the_old_printer() {
        for src in CORPUS {
            assert_eq!(
                pretty(src),
                old_pretty(src),
                "{:?}",
                String::from_utf8_lossy(src)
            );
        }
    }

    #[test]
    fn skipping_a_line_finds_the_same_next_start() {
        for src in CORPUS {
            let mut at = Some(LineStart::default());
            while let Some(start) = at {
                let mut buf = Vec::new();
                at = line(src, start, &mut buf);
                assert_eq!(line(src, start, &mut Skip), at);
            }
        }
    }

    proptest! {
        #![proptest_config(crate::proptest_config::config(2000))]

        #[test]
        fn any_bytes_print_as_before(src in prop::collection::vec(
            prop_oneof![
                4 => prop::sample::select(b"{}[],:\" \n\\ax1".to_vec()),
                1 => any::<u8>(),
            ],
            0..80,
        )) {
            prop_assert_eq!(pretty(&src), old_pretty(&src));
        }
    }
}
