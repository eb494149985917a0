//! `clef user add | passwd | token | list`.

use crate::cli::UserCommand;
use crate::data::{open, open_existing};
use crate::error::{Failure, Result};
use clef_store::{NewUser, Store, user};
use std::io::{BufRead, IsTerminal};

pub async fn run(database_url: &str, cmd: UserCommand) -> Result<()> {
    // The first admin of a new installation is added to a new database.
    let store = match cmd {
        UserCommand::Add { .. } => open(database_url).await?,
        _ => open_existing(database_url).await?,
    };
    match cmd {
        UserCommand::Add {
            email,
            name,
            role,
            title,
            locale,
            password,
        } => {
            // Everything but the password is checked before it is asked.
            let mut new = NewUser {
                email,
                name,
                role,
                title,
                password: "a password long enough".into(),
                locale,
            };
            if let Err(e) = new.check() {
                return Err(clef_store::StoreError::Invalid(e).into());
            }
            if store.user_by_email(&new.email).await?.is_some() {
                return Err(Failure::new(format!(
                    "a user with the e-mail {} already exists: change their password with clef user passwd",
                    new.email.trim()
                )));
            }
            new.password = resolve_password(password)?;
            let u = store.create_user(&new).await?;
            println!(
                "Created user #{} {} <{}> ({}).",
                u.id,
                u.name,
                u.email,
                role_label(&u)
            );
        }
        UserCommand::Passwd { email, password } => {
            let u = find(&store, &email).await?;
            let password = resolve_password(password)?;
            store.set_password(u.id, &password).await?;
            println!(
                "Password of {} changed; their browser sessions were closed.",
                u.email
            );
        }
        UserCommand::Token { email, name } => {
            let u = find(&store, &email).await?;
            if !u.active {
                return Err(Failure::new(format!(
                    "{} is deactivated: a token of theirs would be refused; activate the user first (Users page)",
                    u.email
                )));
            }
            let (token, secret) = store.create_token(u.id, &name).await?;
            eprintln!(
                "API token #{} \"{}\" for {}; it is shown only once:",
                token.id, token.name, u.email
            );
            println!("{secret}");
        }
        UserCommand::Revoke { email } => {
            let u = find(&store, &email).await?;
            let n = store.revoke_tokens(u.id).await?;
            println!("{n} API token(s) of {} revoked.", u.email);
        }
        UserCommand::List => {
            let users = store.list_users().await?;
            if users.is_empty() {
                eprintln!("No user yet: create one with `clef user add`.");
            }
            let w = users
                .iter()
                .map(|u| u.email.chars().count())
                .max()
                .unwrap_or(5)
                .max(5);
            println!(
                "{:>4}  {:<w$}  {:<15}  {:<22}  {:<6}  NAME",
                "ID", "EMAIL", "ROLE", "TITLE", "ACTIVE"
            );
            for u in &users {
                let active = if u.active { "yes" } else { "no" };
                let title = u.title.as_deref().unwrap_or("-");
                println!(
                    "{:>4}  {:<w$}  {:<15}  {title:<22}  {active:<6}  {}",
                    u.id, u.email, u.role, u.name
                );
            }
        }
    }
    Ok(())
}

fn role_label(u: &user::Model) -> String {
    u.title.clone().unwrap_or_else(|| u.role.clone())
}

async fn find(store: &Store, email: &str) -> Result<user::Model> {
    store
        .user_by_email(email)
        .await?
        .ok_or_else(|| Failure::new(format!("there is no user with the e-mail {email}")))
}

/// The password given by --password or CLEF_PASSWORD; else typed at the
/// terminal, hidden and twice; else read from a line of standard input.
fn resolve_password(given: Option<String>) -> Result<String> {
    if let Some(p) = given {
        return Ok(p);
    }
    let missing = || {
        Failure::new(
            "no password given: use --password, the CLEF_PASSWORD environment variable, or type it on standard input",
        )
    };
    if std::io::stdin().is_terminal() {
        let read = |prompt: &str| {
            rpassword::prompt_password(prompt)
                .map_err(|e| Failure::new(format!("cannot read the password: {e}")))
        };
        let pw = read("Password (at least 10 characters, not shown): ")?;
        if pw.is_empty() {
            return Err(missing());
        }
        if read("The same password again: ")? != pw {
            return Err(Failure::new(
                "the two passwords differ: nothing was changed, run the command again",
            ));
        }
        return Ok(pw);
    }
    // Not a terminal: the password is the first line of standard input.
    eprintln!("Reading the password from standard input (first line)…");
    let mut line = String::new();
    let n = std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Failure::new(format!("cannot read the password from standard input: {e}")))?;
    let pw = line.trim_end_matches(['\r', '\n']).to_owned();
    if n == 0 || pw.is_empty() {
        return Err(missing());
    }
    Ok(pw)
}
