//! Tools that read JSON text as bytes, without building a value: the pretty printer the raw
//! view and `query --json` show, and the structural scan that finds the transcript in a big
//! body. They know nothing of the API's model; the model and the client use them.

pub mod pretty;
pub mod scan;
