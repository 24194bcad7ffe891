//! A secret (API token, APPSecret) that never prints: `Debug` and `Display` show
//! `Token(****)`, and the bytes are zeroed when it is dropped.

use std::fmt;

use zeroize::Zeroize;

pub struct Secret {
    value: String,
    label: &'static str,
}

impl Secret {
    /// A token; surrounding white space (a trailing newline in a file) is dropped.
    pub fn token(value: impl Into<String>) -> Self {
        Self::labelled("Token", value)
    }

    pub fn labelled(label: &'static str, value: impl Into<String>) -> Self {
        let mut raw: String = value.into();
        let value = raw.trim().to_string();
        raw.zeroize();
        Secret { value, label }
    }

    /// The value, for the one place that sends it.
    pub(crate) fn expose(&self) -> &str {
        &self.value
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.value.is_empty()
    }
}

impl Clone for Secret {
    fn clone(&self) -> Self {
        Secret {
            value: self.value.clone(),
            label: self.label,
        }
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.value.zeroize();
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(****)", self.label)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(****)", self.label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_its_value() {
        let s = Secret::token("  abc123secret\n");
        assert_eq!(s.expose(), "abc123secret");
        assert_eq!(format!("{s:?}"), "Token(****)");
        assert_eq!(format!("{s}"), "Token(****)");
        assert_eq!(format!("{:?}", Some(s.clone())), "Some(Token(****))");
    }
}
