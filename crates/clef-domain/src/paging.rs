//! Paging and sorting of lists.

use crate::FieldError;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortDir {
    #[default]
    Asc,
    Desc,
}

/// A page of a list: 1-based page number and page size (1..=500).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u64,
    pub per_page: u64,
}

impl PageRequest {
    pub const MAX_PER_PAGE: u64 = 500;

    pub fn parse(
        page: Option<u64>,
        per_page: Option<u64>,
        default_per_page: u64,
    ) -> Result<Self, FieldError> {
        let page = page.unwrap_or(1);
        let per_page = per_page.unwrap_or(default_per_page);
        if page == 0 || page > 1_000_000 {
            return Err(FieldError::new(
                "page",
                "out-of-range",
                "page must be between 1 and 1000000",
            ));
        }
        if per_page == 0 || per_page > Self::MAX_PER_PAGE {
            return Err(FieldError::new(
                "per_page",
                "out-of-range",
                format!("per_page must be between 1 and {}", Self::MAX_PER_PAGE),
            ));
        }
        Ok(Self { page, per_page })
    }

    pub fn offset(&self) -> u64 {
        (self.page - 1) * self.per_page
    }
}

/// One page of results with the total count.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u64,
    pub per_page: u64,
    /// The number of matches, or a lower bound when `total_is_exact` is false
    /// (counting stops at a cap so that large filtered lists stay fast).
    pub total: u64,
    pub total_is_exact: bool,
}

impl<T> Page<T> {
    pub fn pages(&self) -> u64 {
        self.total.div_ceil(self.per_page).max(1)
    }

    /// Whether a next page exists.
    pub fn has_next(&self) -> bool {
        if self.total_is_exact {
            self.page < self.pages()
        } else {
            self.items.len() as u64 == self.per_page
        }
    }
}
