//! Validation errors: each names the field, a stable code (used to translate
//! the message) and an English message a person can act on.

use serde::Serialize;

/// One problem with one input field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    /// The name of the field, as the client sent it (`email`, `currency`, …).
    pub field: String,
    /// A stable code such as `required` or `invalid-email`.
    pub code: &'static str,
    /// An English sentence describing the problem.
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            code,
            message: message.into(),
        }
    }

    pub fn required(field: &str) -> Self {
        Self::new(field, "required", format!("{field} is required"))
    }
}

/// Every problem found in one submission, so a form can show them all at once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self(Vec::new())
    }

    /// Records the error of `r` if any and returns its value.
    pub fn take<T>(&mut self, r: Result<T, FieldError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }

    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The error for `field`, if any.
    pub fn get(&self, field: &str) -> Option<&FieldError> {
        self.0.iter().find(|e| e.field == field)
    }

    /// A single sentence listing every problem.
    /// The messages in one sentence: the first ten (each cut to 400
    /// characters), then how many more there are.
    pub fn summary(&self) -> String {
        let mut s = self
            .0
            .iter()
            .take(10)
            .map(|e| shortened(&e.message))
            .collect::<Vec<_>>()
            .join("; ");
        if self.0.len() > 10 {
            s.push_str(&format!("; and {} more problems", self.0.len() - 10));
        }
        s
    }
}

/// A message cut to 400 characters: one that repeats a very long value
/// says what is wrong without sending the value back whole.
pub fn shortened(message: &str) -> String {
    match message.char_indices().nth(400) {
        Some((at, _)) => format!("{}…", &message[..at]),
        None => message.to_owned(),
    }
}

impl From<FieldError> for FieldErrors {
    fn from(e: FieldError) -> Self {
        Self(vec![e])
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.summary())
    }
}

impl std::error::Error for FieldErrors {}
