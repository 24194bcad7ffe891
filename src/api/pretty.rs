//! Pretty-prints JSON straight from the bytes, keeping every token exactly as sent (numbers
//! like `20000.00`, key order, escapes), so what we show is what the server wrote.
//! Raw C1 controls and bidi overrides inside strings are written as `\uXXXX` escapes: the same
//! JSON value, but nothing a terminal could act on.

/// Pretty-prints `bytes` (assumed to be JSON) with two-space indents.
pub fn pretty(bytes: &[u8]) -> String {
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 4);
    let mut depth = 0usize;
    let mut i = 0;
    let n = bytes.len();
    while i < n {
        let b = bytes[i];
        match b {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'"' => {
                i = copy_string(bytes, i, &mut out);
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
                    newline(&mut out, depth);
                    i += 1;
                }
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(b);
                i += 1;
            }
            b',' => {
                out.push(b',');
                newline(&mut out, depth);
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
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

fn newline(out: &mut Vec<u8>, depth: usize) {
    out.push(b'\n');
    out.resize(out.len() + depth * 2, b' ');
}

/// Copies the string starting at `bytes[start] == '"'`; returns the index after its end.
fn copy_string(bytes: &[u8], start: usize, out: &mut Vec<u8>) -> usize {
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
                let c = 0x2000 | ((bytes[i + 1] as u32 & 0x3F) << 6) | (bytes[i + 2] as u32 & 0x3F);
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

/// U+202A..U+202E (E2 80 AA..AE) and U+2066..U+2069 (E2 81 A6..A9).
fn is_bidi(b1: u8, b2: u8) -> bool {
    (b1 == 0x80 && (0xAA..=0xAE).contains(&b2)) || (b1 == 0x81 && (0xA6..=0xA9).contains(&b2))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
