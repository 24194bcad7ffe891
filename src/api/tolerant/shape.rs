//! How a value arrived: the kind of JSON that came ([`Kind`]) and, for a structured field,
//! whether it came as documented, empty, encoded in a string or as something else ([`Shape`]).

/// What kind of JSON value arrived where another was expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    String,
    Number,
    Bool,
    Null,
    List,
    Object,
}

impl Kind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::String => "a string",
            Kind::Number => "a number",
            Kind::Bool => "a boolean",
            Kind::Null => "null",
            Kind::List => "a list",
            Kind::Object => "an object",
        }
    }
}

/// How a structured field (object or list) arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Shape {
    /// The key was not there.
    #[default]
    Absent,
    /// `null`.
    Null,
    /// `""`, a string of spaces, or an empty container of the other kind (`[]` where an
    /// object belongs, `{}` where a list belongs): the API's ways of saying "nothing".
    Blank,
    /// The expected kind (possibly empty: `[]` for a list, `{}` for an object).
    Sent,
    /// A JSON document inside a string, decoded.
    Encoded,
    /// Something else arrived; it was kept where possible (a lone object as a one-item list,
    /// a one-object list as the object, anything else under [`AS_SENT_KEY`](super::AS_SENT_KEY) in `unknown`).
    Drifted(Kind),
}

impl Shape {
    /// True when the push carried this section at all (even empty).
    pub fn is_present(self) -> bool {
        matches!(self, Shape::Sent | Shape::Encoded | Shape::Drifted(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names() {
        assert_eq!(Kind::String.name(), "a string");
        assert_eq!(Kind::Number.name(), "a number");
        assert_eq!(Kind::Bool.name(), "a boolean");
        assert_eq!(Kind::Null.name(), "null");
        assert_eq!(Kind::List.name(), "a list");
        assert_eq!(Kind::Object.name(), "an object");
    }
}
