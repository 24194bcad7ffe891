//! Tools that read JSON text as bytes, without building a value: the pretty printer the raw
//! view and `query --json` show, the line index of its output (so a screen prints only the
//! lines it shows), the lexer that tells keys from strings and numbers for colouring, the
//! structural scan that finds the transcript in a big body, and what closes a text cut
//! short. They know nothing of the API's model; the model, the client and the screens use
//! them.

pub(crate) mod close;
pub(crate) mod lexer;
pub(crate) mod lines;
pub mod pretty;
pub mod scan;
pub(crate) mod simd;
