//! Tokens of one line of JSON text, for colouring: keys, strings, numbers, literals and
//! punctuation, as byte ranges of the line. Works on any JSON text, pretty or not.

/// What a token of a pretty JSON line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Key,
    Str,
    Num,
    /// `true`, `false`, `null`.
    Lit,
    /// `{ } [ ] , :`
    Punct,
    Other,
}

/// A token: a byte range of the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

/// The tokens of one line, in order; spaces between them belong to none. A string followed
/// by `:` is a key. Works on any JSON text, pretty or not.
pub fn tokens(line: &str) -> Vec<Token> {
    let b = line.as_bytes();
    let n = b.len();
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        let start = i;
        let kind = match b[i] {
            b' ' => {
                i += 1;
                continue;
            }
            b'"' => {
                i += 1;
                while i < n {
                    match b[i] {
                        b'\\' => i += 2,
                        b'"' => {
                            i += 1;
                            break;
                        }
                        _ => i += 1,
                    }
                }
                i = i.min(n);
                let mut j = i;
                while j < n && b[j] == b' ' {
                    j += 1;
                }
                if j < n && b[j] == b':' {
                    Kind::Key
                } else {
                    Kind::Str
                }
            }
            b'{' | b'}' | b'[' | b']' | b',' | b':' => {
                i += 1;
                Kind::Punct
            }
            b'-' | b'0'..=b'9' => {
                i += 1;
                while i < n && matches!(b[i], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-') {
                    i += 1;
                }
                Kind::Num
            }
            c if c.is_ascii_alphabetic() => {
                while i < n && b[i].is_ascii_alphanumeric() {
                    i += 1;
                }
                match &line[start..i] {
                    "true" | "false" | "null" => Kind::Lit,
                    _ => Kind::Other,
                }
            }
            _ => {
                i += line[i..].chars().next().map_or(1, char::len_utf8);
                Kind::Other
            }
        };
        out.push(Token {
            start,
            end: i,
            kind,
        });
    }
    out
}
