//! Who may do what. Every write in Clef is authorised here, never by ad-hoc
//! checks in handlers; later capabilities add their rules to this module.

use crate::{Actor, Role, UserId};

/// What the actor wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read the portfolio: customers, groups, contacts, revenue.
    ReadPortfolio,
    /// Create a customer (owned by `owner`, if any).
    CreateCustomer { owner: Option<UserId> },
    /// Change or delete a customer, its contacts or its revenue.
    WriteCustomer { owner: Option<UserId> },
    /// Create, change or delete customer groups and business units.
    WriteReferenceData,
    /// Import revenue lines or customers in bulk.
    BulkImport,
    /// Create users, change roles, issue tokens for others.
    ManageUsers,
}

/// Whether `actor` may perform `action`.
pub fn allows(actor: &Actor, action: Action) -> bool {
    use Role::*;
    let writes_all = matches!(actor.role, Admin | Director);
    match action {
        Action::ReadPortfolio => true,
        Action::CreateCustomer { owner } | Action::WriteCustomer { owner } => {
            writes_all || (matches!(actor.role, Kam | AccountManager) && owner == Some(actor.id))
        }
        Action::WriteReferenceData | Action::BulkImport => writes_all,
        Action::ManageUsers => actor.role == Admin,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role) -> Actor {
        Actor {
            id: UserId(7),
            role,
        }
    }

    #[test]
    fn admin_and_director_write_every_customer() {
        for r in [Role::Admin, Role::Director] {
            assert!(allows(
                &actor(r),
                Action::WriteCustomer {
                    owner: Some(UserId(1))
                }
            ));
            assert!(allows(&actor(r), Action::WriteCustomer { owner: None }));
        }
    }

    #[test]
    fn kams_and_account_managers_write_only_what_they_own() {
        for r in [Role::Kam, Role::AccountManager] {
            assert!(allows(
                &actor(r),
                Action::WriteCustomer {
                    owner: Some(UserId(7))
                }
            ));
            assert!(!allows(
                &actor(r),
                Action::WriteCustomer {
                    owner: Some(UserId(8))
                }
            ));
            assert!(!allows(&actor(r), Action::WriteCustomer { owner: None }));
            assert!(!allows(&actor(r), Action::BulkImport));
        }
    }

    #[test]
    fn viewers_read_but_never_write() {
        let v = actor(Role::Viewer);
        assert!(allows(&v, Action::ReadPortfolio));
        assert!(!allows(
            &v,
            Action::WriteCustomer {
                owner: Some(UserId(7))
            }
        ));
        assert!(!allows(
            &v,
            Action::CreateCustomer {
                owner: Some(UserId(7))
            }
        ));
        assert!(!allows(&v, Action::WriteReferenceData));
    }

    #[test]
    fn only_admins_manage_users() {
        assert!(allows(&actor(Role::Admin), Action::ManageUsers));
        for r in Role::ALL.iter().filter(|r| **r != Role::Admin) {
            assert!(!allows(&actor(*r), Action::ManageUsers), "{r}");
        }
    }
}
