//! What the `clef` command reports when it fails.

use clef_store::StoreError;

/// A failure to report as `error: <message>`, with optional detail lines.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub details: Vec<String>,
}

pub type Result<T> = std::result::Result<T, Failure>;

impl Failure {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            details: Vec::new(),
        }
    }

    pub fn with_details(message: impl Into<String>, details: Vec<String>) -> Self {
        Self {
            message: message.into(),
            details,
        }
    }

    /// Prints the failure to stderr.
    pub fn print(&self) {
        eprintln!("error: {}", self.message);
        for d in &self.details {
            eprintln!("  {d}");
        }
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Invalid(errs) => Failure::with_details(
                "the input is not valid:",
                errs.0
                    .iter()
                    .map(|f| format!("{}: {}", f.field, f.message))
                    .collect(),
            ),
            other => Failure::new(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_input_lists_every_field() {
        let mut errs = clef_domain::FieldErrors::new();
        errs.push(clef_domain::FieldError::new(
            "email",
            "invalid-email",
            "email must be an e-mail address",
        ));
        errs.push(clef_domain::FieldError::required("name"));
        let f = Failure::from(StoreError::Invalid(errs));
        assert_eq!(
            f.details,
            [
                "email: email must be an e-mail address",
                "name: name is required"
            ]
        );
        let f = Failure::from(StoreError::NotFound("user"));
        assert_eq!(f.message, "user not found");
        assert!(f.details.is_empty());
    }
}
