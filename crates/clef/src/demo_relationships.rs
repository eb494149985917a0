//! Demo relationships for the key accounts that have a demo plan: a
//! stakeholder map of a dozen people, our links to them, a year of
//! interactions, an account team, and sponsors (one account left without,
//! so the sponsorship plan has something to warn about).

use crate::error::Result;
use clef_domain::{
    ContactInput, Date,
    relationships::{
        Attitude, BuyingRole, Frequency, InteractionKind, Level, Stakeholder, TeamFunction,
    },
};
use clef_store::{ColleagueInput, InteractionInput, LinkInput, Store, TeamInput, Who};

/// (first, last, job title, role, level, boss index, attitude, influence)
type Person = (
    &'static str,
    &'static str,
    &'static str,
    BuyingRole,
    Level,
    Option<usize>,
    Attitude,
    i64,
);

/// (date, kind, subject, their people by index, our people)
type Meeting = (Date, InteractionKind, &'static str, Vec<usize>, Vec<Who>);

const PEOPLE: &[Person] = &[
    (
        "Laure",
        "Vasseur",
        "Chief Executive Officer",
        BuyingRole::DecisionMaker,
        Level::Executive,
        None,
        Attitude::Neutral,
        5,
    ),
    (
        "Marc",
        "Delorme",
        "Chief Procurement Officer",
        BuyingRole::DecisionMaker,
        Level::Executive,
        Some(0),
        Attitude::Sceptic,
        5,
    ),
    (
        "Nadia",
        "Benali",
        "Chief Technical Officer",
        BuyingRole::Influencer,
        Level::Executive,
        Some(0),
        Attitude::Champion,
        4,
    ),
    (
        "Olivier",
        "Fabre",
        "Category Buyer",
        BuyingRole::Buyer,
        Level::Management,
        Some(1),
        Attitude::Supporter,
        3,
    ),
    (
        "Chloé",
        "Renaud",
        "Junior Buyer",
        BuyingRole::Buyer,
        Level::Operational,
        Some(3),
        Attitude::Neutral,
        1,
    ),
    (
        "Hugo",
        "Lemaire",
        "Head of Engineering",
        BuyingRole::Influencer,
        Level::Management,
        Some(2),
        Attitude::Supporter,
        4,
    ),
    (
        "Inès",
        "Caron",
        "Design Engineer",
        BuyingRole::User,
        Level::Operational,
        Some(5),
        Attitude::Champion,
        2,
    ),
    (
        "Paul",
        "Garnier",
        "Quality Manager",
        BuyingRole::Influencer,
        Level::Management,
        Some(2),
        Attitude::Opponent,
        3,
    ),
    (
        "Sarah",
        "Meunier",
        "Plant Manager",
        BuyingRole::User,
        Level::Management,
        Some(0),
        Attitude::Neutral,
        3,
    ),
    (
        "Yves",
        "Perrin",
        "Executive Assistant",
        BuyingRole::Gatekeeper,
        Level::Operational,
        Some(0),
        Attitude::Supporter,
        2,
    ),
];

/// Adds relationships to the accounts that have a plan; returns how many.
pub async fn seed(store: &Store, today: Date) -> Result<usize> {
    let users = store.list_users().await?;
    let id_of = |email: &str| users.iter().find(|u| u.email == email).map(|u| u.id);
    let (sponsor, director, member) = (
        id_of("sponsor@clef.example"),
        id_of("director@clef.example"),
        id_of("member@clef.example"),
    );
    let quality = store
        .create_colleague(
            None,
            &ColleagueInput {
                name: "Bruno Lefèvre",
                function: Some("Quality engineer"),
                business_unit_id: None,
                email: None,
            },
        )
        .await?;
    let logistics = store
        .create_colleague(
            None,
            &ColleagueInput {
                name: "Agnès Morel",
                function: Some("Logistics planner"),
                business_unit_id: None,
                email: None,
            },
        )
        .await?;
    let rows: Vec<_> = store
        .plan_rows()
        .await?
        .into_iter()
        .filter(|r| r.latest.is_some())
        .collect();
    let ago = |days: i64| today.add_days(-days);
    for (k, r) in rows.iter().enumerate() {
        let c = &r.customer;
        let kam = c.owner_id;
        let domain: String = clef_domain::search_key(&c.name)
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .take(12)
            .collect();
        let mut ids: Vec<i64> = Vec::new();
        for (first, last, title, ..) in PEOPLE {
            let f = ContactInput {
                first_name: (*first).into(),
                last_name: (*last).into(),
                email: Some(format!(
                    "{}.{}@{domain}.example",
                    clef_domain::search_key(first),
                    clef_domain::search_key(last)
                )),
                job_title: Some((*title).into()),
                ..Default::default()
            }
            .parse()
            .map_err(|e| crate::error::Failure::new(e.summary()))?;
            ids.push(store.create_contact(None, c.id, &f).await?.id);
        }
        for (i, (_, _, _, role, level, boss, attitude, influence)) in PEOPLE.iter().enumerate() {
            let opponent_plan = *attitude == Attitude::Opponent && k % 2 == 0;
            store
                .set_stakeholder(
                    kam,
                    ids[i],
                    None,
                    &Stakeholder {
                        buying_role: Some(*role),
                        level: Some(*level),
                        function: None,
                        reports_to_id: boss.map(|b| ids[b]),
                        attitude: Some(*attitude),
                        influence: Some(*influence),
                        next_action: opponent_plan
                            .then(|| "Invite him to our plant's quality audit".to_owned()),
                        next_action_on: opponent_plan.then(|| today.add_days(30)),
                    },
                )
                .await?;
        }
        // Our links: the KAM with purchasing, experts with experts.
        let mut links = vec![
            (1, kam.map(Who::User), 4, Frequency::Monthly),
            (3, kam.map(Who::User), 5, Frequency::Weekly),
            (5, member.map(Who::User), 3, Frequency::Monthly),
            (6, Some(Who::Colleague(quality.id)), 4, Frequency::Weekly),
            (7, Some(Who::Colleague(quality.id)), 2, Frequency::Quarterly),
            (8, Some(Who::Colleague(logistics.id)), 3, Frequency::Monthly),
        ];
        if k % 2 == 0 {
            links.push((0, sponsor.map(Who::User), 3, Frequency::Quarterly));
        }
        for (i, who, strength, frequency) in links {
            if let Some(who) = who {
                store
                    .create_link(
                        kam,
                        c.id,
                        &LinkInput {
                            contact_id: ids[i],
                            who,
                            owner_id: kam,
                            strength,
                            frequency,
                            notes: None,
                        },
                    )
                    .await?;
            }
        }
        // A year of interactions, and one planned with the sponsor.
        let mut meetings: Vec<Meeting> = vec![
            (
                ago(200),
                InteractionKind::Visit,
                "Plant visit and line audit",
                vec![8, 7],
                vec![Who::Colleague(quality.id)],
            ),
            (
                ago(60),
                InteractionKind::Meeting,
                "Quarterly business review",
                vec![1, 3],
                kam.map(Who::User).into_iter().collect(),
            ),
            (
                ago(20),
                InteractionKind::Call,
                "Prototype feedback",
                vec![5, 6],
                member
                    .map(Who::User)
                    .into_iter()
                    .chain([Who::Colleague(quality.id)])
                    .collect(),
            ),
            (
                ago(5),
                InteractionKind::Email,
                "Delivery plan for Q1",
                vec![3, 8],
                vec![Who::Colleague(logistics.id)],
            ),
        ];
        if let Some(s) = sponsor {
            meetings.push((
                ago(120),
                InteractionKind::Meeting,
                "Executive dinner",
                vec![0, 2],
                vec![Who::User(s)],
            ));
            meetings.push((
                today.add_days(25),
                InteractionKind::Meeting,
                "Executive review",
                vec![0, 1],
                vec![Who::User(s)],
            ));
        }
        for (on, kind, subject, theirs, ours) in meetings {
            store
                .record_interaction(
                    kam,
                    c.id,
                    &InteractionInput {
                        kind,
                        occurred_on: on,
                        subject: subject.into(),
                        notes: None,
                        contact_ids: theirs.iter().map(|i| ids[*i]).collect(),
                        ours,
                    },
                )
                .await?;
        }
        // The account team.
        let mut team = vec![
            (Who::Colleague(quality.id), TeamFunction::Quality, false, 40),
            (
                Who::Colleague(logistics.id),
                TeamFunction::Logistics,
                false,
                30,
            ),
        ];
        if let Some(m) = member {
            team.push((Who::User(m), TeamFunction::Engineering, false, 25));
        }
        for (who, function, dedicated, share_pct) in team {
            store
                .add_team_member(
                    kam,
                    c.id,
                    &TeamInput {
                        who,
                        function,
                        dedicated,
                        share_pct,
                    },
                )
                .await?;
        }
        // Sponsors: the first two accounts, the third left without.
        let s = if k < 2 { sponsor.or(director) } else { None };
        if s.is_some() && c.sponsor_id.is_none() {
            store.set_sponsor(None, c.id, s, None).await?;
        }
    }
    seed_meetings(store, today, &rows).await?;
    Ok(rows.len())
}

/// A year of meetings for the accounts with a plan: reviews and KAM meetings,
/// the past ones held and evaluated, and the program's commercial meetings.
async fn seed_meetings(store: &Store, today: Date, rows: &[clef_store::PlanRow]) -> Result<()> {
    use clef_domain::rituals::{MeetingStatus, Objective};
    use clef_store::{MeetingInput, Party};
    let formats = store.formats().await?;
    let id = |k: &str| formats.iter().find(|f| f.key == k).map(|f| f.id);
    let users = store.list_users().await?;
    let director = users.iter().find(|u| u.role == "director").map(|u| u.id);
    let start = today.add_days(-180);
    for (k, r) in rows.iter().enumerate() {
        let kam = r.customer.owner_id;
        for (key, n, objective) in [
            ("key_account_review", 2, Objective::CrossPerformance),
            ("kam_meeting", 6, Objective::Planning),
        ] {
            let (Some(f), Some(kam)) = (id(key), kam) else {
                continue;
            };
            let template = MeetingInput {
                format_id: f,
                customer_id: Some(r.customer.id),
                title: formats
                    .iter()
                    .find(|x| x.id == f)
                    .map_or(String::new(), |x| x.name_en.clone()),
                on: start,
                at: (10, 0),
                duration: 90,
                location: Some("Customer's head office".into()),
                online: false,
                primary: objective,
                secondary: vec![],
                agenda: None,
                minutes: None,
                decisions: None,
                status: MeetingStatus::Planned,
                organizer_id: Some(kam),
                parties: vec![Party::User(kam)],
            };
            let planned = store.plan_cadence(Some(kam), &template, n, start).await?;
            // The past ones were held (one review left unheld on the second
            // account, so its overdue mark shows).
            for m in planned.iter().filter(|m| m.on_date < today.to_string()) {
                if key == "key_account_review" && k == 1 {
                    continue;
                }
                let row = store.meeting(m.id).await?;
                let mut held = template.clone();
                held.title = m.title.clone();
                held.on = m.date().unwrap_or(start);
                held.status = MeetingStatus::Held;
                held.minutes = Some("Reviewed the year so far and the open actions.".into());
                held.parties = row.parties.clone();
                store
                    .update_meeting(Some(kam), m.id, m.version, &held)
                    .await?;
                store
                    .evaluate_meeting(Some(kam), m.id, (4, 4, Some("Useful")), None)
                    .await?;
            }
        }
    }
    if let (Some(f), Some(d)) = (id("commercial_meeting"), director) {
        let template = MeetingInput {
            format_id: f,
            customer_id: None,
            title: "Key Account Commercial Meeting".into(),
            on: today.add_days(1),
            at: (14, 0),
            duration: 120,
            location: None,
            online: true,
            primary: Objective::FieldInformation,
            secondary: vec![Objective::EvaluateProgress],
            agenda: None,
            minutes: None,
            decisions: None,
            status: MeetingStatus::Planned,
            organizer_id: Some(d),
            parties: vec![Party::User(d)],
        };
        store
            .plan_cadence(Some(d), &template, 10, today.add_days(1))
            .await?;
    }
    Ok(())
}
