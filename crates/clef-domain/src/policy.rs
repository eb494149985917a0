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
    /// Create, change, apply or delete segmentations (applying sets service
    /// tiers); change the key-account candidate grid.
    ManageProgram,
    /// Score a candidate on the grid, or propose it as key account.
    ProposeKeyAccount { owner: Option<UserId> },
    /// Approve or reject a proposal: directors, or the account's sponsor.
    DecideKeyAccount { sponsor: Option<UserId> },
    /// Take a key account out of the program.
    DeselectKeyAccount,
    /// Read a key account plan and its documents: directors, the account's
    /// KAM (`owner`), its sponsor, and the account team (`in_team`).
    ReadPlan {
        owner: Option<UserId>,
        sponsor: Option<UserId>,
        in_team: bool,
    },
    /// Write a plan, submit it, start its next version: the KAM and directors.
    EditPlan { owner: Option<UserId> },
    /// Approve a submitted plan, or archive an approved one: directors.
    ApprovePlan,
    /// See the sensitive side of a stakeholder map (attitude, influence):
    /// the account's KAM, team and sponsor, and directors; never viewers.
    SeeStakeholderSensitive {
        owner: Option<UserId>,
        sponsor: Option<UserId>,
        in_team: bool,
    },
    /// Record an account's stakeholder profiles, relationship links and
    /// interactions: its KAM, its team, directors.
    WriteRelationships {
        owner: Option<UserId>,
        in_team: bool,
    },
    /// Add colleagues who do not use Clef: directors and account managers.
    ManageColleagues,
    /// Mark a meeting's action item or a plan's action in progress, done or
    /// cancelled: its owner, unless a viewer (others need `RunMeetings`, or
    /// to edit the plan).
    UpdateOwnAction { owner: Option<UserId> },
    /// Plan, record, evaluate and delete an account's meetings: its KAM, its
    /// team, directors. (Program meetings and formats: `ManageProgram`.)
    RunMeetings {
        owner: Option<UserId>,
        in_team: bool,
    },
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
        Action::ManageProgram | Action::DeselectKeyAccount => writes_all,
        Action::ProposeKeyAccount { owner } => {
            writes_all || (matches!(actor.role, Kam | AccountManager) && owner == Some(actor.id))
        }
        Action::DecideKeyAccount { sponsor } => {
            writes_all || (actor.role == Sponsor && sponsor == Some(actor.id))
        }
        Action::ReadPlan {
            owner,
            sponsor,
            in_team,
        }
        | Action::SeeStakeholderSensitive {
            owner,
            sponsor,
            in_team,
        } => {
            actor.role != Viewer
                && (writes_all || owner == Some(actor.id) || sponsor == Some(actor.id) || in_team)
        }
        Action::EditPlan { owner } => {
            writes_all || (matches!(actor.role, Kam | AccountManager) && owner == Some(actor.id))
        }
        Action::ApprovePlan => writes_all,
        Action::WriteRelationships { owner, in_team } | Action::RunMeetings { owner, in_team } => {
            writes_all
                || (matches!(actor.role, Kam | AccountManager) && owner == Some(actor.id))
                || (in_team && actor.role != Viewer)
        }
        Action::ManageColleagues => writes_all || matches!(actor.role, Kam | AccountManager),
        Action::UpdateOwnAction { owner } => owner == Some(actor.id) && actor.role != Viewer,
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
    fn an_action_item_is_updated_by_its_owner_unless_a_viewer() {
        let own = Action::UpdateOwnAction {
            owner: Some(UserId(7)),
        };
        for r in [Role::Member, Role::Kam, Role::Sponsor, Role::AccountManager] {
            assert!(allows(&actor(r), own), "{r}");
            assert!(
                !allows(
                    &actor(r),
                    Action::UpdateOwnAction {
                        owner: Some(UserId(8))
                    }
                ),
                "{r}"
            );
        }
        assert!(!allows(&actor(Role::Viewer), own));
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
    fn directors_or_the_accounts_sponsor_decide_on_key_accounts() {
        let mine = Action::DecideKeyAccount {
            sponsor: Some(UserId(7)),
        };
        let other = Action::DecideKeyAccount {
            sponsor: Some(UserId(8)),
        };
        assert!(allows(&actor(Role::Director), other));
        assert!(allows(&actor(Role::Sponsor), mine));
        assert!(!allows(&actor(Role::Sponsor), other));
        for r in [Role::Kam, Role::AccountManager, Role::Member, Role::Viewer] {
            assert!(!allows(&actor(r), mine), "{r}");
            assert!(!allows(&actor(r), Action::DeselectKeyAccount), "{r}");
            assert!(!allows(&actor(r), Action::ManageProgram), "{r}");
        }
        let propose_mine = Action::ProposeKeyAccount {
            owner: Some(UserId(7)),
        };
        assert!(allows(&actor(Role::Kam), propose_mine));
        assert!(!allows(&actor(Role::Viewer), propose_mine));
        assert!(!allows(
            &actor(Role::Kam),
            Action::ProposeKeyAccount {
                owner: Some(UserId(8))
            }
        ));
    }

    #[test]
    fn the_plan_is_seen_by_its_people_and_edited_by_the_kam_and_directors() {
        let read = |owner, sponsor, in_team| Action::ReadPlan {
            owner: Some(UserId(owner)),
            sponsor: Some(UserId(sponsor)),
            in_team,
        };
        assert!(allows(&actor(Role::Director), read(1, 2, false)));
        assert!(allows(&actor(Role::Kam), read(7, 2, false)));
        assert!(allows(&actor(Role::Sponsor), read(1, 7, false)));
        assert!(allows(&actor(Role::Member), read(1, 2, true)));
        for r in [Role::Kam, Role::AccountManager, Role::Member, Role::Sponsor] {
            assert!(!allows(&actor(r), read(1, 2, false)), "{r}");
        }
        assert!(!allows(&actor(Role::Viewer), read(1, 2, true)));

        let edit_mine = Action::EditPlan {
            owner: Some(UserId(7)),
        };
        assert!(allows(&actor(Role::Kam), edit_mine));
        assert!(allows(
            &actor(Role::Director),
            Action::EditPlan { owner: None }
        ));
        assert!(!allows(&actor(Role::Sponsor), edit_mine));
        assert!(!allows(&actor(Role::Member), edit_mine));
        assert!(!allows(
            &actor(Role::Kam),
            Action::EditPlan {
                owner: Some(UserId(8))
            }
        ));
        assert!(allows(&actor(Role::Director), Action::ApprovePlan));
        assert!(!allows(&actor(Role::Kam), Action::ApprovePlan));
        assert!(!allows(&actor(Role::Sponsor), Action::ApprovePlan));
    }

    #[test]
    fn attitudes_are_for_the_account_team_and_never_for_viewers() {
        let see = |in_team| Action::SeeStakeholderSensitive {
            owner: Some(UserId(1)),
            sponsor: Some(UserId(2)),
            in_team,
        };
        assert!(allows(&actor(Role::Member), see(true)));
        assert!(!allows(&actor(Role::Member), see(false)));
        assert!(!allows(&actor(Role::Viewer), see(true)));
        let owned_by_viewer = Action::SeeStakeholderSensitive {
            owner: Some(UserId(7)),
            sponsor: None,
            in_team: false,
        };
        assert!(
            !allows(&actor(Role::Viewer), owned_by_viewer),
            "never viewers, even as owner"
        );
        assert!(allows(&actor(Role::Director), see(false)));
        let write = |owner, in_team| Action::WriteRelationships {
            owner: Some(UserId(owner)),
            in_team,
        };
        assert!(allows(&actor(Role::Kam), write(7, false)));
        assert!(allows(&actor(Role::Member), write(1, true)));
        assert!(!allows(&actor(Role::Member), write(1, false)));
        assert!(!allows(&actor(Role::Viewer), write(7, true)));
        assert!(!allows(&actor(Role::Sponsor), write(1, false)));
        assert!(allows(&actor(Role::Kam), Action::ManageColleagues));
        assert!(!allows(&actor(Role::Viewer), Action::ManageColleagues));
    }

    #[test]
    fn only_admins_manage_users() {
        assert!(allows(&actor(Role::Admin), Action::ManageUsers));
        for r in Role::ALL.iter().filter(|r| **r != Role::Admin) {
            assert!(!allows(&actor(*r), Action::ManageUsers), "{r}");
        }
    }
}
