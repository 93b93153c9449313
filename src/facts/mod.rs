//! Case facts: reading, validating and deriving everything the letter relies on.

pub mod context;
pub mod csv;
pub mod date;
pub mod derive;
pub mod firm;
pub mod load;
pub mod model;
pub mod node;
pub mod questionnaire;
pub mod repair;
pub mod schema;
pub mod validate;

pub use context::Context;
pub use date::{Date, PartialDate};
pub use derive::{Derived, derive};
pub use load::{Format, LoadedCase, load, load_str};
pub use model::Case;
